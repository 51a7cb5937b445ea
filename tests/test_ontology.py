"""The release ontology: OWL 2 metadata, loads in owlready2, consistent under HermiT (issue 2)."""

from __future__ import annotations

import shutil

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS

from netgraph._version import RELEASE_DATE, __version__
from netgraph.build import ONTOLOGY_IRI, version_iri

IAO_DEF = URIRef("http://purl.obolibrary.org/obo/IAO_0000115")


@pytest.fixture(scope="module")
def ontology(paths):
    return Graph().parse(paths.ontology_release, format="turtle")


def test_metadata_and_dated_version_iri_from_the_project_version(ontology):
    onto_iri = URIRef(ONTOLOGY_IRI.value)  # the emitted file, read back by rdflib (an independent parser)
    assert (onto_iri, RDF.type, OWL.Ontology) in ontology
    for prop in (DCTERMS.title, DCTERMS.description, DCTERMS.license, DCTERMS.creator):
        assert ontology.value(onto_iri, prop) is not None, prop
    assert ontology.value(onto_iri, OWL.versionIRI) == URIRef(version_iri().value)
    assert RELEASE_DATE in version_iri().value
    assert ontology.value(onto_iri, OWL.versionInfo) == Literal(__version__)


def test_every_term_has_an_english_label_and_a_definition(ontology):
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
    missing = []
    for kind in kinds:
        for term in ontology.subjects(RDF.type, kind):
            if not isinstance(term, URIRef) or str(term).startswith(str(OWL)) or term == RDFS.label:
                continue
            labels = [o for o in ontology.objects(term, RDFS.label) if getattr(o, "language", None) == "en"]
            defs = list(ontology.objects(term, IAO_DEF))
            if str(term).startswith("https://w3id.org/netgraph/") and not (labels and defs):
                missing.append(str(term))
    assert missing == []


def test_loads_in_owlready2_and_hermit_finds_it_consistent(paths, tmp_path):
    if shutil.which("java") is None:
        pytest.fail("Java is required for HermiT; .ci/run installs it (apt-get install default-jre-headless)")
    import owlready2

    nt = tmp_path / "netgraph.nt"
    Graph().parse(paths.ontology_release, format="turtle").serialize(nt, format="nt", encoding="utf-8")
    world = owlready2.World()
    onto = world.get_ontology(nt.as_uri()).load()
    assert len(list(onto.classes())) > 50
    with onto:
        owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
    assert list(world.inconsistent_classes()) == []
