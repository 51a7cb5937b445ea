"""netgraph's one internal RDF model: pyoxigraph terms (netgraph.vocab) in a MemoryGraph (issue 11)."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from netgraph.memgraph import MemoryGraph, sort_key
from netgraph.prefixes import namespace, turtle_prolog
from netgraph.vocab import NG, OWL, RDF, RDFS, XSD, Namespace, local

A, B, C = NG.A, NG.B, NG.C


def _graph() -> MemoryGraph:
    g = MemoryGraph()
    g.add((A, RDF.type, OWL.Class))
    g.add((B, RDF.type, OWL.Class))
    g.add((A, RDFS.subClassOf, B))
    g.add(ox.Triple(A, RDFS.label, ox.Literal("a", language="en")))
    g.add((A, RDFS.label, ox.Literal("a", language="en")))  # the same triple again
    return g


def test_vocab_iris_come_from_the_prefix_map_and_are_shared():
    assert NG.Insulinoma.value == namespace("netgraph") + "Insulinoma"
    assert XSD.decimal.value == namespace("xsd") + "decimal"
    assert NG.Insulinoma is NG["Insulinoma"], "one cached term per name"
    assert local(NG.Insulinoma) == "Insulinoma" and local(RDF.type) == RDF.type.value
    with pytest.raises(KeyError):
        Namespace("no-such-prefix")
    with pytest.raises(AttributeError):
        NG.__wrapped__  # noqa: B018 (dunder lookups are not IRIs: copy, pickle and inspect probe them)


def test_a_triple_is_held_once_and_patterns_match():
    g = _graph()
    assert len(g) == 4
    assert (A, RDFS.subClassOf, B) in g and (B, RDFS.subClassOf, A) not in g
    with pytest.raises(TypeError, match="whole triple"):
        (A, RDF.type, None) in g  # noqa: B015 (rdflib answers patterns here; silently False would mislead)
    assert (ox.Literal("a"), RDF.type, OWL.Class) not in g  # a triple that cannot exist is not held
    assert g.subjects(RDF.type, OWL.Class) == [A, B]
    assert g.objects(A, None) == [OWL.Class, B, ox.Literal("a", language="en")]
    assert {t.subject for t in g.triples((None, RDFS.subClassOf, None))} == {A}
    assert list(g.triples((None, None, None))) == list(g)
    assert list(g.triples((C, None, None))) == []


def test_value_is_one_or_none_never_an_arbitrary_pick():
    g = _graph()
    assert g.value(A, RDFS.subClassOf) == B
    assert g.value(C, RDFS.subClassOf) is None
    g.add((A, RDFS.subClassOf, C))
    with pytest.raises(ValueError, match="2 values"):
        g.value(A, RDFS.subClassOf)


def test_set_remove_and_the_index_follow_changes():
    g = _graph()
    assert g.objects(A, RDFS.subClassOf) == [B]  # builds the index
    g.add((C, RDFS.subClassOf, B))  # kept up to date, not rebuilt
    g.add((C, RDFS.subClassOf, B))
    assert g.subjects(RDFS.subClassOf, B) == [A, C] and len(list(g.triples((C, None, None)))) == 1
    g.remove((C, None, None))
    g.set((A, RDFS.subClassOf, C))
    assert g.objects(A, RDFS.subClassOf) == [C]
    g.remove((None, RDF.type, None))
    assert g.subjects(RDF.type, OWL.Class) == [] and len(g) == 2


def test_lists_round_trip_and_a_broken_list_is_an_error():
    g = MemoryGraph()
    items = [A, ox.Literal("x"), ox.Literal("1", datatype=XSD.integer)]
    head = g.add_list(items)
    assert g.list_items(head) == items
    assert g.add_list([]) == RDF.nil and g.list_items(RDF.nil) == []
    cell = ox.BlankNode()
    g.add((cell, RDF.first, A))
    with pytest.raises(ValueError, match="not a well-formed RDF list"):
        g.list_items(cell)  # no rdf:rest
    g.add((cell, RDF.rest, cell))
    with pytest.raises(ValueError, match="not a well-formed RDF list"):
        g.list_items(cell)  # a cycle


def test_parse_keeps_lexical_forms_and_refuses_named_graphs(tmp_path):
    doc = (turtle_prolog(["netgraph", "xsd"]) + 'netgraph:A netgraph:v "062.50"^^xsd:decimal .').encode()
    g = MemoryGraph.parse(doc)
    assert g.value(A, NG.v) == ox.Literal("062.50", datatype=XSD.decimal)
    path = tmp_path / "a.ttl"
    path.write_bytes(doc)
    assert set(MemoryGraph.parse(path)) == set(g)
    with pytest.raises(SyntaxError):
        MemoryGraph.parse(b"netgraph:A netgraph:v .")
    with pytest.raises(SyntaxError, match="named graph"):
        MemoryGraph.parse(b"<urn:a> <urn:b> <urn:c> <urn:g> .", format=ox.RdfFormat.N_QUADS)


def test_to_rdflib_is_the_same_graph_with_lexical_forms_kept():
    from rdflib import Literal, URIRef

    g = _graph()
    g.add((A, NG.v, ox.Literal("62.0", datatype=XSD.decimal)))
    r = g.to_rdflib()
    assert len(r) == len(g)
    assert (URIRef(A.value), URIRef(RDFS.subClassOf.value), URIRef(B.value)) in r
    assert str(r.value(URIRef(A.value), URIRef(NG.v.value))) == "62.0"
    assert Literal("a", lang="en") in set(r.objects(URIRef(A.value), URIRef(RDFS.label.value)))


def test_sort_key_orders_iris_blank_nodes_then_literals():
    terms = [ox.Literal("a"), ox.BlankNode("b"), B, ox.Literal("a", language="en"), A]
    assert sorted(terms, key=sort_key) == [A, B, ox.BlankNode("b"), ox.Literal("a", language="en"), ox.Literal("a")]


def test_an_association_kind_with_two_predicates_is_an_error(tmp_path):
    from netgraph.errors import BuildError
    from netgraph.model import CoreModel
    from netgraph.paths import project_paths

    text = project_paths().ontology_edit.read_text(encoding="utf-8")
    core = CoreModel.load(project_paths().ontology_edit)
    kind = next(iter(core.association_kinds.values()))
    path = tmp_path / "core.ttl"
    path.write_text(text + f"\n<{kind.class_iri.value}> <{NG.directPredicate.value}> <{NG.somethingElse.value}> .\n",
                    encoding="utf-8")
    with pytest.raises(BuildError, match=f"association kind '{kind.code}' is declared twice, or lacks one"):
        CoreModel.load(path).association_kinds  # noqa: B018
