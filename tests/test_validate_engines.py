"""The two SHACL engines of `validate` give identical findings: compiled SPARQL (auto) and pySHACL.

On the mini project with every hand-written rule's bad fixture and every
generated rule's bad example, and on the built graph with every SHACL mutation
of tests/test_mutations.py applied at once. Every shape of the graph must have
a translation (none left to pySHACL), so the fast engine is what `validate` runs.
"""

from __future__ import annotations

import pytest
from rdflib import Graph

from _validation_support import FIXTURES, load_fixture, mini_graphs, mini_root
from netgraph.paths import project_paths
from netgraph.validation import load_graphs, shapes_graph, validate_graphs
from netgraph.validation.engine import compile_finding_queries, run_shapes
from netgraph.validation.graphstore import store_from_graphs

SHAPE_FIXTURES = sorted((FIXTURES / "shapes").glob("*.ttl"))


def _findings(graphs, root, engine: str) -> list:
    report = validate_graphs(graphs, root=root, reasoner=False, qc=False, engine=engine)
    return report.findings


def _assert_same(graphs, root) -> list:
    fast, reference = _findings(graphs, root, "auto"), _findings(graphs, root, "pyshacl")
    assert fast == reference, (
        "the engines differ:\n only compiled: " + repr(sorted(set(fast) - set(reference), key=str)[:10])
        + "\n only pySHACL: " + repr(sorted(set(reference) - set(fast), key=str)[:10]))
    return fast


def test_every_shape_of_the_graph_has_a_translation():
    queries, left = compile_finding_queries(shapes_graph(project_paths()))
    assert left == [] and queries


@pytest.mark.parametrize("fixture", SHAPE_FIXTURES, ids=lambda p: p.stem)
def test_engines_agree_on_each_hand_written_bad_fixture(fixture, mini_graphs, mini_root):
    graphs = {**mini_graphs, "user": load_fixture(fixture)}
    found = _assert_same(graphs, mini_root)
    assert any(f.rule == f"ngshape:{fixture.stem}" for f in found)


def test_engines_agree_on_every_generated_bad_example(mini_graphs, mini_root):
    from test_shapes import GENERATED

    extra = Graph()
    for _name, _focus, _value, triples in GENERATED:
        for t in triples:
            extra.add(t)
    found = _assert_same({**mini_graphs, "user": extra}, mini_root)
    assert {f"ngshape:{name}" for name, *_ in GENERATED} <= {f.rule for f in found}


def test_engines_agree_on_the_built_graph_with_every_shacl_mutation(paths):
    from test_mutations import MUTATIONS

    graphs = load_graphs(root=paths.root)
    shacl = [m for m in MUTATIONS if m.check == "shacl"]
    for part in {p for m in shacl for p in m.parts}:
        copy = Graph()
        copy += graphs[part]
        graphs[part] = copy
    for m in shacl:
        m.apply(graphs)
    found = _assert_same(graphs, paths.root)
    assert {m.rule for m in shacl} <= {f.rule for f in found}


def test_a_shape_without_a_translation_is_run_by_pyshacl(mini_graphs, mini_root):
    import pyoxigraph as ox

    from netgraph.memgraph import MemoryGraph
    from netgraph.vocab import NG, RDF, RDFS, SH

    shapes = MemoryGraph()
    shape = ox.NamedNode("https://example.org/shapes/LabelEquals")
    shapes.add((shape, RDF.type, SH.NodeShape))
    shapes.add((shape, SH.targetNode, NG.Insulinoma))
    prop = ox.NamedNode("https://example.org/shapes/LabelEqualsProperty")
    shapes.add((shape, SH.property, prop))
    shapes.add((prop, SH.path, RDFS.label))
    shapes.add((prop, SH.equals, RDFS.comment))  # sh:equals: no SPARQL translation
    shapes.add((prop, SH.message, ox.Literal("label equals comment")))
    queries, left = compile_finding_queries(shapes)
    assert left == [shape] and queries == []
    notes: list[str] = []
    with store_from_graphs(mini_graphs) as vs:
        found = run_shapes(vs, shapes, notes=notes)
    assert "1 shape(s) run by pySHACL (no SPARQL translation): https://example.org/shapes/LabelEquals" in notes
    assert found and {f.rule for f in found} == {prop.value}


def _rendered(report) -> dict[str, str]:
    import re

    return {fmt: re.sub(r"; [0-9.]+ s\)", "; T s)", report.render(fmt)) for fmt in ("text", "json", "turtle")}


def test_findings_hold_netgraph_terms_and_both_engines_print_the_same_bytes(mini_graphs, mini_root):
    """One RDF model at the report boundary: whichever engine (compiled SPARQL on Oxigraph, or pySHACL on
    rdflib) and whichever check, a finding's terms are netgraph.terms, never rdflib or pyoxigraph terms;
    and the two engines' reports are byte-identical in every format."""
    from test_shapes import GENERATED

    from netgraph.terms import Term

    extra = Graph()
    for fixture in SHAPE_FIXTURES:
        extra += load_fixture(fixture)
    for _name, _focus, _value, triples in GENERATED:
        for t in triples:
            extra.add(t)
    graphs = {**mini_graphs, "user": extra}
    reports = {engine: validate_graphs(graphs, root=mini_root, reasoner=False, qc=engine == "auto", engine=engine)
               for engine in ("auto", "pyshacl")}
    for engine, report in reports.items():
        assert report.findings, engine
        for f in report.findings:
            for t in (f.focus, f.path, f.value):
                assert t is None or isinstance(t, Term), (engine, f.rule, type(t))
    assert {f.check for f in reports["auto"].findings} == {"shacl", "qc"}
    shacl_only = validate_graphs(graphs, root=mini_root, reasoner=False, qc=False, engine="auto")
    assert _rendered(shacl_only) == _rendered(reports["pyshacl"])
