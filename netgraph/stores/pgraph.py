"""The graph as nodes and edges, for property-graph exports (KGX, Neo4j).

- **Nodes** are the netgraph classes and named individuals (not association
  individuals, which become edges, nor qualifier values, which become edge
  properties), plus the external concepts that mappings point to. Each has a
  Biolink category (:mod:`netgraph.stores.biolink`), a name (the English
  label), a description (the IAO definition), synonyms and cross-references.
- **Edges** are one per association (its qualifiers, source and quote as
  properties), one per named ``rdfs:subClassOf`` and ``skos:broader`` link, one
  per ``hasValue``/``someValuesFrom`` restriction in a class's superclasses
  (the universal facts: secretes, has primary site), and one per mapping.

Nodes are sorted by id, edges by (subject, predicate, object, id).
"""

from __future__ import annotations

import re
from collections import defaultdict
from functools import lru_cache
from dataclasses import dataclass, field
from collections.abc import Iterable
from typing import Any

from ..crosswalk.predicates import mapping_predicate_iris
from ..hierarchy import reaches
from ..prefixes import NETGRAPH, compress, expand
from .biolink import DEFAULT_CATEGORY, EXCLUDED_ROOTS, KNOWLEDGE_SOURCE, category_for, predicate_for
from .canonical import BuiltGraph

__all__ = ["Node", "Edge", "PropertyGraph", "property_graph", "LEADING_EDGE_PROPERTIES"]

#: edge properties every edge has or may have, in column order; others follow, sorted
LEADING_EDGE_PROPERTIES: tuple[str, ...] = (
    "category", "original_predicate", "knowledge_level", "agent_type", "primary_knowledge_source",
    "publications", "supporting_text", "frequency_qualifier",
)


@dataclass(frozen=True)
class Node:
    id: str
    category: str
    name: str
    iri: str
    kind: str  # "class", "individual" or "external"
    description: str = ""
    synonyms: tuple[str, ...] = ()
    xrefs: tuple[str, ...] = ()
    deprecated: bool = False


@dataclass(frozen=True)
class Edge:
    subject: str
    predicate: str
    object: str
    id: str = ""
    properties: tuple[tuple[str, tuple[str, ...]], ...] = field(default=())

    def get(self, name: str) -> tuple[str, ...]:
        for key, values in self.properties:
            if key == name:
                return values
        return ()


@dataclass(frozen=True)
class PropertyGraph:
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]
    #: edge property -> the XSD datatype IRI of every one of its values, where they all share one
    edge_property_types: tuple[tuple[str, str], ...] = ()

    @property
    def edge_properties(self) -> tuple[str, ...]:
        """Every edge property name, leading ones first, then the rest sorted."""
        names = {k for e in self.edges for k, _ in e.properties}
        lead = [n for n in LEADING_EDGE_PROPERTIES if n in names]
        return tuple(lead + sorted(names - set(lead)))


def _u(curie: str) -> str:
    return expand(curie)


_RDF_TYPE = _u("rdf:type")
_SUBCLASS = _u("rdfs:subClassOf")
_LABEL = _u("rdfs:label")
_OWL_CLASS = _u("owl:Class")
_OWL_INDIVIDUAL = _u("owl:NamedIndividual")
_ON_PROPERTY = _u("owl:onProperty")
_HAS_VALUE = _u("owl:hasValue")
_SOME_VALUES = _u("owl:someValuesFrom")
_DEPRECATED = _u("owl:deprecated")
_EQUIVALENT = _u("owl:equivalentClass")
_INTERSECTION = _u("owl:intersectionOf")
_FIRST = _u("rdf:first")
_REST = _u("rdf:rest")
_DEFINITION = _u("IAO:0000115")
_ALT_LABEL = _u("skos:altLabel")
_EXACT_SYNONYM = _u("oboInOwl:hasExactSynonym")
_DBXREF = _u("oboInOwl:hasDbXref")
_BROADER = _u("skos:broader")
_MATCHES = set(mapping_predicate_iris())  # the one list: netgraph/crosswalk/predicates.tsv
_EXACT = _u("skos:exactMatch")
_DIRECT_PREDICATE = _u("netgraph:directPredicate")
_SUBJECT = _u("netgraph:subject")
_OBJECT = _u("netgraph:object")
#: association properties with a Biolink edge property of their own
_EDGE_SLOTS = {_u("netgraph:hasSource"): "publications", _u("netgraph:quote"): "supporting_text",
               _u("netgraph:hasFrequency"): "frequency_qualifier"}
_SKIPPED_ON_ASSOCIATIONS = {_RDF_TYPE, _SUBJECT, _OBJECT, _LABEL}


@lru_cache(maxsize=65536)
def _curie(iri: str) -> str:
    return compress(iri) or iri


def _snake(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name).lower()


def _text(value: str) -> str:
    return " ".join(value.split())


def _list_items(index: _Index, heads: list) -> list:
    """Members of the RDF list(s) starting at ``heads`` (bounded: a malformed list just ends)."""
    items, seen = [], set()
    for node in heads:
        while node not in seen and index.objects(node, _FIRST):
            seen.add(node)
            items.extend(index.objects(node, _FIRST))
            rest = index.objects(node, _REST)
            if not rest:
                break
            node = rest[0]
    return items


class _Index:
    """Subject -> predicate -> objects, over pyoxigraph triples."""

    def __init__(self, triples: Iterable):
        import pyoxigraph as ox

        self.ox = ox
        self.out: dict = defaultdict(lambda: defaultdict(list))
        for t in triples:
            self.out[t.subject][t.predicate.value].append(t.object)

    def objects(self, subject: Any, predicate: str) -> list:
        return self.out.get(subject, {}).get(predicate, [])

    def iris(self, subject: Any, predicate: str) -> list[str]:
        return sorted(o.value for o in self.objects(subject, predicate) if isinstance(o, self.ox.NamedNode))

    def literals(self, subject: Any, predicate: str) -> list:
        return [o for o in self.objects(subject, predicate) if isinstance(o, self.ox.Literal)]


def _class_parents(full: _Index) -> dict[str, list[str]]:
    """CURIE -> parent CURIEs (named classes); a defined class (equivalentClass [ intersectionOf ( A … ) ])
    counts its named conjuncts as parents."""
    import pyoxigraph as ox

    parents: dict[str, list[str]] = defaultdict(list)
    for s, preds in full.out.items():
        if isinstance(s, ox.NamedNode):
            for o in preds.get(_SUBCLASS, ()):
                if isinstance(o, ox.NamedNode):
                    parents[_curie(s.value)].append(_curie(o.value))
    for s, preds in full.out.items():
        if isinstance(s, ox.NamedNode):
            for eq in preds.get(_EQUIVALENT, ()):
                for conjunct in _list_items(full, full.objects(eq, _INTERSECTION)):
                    if isinstance(conjunct, ox.NamedNode):
                        parents[_curie(s.value)].append(_curie(conjunct.value))
    return parents


class _Kinds:
    """What each node is: a netgraph "class", an "individual", or None (excluded or not netgraph's)."""

    def __init__(self, full: _Index, parents: dict[str, list[str]]) -> None:
        import pyoxigraph as ox

        self.ox, self.full, self.parents = ox, full, parents
        self.direct_of_kind: dict[str, str] = {}
        for s, preds in full.out.items():
            for o in preds.get(_DIRECT_PREDICATE, ()):
                if isinstance(s, ox.NamedNode) and isinstance(o, ox.NamedNode):
                    self.direct_of_kind[s.value] = o.value
        self._cache: dict = {}

    def under_excluded(self, curie: str) -> bool:
        return reaches(curie, lambda c: self.parents.get(c, ()), EXCLUDED_ROOTS)

    def types_of(self, s: Any) -> list[str]:
        return [t for t in self.full.iris(s, _RDF_TYPE) if t not in (_OWL_CLASS, _OWL_INDIVIDUAL)]

    def __call__(self, s: Any) -> str | None:
        if s not in self._cache:
            self._cache[s] = self._kind(s)
        return self._cache[s]

    def _kind(self, s: Any) -> str | None:
        if not isinstance(s, self.ox.NamedNode) or not s.value.startswith(NETGRAPH):
            return None
        declared = self.full.iris(s, _RDF_TYPE)
        if _OWL_CLASS in declared:
            return None if self.under_excluded(_curie(s.value)) else "class"
        if _OWL_INDIVIDUAL in declared:
            types = [_curie(t) for t in self.types_of(s)]
            return None if any(self.under_excluded(t) for t in types) else "individual"
        return None


@dataclass
class _Edges:
    """The edges found so far, the nodes they reference and the IRI of each object CURIE."""

    edges: list[Edge] = field(default_factory=list)
    referenced: set = field(default_factory=set)
    iri_of: dict[str, str] = field(default_factory=dict)

    def add(self, s: Any, original: str, o: Any, id_: str = "", extra: dict | None = None) -> None:
        props = {"category": ("biolink:Association",), "original_predicate": (_curie(original),),
                 "knowledge_level": ("knowledge_assertion",), "agent_type": ("manual_agent",),
                 "primary_knowledge_source": (KNOWLEDGE_SOURCE,)}
        props.update(extra or {})
        self.edges.append(Edge(subject=_curie(s.value), predicate=predicate_for(_curie(original)),
                               object=_curie(o.value), id=id_,
                               properties=tuple(sorted((k, tuple(v)) for k, v in props.items() if v))))
        self.referenced.update((s, o))
        self.iri_of[_curie(o.value)] = o.value


def _association_edges(sel: _Index, full: _Index, kinds: _Kinds, out: _Edges) -> dict[str, set[str]]:
    """One edge per association (and per direct triple no association explains); the datatypes of edge slots."""
    import pyoxigraph as ox

    covered: set[tuple[str, str, str]] = set()
    datatypes: dict[str, set[str]] = defaultdict(set)
    direct_of_kind = kinds.direct_of_kind
    for a, preds in sel.out.items():
        found = [direct_of_kind[t.value] for t in preds.get(_RDF_TYPE, ()) if t.value in direct_of_kind]
        subj, obj = full.objects(a, _SUBJECT), full.objects(a, _OBJECT)
        if not found or len(subj) != 1 or len(obj) != 1:
            continue
        extra: dict[str, list[str]] = defaultdict(list)
        for p, values in full.out[a].items():
            if p in _SKIPPED_ON_ASSOCIATIONS:
                continue
            name = _EDGE_SLOTS.get(p) or _snake(_curie(p).split(":", 1)[-1])
            for v in values:
                extra[name].append(_curie(v.value) if isinstance(v, ox.NamedNode) else _text(v.value))
                datatypes[name].add(v.datatype.value if isinstance(v, ox.Literal) and not v.language else "")
        extra = {k: sorted(set(v)) for k, v in extra.items()}
        for kind in sorted(found):
            out.add(subj[0], kind, obj[0], _curie(a.value), extra)
            covered.add((subj[0].value, kind, obj[0].value))
    direct_predicates = set(direct_of_kind.values())
    for s, preds in sel.out.items():
        for p in sorted(direct_predicates & preds.keys()):
            for o in preds[p]:
                if isinstance(s, ox.NamedNode) and isinstance(o, ox.NamedNode) and (s.value, p, o.value) not in covered:
                    out.add(s, p, o)
    return datatypes


def _hierarchy_edges(sel: _Index, full: _Index, kinds: _Kinds, out: _Edges) -> None:
    """Hierarchy, restrictions and mappings between nodes."""
    import pyoxigraph as ox

    for s, preds in sel.out.items():
        if kinds(s) is None:
            continue
        for o in preds.get(_SUBCLASS, ()):
            if isinstance(o, ox.NamedNode) and kinds(o):
                out.add(s, _SUBCLASS, o)
            elif isinstance(o, ox.BlankNode):
                on = full.iris(o, _ON_PROPERTY)
                for key, filler in ((_HAS_VALUE, "hasValue"), (_SOME_VALUES, "someValuesFrom")):
                    for value in full.objects(o, key):
                        if len(on) == 1 and isinstance(value, ox.NamedNode) and kinds(value):
                            out.add(s, on[0], value, extra={"restriction": (f"owl:{filler}",)})
        for o in preds.get(_BROADER, ()):
            if isinstance(o, ox.NamedNode) and kinds(o):
                out.add(s, _BROADER, o)
        for p in sorted(_MATCHES & preds.keys()):
            for o in preds[p]:
                if isinstance(o, ox.NamedNode):
                    out.add(s, p, o)


def _node(s: Any, kind: str, full: _Index, category: str) -> Node:
    curie = _curie(s.value)
    labels = full.literals(s, _LABEL)
    english = sorted(lit.value for lit in labels if lit.language in ("en", None))
    others = sorted(lit.value for lit in labels if lit.language not in ("en", None))
    name = english[0] if english else (others[0] if others else "")
    definitions = sorted(lit.value for lit in full.literals(s, _DEFINITION) if lit.language in ("en", None))
    synonyms = {lit.value for p in (_ALT_LABEL, _EXACT_SYNONYM) for lit in full.literals(s, p)}
    synonyms |= set(english[1:]) | set(others)
    synonyms.discard(name)
    xrefs = {lit.value for lit in full.literals(s, _DBXREF)} | {_curie(i) for i in full.iris(s, _EXACT)}
    deprecated = any(lit.value in ("true", "1") for lit in full.literals(s, _DEPRECATED))
    return Node(id=curie, category=category, name=_text(name), iri=s.value, kind=kind,
                description=_text(definitions[0]) if definitions else "",
                synonyms=tuple(sorted(_text(x) for x in synonyms)), xrefs=tuple(sorted(xrefs)), deprecated=deprecated)


def _nodes(sel: _Index, full: _Index, kinds: _Kinds, out: _Edges) -> dict[str, Node]:
    """Nodes declared in the selected parts or at an end of an edge, and the external concepts mapped to."""
    candidates = {s for s in sel.out if kinds(s)} | out.referenced
    nodes: dict[str, Node] = {}
    category_cache: dict[str, str] = {}
    for s in candidates:
        kind = kinds(s)
        if kind is None:
            continue
        curie = _curie(s.value)
        start = curie if kind == "class" else [_curie(t) for t in kinds.types_of(s)]
        category_cache[curie] = category_for(start, kinds.parents)
        nodes[curie] = _node(s, kind, full, category_cache[curie])
    # external concepts at the far end of mappings take the category of what maps to them
    mapping_predicates = {_curie(m) for m in _MATCHES}
    for e in out.edges:
        if e.object not in nodes and e.get("original_predicate")[0] in mapping_predicates:
            nodes[e.object] = Node(id=e.object, category=category_cache.get(e.subject, DEFAULT_CATEGORY),
                                   name="", iri=out.iri_of[e.object], kind="external")
    return nodes


def property_graph(built: BuiltGraph, graph: str = "all") -> PropertyGraph:
    """Nodes and edges of the selected parts (lookups such as categories use every built part)."""
    everything, _ = built.union("all")
    selected, _ = built.union(graph)
    full = _Index(everything)
    sel = _Index(selected)
    kinds = _Kinds(full, _class_parents(full))
    out = _Edges()
    datatypes = _association_edges(sel, full, kinds, out)
    _hierarchy_edges(sel, full, kinds, out)
    nodes = _nodes(sel, full, kinds, out)
    kept = [e for e in out.edges if e.subject in nodes and e.object in nodes]
    kept.sort(key=lambda e: (e.subject, e.predicate, e.object, e.id, e.properties))
    typed = tuple(sorted((name, next(iter(kinds_)))
                         for name, kinds_ in datatypes.items() if len(kinds_) == 1 and "" not in kinds_))
    return PropertyGraph(nodes=tuple(nodes[k] for k in sorted(nodes)), edges=tuple(_dedupe(kept)),
                         edge_property_types=typed)


def _dedupe(edges: list[Edge]) -> list[Edge]:
    out: list[Edge] = []
    for e in edges:
        if not out or out[-1] != e:
            out.append(e)
    return out
