"""RDF serialisations of canonical triples: N-Triples, N-Quads, TriG, Turtle, RDF/XML.

N-Triples and N-Quads are written line by line from the sorted canonical
lines (no parser or serialiser in the loop). Turtle goes through
:func:`netgraph.turtle.to_turtle`, the same canonical writer the build uses, so
an exported part reads like the emitted file. RDF/XML is pyoxigraph's writer
fed the sorted triples, which makes it deterministic (rdflib's ``pretty-xml``
orders subjects by hash and differs from run to run); owlready2 reads its
restrictions and lists back, and so does Protégé.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from ..errors import InputError
from .canonical import PartGraph

if TYPE_CHECKING:
    import pyoxigraph as ox

__all__ = ["ntriples", "nquads", "trig", "turtle", "rdfxml"]


def ntriples(lines: Sequence[str]) -> bytes:
    """Canonical N-Triples: one sorted line per distinct triple."""
    return ("\n".join(lines) + "\n").encode("utf-8") if lines else b""


def nquads(parts: Iterable[PartGraph]) -> bytes:
    """N-Quads with each part in its named graph; lines sorted."""
    out: list[str] = []
    for part in parts:
        suffix = f" <{part.iri}> ."
        out.extend(line[:-2] + suffix for line in part.lines)
    out.sort()
    return ("\n".join(out) + "\n").encode("utf-8") if out else b""


def trig(parts: Iterable[PartGraph]) -> bytes:
    """TriG with each part in its named graph (parts in order, triples sorted), the one prefix map."""
    import pyoxigraph as ox

    from ..prefixes import prefix_map

    quads = [ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(part.iri))
             for part in parts for t in part.triples]
    try:
        return ox.serialize(quads, format=ox.RdfFormat.TRIG, prefixes=dict(prefix_map())) or b""
    except (ValueError, OSError) as exc:
        raise InputError(f"cannot write TriG: {exc}") from exc


def turtle(triples: Iterable[ox.Triple], header: Iterable[str] = ()) -> bytes:
    """Canonical Turtle (sorted subjects and objects, inline blank nodes, the one prefix map)."""
    from ..turtle import to_turtle

    return to_turtle(triples, header_comment=header)


def rdfxml(triples: Sequence) -> bytes:
    """RDF/XML of the sorted triples: typed node elements, ``owl:Ontology`` first (:mod:`.rdfxml`)."""
    from ..prefixes import prefix_map
    from .rdfxml import write_rdfxml

    return write_rdfxml(triples, dict(prefix_map()))
