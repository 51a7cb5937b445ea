"""Repeated record ids found in bounded memory: past a limit the seen ids go to an SQLite file on disk."""

from __future__ import annotations

from pathlib import Path

from netgraph.records import reader
from netgraph.records.reader import InputProblem, read_records, rows_from_mappings
from netgraph.records.seenids import SeenIds


def test_ids_past_the_limit_go_to_disk_and_are_still_found():
    with SeenIds(in_memory=3) as seen:
        for row, rid in enumerate(["a", "b", "c", "d", "e"], start=2):
            assert seen.first_row(rid) is None
            seen.add(rid, row)
        assert seen.on_disk  # a, b, c went to disk at the third; d, e are in memory
        assert [seen.first_row(r) for r in "abcde"] == [2, 3, 4, 5, 6]
        assert seen.first_row("z") is None
        folder = Path(seen._dir or "")
        assert folder.is_dir()
    assert not folder.exists()  # removed on close


def _problems_reading(path: Path, limit: int, monkeypatch) -> list[InputProblem]:
    monkeypatch.setattr(reader, "SeenIds", lambda: SeenIds(in_memory=limit))
    problems: list[InputProblem] = []
    ids = [r.record_id for r in read_records(path, problems=problems)]
    assert len(ids) == len(set(ids))
    return problems


def test_a_repeat_is_reported_with_its_first_row_whether_the_id_is_on_disk_or_in_memory(tmp_path, monkeypatch):
    path = tmp_path / "r.csv"
    ids = [f"R{i}" for i in range(10)] + ["R1", "R8", "R9"]  # R1 went to disk early; R8, R9 are recent
    path.write_text("record_id,diagnosis\n" + "".join(f"{rid},insulinoma\n" for rid in ids), encoding="utf-8")
    in_memory = _problems_reading(path, 1_000, monkeypatch)
    spilled = _problems_reading(path, 4, monkeypatch)
    assert spilled == in_memory
    assert [(p.row, p.message) for p in spilled] == [
        (12, "record id 'R1' is used again (first on line 3)"),
        (13, "record id 'R8' is used again (first on line 10)"),
        (14, "record id 'R9' is used again (first on line 11)"),
    ]


def test_records_from_mappings_find_repeats_past_the_limit_too(monkeypatch):
    monkeypatch.setattr(reader, "SeenIds", lambda: SeenIds(in_memory=2))
    problems: list[InputProblem] = []
    rows = [{"record_id": rid, "diagnosis": "insulinoma"} for rid in ["A", "B", "C", "D", "A"]]
    assert [r.record_id for r in rows_from_mappings(rows, problems=problems)] == ["A", "B", "C", "D"]
    assert [(p.row, p.message) for p in problems] == [(5, "record id 'A' is used again (first in record 1)")]
