"""The grading rules as the graph holds them, read with one SPARQL query.

:func:`load_rules` runs :data:`RULES_QUERY` on any backend (embedded store,
rdflib, a remote endpoint) and returns :class:`Scheme` objects with their
:class:`Rule` and :class:`Criterion` objects; :func:`site_scope` finds the sites
a ``--site`` value stands for (a site and every broader site, or a tumour
class's primary site(s) by class axiom, and the class's ancestors).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from ..terms import IRI, Term
from .table import Interval

__all__ = ["RULES_QUERY", "SITE_QUERY", "Criterion", "Rule", "Scheme", "IndexRange", "load_rules", "site_scope"]

#: every grade rule with its scheme, grade, criteria, sites and citation (one row per rule x criterion x site)
RULES_QUERY = """
SELECT ?scheme ?schemeLabel ?default ?resolution ?schemeSource ?schemeQuote ?schemeRecord
       ?rule ?grade ?gradeLabel ?rank ?combine ?site ?appliesTo ?source ?quote ?record
       ?criterion ?index ?indexLabel ?min ?max ?unit ?lower ?lowerInc ?upper ?upperInc ?text
WHERE {
  # the required patterns first, the OPTIONALs last (none binds a variable a required pattern uses, so the
  # answer is the same): Oxigraph joins in the written order, and OPTIONALs between the required patterns
  # made this query take seconds instead of milliseconds
  ?rule a netgraph:GradeRule ; netgraph:inScheme ?scheme ; netgraph:assignsGrade ?grade ;
        netgraph:combinesCriteria ?combine ; netgraph:hasCriterion ?criterion ;
        netgraph:hasSource ?source ; netgraph:quote ?quote .
  ?criterion netgraph:onIndex ?index ; netgraph:criterionText ?text .
  ?scheme rdfs:label ?schemeLabel . FILTER(LANG(?schemeLabel) = "en")
  ?grade rdfs:label ?gradeLabel ; netgraph:gradeRank ?rank . FILTER(LANG(?gradeLabel) = "en")
  ?index rdfs:label ?indexLabel . FILTER(LANG(?indexLabel) = "en")
  ?rule netgraph:appliesToSite ?site .
  OPTIONAL { ?scheme netgraph:defaultScheme ?default }
  OPTIONAL { ?scheme netgraph:resolvesConflictBy ?resolution }
  OPTIONAL { ?scheme netgraph:hasSource ?schemeSource ; netgraph:quote ?schemeQuote }
  OPTIONAL { ?scheme netgraph:sourceRecord ?schemeRecord }
  OPTIONAL { ?rule netgraph:sourceRecord ?record }
  OPTIONAL { ?rule netgraph:appliesToClass ?appliesTo }
  OPTIONAL { ?index netgraph:minimumValue ?min }
  OPTIONAL { ?index netgraph:maximumValue ?max }
  OPTIONAL { ?index netgraph:indexUnit ?unit }
  OPTIONAL { ?criterion netgraph:lowerBound ?lower ; netgraph:lowerInclusive ?lowerInc }
  OPTIONAL { ?criterion netgraph:upperBound ?upper ; netgraph:upperInclusive ?upperInc }
}
"""

#: the sites ``?_site`` stands for: itself and its broader sites, or a class's primary sites (class axioms) and theirs
SITE_QUERY = """
SELECT DISTINCT ?_site ?site ?ancestor WHERE {
  {
    ?_site a/rdfs:subClassOf* netgraph:AnatomicalSite .
    ?_site skos:broader* ?site .
  } UNION {
    ?_site rdfs:subClassOf* ?axiomClass .
    ?axiomClass rdfs:subClassOf ?restriction .
    ?restriction owl:onProperty netgraph:hasPrimarySite ; owl:hasValue ?primary .
    ?primary skos:broader* ?site .
  } UNION {
    ?_site a owl:Class ; rdfs:subClassOf* ?ancestor .
    FILTER(isIRI(?ancestor))
  }
}
"""


@dataclass(frozen=True)
class IndexRange:
    """A proliferation index and the values it can take (from the graph)."""

    iri: str
    label: str
    minimum: Decimal | None
    maximum: Decimal | None
    unit: str


@dataclass(frozen=True)
class Criterion:
    index: IndexRange
    interval: Interval
    text: str


@dataclass
class Rule:
    iri: str
    scheme: str
    grade: str
    grade_label: str
    rank: int
    combine: str
    source: str
    quote: str
    record: str | None
    applies_to: str | None
    sites: set[str] = field(default_factory=set)
    criteria: dict[str, Criterion] = field(default_factory=dict)


@dataclass
class Scheme:
    iri: str
    label: str
    default: bool
    resolution: str | None
    source: str | None
    quote: str | None
    record: str | None
    rules: dict[str, Rule] = field(default_factory=dict)


def _iri(cell: Term | None) -> str | None:
    return cell.iri if isinstance(cell, IRI) else None


def _dec(cell: Term | None) -> Decimal | None:
    return Decimal(str(cell)) if cell is not None else None


def load_rules(kg) -> dict[str, Scheme]:
    """Every grading scheme of the graph, by IRI, with its rules (one query)."""
    schemes: dict[str, Scheme] = {}
    for row in kg.sparql(RULES_QUERY):
        sid = _iri(row["scheme"])
        scheme = schemes.get(sid)
        if scheme is None:
            scheme = schemes[sid] = Scheme(
                sid, str(row["schemeLabel"]), str(row["default"] or "") == "true", _iri(row["resolution"]),
                _iri(row["schemeSource"]), str(row["schemeQuote"]) if row["schemeQuote"] else None,
                str(row["schemeRecord"]) if row["schemeRecord"] else None)
        rid = _iri(row["rule"])
        rule = scheme.rules.get(rid)
        if rule is None:
            rule = scheme.rules[rid] = Rule(
                rid, sid, _iri(row["grade"]), str(row["gradeLabel"]), int(str(row["rank"])), _iri(row["combine"]),
                _iri(row["source"]), str(row["quote"]), str(row["record"]) if row["record"] else None,
                _iri(row["appliesTo"]))
        rule.sites.add(_iri(row["site"]))
        index = IndexRange(_iri(row["index"]), str(row["indexLabel"]), _dec(row["min"]), _dec(row["max"]),
                           str(row["unit"] or ""))
        interval = Interval(_dec(row["lower"]), str(row["lowerInc"] or "") == "true",
                            _dec(row["upper"]), str(row["upperInc"] or "") == "true")
        rule.criteria[index.iri] = Criterion(index, interval, str(row["text"]))
    return schemes


def site_scope(kg, site: IRI) -> tuple[set[str], set[str]]:
    """(the sites ``site`` stands for, the classes it is or is under when it is a tumour class)."""
    sites: set[str] = set()
    ancestors: set[str] = set()
    for row in kg.sparql(SITE_QUERY, site=site):
        if row["site"] is not None:
            sites.add(_iri(row["site"]))
        if row["ancestor"] is not None:
            ancestors.add(_iri(row["ancestor"]))
    return sites, ancestors
