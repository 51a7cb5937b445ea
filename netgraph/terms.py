"""RDF terms as netgraph's query layer hands them out and takes them in.

Every backend (embedded Oxigraph, an rdflib graph, a remote endpoint) returns
its cells as these three types, so a row looks the same whichever engine made
it. They are ``str`` subclasses: an :class:`IRI` *is* its display form (a
CURIE when the one prefix map compresses it, else the full IRI) and keeps the
full IRI in ``.iri``; a :class:`Literal` *is* its lexical form and keeps its
language tag and datatype.

>>> from netgraph.prefixes import expand
>>> i = IRI(expand("netgraph:Insulinoma"))
>>> str(i), i.iri == expand("netgraph:Insulinoma")
('netgraph:Insulinoma', True)
>>> Literal("insuline", language="nl").n3()
'"insuline"@nl'
>>> IRI("http://example.org/x").n3()
'<http://example.org/x>'
"""

from __future__ import annotations

from functools import lru_cache

from .prefixes import compress, prefix_map

__all__ = ["Term", "IRI", "Literal", "BNode", "XSD_STRING", "RDF_LANGSTRING", "XSD_INTEGER", "XSD_BOOLEAN",
           "display_iri", "iri"]

XSD_STRING = prefix_map()["xsd"] + "string"
RDF_LANGSTRING = prefix_map()["rdf"] + "langString"
XSD_INTEGER = prefix_map()["xsd"] + "integer"
XSD_BOOLEAN = prefix_map()["xsd"] + "boolean"

_ECHAR = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}


@lru_cache(maxsize=8192)
def display_iri(iri: str) -> str:
    """The CURIE of ``iri`` under the prefix map, or the IRI itself when no prefix matches."""
    curie = compress(iri)
    if curie is None or curie.endswith(":"):
        return iri
    return curie


class Term(str):
    """Base class of the three term types (never instantiated itself)."""

    kind = "term"

    def key(self) -> tuple:
        """A tuple that tells terms apart completely (used to compare backends)."""
        return (self.kind, str(self))

    def n3(self) -> str:  # pragma: no cover - overridden
        raise NotImplementedError


class IRI(Term):
    """An IRI; ``str(iri)`` is its CURIE when the prefix map has one, ``iri.iri`` the full IRI."""

    kind = "iri"
    iri: str

    def __new__(cls, iri: str) -> IRI:
        obj = super().__new__(cls, display_iri(iri))
        obj.iri = iri
        return obj

    def __repr__(self) -> str:
        return f"IRI({self.iri!r})"

    def key(self) -> tuple:
        return (self.kind, self.iri)

    def n3(self) -> str:
        return f"<{self.iri}>"


@lru_cache(maxsize=65536)
def iri(value: str) -> IRI:
    """A shared :class:`IRI` for ``value`` (IRIs repeat across rows; terms are immutable)."""
    return IRI(value)


class Literal(Term):
    """A literal: ``str(lit)`` is the lexical form; ``language`` or ``datatype`` (full IRI) qualify it.

    Plain strings carry neither (``xsd:string`` and ``rdf:langString`` are normalised away),
    so the same value compares equal whichever engine returned it.
    """

    kind = "literal"
    language: str | None
    datatype: str | None

    def __new__(cls, value: str, language: str | None = None, datatype: str | None = None) -> Literal:
        obj = super().__new__(cls, value)
        obj.language = language.lower() if language else None
        obj.datatype = None if (language or datatype in (None, XSD_STRING, RDF_LANGSTRING)) else datatype
        return obj

    def __repr__(self) -> str:
        extra = f", language={self.language!r}" if self.language else ""
        extra += f", datatype={self.datatype!r}" if self.datatype else ""
        return f"Literal({str(self)!r}{extra})"

    def key(self) -> tuple:
        return (self.kind, str(self), self.language, self.datatype)

    def n3(self) -> str:
        body = '"' + "".join(_ECHAR.get(c, c) for c in str(self)) + '"'
        if self.language:
            return f"{body}@{self.language}"
        if self.datatype:
            return f"{body}^^<{self.datatype}>"
        return body


class BNode(Term):
    """A blank node (netgraph's instance data has none; an ontology axiom or a user's graph may)."""

    kind = "bnode"

    def __repr__(self) -> str:
        return f"BNode({str(self)!r})"

    def n3(self) -> str:
        return f"_:{self}"
