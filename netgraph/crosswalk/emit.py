"""The mappings named graph: SKOS triples, OBO xrefs, SSSOM records and obsolete codes.

For every (non-negated) mapping row ``netgraph:X skos:…Match CODE``:

- the SKOS triple ``<X> skos:…Match <code IRI>`` (what SPARQL users query);
- ``<X> oboInOwl:hasDbXref "CODE"`` (what OBO tools read);
- one SSSOM mapping record, reified the way SSSOM's RDF does it
  (``owl:Axiom`` with ``owl:annotatedSource/Property/Target``), carrying the
  justification, the source and its version, the date, the ORDO qualifier and
  the comment. Its IRI is derived from the subject, predicate, object and
  modifier (``ngstmt:mapping-<Id>-<PREFIX>-<code>-<hash>``), so a rebuild
  gives the same IRI; no blank nodes. It is ``dcterms:isPartOf`` the set.

A negated row (``predicate_modifier`` ``Not``) gives only its record. The
mapping set itself is described by its ``mapping_set_id``. Each obsolete code
gives ``<code> owl:deprecated true ; rdfs:label … ; dcterms:isReplacedBy <code>``.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable, Mapping

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, XSD

from ..prefixes import NETGRAPH, STATEMENT, expand, prefix_map
from .mappingset import MappingRecord, MappingSetMetadata
from .obsolete import ObsoleteCode

__all__ = ["mapping_record_iri", "add_mappings", "add_obsolete_codes", "ORPHANET_QUALIFIER_PROPERTY"]

_PM = prefix_map()
_SKOS = _PM["skos"]
_SSSOM = _PM["sssom"]
_OBO = _PM["oboInOwl"]
HAS_DBXREF = URIRef(_OBO + "hasDbXref")
CONSIDER = URIRef(_OBO + "consider")
#: The SSSOM extension slot ``orphanet_qualifier`` (declared in the file's extension_definitions).
ORPHANET_QUALIFIER_PROPERTY = URIRef(NETGRAPH + "orphanetQualifier")
CURATION_NOTE = URIRef(NETGRAPH + "curationNote")


def _sssom(slot: str) -> URIRef:
    return URIRef(_SSSOM + slot)


def _skos(predicate_id: str) -> URIRef:
    return URIRef(_SKOS + predicate_id.split(":", 1)[1])


def mapping_record_iri(rec: MappingRecord) -> URIRef:
    """A readable, content-derived IRI for one mapping record."""
    digest = hashlib.sha256("\x1f".join(rec.key).encode("utf-8")).hexdigest()[:10]
    code = re.sub(r"[^A-Za-z0-9]+", "-", rec.object_id.split(":", 1)[1]).strip("-")
    return URIRef(f"{STATEMENT}mapping-{rec.subject_local}-{rec.object_prefix}-{code}-{digest}")


def add_mappings(g: Graph, records: Iterable[MappingRecord], metadata: MappingSetMetadata) -> Counter:
    """Add the mapping set, its records and the SKOS/xref triples to ``g``; returns counts."""
    counts: Counter = Counter()
    mset = URIRef(str(metadata["mapping_set_id"]))
    g.add((mset, RDF.type, _sssom("MappingSet")))
    g.add((mset, DCTERMS.title, Literal(str(metadata["mapping_set_title"]), lang="en")))
    if metadata.get("mapping_set_description"):
        g.add((mset, DCTERMS.description, Literal(str(metadata["mapping_set_description"]), lang="en")))
    g.add((mset, DCTERMS.license, URIRef(str(metadata["license"]))))
    g.add((mset, OWL.versionInfo, Literal(str(metadata["mapping_set_version"]))))
    if metadata.get("mapping_date"):
        g.add((mset, DCTERMS.created, Literal(str(metadata["mapping_date"]), datatype=XSD.date)))
    for rec in records:
        subject = URIRef(NETGRAPH + rec.subject_local)
        pred = _skos(rec.predicate_id)
        target = URIRef(expand(rec.object_id))
        node = mapping_record_iri(rec)
        g.add((node, DCTERMS.isPartOf, mset))
        g.add((node, RDF.type, OWL.Axiom))
        g.add((node, OWL.annotatedSource, subject))
        g.add((node, OWL.annotatedProperty, pred))
        g.add((node, OWL.annotatedTarget, target))
        g.add((node, _sssom("mapping_justification"), URIRef(expand(rec.mapping_justification))))
        if rec.object_label:
            g.add((node, _sssom("object_label"), Literal(rec.object_label)))
        g.add((node, _sssom("object_source"), URIRef(rec.object_source)))
        g.add((node, _sssom("object_source_version"), Literal(rec.object_source_version)))
        g.add((node, DCTERMS.created, Literal(rec.mapping_date, datatype=XSD.date)))
        if rec.orphanet_qualifier:
            g.add((node, ORPHANET_QUALIFIER_PROPERTY, Literal(rec.orphanet_qualifier)))
        if rec.confidence:
            g.add((node, _sssom("confidence"), Literal(float(rec.confidence), datatype=XSD.double)))
        if rec.author_id:
            g.add((node, _sssom("author_id"), Literal(rec.author_id)))
        if rec.comment:
            g.add((node, RDFS.comment, Literal(rec.comment, lang="en")))
        if rec.negated:
            g.add((node, _sssom("predicate_modifier"), Literal("Not")))
            counts["mappings:negated"] += 1
            continue
        g.add((subject, pred, target))
        g.add((subject, HAS_DBXREF, Literal(rec.object_id)))
        counts["mappings"] += 1
        counts[f"mappings:{rec.predicate_id}"] += 1
        counts[f"mappings:{rec.object_prefix}"] += 1
        counts[f"mappings:{rec.object_prefix}:{rec.predicate_id}"] += 1
    return counts


def add_obsolete_codes(g: Graph, obsolete: Mapping[str, ObsoleteCode], replacement: Mapping[str, str]) -> Counter:
    """Add each obsolete code as a deprecated resource with its label and final replacement."""
    counts: Counter = Counter()
    for code, rec in obsolete.items():
        node = URIRef(expand(code))
        g.add((node, OWL.deprecated, Literal(True)))
        g.add((node, RDFS.label, Literal(rec.label, lang="en")))
        g.add((node, RDFS.isDefinedBy, URIRef(rec.source)))
        final = replacement.get(code, "")
        if final:
            g.add((node, DCTERMS.isReplacedBy, URIRef(expand(final))))
        for c in rec.consider:
            g.add((node, CONSIDER, Literal(c)))
        note = f"Obsolete in {rec.source_version}." + (f" {rec.note}" if rec.note else "")
        g.add((node, CURATION_NOTE, Literal(note, lang="en")))
        counts["obsolete codes"] += 1
    return counts
