"""Every SHACL rule fires on its bad example, and only the one prefix map names namespaces."""

from __future__ import annotations

import re

import pyoxigraph as ox
import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from _validation_support import (FIXTURES, ROOT, fixture_focus, focus_matches, load_fixture, same_term,
                                 mini_graphs, mini_root, mini_shared)
from netgraph.indication import QUALIFIER_COLUMNS
from netgraph.memgraph import MemoryGraph
from rdflib import Namespace

from netgraph.model import CoreModel
from netgraph.prefixes import NETGRAPH

from netgraph.prefixes import SOURCE, STATEMENT, identifier_prefixes, prefix_map
from netgraph.validation import shapes_graph, validate_graphs
from netgraph.validation.shapes import SHAPES, known_prefix_pattern, syntax_pattern
from netgraph.vocab import SH

NG = Namespace(NETGRAPH)  # the tests build rdflib graphs, as a user hands them in

SHAPE_FIXTURES = sorted((FIXTURES / "shapes").glob("*.ttl"))
HAND_WRITTEN = MemoryGraph.parse(ROOT / "ontology" / "shapes.ttl")


def _rules(graph: MemoryGraph) -> set[str]:
    return {s.value[len(SHAPES.base):] for s in graph.subjects(SH.message, None) if isinstance(s, ox.NamedNode)}


def _run(mini_graphs, mini_root, extra: Graph):
    graphs = dict(mini_graphs)
    graphs["user"] = extra
    return validate_graphs(graphs, root=mini_root, reasoner=False, qc=False)


def test_shapes_prefix_lines_come_from_the_prefix_map():
    text = (ROOT / "ontology" / "shapes.ttl").read_text(encoding="utf-8")
    declared = dict(re.findall(r"^@prefix (\w*): <([^>]+)> \.$", text, flags=re.M))
    assert declared, "shapes.ttl declares no prefixes"
    for prefix, uri in declared.items():
        assert prefix_map().get(prefix) == uri, f"@prefix {prefix}: differs from netgraph/prefixes.tsv"


def test_every_hand_written_rule_has_a_bad_fixture():
    assert _rules(HAND_WRITTEN) == {p.stem for p in SHAPE_FIXTURES}


def test_every_rule_has_a_message_and_a_severity(paths):
    shapes = shapes_graph(paths)
    for s in shapes.subjects(SH.message, None):
        assert shapes.value(s, SH.severity) in (SH.Violation, SH.Warning, SH.Info), s
        assert len(shapes.value(s, SH.message).value) > 30, f"{s}: the message is too short to act on"


@pytest.mark.parametrize("fixture", SHAPE_FIXTURES, ids=lambda p: p.stem)
def test_hand_written_rule_fires_on_its_bad_fixture(fixture, mini_graphs, mini_root):
    expected = fixture_focus(fixture)
    report = _run(mini_graphs, mini_root, load_fixture(fixture))
    rule = f"ngshape:{fixture.stem}"
    hits = [f for f in report.findings if f.rule == rule]
    assert hits, f"{rule} did not fire on {fixture.name}; findings: {[(f.rule, f.focus) for f in report.findings]}"
    if expected is not BNode and isinstance(expected, Literal):
        assert any(same_term(f.focus, expected) for f in hits)
    else:
        assert any(focus_matches(f.focus, expected) for f in hits)
    assert not report.conforms and report.exit_code == 1


def test_the_mini_project_is_clean(mini_graphs, mini_root, mini_shared):
    report = validate_graphs(mini_graphs, root=mini_root, reasoner=False, shared_dir=mini_shared)
    assert report.findings == [], report.to_text()
    assert report.conforms and report.exit_code == 0


# -- generated shapes: bad examples generated from the same model and prefix map -------------

def _generated_cases():
    core = CoreModel.load(ROOT / "ontology" / "netgraph-edit.ttl")
    cases = []
    for p in identifier_prefixes():
        if not p.local_pattern:
            continue
        iri = URIRef(p.uri_prefix + "not~valid")
        cases.append((f"IdentifierSyntax-{p.prefix}", iri, iri,
                      [(NG.Insulinoma, SKOS.closeMatch, iri)]))
        xref = Literal(f"{p.prefix}:not~valid")
        cases.append((f"IdentifierSyntaxCurie-{p.prefix}", xref, xref,
                      [(NG.Insulinoma, URIRef(prefix_map()["oboInOwl"] + "hasDbXref"), xref)]))
    unknown = URIRef("http://example.org/codes/123")
    cases.append(("KnownIdentifierPrefix", unknown, unknown, [(NG.Insulinoma, SKOS.closeMatch, unknown)]))
    cases.append(("KnownIdentifierPrefixCurie", Literal("XYZ:123"), Literal("XYZ:123"),
                  [(NG.Insulinoma, URIRef(prefix_map()["oboInOwl"] + "hasDbXref"), Literal("XYZ:123"))]))
    cases.append(("KnownIdentifierPrefixRecord", Literal("XYZ:123"), Literal("XYZ:123"),
                  [(URIRef(f"{STATEMENT}bad-record"), NG.sourceRecord, Literal("XYZ:123"))]))
    wrong = NG.Usually  # a frequency qualifier value: fits no association's subject or object
    for code, kind in sorted(core.association_kinds.items()):
        for role, prop in (("Subject", NG.subject), ("Object", NG.object)):
            node = URIRef(f"{STATEMENT}bad-{code}-{role.lower()}")
            triples = _association(node, URIRef(kind.class_iri.value))
            triples = [t for t in triples if t[1] != prop] + [(node, prop, wrong)]
            cases.append((f"{kind.class_iri.value.split('/')[-1]}{role}", node, None, triples))
    node = URIRef(f"{STATEMENT}bad-frequency")
    cases.append(("AssociationFrequency", node, None,
                  _association(node, NG.PresentationAssociation) + [(node, NG.hasFrequency, NG.Insulin)]))
    node = URIRef(f"{STATEMENT}bad-purpose")
    cases.append(("AssociationPurpose", node, None,
                  _association(node, NG.DiagnosisAssociation) + [(node, NG.hasPurpose, NG.Often)]))
    for q in QUALIFIER_COLUMNS:  # the indication and evidence qualifiers (netgraph/indication.py)
        if q.controlled or q.entity_root:
            name = "Association" + "".join(part.capitalize() for part in q.column.split("_"))
            node = URIRef(f"{STATEMENT}bad-{q.column}")
            cases.append((name, node, None, _association(node, NG.TreatmentAssociation) + [(node, URIRef(q.prop.value), NG.Often)]))
    cases.append(("InstanceIRI", BNode, None, [(BNode("b1"), RDF.type, NG.AnatomicalSite)]))
    cases.append(("DirectTriple", NG.Insulinoma, None, [(NG.Insulinoma, NG.mayProduce, BNode("b2"))]))
    return cases


def _association(node, cls):
    return [(node, RDF.type, cls), (node, RDF.type, OWL.NamedIndividual),
            (node, RDFS.label, Literal("a bad association", lang="en")),
            (node, NG.subject, NG.PancreaticNeuroendocrineTumour), (node, NG.object, NG.CtScan),
            (node, NG.hasSource, URIRef(SOURCE + "mini")), (node, NG.quote, Literal("A CT scan can show where the tumour is."))]


GENERATED = _generated_cases()


def test_every_generated_rule_has_a_bad_example(paths):
    generated = _rules(shapes_graph(paths)) - _rules(HAND_WRITTEN)
    assert generated == {name for name, *_ in GENERATED}


@pytest.fixture(scope="module")
def generated_report(mini_graphs, mini_root):
    """One run over all generated bad examples (each on its own nodes; one pySHACL run is ~0.3 s)."""
    extra = Graph()
    for _name, _focus, _value, triples in GENERATED:
        for t in triples:
            extra.add(t)
    return _run(mini_graphs, mini_root, extra)


@pytest.mark.parametrize("case", GENERATED, ids=lambda c: c[0])
def test_generated_rule_fires_on_its_bad_example(case, generated_report):
    name, focus, value, _triples = case
    report = generated_report
    hits = [f for f in report.findings if f.rule == f"ngshape:{name}" and focus_matches(f.focus, focus)]
    assert hits, f"ngshape:{name} did not fire; findings: {[(f.rule, f.focus) for f in report.findings]}"
    if value is not None:
        assert any(same_term(f.value, value) or same_term(f.focus, value) for f in hits)


def test_identifier_patterns_accept_real_codes_and_reject_near_misses():
    rows = identifier_prefixes()
    by = {p.prefix: p for p in rows}
    good = {"ORPHA": "97253", "MONDO": "0019954", "HP": "0001943", "UBERON": "0001264", "CHEBI": "5931",
            "NCIT": "C3809", "ICDO": "8240/3", "ICD10CM": "C7A.0"}
    bad = {"ORPHA": "97253a", "MONDO": "19954", "HP": "00019430", "UBERON": "UBERON_0001264", "CHEBI": "CHEBI:5931",
           "NCIT": "3809", "ICDO": "8240", "ICD10CM": "c7a"}
    for prefix, local in good.items():
        p = by[prefix]
        assert re.search(syntax_pattern(p, rows), p.uri_prefix + local)
        assert re.search(syntax_pattern(p, rows, curie=True), f"{prefix}:{local}")
        assert re.search(known_prefix_pattern(rows), p.uri_prefix + local)
    for prefix, local in bad.items():
        p = by[prefix]
        assert not re.search(syntax_pattern(p, rows), p.uri_prefix + local), (prefix, local)
        assert not re.search(syntax_pattern(p, rows, curie=True), f"{prefix}:{local}"), (prefix, local)
    # a value of another system is not this system's business
    assert re.search(syntax_pattern(by["ORPHA"], rows), by["MONDO"].uri_prefix + "0019954")
