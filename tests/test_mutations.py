"""Mutation test: corrupt the built graph one way at a time; `validate` must report each corruption.

Each mutation copies only the parts it changes, applies one corruption, runs the
check that owns the rule and asserts that the expected rule fires on the
corrupted node. SHACL and reasoner runs go through ``validate_graphs`` on the
mutated graphs (about 2 s each on the full graph, spread over two worker
processes); QC runs the same queries on one store of the built graph with the
mutation applied as a delta and reverted afterwards.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from collections.abc import Callable

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from _validation_support import mini_root, same_term  # fixture
from rdflib import Namespace

from netgraph.prefixes import NETGRAPH

from netgraph.prefixes import expand, namespace, prefix_map
from netgraph.paths import project_paths
from netgraph.validation import load_graphs, validate_graphs
from netgraph.validation.qc import SourceTexts, qc_queries, qc_store, quads, run_qc

NG = Namespace(NETGRAPH)  # the tests build rdflib graphs, as a user hands them in

HAS_DBXREF = URIRef(prefix_map()["oboInOwl"] + "hasDbXref")
IAO_DEFINITION = URIRef(prefix_map()["IAO"] + "0000115")


@dataclass(frozen=True)
class Mutation:
    name: str
    parts: tuple[str, ...]  # the parts it changes (copied first)
    apply: Callable[[dict], URIRef | BNode | Literal | None]  # returns the node the finding must name (None: any)
    rule: str

    @property
    def check(self) -> str:
        return "reasoner" if self.rule.startswith("reasoner/") else "qc" if self.rule.startswith("qc/") else "shacl"


def _first(graph: Graph, pred, obj) -> URIRef:
    return sorted(s for s in graph.subjects(pred, obj) if isinstance(s, URIRef))[0]


def _assoc(g, cls=NG.PresentationAssociation, having=None):
    nodes = sorted(s for s in g["data"].subjects(RDF.type, cls) if isinstance(s, URIRef)
                   and (having is None or (s, having, None) in g["data"]))
    return nodes[0]


def _leaf_class_with_label(g) -> URIRef:
    """The first leaf class of the curated tables (a core class keeps its label in the core ontology QC also reads)."""
    from netgraph.model import CoreModel

    onto = g["ontology"]
    core = {NG[c] for c in CoreModel.load(project_paths().ontology_edit).classes}
    classes = sorted(s for s in onto.subjects(RDF.type, OWL.Class) if isinstance(s, URIRef)
                     and (s, RDFS.subClassOf, None) in onto and not any(onto.subjects(RDFS.subClassOf, s))
                     and (s, OWL.deprecated, None) not in onto and s not in core)
    return classes[0]


def _english(g: Graph, node):
    return next(o for o in g.objects(node, RDFS.label) if o.language == "en")


# -- the corruptions ---------------------------------------------------------------------------

def drop_class_english_label(g):
    c = _leaf_class_with_label(g)
    g["ontology"].remove((c, RDFS.label, _english(g["ontology"], c)))
    return c


def drop_entity_english_label(g):
    e = _first(g["data"], RDF.type, NG.Hormone)
    g["data"].remove((e, RDFS.label, _english(g["data"], e)))
    return e


def untag_class_label(g):
    c = _leaf_class_with_label(g)
    label = _english(g["ontology"], c)
    g["ontology"].remove((c, RDFS.label, label))
    g["ontology"].add((c, RDFS.label, Literal(str(label))))
    return c


def drop_class_definition(g):
    c = _leaf_class_with_label(g)
    g["ontology"].remove((c, IAO_DEFINITION, None))
    return c


def break_identifier_syntax(g):
    s, code = sorted((s, o) for s, o in g["mappings"].subject_objects(SKOS.exactMatch)
                     if str(o).startswith(namespace("ORPHA")))[0]
    g["mappings"].remove((s, SKOS.exactMatch, code))
    bad = URIRef(str(code) + "x")
    g["mappings"].add((s, SKOS.exactMatch, bad))
    return bad


def break_dbxref_curie(g):
    s, xref = sorted(g["mappings"].subject_objects(HAS_DBXREF))[0]
    g["mappings"].remove((s, HAS_DBXREF, xref))
    bad = Literal(str(xref).replace(":", "_", 1))
    g["mappings"].add((s, HAS_DBXREF, bad))
    return bad


def subject_of_wrong_class(g):
    a = _assoc(g)
    symptom = _first(g["data"], RDF.type, NG.SymptomOrSign)
    g["data"].set((a, NG.subject, symptom))
    return a


def object_of_wrong_class(g):
    a = _assoc(g, NG.ProductionAssociation)
    g["data"].set((a, NG.object, NG.NeuroendocrineTumour))
    return a


def drop_quote(g):
    a = _assoc(g)
    g["data"].remove((a, NG.quote, None))
    return a


def swap_quote(g):
    a = _assoc(g)
    g["data"].set((a, NG.quote, Literal("Every neuroendocrine tumour is cured by drinking water.")))
    return a


def drop_source(g):
    a = _assoc(g)
    g["data"].remove((a, NG.hasSource, None))
    return a


def blank_node_object(g):
    a = _assoc(g)
    g["data"].set((a, NG.object, BNode()))
    return a


def blank_node_individual(g):
    e = _first(g["data"], RDF.type, NG.Hormone)
    b = BNode()
    for p, o in list(g["data"].predicate_objects(e)):
        g["data"].remove((e, p, o))
        g["data"].add((b, p, o))
    return BNode


def map_to_obsolete_code(g):
    obsolete = sorted(s for s in g["mappings"].subjects(OWL.deprecated, Literal(True)) if isinstance(s, URIRef))
    if not obsolete:  # the fixture's own obsolete code, as the obsolete-code table would emit it
        obsolete = [URIRef(expand("ORPHA:481469"))]
        g["mappings"].add((obsolete[0], OWL.deprecated, Literal(True)))
    c = _leaf_class_with_label(g)
    g["mappings"].add((c, SKOS.closeMatch, obsolete[0]))
    return c


def uncontrolled_frequency(g):
    a = _assoc(g, having=NG.hasFrequency)
    g["data"].set((a, NG.hasFrequency, NG.Insulinoma))
    return a


def same_as_mapping(g):
    s, code = sorted(g["mappings"].subject_objects(SKOS.exactMatch))[0]
    g["mappings"].remove((s, SKOS.exactMatch, code))
    g["mappings"].add((s, OWL.sameAs, code))
    return s


def drop_class_parent(g):
    c = _leaf_class_with_label(g)
    for p in list(g["ontology"].objects(c, RDFS.subClassOf)):
        g["ontology"].remove((c, RDFS.subClassOf, p))
    return c


def duplicate_label(g):
    hormones = sorted(s for s in g["data"].subjects(RDF.type, NG.Hormone) if isinstance(s, URIRef))
    a, b = hormones[0], hormones[1]
    g["data"].set((b, RDFS.label, _english(g["data"], a)))
    return b


def duplicate_exact_match(g):
    s, code = sorted((s, o) for s, o in g["mappings"].subject_objects(SKOS.exactMatch)
                     if (s, RDF.type, OWL.Class) in g["ontology"])[0]
    other = _leaf_class_with_label(g) if _leaf_class_with_label(g) != s else NG.NeuroendocrineTumour
    g["mappings"].add((other, SKOS.exactMatch, code))
    return other


def association_without_kind(g):
    a = _assoc(g)
    g["data"].remove((a, RDF.type, NG.PresentationAssociation))
    g["data"].add((a, RDF.type, NG.Association))
    return a


def individual_typed_as_disease(g):
    e = _first(g["data"], RDF.type, NG.Hormone)
    g["data"].remove((e, RDF.type, NG.Hormone))
    g["data"].add((e, RDF.type, NG.NeuroendocrineTumour))
    return e


def unit_without_value(g):
    a = _assoc(g)
    g["data"].add((a, NG.unit, Literal("percent")))
    return a


def stray_individual(g):
    e = NG.StrayTestHormone
    g["data"].add((e, RDF.type, OWL.NamedIndividual))
    g["data"].add((e, RDF.type, NG.Hormone))
    g["data"].add((e, RDFS.label, Literal("stray test hormone", lang="en")))
    return e


def uncited_source(g):
    s = _first(g["data"], RDF.type, NG.PatientInformationText)
    for p in (NG.hasSource, NG.definitionSource):
        for part in ("data", "ontology"):
            g[part].remove((None, p, s))
    return s


def unsatisfiable_class(g):
    """A class that causes a hormone hypersecretion syndrome by definition, put under non-functional tumours."""
    onto = g["ontology"]
    secreting = sorted(c for c in onto.subjects(RDFS.subClassOf, None) if isinstance(c, URIRef)
                       and any((r, OWL.onProperty, NG.causesHypersecretionSyndrome) in onto
                               for r in onto.objects(c, RDFS.subClassOf)))
    c = secreting[0]
    onto.add((c, RDFS.subClassOf, NG.NonFunctionalNeuroendocrineNeoplasm))
    return c


MUTATIONS = [
    Mutation("drop a class's English label", ("ontology",), drop_class_english_label, "qc/missing-label"),
    Mutation("drop an entity's English label", ("data",), drop_entity_english_label, "qc/missing-label"),
    Mutation("untag a class label", ("ontology",), untag_class_label, "ngshape:ClassLabelLanguage"),
    Mutation("drop a class definition", ("ontology",), drop_class_definition, "qc/missing-definition"),
    Mutation("break an ORPHA code's syntax", ("mappings",), break_identifier_syntax, "ngshape:IdentifierSyntax-ORPHA"),
    Mutation("break a dbxref CURIE", ("mappings",), break_dbxref_curie, "ngshape:KnownIdentifierPrefixCurie"),
    Mutation("subject of the wrong class", ("data",), subject_of_wrong_class, "ngshape:PresentationAssociationSubject"),
    Mutation("object of the wrong class", ("data",), object_of_wrong_class, "ngshape:ProductionAssociationObject"),
    Mutation("remove a quote", ("data",), drop_quote, "ngshape:AssociationQuote"),
    Mutation("swap a quote for text not in the source", ("data",), swap_quote, "qc/quote-not-in-source"),
    Mutation("remove the source", ("data",), drop_source, "ngshape:AssociationSource"),
    Mutation("blank node as an association object", ("data",), blank_node_object, "ngshape:AssociationObject"),
    Mutation("blank node as an individual", ("data",), blank_node_individual, "ngshape:InstanceIRI"),
    Mutation("map to an obsolete code", ("mappings",), map_to_obsolete_code, "qc/mapping-to-obsolete"),
    Mutation("uncontrolled frequency value", ("data",), uncontrolled_frequency, "ngshape:AssociationFrequency"),
    Mutation("owl:sameAs instead of skos:exactMatch", ("mappings",), same_as_mapping, "qc/mapping-predicate-not-skos"),
    Mutation("drop a class's parents", ("ontology",), drop_class_parent, "qc/class-without-parent"),
    Mutation("give two entities one label", ("data",), duplicate_label, "qc/duplicate-label"),
    Mutation("exactMatch one code from two classes", ("mappings",), duplicate_exact_match, "qc/duplicate-exact-match"),
    Mutation("association without a kind", ("data",), association_without_kind, "qc/association-kind"),
    Mutation("individual typed with a disease class", ("data",), individual_typed_as_disease,
             "qc/individual-without-entity-type"),
    Mutation("unit without a value", ("data",), unit_without_value, "qc/unit-without-value"),
    Mutation("stray individual nothing refers to", ("data",), stray_individual, "qc/orphan-individual"),
    Mutation("source cited by nothing", ("data", "ontology"), uncited_source, "qc/unused-source"),
    Mutation("functional-by-definition tumour under non-functional", ("ontology",), unsatisfiable_class,
             "reasoner/unsatisfiable-class"),
]

_BASE: dict = {}  # the built graph, loaded once per process (see _load_base)


def _load_base(root) -> None:
    """Fill _BASE in this process: the parent loads it; a worker started by ``spawn`` (or ``forkserver``,
    Python 3.14's default) has a fresh module and loads it itself; a forked worker inherits it."""
    if _BASE.get("root") != root:
        _BASE["graphs"] = load_graphs(root=root)
        _BASE["root"] = root


def _base_root():
    """What a worker sees of _BASE (for the start-method test)."""
    return _BASE.get("root"), sorted(_BASE.get("graphs", {}))


def _mutated(m: Mutation):
    graphs = dict(_BASE["graphs"])
    for part in m.parts:
        copy = Graph()
        copy += graphs[part]
        graphs[part] = copy
    node = m.apply(graphs)
    if m.check == "reasoner":
        graphs = {"ontology": graphs["ontology"]}  # the release ontology alone: as `netgraph reason` sees it
    return graphs, node


def _run(index: int):
    m = MUTATIONS[index]
    graphs, node = _mutated(m)
    report = validate_graphs(graphs, root=_BASE["root"], shacl=m.check == "shacl", qc=False,
                             reasoner=m.check == "reasoner")
    return node, [(f.rule, f.focus, f.value) for f in report.findings], report.notes


def _run_qc(index: int, store, texts):
    """QC on the base store with the mutation applied as a delta (and reverted): same queries, same data."""
    m = MUTATIONS[index]
    graphs, node = _mutated(m)
    removed, added = [], []
    for part in m.parts:
        base, new = _BASE["graphs"][part], graphs[part]
        removed += quads((t for t in base if t not in new), part)
        added += quads((t for t in new if t not in base), part)
    for q in removed:
        store.remove(q)
    store.extend(added)
    try:
        findings, notes, _ran = run_qc(store, qc_queries(project_paths(_BASE["root"])), texts)
    finally:
        for q in added:
            store.remove(q)
        store.extend(removed)
    return node, [(f.rule, f.focus, f.value) for f in findings], notes


def _fires(rule, node, found) -> bool:
    if node is BNode:
        return any(r == rule and getattr(focus, "kind", None) == "bnode" for r, focus, _ in found)
    return any(r == rule and (same_term(focus, node) or same_term(value, node)) for r, focus, value in found)


NEEDS_SOURCE_TEXTS = {"qc/quote-not-in-source"}


@pytest.fixture(scope="module")
def outcomes(paths):
    _load_base(paths.root)
    store = qc_store(_BASE["graphs"], paths.ontology_edit)
    shared = paths.shared_dir()
    texts = SourceTexts.from_project(paths, shared) if shared is not None else None
    results = {}
    with ProcessPoolExecutor(max_workers=min(2, os.cpu_count() or 1), initializer=_load_base,
                             initargs=(paths.root,)) as pool:
        futures = {i: pool.submit(_run, i) for i, m in enumerate(MUTATIONS) if m.check != "qc"}
        for i, m in enumerate(MUTATIONS):
            if m.check == "qc":
                results[i] = _run_qc(i, store, texts)
        for i, fut in futures.items():
            results[i] = fut.result()
    return results


def test_a_worker_started_by_spawn_loads_the_base_graph(mini_root):
    """The workers do not rely on ``fork`` copying the parent's memory: under ``spawn`` each loads the graph
    (the small fixture project here, to keep it quick; the fixture above passes the built graph's root)."""
    with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"), initializer=_load_base,
                             initargs=(mini_root,)) as pool:
        root, parts = pool.submit(_base_root).result()
    assert root == mini_root and {"ontology", "data", "mappings"} <= set(parts)


def test_at_least_twenty_different_corruptions():
    assert len({m.rule for m in MUTATIONS}) >= 20 and len(MUTATIONS) >= 20


@pytest.mark.parametrize("index", range(len(MUTATIONS)), ids=[m.name for m in MUTATIONS])
def test_corruption_is_reported(index, outcomes, paths):
    m = MUTATIONS[index]
    if m.rule in NEEDS_SOURCE_TEXTS and paths.shared_dir() is None:
        pytest.skip("the shared curation folder is absent; this mutation is caught by comparing quotes with the "
                    "source texts (set NETGRAPH_SHARED; CI always has it)")
    node, found, notes = outcomes[index]
    assert _fires(m.rule, node, found), (
        f"{m.name}: expected {m.rule} on {node}; validate reported {found[:10]} (notes: {notes})")
