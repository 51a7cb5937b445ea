"""What a record check reports: one finding per record and rule, and the summary."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

__all__ = ["RecordFinding", "RecordsReport", "FindingCounts", "SEVERITY_ORDER", "CSV_HEADER"]

SEVERITY_ORDER = ("Violation", "Warning", "Info")


@dataclass(frozen=True, slots=True)
class RecordFinding:
    """One rule broken by one record: where, what, what was expected, and what the rule rests on.

    Only the fields the rule is about are shown (privacy: a finding never carries
    the rest of the record).
    """

    record_id: str
    row: int
    rule: str
    severity: str
    fields: tuple[str, ...]
    values: tuple[str, ...]
    message: str
    source: str = ""
    quote: str = ""
    basis: str = ""
    about: tuple[str, ...] = ()

    def sort_key(self) -> tuple:
        return (self.row, self.record_id, SEVERITY_ORDER.index(self.severity), self.rule, self.message)

    def citation(self) -> str:
        if self.source:
            return f"{self.source}: \u201c{self.quote}\u201d"
        about = f"; see {', '.join(self.about)}" if self.about else ""
        return f"{self.basis}{about}"

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["fields"], d["values"], d["about"] = list(self.fields), list(self.values), list(self.about)
        return d

    def text_line(self, source: str) -> str:
        """The finding as one line of the text report (without the newline)."""
        shown = "; ".join(f"{k}={v!r}" for k, v in zip(self.fields, self.values, strict=False) if v) or "-"
        return (f"{source}:{self.row}: record {self.record_id}: {self.severity} {self.rule}: {self.message} "
                f"[{shown}] (rests on {self.citation()})")

    def csv_row(self) -> list[Any]:
        """The finding as a row of the CSV report (columns :data:`CSV_HEADER`)."""
        return [self.row, self.record_id, self.severity, self.rule, "|".join(self.fields), "|".join(self.values),
                self.message, self.source, self.quote, self.basis, "|".join(self.about)]


CSV_HEADER = ["row", "record_id", "severity", "rule", "fields", "values", "message", "source", "quote", "basis", "about"]


@dataclass
class FindingCounts:
    """What the summary and the exit code need of the findings: counts only, so a streamed report keeps no
    finding. :meth:`add` takes the findings of one chunk of records (a record's findings all in one chunk)."""

    by_rule: Counter = field(default_factory=Counter)
    records_with_findings: int = 0

    def add(self, findings: list[RecordFinding]) -> None:
        self.by_rule.update((f.severity, f.rule) for f in findings)
        self.records_with_findings += len({(f.row, f.record_id) for f in findings})

    @property
    def counts(self) -> Counter:
        out: Counter = Counter()
        for (severity, _), n in self.by_rule.items():
            out[severity] += n
        return out

    def exit_code(self, fail_on: str = "violation") -> int:
        """0 clean, 1 findings at or above ``fail_on`` ("violation" or "warning")."""
        levels = SEVERITY_ORDER[: SEVERITY_ORDER.index(fail_on.capitalize()) + 1]
        return 1 if any(self.counts[s] for s in levels) else 0

    def summary(self, source: str, records: int, rules: int, engine: str) -> str:
        c = self.counts
        lines = [f"{source}: {records} records checked with {rules} shapes ({engine}); "
                 f"{c['Violation']} violations, {c['Warning']} warnings, {c['Info']} infos in "
                 f"{self.records_with_findings} records"]
        for (severity, rule), n in sorted(self.by_rule.items(), key=lambda kv: (-kv[1], kv[0])):
            lines.append(f"  {n:>8}  {severity:<9} {rule}")
        return "\n".join(lines)

    def json_head(self, source: str, records: int, engine: str) -> dict[str, Any]:
        """The report's JSON object before its findings."""
        return {"source": source, "records": records, "engine": engine,
                "counts": {k: self.counts[k] for k in SEVERITY_ORDER},
                "by_rule": [{"severity": s, "rule": r, "findings": n} for (s, r), n in sorted(self.by_rule.items())]}


@dataclass
class RecordsReport:
    """The findings of one check, with counts."""

    source: str
    records: int = 0
    findings: list[RecordFinding] = field(default_factory=list)
    rules: int = 0
    engine: str = "pyshacl"

    def sort(self) -> None:
        self.findings.sort(key=RecordFinding.sort_key)

    def tally(self) -> FindingCounts:
        counts = FindingCounts()
        counts.add(self.findings)
        return counts

    @property
    def by_rule(self) -> Counter:
        return self.tally().by_rule

    @property
    def counts(self) -> Counter:
        return self.tally().counts

    def exit_code(self, fail_on: str = "violation") -> int:
        """0 clean, 1 findings at or above ``fail_on`` ("violation" or "warning")."""
        return self.tally().exit_code(fail_on)

    def records_with_findings(self) -> int:
        return len({(f.row, f.record_id) for f in self.findings})

    def summary(self) -> str:
        return self.tally().summary(self.source, self.records, self.rules, self.engine)

    # -- formats -----------------------------------------------------------------------------

    def to_text(self) -> str:
        return "\n".join([f.text_line(self.source) for f in self.findings] + [self.summary()]) + "\n"

    def to_csv(self, delimiter: str = ",") -> str:
        buf = io.StringIO()
        w = csv.writer(buf, delimiter=delimiter, lineterminator="\n")
        w.writerow(CSV_HEADER)
        w.writerows(f.csv_row() for f in self.findings)
        return buf.getvalue()

    def to_json(self) -> str:
        return json.dumps({**self.tally().json_head(self.source, self.records, self.engine),
                           "findings": [f.to_dict() for f in self.findings]}, indent=2, ensure_ascii=False) + "\n"

    def to_turtle(self) -> str:
        """A SHACL validation report (record IRIs as focus nodes)."""
        import pyoxigraph as ox

        from ..memgraph import MemoryGraph
        from ..prefixes import expand
        from ..turtle import to_turtle
        from ..vocab import NG, RDF, SH
        from .convert import record_iri
        from .ruletable import rule_iri

        g = MemoryGraph()
        report = ox.NamedNode(expand("ngshape:records-report"))
        g.add((report, RDF.type, SH.ValidationReport))
        g.add((report, SH.conforms, ox.Literal(not any(f.severity == "Violation" for f in self.findings))))
        for i, f in enumerate(self.findings):
            r = ox.NamedNode(f"{report.value}/result-{i + 1}")
            g.add((report, SH.result, r))
            g.add((r, RDF.type, SH.ValidationResult))
            g.add((r, SH.focusNode, ox.NamedNode(record_iri(f.record_id))))
            g.add((r, SH.resultSeverity, SH[f.severity]))
            g.add((r, SH.resultMessage, ox.Literal(f.message, language="en")))
            g.add((r, SH.sourceShape, ox.NamedNode(expand("ngshape:record-" + f.rule))))
            g.add((r, NG.violatesRule, rule_iri(f.rule)))
            g.add((r, NG.sourceRow, ox.Literal(f.row)))
            for v in f.values:
                if v:
                    g.add((r, SH.value, ox.Literal(v)))
        return to_turtle(g, ["netgraph records check: SHACL validation report"]).decode("utf-8")

    def render(self, fmt: str) -> str:
        return {"text": self.to_text, "csv": self.to_csv, "json": self.to_json, "turtle": self.to_turtle}[fmt]()

    def to_dataframe(self) -> Any:
        """The findings as a pandas DataFrame (needs pandas)."""
        import pandas as pd

        return pd.DataFrame([f.to_dict() for f in self.findings],
                            columns=["record_id", "row", "rule", "severity", "fields", "values", "message",
                                     "source", "quote", "basis", "about"])
