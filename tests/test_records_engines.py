"""The two records engines give the same findings (issue 15): pySHACL (the reference) and the shapes
compiled to SPARQL on Oxigraph. Every rule fixture, a generated corpus with every kind of error, and a
hand-written shapes graph with every SHACL construct the compiler translates are checked by both; a
construct it does not translate is an error, never a silent skip."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import BNode, Graph
from rdflib.namespace import RDF, SH

from netgraph.crosswalk.index import load_index
from netgraph.errors import ShapeCompileError
from netgraph.memgraph import MemoryGraph
from netgraph.records.check import check_records
from netgraph.records.compile import compile_shapes
from netgraph.vocab import NG

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
import records_corpus as corpus  # noqa: E402


def _key(f):
    return (f.record_id, f.row, f.rule, f.severity, f.fields, f.values, f.message, f.source, f.quote, f.basis, f.about)


def _both(source, **kw):
    a = check_records(source, root=ROOT, engine="pyshacl", **kw)
    b = check_records(source, root=ROOT, engine="oxigraph", **kw)
    assert (a.engine, b.engine) == ("pyshacl", "oxigraph")
    assert a.records == b.records
    return [_key(f) for f in a.findings], [_key(f) for f in b.findings]


@pytest.fixture(scope="module")
def index():
    return load_index(ROOT)


def _fixture_records(index) -> list[dict[str, str]]:
    temps = {t.name: t for t in corpus.templates(index)}
    records = []
    for name, t in temps.items():
        records.append({**{h: "" for h in corpus.HEADER}, **t.values, "record_id": f"clean-{name}"})
    for inj in corpus.INJECTIONS:
        for name in inj.applies:
            rec = {**{h: "" for h in corpus.HEADER}, **temps[name].values, "record_id": f"{inj.rule}-{name}"}
            inj.change(rec, index)
            records.append(rec)
    # multi-valued cells in another order, repeated, partly unrecognised; an extra column passed through
    ins = temps["insulinoma"].values
    records.append({**ins, "record_id": "multi", "hormones": "glucagon|insulin|glucagon|unobtainium",
                    "syndrome": "carcinoid syndrome", "ward": "7B"})
    records.append({**ins, "record_id": "decimals", "ki67_percent": "007.50", "mitotic_count": "1,5 %"})
    records.append({**ins, "record_id": "text-numbers", "ki67_percent": "high", "mitotic_count": "n/a"})
    return records


def test_every_rule_fixture_gives_the_same_findings(index):
    records = _fixture_records(index)
    a, b = _both(records)
    assert a == b
    fired = {k[2] for k in a}
    assert {i.rule for i in corpus.INJECTIONS} <= fired  # every rule fired, so the comparison covers it


def test_a_generated_corpus_with_every_kind_of_error_gives_the_same_findings(tmp_path):
    path, expected = tmp_path / "r.csv", tmp_path / "e.tsv"
    truth = corpus.write_corpus(path, 300, error_rate=0.6, expected=expected)
    with open(path, "a", encoding="utf-8") as fh:  # input problems: a malformed row, a duplicate id
        fh.write("R9999999,too,many,cells,,,,,,,,,,,,,,,,,,,,,,,,\nR0000001,Insulinoma\n")
    a, b = _both(str(path))
    assert a == b
    assert {k[2] for k in a} >= {v for v in truth.values() if v} | {"input-malformed-row", "input-duplicate-record-id"}
    assert len({v for v in truth.values() if v}) == len(corpus.INJECTIONS)


def test_the_cli_runs_either_engine_with_the_same_report(tmp_path, index):
    path = tmp_path / "r.csv"
    corpus.write_corpus(path, 40, error_rate=0.5)
    out = {}
    for engine in ("oxigraph", "pyshacl"):
        r = subprocess.run([sys.executable, "-m", "netgraph", "records", "check", str(path), "-f", "csv",
                            "--engine", engine, "--root", str(ROOT)], capture_output=True, text=True)
        assert r.returncode == 1, r.stderr
        assert f"({engine})" in r.stderr  # the summary names the engine
        out[engine] = r.stdout
    assert out["oxigraph"] == out["pyshacl"] and out["oxigraph"].count("\n") > 5
    r = subprocess.run([sys.executable, "-m", "netgraph", "records", "check", str(path), "--engine", "fast"],
                       capture_output=True, text=True)
    assert r.returncode == 2 and "fast" in r.stderr


# -- the compiler on every construct it translates, against pySHACL --------------------------------

_SHAPES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .

<http://example.org/Counts> a sh:NodeShape ; sh:targetClass <http://example.org/Thing> ;
    sh:property [ sh:path <http://example.org/name> ; sh:minCount 1 ; sh:maxCount 1 ] ,
                [ sh:path <http://example.org/tag> ; sh:minCount 2 ; sh:maxCount 3 ] .
<http://example.org/Values> a sh:NodeShape ; sh:targetClass <http://example.org/Thing> ;
    sh:property [ sh:path <http://example.org/score> ; sh:datatype xsd:decimal ; sh:minInclusive 0 ; sh:maxExclusive 10 ] ,
                [ sh:path <http://example.org/when> ; sh:datatype xsd:date ; sh:maxInclusive "2025-01-01"^^xsd:date ] ,
                [ sh:path <http://example.org/code> ; sh:pattern "^ab" ; sh:flags "i" ; sh:minLength 3 ; sh:maxLength 5 ] ,
                [ sh:path <http://example.org/colour> ; sh:in ( "red" "green" <http://example.org/Blue> ) ] ,
                [ sh:path <http://example.org/colour> ; sh:not [ sh:in ( "green" ) ] ] ,
                [ sh:path <http://example.org/link> ; sh:nodeKind sh:IRI ; sh:class <http://example.org/Target> ] ,
                [ sh:path <http://example.org/label> ; sh:datatype xsd:string ] .
<http://example.org/Has> a sh:NodeShape ; sh:targetSubjectsOf <http://example.org/score> ;
    sh:property [ sh:path ( <http://example.org/link> [ sh:zeroOrMorePath <http://example.org/up> ] ) ; sh:hasValue <http://example.org/Root> ] .
<http://example.org/Inverse> a sh:NodeShape ; sh:targetObjectsOf <http://example.org/link> ;
    sh:property [ sh:path [ sh:inversePath <http://example.org/link> ] ; sh:maxCount 1 ] ,
                [ sh:path [ sh:alternativePath ( <http://example.org/up> [ sh:oneOrMorePath <http://example.org/side> ] ) ] ; sh:maxCount 1 ] .
<http://example.org/Logic> a sh:NodeShape ; sh:targetClass <http://example.org/Thing> ;
    sh:or ( [ sh:path <http://example.org/score> ; sh:minInclusive 5 ] [ sh:path <http://example.org/tag> ; sh:hasValue "urgent" ] ) ;
    sh:and ( [ sh:path <http://example.org/name> ; sh:maxLength 8 ] [ sh:not [ sh:path <http://example.org/colour> ; sh:hasValue "red" ] ] ) ;
    sh:xone ( [ sh:path <http://example.org/score> ; sh:minCount 1 ] [ sh:path <http://example.org/when> ; sh:minCount 1 ] ) ;
    sh:node [ sh:property [ sh:path <http://example.org/tag> ; sh:maxCount 2 ] ] .
<http://example.org/Nodes> a sh:NodeShape ; sh:targetNode <http://example.org/a>, <http://example.org/z>, "lit" ; sh:nodeKind sh:IRI ; sh:in ( <http://example.org/a> "lit" ) .
<http://example.org/Sparql> a sh:NodeShape ;
    sh:target [ a sh:SPARQLTarget ; sh:select "SELECT $this WHERE { $this <http://example.org/link>/<http://example.org/up>* <http://example.org/Root> . }" ] ;
    sh:property [ sh:path <http://example.org/score> ; sh:maxInclusive 3 ] .
<http://example.org/Filtered> a sh:NodeShape ;
    sh:target [ a sh:SPARQLTarget ; sh:select "SELECT $this WHERE { $this <http://example.org/link> ?l . FILTER NOT EXISTS { $this <http://example.org/tag> 'y' } FILTER NOT EXISTS { ?l <http://example.org/up>* <http://example.org/Root> } }" ] ;
    sh:property [ sh:path <http://example.org/name> ; sh:minCount 1 ] .
<http://example.org/Off> a sh:NodeShape ; sh:targetClass <http://example.org/Thing> ; sh:deactivated true ; sh:property [ sh:path <http://example.org/name> ; sh:maxCount 0 ] .
"""

_DATA = """
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<http://example.org/Sub> rdfs:subClassOf <http://example.org/Thing> .
<http://example.org/Root> a <http://example.org/Target> . <http://example.org/Mid> <http://example.org/up> <http://example.org/Root> ; a <http://example.org/Target> . <http://example.org/Other> a <http://example.org/Target> . <http://example.org/Mid> <http://example.org/side> <http://example.org/Other> .
<http://example.org/a> a <http://example.org/Thing> ; <http://example.org/name> "alpha" ; <http://example.org/tag> "x", "urgent" ; <http://example.org/score> 7.5 ; <http://example.org/code> "ABc" ; <http://example.org/colour> "green" ;
     <http://example.org/link> <http://example.org/Mid> ; <http://example.org/label> "fine" .
<http://example.org/b> a <http://example.org/Sub> ; <http://example.org/name> "b1", "b2" ; <http://example.org/tag> "x" ; <http://example.org/score> "high" ; <http://example.org/when> "2030-01-01"^^xsd:date ;
     <http://example.org/code> "zz" ; <http://example.org/colour> "purple", <http://example.org/Blue> ; <http://example.org/link> "notiri" ; <http://example.org/label> "x"@en .
<http://example.org/c> a <http://example.org/Thing> ; <http://example.org/tag> "x", "y", "z", "w" ; <http://example.org/score> 10 ; <http://example.org/when> "2024-02-30"^^xsd:date ; <http://example.org/code> "abcdef" ;
     <http://example.org/colour> "red" ; <http://example.org/link> <http://example.org/Other>, <http://example.org/Mid> ; <http://example.org/name> "a-very-long-name" .
<http://example.org/d> a <http://example.org/Thing> ; <http://example.org/name> "d" ; <http://example.org/tag> "1", "2" ; <http://example.org/score> -1 ; <http://example.org/when> "2020-05-05"^^xsd:date ; <http://example.org/link> <http://example.org/Nowhere> .
<http://example.org/e> <http://example.org/score> 2 ; <http://example.org/link> <http://example.org/Root> .
<http://example.org/f> <http://example.org/link> <http://example.org/Other> .
<http://example.org/z> <http://example.org/name> "z" .
"""


def _pyshacl_focus(shapes: Graph, data: Graph) -> set[tuple[str, str]]:
    import pyshacl

    _, report, _ = pyshacl.validate(data, shacl_graph=shapes, advanced=True, allow_warnings=True, inference="none")
    top = {s for p in (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target)
           for s in shapes.subjects(p, None)}
    owner = {}  # every node reachable from a top-level shape (its property shapes, nested shapes) -> that shape
    for t in top:
        todo = [t]
        while todo:
            n = todo.pop()
            for o in shapes.objects(n, None):
                if isinstance(o, BNode) and o not in owner:
                    owner[o] = t
                    todo.append(o)
    out = set()
    for r in report.subjects(RDF.type, SH.ValidationResult):
        shape = report.value(r, SH.sourceShape)
        out.add((str(shape if shape in top else owner[shape]), str(report.value(r, SH.focusNode))))
    return out


def _compiled_focus(shapes_ttl: str, data_ttl: str) -> set[tuple[str, str]]:
    store = ox.Store()
    store.load(data_ttl.encode(), format=ox.RdfFormat.TURTLE)
    out = set()
    for c in compile_shapes(MemoryGraph.parse(shapes_ttl.encode())):
        for sol in store.query(c.query):
            t = sol["this"]
            out.add((c.shape.value, t.value))
    return out


def test_the_compiler_agrees_with_pyshacl_on_every_construct_it_translates():
    shapes = Graph().parse(data=_SHAPES, format="turtle")
    data = Graph().parse(data=_DATA, format="turtle")
    expected = _pyshacl_focus(shapes, data)
    got = _compiled_focus(_SHAPES, _DATA)
    assert got == expected
    by_shape = {s.rsplit("/", 1)[-1] for s, _ in expected}
    # every shape but the deactivated one has a violation and a conforming focus node in the data
    assert by_shape == {"Counts", "Values", "Has", "Inverse", "Logic", "Nodes", "Sparql", "Filtered"}
    assert ("http://example.org/Logic", "http://example.org/a") not in expected
    assert ("http://example.org/Logic", "http://example.org/b") in expected


def test_target_filters_are_rewritten_to_the_same_answers():
    from netgraph.records.compile import _filters_first

    q = ("SELECT ?this WHERE { ?this <p> ?l . FILTER NOT EXISTS { ?this <q> ?x } "
         "FILTER(REGEX(?l, \"a.b\")) FILTER(?this != ?l) }")
    r = _filters_first(q)
    assert "MINUS { ?this <q> ?x }" in r and "SELECT DISTINCT ?l WHERE" in r and "FILTER(?this != ?l)" in r
    for kept in ("SELECT ?this WHERE { ?this <p> ?l OPTIONAL { ?l <q> ?m } FILTER(?m) }",
                 "SELECT ?this ?l WHERE { ?this <p> ?l . FILTER(?l) }", "SELECT ?this WHERE { ?this <p> ?l }"):
        assert _filters_first(kept) == kept


@pytest.mark.parametrize("extra", [
    "sh:closed true",
    "sh:property [ sh:path <http://example.org/a> ; sh:equals <http://example.org/b> ]",
    "sh:property [ sh:path <http://example.org/a> ; sh:qualifiedValueShape [ sh:datatype xsd:string ] ; sh:qualifiedMinCount 1 ; "
    "sh:qualifiedValueShapesDisjoint true ]",
    "sh:sparql [ sh:select \"SELECT $this WHERE { }\" ]",
    "sh:property [ sh:path <http://example.org/a> ; sh:disjoint <http://example.org/b> ]",
    "sh:or ( [ sh:path <http://example.org/a> ; sh:lessThan <http://example.org/b> ] )",
    "sh:property [ sh:path [ sh:foo <http://example.org/a> ] ; sh:minCount 1 ]",
])
def test_a_shape_the_compiler_cannot_translate_is_an_error_naming_it(extra):
    shapes = MemoryGraph.parse(f"""
        @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
        <http://example.org/Bad> a sh:NodeShape ; sh:targetClass <http://example.org/Thing> ; {extra} .
        <http://example.org/Good> a sh:NodeShape ; sh:targetClass <http://example.org/Thing> ; sh:property [ sh:path <http://example.org/a> ; sh:minCount 1 ] .""".encode())
    with pytest.raises(ShapeCompileError, match="no translation"):
        compile_shapes(shapes)


def test_a_sparql_target_that_is_not_a_select_is_an_error():
    shapes = MemoryGraph.parse(b"""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        <http://example.org/Bad> a sh:NodeShape ; sh:target [ a <http://example.org/CustomTarget> ] ; sh:property [ sh:path <http://example.org/a> ; sh:minCount 1 ] .""")
    with pytest.raises(ShapeCompileError, match="SPARQLTarget"):
        compile_shapes(shapes)


def test_every_records_shape_compiles():
    from netgraph.records.check import RecordChecker

    checker = RecordChecker(ROOT)
    compiled = compile_shapes(checker.shapes)
    assert {c.shape for c in compiled} == set(checker.shapes.subjects(NG.ruleId, None))


@pytest.mark.parametrize("salt", [None, "pepper"])
def test_the_fast_ntriples_writer_writes_what_the_converter_writes(index, salt):
    """The memoised writer of the fast engine gives the converter's own N-Triples, record by record."""
    from netgraph.records.check import RecordChecker
    from netgraph.records.engine import NTriplesWriter
    from netgraph.records.reader import rows_from_mappings

    checker = RecordChecker(ROOT, salt=salt)
    writer = NTriplesWriter(checker)
    rows = list(rows_from_mappings(_fixture_records(index) * 1))
    assert len(rows) > 40
    for row in rows + rows:  # the second time from the memo
        assert writer.record(row) == checker.converter.ntriples(row)


def test_record_id_required_fires_in_the_compiled_engine_too():
    """A records graph loaded from elsewhere can lack a record's id: the compiled shape fires, as pySHACL's does."""
    from netgraph.records.check import RecordChecker

    checker = RecordChecker(ROOT)
    (c,) = [c for c in compile_shapes(checker.shapes) if c.shape.value.endswith("record-record-id-required")]
    store = ox.Store()
    store.load(b"""<https://w3id.org/netgraph/record/x> a <https://w3id.org/netgraph/TumourRecord> ;
        <https://w3id.org/netgraph/diagnosis> <https://w3id.org/netgraph/Insulinoma> .
        <https://w3id.org/netgraph/record/y> a <https://w3id.org/netgraph/TumourRecord> ;
        <https://w3id.org/netgraph/recordId> "y" .""", format=ox.RdfFormat.TURTLE)
    assert {s["this"].value for s in store.query(c.query)} == {"https://w3id.org/netgraph/record/x"}


@pytest.mark.parametrize("chunk_size", [40])
def test_records_checked_in_chunks_give_the_findings_of_one_store(tmp_path, chunk_size):
    """Memory stays flat because the compiled engine loads and checks a chunk of records at a time, each in a
    store of its own beside the knowledge; the findings are those of one store holding every record."""
    from netgraph.records.check import _checker
    from netgraph.records.engine import OxigraphEngine
    from netgraph.records.reader import read_records
    from datetime import date

    path = tmp_path / "r.csv"
    corpus.write_corpus(path, 150, error_rate=0.6)
    whole = check_records(str(path), root=ROOT, engine="oxigraph", chunk_size=1_000_000)
    chunked = check_records(str(path), root=ROOT, engine="oxigraph", chunk_size=chunk_size)
    assert whole.records == chunked.records == 150
    assert [_key(f) for f in chunked.findings] == [_key(f) for f in whole.findings]
    assert len({f.rule for f in whole.findings}) > 10
    engine = OxigraphEngine(_checker(str(ROOT), date.today()), chunk_size=chunk_size)
    seen: list[int] = []
    n, _ = engine.check(read_records(path), seen.append)
    assert n == 150 and engine.timings["chunks"] == -(-150 // chunk_size)
    assert seen == sorted(seen) and seen[-1] == 150  # progress counts every record once, across chunks


def test_records_naming_a_grading_scheme_beside_records_naming_none_give_the_same_findings():
    """A record that names a scheme is graded in it; beside it, in the same store, a record that names none is
    graded in the default scheme (the default's "names none" branch must test each record, not the store)."""
    base = {"diagnosis": "netgraph:PancreaticNeuroendocrineTumour", "primary_site": "pancreas", "grade": "G1",
            "ki67_percent": "10", "mitotic_count": "5"}
    records = [{**base, "record_id": "mondo", "grading_scheme": "MondoNetGradeDefinitions"},
               {**base, "record_id": "seer", "grading_scheme": "SeerEodWhoGepNetGrading"},
               {**base, "record_id": "none"},
               {**base, "record_id": "mondo-ok", "grading_scheme": "MondoNetGradeDefinitions", "ki67_percent": "1",
                "mitotic_count": "1"}]
    a, b = _both(records)
    assert a == b
    fired = {(k[0], k[2]) for k in a}
    assert {("mondo", "grade-agrees-with-indices"), ("seer", "grade-agrees-with-indices"),
            ("none", "grade-agrees-with-indices")} <= fired
    assert not any(k[0] == "mondo-ok" for k in a)
