"""The grading tables: ``data/tables/grading_schemes.tsv`` and ``grading.tsv``, checked and emitted.

A grading scheme is data with its source: one row per scheme, one row per grade
rule (its grade, how its criteria combine, a range per proliferation index in
interval notation, the sites it covers, the source and the verbatim quote). The
build calls :func:`add_grading` after the instance data; every problem is a
:class:`~netgraph.errors.CurationError` naming the file and line, and nothing
is written.

Intervals: ``[3,20]`` includes both ends, ``(20,]`` is "greater than 20" with
no upper bound, ``[,3)`` is "less than 3" with no lower bound stated (the
index's own range, e.g. Ki-67 from 0 to 100, applies).

>>> parse_interval("[3,20]")
Interval(lower=Decimal('3'), lower_inclusive=True, upper=Decimal('20'), upper_inclusive=True)
>>> parse_interval("(20,]").contains(Decimal("20.1")), parse_interval("(20,]").contains(Decimal("20"))
(True, False)
>>> canonical_decimal(Decimal("3.0")), canonical_decimal(Decimal("20")), canonical_decimal(Decimal("0.50"))
('3', '20', '0.5')
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, XSD

from ..literals import canonical_decimal
from ..model import NG
from ..prefixes import prefix_map
from ..sourcetext import normalise_whitespace
from ..tables import Row, read_table

if TYPE_CHECKING:
    from ..build.records import CheckedProject

__all__ = ["SCHEME_COLUMNS", "SCHEME_OPTIONAL", "RULE_COLUMNS", "RULE_OPTIONAL", "INDEX_COLUMNS",
           "Interval", "parse_interval", "canonical_decimal", "decimal_literal", "add_grading"]

SCHEME_COLUMNS = ("id", "label_en", "definition")
SCHEME_OPTIONAL = ("conflict_resolution", "default", "source", "quote", "source_record", "comment")
RULE_COLUMNS = ("id", "scheme", "grade", "combine", "sites", "source", "quote")
RULE_OPTIONAL = ("ki67", "ki67_text", "mitoses", "mitoses_text", "applies_to", "source_record", "comment")
#: table column -> the core ontology's ProliferationIndex individual it constrains
INDEX_COLUMNS = {"ki67": "Ki67Index", "mitoses": "MitoticCount"}

_DEFINITION = URIRef(prefix_map()["IAO"] + "0000115")
_ID_RE = re.compile(r"^[A-Z][A-Za-z0-9]*$")
_NUMBER = r"\s*(-?\d+(?:\.\d+)?)?\s*"
_INTERVAL_RE = re.compile(r"^([\[(])" + _NUMBER + "," + _NUMBER + r"([\])])$")


@dataclass(frozen=True)
class Interval:
    """A range of index values; ``None`` bounds are unbounded (the source states none)."""

    lower: Decimal | None
    lower_inclusive: bool
    upper: Decimal | None
    upper_inclusive: bool

    def contains(self, value: Decimal) -> bool:
        if self.lower is not None and (value < self.lower or (value == self.lower and not self.lower_inclusive)):
            return False
        return not (self.upper is not None and (value > self.upper or (value == self.upper and not self.upper_inclusive)))


def parse_interval(text: str) -> Interval:
    """Parse ``[a,b]``, ``(a,b)``, ``[a,)``, ``(,b]`` …; ValueError when malformed or empty."""
    m = _INTERVAL_RE.match(text.strip())
    if not m:
        raise ValueError(f"{text!r} is not an interval such as [3,20], (20,] or [,3)")
    left, lo, hi, right = m.groups()
    lower = Decimal(lo) if lo is not None else None
    upper = Decimal(hi) if hi is not None else None
    if lower is None and upper is None:
        raise ValueError(f"{text!r} has neither a lower nor an upper bound")
    if lower is not None and upper is not None and (lower > upper or (lower == upper and (left, right) != ("[", "]"))):
        raise ValueError(f"{text!r} is empty (the lower bound is not below the upper bound)")
    return Interval(lower, left == "[" and lower is not None, upper, right == "]" and upper is not None)


def decimal_literal(value: Decimal) -> Literal:
    """An ``xsd:decimal`` literal in canonical form, so re-serialising it in any store does not change it."""
    return Literal(canonical_decimal(value), datatype=XSD.decimal)


def _individuals_of(compiler: CheckedProject, cls: str) -> set[str]:
    return compiler.core.qualifier_values(cls)


def _check_source(compiler: CheckedProject, r: Row) -> URIRef:
    source = compiler.source_ref(r, r["source"])
    if not normalise_whitespace(r["quote"]):
        raise r.error("quote is empty", "every grading row needs a verbatim quote from its source")
    if compiler.sources[r["source"]].kind == "reference-release" and not r["source_record"]:
        raise r.error("a quote from a reference release needs source_record (e.g. MONDO:0021535, grade_pathological_26086)")
    return source


def _cite(g: Graph, node: URIRef, source: URIRef, r: Row) -> None:
    g.add((node, NG.hasSource, source))
    g.add((node, NG.quote, Literal(normalise_whitespace(r["quote"]))))
    if r["source_record"]:
        g.add((node, NG.sourceRecord, Literal(r["source_record"])))


def _schemes(g: Graph, compiler: CheckedProject, rows: list[Row]) -> dict[str, Row]:
    resolutions = _individuals_of(compiler, "ConflictResolution")
    seen: dict[str, Row] = {}
    defaults = []
    for r in rows:
        sid = r["id"]
        if not _ID_RE.match(sid):
            raise r.error(f"scheme id {sid!r} is not a CamelCase local name")
        if sid in seen or sid in compiler.hierarchy or sid in compiler.entities or sid in compiler.core.individuals:
            raise r.error(f"scheme id {sid!r} is already used")
        seen[sid] = r
        node = NG[sid]
        g.add((node, RDF.type, OWL.NamedIndividual))
        g.add((node, RDF.type, NG.GradingScheme))
        g.add((node, RDFS.label, Literal(r["label_en"], lang="en")))
        g.add((node, _DEFINITION, Literal(r["definition"], lang="en")))
        if r["conflict_resolution"]:
            if r["conflict_resolution"] not in resolutions:
                raise r.error(f"conflict_resolution {r['conflict_resolution']!r} is not a ConflictResolution value",
                              f"use one of {', '.join(sorted(resolutions))}, or leave it empty when the source states none")
            if not r["source"]:
                raise r.error("a conflict_resolution needs the source and quote that state it")
            g.add((node, NG.resolvesConflictBy, NG[r["conflict_resolution"]]))
        if r["source"] or r["quote"]:
            _cite(g, node, _check_source(compiler, r), r)
        if r["default"] not in ("", "true"):
            raise r.error("default must be 'true' or empty")
        if r["default"]:
            defaults.append(r)
            g.add((node, NG.defaultScheme, Literal(True)))
        if r["comment"]:
            g.add((node, NG.curationNote, Literal(r["comment"], lang="en")))
    if len(defaults) > 1:
        raise defaults[1].error("more than one default grading scheme", f"line {defaults[0].line} is already the default")
    return seen


def _criteria(g: Graph, compiler: CheckedProject, r: Row, node: URIRef) -> int:
    quote = normalise_whitespace(r["quote"])
    count = 0
    for column, index in INDEX_COLUMNS.items():
        text = r[f"{column}_text"]
        if not r[column]:
            if text:
                raise r.error(f"{column}_text given without a {column} interval")
            continue
        try:
            interval = parse_interval(r[column])
        except ValueError as exc:
            raise r.error(f"column {column!r}: {exc}") from None
        if not text:
            raise r.error(f"column {column}_text is empty", "give the source's own words for the range")
        if normalise_whitespace(text) not in quote:
            raise r.error(f"{column}_text {text!r} is not in the quote", "the criterion's wording must be the source's")
        lo_min = compiler.core.graph.value(NG[index], NG.minimumValue)
        hi_max = compiler.core.graph.value(NG[index], NG.maximumValue)
        for bound in (interval.lower, interval.upper):
            if bound is None:
                continue
            if (lo_min is not None and bound < Decimal(str(lo_min))) or (hi_max is not None and bound > Decimal(str(hi_max))):
                raise r.error(f"column {column!r}: bound {bound} is outside the range of {index}")
        crit = URIRef(f"{node}{index}")
        g.add((node, NG.hasCriterion, crit))
        g.add((crit, RDF.type, OWL.NamedIndividual))
        g.add((crit, RDF.type, NG.GradingCriterion))
        g.add((crit, RDFS.label, Literal(f"{compiler.core.label(NG[index])} {text} ({r['id']})", lang="en")))
        g.add((crit, NG.onIndex, NG[index]))
        g.add((crit, NG.criterionText, Literal(normalise_whitespace(text))))
        if interval.lower is not None:
            g.add((crit, NG.lowerBound, decimal_literal(interval.lower)))
            g.add((crit, NG.lowerInclusive, Literal(interval.lower_inclusive)))
        if interval.upper is not None:
            g.add((crit, NG.upperBound, decimal_literal(interval.upper)))
            g.add((crit, NG.upperInclusive, Literal(interval.upper_inclusive)))
        count += 1
    return count


def _rules(g: Graph, compiler: CheckedProject, rows: list[Row], schemes: dict[str, Row]) -> int:
    grades = _individuals_of(compiler, "HistologicalGrade")
    combinations = _individuals_of(compiler, "CriteriaCombination")
    seen: dict[str, Row] = {}
    for r in rows:
        rid = r["id"]
        if not _ID_RE.match(rid):
            raise r.error(f"rule id {rid!r} is not a CamelCase local name")
        if rid in seen or rid in schemes or rid in compiler.hierarchy or rid in compiler.entities:
            raise r.error(f"rule id {rid!r} is already used")
        seen[rid] = r
        if r["scheme"] not in schemes:
            raise r.error(f"scheme {r['scheme']!r} is not a scheme of grading_schemes.tsv")
        if r["grade"] not in grades:
            raise r.error(f"grade {r['grade']!r} is not a HistologicalGrade value", f"use one of {', '.join(sorted(grades))}")
        if r["combine"] not in combinations:
            raise r.error(f"combine {r['combine']!r} is not a CriteriaCombination value",
                          f"use one of {', '.join(sorted(combinations))}")
        sites = r.multi("sites")
        if not sites:
            raise r.error("sites is empty", "name the AnatomicalSite entities whose tumours the rule grades")
        for s in sites:
            if s not in compiler.entities or not compiler.is_a(s, "AnatomicalSite"):
                raise r.error(f"site {s!r} is not an AnatomicalSite entity of entities.tsv")
        applies = r["applies_to"]
        if applies and (applies not in compiler.hierarchy or not compiler.is_a(applies, "NeuroendocrineNeoplasm")):
            raise r.error(f"applies_to {applies!r} is not a NeuroendocrineNeoplasm class")
        source = _check_source(compiler, r)
        node = NG[rid]
        g.add((node, RDF.type, OWL.NamedIndividual))
        g.add((node, RDF.type, NG.GradeRule))
        g.add((node, RDFS.label, Literal(
            f"{compiler.core.label(NG[r['grade']])} rule of {schemes[r['scheme']]['label_en']} ({rid})", lang="en")))
        g.add((node, NG.inScheme, NG[r["scheme"]]))
        g.add((NG[r["scheme"]], NG.hasRule, node))
        g.add((node, NG.assignsGrade, NG[r["grade"]]))
        g.add((node, NG.combinesCriteria, NG[r["combine"]]))
        for s in sites:
            g.add((node, NG.appliesToSite, NG[s]))
        if applies:
            g.add((node, NG.appliesToClass, NG[applies]))
        if not _criteria(g, compiler, r, node):
            raise r.error("the rule has no criterion", f"fill at least one of {', '.join(INDEX_COLUMNS)}")
        _cite(g, node, source, r)
        if r["comment"]:
            g.add((node, NG.curationNote, Literal(r["comment"], lang="en")))
    return len(seen)


def add_grading(g: Graph, compiler: CheckedProject, tables_dir: Path) -> Counter:
    """Check the grading tables and add their individuals to the instance data graph ``g``; returns counts.

    ``compiler`` is the build's checked project (:class:`netgraph.build.records.CheckedProject`).
    """
    schemes_path, rules_path = Path(tables_dir) / "grading_schemes.tsv", Path(tables_dir) / "grading.tsv"
    if not schemes_path.is_file() and not rules_path.is_file():
        return Counter()
    schemes = _schemes(g, compiler, read_table(schemes_path, SCHEME_COLUMNS, SCHEME_OPTIONAL))
    rules = _rules(g, compiler, read_table(rules_path, RULE_COLUMNS, RULE_OPTIONAL), schemes)
    return Counter({"grading schemes": len(schemes), "grade rules": rules})
