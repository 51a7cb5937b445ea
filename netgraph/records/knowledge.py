"""What the record checks need to know from the knowledge graph, read once from the embedded store.

- labels and synonyms (any language), to resolve a diagnosis, site, hormone or
  syndrome written as a word;
- which entities may fill which field (diagnoses under NeuroendocrineNeoplasm,
  syndromes under ClinicalSyndrome / HereditarySyndrome, hormones among the
  SecretedSubstance individuals, sites among the AnatomicalSite individuals);
- the *knowledge graph* handed to pySHACL beside the records: the class
  hierarchy, the universal class axioms as direct triples, inherited
  (``C netgraph:definedPrimarySite S`` for ``C ⊑ hasPrimarySite value S``, the
  nearest such axiom only; ``C netgraph:definedSecretes H`` for
  ``C ⊑ secretes value H``) and the
  broader/narrower links between sites. Only universal axioms are used: a
  hedged statement ("may secrete") is never a rule.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import pyoxigraph as ox

from ..hierarchy import closure, step_from_pairs
from ..memgraph import MemoryGraph
from ..prefixes import NETGRAPH, expand
from ..vocab import NG, OWL, RDFS, SKOS

__all__ = ["Knowledge", "load_knowledge", "FIELD_ROOTS"]

#: record field -> the netgraph class its entity must be (a subclass of, for classes; an instance of, for individuals)
FIELD_ROOTS: dict[str, tuple[str, str]] = {
    "diagnosis": ("class", "NeuroendocrineNeoplasm"),
    "syndrome": ("class", "ClinicalSyndrome"),
    "hereditary_syndrome": ("class", "HereditarySyndrome"),
    "hormones": ("individual", "SecretedSubstance"),
    "primary_site": ("individual", "AnatomicalSite"),
    "grading_scheme": ("individual", "GradingScheme"),
}

_RDFS, _OWL, _SKOS = RDFS.base, OWL.base, SKOS.base


@dataclass
class Knowledge:
    """The parts of the knowledge graph that record checks read (IRIs as strings)."""

    labels: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  # casefolded label -> IRIs
    members: dict[str, frozenset[str]] = field(default_factory=dict)  # field name -> IRIs allowed
    subclass_of: list[tuple[str, str]] = field(default_factory=list)
    defined_site: list[tuple[str, str]] = field(default_factory=list)
    defined_secretes: list[tuple[str, str]] = field(default_factory=list)
    broader: list[tuple[str, str]] = field(default_factory=list)  # site -> broader site
    deprecated: dict[str, str] = field(default_factory=dict)  # class IRI -> replacement IRI or ""
    schemes: dict[str, Any] = field(default_factory=dict)  # grading scheme IRI -> netgraph.grading.rules.Scheme

    def descendants(self, root: str) -> frozenset[str]:
        """``root`` and every class below it."""
        return _closure(root, ((parent, child) for child, parent in self.subclass_of))

    def ancestors(self, cls: str) -> frozenset[str]:
        """``cls`` and every class above it."""
        return _closure(cls, self.subclass_of)

    def graph(self) -> MemoryGraph:
        """The knowledge the shapes navigate, as a graph (a few thousand triples)."""
        g = MemoryGraph()
        for pairs, p in ((self.subclass_of, RDFS.subClassOf), (self.defined_site, NG.definedPrimarySite),
                         (self.defined_secretes, NG.definedSecretes), (self.broader, SKOS.broader)):
            for s, o in pairs:
                g.add((ox.NamedNode(s), p, ox.NamedNode(o)))
        return g


def _closure(start: str, edges: Any) -> frozenset[str]:
    """Every node reachable from ``start`` along ``edges`` (pairs from -> to), ``start`` included."""
    return closure(start, step_from_pairs(edges))


def _inherited(k: Knowledge, axioms: dict[str, set[str]], *, nearest: bool) -> list[tuple[str, str]]:
    """(class, value) for every class under the NEN root and the axiom values it inherits.

    Universal axioms pass down the hierarchy. With ``nearest``, only the values of
    the nearest ancestors that have such an axiom count: a pancreatic NET must arise
    in the pancreas; that a GEP neoplasm arises in the digestive system adds
    nothing, and the reference extract has no part-of link between the two sites.
    """
    parents: dict[str, set[str]] = defaultdict(set)
    for child, parent in k.subclass_of:
        parents[child].add(parent)
    out: set[tuple[str, str]] = set()
    for cls in k.descendants(NETGRAPH + "NeuroendocrineNeoplasm"):
        level, seen = {cls}, set()
        while level:
            found = set().union(*(axioms.get(c, set()) for c in level))
            out.update((cls, v) for v in found)
            if found and nearest:
                break
            seen |= level
            level = set().union(*(parents[c] for c in level)) - seen
    return sorted(out)


def _rows(store: Any, query: str) -> list[list[str]]:
    return [[term.value for term in sol] for sol in store.query(query, use_default_graph_as_union=True)]


@lru_cache(maxsize=4)
def load_knowledge(root: Any = None) -> Knowledge:
    """Read the knowledge the record checks need from the built graph (cached per project root)."""
    from ..storecache import open_store

    store = open_store(root)
    k = Knowledge()
    for e, label in _rows(store, f"SELECT ?e ?l WHERE {{ ?e <{_RDFS}label>|<{_SKOS}altLabel> ?l "
                                 f"FILTER(STRSTARTS(STR(?e), \"{NETGRAPH}\")) }}"):
        k.labels[" ".join(label.casefold().split())].add(e)
    k.subclass_of = [(c, p) for c, p in _rows(
        store, f"SELECT ?c ?p WHERE {{ ?c <{_RDFS}subClassOf> ?p FILTER(isIRI(?c) && isIRI(?p)) }}")]
    axioms: dict[str, dict[str, set[str]]] = {"hasPrimarySite": defaultdict(set), "secretes": defaultdict(set)}
    for prop, table in axioms.items():
        for c, v in _rows(store, f"SELECT ?c ?v WHERE {{ ?c <{_RDFS}subClassOf> ?r . ?r <{_OWL}onProperty> "
                                 f"<{NETGRAPH}{prop}> ; <{_OWL}hasValue> ?v FILTER(isIRI(?c)) }}"):
            table[c].add(v)
    k.defined_site, k.defined_secretes = _inherited(k, axioms["hasPrimarySite"], nearest=True), \
        _inherited(k, axioms["secretes"], nearest=False)
    k.broader = [(s, b) for s, b in _rows(
        store, f"SELECT ?s ?b WHERE {{ ?s <{_SKOS}broader> ?b }}")]
    for c, rep in _rows(store, f"SELECT ?c (COALESCE(STR(?r), \"\") AS ?rep) WHERE {{ ?c <{_OWL}deprecated> true "
                               f"OPTIONAL {{ ?c <{expand('dcterms:isReplacedBy')}> ?r }} }}"):
        k.deprecated[c] = rep
    typed = _rows(store, "SELECT DISTINCT ?i ?t WHERE { ?i a ?t }")
    for name, (kind, root) in FIELD_ROOTS.items():
        classes = k.descendants(NETGRAPH + root)
        if kind == "class":
            k.members[name] = classes
        else:
            k.members[name] = frozenset(i for i, t in typed if t in classes)
    from .. import open_graph
    from ..grading.rules import load_rules

    k.schemes = load_rules(open_graph(store, root=root))
    return k
