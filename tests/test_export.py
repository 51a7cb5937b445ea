"""`netgraph export`: every format parses back to the graph, deterministically.

The graph is the built project (``NETGRAPH_ROOT`` when set, as for a scratch
build; otherwise this checkout). RDF exports are compared with the plain rdflib
path (the emitted Turtle parsed by rdflib): same triple count, and isomorphic.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from click.testing import CliRunner
from rdflib.compare import isomorphic

from netgraph.cli import main
from netgraph.graphs import GRAPH_IRIS, part_files
from netgraph.prefixes import expand, jsonld_context
from netgraph.stores import biolink
from netgraph.stores.export import FORMATS, export
from netgraph.stores.neo4j import IMPORT_COMMAND, NODE_HEADER

CHECKOUT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def reference(root):
    """The plain rdflib path: each emitted file parsed by rdflib, by part."""
    graphs = {}
    for part, path in part_files(root).items():
        if path.is_file():
            graphs[part] = rdflib.Graph().parse(path, format="turtle")
    return graphs


def _same_graph(a: rdflib.Graph, b: rdflib.Graph) -> bool:
    """Equal ground triples, and isomorphic blank-node parts (cheaper than isomorphic() on the whole graph)."""
    def split(g):
        ground, blank = set(), rdflib.Graph()
        for t in g:
            if isinstance(t[0], rdflib.BNode) or isinstance(t[2], rdflib.BNode):
                blank.add(t)
            else:
                ground.add(t)
        return ground, blank

    (ga, ba), (gb, bb) = split(a), split(b)
    return len(a) == len(b) and ga == gb and isomorphic(ba, bb)


def _union(graphs):
    g = rdflib.Graph()
    for part in graphs.values():
        for t in part:
            g.add(t)
    return g


@pytest.fixture(scope="module")
def exported(tmp_path_factory, root, built):
    out = tmp_path_factory.mktemp("export")
    results = {}
    for fmt, spec in FORMATS.items():
        target = out / (fmt if spec.is_directory else f"netgraph{spec.suffix}")
        results[fmt] = export(fmt, target, root=root, built=built)
    return results


RDF_FORMATS = {"ttl": ("turtle", ox.RdfFormat.TURTLE), "nt": ("nt", ox.RdfFormat.N_TRIPLES),
               "jsonld": ("json-ld", ox.RdfFormat.JSON_LD), "rdfxml": ("xml", ox.RdfFormat.RDF_XML)}


@pytest.mark.parametrize("fmt", sorted(RDF_FORMATS))
def test_rdf_export_parses_back_to_the_graph(fmt, exported, built, reference):
    result = exported[fmt]
    path = result.files[0]
    rdflib_format, ox_format = RDF_FORMATS[fmt]
    graph = "ontology" if fmt == "rdfxml" else "all"
    expected_count = len(built.union(graph)[0])
    plain = reference["ontology"] if graph == "ontology" else _union(reference)
    assert len(plain) == expected_count
    if fmt == "rdfxml":  # RDF/XML holds the graph as OWL and OBO tools expect it (test_owl_tools.py)
        from netgraph.stores.owlview import owl_view
        from netgraph.memgraph import MemoryGraph

        view = owl_view(built.union(graph)[0])
        expected_count, plain = len(view), MemoryGraph(view).to_rdflib()
    parsed = rdflib.Graph().parse(path, format=rdflib_format)
    assert len(parsed) == expected_count == result.triples
    assert len(list(ox.parse(path=str(path), format=ox_format))) == expected_count
    assert _same_graph(parsed, plain)


@pytest.mark.parametrize("fmt, rdflib_format, ox_format", [("nq", "nquads", ox.RdfFormat.N_QUADS),
                                                           ("trig", "trig", ox.RdfFormat.TRIG)])
def test_quad_formats_keep_one_named_graph_per_part(fmt, rdflib_format, ox_format, exported, built, reference):
    path = exported[fmt].files[0]
    ds = rdflib.Dataset()
    ds.parse(path, format=rdflib_format)
    for part, g in reference.items():
        named = ds.graph(rdflib.URIRef(GRAPH_IRIS[part]))
        assert len(named) == len(g) == len(built.parts[part])
        assert _same_graph(rdflib.Graph() + named, g)
    quads = list(ox.parse(path=str(path), format=ox_format))
    assert len(quads) == sum(len(p) for p in built.parts.values()) == exported[fmt].triples
    assert {q.graph_name.value for q in quads} == {GRAPH_IRIS[p] for p in built.parts}


def test_trig_is_canonical_and_deterministic(tmp_path, exported, built):
    """Issue 13 item 7: the TriG export read back by pyoxigraph is each part exactly, blank nodes included."""
    from netgraph.stores.canonical import parse_part

    path = exported["trig"].files[0]
    quads = list(ox.parse(path=str(path), format=ox.RdfFormat.TRIG))
    by_graph: dict[str, list[str]] = {}
    for q in quads:
        by_graph.setdefault(q.graph_name.value, []).append(f"{ox.Triple(q.subject, q.predicate, q.object)} .")
    for part, p in built.parts.items():  # identical content, blank nodes included, by the canonical labelling
        assert parse_part(part, "\n".join(by_graph[p.iri]).encode()).lines == p.lines
    text = path.read_text(encoding="utf-8")
    assert "@prefix netgraph: <https://w3id.org/netgraph/> ." in text and "nggraph:ontology {" in text
    again = export("trig", tmp_path / "again.trig", built=built).files[0]
    assert again.read_bytes() == path.read_bytes()


def test_line_formats_are_sorted_and_distinct(exported):
    for fmt in ("nt", "nq"):
        lines = exported[fmt].files[0].read_text(encoding="utf-8").splitlines()
        assert lines == sorted(set(lines))


def test_export_is_deterministic_and_gzip_is_stable(tmp_path, root, built, exported):
    for fmt in ("ttl", "jsonld", "rdfxml", "nt"):
        again = export(fmt, tmp_path / f"again{FORMATS[fmt].suffix}", root=root, built=built)
        assert again.files[0].read_bytes() == exported[fmt].files[0].read_bytes()
    a = export("nt", tmp_path / "a.nt.gz", built=built).files[0]
    b = export("nt", tmp_path / "b.nt", gzip=True, built=built).files[0]
    assert b.name == "b.nt.gz"
    assert a.read_bytes() == b.read_bytes()
    assert gzip.decompress(a.read_bytes()) == exported["nt"].files[0].read_bytes()


def test_jsonld_context_is_the_prefix_map(exported):
    doc = json.loads(exported["jsonld"].files[0].read_text(encoding="utf-8"))
    assert doc["@context"] == jsonld_context()["@context"]
    ids = [node["@id"] for node in doc["@graph"]]
    assert ids == sorted(ids)


def test_single_graph_export(tmp_path, built, reference):
    result = export("ttl", tmp_path / "data.ttl", graph="data", built=built)
    assert _same_graph(rdflib.Graph().parse(result.files[0], format="turtle"), reference["data"])


def test_rdfxml_loads_in_owlready2(exported, reference):
    owlready2 = pytest.importorskip("owlready2")
    world = owlready2.World()
    onto = world.get_ontology(exported["rdfxml"].files[0].as_uri()).load()
    owl_classes = {str(s) for s in reference["ontology"].subjects(rdflib.RDF.type, rdflib.OWL.Class)
                   if isinstance(s, rdflib.URIRef)}
    assert {c.iri for c in onto.classes()} == owl_classes
    restricted = [c for c in onto.classes() if any(isinstance(p, owlready2.Restriction) for p in c.is_a)]
    has_restrictions = any(isinstance(o, rdflib.BNode)
                           for o in reference["ontology"].objects(None, rdflib.RDFS.subClassOf))
    assert bool(restricted) == has_restrictions


def _tsv(path):
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
    assert all(len(r) == len(rows[0]) for r in rows), "every row has one cell per column"
    return [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]


def test_kgx_nodes_and_edges(exported, reference):
    files = {p.name: p for p in exported["kgx"].files}
    assert set(files) == {"nodes.tsv", "edges.tsv"}
    nodes = _tsv(files["nodes.tsv"])
    edges = _tsv(files["edges.tsv"])
    assert len(nodes) == exported["kgx"].nodes and len(edges) == exported["kgx"].edges
    ids = [n["id"] for n in nodes]
    assert ids == sorted(set(ids))
    assert all(n["category"].startswith("biolink:") for n in nodes)
    allowed = set(biolink.PREDICATES.values()) | {biolink.DEFAULT_PREDICATE}
    for e in edges:
        assert e["subject"] in ids and e["object"] in ids, "no dangling edge"
        assert e["predicate"] in allowed
        assert e["knowledge_level"] and e["agent_type"] and e["primary_knowledge_source"]
    # one edge per association individual of the data graph, carrying its quote and source
    data = reference.get("data", rdflib.Graph())
    subject = rdflib.URIRef(expand("netgraph:subject"))
    associations = set(data.subjects(subject, None))
    by_id = {e["id"]: e for e in edges if e["id"].startswith("ngstmt:")}  # the others: urn:uuid: ids (tests/test_kgx.py)
    assert len(associations) == len(by_id)
    for a in associations:
        edge = by_id[next(e for e in by_id if expand(e) == str(a))]
        quotes = {" ".join(str(q).split()) for q in data.objects(a, rdflib.URIRef(expand("netgraph:quote")))}
        assert set(edge["supporting_text"].split("|")) == quotes
        assert edge["publications"]


def test_biolink_table_covers_the_model(reference):
    onto = reference["ontology"]
    direct = {str(o) for o in onto.objects(None, rdflib.URIRef(expand("netgraph:directPredicate")))}
    unmapped = [p for p in direct if p not in {expand(k) for k in biolink.PREDICATES}]
    assert not unmapped, f"add these direct predicates to netgraph/stores/biolink.tsv (kind predicate): {unmapped}"
    for curie, category in biolink.CATEGORIES.items():
        assert category.startswith("biolink:") and curie.startswith("netgraph:")


def test_neo4j_csv_headers_and_ids(exported):
    files = {p.name: p for p in exported["neo4j"].files}
    with open(files["nodes.csv"], encoding="utf-8", newline="") as fh:
        nodes = list(csv.reader(fh))
    with open(files["relationships.csv"], encoding="utf-8", newline="") as fh:
        rels = list(csv.reader(fh))
    assert tuple(nodes[0]) == NODE_HEADER
    assert rels[0][:3] == [":START_ID", ":END_ID", ":TYPE"]
    ids = {row[0] for row in nodes[1:]}
    assert len(ids) == len(nodes) - 1
    for row in rels[1:]:
        assert row[0] in ids and row[1] in ids
        assert row[2] == row[2].upper() and " " not in row[2]
    assert IMPORT_COMMAND in (CHECKOUT / "docs" / "stores.md").read_text(encoding="utf-8")


def test_neo4j_typed_columns_follow_the_literal_datatypes(exported, reference):
    """Issue 13 item 7: a property whose values are typed numbers gets a Neo4j type, and every value parses."""
    from netgraph.stores.neo4j import NEO4J_TYPES

    files = {p.name: p for p in exported["neo4j"].files}
    with open(files["relationships.csv"], encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    header = list(rows[0])
    assert "value:float" in header and "value" not in header
    decimals = sorted(str(o) for _, _, o in _union(reference).triples((None, rdflib.URIRef(expand("netgraph:value")),
                                                                      None)))
    assert decimals and sorted(r["value:float"] for r in rows if r["value:float"]) == decimals
    for column in header:
        _name, _, kind = column.partition(":")
        if kind in ("float", "int", "long"):
            for r in rows:
                if r[column]:
                    (float if kind == "float" else int)(r[column])  # a value Neo4j's importer can read
        if kind == "boolean":
            assert {r[column] for r in rows} <= {"", "true", "false"}
    assert NEO4J_TYPES["http://www.w3.org/2001/XMLSchema#decimal"] == "float"
    untyped = {c for c in header if ":" not in c}
    assert {"supporting_text", "frequency_text"} & {c.split(":")[0] for c in header} and "frequency_text" in untyped


def test_cli_export(tmp_path, root):
    runner = CliRunner()
    result = runner.invoke(main, ["export", "-f", "nq", "-o", str(tmp_path / "g.nq"), "--root", str(root)])
    assert result.exit_code == 0, result.output
    assert "triples" in result.output
    result = runner.invoke(main, ["export", "-f", "nt", "--graph", "mappings", "-o", "-", "--root", str(root)])
    assert result.exit_code == 0
    assert all(line.endswith(" .") for line in result.output.splitlines())
    result = runner.invoke(main, ["export", "-f", "kgx", "-o", str(tmp_path / "kgx"), "--gzip", "--root", str(root)])
    assert result.exit_code == 0
    assert sorted(p.name for p in (tmp_path / "kgx").iterdir()) == ["edges.tsv.gz", "nodes.tsv.gz"]
    gzip.decompress((tmp_path / "kgx" / "nodes.tsv.gz").read_bytes()).decode("utf-8")


@pytest.mark.parametrize("args, message", [
    (["-f", "yaml", "-o", "x"], "Invalid value"),
    (["-f", "ttl", "-o", "{tmp}"], "is a directory"),
    (["-f", "kgx", "-o", "-"], "several files"),
    (["-f", "ttl", "--graph", "cases", "-o", "x.ttl"], "Invalid value"),
])
def test_cli_export_bad_input_exits_2(tmp_path, root, args, message):
    args = [a.replace("{tmp}", str(tmp_path)) for a in args]
    result = CliRunner().invoke(main, ["export", *args, "--root", str(root)])
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_unbuilt_root_is_a_clear_error(tmp_path):
    (tmp_path / "ontology").mkdir()
    result = CliRunner().invoke(main, ["export", "-f", "nt", "-o", str(tmp_path / "x.nt"), "--root", str(tmp_path)])
    assert result.exit_code == 2
    assert "run `netgraph build` first" in result.output


def test_jsonld_writes_full_iris_for_prefixes_not_ending_in_a_delimiter():
    from netgraph.stores.jsonld import to_jsonld

    t = ox.Triple(ox.NamedNode(expand("netgraph:X")), ox.NamedNode(expand("skos:exactMatch")),
                  ox.NamedNode(expand("ORPHA:97253")))
    doc = json.loads(to_jsonld([t]))
    assert doc["@graph"][0]["skos:exactMatch"] == [{"@id": expand("ORPHA:97253")}]
    assert len(list(ox.parse(to_jsonld([t]), format=ox.RdfFormat.JSON_LD))) == 1
    assert len(rdflib.Graph().parse(io.BytesIO(to_jsonld([t])), format="json-ld")) == 1
