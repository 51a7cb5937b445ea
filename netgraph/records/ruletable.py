"""The record rules table, ``data/tables/record-rules.tsv``: its columns and rows, read and checked.

Each rule is one row (id, kind, severity, fields, message, and the source and
quote it rests on, or its basis). The build emits every rule as a
``netgraph:RecordRule`` individual of the instance data, with its source and
quote, so the graph says what each record check rests on and the quote is
verified like every other quote; :mod:`netgraph.records.shapes` turns the rules
into SHACL shapes.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from ..paths import ProjectPaths
from ..prefixes import prefix_map
from ..tables import Row, read_table

__all__ = ["RecordRule", "read_rules", "rule_iri", "RULE_COLUMNS", "RULE_OPTIONAL", "SEVERITIES"]

RULE_COLUMNS = ("rule_id", "kind", "severity", "fields", "message")
RULE_OPTIONAL = ("source", "quote", "basis", "source_record", "comment")
SEVERITIES = ("Violation", "Warning", "Info")


def rule_iri(rule_id: str) -> ox.NamedNode:
    return ox.NamedNode(prefix_map()["ngshape"] + "rule-" + rule_id)


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
    """The rule table, checked row by row as the build checks it (:func:`netgraph.build.rulerows.check_record_rule`).

    The first bad row raises its :class:`~netgraph.errors.TableError`; ``netgraph build`` reports every one.
    """
    from ..build.rulerows import check_new_rule_id, check_record_rule

    sources = {r["source_id"]: r["kind"] for r in read_table(paths.tables_dir / "sources.tsv", ("source_id",), None)}
    rules: list[RecordRule] = []
    seen: dict[str, Row] = {}
    for r in read_table(paths.tables_dir / "record-rules.tsv", RULE_COLUMNS, RULE_OPTIONAL):
        check_new_rule_id(r, seen)
        rules.append(check_record_rule(r, sources))
    return rules
