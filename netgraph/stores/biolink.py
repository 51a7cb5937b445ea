"""The Biolink Model mapping used by the KGX and Neo4j exports: one small table each.

Categories are keyed by a netgraph class; an entity takes the category of its
nearest mapped class (itself, its type, or an ancestor). Predicates are keyed by
the CURIE of the netgraph (or RDF/SKOS) predicate the graph uses. Names were
checked against the Biolink Model documentation (biolink.github.io).

>>> category_for("netgraph:Hormone", {"netgraph:Hormone": ["netgraph:SecretedSubstance"]})
'biolink:ChemicalEntity'
>>> PREDICATES["netgraph:mayBeTreatedBy"]
'biolink:treated_by'
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

__all__ = ["CATEGORIES", "PREDICATES", "DEFAULT_CATEGORY", "DEFAULT_PREDICATE", "EXCLUDED_ROOTS",
           "KNOWLEDGE_SOURCE", "category_for", "predicate_for"]

#: netgraph class -> Biolink category (the nearest mapped class wins)
CATEGORIES: Mapping[str, str] = {
    "netgraph:Condition": "biolink:DiseaseOrPhenotypicFeature",
    "netgraph:NeuroendocrineNeoplasm": "biolink:Disease",
    "netgraph:HereditarySyndrome": "biolink:Disease",
    "netgraph:ClinicalSyndrome": "biolink:Disease",
    "netgraph:SecretedSubstance": "biolink:ChemicalEntity",
    "netgraph:Biomarker": "biolink:ClinicalAttribute",
    "netgraph:SymptomOrSign": "biolink:PhenotypicFeature",
    "netgraph:AnatomicalSite": "biolink:AnatomicalEntity",
    "netgraph:CellType": "biolink:Cell",
    "netgraph:Trigger": "biolink:ExposureEvent",
    "netgraph:RiskFactor": "biolink:ExposureEvent",
    "netgraph:EpidemiologicalMeasure": "biolink:Attribute",
    "netgraph:DiagnosticProcedure": "biolink:Procedure",
    "netgraph:Intervention": "biolink:Treatment",
    "netgraph:Surgery": "biolink:Procedure",
    "netgraph:DrugTherapy": "biolink:Drug",
    "netgraph:Source": "biolink:Publication",
    "netgraph:PatientInformationText": "biolink:WebPage",
    "netgraph:ReferenceRelease": "biolink:DatasetVersion",
    "netgraph:Gene": "biolink:Gene",
}

#: graph predicate -> Biolink predicate
PREDICATES: Mapping[str, str] = {
    "netgraph:mayProduce": "biolink:produces",
    "netgraph:secretes": "biolink:produces",
    "netgraph:mayCause": "biolink:causes",
    "netgraph:mayPresentWith": "biolink:has_phenotype",
    "netgraph:predisposesTo": "biolink:predisposes_to_condition",
    "netgraph:mayAriseIn": "biolink:disease_has_location",
    "netgraph:hasPrimarySite": "biolink:disease_has_location",
    "netgraph:maySpreadTo": "biolink:disease_has_location",
    "netgraph:mayBeDiagnosedBy": "biolink:is_diagnosed_by",
    "netgraph:mayBeTreatedBy": "biolink:treated_by",
    "netgraph:mayBeTriggeredBy": "biolink:condition_exacerbated_by",
    "netgraph:foundIn": "biolink:located_in",
    "netgraph:hasEpidemiologicalFeature": "biolink:has_attribute",
    "netgraph:isClassifiedAs": "biolink:related_to",
    "netgraph:hasGeneticBasis": "biolink:condition_associated_with_gene",
    "netgraph:measures": "biolink:related_to",
    "rdfs:subClassOf": "biolink:subclass_of",
    "skos:broader": "biolink:subclass_of",
    "skos:exactMatch": "biolink:exact_match",
    "skos:closeMatch": "biolink:close_match",
    "skos:broadMatch": "biolink:broad_match",
    "skos:narrowMatch": "biolink:narrow_match",
    "skos:relatedMatch": "biolink:related_to",
}

DEFAULT_CATEGORY = "biolink:NamedThing"
DEFAULT_PREDICATE = "biolink:related_to"

#: classes whose subclasses and members are not nodes: associations become edges, qualifiers edge properties
EXCLUDED_ROOTS: tuple[str, ...] = ("netgraph:Association", "netgraph:FrequencyQualifier", "netgraph:PurposeQualifier",
                                   "netgraph:IndicationStageQualifier", "netgraph:IndicationGradeQualifier",
                                   "netgraph:FunctionalStatusQualifier", "netgraph:TreatmentLineQualifier",
                                   "netgraph:EvidenceTypeQualifier")

#: the Biolink ``primary_knowledge_source`` of every edge (an infores identifier)
KNOWLEDGE_SOURCE = "infores:netgraph"


def category_for(term: str | Sequence[str], parents: Mapping[str, Sequence[str]]) -> str:
    """The category of the nearest mapped class at or above ``term`` (a class, or an entity's types)."""
    seen: set[str] = set()
    level = sorted({term} if isinstance(term, str) else set(term))
    while level:
        hits = sorted(CATEGORIES[c] for c in level if c in CATEGORIES)
        if hits:
            return hits[0]
        seen.update(level)
        level = sorted({p for c in level for p in parents.get(c, ()) if p not in seen})
    return DEFAULT_CATEGORY


def predicate_for(predicate: str) -> str:
    """The Biolink predicate for a graph predicate CURIE (``biolink:related_to`` when unmapped)."""
    return PREDICATES.get(predicate, DEFAULT_PREDICATE)
