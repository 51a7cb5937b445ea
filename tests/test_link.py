"""`netgraph link`: every row kept in order and marked, formats, streaming, errors."""

from __future__ import annotations

import csv
import io
import json

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from crosswalk_project import ROOT, make_project
from netgraph.cli import main
from netgraph.crosswalk import LINK_COLUMNS, link, link_rows, load_index
from netgraph.crosswalk.link import _Memo
from netgraph.errors import InputError

# A registry extract: codes as registries write them, including the awkward ones.
REGISTRY = """record_id,diagnosis_code,note
R1,ORPHA:97253,pancreas
R2,Orphanet_481469,"gastric, type 1"
R3,8240/3,carcinoid
R4,C25.4,
R5,ORPHA:5,"a code netgraph does not map"
R6,,empty code
R7,ICDO:8150/3,"two candidates"
R8,not a code,"free text, with a comma"
R9,131100,"OMIM or phenotypic series"
R10,http://www.orpha.net/ORDO/Orphanet_100085,"multi
line note"
R11,ORPHA:573163
"""
EXPECTED = [
    ("R1", "resolved", "https://w3id.org/netgraph/PancreaticNeuroendocrineTumour", "skos:exactMatch"),
    ("R2", "obsolete", "https://w3id.org/netgraph/GastricNeuroendocrineNeoplasm", "skos:exactMatch"),
    ("R3", "resolved", "https://w3id.org/netgraph/CarcinoidTumour", "skos:closeMatch"),
    ("R4", "resolved", "https://w3id.org/netgraph/PancreaticNeuroendocrineCarcinoma", "skos:exactMatch"),
    ("R5", "unknown", "", ""),
    ("R6", "invalid", "", ""),
    ("R7", "ambiguous", "", ""),
    ("R8", "invalid", "", ""),
    ("R9", "ambiguous", "", ""),
    ("R10", "resolved", "https://w3id.org/netgraph/HepaticNeuroendocrineNeoplasm", "skos:narrowMatch"),
    ("R11", "resolved", "https://w3id.org/netgraph/Pheochromocytoma", "skos:broadMatch"),
]


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    return make_project(tmp_path_factory.mktemp("link"), build=False)


@pytest.fixture(scope="module")
def index(project):
    return load_index(project)


@pytest.fixture()
def registry(tmp_path):
    path = tmp_path / "registry.csv"
    path.write_text(REGISTRY, encoding="utf-8")
    return path


def _rows(text: str, delimiter: str = ",") -> list[dict[str, str]]:
    quoting = csv.QUOTE_NONE if delimiter == "\t" else csv.QUOTE_MINIMAL
    return list(csv.DictReader(io.StringIO(text), delimiter=delimiter, quoting=quoting))


def test_link_keeps_every_row_in_order_and_marks_the_unresolved(registry, index, tmp_path):
    out = tmp_path / "linked.csv"
    summary = link(registry, "diagnosis_code", output=out, index=index)
    rows = _rows(out.read_text(encoding="utf-8"))
    original = _rows(REGISTRY)
    assert [r["record_id"] for r in rows] == [r["record_id"] for r in original]
    for got, orig in zip(rows, original, strict=True):  # the input cells come back unchanged (empty for the short last row)
        assert {k: got[k] for k in orig} == {k: v or "" for k, v in orig.items()}
    assert list(rows[0])[-len(LINK_COLUMNS):] == list(LINK_COLUMNS)
    assert [(r["record_id"], r["netgraph_status"], r["netgraph_iri"], r["netgraph_predicate"]) for r in rows] == EXPECTED
    assert rows[1]["netgraph_replaced_by"] == "ORPHA:100075"
    assert rows[6]["netgraph_candidates"].split("|") == ["netgraph:NonFunctionalPancreaticNeuroendocrineTumour",
                                                         "netgraph:PancreaticNeuroendocrineCarcinoma"]
    assert all(r["netgraph_note"] for r in rows)  # every row says what happened
    assert (summary.rows, summary.resolved, summary.ambiguous, summary.obsolete, summary.unknown, summary.invalid) == \
           (11, 5, 2, 1, 1, 2)


def test_tsv_in_tsv_out_and_format_conversion(registry, index, tmp_path):
    tsv = tmp_path / "registry.tsv"
    tsv.write_text('record_id\tdiagnosis_code\tnote\nR1\tORPHA:97253\t"quoted" as typed\nR2\tORPHA:5\t\n', encoding="utf-8")
    out = io.StringIO()
    link(tsv, "diagnosis_code", output=out, index=index)
    rows = _rows(out.getvalue(), "\t")
    assert [r["netgraph_status"] for r in rows] == ["resolved", "unknown"]
    assert rows[0]["note"] == '"quoted" as typed'  # TSV has no quoting: quotes are data
    out = io.StringIO()
    link(tsv, "diagnosis_code", output=out, format="csv", index=index)
    assert _rows(out.getvalue())[0]["note"] == '"quoted" as typed'
    # a value holding a line break cannot be TSV: the error names the line where the record starts
    with pytest.raises(InputError, match="input line 11: a value holds a tab or a line break"):
        link(registry, "diagnosis_code", output=io.StringIO(), format="tsv", index=index)


def test_jsonl_output(registry, index):
    out = io.StringIO()
    link(registry, "diagnosis_code", output=out, format="jsonl", index=index)
    objs = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [o["record_id"] for o in objs] == [e[0] for e in EXPECTED]
    assert objs[9]["note"] == "multi\nline note"
    assert objs[6]["netgraph_candidates"] == ["netgraph:NonFunctionalPancreaticNeuroendocrineTumour",
                                              "netgraph:PancreaticNeuroendocrineCarcinoma"]
    assert objs[0]["netgraph_status"] == "resolved"


def test_rdf_output_is_ntriples_with_the_links(registry, index):
    out = io.StringIO()
    link(registry, "diagnosis_code", output=out, format="nt", subject="https://registry.example.org/record/{record_id}",
         index=index)
    text = out.getvalue()
    triples = {(t.subject.value, t.predicate.value, t.object.value)
               for t in ox.parse(text.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)}
    ng = "https://w3id.org/netgraph/"
    skos = "http://www.w3.org/2004/02/skos/core#"
    assert (ng + "PancreaticNeuroendocrineTumour", skos + "exactMatch", "http://www.orpha.net/ORDO/Orphanet_97253") in triples
    assert (ng + "HepaticNeuroendocrineNeoplasm", skos + "narrowMatch", "http://www.orpha.net/ORDO/Orphanet_100085") in triples
    assert ("http://www.orpha.net/ORDO/Orphanet_481469", "http://purl.org/dc/terms/isReplacedBy",
            "http://www.orpha.net/ORDO/Orphanet_100075") in triples
    assert ("https://registry.example.org/record/R1", "http://purl.org/dc/terms/subject",
            ng + "PancreaticNeuroendocrineTumour") in triples
    assert "# line 6: unknown" in text and "# line 7: invalid" in text  # unlinked rows are marked, not dropped


def test_link_rows_in_memory(index):
    rows = [{"id": "1", "code": "Orphanet_97253"}, {"id": "2", "code": "97253"}, {"id": "3", "code": "x y"}]
    got = [(row["id"], res.status) for row, res in link_rows(rows, "code", index=index)]
    assert got == [("1", "resolved"), ("2", "resolved"), ("3", "invalid")]
    assert [res.status for _, res in link_rows([{"code": "97253"}], "code", prefix="ORPHA", index=index)] == ["resolved"]


def test_bare_codes_with_a_named_system(index, tmp_path):
    src = tmp_path / "orpha.csv"
    src.write_text("id,orpha\n1,97253\n2,100085\n3,652\n", encoding="utf-8")
    out = io.StringIO()
    link(src, "orpha", output=out, prefix="ORPHA", index=index)
    assert [r["netgraph_code"] for r in _rows(out.getvalue())] == ["ORPHA:97253", "ORPHA:100085", "ORPHA:652"]
    with pytest.raises(InputError, match="unknown prefix 'NOPE'"):
        link(src, "orpha", output=io.StringIO(), prefix="NOPE", index=index)


def test_link_streams(index):
    """The first rows are written before the input is read to its end (nothing is held back)."""
    out = io.StringIO()
    consumed = []

    class Source(io.StringIO):
        name = "stream.csv"

        def __next__(self):
            consumed.append(out.tell())
            return super().__next__()

    body = "id,code\n" + "".join(f"{i},ORPHA:97253\n" for i in range(200_000))
    link(Source(body), "code", output=out, index=index)
    assert consumed[-1] > 0
    assert consumed[len(consumed) // 2] > 0, "half-way through the input, output has been written already"
    memo = _Memo(index, None, size=10)
    for i in range(100):
        memo.get(f"ORPHA:{i}")
        memo.get("ORPHA:97253")
        assert len(memo) <= 20  # the memo is bounded: memory does not grow with distinct codes
    assert "ORPHA:97253" in memo.cache  # a code in use stays


def test_progress_shows_only_when_asked(index, tmp_path):
    src = tmp_path / "many.csv"
    src.write_text("id,code\n" + "".join(f"{i},ORPHA:97253\n" for i in range(20_000)), encoding="utf-8")
    bar = io.StringIO()
    link(src, "code", output=io.StringIO(), progress=True, progress_stream=bar, index=index)
    assert "rows" in bar.getvalue() and "%" in bar.getvalue()
    quiet = io.StringIO()
    link(src, "code", output=io.StringIO(), progress=False, progress_stream=quiet, index=index)
    assert quiet.getvalue() == ""


# -- bad input ----------------------------------------------------------------------------------

@pytest.mark.parametrize("content, column, words", [
    ("id,code\n1,ORPHA:97253\n", "diagnosis", "no column 'diagnosis'"),
    ("id,code\n1,ORPHA:97253,extra,cells\n", "code", ":2: 4 cells but the header has 2 columns"),
    ("", "code", "the first line must be the header row"),
    ("id,code,netgraph_status\n1,ORPHA:97253,x\n", "code", "already has column(s) netgraph_status"),
])
def test_bad_input_is_a_clear_error(index, tmp_path, content, column, words):
    src = tmp_path / "bad.csv"
    src.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as err:
        link(src, column, output=io.StringIO(), index=index)
    assert words in str(err.value) and str(src) in str(err.value)


def test_not_utf8_names_the_line(index, tmp_path):
    src = tmp_path / "latin1.csv"
    src.write_bytes("id,code\n1,ORPHA:97253\n2,caf\u00e9\n".encode("latin-1"))
    with pytest.raises(InputError, match="not UTF-8 near line 3"):
        link(src, "code", output=io.StringIO(), index=index)


def test_an_error_leaves_the_output_file_untouched(index, tmp_path):
    src = tmp_path / "ragged.csv"
    src.write_text("id,code\n1,ORPHA:97253\n2,ORPHA:652,extra\n", encoding="utf-8")
    out = tmp_path / "linked.csv"
    out.write_text("previous result\n", encoding="utf-8")
    with pytest.raises(InputError):
        link(src, "code", output=out, index=index)
    assert out.read_text(encoding="utf-8") == "previous result\n"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temporary left behind


# -- the command ----------------------------------------------------------------------------------

def test_link_command_file_and_summary(project, registry, tmp_path):
    out = tmp_path / "linked.csv"
    result = CliRunner().invoke(main, ["link", str(registry), "--column", "diagnosis_code", "-o", str(out),
                                       "--root", str(project)])
    assert result.exit_code == 0, result.output
    assert "11 rows: 5 resolved, 2 ambiguous, 1 obsolete, 1 unknown, 2 invalid" in result.stderr
    assert len(_rows(out.read_text(encoding="utf-8"))) == 11


def test_link_command_reads_stdin_and_writes_stdout(project):
    result = CliRunner().invoke(main, ["link", "-", "-c", "code", "-f", "jsonl", "--root", str(project)],
                                input="id\tcode\n1\tOrphanet:97253\n2\tORPHA:481469\n")
    assert result.exit_code == 0, result.stderr
    objs = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["netgraph_status"] for o in objs] == ["resolved", "obsolete"]
    assert "2 rows: 1 resolved, 0 ambiguous, 1 obsolete" in result.stderr


def test_link_command_errors_and_strict(project, registry):
    runner = CliRunner()
    missing = runner.invoke(main, ["link", str(registry), "-c", "nope", "--root", str(project)])
    assert missing.exit_code == 2 and "no column 'nope'" in missing.stderr and "Traceback" not in missing.output
    both = runner.invoke(main, ["link", str(registry), "-c", "diagnosis_code", "--rdf", "-f", "csv", "--root", str(project)])
    assert both.exit_code == 2
    strict = runner.invoke(main, ["link", str(registry), "-c", "diagnosis_code", "--strict", "-q", "--root", str(project)])
    assert strict.exit_code == 1 and strict.stderr == ""
    rdf = runner.invoke(main, ["link", str(registry), "-c", "diagnosis_code", "--rdf", "--root", str(project)])
    assert rdf.exit_code == 0 and "<http://www.w3.org/2004/02/skos/core#exactMatch>" in rdf.stdout


def test_the_documented_example_links_every_row(tmp_path):
    """docs/crosswalk.md's worked example, on the real mappings: every row back, in order, marked."""
    example = ROOT / "docs" / "examples" / "registry_extract.csv"
    out = tmp_path / "linked.csv"
    summary = link(example, "diagnosis_code", output=out)
    rows = _rows(out.read_text(encoding="utf-8"))
    assert [r["record_id"] for r in rows] == [r["record_id"] for r in _rows(example.read_text(encoding="utf-8"))]
    by_id = {r["record_id"]: r for r in rows}
    assert by_id["NET-0001"]["netgraph_iri"] == by_id["NET-0002"]["netgraph_iri"] != ""
    assert (by_id["NET-0008"]["netgraph_status"], by_id["NET-0008"]["netgraph_replaced_by"]) == ("obsolete", "ORPHA:100075")
    assert by_id["NET-0014"]["netgraph_status"] == "invalid" and by_id["NET-0013"]["netgraph_status"] == "unknown"
    assert summary.rows == 15


def test_a_linked_file_gets_ordinary_permissions(index, registry, tmp_path):
    import os

    umask = os.umask(0)
    os.umask(umask)
    out = tmp_path / "new.csv"
    link(registry, "diagnosis_code", output=out, index=index)
    assert out.stat().st_mode & 0o777 == 0o666 & ~umask  # as any new file, not mkstemp's private 0o600


# -- issue 12 item 11: input robustness -----------------------------------------------------------------

@pytest.mark.parametrize("rows", [
    ['1,ORPHA:97253,ok', '2,ORPHA:97253,"never closed', '3,ORPHA:97253,x', '4,ORPHA:97253,y'],
    ['1,ORPHA:97253,ok', '2,ORPHA:97253,"opens here', '3,ORPHA:97253,x', '4,ORPHA:97253,"closed" late'],
    ['1,ORPHA:97253,ok', '2,"ORPHA:97253,opens here', '3,ORPHA:97253,x"', '4,ORPHA:97253,y'],
])
def test_an_unterminated_quote_names_the_line_where_it_opened(index, tmp_path, rows):
    src = tmp_path / "quote.csv"
    src.write_text("id,code,note\n" + "\n".join(rows) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        link(src, "code", output=io.StringIO(), index=index)
    assert f"{src}:3:" in str(err.value) and "quote" in str(err.value)


def test_an_unterminated_quote_is_exit_2_on_the_command_line(project, tmp_path):
    src = tmp_path / "quote.csv"
    src.write_text('id,code,note\n1,ORPHA:97253,ok\n2,ORPHA:97253,"open\n3,ORPHA:97253,x\n4,ORPHA:97253,y\n')
    result = CliRunner().invoke(main, ["link", str(src), "-c", "code", "--root", str(project)])
    assert result.exit_code == 2 and f"{src}:3:" in result.stderr and "Traceback" not in result.output


def test_a_quoted_line_break_in_a_complete_row_still_links(index, tmp_path):
    src = tmp_path / "ok.csv"
    src.write_text('id,code,note\n1,ORPHA:97253,"two\nlines"\n2,ORPHA:97253,x\n', encoding="utf-8")
    out = io.StringIO()
    assert link(src, "code", output=out, index=index).rows == 2
    assert [r["note"] for r in _rows(out.getvalue())] == ["two\nlines", "x"]


def test_a_fifo_input_is_streamed(index, tmp_path):
    import os
    import threading

    fifo = tmp_path / "in.csv"
    os.mkfifo(fifo)

    def feed():
        with open(fifo, "w", encoding="utf-8") as fh:
            fh.write("id,code\n1,ORPHA:97253\n2,8240/3\n")

    threading.Thread(target=feed, daemon=True).start()
    out = io.StringIO()
    summary = link(fifo, "code", output=out, index=index)
    assert summary.rows == 2 and [r["netgraph_status"] for r in _rows(out.getvalue())] == ["resolved", "resolved"]


def test_a_process_substitution_input_is_read(tmp_path):
    import shutil
    import subprocess
    import sys

    bash = shutil.which("bash")
    assert bash, "bash is needed for <(…)"
    cmd = f"{sys.executable} -m netgraph link <(printf 'id,code\\n1,ORPHA:97253\\n') -c code -q"
    done = subprocess.run([bash, "-c", cmd], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[1].startswith("1,ORPHA:97253,resolved,")


SEMICOLON = 'id;code;note\n1;ORPHA:97253;"a; b"\n2;8240/3;"komma, punt"\n'


def test_a_semicolon_csv_is_sniffed_and_written_back_with_semicolons(index, tmp_path):
    src = tmp_path / "europe.csv"
    src.write_text(SEMICOLON, encoding="utf-8")
    out = io.StringIO()
    assert link(src, "code", output=out, index=index).rows == 2
    rows = _rows(out.getvalue(), delimiter=";")
    assert [r["note"] for r in rows] == ["a; b", "komma, punt"]
    assert [r["netgraph_status"] for r in rows] == ["resolved", "resolved"]


@pytest.mark.parametrize("given", [";", "semicolon"])
def test_the_delimiter_option(project, tmp_path, given):
    src = tmp_path / "europe.txt"
    src.write_text(SEMICOLON.replace('"a; b"', "ab"), encoding="utf-8")
    result = CliRunner().invoke(main, ["link", str(src), "-c", "code", "--delimiter", given, "-q", "--root",
                                       str(project)])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0].startswith("id;code;note;netgraph_status;")


def test_a_bad_delimiter_and_a_wrong_separator_get_clear_hints(project, tmp_path):
    src = tmp_path / "pipes.csv"
    src.write_text("id|code\n1|ORPHA:97253\n", encoding="utf-8")
    runner = CliRunner()
    wrong = runner.invoke(main, ["link", str(src), "-c", "code", "--root", str(project)])
    assert wrong.exit_code == 2 and "--delimiter" in wrong.stderr
    bad = runner.invoke(main, ["link", str(src), "-c", "code", "--delimiter", "ab", "--root", str(project)])
    assert bad.exit_code == 2 and "not one character" in bad.stderr
    right = runner.invoke(main, ["link", str(src), "-c", "code", "--delimiter", "|", "-q", "--root", str(project)])
    assert right.exit_code == 0 and right.stdout.splitlines()[1].startswith("1|ORPHA:97253|resolved|")


def test_a_huge_cell_is_a_clear_error(index, tmp_path):
    src = tmp_path / "huge.csv"
    src.write_text("id,code\n1,ORPHA:97253\n2," + "9" * 10_000_000 + "\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        link(src, "code", output=io.StringIO(), index=index)
    assert f"{src}:3:" in str(err.value) and "10,000,000 characters" in str(err.value)
    assert len(str(err.value)) < 500


def test_a_long_code_is_marked_invalid_without_being_echoed(index, tmp_path):
    src = tmp_path / "long.csv"
    code = "ORPHA:" + "1" * 100_000
    src.write_text(f"id,code\n1,{code}\n", encoding="utf-8")
    out = io.StringIO()
    link(src, "code", output=out, index=index)
    row = _rows(out.getvalue())[0]
    assert row["netgraph_status"] == "invalid" and "100,006 characters" in row["netgraph_note"]
    assert len(out.getvalue()) < len(code) + 1_000, "the code was echoed into the link columns"
