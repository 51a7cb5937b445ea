"""Stage 2 of the build: checked records -> triples, one pure function per named graph.

Each function reads a :class:`~netgraph.build.records.CheckedProject` (stage 1's
output) and returns a new graph and the counts for the build report; none keeps
state between calls, so they may run in any order. Every check happened in
stage 1, the rule tables' too (:mod:`netgraph.build.rulerows`).
"""

from __future__ import annotations

from collections import Counter

import pyoxigraph as ox

from .._version import RELEASE_DATE, __version__
from ..indication import add_indication
from ..memgraph import MemoryGraph
from ..prefixes import expand
from ..vocab import DCTERMS, IAO, NG, OBOINOWL, OWL, RDF, RDFS, SKOS, XSD
from .columns import SOURCE_KINDS
from .records import AssociationRecord, CheckedProject, Citation, GradeRuleRecord, Naming

__all__ = ["ONTOLOGY_IRI", "version_iri", "ontology_graph", "data_graph", "mappings_graph"]

ONTOLOGY_IRI = ox.NamedNode(expand("netgraph:ontology"))
IAO_DEFINITION = IAO["0000115"]
#: narrower and broader synonyms: kept for search, never labels (label lookup does not see them)
SYNONYM_SCOPES = (("narrow_synonyms_en", OBOINOWL.hasNarrowSynonym, "en"),
                  ("broad_synonyms_en", OBOINOWL.hasBroadSynonym, "en"))


def version_iri(date: str = RELEASE_DATE) -> ox.NamedNode:
    """The dated version IRI of the release ontology."""
    return ox.NamedNode(f"{expand('netgraph:releases/')}{date}/netgraph.ttl")


def _naming(g: MemoryGraph, node: ox.NamedNode, n: Naming, counts: Counter) -> None:
    for lang in ("en", "nl"):
        if n.label(lang):
            g.add((node, RDFS.label, ox.Literal(n.label(lang), language=lang)))
            counts[f"labels@{lang}"] += 1
        for syn in n.synonyms(lang):
            g.add((node, SKOS.altLabel, ox.Literal(syn, language=lang)))
            counts[f"synonyms@{lang}"] += 1
    for col, prop, lang in SYNONYM_SCOPES:
        for syn in getattr(n, col):
            g.add((node, prop, ox.Literal(syn, language=lang)))
            counts[f"{col.split('_')[0]} synonyms@{lang}"] += 1


def _restriction(g: MemoryGraph, node: ox.NamedNode, prop: ox.NamedNode, kind: ox.NamedNode, value: ox.NamedNode) -> None:
    restriction = ox.BlankNode()
    g.add((node, RDFS.subClassOf, restriction))
    g.add((restriction, RDF.type, OWL.Restriction))
    g.add((restriction, OWL.onProperty, prop))
    g.add((restriction, kind, value))


def ontology_graph(pj: CheckedProject) -> tuple[MemoryGraph, Counter]:
    """The release ontology: the core, the version, the classes and their axioms, the axiom individuals."""
    g = MemoryGraph()
    counts: Counter = Counter()
    g.update(pj.core.graph)
    g.add((ONTOLOGY_IRI, OWL.versionIRI, version_iri()))
    g.add((ONTOLOGY_IRI, OWL.versionInfo, ox.Literal(__version__)))
    for c in pj.classes.values():
        node = NG[c.id]
        g.add((node, RDF.type, OWL.Class))
        for p in c.parents:
            g.add((node, RDFS.subClassOf, NG[p]))
        _naming(g, node, c.naming, counts)
        g.add((node, IAO_DEFINITION, ox.Literal(c.definition, language="en")))
        if c.definition_source:
            g.add((node, NG.definitionSource, pj.sources[c.definition_source].iri))
        for values, prop in ((c.secretes, NG.secretes), (c.primary_site, NG.hasPrimarySite)):
            for value in values:
                _restriction(g, node, prop, OWL.hasValue, NG[value])
                counts["class axioms"] += 1
        for value in c.hypersecretion_syndrome:
            _restriction(g, node, NG.causesHypersecretionSyndrome, OWL.someValuesFrom, NG[value])
            counts["class axioms"] += 1
        if c.deprecated:
            g.add((node, OWL.deprecated, ox.Literal(True)))
            if c.replaced_by:
                g.add((node, DCTERMS.isReplacedBy, NG[c.replaced_by]))
        if c.comment:
            g.add((node, NG.curationNote, ox.Literal(c.comment, language="en")))
        counts["classes"] += 1
    # Individuals used in class axioms are typed here, and only here, so the ontology reasons on its
    # own and no triple lives in two named graphs (data_graph leaves these types out).
    for value in sorted(pj.axiom_individuals):
        g.add((NG[value], RDF.type, OWL.NamedIndividual))
        g.add((NG[value], RDF.type, NG[pj.entities[value].type]))
    return g, counts


def _sources(g: MemoryGraph, pj: CheckedProject, counts: Counter) -> None:
    for sid, s in sorted(pj.sources.items()):
        node = s.iri
        g.add((node, RDF.type, OWL.NamedIndividual))
        g.add((node, RDF.type, NG[SOURCE_KINDS[s.kind]]))
        g.add((node, RDFS.label, ox.Literal(f"{s.publisher}: {s.title}", language=s.language)))
        if s.language != "en":
            g.add((node, RDFS.label, ox.Literal(f"{s.publisher}: {s.title} (source {sid})", language="en")))
        g.add((node, DCTERMS.title, ox.Literal(s.title, language=s.language)))
        g.add((node, DCTERMS.publisher, ox.Literal(s.publisher)))
        g.add((node, DCTERMS.language, ox.Literal(s.language)))
        g.add((node, DCTERMS.identifier, ox.Literal(sid)))
        if s.date:
            g.add((node, DCTERMS.date, ox.Literal(s.date)))
        if s.url:
            g.add((node, NG.url, ox.Literal(s.url, datatype=XSD.anyURI)))
        g.add((node, NG.sha256, ox.Literal(s.sha256)))
        if s.license:
            g.add((node, DCTERMS.license, ox.Literal(s.license)))
        if s.note:
            g.add((node, NG.curationNote, ox.Literal(s.note, language="en")))
        counts["sources"] += 1


def _entities(g: MemoryGraph, pj: CheckedProject, counts: Counter) -> None:
    for eid, e in sorted(pj.entities.items()):
        node = NG[eid]
        if eid not in pj.axiom_individuals:  # those are typed in the ontology graph
            g.add((node, RDF.type, OWL.NamedIndividual))
            g.add((node, RDF.type, NG[e.type]))
        _naming(g, node, e.naming, counts)
        if e.definition:
            g.add((node, IAO_DEFINITION, ox.Literal(e.definition, language="en")))
        if e.definition_source:
            g.add((node, NG.definitionSource, pj.sources[e.definition_source].iri))
        for b in e.broader:
            g.add((node, SKOS.broader, NG[b]))
        if e.comment:
            g.add((node, NG.curationNote, ox.Literal(e.comment, language="en")))
        counts["individuals"] += 1
        counts[f"individuals:{e.type}"] += 1


def _association(g: MemoryGraph, pj: CheckedProject, a: AssociationRecord) -> None:
    node, kind = a.iri, a.kind
    g.add((node, RDF.type, OWL.NamedIndividual))
    g.add((node, RDF.type, kind.class_iri))
    g.add((node, RDFS.label, ox.Literal(
        f"{pj.label_en(a.subject)} {kind.direct_label} {pj.label_en(a.object)} ({a.source})", language="en")))
    g.add((node, NG.subject, NG[a.subject]))
    g.add((node, NG.object, NG[a.object]))
    g.add((NG[a.subject], kind.direct_predicate, NG[a.object]))
    g.add((node, NG.hasSource, pj.sources[a.source].iri))
    g.add((node, NG.quote, ox.Literal(a.quote)))
    if a.source_record:
        g.add((node, NG.sourceRecord, ox.Literal(a.source_record)))
    if a.frequency:
        g.add((node, NG.hasFrequency, NG[a.frequency]))
    if a.frequency_text:
        g.add((node, NG.frequencyText, ox.Literal(a.frequency_text)))
    if a.condition:
        g.add((node, NG.condition, ox.Literal(a.condition)))
    for p in a.purposes:
        g.add((node, NG.hasPurpose, NG[p]))
    for t in a.triggers:
        g.add((node, NG.hasTrigger, NG[t]))
    if a.value:
        g.add((node, NG.value, ox.Literal(a.value, datatype=XSD.decimal)))
    if a.unit:
        g.add((node, NG.unit, ox.Literal(a.unit)))
    if a.association_type:
        g.add((node, NG.geneAssociationType, ox.Literal(a.association_type)))
    add_indication(g, node, a.row)
    if a.comment:
        g.add((node, NG.curationNote, ox.Literal(a.comment, language="en")))


def _record_rules(g: MemoryGraph, pj: CheckedProject, counts: Counter) -> None:
    """Every record rule as a cited ``netgraph:RecordRule`` individual."""
    from ..records.ruletable import rule_iri

    for rule in pj.record_rules:
        node = rule_iri(rule.id)
        g.add((node, RDF.type, OWL.NamedIndividual))
        g.add((node, RDF.type, NG.RecordRule))
        g.add((node, RDFS.label, ox.Literal(f"record rule {rule.id}", language="en")))
        g.add((node, NG.ruleMessage, ox.Literal(rule.message, language="en")))
        g.add((node, NG.ruleKind, ox.Literal(rule.kind)))
        g.add((node, NG.ruleSeverity, ox.Literal(rule.severity)))
        for f in rule.fields:
            g.add((node, NG.ruleField, ox.Literal(f)))
        if rule.source:
            g.add((node, NG.hasSource, pj.sources[rule.source].iri))
            g.add((node, NG.quote, ox.Literal(rule.quote)))
        if rule.record:
            g.add((node, NG.sourceRecord, ox.Literal(rule.record)))
        if rule.basis:
            g.add((node, NG.ruleBasis, ox.Literal(rule.basis, language="en")))
    counts["record rules"] = len(pj.record_rules)


def _cite(g: MemoryGraph, node: ox.NamedNode, pj: CheckedProject, c: Citation) -> None:
    g.add((node, NG.hasSource, pj.sources[c.source].iri))
    g.add((node, NG.quote, ox.Literal(c.quote)))
    if c.source_record:
        g.add((node, NG.sourceRecord, ox.Literal(c.source_record)))


def _grade_rule(g: MemoryGraph, pj: CheckedProject, r: GradeRuleRecord, scheme_label: str) -> None:
    from ..grading.table import decimal_literal

    node, scheme = NG[r.id], NG[r.scheme]
    g.add((node, RDF.type, OWL.NamedIndividual))
    g.add((node, RDF.type, NG.GradeRule))
    g.add((node, RDFS.label, ox.Literal(f"{pj.core.label(NG[r.grade])} rule of {scheme_label} ({r.id})", language="en")))
    g.add((node, NG.inScheme, scheme))
    g.add((scheme, NG.hasRule, node))
    g.add((node, NG.assignsGrade, NG[r.grade]))
    g.add((node, NG.combinesCriteria, NG[r.combine]))
    for s in r.sites:
        g.add((node, NG.appliesToSite, NG[s]))
    if r.applies_to:
        g.add((node, NG.appliesToClass, NG[r.applies_to]))
    for c in r.criteria:
        crit = ox.NamedNode(f"{node.value}{c.index}")
        g.add((node, NG.hasCriterion, crit))
        g.add((crit, RDF.type, OWL.NamedIndividual))
        g.add((crit, RDF.type, NG.GradingCriterion))
        g.add((crit, RDFS.label, ox.Literal(f"{pj.core.label(NG[c.index])} {c.text} ({r.id})", language="en")))
        g.add((crit, NG.onIndex, NG[c.index]))
        g.add((crit, NG.criterionText, ox.Literal(c.text)))
        if c.interval.lower is not None:
            g.add((crit, NG.lowerBound, decimal_literal(c.interval.lower)))
            g.add((crit, NG.lowerInclusive, ox.Literal(c.interval.lower_inclusive)))
        if c.interval.upper is not None:
            g.add((crit, NG.upperBound, decimal_literal(c.interval.upper)))
            g.add((crit, NG.upperInclusive, ox.Literal(c.interval.upper_inclusive)))
    _cite(g, node, pj, r.citation)
    if r.comment:
        g.add((node, NG.curationNote, ox.Literal(r.comment, language="en")))


def _grading(g: MemoryGraph, pj: CheckedProject, counts: Counter) -> None:
    """The grading schemes and their grade rules with their criteria (netgraph.grading reads them back)."""
    labels = {}
    for s in pj.grading_schemes:
        node = NG[s.id]
        labels[s.id] = s.label_en
        g.add((node, RDF.type, OWL.NamedIndividual))
        g.add((node, RDF.type, NG.GradingScheme))
        g.add((node, RDFS.label, ox.Literal(s.label_en, language="en")))
        g.add((node, IAO_DEFINITION, ox.Literal(s.definition, language="en")))
        if s.conflict_resolution:
            g.add((node, NG.resolvesConflictBy, NG[s.conflict_resolution]))
        if s.citation is not None:
            _cite(g, node, pj, s.citation)
        if s.default:
            g.add((node, NG.defaultScheme, ox.Literal(True)))
        if s.comment:
            g.add((node, NG.curationNote, ox.Literal(s.comment, language="en")))
    for r in pj.grade_rules:
        _grade_rule(g, pj, r, labels[r.scheme])
    if pj.grading_schemes or pj.grade_rules:
        counts["grading schemes"] = len(pj.grading_schemes)
        counts["grade rules"] = len(pj.grade_rules)


def data_graph(pj: CheckedProject) -> tuple[MemoryGraph, Counter]:
    """The instance data: sources, entities (named individuals), associations, record rules and grading."""
    g = MemoryGraph()
    counts: Counter = Counter()
    _sources(g, pj, counts)
    _entities(g, pj, counts)
    for a in pj.associations:
        _association(g, pj, a)
        counts["associations"] += 1
        counts[f"associations:{a.kind.code}"] += 1
    _record_rules(g, pj, counts)
    _grading(g, pj, counts)
    return g, counts


def mappings_graph(pj: CheckedProject) -> tuple[MemoryGraph, Counter]:
    """SKOS triples, xrefs and SSSOM records from the SSSOM file, and the obsolete codes."""
    from ..crosswalk.emit import add_mappings, add_obsolete_codes

    g = MemoryGraph()
    counts: Counter = Counter()
    counts.update(add_mappings(g, pj.mappings, pj.mapping_metadata))
    counts.update(add_obsolete_codes(g, pj.obsolete_codes, pj.obsolete_replacements()))
    return g, counts
