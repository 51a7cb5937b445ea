"""Registry case records checked against the graph (issue 14): every rule fires on its bad example,
a clean record fires nothing, a generated corpus is checked exactly, and bad input fails cleanly."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph

from netgraph.crosswalk.index import load_index
from netgraph.errors import InputError
from netgraph.records.check import RecordChecker, check_records
from netgraph.records.reader import read_records
from netgraph.records.ruletable import read_rules
from netgraph.paths import project_paths

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
import records_corpus as corpus  # noqa: E402


@pytest.fixture(scope="module")
def checker():
    return RecordChecker(ROOT)


@pytest.fixture(scope="module")
def templates():
    return {t.name: t for t in corpus.templates(load_index(ROOT))}


def _record(template, **changes) -> dict[str, str]:
    rec = {h: "" for h in corpus.HEADER}
    rec.update(template.values)
    rec["record_id"] = "T1"
    rec.update(changes)
    return rec


def _rules(rec: dict[str, str]) -> set[str]:
    return {f.rule for f in check_records([rec], root=ROOT).findings}


@pytest.fixture(scope="module")
def fixtures(templates):
    """Every coherent template, and every injection on every template it applies to, checked in one run."""
    index = load_index(ROOT)
    records, expected = [], {}
    for name, t in templates.items():
        records.append(_record(t, record_id=f"clean-{name}"))
        expected[f"clean-{name}"] = set()
    for inj in corpus.INJECTIONS:
        for name in inj.applies:
            rec = _record(templates[name], record_id=f"{inj.rule}-{name}")
            inj.change(rec, index)
            records.append(rec)
            expected[rec["record_id"]] = {inj.rule}
    found: dict[str, set[str]] = {k: set() for k in expected}
    for f in check_records(records, root=ROOT).findings:
        found[f.record_id].add(f.rule)
    return expected, found


@pytest.mark.parametrize("name", ["insulinoma", "pnet", "nec", "si-nen", "gastric"])
def test_a_coherent_record_fires_no_rule(fixtures, name):
    _expected, found = fixtures
    assert found[f"clean-{name}"] == set()


@pytest.mark.parametrize("injection", corpus.INJECTIONS, ids=lambda i: i.rule)
def test_each_rule_fires_on_its_bad_example_and_nothing_else(fixtures, injection):
    _expected, found = fixtures
    for name in injection.applies:
        assert found[f"{injection.rule}-{name}"] == {injection.rule}, name


def test_every_rule_of_the_table_has_a_bad_example():
    covered = {i.rule for i in corpus.INJECTIONS} | {"record-id-required"}  # the last: see the next test
    assert {r.id for r in read_rules(project_paths(ROOT))} == covered


def test_record_id_required_fires_on_a_records_graph_without_ids(checker):
    """A record without its id cannot come from a file (the reader names the row), but a records graph
    loaded from elsewhere can lack it: the shape fires."""
    import pyshacl

    data = Graph().parse(data="""
        <https://w3id.org/netgraph/record/x> a <https://w3id.org/netgraph/TumourRecord> ;
            <https://w3id.org/netgraph/diagnosis> <https://w3id.org/netgraph/Insulinoma> .""", format="turtle")
    conforms, report, _ = pyshacl.validate(data, shacl_graph=checker.shapes.to_rdflib(), advanced=True,
                                           allow_warnings=True)
    from rdflib import URIRef
    from rdflib.namespace import SH

    assert not conforms
    assert (None, SH.resultPath, URIRef("https://w3id.org/netgraph/recordId")) in report


def test_findings_cite_their_source_and_name_record_row_and_fields(templates):
    rec = _record(templates["nec"], differentiation="well")
    (f,) = check_records([rec], root=ROOT).findings
    assert (f.record_id, f.row, f.rule, f.severity) == ("T1", 1, "nec-poorly-differentiated", "Violation")
    assert f.fields == ("differentiation", "diagnosis") and f.values == ("well", "netgraph:NeuroendocrineCarcinoma")
    assert f.source == "pdq-cup-2025" and "poorly differentiated" in f.quote


def test_axiom_rules_cite_the_class_whose_axiom_it_is(templates):
    (f,) = check_records([_record(templates["insulinoma"], primary_site="ileum")], root=ROOT).findings
    assert f.rule == "site-agrees-with-diagnosis"
    assert "netgraph:Pancreas" in f.message and f.about == ("netgraph:PancreaticNeuroendocrineNeoplasm",)


def test_a_finding_shows_only_the_fields_it_is_about(tmp_path, templates):
    path = tmp_path / "r.csv"
    rec = _record(templates["insulinoma"], ki67_percent="150")
    rec["patient_name"] = "Jane Example"
    with path.open("w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rec))
        w.writeheader()
        w.writerow(rec)
    report = check_records(path, root=ROOT)
    for fmt in ("text", "csv", "json", "turtle"):
        out = report.render(fmt)
        assert "Jane" not in out and "insulin" not in out.replace("Insulin", ""), fmt
        assert "150" in out


def test_the_generated_corpus_is_checked_exactly(tmp_path):
    """Every injected error is found, and nothing else (no misses, no false alarms)."""
    path = tmp_path / "corpus.csv"
    expected = corpus.write_corpus(path, 160, error_rate=0.6, seed=7)
    found: dict[str, set[str]] = {}
    for f in check_records(path, root=ROOT, batch_size=50).findings:
        found.setdefault(f.record_id, set()).add(f.rule)
    assert {k: {v} for k, v in expected.items() if v} == found
    assert len({v for v in expected.values() if v}) >= 12  # the sample covers most rules


# -- input ----------------------------------------------------------------------------------


def _write(tmp_path, text: str, name: str = "r.csv") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_row_problems_are_findings_not_crashes(tmp_path):
    p = _write(tmp_path, "record_id,diagnosis\nA,insulinoma\nB,insulinoma,extra\nA,insulinoma\n,insulinoma\n")
    rules = [(f.row, f.rule) for f in check_records(p, root=ROOT).findings]
    assert rules == [(3, "input-malformed-row"), (4, "input-duplicate-record-id"), (5, "input-missing-record-id")]


def test_a_bad_header_is_bad_input(tmp_path):
    with pytest.raises(InputError, match=r"r.csv:1: the header needs record_id"):
        list(read_records(_write(tmp_path, "id,name\n1,x\n")))


def test_a_semicolon_file_gets_a_delimiter_hint_and_reads_with_it(tmp_path):
    p = _write(tmp_path, "record_id;diagnosis;ki67_percent\nA;insulinoma;1,5\n")
    with pytest.raises(InputError, match="--delimiter"):
        list(read_records(p))
    (row,) = read_records(p, delimiter=";")
    assert row.values == {"record_id": "A", "diagnosis": "insulinoma", "ki67_percent": "1,5"}


def test_an_unterminated_quote_is_bad_input_naming_the_line(tmp_path):
    p = _write(tmp_path, 'record_id,diagnosis\nA,insulinoma\nB,"insulinoma\nC,insulinoma\n')
    with pytest.raises(InputError, match=r"r.csv:3: .*unterminated quote"):
        list(read_records(p))


def test_a_bom_and_a_tsv_are_read(tmp_path):
    p = tmp_path / "r.tsv"
    p.write_bytes("\ufeffrecord_id\tdiagnosis\nA\tinsulinoma\n".encode("utf-8"))
    (row,) = read_records(p)
    assert row.record_id == "A"


def test_a_column_map_renames_columns_and_recodes_values(tmp_path, templates):
    cmap = _write(tmp_path, "columns:\n  TUMOUR: record_id\n  DX: diagnosis\n  GRADE_WHO: grade\n"
                            "values:\n  grade: {'9': '', '1': G1, '3': G3}\n", "map.yaml")
    p = _write(tmp_path, "TUMOUR,DX,GRADE_WHO,site_note\nA,neuroendocrine carcinoma,1,x\n"
                         "B,neuroendocrine carcinoma,9,y\nC,neuroendocrine carcinoma,3,z\n")
    report = check_records(p, columns=cmap, root=ROOT)
    assert [(f.record_id, f.rule) for f in report.findings] == [("A", "nec-high-grade")]


@pytest.mark.parametrize("text, message", [
    ("columns:\n  X: no_such_field\n", "not a record field"),
    ("columns:\n  X: grade\n  Y: grade\n", "both 'X' and 'Y' map to 'grade'"),
    ("rules: []\n", "only the keys 'columns' and 'values'"),
    ("columns: [\n", "not a YAML column map"),
])
def test_a_bad_column_map_is_bad_input(tmp_path, text, message):
    from netgraph.records.columnmap import load_column_map

    with pytest.raises(InputError, match=message):
        load_column_map(_write(tmp_path, text, "map.yaml"))


# -- the command line -----------------------------------------------------------------------


def _cli(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "netgraph", *args], capture_output=True, text=True, cwd=cwd)


def test_records_check_exit_codes_and_formats(tmp_path, templates):
    clean = tmp_path / "clean.csv"
    with clean.open("w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=corpus.HEADER)
        w.writeheader()
        w.writerow(_record(templates["pnet"]))
    assert _cli("records", "check", str(clean)).returncode == 0
    warn = tmp_path / "warn.csv"
    with warn.open("w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=corpus.HEADER)
        w.writeheader()
        w.writerow(_record(templates["insulinoma"], hormones="glucagon"))
    assert _cli("records", "check", str(warn)).returncode == 0  # a warning only
    r = _cli("records", "check", str(warn), "--fail-on", "warning", "-f", "json")
    assert r.returncode == 1
    data = json.loads(r.stdout)
    assert data["counts"] == {"Violation": 0, "Warning": 1, "Info": 0}
    r = _cli("records", "check", str(warn), "-f", "turtle")
    assert "hormone-of-diagnosis" in r.stdout and len(Graph().parse(data=r.stdout, format="turtle")) > 0
    r = _cli("records", "check", str(tmp_path / "missing.csv"))
    assert r.returncode == 2 and "no such file" in r.stderr and "Traceback" not in r.stderr


def test_to_rdf_is_loadable_deterministic_and_pseudonymous_with_a_salt(tmp_path):
    src = _write(tmp_path, "record_id,diagnosis,grade\nA-1,insulinoma,G1\nB 2,neuroendocrine carcinoma,3\n")
    out = tmp_path / "r.nt"
    assert _cli("records", "to-rdf", str(src), "-o", str(out)).returncode == 0
    store = ox.Store()
    store.load(path=str(out), format=ox.RdfFormat.N_TRIPLES)
    n = len(store)
    store.load(path=str(out), format=ox.RdfFormat.N_TRIPLES)
    assert len(store) == n  # a reload duplicates nothing
    salted = tmp_path / "s.nt"
    assert _cli("records", "to-rdf", str(src), "-o", str(salted), "--salt", "pepper").returncode == 0
    text = salted.read_text()
    assert "A-1" not in text and "B 2" not in text and "recordId" not in text
    again = tmp_path / "s2.nt"
    _cli("records", "to-rdf", str(src), "-o", str(again), "--salt", "pepper")
    assert again.read_text() == text


def test_the_committed_record_shapes_are_fresh():
    r = _cli("records", "shapes", "--check", "--root", str(ROOT))
    assert r.returncode == 0, r.stderr


def test_a_bad_rule_table_names_file_and_line(tmp_path):
    import shutil

    root = tmp_path / "p"
    shutil.copytree(ROOT / "data" / "tables", root / "data" / "tables")
    table = root / "data" / "tables" / "record-rules.tsv"
    table.write_text(table.read_text() + "x-rule\tno-such-kind\tViolation\tgrade\tmsg\t\t\tbasis\n")
    (root / "ontology").mkdir()
    shutil.copy(ROOT / "ontology" / "netgraph-edit.ttl", root / "ontology" / "netgraph-edit.ttl")
    shutil.copytree(ROOT / "data" / "mappings", root / "data" / "mappings")
    shutil.copytree(ROOT / "data" / "sources", root / "data" / "sources")
    from netgraph.build import compile_project
    from netgraph.errors import CurationError

    with pytest.raises(CurationError, match=r"record-rules.tsv:\d+: unknown rule kind 'no-such-kind'"):
        compile_project(root)


@pytest.mark.parametrize("column, value, message", [
    ("severity", "Fatal", "severity 'Fatal' is not one of"),
    ("fields", "no_field", "are not record fields"),
    ("source", "no-such-source", "is not in sources.tsv"),
])
def test_a_bad_rule_row_is_refused(tmp_path, column, value, message):
    import shutil

    from netgraph.errors import CurationError

    root = tmp_path / "p"
    shutil.copytree(ROOT / "data" / "tables", root / "data" / "tables")
    table = root / "data" / "tables" / "record-rules.tsv"
    lines = table.read_text().splitlines()
    header = lines[0].split("\t")
    row = lines[-1].split("\t")
    row[header.index(column)] = value
    table.write_text("\n".join(lines[:-1] + ["\t".join(row)]) + "\n")
    with pytest.raises(CurationError, match=message):
        read_rules(project_paths(root))


def test_the_rules_are_in_the_graph_with_their_citations(root):
    store = ox.Store()
    store.load(path=str(root / "data" / "netgraph-data.ttl"), format=ox.RdfFormat.TURTLE)
    rows = list(store.query("""SELECT ?rule ?source ?quote WHERE {
        ?rule a <https://w3id.org/netgraph/RecordRule> .
        OPTIONAL { ?rule <https://w3id.org/netgraph/hasSource> ?source ; <https://w3id.org/netgraph/quote> ?quote } }"""))
    assert len(rows) == len(read_rules(project_paths(root)))
    cited = {r["rule"].value.rsplit("rule-", 1)[1]: r["source"].value for r in rows if r["source"] is not None}
    assert cited["nec-poorly-differentiated"].endswith("/source/pdq-cup-2025")


def test_the_python_api_takes_rows_and_gives_a_dataframe(templates):
    report = check_records([_record(templates["nec"], grade="G1")], root=ROOT)
    df = report.to_dataframe()
    assert list(df["rule"]) == ["nec-high-grade"] and list(df["record_id"]) == ["T1"]


def test_the_rule_table_in_the_docs_is_fresh():
    from netgraph.records.shapes import rules_markdown

    doc = (ROOT / "docs" / "records.md").read_text(encoding="utf-8")
    table = doc.split("<!-- rules:begin", 1)[1].split("-->", 1)[1].split("<!-- rules:end -->", 1)[0]
    assert table.strip() == rules_markdown(project_paths(ROOT)).strip()


def test_every_record_property_is_declared_in_the_ontology():
    from netgraph.records.fields import FIELDS

    text = (ROOT / "ontology" / "netgraph-edit.ttl").read_text(encoding="utf-8")
    for f in FIELDS:
        for prop in filter(None, (f.property, f.resolved)):
            assert f"\nnetgraph:{prop} a owl:" in text, prop


@pytest.mark.parametrize("ki67, mitoses", [("2.9", "1.9"), ("3", "1"), ("20", "2"), ("20.1", "0"), ("1", "21"),
                                           ("12", "5"), ("2.9", "2"), ("0", "20"), ("100", "0")])
def test_the_grade_rule_agrees_with_netgraph_grade(ki67, mitoses):
    """For every index pair that `netgraph grade` grades, exactly the other grades are findings."""
    import netgraph
    from decimal import Decimal

    answer = netgraph.grade(ki67=Decimal(ki67), mitoses=Decimal(mitoses), site="pancreas")
    assert answer.status == "graded"
    expected_grade = answer.grade
    rows = [{"record_id": g, "diagnosis": "netgraph:PancreaticNeuroendocrineTumour", "grade": g,
             "ki67_percent": ki67, "mitotic_count": mitoses} for g in ("G1", "G2", "G3")]
    flagged = {f.record_id for f in check_records(rows, root=ROOT).findings if f.rule == "grade-agrees-with-indices"}
    assert flagged == {"G1", "G2", "G3"} - {expected_grade}


def test_canned_queries_over_records_beside_the_knowledge(tmp_path, templates):
    """records-by-diagnosis-grade, records-with-obsolete-orpha-code and records-per-rule on a store holding the
    knowledge, the records graph and a check report."""
    from netgraph import open_graph
    from netgraph.graphs import load_store

    index = load_index(ROOT)
    recs = [_record(templates["insulinoma"], record_id="A"), _record(templates["pnet"], record_id="B"),
            _record(templates["gastric"], record_id="C")]
    corpus._obsolete_for("GastricNeuroendocrineNeoplasm")(recs[2], index)
    recs[0]["ki67_percent"] = "150"
    src = tmp_path / "r.csv"
    with src.open("w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=corpus.HEADER)
        w.writeheader()
        w.writerows(recs)
    nt, report = tmp_path / "r.nt", tmp_path / "report.ttl"
    assert _cli("records", "to-rdf", str(src), "-o", str(nt)).returncode == 0
    assert _cli("records", "check", str(src), "-f", "turtle", "-o", str(report)).returncode == 1
    store = load_store(ROOT)
    store.load(path=str(nt), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode("https://w3id.org/netgraph/graph/records"))
    store.load(path=str(report), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode("https://w3id.org/netgraph/graph/report"))
    kg = open_graph(store, root=ROOT)
    rows = kg.query("records-by-diagnosis-grade", diagnosis="netgraph:PancreaticNeuroendocrineTumour").to_dicts()
    assert sorted((r["recordId"], r["grade"]) for r in rows) == [("A", "G1"), ("B", "G2")]  # insulinoma is a pNET
    assert [r["recordId"] for r in kg.query("records-by-diagnosis-grade", grade="G2").to_dicts()] == ["B"]
    (obsolete,) = kg.query("records-with-obsolete-orpha-code").to_dicts()
    assert obsolete["recordId"] == "C" and obsolete["code"] == recs[2]["orpha_code"]
    assert obsolete["replacementClass"].endswith("GastricNeuroendocrineNeoplasm")
    per_rule = {r["rule"].rsplit("rule-", 1)[1]: int(r["records"]) for r in kg.query("records-per-rule").to_dicts()}
    assert per_rule == {"ki67-range": 1, "code-obsolete": 1}
