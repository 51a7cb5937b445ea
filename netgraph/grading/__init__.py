"""Grading as cited data: the grade of a tumour from its Ki-67 index and mitotic count.

The thresholds are not in this package: they are grade-rule individuals of the
graph (``data/tables/grading.tsv``, emitted by :mod:`netgraph.grading.table`),
read with one SPARQL query (:mod:`netgraph.grading.rules`) and applied by
:mod:`netgraph.grading.evaluate`.

>>> import netgraph
>>> kg = netgraph.open_graph()
>>> a = netgraph.grade(ki67=12, site="pancreatic neuroendocrine tumour", graph=kg)
>>> a.status, a.grade, a.applied[0].source
('graded', 'G2', 'ngsrc:seer-eod-2.1-grade')
>>> netgraph.grade(ki67=2.5, mitoses=5, site="pancreas", scheme="MondoNetGradeDefinitions", graph=kg).status
'no_rule'
"""

from __future__ import annotations

import math
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from ..errors import GradingInputError
from ..vocab import NG
from ..terms import display_iri
from .evaluate import STATUSES, GradeAnswer, RuleResult, decide
from .rules import Scheme, load_rules, site_scope

if TYPE_CHECKING:
    from ..api import KnowledgeGraph

__all__ = ["grade", "GradeAnswer", "RuleResult", "STATUSES", "INDEX_ARGUMENTS"]

#: keyword of :func:`grade` -> the ProliferationIndex individual of the core ontology it gives
INDEX_ARGUMENTS = {"ki67": NG.Ki67Index.value, "mitoses": NG.MitoticCount.value}


def _number(name: str, value: Any) -> Decimal:
    if isinstance(value, bool):
        raise GradingInputError(f"{name}: {value!r} is not a number")
    if isinstance(value, float) and not math.isfinite(value):
        raise GradingInputError(f"{name}: {value!r} is not a finite number")
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise GradingInputError(f"{name}: {value!r} is not a number (give a decimal such as 12 or 2.9)") from None
    if not number.is_finite():
        raise GradingInputError(f"{name}: {value!r} is not a finite number")
    return number


def _pick_scheme(schemes: dict[str, Scheme], scheme: str | None) -> Scheme:
    if scheme is None:
        defaults = [s for s in schemes.values() if s.default]
        if not defaults:
            raise GradingInputError("the graph names no default grading scheme; pass scheme=… "
                                    f"(schemes: {', '.join(sorted(display_iri(s) for s in schemes)) or 'none'})")
        return defaults[0]
    wanted = scheme.strip().casefold()
    for s in schemes.values():
        names = {s.iri.casefold(), display_iri(s.iri).casefold(), display_iri(s.iri).split(":")[-1].casefold(),
                 s.label.casefold()}
        if wanted in names:
            return s
    known = ", ".join(f"{display_iri(s.iri).split(':')[-1]} ({s.label})" for s in sorted(schemes.values(), key=lambda s: s.iri))
    raise GradingInputError(f"no grading scheme {scheme!r}; the graph has: {known or 'none'}")


def grade(ki67: Any = None, mitoses: Any = None, site: str | None = None, scheme: str | None = None, *,
          graph: KnowledgeGraph | None = None) -> GradeAnswer:
    """The grade of a tumour with Ki-67 index ``ki67`` (%) and ``mitoses`` (per 10 HPF or 2 mm²).

    ``site`` is an anatomical site or a tumour class (id, label, CURIE: anything
    ``resolve`` accepts); ``scheme`` a grading scheme id or label (default: the
    graph's default scheme). ``graph`` is an open :class:`~netgraph.api.KnowledgeGraph`
    (default: the embedded store). Bad values raise :class:`GradingInputError`;
    every other outcome is an answer whose ``status`` says whether a grade was
    found (``graded``) or why not (``no_rule``, ``insufficient``, ``ambiguous``,
    ``no_scheme``).
    """
    given = {name: _number(name, v) for name, v in (("ki67", ki67), ("mitoses", mitoses)) if v is not None}
    if not given:
        raise GradingInputError("give at least one index: ki67 (percent) and/or mitoses (per 10 HPF or 2 mm2)")
    if graph is None:
        from ..api import open_graph

        with open_graph() as kg:
            return grade(ki67, mitoses, site, scheme, graph=kg)
    schemes = load_rules(graph)
    chosen = _pick_scheme(schemes, scheme)
    values = {INDEX_ARGUMENTS[k]: v for k, v in given.items()}
    for rule in (r for s in schemes.values() for r in s.rules.values()):
        for iri, crit in rule.criteria.items():
            v, rng = values.get(iri), crit.index
            if v is not None and ((rng.minimum is not None and v < rng.minimum) or (rng.maximum is not None and v > rng.maximum)):
                bounds = f"{rng.minimum}" + (f" to {rng.maximum}" if rng.maximum is not None else " or more")
                raise GradingInputError(f"{rng.label} {v} is outside its range ({bounds} {rng.unit})")
    shown = {k: str(v) for k, v in given.items()}
    rules = list(chosen.rules.values())
    site_iri = None
    if site is not None:
        site_iri = graph.resolve(site)
        sites, ancestors = site_scope(graph, site_iri)
        rules = [r for r in rules if r.sites & sites and (not ancestors or r.applies_to is None or r.applies_to in ancestors)]
        if not rules:
            others = [f"{display_iri(s.iri).split(':')[-1]} ({s.label})" for s in schemes.values() if s is not chosen
                      and any(r.sites & sites and (not ancestors or r.applies_to is None or r.applies_to in ancestors)
                              for r in s.rules.values())]
            return GradeAnswer("no_scheme", f"{chosen.label} has no rule for {site_iri} ({site})",
                               scheme=display_iri(chosen.iri), scheme_label=chosen.label, site=str(site_iri),
                               values=shown, other_schemes=others)
    return decide(chosen, rules, values, shown, str(site_iri) if site_iri else None)
