"""A deterministic RDF/XML writer with typed node elements, the ``owl:Ontology`` element first.

OWL tools that read RDF/XML as XML rather than as RDF (pronto, and OAK's pronto
adapter) look for ``owl:Ontology``, ``owl:Class``, ``owl:ObjectProperty``,
``owl:AnnotationProperty`` and ``owl:Axiom`` *elements* among the children of
``rdf:RDF``, and for OWL restrictions nested inside ``rdfs:subClassOf``. This
writer gives them that shape, the one the OWL API and Protégé write:

- each subject is one node element named by its type (``owl:Class``,
  ``owl:NamedIndividual``, …, chosen by :data:`TYPE_ORDER`, else the first of
  its types in sorted order; ``rdf:Description`` when it has none); the
  ``rdf:type`` triple the element name stands for is not repeated;
- the subjects typed ``owl:Ontology`` come first, then the other IRIs in
  sorted order, then any blank node that cannot be nested;
- a blank node used once as an object is nested where it is used, and an RDF
  list of resources is written as ``rdf:parseType="Collection"``;
- properties keep the canonical order of the sorted triples; namespaces are
  declared once on ``rdf:RDF`` with the prefixes of ``netgraph/prefixes.tsv``
  (``ns1``, ``ns2``, … for a namespace it does not name).

The same triples give the same bytes (no hash order, no clock).

>>> import pyoxigraph as ox
>>> c = ox.NamedNode("https://w3id.org/netgraph/C")
>>> t = [ox.Triple(c, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
...                ox.NamedNode("http://www.w3.org/2002/07/owl#Class"))]
>>> print(write_rdfxml(t, {"owl": "http://www.w3.org/2002/07/owl#"}).decode())  # doctest: +ELLIPSIS
<?xml version="1.0" encoding="utf-8"?>
<rdf:RDF xmlns:owl="http://www.w3.org/2002/07/owl#" xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <owl:Class rdf:about="https://w3id.org/netgraph/C"/>
</rdf:RDF>
<BLANKLINE>
"""

from __future__ import annotations

import re
from collections import defaultdict
from functools import lru_cache
from collections.abc import Mapping, Sequence
from typing import Any

from ..errors import InputError
from ..prefixes import expand, namespace

__all__ = ["write_rdfxml", "TYPE_ORDER"]

RDF = namespace("rdf")
OWL = namespace("owl")
RDFS = namespace("rdfs")
_XSD_STRING = expand("xsd:string")
_TYPE, _FIRST, _REST, _NIL = RDF + "type", RDF + "first", RDF + "rest", RDF + "nil"
#: conventional prefixes for namespaces that the prefix map has no name for (OBO files call this one ``obo``)
_CONVENTIONAL = {"obo": "http://purl.obolibrary.org/obo/"}

#: the type that names a node element when a subject has several (earlier wins)
TYPE_ORDER: tuple[str, ...] = (
    *(OWL + n for n in ("Ontology", "Class", "ObjectProperty", "DatatypeProperty", "AnnotationProperty",
                        "Restriction", "Axiom", "AllDisjointClasses", "AllDifferent", "NamedIndividual")),
    RDFS + "Datatype")

# ASCII NCName (a local name or prefix in an XML QName)
_NCNAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*\Z")
_LOCAL_TAIL = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*\Z")
# characters XML 1.0 cannot carry at all
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _escape_text(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")


def _escape_attr(s: str) -> str:
    return (_escape_text(s).replace('"', "&quot;").replace("\n", "&#10;").replace("\t", "&#9;"))


def _check_xml(value: str, what: str) -> str:
    bad = _NOT_XML.search(value)
    if bad:
        raise InputError(f"cannot write RDF/XML: {what} {value[:60]!r} holds the character U+{ord(bad.group()):04X}, "
                         "which XML 1.0 cannot carry; remove it from the source table and rebuild")
    return value


class _Names:
    """QNames for predicate and type IRIs, with the namespace declarations they need."""

    def __init__(self, prefixes: Mapping[str, str]):
        self.by_namespace: dict[str, str] = {}
        for prefix, ns in sorted(prefixes.items()):
            if _NCNAME.match(prefix) and not prefix.lower().startswith("xml") and ns not in self.by_namespace:
                self.by_namespace[ns] = prefix
        for prefix, ns in _CONVENTIONAL.items():
            if ns not in self.by_namespace and prefix not in prefixes:
                self.by_namespace[ns] = prefix
        self.by_namespace[RDF] = "rdf"
        self.used: dict[str, str] = {RDF: "rdf"}
        self.pending: set[str] = set()  # namespaces without a prefix, named after the whole document is seen

    @staticmethod
    @lru_cache(maxsize=4096)
    def split(iri: str) -> tuple[str, str]:
        # the longest tail that is an ASCII NCName (so '.../obo/IAO_0000115' splits after 'obo/')
        m = _LOCAL_TAIL.search(iri)
        if m is None or m.start() == 0:
            raise InputError(f"cannot write RDF/XML: the property or type {iri!r} has no XML local name "
                             "(RDF/XML can name only IRIs that end in a letter, digit, '_', '-' or '.' after "
                             "a letter or '_'); export it as Turtle or N-Triples instead")
        return iri[:m.start()], iri[m.start():]

    def note(self, iri: str) -> None:
        ns, _ = self.split(iri)
        if ns in self.by_namespace:
            self.used[ns] = self.by_namespace[ns]
        else:
            self.pending.add(ns)

    def finish(self) -> None:
        taken = set(self.used.values()) | set(self.by_namespace.values())
        n = 0
        for ns in sorted(self.pending):
            n += 1
            while f"ns{n}" in taken:
                n += 1
            self.used[ns] = f"ns{n}"
            taken.add(f"ns{n}")

    def qname(self, iri: str) -> str:
        ns, local = self.split(iri)
        return f"{self.used[ns]}:{local}"

    def declarations(self) -> str:
        return " ".join(f'xmlns:{p}="{_escape_attr(ns)}"' for ns, p in sorted(self.used.items(), key=lambda x: x[1]))


def write_rdfxml(triples: Sequence[Any], prefixes: Mapping[str, str]) -> bytes:
    """RDF/XML of pyoxigraph triples (see the module docstring for the layout); UTF-8 bytes."""
    import pyoxigraph as ox

    by_subject: dict[Any, list[Any]] = defaultdict(list)
    uses: dict[Any, int] = defaultdict(int)
    for t in triples:
        by_subject[t.subject].append(t)
        if isinstance(t.object, ox.BlankNode):
            uses[t.object] += 1
    names = _Names(prefixes)

    def node_type(subject: Any) -> str | None:
        types = sorted(t.object.value for t in by_subject.get(subject, ()) if t.predicate.value == _TYPE
                       and isinstance(t.object, ox.NamedNode))
        for wanted in TYPE_ORDER:
            if wanted in types:
                return wanted
        for candidate in types:
            try:
                names.split(candidate)
            except InputError:
                continue
            return candidate
        return None

    def as_list(node: Any) -> list[Any] | None:
        """The items of a well-formed RDF list of resources starting at blank node ``node``, or None."""
        items: list[Any] = []
        seen: set[Any] = set()
        while not (isinstance(node, ox.NamedNode) and node.value == _NIL):
            if not isinstance(node, ox.BlankNode) or node in seen or uses.get(node, 0) != 1:
                return None
            seen.add(node)
            props = by_subject.get(node, [])
            firsts = [t.object for t in props if t.predicate.value == _FIRST]
            rests = [t.object for t in props if t.predicate.value == _REST]
            if len(props) != 2 or len(firsts) != 1 or len(rests) != 1 or isinstance(firsts[0], ox.Literal):
                return None
            items.append(firsts[0])
            node = rests[0]
        return items

    # namespaces first (every predicate and every element type), so that generated prefixes are stable
    for subject, props in by_subject.items():
        kind = node_type(subject)
        if kind:
            names.note(kind)
        for t in props:
            names.note(t.predicate.value)
    names.finish()

    written: set[Any] = set()
    out: list[str] = ['<?xml version="1.0" encoding="utf-8"?>', f"<rdf:RDF {names.declarations()}>"]

    def subject_attr(subject: Any, nested: bool) -> str:
        if isinstance(subject, ox.NamedNode):
            return f' rdf:about="{_escape_attr(_check_xml(subject.value, "IRI"))}"'
        return "" if nested else f' rdf:nodeID="{_node_id(subject)}"'

    def write_node(subject: Any, indent: str, nested: bool, stack: tuple[Any, ...]) -> None:
        written.add(subject)
        kind = node_type(subject)
        element = names.qname(kind) if kind else "rdf:Description"
        props = [t for t in by_subject.get(subject, []) if not (kind and t.predicate.value == _TYPE
                                                                  and isinstance(t.object, ox.NamedNode)
                                                                  and t.object.value == kind)]
        head = f"{indent}<{element}{subject_attr(subject, nested)}"
        if not props:
            out.append(head + "/>")
            return
        out.append(head + ">")
        for t in props:
            write_property(t, indent + "  ", (*stack, subject))
        out.append(f"{indent}</{element}>")

    def write_property(t: Any, indent: str, stack: tuple[Any, ...]) -> None:
        tag = names.qname(t.predicate.value)
        o = t.object
        if isinstance(o, ox.NamedNode):
            out.append(f'{indent}<{tag} rdf:resource="{_escape_attr(_check_xml(o.value, "IRI"))}"/>')
        elif isinstance(o, ox.Literal):
            text = _escape_text(_check_xml(o.value, "literal"))
            if o.language:
                out.append(f'{indent}<{tag} xml:lang="{_escape_attr(o.language)}">{text}</{tag}>')
            elif o.datatype.value == _XSD_STRING:
                out.append(f"{indent}<{tag}>{text}</{tag}>")
            else:
                out.append(f'{indent}<{tag} rdf:datatype="{_escape_attr(o.datatype.value)}">{text}</{tag}>')
        elif uses.get(o) == 1 and o not in written and o not in stack:
            items = as_list(o)
            if items is not None:
                chain = o
                while isinstance(chain, ox.BlankNode):  # the list cells are written by the collection itself
                    written.add(chain)
                    chain = next(x.object for x in by_subject[chain] if x.predicate.value == _REST)
                out.append(f'{indent}<{tag} rdf:parseType="Collection">')
                for item in items:
                    if isinstance(item, ox.NamedNode):
                        out.append(f'{indent}  <rdf:Description rdf:about="{_escape_attr(item.value)}"/>')
                    elif uses.get(item) == 1 and item not in written:
                        write_node(item, indent + "  ", True, stack)
                    else:
                        out.append(f'{indent}  <rdf:Description rdf:nodeID="{_node_id(item)}"/>')
                out.append(f"{indent}</{tag}>")
            else:
                out.append(f"{indent}<{tag}>")
                write_node(o, indent + "  ", True, stack)
                out.append(f"{indent}</{tag}>")
        else:
            out.append(f'{indent}<{tag} rdf:nodeID="{_node_id(o)}"/>')

    named = [s for s in by_subject if isinstance(s, ox.NamedNode)]
    ontologies = [s for s in named if node_type(s) == OWL + "Ontology"]
    others = sorted((s for s in named if s not in set(ontologies)), key=lambda s: s.value)
    for subject in sorted(ontologies, key=lambda s: s.value) + others:
        write_node(subject, "  ", False, ())
    # blank nodes not nested anywhere (used twice or more, never, or on a cycle), in canonical label order
    for subject in sorted((s for s in by_subject if isinstance(s, ox.BlankNode)), key=lambda s: s.value):
        if subject not in written:
            write_node(subject, "  ", False, ())
    out.append("</rdf:RDF>")
    return ("\n".join(out) + "\n").encode("utf-8")


def _node_id(node: Any) -> str:
    label = node.value
    return label if _NCNAME.match(label) else "b" + "".join(c if c.isalnum() else "_" for c in label)

