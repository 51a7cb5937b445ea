"""A canonical Turtle writer: the same graph always gives the same bytes.

This writer takes pyoxigraph triples (a :class:`~netgraph.memgraph.MemoryGraph`
or any iterable of :class:`~pyoxigraph.Triple`), sorts subjects, predicates and
objects by their written form, writes each blank node inline where it is used
(``[ … ]``, and RDF lists as ``( … )``),
uses only the prefixes of the one prefix map (and declares only those it uses),
and writes every typed literal in its canonical form (:mod:`netgraph.literals`:
``"62"^^xsd:decimal``, never ``62.0``; language tags in lower case), the form
Oxigraph stores, so the bytes a store gives back compare equal. ``a`` stands
for ``rdf:type`` only as a predicate. Blank nodes are accepted only where they
can be written inline (OWL restrictions and lists in the ontology, results in a
validation report); a shared blank node or a blank-node cycle is an error, never
a silent loss. Every writer's output is parsed back by rdflib and by Oxigraph in
``tests/test_turtle_roundtrip.py``.

Why not rdflib's own serializer (issue 11, measured with
``python benchmarks/bench_turtle.py --repeat 3`` on the built graph, 55,695
triples in three graphs, rdflib 7.6.0, on the 2-core machine at load 1.6-2;
each writer from its own model: this one from pyoxigraph triples, ``longturtle``
from an rdflib Graph):

=====================================  ====================  ====================
                                       this writer           rdflib ``longturtle``
=====================================  ====================  ====================
time to write the three graphs         0.51 s (108,229 t/s)  2.70 s (20,646 t/s)
distinct outputs over 4 hash seeds     1                     1
typed literals not in canonical form   0                     68
parses back to the same graph          yes (both parsers)    no: 68 literals change
=====================================  ====================  ====================

``longturtle`` is deterministic across hash seeds (it canonicalises blank
nodes), but it writes numbers in rdflib's short form (``62.0`` for the decimal
62, ``0.50`` kept as written), so a store that canonicalises holds another
literal than the file, and it is about five times slower. The decision: keep
this writer. Switching would need a literal pass before serialising, a prefix
pass (``longturtle`` declares every bound namespace), a conversion of
netgraph's pyoxigraph terms into rdflib's, and would still cost the speed.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable

import pyoxigraph as ox

from .errors import BuildError
from .literals import canonical_language, canonical_lexical
from .memgraph import Object, Subject
from .prefixes import prefixes
from .vocab import RDF, XSD

__all__ = ["to_turtle"]

_PN_LOCAL = re.compile(r"^[A-Za-z0-9_]([A-Za-z0-9_.\-]*[A-Za-z0-9_\-])?\Z")
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
_ESCAPE_TABLE = str.maketrans(_ESCAPES)


class _Writer:
    def __init__(self, triples: Iterable[ox.Triple]) -> None:
        self.used: set[str] = set()
        self._iri_cache: dict[ox.NamedNode, str] = {}
        self._prefixes = sorted(prefixes(), key=lambda p: -len(p.uri_prefix))
        self._by_subject: dict[Subject, list[tuple[ox.NamedNode, Object]]] = defaultdict(list)
        self._refcount: dict[ox.BlankNode, int] = defaultdict(int)
        self._written: set[ox.BlankNode] = set()
        for s, p, o in triples:
            if not isinstance(s, (ox.NamedNode, ox.BlankNode)) or not isinstance(p, ox.NamedNode) \
                    or not isinstance(o, (ox.NamedNode, ox.BlankNode, ox.Literal)):
                raise TypeError(f"cannot write {(s, p, o)!r}: the writer takes pyoxigraph terms")
            self._by_subject[s].append((p, o))
            if isinstance(o, ox.BlankNode):
                self._refcount[o] += 1

    def iri(self, term: ox.NamedNode) -> str:
        cached = self._iri_cache.get(term)
        if cached is not None:
            return cached
        value = term.value
        written = None
        for p in self._prefixes:
            if value.startswith(p.uri_prefix):
                local = value[len(p.uri_prefix):]
                if local == "" or _PN_LOCAL.match(local):
                    self.used.add(p.prefix)
                    written = f"{p.prefix}:{local}"
                    break
        if written is None:  # pyoxigraph refused any character an IRI may not hold when the term was made
            written = f"<{value}>"
        self._iri_cache[term] = written
        return written

    def literal(self, lit: ox.Literal) -> str:
        if lit.language:
            body = lit.value.translate(_ESCAPE_TABLE)
            return f'"{body}"@{canonical_language(lit.language)}'
        datatype = lit.datatype
        body = canonical_lexical(lit.value, datatype.value).translate(_ESCAPE_TABLE)
        if datatype == XSD.string:
            return f'"{body}"'
        return f'"{body}"^^{self.iri(datatype)}'

    def term(self, t: Object, indent: int) -> str:
        if isinstance(t, ox.NamedNode):
            return self.iri(t)
        if isinstance(t, ox.Literal):
            return self.literal(t)
        if self._refcount[t] != 1:
            raise BuildError("a blank node is shared by several triples; the canonical writer only inlines tree-shaped blank nodes")
        items = self._as_list(t)
        if items is not None:
            return "( " + " ".join(self.term(i, indent + 4) for i in items) + " )"
        self._written.add(t)
        return "[ " + self.body(t, indent + 4) + " ]"

    def _as_list(self, node: Object) -> list[Object] | None:
        items: list[Object] = []
        cells: list[ox.BlankNode] = []
        seen: set[Object] = set()
        while node != RDF.nil:
            if not isinstance(node, ox.BlankNode) or node in seen:
                return None
            seen.add(node)
            props = self._by_subject.get(node, [])
            firsts = [o for p, o in props if p == RDF.first]
            rests = [o for p, o in props if p == RDF.rest]
            if len(firsts) != 1 or len(rests) != 1 or len(props) != 2:
                return None
            items.append(firsts[0])
            cells.append(node)
            node = rests[0]
            if isinstance(node, ox.BlankNode) and self._refcount[node] != 1:
                return None
        self._written.update(cells)
        return items

    def body(self, subject: Subject, indent: int) -> str:
        grouped: dict[str, list[str]] = defaultdict(list)
        for p, o in self._by_subject[subject]:
            # 'a' abbreviates rdf:type in the predicate position only; as a subject or an object
            # (a SHACL result path, say) it must be written as an IRI.
            grouped["a" if p == RDF.type else self.iri(p)].append(self.term(o, indent))
        keys = sorted(grouped, key=lambda k: (k != "a", k))
        pad = " " * indent
        parts = []
        for k in keys:
            objs = sorted(set(grouped[k]))
            parts.append(f"{k} " + " , ".join(objs))
        sep = " ;\n" + pad
        return sep.join(parts)

    def write(self) -> str:
        blocks = []
        roots = [s for s in self._by_subject if not (isinstance(s, ox.BlankNode) and self._refcount[s] == 1)]
        named: list[tuple[str, ox.NamedNode]] = []
        for s in roots:
            if isinstance(s, ox.BlankNode):
                raise BuildError("a blank node that is not the object of exactly one triple cannot be written canonically")
            named.append((self.iri(s), s))
        for name, s in sorted(named, key=lambda pair: pair[0]):
            blocks.append(f"{name} {self.body(s, 4)} .\n")
        unwritten = [s for s in self._by_subject if isinstance(s, ox.BlankNode) and s not in self._written]
        if unwritten:  # each is the object of one triple, but no root leads to them: a cycle
            raise BuildError(f"{len(unwritten)} blank node(s) form a cycle that no named subject leads to; "
                             "the canonical writer cannot write them (use IRIs)")
        header = "".join(
            f"@prefix {p.prefix}: <{p.uri_prefix}> .\n" for p in prefixes() if p.prefix in self.used
        )
        return header + "\n" + "\n".join(blocks)


def to_turtle(triples: Iterable[ox.Triple], header_comment: Iterable[str] = ()) -> bytes:
    """Serialise ``triples`` (a :class:`~netgraph.memgraph.MemoryGraph`, or any pyoxigraph triples) as canonical Turtle."""
    text = _Writer(triples).write()
    comment = "".join(f"# {line}\n" for line in header_comment)
    return (comment + text).encode("utf-8")
