"""Writing a records report as the check goes: the findings of each chunk of records, then the summary.

`netgraph records check` writes each chunk's findings (sorted; a record's
findings are all in its chunk, and the chunks follow the rows) as soon as the
chunk is checked, and keeps only :class:`FindingCounts` for the summary, so its
memory does not grow with the findings. The output is byte for byte what
:meth:`RecordsReport.render` gives for the whole report (tests/test_records_stream.py):

- text and CSV: a line per finding as it comes, the summary (text) at the end;
- JSON: the counts come before the findings in the object, so the findings are
  spooled to a temporary file and copied after the counts at the end;
- Turtle: one SHACL validation report graph, serialised whole at the end (from
  the spooled findings: the graph is the one part held in memory).

The writer writes into a stream it is given; :func:`open_report` gives one that
leaves nothing half-written (a temporary renamed over the file at the end, see
:mod:`netgraph.atomic`; standard output and special files are written through).
"""

from __future__ import annotations

import csv
import json
import shutil
import sys
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import IO, Any, TextIO, cast

from .findings import CSV_HEADER, FindingCounts, RecordFinding, RecordsReport

__all__ = ["ReportWriter", "open_report", "FORMATS"]

FORMATS = ("text", "csv", "json", "turtle")
_JSON_INDENT = "    "  # a finding is an object in a list in the report object: two levels of indent=2


class ReportWriter:
    """Writes the findings of a records check to ``out`` in ``fmt``, chunk by chunk; holds counts only."""

    def __init__(self, out: TextIO, fmt: str, *, source: str, rules: int, engine: str):
        if fmt not in FORMATS:
            raise ValueError(f"unknown report format {fmt!r} (one of {', '.join(FORMATS)})")
        self.out, self.fmt = out, fmt
        self.source, self.rules, self.engine = source, rules, engine
        self.tally = FindingCounts()
        self._spool: IO[str] | None = None
        self._written = 0
        if fmt == "csv":
            self._csv = csv.writer(out, lineterminator="\n")
            self._csv.writerow(CSV_HEADER)
        elif fmt in ("json", "turtle"):
            self._spool = tempfile.TemporaryFile("w+", encoding="utf-8", newline="\n")  # noqa: SIM115 (closed by close())

    def write(self, findings: list[RecordFinding]) -> None:
        """Write the findings of one chunk of records (sorted by :meth:`RecordFinding.sort_key`)."""
        self.tally.add(findings)
        if self.fmt == "text":
            self.out.writelines(f.text_line(self.source) + "\n" for f in findings)
        elif self.fmt == "csv":
            self._csv.writerows(f.csv_row() for f in findings)
        elif self.fmt == "json":
            assert self._spool is not None
            for i, f in enumerate(findings, self._written):
                item = json.dumps(f.to_dict(), indent=2, ensure_ascii=False).replace("\n", "\n" + _JSON_INDENT)
                self._spool.write(("" if i == 0 else ",\n") + _JSON_INDENT + item)
        else:
            assert self._spool is not None
            self._spool.writelines(json.dumps(f.to_dict(), ensure_ascii=False) + "\n" for f in findings)
        self._written += len(findings)

    def close(self, records: int) -> FindingCounts:
        """Write what follows the findings (the summary; for JSON and Turtle, the report); the counts."""
        if self.fmt == "text":
            self.out.write(self.tally.summary(self.source, records, self.rules, self.engine) + "\n")
        elif self.fmt == "json":
            assert self._spool is not None
            head = json.dumps({**self.tally.json_head(self.source, records, self.engine), "findings": []},
                              indent=2, ensure_ascii=False)
            if self._written:
                self.out.write(head.removesuffix("[]\n}") + "[\n")
                self._spool.seek(0)
                shutil.copyfileobj(self._spool, self.out)
                self.out.write("\n  ]\n}\n")
            else:
                self.out.write(head + "\n")
        elif self.fmt == "turtle":
            assert self._spool is not None
            self._spool.seek(0)
            report = RecordsReport(self.source, records, list(_read_spool(self._spool)), self.rules, self.engine)
            self.out.write(report.to_turtle())
        if self._spool is not None:
            self._spool.close()
            self._spool = None
        return self.tally


def _read_spool(lines: Iterable[str]) -> Iterator[RecordFinding]:
    for line in lines:
        d: dict[str, Any] = json.loads(line)
        fields: dict[str, Any] = {k: tuple(v) if isinstance(v, list) else v for k, v in d.items()}
        yield RecordFinding(**fields)


@contextmanager
def open_report(output: str | None) -> Iterator[TextIO]:
    """The stream a report goes to: standard output for None or ``-``, else the file, written atomically."""
    if output is None or output == "-":
        yield sys.stdout
        sys.stdout.flush()
        return
    from ..atomic import open_atomic

    with open_atomic(output, "w", encoding="utf-8", newline="") as fh:
        yield cast(TextIO, fh)
