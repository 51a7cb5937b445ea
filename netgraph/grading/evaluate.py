"""Grading values against the rules read from the graph: pure logic, no thresholds of its own.

A rule's criteria combine as its ``combinesCriteria`` says: ``AllCriteria``
(every criterion must hold; one whose index was not given cannot be shown to
hold) or ``AnyCriterion`` (one that holds is enough). Each rule is therefore
true, false or undetermined. When rules of several grades hold, the scheme's
``resolvesConflictBy`` decides (``HighestGrade``: the highest rank) or, when the
scheme states nothing, the answer is ambiguous.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ..vocab import NG
from ..terms import display_iri
from .rules import Rule, Scheme

__all__ = ["STATUSES", "RuleResult", "GradeAnswer", "rule_state", "decide"]

#: answer status -> exit code of `netgraph grade`
STATUSES = {"graded": 0, "no_rule": 1, "insufficient": 1, "ambiguous": 1, "no_scheme": 1}


def rule_state(rule: Rule, values: dict[str, Decimal]) -> bool | None:
    """True, False, or None (undetermined: a criterion's index was not given)."""
    states = [c.interval.contains(values[i]) if i in values else None for i, c in rule.criteria.items()]
    if rule.combine == NG.AllCriteria.value:
        if False in states:
            return False
        return None if None in states else True
    if True in states:
        return True
    return None if None in states else False


@dataclass(frozen=True)
class RuleResult:
    """One rule and what it says: its grade, criteria in the source's words, and its citation."""

    rule: str
    grade: str
    combine: str
    criteria: tuple[tuple[str, str], ...]
    missing: tuple[str, ...]
    source: str
    quote: str
    record: str | None

    @classmethod
    def of(cls, rule: Rule, values: dict[str, Decimal]) -> RuleResult:
        crit = tuple((c.index.label, c.text) for c in rule.criteria.values())
        missing = tuple(c.index.label for i, c in rule.criteria.items() if i not in values)
        combine = "all" if rule.combine == NG.AllCriteria.value else "any"
        return cls(display_iri(rule.iri), rule.grade_label, combine, crit, missing, display_iri(rule.source),
                   rule.quote, rule.record)

    def to_dict(self) -> dict[str, Any]:
        return {"rule": self.rule, "grade": self.grade, "combine": self.combine,
                "criteria": [{"index": i, "source_wording": t} for i, t in self.criteria],
                "missing": list(self.missing), "source": self.source, "quote": self.quote, "source_record": self.record}


@dataclass
class GradeAnswer:
    """The answer of :func:`netgraph.grade`: a status, the grade, and the rules and citations behind it."""

    status: str
    message: str
    grade: str | None = None
    scheme: str | None = None
    scheme_label: str | None = None
    site: str | None = None
    values: dict[str, str] = field(default_factory=dict)
    applied: list[RuleResult] = field(default_factory=list)
    undetermined: list[RuleResult] = field(default_factory=list)
    resolution: dict[str, str] | None = None
    other_schemes: list[str] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        return STATUSES[self.status]

    def to_dict(self) -> dict[str, Any]:
        return {"status": self.status, "grade": self.grade, "message": self.message, "scheme": self.scheme,
                "scheme_label": self.scheme_label, "site": self.site, "values": self.values,
                "rules_applied": [r.to_dict() for r in self.applied],
                "rules_undetermined": [r.to_dict() for r in self.undetermined],
                "conflict_resolution": self.resolution, "other_schemes": self.other_schemes}

    def to_text(self) -> str:
        lines = [f"{self.status}: {self.message}"]
        if self.scheme:
            lines.append(f"scheme: {self.scheme_label} ({self.scheme})")
        for title, rules in (("rule applied", self.applied), ("rule not decided", self.undetermined)):
            for r in rules:
                crit = f" {'AND' if r.combine == 'all' else 'OR'} ".join(f"{i} {t}" for i, t in r.criteria)
                lines.append(f"{title}: {r.rule} -> {r.grade} ({crit})")
                if r.missing:
                    lines.append(f"  not given: {', '.join(r.missing)}")
                rec = f", record {r.record}" if r.record else ""
                lines.append(f"  source: {r.source}{rec}: \"{r.quote}\"")
        if self.resolution:
            lines.append(f"several grades fit: {self.resolution['rule']}; source: {self.resolution['source']}: "
                         f"\"{self.resolution['quote']}\"")
        if self.other_schemes:
            lines.append(f"schemes with rules for this site: {', '.join(self.other_schemes)}")
        return "\n".join(lines)


def decide(scheme: Scheme, rules: list[Rule], values: dict[str, Decimal], given: dict[str, str],
           site: str | None) -> GradeAnswer:
    """Apply ``rules`` (those of ``scheme`` that cover the site) to ``values`` (index IRI -> value)."""
    base: dict[str, Any] = dict(scheme=display_iri(scheme.iri), scheme_label=scheme.label, site=site, values=given)
    states = {r.iri: rule_state(r, values) for r in rules}
    fitting = sorted((r for r in rules if states[r.iri]), key=lambda r: (r.rank, r.iri))
    open_rules = [r for r in rules if states[r.iri] is None]
    if not fitting:
        if open_rules:
            needs = sorted({m for r in open_rules for m in RuleResult.of(r, values).missing})
            return GradeAnswer("insufficient", "no rule can be shown to hold with the values given; "
                               f"the undecided rules also need: {', '.join(needs)}",
                               undetermined=[RuleResult.of(r, values) for r in sorted(open_rules, key=lambda r: r.rank)],
                               **base)
        return GradeAnswer("no_rule", f"the values fit no rule of {scheme.label} for this site", **base)
    ranks = sorted({r.rank for r in fitting})
    resolution = None
    if len(ranks) > 1:
        if scheme.resolution != NG.HighestGrade.value:
            return GradeAnswer("ambiguous", "the values fit rules of several grades ("
                               + ", ".join(sorted({r.grade_label for r in fitting})) + ") and the scheme states no rule "
                               "for choosing between them", applied=[RuleResult.of(r, values) for r in fitting], **base)
        resolution = {"rule": "highest grade", "source": display_iri(scheme.source or ""), "quote": scheme.quote or "",
                      "source_record": scheme.record or ""}
    top = ranks[-1]
    chosen = [r for r in fitting if r.rank == top]
    grade = chosen[0].grade_label
    higher_open = [r for r in open_rules if r.rank > top]
    msg = f"{grade} by {scheme.label}"
    if higher_open:
        needs = sorted({m for r in higher_open for m in RuleResult.of(r, values).missing})
        msg += f"; a higher grade is not excluded: {', '.join(needs)} not given"
    return GradeAnswer("graded", msg, grade=grade, applied=[RuleResult.of(r, values) for r in chosen],
                       undetermined=[RuleResult.of(r, values) for r in sorted(higher_open, key=lambda r: r.rank)],
                       resolution=resolution, **base)
