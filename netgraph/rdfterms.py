"""The one converter between netgraph's terms, Oxigraph (pyoxigraph) terms and rdflib terms.

netgraph holds RDF in pyoxigraph stores and hands out its own terms
(:mod:`netgraph.terms`: query rows, validation findings). rdflib appears only at
two boundaries: pySHACL (which validates an rdflib graph) and a user who hands
in an rdflib graph (``validate_graphs``, ``open_graph(graph)``). Every crossing
goes through this module, so every direction keeps lexical forms and blank-node
labels exactly (``"62"^^xsd:decimal`` stays ``62``, never rdflib's normalised ``62.0``).

>>> import pyoxigraph as ox
>>> t = ox.Literal("62", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal"))
>>> str(to_rdflib(t)), from_rdflib(to_rdflib(t)) == t
('62', True)
>>> to_term(to_rdflib(t)) == to_term(t), to_term(to_rdflib(t)).key() == from_oxigraph(t).key()
(True, True)
"""

from __future__ import annotations

from typing import Any
from collections.abc import Iterable, Iterator

import pyoxigraph as ox

from .errors import QueryError
from .prefixes import expand
from .terms import IRI, BNode, Literal, Term, iri

__all__ = ["to_rdflib", "from_rdflib", "term_from_rdflib", "to_term", "from_oxigraph",
           "to_oxigraph", "rdflib_graph", "ox_triples", "ox_quads", "XSD_STRING"]

XSD_STRING = expand("xsd:string")
_CACHE_LIMIT = 200_000


def to_oxigraph(term: Term) -> Any:
    """The pyoxigraph term of a netgraph term (a :class:`QueryError` for anything else: it binds parameters)."""
    if isinstance(term, IRI):
        return ox.NamedNode(term.iri)
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(term.datatype))
        return ox.Literal(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    raise QueryError(f"cannot bind {term!r}")


_NAMED, _LITERAL, _BLANK = ox.NamedNode, ox.Literal, ox.BlankNode


def from_oxigraph(term: Any) -> Term | None:
    """The netgraph term of a pyoxigraph term (``None`` stays ``None``)."""
    kind = type(term)
    if kind is _NAMED:
        return iri(term.value)
    if kind is _LITERAL:
        language = term.language
        if language:
            return Literal(term.value, language=language)
        return Literal(term.value, datatype=term.datatype.value)
    if term is None:
        return None
    if kind is _BLANK:
        return BNode(term.value)
    return BNode(str(term))  # an RDF-star quoted triple


def term_from_rdflib(t: Any) -> Term | None:
    """The netgraph term of an rdflib term (``None`` stays ``None``); lexical form and blank-node label kept."""
    from rdflib import Literal as RdfLiteral
    from rdflib import URIRef

    if t is None:
        return None
    if isinstance(t, URIRef):
        return iri(str(t))
    if isinstance(t, RdfLiteral):
        return Literal(str(t), language=t.language, datatype=str(t.datatype) if t.datatype is not None else None)
    return BNode(str(t))  # a blank node (or any other node a result may hold)


def to_term(t: Any) -> Term | None:
    """The netgraph term of a netgraph, pyoxigraph or rdflib term (``None`` stays ``None``)."""
    if t is None or isinstance(t, Term):
        return t
    if isinstance(t, (_NAMED, _LITERAL, _BLANK)):
        return from_oxigraph(t)
    return term_from_rdflib(t)


def to_rdflib(t: Any) -> Any:
    """The rdflib term for a pyoxigraph term (``None`` stays ``None``; lexical forms and labels kept)."""
    from rdflib import BNode, Literal, URIRef

    if t is None:
        return None
    if isinstance(t, ox.NamedNode):
        return URIRef(t.value)
    if isinstance(t, ox.BlankNode):
        return BNode(t.value)
    if t.language:
        return Literal(t.value, lang=t.language, normalize=False)
    if t.datatype.value == XSD_STRING:
        return Literal(t.value, normalize=False)
    return Literal(t.value, datatype=URIRef(t.datatype.value), normalize=False)


def from_rdflib(t: Any) -> Any:
    """The pyoxigraph term for an rdflib term (``None`` stays ``None``); a ValueError for a term Oxigraph refuses."""
    from rdflib import BNode, URIRef

    if t is None:
        return None
    if isinstance(t, URIRef):
        return ox.NamedNode(str(t))
    if isinstance(t, BNode):
        return ox.BlankNode(str(t))
    if t.language:
        return ox.Literal(str(t), language=t.language)
    if t.datatype is not None:
        return ox.Literal(str(t), datatype=ox.NamedNode(str(t.datatype)))
    return ox.Literal(str(t))


class _Memo:
    """A bounded memo of one conversion (graphs repeat their terms many times)."""

    def __init__(self, convert: Any) -> None:
        self.convert = convert
        self.cache: dict[Any, Any] = {}

    def __call__(self, t: Any) -> Any:
        hit = self.cache.get(t)
        if hit is None:
            if len(self.cache) >= _CACHE_LIMIT:
                self.cache.clear()
            hit = self.cache[t] = self.convert(t)
        return hit


def rdflib_graph(triples: Iterable[Any], graph: Any = None) -> Any:
    """An rdflib Graph (new, or ``graph``) holding pyoxigraph triples or quads (their graph names dropped)."""
    from rdflib import Graph

    g = graph if graph is not None else Graph()
    term = _Memo(to_rdflib)
    add = g.add
    for t in triples:
        add((term(t.subject), term(t.predicate), term(t.object)))
    return g


def ox_triples(triples: Iterable[Any]) -> Iterator[Any]:
    """pyoxigraph triples for rdflib ``(s, p, o)`` tuples."""
    term = _Memo(from_rdflib)
    for s, p, o in triples:
        yield ox.Triple(term(s), term(p), term(o))


def ox_quads(triples: Iterable[Any], graph_iri: str) -> list[Any]:
    """pyoxigraph quads in the named graph ``graph_iri`` for rdflib ``(s, p, o)`` tuples."""
    target = ox.NamedNode(graph_iri)
    return [ox.Quad(t.subject, t.predicate, t.object, target) for t in ox_triples(triples)]
