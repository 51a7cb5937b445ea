"""The canonical Turtle writer always writes Turtle that parses, and literals in canonical form (issue 11)."""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.compare import to_isomorphic
from rdflib.namespace import RDF, RDFS, XSD

from netgraph.graphs import part_files
from netgraph.literals import canonical_decimal
from netgraph.turtle import to_turtle
from netgraph.validation.report import Finding, ValidationReport


def _roundtrip(g: Graph) -> Graph:
    return Graph().parse(data=to_turtle(g).decode("utf-8"), format="turtle")


def test_rdf_type_as_subject_and_object_is_written_as_an_iri():
    """Regression: 'a' was written for rdf:type in every position (`sh:resultPath a ;` does not parse)."""
    g = Graph()
    g.add((URIRef("urn:x"), URIRef("urn:path"), RDF.type))
    g.add((RDF.type, RDFS.label, Literal("type")))
    g.add((URIRef("urn:x"), RDF.type, URIRef("urn:C")))
    back = _roundtrip(g)
    assert to_isomorphic(back) == to_isomorphic(g)


def test_a_validation_report_about_rdf_type_parses():
    report = ValidationReport(inputs=["x.ttl"])
    report.add([Finding(severity="Violation", rule="qc/individual-without-entity-type", check="qc",
                        message="bad type", focus=URIRef("https://w3id.org/netgraph/X"), path=RDF.type,
                        value=URIRef("https://w3id.org/netgraph/Y"))])
    g = Graph().parse(data=report.to_turtle(), format="turtle")
    assert (None, URIRef("http://www.w3.org/ns/shacl#resultPath"), RDF.type) in g


def _emitted(root) -> dict[str, Graph]:
    return {part: Graph().parse(path, format="turtle") for part, path in part_files(root).items() if path.is_file()}


def test_every_literal_survives_oxigraph_and_rdflib_unchanged(root):
    """Regression: "62.0"^^xsd:decimal was stored by Oxigraph as "62", so a verified load found the
    content changed; the emitted forms are the ones both engines keep."""
    import pyoxigraph as ox

    for part, path in part_files(root).items():
        if not path.is_file():
            continue
        store = ox.Store()
        store.load(path=str(path), format=ox.RdfFormat.TURTLE)
        ox_literals = {(q.object.value, q.object.datatype.value) for q in store
                       if isinstance(q.object, ox.Literal) and q.object.language is None}
        rdf_literals = {(str(o), str(o.datatype or XSD.string)) for o in Graph().parse(path, format="turtle").objects()
                        if isinstance(o, Literal) and o.language is None}
        assert ox_literals == rdf_literals, part


def test_a_graph_rewritten_by_rdflib_validates_clean(root, tmp_path):
    """rdflib's Turtle writer spells decimals its own way (62 -> 62.0); the same values validate clean."""
    from netgraph.validation.runner import validate

    out = tmp_path / "data.ttl"
    out.write_text(Graph().parse(part_files(root)["data"], format="turtle").serialize(format="turtle"), encoding="utf-8")
    report = validate([out], root=root, reasoner=False)
    assert report.findings == [], report.to_text()


def test_decimal_values_are_in_canonical_form(root):
    decimals = [o for g in _emitted(root).values() for o in g.objects()
                if isinstance(o, Literal) and o.datatype == XSD.decimal]
    assert decimals, "the graph has decimal values (epidemiology figures)"
    for lit in decimals:
        assert str(lit) == canonical_decimal(str(lit)), str(lit)
