"""JSON-LD: one node object per subject, with the context generated from the prefix map.

The ``@context`` is :func:`netgraph.prefixes.jsonld_context`. IRIs are written
as compact IRIs only with prefixes whose IRI ends in ``/`` or ``#`` (or another
gen-delim): JSON-LD 1.1 processors expand ``ORPHA:97253`` with a prefix ending
in ``_`` only when the term is flagged ``@prefix``, so those IRIs are written in
full and every processor (1.0 or 1.1) reads the same triples. Literals keep
their lexical form (``{"@value": "1.5", "@type": "xsd:decimal"}``). Node objects
are sorted by ``@id``, values by their JSON text, and keys by name.

>>> import pyoxigraph as ox
>>> t = ox.Triple(ox.NamedNode("https://w3id.org/netgraph/Insulin"),
...               ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"), ox.Literal("insulin", language="en"))
>>> print(to_jsonld([t], context={"netgraph": "https://w3id.org/netgraph/", "rdfs": "http://www.w3.org/2000/01/rdf-schema#"}).decode())
{
 "@context": {
  "netgraph": "https://w3id.org/netgraph/",
  "rdfs": "http://www.w3.org/2000/01/rdf-schema#"
 },
 "@graph": [
  {
   "@id": "netgraph:Insulin",
   "rdfs:label": [
    {
     "@language": "en",
     "@value": "insulin"
    }
   ]
  }
 ]
}
<BLANKLINE>
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping

from ..prefixes import expand

__all__ = ["to_jsonld", "compactor"]

_GEN_DELIMS = tuple(":/?#[]@")
_RDF_TYPE = expand("rdf:type")
_XSD_STRING = expand("xsd:string")


def compactor(context: Mapping[str, str]) -> Callable[[str], str]:
    """A function IRI -> compact IRI (or the IRI itself) that every JSON-LD processor expands back."""
    usable = sorted(((p, iri) for p, iri in context.items() if isinstance(iri, str) and iri.endswith(_GEN_DELIMS)),
                    key=lambda item: -len(item[1]))
    cache: dict[str, str] = {}

    def compact(iri: str) -> str:
        hit = cache.get(iri)
        if hit is None:
            hit = iri
            for prefix, base in usable:
                if iri.startswith(base):
                    local = iri[len(base):]
                    if local and not local.startswith("//"):
                        hit = f"{prefix}:{local}"
                    break
            cache[iri] = hit
        return hit

    return compact


def to_jsonld(triples: Iterable, context: Mapping[str, str] | None = None) -> bytes:
    """A JSON-LD document (UTF-8 bytes) holding ``triples``."""
    import pyoxigraph as ox

    if context is None:
        from ..prefixes import jsonld_context

        context = jsonld_context()["@context"]
    compact = compactor(context)

    def node_id(term: ox.NamedNode | ox.BlankNode) -> str:
        return f"_:{term.value}" if isinstance(term, ox.BlankNode) else compact(term.value)

    def value(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> str | dict[str, str]:
        if isinstance(term, (ox.NamedNode, ox.BlankNode)):
            return {"@id": node_id(term)}
        if term.language:
            return {"@value": term.value, "@language": term.language}
        if term.datatype.value == _XSD_STRING:
            return term.value
        return {"@value": term.value, "@type": compact(term.datatype.value)}

    nodes: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for t in triples:
        subject = node_id(t.subject)
        if t.predicate.value == _RDF_TYPE and isinstance(t.object, ox.NamedNode):
            nodes[subject]["@type"].append(compact(t.object.value))
        else:
            nodes[subject][compact(t.predicate.value)].append(value(t.object))

    graph = []
    for subject in sorted(nodes):
        obj: dict = {"@id": subject}
        for key, values in nodes[subject].items():
            obj[key] = sorted(values, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
        graph.append(obj)
    doc = {"@context": dict(context), "@graph": graph}
    return (json.dumps(doc, ensure_ascii=False, sort_keys=True, indent=1) + "\n").encode("utf-8")
