"""The record rules table, ``data/tables/record-rules.tsv``: read, checked, and emitted into the graph.

Each rule is one row (id, kind, severity, fields, message, and the source and
quote it rests on, or its basis). The build emits every rule as a
``netgraph:RecordRule`` individual of the instance data, with its source and
quote, so the graph says what each record check rests on and the quote is
verified like every other quote; :mod:`netgraph.records.shapes` turns the rules
into SHACL shapes.
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from ..paths import ProjectPaths
from ..prefixes import NETGRAPH, SOURCE, prefix_map
from ..tables import Row, read_table
from .fields import FIELD_BY_NAME

__all__ = ["RecordRule", "read_rules", "rule_iri", "emit_rules", "RULE_COLUMNS", "RULE_OPTIONAL", "SEVERITIES"]

RULE_COLUMNS = ("rule_id", "kind", "severity", "fields", "message")
RULE_OPTIONAL = ("source", "quote", "basis", "source_record", "comment")
SEVERITIES = ("Violation", "Warning", "Info")


def rule_iri(rule_id: str) -> URIRef:
    return URIRef(prefix_map()["ngshape"] + "rule-" + rule_id)


@dataclass(frozen=True)
class RecordRule:
    """One row of the rule table."""

    row: Row
    id: str
    kind: str
    severity: str
    fields: tuple[str, ...]
    message: str
    source: str
    quote: str
    basis: str
    record: str = ""  # the record of a reference release the quote comes from (source_record)


def read_rules(paths: ProjectPaths) -> list[RecordRule]:
    """The rule table, checked: known kind, severity and fields; a source or a basis for every rule."""
    sources = {r["source_id"]: r["kind"] for r in read_table(paths.tables_dir / "sources.tsv", ("source_id",), None)}
    rules: list[RecordRule] = []
    seen: set[str] = set()
    for r in read_table(paths.tables_dir / "record-rules.tsv", RULE_COLUMNS, RULE_OPTIONAL):
        if r["rule_id"] in seen:
            raise r.error(f"duplicate rule_id {r['rule_id']!r}")
        seen.add(r["rule_id"])
        if r["severity"] not in SEVERITIES:
            raise r.error(f"severity {r['severity']!r} is not one of {', '.join(SEVERITIES)}")
        unknown = [f for f in r.multi("fields") if f not in FIELD_BY_NAME]
        if unknown or not r.multi("fields"):
            raise r.error(f"fields {', '.join(unknown) or '(none)'} are not record fields")
        if r["source"]:
            if r["source"] not in sources:
                raise r.error(f"source {r['source']!r} is not in sources.tsv (or is commented out there)")
            if not r["quote"]:
                raise r.error("a rule that cites a source needs the quote it rests on")
            if sources[r["source"]] == "reference-release" and not r["source_record"]:
                raise r.error("a quote from a reference release needs source_record",
                              "name the record (or file) of the release the quote comes from")
        elif r["source_record"]:
            raise r.error("source_record without a source", "name the source the record belongs to")
        elif not r["basis"]:
            raise r.error("a rule needs a source and quote, or a basis", "say what the rule rests on")
        rules.append(RecordRule(r, r["rule_id"], r["kind"], r["severity"], tuple(r.multi("fields")), r["message"],
                                r["source"], r["quote"], r["basis"], r["source_record"]))
    return rules




def emit_rules(g: Graph, paths: ProjectPaths) -> int:
    """Add every record rule to ``g`` as a cited ``netgraph:RecordRule`` individual; returns how many."""
    from .shapes import RULE_KINDS

    if not (paths.tables_dir / "record-rules.tsv").is_file():
        return 0  # a project without record rules (a test fixture, an extension) emits none
    ng = NETGRAPH
    n = 0
    for rule in read_rules(paths):
        if rule.kind not in RULE_KINDS:
            raise rule.row.error(f"unknown rule kind {rule.kind!r}", f"use one of {', '.join(sorted(RULE_KINDS))}")
        node = rule_iri(rule.id)
        g.add((node, RDF.type, OWL.NamedIndividual))
        g.add((node, RDF.type, URIRef(ng + "RecordRule")))
        g.add((node, RDFS.label, Literal(f"record rule {rule.id}", lang="en")))
        g.add((node, URIRef(ng + "ruleMessage"), Literal(rule.message, lang="en")))
        g.add((node, URIRef(ng + "ruleKind"), Literal(rule.kind)))
        g.add((node, URIRef(ng + "ruleSeverity"), Literal(rule.severity)))
        for f in rule.fields:
            g.add((node, URIRef(ng + "ruleField"), Literal(f)))
        if rule.source:
            g.add((node, URIRef(ng + "hasSource"), URIRef(SOURCE + rule.source)))
            g.add((node, URIRef(ng + "quote"), Literal(rule.quote)))
        if rule.record:
            g.add((node, URIRef(ng + "sourceRecord"), Literal(rule.record)))
        if rule.basis:
            g.add((node, URIRef(ng + "ruleBasis"), Literal(rule.basis, lang="en")))
        n += 1
    return n
