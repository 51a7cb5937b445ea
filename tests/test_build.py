"""The build: deterministic, atomic, checked, with clear errors (issue 2)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from netgraph.build import build, compile_project
from netgraph.errors import CurationError, StaleFileError
from netgraph.turtle import to_turtle

ROOT = Path(__file__).resolve().parents[1]


def copy_inputs(dest: Path) -> Path:
    """A scratch project tree with the curated inputs only (no emitted files)."""
    (dest / "ontology").mkdir(parents=True)
    shutil.copy(ROOT / "ontology" / "netgraph-edit.ttl", dest / "ontology")
    shutil.copytree(ROOT / "data" / "tables", dest / "data" / "tables")
    shutil.copytree(ROOT / "data" / "mappings", dest / "data" / "mappings")
    shutil.copytree(ROOT / "data" / "sources", dest / "data" / "sources")  # vendored texts (sources.tsv repo_path)
    return dest


@pytest.fixture()
def scratch(tmp_path):
    return copy_inputs(tmp_path / "project")


def emitted_bytes(root: Path) -> dict[str, bytes]:
    result = compile_project(root)
    return {p.relative_to(root).as_posix(): data for p, data in result.files.items()}


def test_committed_emitted_files_are_fresh(paths):
    """CI's staleness check: the committed Turtle equals a fresh build."""
    build(paths.root, check=True)


def test_two_builds_are_byte_identical(scratch):
    build(scratch)
    first = {p: p.read_bytes() for p in (scratch / "ontology").glob("*.ttl")} | {
        p: p.read_bytes() for p in (scratch / "data").glob("*.ttl")}
    result = build(scratch)
    assert result.written == [], "a second build must find nothing to change"
    second = {p: p.read_bytes() for p in first}
    assert first == second
    assert len(first) == 4  # edit file + the three emitted files


def test_build_on_another_day_and_hash_seed_is_identical(scratch, tmp_path):
    """Another process, another PYTHONHASHSEED, another time zone, a clock 400 days ahead: same bytes."""
    build(scratch)
    expected = emitted_bytes(scratch)
    shim = tmp_path / "shim"
    shim.mkdir()
    (shim / "sitecustomize.py").write_text(
        "import time\n_t = time.time\n_ns = time.time_ns\n"
        "time.time = lambda: _t() + 400 * 86400\ntime.time_ns = lambda: _ns() + 400 * 86400 * 10**9\n"
    )
    other = copy_inputs(tmp_path / "other")
    env = dict(os.environ, PYTHONHASHSEED="12345", TZ="Pacific/Kiritimati",
               PYTHONPATH=os.pathsep.join([str(shim), str(ROOT)]))
    subprocess.run([sys.executable, "-m", "netgraph", "build", "--root", str(other), "-q"], check=True, env=env)
    for rel, data in expected.items():
        assert (other / rel).read_bytes() == data, rel


def test_check_names_a_hand_edited_file(scratch):
    build(scratch)
    target = scratch / "data" / "netgraph-data.ttl"
    target.write_bytes(target.read_bytes() + b"\n# hand edit\n")
    with pytest.raises(StaleFileError) as info:
        build(scratch, check=True)
    assert str(target) in str(info.value)
    assert info.value.exit_code == 1


def test_check_fails_when_an_emitted_file_is_missing(scratch):
    build(scratch)
    (scratch / "data" / "netgraph-mappings.ttl").unlink()
    with pytest.raises(StaleFileError, match=r"netgraph-mappings.ttl"):
        build(scratch, check=True)


def _corrupt(path: Path, line_no: int, column: str, value: str) -> None:
    lines = path.read_text(encoding="utf-8").split("\n")
    header_idx = next(i for i, line in enumerate(lines) if line and not line.startswith("#"))
    header = lines[header_idx].split("\t")
    cells = lines[line_no - 1].split("\t")
    cells += [""] * (len(header) - len(cells))
    cells[header.index(column)] = value
    lines[line_no - 1] = "\t".join(cells)
    path.write_text("\n".join(lines), encoding="utf-8")


def _first_data_line(path: Path) -> int:
    lines = path.read_text(encoding="utf-8").split("\n")
    seen_header = False
    for i, line in enumerate(lines, start=1):
        if not line.strip() or line.startswith("#"):
            continue
        if seen_header:
            return i
        seen_header = True
    raise AssertionError(f"{path} has no data row")


@pytest.mark.parametrize(
    "table, column, value, message",
    [
        ("classes.tsv", "parents", "NoSuchClass", "parent 'NoSuchClass'"),
        ("classes.tsv", "definition", "", "has no definition"),
        ("entities.tsv", "type", "Banana", "type 'Banana'"),
        ("associations.tsv", "kind", "cures_everything", "unknown association kind"),
        ("associations.tsv", "frequency", "Always", "not a controlled value"),
        ("associations.tsv", "source", "no-such-source", "not in sources.tsv"),
        ("associations.tsv", "quote", "", "quote is empty"),
        ("associations.tsv", "value", "thirty", "not a decimal"),
        ("sources.tsv", "sha256", "abc", "sha256"),
    ],
)
def test_malformed_row_names_file_and_line_and_writes_nothing(scratch, table, column, value, message):
    build(scratch)
    before = {p: p.read_bytes() for p in compile_project(scratch).files}
    path = scratch / "data" / "tables" / table
    line = _first_data_line(path)
    _corrupt(path, line, column, value)
    with pytest.raises(CurationError) as info:
        build(scratch)
    assert info.value.path == str(path)
    assert info.value.line == line
    assert message in str(info.value)
    assert f"{path}:{line}:" in str(info.value)
    assert {p: p.read_bytes() for p in before} == before


def test_wrong_subject_class_is_rejected(scratch):
    path = scratch / "data" / "tables" / "associations.tsv"
    text = path.read_text(encoding="utf-8").split("\n")
    header = text[0].split("\t")
    row = dict.fromkeys(header, "")
    row.update(kind="produces", subject="Insulin", object="Insulin", source="nhs-net", quote="hormones")
    text.insert(1, "\t".join(row[h] for h in header))
    path.write_text("\n".join(text), encoding="utf-8")
    with pytest.raises(CurationError, match=r"associations.tsv:2: subject 'Insulin' does not fit kind 'produces'"):
        compile_project(scratch)


def test_missing_table_and_bad_header_are_clear(scratch):
    (scratch / "data" / "tables" / "entities.tsv").unlink()
    with pytest.raises(CurationError, match=r"entities.tsv: table not found"):
        compile_project(scratch)


def test_too_many_cells_is_reported(tmp_path):
    from netgraph.tables import read_table

    p = tmp_path / "t.tsv"
    p.write_text("a\tb\n1\t2\t3\n", encoding="utf-8")
    with pytest.raises(CurationError, match=r"t.tsv:2: 3 cells but the header has 2 columns"):
        read_table(p, ["a", "b"])


def test_canonical_turtle_does_not_depend_on_blank_node_ids_or_insertion_order():
    import pyoxigraph as ox

    from netgraph.memgraph import MemoryGraph
    from netgraph.vocab import NG, OWL, RDF, RDFS

    def graph(order):
        g = MemoryGraph()
        for value in order:
            b = ox.BlankNode()
            g.update([(NG.X, RDFS.subClassOf, b), (b, RDF.type, OWL.Restriction), (b, OWL.hasValue, NG[value])])
        g.add((NG.X, RDFS.label, ox.Literal('quote " and \\ and\nnewline', language="en")))
        return g

    assert to_turtle(graph(["A", "B", "C"])) == to_turtle(graph(["C", "A", "B"]))
    text = to_turtle(graph(["A"])).decode()
    parsed = Graph().parse(data=text, format="turtle")
    assert len(parsed) == 4
    assert Literal('quote " and \\ and\nnewline', lang="en") in set(parsed.objects())


def test_failed_write_leaves_no_temporary_and_no_target(tmp_path, monkeypatch):
    """write_all_atomic: a write that fails (disk full) removes its temporaries and touches no target."""
    import errno

    from netgraph import atomic

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(atomic.os, "fsync", full)
    with pytest.raises(OSError):
        atomic.write_all_atomic({tmp_path / "one.txt": b"1", tmp_path / "two.txt": b"2"})
    assert list(tmp_path.iterdir()) == []


def test_atomic_write_keeps_an_existing_file_mode(tmp_path):
    from netgraph.atomic import write_atomic

    target = tmp_path / "f.ttl"
    target.write_text("old")
    target.chmod(0o640)
    write_atomic(target, b"new")
    assert target.read_bytes() == b"new" and (target.stat().st_mode & 0o777) == 0o640


# -- issue 12 item 10: build input robustness ---------------------------------------------------


def _append_row(path: Path, cells: dict[str, str]) -> int:
    """Append a row (cells by column name) to a table; returns its line number."""
    text = path.read_text(encoding="utf-8")
    lines = text.rstrip("\n").split("\n")
    header = next(line for line in lines if line and not line.startswith("#")).split("\t")
    lines.append("\t".join(cells.get(h, "") for h in header))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(lines)


def test_a_huge_field_is_a_short_clear_error_not_a_csv_traceback(scratch):
    path = scratch / "data" / "tables" / "associations.tsv"
    line = _first_data_line(path)
    _corrupt(path, line, "kind", "k" * 200_000)  # over csv's 131,072-character field limit
    with pytest.raises(CurationError) as info:
        compile_project(scratch)
    message = str(info.value)
    assert f"{path}:{line}:" in message and "unknown association kind" in message
    assert len(message) < 1_000, "the whole value was echoed"
    assert "…" in message and "200,000 characters" in message


@pytest.mark.parametrize("char", ["\x00", "\x01", "\x0b", "\x7f", "\x85"])
def test_a_control_character_in_a_quote_is_refused_with_file_and_line(scratch, char):
    path = scratch / "data" / "tables" / "associations.tsv"
    line = _first_data_line(path)
    _corrupt(path, line, "quote", f"before{char}after")
    with pytest.raises(CurationError) as info:
        compile_project(scratch)
    assert f"{path}:{line}:" in str(info.value)
    assert f"U+{ord(char):04X}" in str(info.value) and "'quote'" in str(info.value)


@pytest.mark.parametrize("url", ["http://a b/> } UNION {", "javascript:alert(1)", "www.example.org/page",
                                 "https://example.org/a\"b"])
def test_a_malformed_source_url_is_refused(scratch, url):
    path = scratch / "data" / "tables" / "sources.tsv"
    line = _first_data_line(path)
    _corrupt(path, line, "url", url)
    with pytest.raises(CurationError, match="url") as info:
        compile_project(scratch)
    assert info.value.line == line


def test_frequency_text_differing_only_in_whitespace_is_a_duplicate(scratch):
    path = scratch / "data" / "tables" / "associations.tsv"
    lines = path.read_text(encoding="utf-8").split("\n")
    header = lines[0].split("\t")
    col = header.index("frequency_text")
    first = next(i for i, ln in enumerate(lines[1:], start=1) if ln and len(ln.split("\t")) > col
                 and " " in ln.split("\t")[col])
    cells = lines[first].split("\t")
    cells[col] = cells[col].replace(" ", "  \u00a0", 1)
    lines.append("\t".join(cells))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(CurationError, match="duplicate association") as info:
        compile_project(scratch)
    assert info.value.line == len(lines) and f"line {first + 1}" in str(info.value)


def _chain(scratch: Path, depth: int, reverse: bool = True) -> None:
    """A parent chain Deep0 <- Deep1 <- … of ``depth`` classes (deepest row first when ``reverse``)."""
    path = scratch / "data" / "tables" / "classes.tsv"
    rows = [{"id": f"Deep{i}", "parents": "NeuroendocrineTumour" if i == 0 else f"Deep{i - 1}",
             "label_en": f"deep class {i}", "definition": f"test class {i}"} for i in range(depth)]
    for r in (reversed(rows) if reverse else rows):
        _append_row(path, r)


def test_a_deep_parent_chain_builds_in_linear_time(scratch):
    import time

    _chain(scratch, 1_100)
    start = time.perf_counter()
    result = compile_project(scratch)
    assert result.counts["classes"] >= 1_100
    assert time.perf_counter() - start < 30


def test_a_subclass_cycle_is_still_named(scratch):
    path = scratch / "data" / "tables" / "classes.tsv"
    _append_row(path, {"id": "CycleA", "parents": "CycleB", "label_en": "cycle a", "definition": "a"})
    line = _append_row(path, {"id": "CycleB", "parents": "CycleA", "label_en": "cycle b", "definition": "b"})
    with pytest.raises(CurationError, match=r"subclass cycle: CycleA -> CycleB -> CycleA") as info:
        compile_project(scratch)
    assert info.value.line == line - 1


def test_a_non_utf8_byte_names_the_line(scratch):
    path = scratch / "data" / "tables" / "entities.tsv"
    data = path.read_bytes().split(b"\n")
    data[3] = data[3] + b"\xff"
    path.write_bytes(b"\n".join(data))
    with pytest.raises(CurationError, match="not UTF-8") as info:
        compile_project(scratch)
    assert info.value.line == 4 and f"{path}:4:" in str(info.value)


def test_a_byte_order_mark_is_accepted(scratch):
    expected = emitted_bytes(scratch)
    for table in ("sources.tsv", "associations.tsv"):
        path = scratch / "data" / "tables" / table
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert emitted_bytes(scratch) == expected


def test_a_huge_unknown_column_name_is_not_echoed_whole(scratch):
    path = scratch / "data" / "tables" / "entities.tsv"
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[0] += "\t" + "c" * 100_000
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(CurationError, match="unknown column") as info:
        compile_project(scratch)
    assert len(str(info.value)) < 2_000
