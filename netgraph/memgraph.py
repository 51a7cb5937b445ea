"""A graph in memory: a set of pyoxigraph triples with pattern lookup.

netgraph holds RDF as pyoxigraph terms. A :class:`MemoryGraph` is what its
emitters build (the build's three graphs, the record shapes, validation reports,
the release manifest, the inferred links) and what :func:`netgraph.turtle.to_turtle`
writes; the hand-edited core ontology is read into one. Larger graphs live in a
pyoxigraph :class:`~pyoxigraph.Store`. rdflib appears only at the pySHACL
boundary: :meth:`MemoryGraph.to_rdflib`.

Lookups are deterministic: :meth:`value` refuses to pick one of several values,
and every method that returns several terms returns them sorted.

>>> from netgraph.vocab import NG, RDF, RDFS, local
>>> g = MemoryGraph()
>>> g.add((NG.Insulinoma, RDF.type, NG.TumourType))
>>> g.add((NG.Insulinoma, RDFS.label, ox.Literal("insulinoma", language="en")))
>>> len(g), g.value(NG.Insulinoma, RDFS.label).value
(2, 'insulinoma')
>>> [local(s) for s in g.subjects(RDF.type, NG.TumourType)]
['Insulinoma']
>>> head = g.add_list([ox.Literal("a"), ox.Literal("b")])
>>> [i.value for i in g.list_items(head)]
['a', 'b']
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, cast

import pyoxigraph as ox

from .vocab import RDF

if TYPE_CHECKING:
    import rdflib

__all__ = ["MemoryGraph", "Subject", "Object", "TripleLike", "sort_key"]

Subject = ox.NamedNode | ox.BlankNode
Object = ox.NamedNode | ox.BlankNode | ox.Literal
TripleLike = ox.Triple | tuple[Subject, ox.NamedNode, Object]


def sort_key(term: Object) -> tuple[int, str, str]:
    """A total order on terms: IRIs, then blank nodes, then literals; each by value, then qualifier."""
    if isinstance(term, ox.NamedNode):
        return (0, term.value, "")
    if isinstance(term, ox.BlankNode):
        return (1, term.value, "")
    return (2, term.value, term.language or term.datatype.value)


class MemoryGraph:
    """A set of RDF triples held as pyoxigraph terms (insertion-ordered; duplicates are one triple)."""

    __slots__ = ("_index", "_triples")

    def __init__(self, triples: Iterable[TripleLike] = ()) -> None:
        self._triples: dict[ox.Triple, None] = {}
        self._index: tuple[dict, dict, dict] | None = None
        self.update(triples)

    # -- building -------------------------------------------------------------------------------
    def add(self, triple: TripleLike) -> None:
        """Add one triple, an :class:`~pyoxigraph.Triple` or an ``(s, p, o)`` tuple of pyoxigraph terms."""
        t = triple if isinstance(triple, ox.Triple) else ox.Triple(*triple)
        if t in self._triples:
            return
        self._triples[t] = None
        if self._index is not None:  # kept up to date, so lookups between adds stay cheap
            by_s, by_p, by_o = self._index
            by_s[t.subject].append(t)
            by_p[t.predicate].append(t)
            by_o[t.object].append(t)

    def update(self, triples: Iterable[TripleLike]) -> None:
        """Add every triple of ``triples``."""
        for t in triples:
            self.add(t)

    def remove(self, pattern: tuple[Subject | None, ox.NamedNode | None, Object | None]) -> None:
        """Remove every triple that matches ``pattern`` (``None`` matches any term)."""
        for t in list(self.triples(pattern)):
            del self._triples[t]
        self._index = None

    def set(self, triple: tuple[Subject, ox.NamedNode, Object]) -> None:
        """Make ``o`` the one value of ``s``'s property ``p`` (other values removed)."""
        s, p, _ = triple
        self.remove((s, p, None))
        self.add(triple)

    def add_list(self, items: Iterable[Object]) -> ox.NamedNode | ox.BlankNode:
        """Add an RDF list of ``items``; return its head (``rdf:nil`` when empty)."""
        values = list(items)
        if not values:
            return RDF.nil
        cells = [ox.BlankNode() for _ in values]
        for i, (cell, value) in enumerate(zip(cells, values, strict=True)):
            self.add((cell, RDF.first, value))
            self.add((cell, RDF.rest, cells[i + 1] if i + 1 < len(cells) else RDF.nil))
        return cells[0]

    # -- reading --------------------------------------------------------------------------------
    def __iter__(self) -> Iterator[ox.Triple]:
        return iter(self._triples)

    def __len__(self) -> int:
        return len(self._triples)

    def __contains__(self, triple: object) -> bool:
        """Whether the graph holds this whole triple (a pattern with ``None`` is a TypeError: use :meth:`triples`)."""
        if isinstance(triple, tuple):
            if None in triple:
                raise TypeError("`in` takes a whole triple; for a pattern with None use any(g.triples(pattern))")
            try:
                triple = ox.Triple(*triple)
            except TypeError:  # no such triple can exist (a literal as subject, say)
                return False
        return triple in self._triples

    def _indexes(self) -> tuple[dict, dict, dict]:
        if self._index is None:
            by_s: dict = defaultdict(list)
            by_p: dict = defaultdict(list)
            by_o: dict = defaultdict(list)
            for t in self._triples:
                by_s[t.subject].append(t)
                by_p[t.predicate].append(t)
                by_o[t.object].append(t)
            self._index = (by_s, by_p, by_o)
        return self._index

    def triples(self, pattern: tuple[Subject | None, ox.NamedNode | None, Object | None]) -> Iterator[ox.Triple]:
        """The triples that match ``pattern`` (``None`` matches any term), in insertion order."""
        s, p, o = pattern
        if s is None and p is None and o is None:
            yield from self._triples
            return
        by_s, by_p, by_o = self._indexes()
        candidates = by_s.get(s, ()) if s is not None else by_o.get(o, ()) if o is not None else by_p.get(p, ())
        for t in candidates:
            if (s is None or t.subject == s) and (p is None or t.predicate == p) and (o is None or t.object == o):
                yield t

    def objects(self, subject: Subject | None, predicate: ox.NamedNode | None) -> list[Object]:
        """The distinct objects of ``(subject, predicate, ?)``, sorted."""
        # pyoxigraph types a subject or object as possibly a quoted triple (RDF-star); netgraph makes none
        return sorted({cast(Object, t.object) for t in self.triples((subject, predicate, None))}, key=sort_key)

    def subjects(self, predicate: ox.NamedNode | None, obj: Object | None) -> list[Subject]:
        """The distinct subjects of ``(?, predicate, obj)``, sorted."""
        return sorted({cast(Subject, t.subject) for t in self.triples((None, predicate, obj))}, key=sort_key)

    def value(self, subject: Subject, predicate: ox.NamedNode) -> Object | None:
        """The one object of ``(subject, predicate, ?)``, or ``None``; a ValueError when there are several."""
        found = self.objects(subject, predicate)
        if len(found) > 1:
            raise ValueError(f"{subject} has {len(found)} values of {predicate}, not one")
        return found[0] if found else None

    def list_items(self, head: Object) -> list[Object]:
        """The members of the RDF list at ``head``; a ValueError for a malformed or cyclic list."""
        items: list[Object] = []
        seen: set[Object] = set()
        node = head
        while node != RDF.nil:
            if isinstance(node, ox.Literal) or node in seen:
                raise ValueError(f"{head} is not a well-formed RDF list")
            seen.add(node)
            first, rest = self.value(node, RDF.first), self.value(node, RDF.rest)
            if first is None or rest is None:
                raise ValueError(f"{head} is not a well-formed RDF list (a cell lacks rdf:first or rdf:rest)")
            items.append(first)
            node = rest
        return items

    # -- files and boundaries -------------------------------------------------------------------
    @classmethod
    def parse(cls, source: str | Path | bytes, *, format: ox.RdfFormat = ox.RdfFormat.TURTLE,
              base_iri: str | None = None) -> MemoryGraph:
        """Read a file (a path) or a document (bytes) into a new graph.

        pyoxigraph's errors pass through: :class:`SyntaxError` for bad syntax, :class:`OSError`
        for an unreadable file. Quads of named graphs are refused (this is one graph).
        """
        if isinstance(source, bytes):
            quads = ox.parse(source, format=format, base_iri=base_iri)
        else:
            quads = ox.parse(path=str(source), format=format, base_iri=base_iri)
        g = cls()
        for q in quads:
            if not isinstance(q.graph_name, ox.DefaultGraph):
                raise SyntaxError(f"a quad in the named graph {q.graph_name}; expected one graph")
            g._triples[q.triple] = None
        return g

    def to_rdflib(self) -> rdflib.Graph:
        """An rdflib Graph of the same triples, lexical forms kept (for pySHACL)."""
        from rdflib import Graph

        from .prefixes import bind_prefixes
        from .rdfterms import rdflib_graph

        return rdflib_graph(self._triples, bind_prefixes(Graph()))
