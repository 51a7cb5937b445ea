"""The emitted Turtle: parses the same in rdflib and pyoxigraph, no blank nodes, labels (issue 2)."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import BNode, Graph, Literal
from rdflib.namespace import RDFS

from netgraph.graphs import part_files


@pytest.mark.parametrize("part", ["ontology", "data", "mappings"])
def test_rdflib_and_pyoxigraph_agree_on_triple_count(paths, part):
    path = part_files(paths.root)[part]
    g = Graph().parse(path, format="turtle")
    with open(path, "rb") as fh:
        ox_triples = list(ox.parse(fh, format=ox.RdfFormat.TURTLE))
    assert len(g) == len(ox_triples) > 0


def test_instance_data_and_mappings_have_no_blank_nodes(paths):
    for part in ("data", "mappings"):
        g = Graph().parse(part_files(paths.root)[part], format="turtle")
        bnodes = [t for t in g if isinstance(t[0], BNode) or isinstance(t[2], BNode)]
        assert bnodes == [], f"{part}: {bnodes[:3]}"


def test_every_subject_in_instance_data_has_an_english_label(paths, union_graph):
    data = Graph().parse(part_files(paths.root)["data"], format="turtle")
    unlabeled = sorted(
        str(s) for s in set(data.subjects())
        if not any(isinstance(o, Literal) and o.language == "en" for o in union_graph.objects(s, RDFS.label))
    )
    assert unlabeled == []


def test_labels_are_language_tagged(union_graph):
    untagged = [(s, o) for s, o in union_graph.subject_objects(RDFS.label) if isinstance(o, Literal) and not o.language]
    assert untagged == []


def test_no_triple_lives_in_two_named_graphs(paths):
    """One home per triple: union-default-graph counts then agree across stores (Oxigraph counts duplicates)."""
    from itertools import combinations

    graphs = {part: set(Graph().parse(f, format="turtle")) for part, f in part_files(paths.root).items() if f.is_file()}
    shared = {(a, b): len(graphs[a] & graphs[b]) for a, b in combinations(graphs, 2)}
    assert all(n == 0 for n in shared.values()), shared


def test_individuals_used_in_class_axioms_are_typed_in_the_ontology_graph(paths):
    from rdflib import URIRef
    from rdflib.namespace import OWL, RDF

    onto = Graph().parse(paths.ontology_release, format="turtle")
    values = set(onto.objects(None, OWL.hasValue))
    assert values, "the ontology has hasValue axioms"
    for v in values:
        assert (v, RDF.type, OWL.NamedIndividual) in onto
        assert any(str(t).startswith("https://w3id.org/netgraph/") for t in onto.objects(v, RDF.type) if isinstance(t, URIRef))
