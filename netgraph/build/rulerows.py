"""Stage 1 for the rule tables: grading schemes, grade rules and record rules, checked into immutable records.

Called by :func:`netgraph.build.rows.check_project` once the sources, classes and
entities are checked (the rules refer to them). As for every other table, each
row is checked on its own and every problem is collected (file and line); a
scheme or rule whose id is malformed or taken is left out of the records, so a
typo in one id does not hide the other problems. Emission is
:mod:`netgraph.build.emit`'s.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING

from ..grading.table import (INDEX_COLUMNS, RULE_COLUMNS, RULE_OPTIONAL, SCHEME_COLUMNS, SCHEME_OPTIONAL,
                             parse_interval)
from ..vocab import NG
from ..records.fields import FIELD_BY_NAME
from ..records.ruletable import RULE_COLUMNS as RECORD_RULE_COLUMNS
from ..records.ruletable import RULE_OPTIONAL as RECORD_RULE_OPTIONAL
from ..records.ruletable import SEVERITIES as RECORD_RULE_SEVERITIES
from ..records.ruletable import RecordRule
from ..sourcetext import normalise_whitespace
from ..tables import Row, read_table
from .columns import ID_RE
from .records import CheckedProject, Citation, CriterionRecord, GradeRuleRecord, GradingSchemeRecord

if TYPE_CHECKING:
    from .rows import _Problems

__all__ = ["check_grading", "check_record_rule", "check_record_rules"]

def _citation(pj: CheckedProject, r: Row) -> Citation:
    pj.source_ref(r, r["source"])
    quote = normalise_whitespace(r["quote"])
    if not quote:
        raise r.error("quote is empty", "every grading row needs a verbatim quote from its source")
    if pj.sources[r["source"]].kind == "reference-release" and not r["source_record"]:
        raise r.error("a quote from a reference release needs source_record (e.g. MONDO:0021535, grade_pathological_26086)")
    return Citation(r["source"], quote, r["source_record"])


def _taken(pj: CheckedProject, ident: str) -> bool:
    return ident in pj.hierarchy or ident in pj.entities


class _Grading:
    """The checks of ``grading_schemes.tsv`` and ``grading.tsv`` against a checked project."""

    def __init__(self, pj: CheckedProject, problems: _Problems) -> None:
        self.pj = pj
        self.problems = problems
        self.resolutions = pj.core.qualifier_values("ConflictResolution")
        self.grades = pj.core.qualifier_values("HistologicalGrade")
        self.combinations = pj.core.qualifier_values("CriteriaCombination")

    def scheme_rows(self, rows: list[Row]) -> list[Row]:
        """The scheme rows whose id is well-formed and not taken (the ids grade rules may name)."""
        seen: dict[str, Row] = {}

        def scheme_id(r: Row) -> Row:
            sid = r["id"]
            if not ID_RE.match(sid):
                raise r.error(f"scheme id {sid!r} is not a CamelCase local name")
            if sid in seen or _taken(self.pj, sid) or sid in self.pj.core.individuals:
                raise r.error(f"scheme id {sid!r} is already used")
            seen[sid] = r
            return r

        return self.problems.each(rows, scheme_id)

    def schemes(self, rows: list[Row]) -> list[GradingSchemeRecord]:
        records = self.problems.each(rows, self.scheme)
        defaults = [s.row for s in records if s.default]
        if len(defaults) > 1:
            self.problems.found.append(defaults[1].error("more than one default grading scheme",
                                                         f"line {defaults[0].line} is already the default"))
        return records

    def scheme(self, r: Row) -> GradingSchemeRecord:
        if r["conflict_resolution"]:
            if r["conflict_resolution"] not in self.resolutions:
                raise r.error(f"conflict_resolution {r['conflict_resolution']!r} is not a ConflictResolution value",
                              f"use one of {', '.join(sorted(self.resolutions))}, or leave it empty when the source "
                              "states none")
            if not r["source"]:
                raise r.error("a conflict_resolution needs the source and quote that state it")
        citation = _citation(self.pj, r) if r["source"] or r["quote"] else None
        if r["default"] not in ("", "true"):
            raise r.error("default must be 'true' or empty")
        return GradingSchemeRecord(r, r["id"], r["label_en"], r["definition"], r["conflict_resolution"],
                                   r["default"] == "true", citation, r["comment"])

    def rules(self, rows: list[Row], schemes: set[str]) -> list[GradeRuleRecord]:
        seen: dict[str, Row] = {}

        def rule_id(r: Row) -> Row:
            rid = r["id"]
            if not ID_RE.match(rid):
                raise r.error(f"rule id {rid!r} is not a CamelCase local name")
            if rid in seen or rid in schemes or _taken(self.pj, rid):
                raise r.error(f"rule id {rid!r} is already used")
            seen[rid] = r
            return r

        return self.problems.each(self.problems.each(rows, rule_id), lambda r: self.rule(r, schemes))

    def rule(self, r: Row, schemes: set[str]) -> GradeRuleRecord:
        pj = self.pj
        if r["scheme"] not in schemes:
            raise r.error(f"scheme {r['scheme']!r} is not a scheme of grading_schemes.tsv")
        if r["grade"] not in self.grades:
            raise r.error(f"grade {r['grade']!r} is not a HistologicalGrade value",
                          f"use one of {', '.join(sorted(self.grades))}")
        if r["combine"] not in self.combinations:
            raise r.error(f"combine {r['combine']!r} is not a CriteriaCombination value",
                          f"use one of {', '.join(sorted(self.combinations))}")
        sites = r.multi("sites")
        if not sites:
            raise r.error("sites is empty", "name the AnatomicalSite entities whose tumours the rule grades")
        for s in sites:
            if s not in pj.entities or not pj.is_a(s, "AnatomicalSite"):
                raise r.error(f"site {s!r} is not an AnatomicalSite entity of entities.tsv")
        applies = r["applies_to"]
        if applies and (applies not in pj.hierarchy or not pj.is_a(applies, "NeuroendocrineNeoplasm")):
            raise r.error(f"applies_to {applies!r} is not a NeuroendocrineNeoplasm class")
        citation = _citation(pj, r)
        criteria = self.criteria(r, citation.quote)
        if not criteria:
            raise r.error("the rule has no criterion", f"fill at least one of {', '.join(INDEX_COLUMNS)}")
        return GradeRuleRecord(r, r["id"], r["scheme"], r["grade"], r["combine"], tuple(sites), applies,
                               criteria, citation, r["comment"])

    def criteria(self, r: Row, quote: str) -> tuple[CriterionRecord, ...]:
        out: list[CriterionRecord] = []
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
            lo_min = self.pj.core.graph.value(NG[index], NG.minimumValue)
            hi_max = self.pj.core.graph.value(NG[index], NG.maximumValue)
            for bound in (interval.lower, interval.upper):
                if bound is None:
                    continue
                if ((lo_min is not None and bound < Decimal(lo_min.value))
                        or (hi_max is not None and bound > Decimal(hi_max.value))):
                    raise r.error(f"column {column!r}: bound {bound} is outside the range of {index}")
            out.append(CriterionRecord(index, interval, normalise_whitespace(text)))
        return tuple(out)


def check_grading(pj: CheckedProject, problems: _Problems
                  ) -> tuple[tuple[GradingSchemeRecord, ...], tuple[GradeRuleRecord, ...]]:
    """The checked grading schemes and grade rules (none when the project has neither table)."""
    t = pj.paths.tables_dir
    schemes_path, rules_path = t / "grading_schemes.tsv", t / "grading.tsv"
    if not schemes_path.is_file() and not rules_path.is_file():
        return (), ()
    grading = _Grading(pj, problems)
    scheme_rows = grading.scheme_rows(read_table(schemes_path, SCHEME_COLUMNS, SCHEME_OPTIONAL))
    schemes = grading.schemes(scheme_rows)
    rules = grading.rules(read_table(rules_path, RULE_COLUMNS, RULE_OPTIONAL), {r["id"] for r in scheme_rows})
    return tuple(schemes), tuple(rules)


def check_new_rule_id(r: Row, seen: dict[str, Row]) -> None:
    """A ``record-rules.tsv`` row's id is not one ``seen`` before; it is added to ``seen``."""
    if r["rule_id"] in seen:
        raise r.error(f"duplicate rule_id {r['rule_id']!r}", f"first defined on line {seen[r['rule_id']].line}")
    seen[r["rule_id"]] = r


def check_record_rule(r: Row, source_kinds: Mapping[str, str]) -> RecordRule:
    """One row of ``record-rules.tsv`` checked (``source_kinds``: source id -> kind, of sources.tsv)."""
    from ..records.shapes import RULE_KINDS

    if r["severity"] not in RECORD_RULE_SEVERITIES:
        raise r.error(f"severity {r['severity']!r} is not one of {', '.join(RECORD_RULE_SEVERITIES)}")
    unknown = [f for f in r.multi("fields") if f not in FIELD_BY_NAME]
    if unknown or not r.multi("fields"):
        raise r.error(f"fields {', '.join(unknown) or '(none)'} are not record fields")
    if r["source"]:
        if r["source"] not in source_kinds:
            raise r.error(f"source {r['source']!r} is not in sources.tsv (or is commented out there)")
        if not r["quote"]:
            raise r.error("a rule that cites a source needs the quote it rests on")
        if source_kinds[r["source"]] == "reference-release" and not r["source_record"]:
            raise r.error("a quote from a reference release needs source_record",
                          "name the record (or file) of the release the quote comes from")
    elif r["source_record"]:
        raise r.error("source_record without a source", "name the source the record belongs to")
    elif not r["basis"]:
        raise r.error("a rule needs a source and quote, or a basis", "say what the rule rests on")
    if r["kind"] not in RULE_KINDS:
        raise r.error(f"unknown rule kind {r['kind']!r}", f"use one of {', '.join(sorted(RULE_KINDS))}")
    return RecordRule(r, r["rule_id"], r["kind"], r["severity"], tuple(r.multi("fields")), r["message"],
                      r["source"], r["quote"], r["basis"], r["source_record"])


def check_record_rules(pj: CheckedProject, problems: _Problems) -> tuple[RecordRule, ...]:
    """The checked record rules of ``record-rules.tsv`` (none when the project has no such table)."""
    path = pj.paths.tables_dir / "record-rules.tsv"
    if not path.is_file():
        return ()  # a project without record rules (a test fixture, an extension) emits none
    source_kinds = {sid: s.kind for sid, s in pj.sources.items()}
    seen: dict[str, Row] = {}

    def one(r: Row) -> RecordRule:
        check_new_rule_id(r, seen)
        return check_record_rule(r, source_kinds)

    return tuple(problems.each(read_table(path, RECORD_RULE_COLUMNS, RECORD_RULE_OPTIONAL), one))
