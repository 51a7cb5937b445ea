"""One validation report for every check: findings, notes, and three ways to print them.

A :class:`Finding` is one violation of one rule, whichever check found it
(SHACL shape, QC query, reasoner): the focus node, the property path, the
offending value and a message a curator can act on. The report prints as text
(grouped by severity, then rule), as JSON, or as a SHACL validation report
graph in canonical Turtle.

A finding's ``focus``, ``path`` and ``value`` are netgraph's own terms
(:mod:`netgraph.terms`: :class:`~netgraph.terms.IRI`, :class:`~netgraph.terms.Literal`,
:class:`~netgraph.terms.BNode`), as query rows are, whichever check found it; a
pyoxigraph or rdflib term handed to :class:`Finding` is converted
(:func:`netgraph.rdfterms.to_term`). The Turtle report is a
:class:`~netgraph.memgraph.MemoryGraph` of pyoxigraph terms
(:meth:`ValidationReport.to_graph`, the canonical writer's input).
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from itertools import groupby
from collections.abc import Iterable

from typing import TYPE_CHECKING, Any

from ..prefixes import compress, expand, prefix_map
from ..rdfterms import to_term
from ..terms import IRI, BNode, Literal, Term, iri

if TYPE_CHECKING:
    from ..memgraph import MemoryGraph

__all__ = ["Finding", "ValidationReport", "SEVERITIES", "severity_from_qc", "display"]

#: severities in report order, with their SHACL IRIs
SEVERITIES: dict[str, IRI] = {name: iri(expand(f"sh:{name}")) for name in ("Violation", "Warning", "Info")}
_QC_SEVERITY = {"error": "Violation", "warning": "Warning", "info": "Info"}


def severity_from_qc(level: str) -> str:
    """Map a QC header severity (error, warning, info) to a SHACL severity name."""
    return _QC_SEVERITY[level]


def display(term: Term | None) -> str:
    """A short, readable form of an RDF term: a CURIE where the prefix map has one.

    >>> display(IRI("https://w3id.org/netgraph/Insulinoma"))
    'netgraph:Insulinoma'
    >>> display(Literal("insuline", language="nl"))
    '"insuline"@nl'
    """
    if term is None:
        return "-"
    if isinstance(term, IRI):
        return compress(term.iri) or f"<{term.iri}>"
    if isinstance(term, BNode):
        return "[blank node]"
    if isinstance(term, Literal):
        text = str(term)
        if len(text) > 80:
            text = text[:77] + "..."
        text = json.dumps(text, ensure_ascii=False)
        if term.language:
            return f"{text}@{term.language}"
        if term.datatype is not None and term.datatype != prefix_map()["xsd"] + "string":
            return f"{text}^^{display(iri(term.datatype))}"
        return text
    return str(term)


def _key(term: Term | None) -> tuple | None:
    return None if term is None else term.key()


@dataclass(frozen=True, eq=False)
class Finding:
    """One rule broken by one node.

    ``focus``, ``path`` and ``value`` are :mod:`netgraph.terms` terms (a path that
    is not one IRI is a :class:`~netgraph.terms.Literal` with its SPARQL-like text);
    a pyoxigraph or rdflib term given here is converted. Two findings are equal
    when every field is, terms compared completely (kind, IRI or lexical form,
    language, datatype), as RDF compares them.
    """

    severity: str  # "Violation", "Warning" or "Info"
    rule: str  # e.g. "ngshape:AssociationQuote", "qc/missing-label", "reasoner/unsatisfiable-class"
    check: str  # "shacl", "qc" or "reasoner"
    message: str
    focus: Term | None = None
    path: Term | None = None
    value: Term | None = None

    def __post_init__(self) -> None:
        for name in ("focus", "path", "value"):
            t: Any = getattr(self, name)
            if t is not None and not isinstance(t, Term):
                object.__setattr__(self, name, to_term(t))

    def identity(self) -> tuple:
        """Every field, terms by their full key (what equality and hashing compare)."""
        return (self.severity, self.rule, self.check, self.message, _key(self.focus), _key(self.path),
                _key(self.value))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Finding) and self.identity() == other.identity()

    def __hash__(self) -> int:
        return hash(self.identity())

    def sort_key(self) -> tuple:
        return (list(SEVERITIES).index(self.severity), self.rule, display(self.focus), display(self.path),
                display(self.value), self.message)

    def as_dict(self) -> dict:
        def term(t: Term | None) -> str | dict | None:
            if t is None:
                return None
            if isinstance(t, Literal):
                return {"literal": str(t), "language": t.language, "datatype": t.datatype}
            if isinstance(t, BNode):
                return {"blank": True}
            if isinstance(t, IRI):
                return t.iri
            return str(t)

        return {"severity": self.severity, "rule": self.rule, "check": self.check, "message": self.message,
                "focus": term(self.focus), "path": term(self.path), "value": term(self.value)}


@dataclass
class ValidationReport:
    """The outcome of :func:`netgraph.validation.validate`.

    ``conforms`` is true when no finding has severity ``Violation`` (warnings and
    infos are reported but do not fail, like pySHACL's ``--allow-warnings``).
    ``exit_code`` follows pySHACL: 0 conforms, 1 violations (2, an error, is
    raised as :class:`netgraph.errors.NetgraphError` instead of returned).
    """

    findings: list[Finding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    checks: dict[str, int] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    inputs: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.findings = sorted(set(self.findings), key=Finding.sort_key)

    def add(self, findings: Iterable[Finding]) -> None:
        self.findings = sorted(set(self.findings) | set(findings), key=Finding.sort_key)

    @property
    def conforms(self) -> bool:
        return not any(f.severity == "Violation" for f in self.findings)

    @property
    def exit_code(self) -> int:
        return 0 if self.conforms else 1

    def counts(self) -> dict[str, int]:
        c = Counter(f.severity for f in self.findings)
        return {s: c.get(s, 0) for s in SEVERITIES}

    def rules_fired(self) -> set[str]:
        return {f.rule for f in self.findings}

    # -- output ------------------------------------------------------------------------

    def summary(self) -> str:
        c = self.counts()
        parts = [f"{n} {s.lower()}{'s' if n != 1 else ''}" for s, n in c.items()]
        ran = ", ".join(f"{k} {v}" for k, v in self.checks.items())
        state = "conforms" if self.conforms else "does not conform"
        total = sum(self.timings.values())
        return f"{state}: {', '.join(parts)} ({ran}; {total:.1f} s)"

    def to_text(self) -> str:
        lines = []
        for severity, sev_group in groupby(self.findings, key=lambda f: f.severity):
            by_sev = list(sev_group)
            lines.append(f"{severity.upper()}S ({len(by_sev)})")
            for rule, rule_group in groupby(by_sev, key=lambda f: f.rule):
                items = list(rule_group)
                lines.append(f"  {rule} [{items[0].check}] ({len(items)})")
                for message, same in groupby(items, key=lambda f: f.message):
                    lines.append(f"    {message}")
                    for f in same:
                        lines.append(f"      {display(f.focus)}  {display(f.path)}  {display(f.value)}")
        for note in self.notes:
            lines.append(f"note: {note}")
        lines.append(self.summary())
        return "\n".join(lines) + "\n"

    def to_json(self) -> str:
        data = {
            "conforms": self.conforms,
            "counts": self.counts(),
            "checks": self.checks,
            "inputs": self.inputs,
            "notes": self.notes,
            "findings": [f.as_dict() for f in self.findings],
        }
        return json.dumps(data, indent=2, ensure_ascii=False, sort_keys=False) + "\n"

    def to_graph(self) -> MemoryGraph:
        """The SHACL validation report graph (QC and reasoner findings as results too), as a
        :class:`~netgraph.memgraph.MemoryGraph` of pyoxigraph terms: the input of the canonical Turtle
        writer (:mod:`netgraph.turtle`)."""
        import pyoxigraph as ox

        from ..memgraph import MemoryGraph
        from ..rdfterms import to_oxigraph
        from ..vocab import DCTERMS, RDF, SH

        g = MemoryGraph()
        # a named report node: the canonical Turtle writer inlines only blank nodes that are objects
        report = ox.NamedNode(expand("ngshape:validation-report"))
        g.add((report, RDF.type, SH.ValidationReport))
        g.add((report, SH.conforms, ox.Literal(self.conforms)))
        for f in self.findings:
            r = ox.BlankNode()
            g.add((report, SH.result, r))
            g.add((r, RDF.type, SH.ValidationResult))
            g.add((r, SH.resultSeverity, SH[f.severity]))
            g.add((r, SH.resultMessage, ox.Literal(f.message, language="en")))
            g.add((r, DCTERMS.source, ox.Literal(f.rule)))
            for pred, term in ((SH.focusNode, f.focus), (SH.resultPath, f.path), (SH.value, f.value)):
                if term is None or (pred == SH.resultPath and isinstance(term, Literal)):
                    continue  # a complex path is shown as text in the other formats
                # a data blank node means nothing outside its graph: write a fresh one
                g.add((r, pred, ox.BlankNode() if isinstance(term, BNode) else to_oxigraph(term)))
            if f.check == "shacl" and f.rule.startswith("ngshape:"):
                g.add((r, SH.sourceShape, ox.NamedNode(expand(f.rule))))
        return g

    def to_turtle(self) -> str:
        from ..turtle import to_turtle

        return to_turtle(self.to_graph(), ["netgraph validate: SHACL validation report"]).decode("utf-8")

    def render(self, fmt: str) -> str:
        return {"text": self.to_text, "json": self.to_json, "turtle": self.to_turtle}[fmt]()
