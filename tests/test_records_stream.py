"""A records report streamed chunk by chunk (issue 15): byte for byte the whole report, the findings of a chunk
let go once written (memory flat in the number of records), nothing half-written on an error."""

from __future__ import annotations

import gc
import io
import subprocess
import sys
from pathlib import Path

import pytest

from netgraph.records.check import check_records, stream_records_check
from netgraph.records.findings import RecordFinding
from netgraph.records.stream import FORMATS, ReportWriter

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
import records_corpus as corpus  # noqa: E402

CHUNK = 40


@pytest.fixture(scope="module")
def records(tmp_path_factory) -> Path:
    """150 generated records, 60 % with an error, and rows that are not records among them (a malformed row,
    a repeated and a missing id) inside chunks, at a chunk boundary and after the last record."""
    path = tmp_path_factory.mktemp("stream") / "r.csv"
    corpus.write_corpus(path, 150, error_rate=0.6)
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    width = lines[0].count(",")
    first_id = lines[1].split(",", 1)[0]
    bad = {5: "x," * (width + 2) + "\n", 41: f"{first_id}," + "," * (width - 1) + "\n", 90: ",insulinoma" + "," * (width - 1) + "\n"}
    out = []
    for i, line in enumerate(lines):
        out.append(line)
        if i in bad:
            out.append(bad[i])
    out.append(",insulinoma" + "," * (width - 1) + "\n")  # a missing id after the last record
    path.write_text("".join(out), encoding="utf-8")
    return path


def _streamed(path: Path, fmt: str, **kw) -> str:
    report, chunks = stream_records_check(str(path), root=ROOT, **kw)
    out = io.StringIO()
    writer = ReportWriter(out, fmt, source=report.source, rules=report.rules, engine=report.engine)
    for found in chunks:
        writer.write(found)
    writer.close(report.records)
    return out.getvalue()


@pytest.fixture(scope="module")
def whole(records) -> dict[str, str]:
    """The report as it was written before streaming: every finding of one store, sorted, rendered at once."""
    report = check_records(str(records), root=ROOT, chunk_size=1_000_000, workers=1)
    assert report.records == 150 and {f.rule for f in report.findings} >= {"input-malformed-row",
                                                                        "input-duplicate-record-id",
                                                                        "input-missing-record-id"}
    return {fmt: report.render(fmt) for fmt in FORMATS}


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_streamed_report_is_the_whole_report_byte_for_byte(records, whole, fmt):
    # four chunks, checked in two forked worker processes while the next chunk is read
    assert _streamed(records, fmt, chunk_size=CHUNK, workers=2) == whole[fmt]


def test_where_processes_cannot_fork_the_chunks_are_checked_in_one(records, whole, monkeypatch):
    # as on Windows: asking for two workers gives one process, and the same report
    import multiprocessing

    from netgraph.records import engine

    monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    monkeypatch.setattr(engine, "_fork_pool", None)  # a pool would fail: it must not be asked for
    assert engine.default_workers() == 1
    assert _streamed(records, "csv", chunk_size=CHUNK, workers=2) == whole["csv"]


def test_the_streamed_report_of_no_findings(tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_text(",".join(corpus.HEADER) + "\n", encoding="utf-8")
    report = check_records(str(empty), root=ROOT)
    assert report.records == 0 and not report.findings
    for fmt in ("text", "json"):  # JSON: an empty list of findings, written without the spool
        assert _streamed(empty, fmt) == report.render(fmt)


def _live_findings() -> int:
    gc.collect()
    return sum(1 for o in gc.get_objects() if isinstance(o, RecordFinding))


def test_findings_are_let_go_once_their_chunk_is_written(records):
    """The writer keeps counts, not findings, and the check hands each chunk on and lets it go (four chunks
    of records, then the row after the last record that is not one): the
    findings alive never exceed those of about one chunk, while the report holds every one."""
    before = _live_findings()
    report, chunks = stream_records_check(str(records), root=ROOT, chunk_size=CHUNK, workers=1)
    writer = ReportWriter(io.StringIO(), "json", source=report.source, rules=report.rules, engine=report.engine)
    sizes, live = [], []
    for found in chunks:
        sizes.append(len(found))
        writer.write(found)
        del found
        live.append(_live_findings() - before)
        assert not [v for v in vars(writer).values() if isinstance(v, (list, dict, set, tuple)) and v]
    counts = writer.close(report.records)
    assert len(sizes) == 5 and sum(sizes) == sum(counts.by_rule.values()) > 2 * max(sizes)
    assert max(live) <= max(sizes) + 5  # the chunk being handed on, not the report
    assert _live_findings() - before <= 5


def test_the_cli_streams_into_the_output_file_and_leaves_nothing_half_written(records, whole, tmp_path):
    out = tmp_path / "report.txt"
    r = subprocess.run([sys.executable, "-m", "netgraph", "records", "check", str(records), "-o", str(out)],
                       capture_output=True, text=True)
    assert r.returncode == 1, r.stderr
    assert out.read_text(encoding="utf-8") == whole["text"]
    # an unterminated quote far into the file: bad input (exit 2) after findings were written; the old report
    # is left as it was and no temporary remains
    broken = tmp_path / "broken.csv"
    broken.write_text(records.read_text(encoding="utf-8") + 'Z-1,"insulinoma\n', encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "netgraph", "records", "check", str(broken), "-o", str(out)],
                       capture_output=True, text=True)
    assert r.returncode == 2 and "unterminated quote" in r.stderr and "Traceback" not in r.stderr
    assert out.read_text(encoding="utf-8") == whole["text"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken.csv", "report.txt"]
