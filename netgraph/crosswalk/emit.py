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

import pyoxigraph as ox

from ..memgraph import MemoryGraph
from ..prefixes import STATEMENT, expand
from ..vocab import DCTERMS, NG, OBOINOWL, OWL, RDF, RDFS, SKOS, XSD, Namespace
from .mappingset import MappingRecord, MappingSetMetadata
from .obsolete import ObsoleteCode

__all__ = ["mapping_record_iri", "add_mappings", "add_obsolete_codes", "ORPHANET_QUALIFIER_PROPERTY"]

SSSOM = Namespace("sssom")
HAS_DBXREF = OBOINOWL.hasDbXref
CONSIDER = OBOINOWL.consider
#: The SSSOM extension slot ``orphanet_qualifier`` (declared in the file's extension_definitions).
ORPHANET_QUALIFIER_PROPERTY = NG.orphanetQualifier
CURATION_NOTE = NG.curationNote


def _skos(predicate_id: str) -> ox.NamedNode:
    return SKOS[predicate_id.split(":", 1)[1]]


def mapping_record_iri(rec: MappingRecord) -> ox.NamedNode:
    """A readable, content-derived IRI for one mapping record."""
    digest = hashlib.sha256("\x1f".join(rec.key).encode("utf-8")).hexdigest()[:10]
    code = re.sub(r"[^A-Za-z0-9]+", "-", rec.object_id.split(":", 1)[1]).strip("-")
    return ox.NamedNode(f"{STATEMENT}mapping-{rec.subject_local}-{rec.object_prefix}-{code}-{digest}")


def add_mappings(g: MemoryGraph, records: Iterable[MappingRecord], metadata: MappingSetMetadata) -> Counter:
    """Add the mapping set, its records and the SKOS/xref triples to ``g``; returns counts."""
    counts: Counter = Counter()
    mset = ox.NamedNode(str(metadata["mapping_set_id"]))
    g.add((mset, RDF.type, SSSOM.MappingSet))
    g.add((mset, DCTERMS.title, ox.Literal(str(metadata["mapping_set_title"]), language="en")))
    if metadata.get("mapping_set_description"):
        g.add((mset, DCTERMS.description, ox.Literal(str(metadata["mapping_set_description"]), language="en")))
    g.add((mset, DCTERMS.license, ox.NamedNode(str(metadata["license"]))))
    g.add((mset, OWL.versionInfo, ox.Literal(str(metadata["mapping_set_version"]))))
    if metadata.get("mapping_date"):
        g.add((mset, DCTERMS.created, ox.Literal(str(metadata["mapping_date"]), datatype=XSD.date)))
    for rec in records:
        subject = NG[rec.subject_local]
        pred = _skos(rec.predicate_id)
        target = ox.NamedNode(expand(rec.object_id))
        node = mapping_record_iri(rec)
        g.add((node, DCTERMS.isPartOf, mset))
        g.add((node, RDF.type, OWL.Axiom))
        g.add((node, OWL.annotatedSource, subject))
        g.add((node, OWL.annotatedProperty, pred))
        g.add((node, OWL.annotatedTarget, target))
        g.add((node, SSSOM.mapping_justification, ox.NamedNode(expand(rec.mapping_justification))))
        if rec.object_label:
            g.add((node, SSSOM.object_label, ox.Literal(rec.object_label)))
        g.add((node, SSSOM.object_source, ox.NamedNode(rec.object_source)))
        g.add((node, SSSOM.object_source_version, ox.Literal(rec.object_source_version)))
        g.add((node, DCTERMS.created, ox.Literal(rec.mapping_date, datatype=XSD.date)))
        if rec.orphanet_qualifier:
            g.add((node, ORPHANET_QUALIFIER_PROPERTY, ox.Literal(rec.orphanet_qualifier)))
        if rec.confidence:
            g.add((node, SSSOM.confidence, ox.Literal(str(float(rec.confidence)), datatype=XSD.double)))
        if rec.author_id:
            g.add((node, SSSOM.author_id, ox.Literal(rec.author_id)))
        if rec.comment:
            g.add((node, RDFS.comment, ox.Literal(rec.comment, language="en")))
        if rec.negated:
            g.add((node, SSSOM.predicate_modifier, ox.Literal("Not")))
            counts["mappings:negated"] += 1
            continue
        g.add((subject, pred, target))
        g.add((subject, HAS_DBXREF, ox.Literal(rec.object_id)))
        counts["mappings"] += 1
        counts[f"mappings:{rec.predicate_id}"] += 1
        counts[f"mappings:{rec.object_prefix}"] += 1
        counts[f"mappings:{rec.object_prefix}:{rec.predicate_id}"] += 1
    return counts


def add_obsolete_codes(g: MemoryGraph, obsolete: Mapping[str, ObsoleteCode], replacement: Mapping[str, str]) -> Counter:
    """Add each obsolete code as a deprecated resource with its label and final replacement."""
    counts: Counter = Counter()
    for code, rec in obsolete.items():
        node = ox.NamedNode(expand(code))
        g.add((node, OWL.deprecated, ox.Literal(True)))
        g.add((node, RDFS.label, ox.Literal(rec.label, language="en")))
        g.add((node, RDFS.isDefinedBy, ox.NamedNode(rec.source)))
        final = replacement.get(code, "")
        if final:
            g.add((node, DCTERMS.isReplacedBy, ox.NamedNode(expand(final))))
        for c in rec.consider:
            g.add((node, CONSIDER, ox.Literal(c)))
        note = f"Obsolete in {rec.source_version}." + (f" {rec.note}" if rec.note else "")
        g.add((node, CURATION_NOTE, ox.Literal(note, language="en")))
        counts["obsolete codes"] += 1
    return counts
