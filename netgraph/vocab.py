"""The vocabularies netgraph writes, as pyoxigraph IRIs, every namespace from the one prefix map.

``NG.Insulinoma`` and ``NG["Insulinoma"]`` are ``netgraph:Insulinoma``; ``RDF.type``,
``OWL.Class``, ``SH.NodeShape`` and the rest are the W3C terms. No namespace is
typed here: each comes from ``prefixes.tsv`` (:mod:`netgraph.prefixes`).

>>> NG.Insulinoma.value == namespace("netgraph") + "Insulinoma", RDF.type == RDF["type"]
(True, True)
>>> local(NG.Insulinoma), local(RDF.type) == RDF.type.value
('Insulinoma', True)
"""

from __future__ import annotations

import pyoxigraph as ox

from .prefixes import NETGRAPH, namespace

__all__ = ["Namespace", "NG", "RDF", "RDFS", "OWL", "XSD", "SKOS", "DCTERMS", "DCAT", "VOID", "SH", "PROV",
           "OBOINOWL", "IAO", "local"]


class Namespace:
    """The IRIs of one namespace of the prefix map: ``ns.name`` or ``ns["name"]`` (cached)."""

    __slots__ = ("_terms", "base")

    def __init__(self, prefix: str) -> None:
        self.base = namespace(prefix)
        self._terms: dict[str, ox.NamedNode] = {}

    def __getitem__(self, name: str) -> ox.NamedNode:
        term = self._terms.get(name)
        if term is None:
            term = self._terms[name] = ox.NamedNode(self.base + name)
        return term

    def __getattr__(self, name: str) -> ox.NamedNode:
        if name.startswith("__"):
            raise AttributeError(name)
        return self[name]

    def __repr__(self) -> str:
        return f"Namespace({self.base!r})"


NG = Namespace("netgraph")
RDF = Namespace("rdf")
RDFS = Namespace("rdfs")
OWL = Namespace("owl")
XSD = Namespace("xsd")
SKOS = Namespace("skos")
DCTERMS = Namespace("dcterms")
DCAT = Namespace("dcat")
VOID = Namespace("void")
SH = Namespace("sh")
PROV = Namespace("prov")
OBOINOWL = Namespace("oboInOwl")
IAO = Namespace("IAO")


def local(term: ox.NamedNode | ox.BlankNode | ox.Literal | str) -> str:
    """The local name of a netgraph IRI; any other IRI (or term value) whole."""
    value = term if isinstance(term, str) else term.value
    return value[len(NETGRAPH):] if value.startswith(NETGRAPH) else value
