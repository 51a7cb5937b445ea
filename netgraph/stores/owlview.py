"""The graph as OWL and OBO tools expect it: what the RDF/XML files (``netgraph.owl``, ``netgraph-full.owl``) hold.

The built graph is written for SPARQL users (Turtle, N-Triples, N-Quads, TriG
and JSON-LD keep it exactly). The RDF/XML export passes it through
:func:`owl_view` first, which follows the OBO conventions that ROBOT, OAK and
pronto check:

- **one ``rdfs:label`` per entity** (ROBOT's ``multiple_labels`` check; OAK
  and pronto take a single name). The English label stays ``rdfs:label``;
  a label in another language becomes ``skos:prefLabel`` with its language tag
  (SKOS allows one ``prefLabel`` per language, and ``skos:prefLabel`` is a
  sub-property of ``rdfs:label``, so the Dutch name is still a label), a second
  label in the same language ``skos:altLabel``;
- **definitions are ``IAO:0000115``** (as in the graph) and a definition's
  source is also an OBO axiom annotation on it: an ``owl:Axiom`` with
  ``owl:annotatedSource``/``owl:annotatedProperty``/``owl:annotatedTarget``
  and ``oboInOwl:hasDbXref`` the source's CURIE, where pronto and OAK read
  definition cross-references (``netgraph:definitionSource`` stays on the class);
- **no IRI-named ``owl:Axiom`` nodes**: the SSSOM mapping records of the
  mappings graph (an ``owl:Axiom`` per mapping, named by its statement IRI so
  that a reload duplicates nothing) are not OWL axiom annotations, which the
  OWL 2 RDF mapping writes with blank nodes only. Their triples are left out;
  the mapping triples themselves (``skos:exactMatch`` …) stay, and the records
  are in every other export and in ``data/mappings/netgraph.sssom.tsv``;
- every annotation property the view introduces is declared.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from ..prefixes import NETGRAPH, compress, expand

__all__ = ["owl_view", "LABEL", "PREF_LABEL", "ALT_LABEL", "DEFINITION", "DBXREF"]

LABEL = expand("rdfs:label")
PREF_LABEL = expand("skos:prefLabel")
ALT_LABEL = expand("skos:altLabel")
DEFINITION = expand("IAO:0000115")
DBXREF = expand("oboInOwl:hasDbXref")
_TYPE = expand("rdf:type")
_AXIOM = expand("owl:Axiom")
_ANNOTATION_PROPERTY = expand("owl:AnnotationProperty")
_DEFINITION_SOURCE = NETGRAPH + "definitionSource"
_PRIMARY_LANGUAGE = "en"


def _label_key(literal: Any) -> tuple[int, str, str]:
    return (0 if literal.language == _PRIMARY_LANGUAGE else 1, literal.language or "", literal.value)


def owl_view(triples: Iterable[Any]) -> tuple[Any, ...]:
    """The triples for OWL/OBO tools (see the module docstring), sorted by N-Triples line and distinct."""
    import pyoxigraph as ox

    triples = list(triples)
    reified = {t.subject for t in triples if isinstance(t.subject, ox.NamedNode) and t.predicate.value == _TYPE
               and t.object == ox.NamedNode(_AXIOM)}
    labels: dict[Any, list[Any]] = defaultdict(list)
    definitions: dict[Any, list[Any]] = defaultdict(list)
    sources: dict[Any, list[Any]] = defaultdict(list)
    declared = {t.subject.value for t in triples if t.predicate.value == _TYPE
                and t.object == ox.NamedNode(_ANNOTATION_PROPERTY) and isinstance(t.subject, ox.NamedNode)}
    out: list[Any] = []
    for t in triples:
        if t.subject in reified:
            continue
        p = t.predicate.value
        if p == LABEL and isinstance(t.object, ox.Literal):
            labels[t.subject].append(t.object)
            continue
        if p == DEFINITION and isinstance(t.object, ox.Literal):
            definitions[t.subject].append(t.object)
        elif p == _DEFINITION_SOURCE and isinstance(t.object, ox.NamedNode):
            sources[t.subject].append(t.object)
        out.append(t)
    used: set[str] = set()
    for subject, values in labels.items():
        values.sort(key=_label_key)
        out.append(ox.Triple(subject, ox.NamedNode(LABEL), values[0]))
        languages = {values[0].language}
        for extra in values[1:]:
            prop = ALT_LABEL if extra.language in languages else PREF_LABEL
            languages.add(extra.language)
            used.add(prop)
            out.append(ox.Triple(subject, ox.NamedNode(prop), extra))
    for subject, defs in definitions.items():
        for definition in defs:
            for source in sources.get(subject, ()):
                node = ox.BlankNode("def" + hashlib.sha256(
                    f"{subject}\t{definition}\t{source}".encode()).hexdigest()[:24])
                used.add(DBXREF)
                out.extend([
                    ox.Triple(node, ox.NamedNode(_TYPE), ox.NamedNode(_AXIOM)),
                    ox.Triple(node, ox.NamedNode(expand("owl:annotatedSource")), subject),
                    ox.Triple(node, ox.NamedNode(expand("owl:annotatedProperty")), ox.NamedNode(DEFINITION)),
                    ox.Triple(node, ox.NamedNode(expand("owl:annotatedTarget")), definition),
                    ox.Triple(node, ox.NamedNode(DBXREF), ox.Literal(compress(source.value) or source.value)),
                ])
    for prop in sorted(used - declared):
        out.append(ox.Triple(ox.NamedNode(prop), ox.NamedNode(_TYPE), ox.NamedNode(_ANNOTATION_PROPERTY)))
    return tuple(sorted(set(out), key=str))
