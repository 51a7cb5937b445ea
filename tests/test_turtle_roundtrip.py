"""The canonical Turtle writer always writes Turtle that parses, and literals in canonical form (issue 11)."""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import to_isomorphic
from rdflib.namespace import RDF, RDFS, XSD

from netgraph.graphs import part_files
from netgraph.literals import canonical_decimal
from netgraph.memgraph import MemoryGraph
from netgraph.rdfterms import ox_triples
from netgraph.turtle import to_turtle
from netgraph.validation.report import Finding, ValidationReport


def _write(g: Graph, header: tuple[str, ...] = ()) -> bytes:
    """The writer's bytes for a graph the test builds in rdflib (an independent model) and hands over as pyoxigraph terms."""
    return to_turtle(MemoryGraph(ox_triples(g)), header)


def _roundtrip(g: Graph) -> Graph:
    return Graph().parse(data=_write(g).decode("utf-8"), format="turtle")


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


# -- every writer's output parses in rdflib and in Oxigraph (issue 11 item 5) --------------------------

NG_ = "https://w3id.org/netgraph/"
_TRICKY_IRIS = [NG_ + "Plain", NG_ + "with.dot", NG_ + "trailing.", NG_ + "-dash", NG_ + "1digit", NG_ + "_under",
                NG_ + "pct%20x", NG_ + "tilde~x", NG_ + "colon:x", NG_ + "unicodé", NG_, "http://example.org/#frag",
                "urn:uuid:0f3c", "http://purl.obolibrary.org/obo/HP_0000001", str(RDF.type), NG_ + "a.b-c_d"]
_TRICKY_LITERALS = [
    Literal(""), Literal('quote " and \\ backslash'), Literal("new\nline\r\ttab"), Literal("\b\f"),
    Literal("control \x01 \x1f \x7f"), Literal("emoji \U0001F642"), Literal("ends in a backslash\\"),
    Literal('"""triple""" and \'single\''), Literal("label", lang="en"), Literal("label", lang="en-GB"),
    Literal("etiket", lang="nl"), Literal(True), Literal("false", datatype=XSD.boolean),
    Literal("-7", datatype=XSD.integer), Literal("0.5", datatype=XSD.decimal), Literal("1e3", datatype=XSD.double),
    Literal("2026-12-02", datatype=XSD.date), Literal("https://example.org/a b", datatype=XSD.anyURI),
    Literal("x", datatype=URIRef("http://example.org/dt#x")), Literal("s", datatype=XSD.string),
]


def _tricky_graph() -> Graph:
    from rdflib import BNode
    from rdflib.collection import Collection
    from rdflib.namespace import OWL

    g = Graph()
    p = URIRef(NG_ + "p")
    for i, iri in enumerate(_TRICKY_IRIS):
        node = URIRef(iri)
        g.add((node, p, URIRef(_TRICKY_IRIS[(i + 1) % len(_TRICKY_IRIS)])))
        g.add((URIRef(NG_ + "S"), URIRef(iri), Literal(i)))
    for lit in _TRICKY_LITERALS:
        g.add((URIRef(NG_ + "L"), p, lit))
    restriction, inner, empty, head = BNode(), BNode(), BNode(), BNode()
    g.add((URIRef(NG_ + "C"), RDFS.subClassOf, restriction))
    g.add((restriction, RDF.type, OWL.Restriction))
    g.add((restriction, OWL.someValuesFrom, inner))
    g.add((inner, OWL.unionOf, head))
    Collection(g, head, [URIRef(NG_ + "A"), URIRef(NG_ + "B"), Literal("in a list")])
    g.add((URIRef(NG_ + "C"), p, empty))
    return g


def _parsed_by_both(text: bytes) -> tuple[Graph, Graph]:
    import pyoxigraph as ox

    by_rdflib = Graph().parse(data=text.decode("utf-8"), format="turtle")
    nt = ox.serialize(ox.parse(text, format=ox.RdfFormat.TURTLE), format=ox.RdfFormat.N_TRIPLES)
    return by_rdflib, Graph().parse(data=nt.decode("utf-8"), format="nt")


def _rdf11(g: Graph) -> Graph:
    """``g`` as RDF 1.1 sees it: an xsd:string literal is the plain literal, language tags are case-insensitive."""
    out = Graph()
    for s, p, o in g:
        if isinstance(o, Literal) and o.datatype == XSD.string:
            o = Literal(str(o))
        elif isinstance(o, Literal) and o.language:
            o = Literal(str(o), lang=o.language.lower())
        out.add((s, p, o))
    return out


def test_tricky_terms_round_trip_through_rdflib_and_oxigraph():
    g = _tricky_graph()
    text = _write(g, ("a header comment", "with two lines"))
    for parsed in _parsed_by_both(text):
        assert to_isomorphic(parsed) == to_isomorphic(_rdf11(g))
    assert _write(_tricky_graph()) == _write(g), "same graph, new blank nodes: same bytes"


def test_non_canonical_numbers_are_written_canonical_and_both_parsers_agree():
    g = Graph()
    for i, (text, dt) in enumerate((("062.50", XSD.decimal), ("-0", XSD.decimal), ("+007", XSD.integer))):
        g.add((URIRef(NG_ + "N"), URIRef(f"{NG_}v{i}"), Literal(text, datatype=dt)))
    by_rdflib, by_oxigraph = _parsed_by_both(_write(g))
    forms = sorted(str(o) for o in by_rdflib.objects())
    assert forms == ["0", "62.5", "7"]
    assert sorted(str(o) for o in by_oxigraph.objects()) == forms


def test_a_blank_node_cycle_is_an_error_not_a_silent_loss():
    """Regression: blank nodes that were each the object of one triple, in a cycle, were never written."""
    from rdflib import BNode

    from netgraph.errors import BuildError

    g = Graph()
    a, b = BNode(), BNode()
    g.add((a, URIRef(NG_ + "p"), b))
    g.add((b, URIRef(NG_ + "p"), a))
    g.add((URIRef(NG_ + "X"), RDFS.label, Literal("x")))
    with pytest.raises(BuildError, match="cycle"):
        _write(g)


def test_an_iri_with_a_control_character_never_becomes_a_term():
    """The writer writes any IRI it is given between <>: pyoxigraph refuses the characters an IRI may not hold
    when the term is made, so no emitter can hand it one (the writer's own check went with rdflib)."""
    import pyoxigraph as ox

    for bad in ("http://example.org/a\x01b", "http://example.org/a b", 'http://example.org/a"b', "http://example.org/a<b"):
        with pytest.raises(ValueError):
            ox.NamedNode(bad)


def test_every_emitted_and_generated_turtle_file_parses_in_both(root):
    """The build's three files, the record rules' shapes and every other Turtle file the tree ships."""
    from netgraph.paths import project_paths

    paths = project_paths(root)
    files = [p for p in part_files(root).values() if p.is_file()] + sorted((root / "ontology").glob("*.ttl"))
    assert paths.instance_data in files and any(p.name == "records-shapes.ttl" for p in files)
    for path in dict.fromkeys(files):
        by_rdflib, by_oxigraph = _parsed_by_both(path.read_bytes())
        assert len(by_rdflib) == len(by_oxigraph) > 0, path


def _check_report_turtle(text: str) -> Graph:
    by_rdflib, by_oxigraph = _parsed_by_both(text.encode("utf-8"))
    assert to_isomorphic(by_rdflib) == to_isomorphic(by_oxigraph)
    return by_rdflib


def test_validation_report_turtle_parses_in_both_whatever_the_terms():
    from rdflib import BNode

    sh = "http://www.w3.org/ns/shacl#"
    report = ValidationReport(inputs=["x.ttl"])
    report.add([
        Finding(severity="Violation", rule="qc/individual-without-entity-type", check="qc", message='bad "type"\n',
                focus=URIRef(NG_ + "X"), path=RDF.type, value=URIRef(NG_ + "Y")),
        Finding(severity="Warning", rule="ngshape:AssociationQuote", check="shacl", message="a blank focus",
                focus=BNode(), path=URIRef(NG_ + "quote"), value=Literal("0.50", datatype=XSD.decimal)),
        Finding(severity="Info", rule="reasoner/unsatisfiable-class", check="reasoner", message="café \\ ok",
                focus=URIRef(NG_ + "with.dot"), value=Literal("x", lang="en-GB")),
    ])
    g = _check_report_turtle(report.to_turtle())
    assert len(set(g.objects(None, URIRef(sh + "result")))) == 3
    assert (None, URIRef(sh + "resultPath"), RDF.type) in g
    import pyoxigraph as ox

    graph = report.to_graph()  # netgraph's own model: pyoxigraph terms, the same triples the Turtle holds
    assert isinstance(graph, MemoryGraph) and len(graph) == len(g)
    assert all(isinstance(term, (ox.NamedNode, ox.BlankNode, ox.Literal)) for t in graph for term in t)


def test_records_report_turtle_parses_in_both():
    from netgraph.records.findings import RecordFinding, RecordsReport

    findings = [RecordFinding(row=2, record_id="r 1/ä", severity="Violation", rule="hormone-of-diagnosis",
                              fields=("diagnosis",), values=('"quoted"', "back\\slash"), message="line\nbreak")]
    report = RecordsReport(source="x.csv", records=1, engine="oxigraph", findings=findings)
    g = _check_report_turtle(report.to_turtle())
    assert len(g) > 5


def test_a_finding_is_the_same_whether_made_from_rdflib_oxigraph_or_netgraph_terms():
    """Findings hold netgraph.terms; rdflib and pyoxigraph terms handed in are converted without changing a
    byte of any report format, and equality still tells every RDF term apart (kind, datatype, language)."""
    import pyoxigraph as ox
    from rdflib import BNode

    from netgraph.terms import IRI
    from netgraph.terms import BNode as TermBNode
    from netgraph.terms import Literal as TermLiteral

    dec = str(XSD.decimal)
    by_kind = {
        "rdflib": (URIRef(NG_ + "X"), RDF.type, Literal("0.50", datatype=XSD.decimal), BNode("b1"),
                   Literal("x", lang="en")),
        "oxigraph": (ox.NamedNode(NG_ + "X"), ox.NamedNode(str(RDF.type)), ox.Literal("0.50", datatype=ox.NamedNode(dec)),
                     ox.BlankNode("b1"), ox.Literal("x", language="en")),
        "netgraph": (IRI(NG_ + "X"), IRI(str(RDF.type)), TermLiteral("0.50", datatype=dec), TermBNode("b1"),
                     TermLiteral("x", language="en")),
    }
    reports = {}
    for kind, (focus, path, value, blank, tagged) in by_kind.items():
        findings = [Finding("Violation", "qc/a", "qc", "m", focus=focus, path=path, value=value),
                    Finding("Warning", "ngshape:B", "shacl", "m", focus=blank, path=path, value=tagged)]
        for f in findings:
            assert all(t is None or type(t).__module__ == "netgraph.terms" for t in (f.focus, f.path, f.value))
        reports[kind] = ValidationReport(findings=findings, inputs=["x.ttl"])
    outputs = {kind: (r.to_text(), r.to_json(), r.to_turtle()) for kind, r in reports.items()}
    assert outputs["rdflib"] == outputs["oxigraph"] == outputs["netgraph"]
    assert reports["rdflib"].findings == reports["netgraph"].findings
    assert '"0.50"^^xsd:decimal' in outputs["netgraph"][0] and '"literal": "0.50"' in outputs["netgraph"][1]
    # findings that differ only in a term's datatype or kind stay two findings (terms are str subclasses:
    # their display text alone would merge them)
    same_text = ValidationReport(findings=[
        Finding("Violation", "qc/a", "qc", "m", value=TermLiteral("62")),
        Finding("Violation", "qc/a", "qc", "m", value=TermLiteral("62", datatype=dec)),
        Finding("Violation", "qc/a", "qc", "m", value=IRI("urn:x")),
        Finding("Violation", "qc/a", "qc", "m", value=TermLiteral("urn:x")),
    ])
    assert len(same_text.findings) == 4
