"""The SHACL engines of `validate`: the shapes compiled to SPARQL (fast), pySHACL (the reference).

``auto`` (the default) compiles every top-level shape it can into SPARQL
``SELECT``\\ s of violating focus nodes and value nodes (in the manner of
SHACL-SPARQL, by :mod:`netgraph.records.compile`) and runs them on the
validation store itself; the shapes it has no translation for are run by
pySHACL on an rdflib copy of the graph, made only when such a shape exists.
``pyshacl`` runs every shape with pySHACL. Both give the same findings
(tests/test_validate_engines.py holds them to that on the built graph and on
every bad example).

A shape is compiled into findings with the same fields pySHACL's results give
after :func:`netgraph.validation.shacl.run_shacl`: the rule (the named shape),
its message, the severity of the shape whose constraint fails, the focus node,
the path (the property shape's ``sh:path``) and the value node (none for
counts, ``sh:hasValue``, ``sh:uniqueLang`` and qualified counts; the focus node
itself for a node shape's own constraints). A shape is left to pySHACL when a
part of it has no translation, when its rule has no ``sh:message`` (pySHACL's
generated messages are not reproduced), or when a property shape nests
property shapes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from collections.abc import Iterable

import pyoxigraph as ox

from ..errors import ShapeCompileError
from ..memgraph import MemoryGraph, Object, Subject
from ..prefixes import compress
from ..rdfterms import from_oxigraph
from ..records.compile import _TARGET_PREDICATES, _Compiler, _top_level, term_sparql
from ..vocab import RDF, RDFS, SH
from ..terms import Literal as TextLiteral
from ..terms import Term
from .report import Finding

__all__ = ["ENGINES", "FindingQuery", "compile_finding_queries", "run_shapes", "run_compiled"]

ENGINES = ("auto", "pyshacl")
_SEVERITY = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}


@dataclass(frozen=True)
class FindingQuery:
    """One SPARQL query whose rows (``?this``, and ``?value`` when ``has_value``) are findings of one rule."""

    shape: Subject  # the top-level shape
    rule: str
    message: str
    severity: str
    path: Term | None  # an IRI, a Literal (a complex path as text) or None
    query: str
    has_value: bool  # ?value is the value node; else no value (counts …) or the focus node (``focus_value``)
    focus_value: bool = False


class _FindingCompiler:
    def __init__(self, shapes: MemoryGraph) -> None:
        self.g = shapes
        self.c = _Compiler(shapes)

    def path_term(self, path: Object | None) -> Term | None:
        """The finding's path: the IRI of a plain ``sh:path``, else the path's text (as pySHACL's findings give it)."""
        from .shacl import _path_text

        if path is None or isinstance(path, ox.NamedNode):
            return from_oxigraph(path)
        return TextLiteral(_path_text(self.g, path))

    def severity(self, shape: Subject) -> str:
        found = self.c.one(shape, SH.severity)
        return _SEVERITY.get(found, "Violation") if isinstance(found, ox.NamedNode) else "Violation"

    def named(self, shape: Subject, top: Subject) -> tuple[str, str]:
        """(rule, message) of the results of ``shape`` (a top-level shape or one of its sh:property shapes)."""
        named = shape if isinstance(shape, ox.NamedNode) else top
        if not isinstance(named, ox.NamedNode):
            raise ShapeCompileError(f"{shape}: an anonymous top-level shape (its rule has no name)")
        message = self.c.one(named, SH.message)
        if message is None:
            raise ShapeCompileError(f"{named}: no sh:message (pySHACL's generated message is not reproduced)")
        return compress(named.value) or named.value, message.value

    def shape(self, top: Subject) -> list[FindingQuery]:
        if self.c.off(top):
            return []
        targets, prologue = self.c.targets(top)
        target = "{ SELECT DISTINCT ?this WHERE { " + " UNION ".join("{ " + t + " }" for t in targets) + " } }"
        if self.c.has(top, SH.path):
            return self.property_queries(top, top, target, prologue)
        return self.node_queries(top, top, target, prologue)

    def node_queries(self, node: Object, top: Subject, target: str, prologue: str) -> list[FindingQuery]:
        """The findings of node shape ``node`` at the focus nodes ``target`` binds to ?this (rule: ``top``'s)."""
        from .shacl import _nested_path

        if isinstance(node, ox.Literal):
            raise ShapeCompileError(f"{node}: a literal where a node shape is needed")
        self.c.check_params(node, property_shape=False)
        for pred in (SH.hasValue, SH.node):  # pySHACL gives no value node / nests the results of these here
            if self.c.has(node, pred):
                raise ShapeCompileError(f"{node}: {pred} on a node shape")
        bodies = [f"{target} {b}" for b in self.or_bodies(node)]
        exprs = self.c.value_violation(node, "?this", skip_or=bool(bodies), properties=False)
        bodies += [f"{target} FILTER({e})" for e in exprs]
        out: list[FindingQuery] = []
        if bodies:
            rule, message = self.named(node, top)
            named = node if isinstance(node, ox.NamedNode) else top
            for body in bodies:  # one query per constraint: their findings are the same rows, united
                query = f"{prologue}SELECT DISTINCT ?this WHERE {{ {body} }}"
                out.append(FindingQuery(top, rule, message, self.severity(node),
                                        self.path_term(_nested_path(self.g, named)), query, has_value=False,
                                        focus_value=True))
        for prop in self.g.objects(node, SH.property):
            out += self.property_queries(prop, top, target, prologue)
        return out

    def conform_pattern(self, member: Object) -> str | None:
        """A pattern matching ?this when it conforms to ``member`` (None when there is no simple one)."""
        if isinstance(member, ox.Literal):
            return None
        g = self.g
        constraints = {t.predicate for t in g.triples((member, None, None)) if t.predicate.value.startswith(SH.base)
                       } - {SH.path, SH.message, SH.severity}
        if self.c.has(member, SH.path):
            parts = self.c.property_parts(member, "?this")
            return parts[0][1] if len(parts) == 1 and parts[0][0] == "not-exists" else None
        classes = g.objects(member, SH["class"])
        if constraints == {SH["class"]} and len(classes) == 1:
            c = self.c.var()
            return f"{c} (<{RDFS.subClassOf.value}>)* {term_sparql(classes[0])} . ?this <{RDF.type.value}> {c}"
        return None

    def or_bodies(self, top: Subject) -> list[str]:
        """A node shape's one sh:or as ``MINUS`` groups (an anti-join, not a test per focus node), when every
        member has a simple conforming pattern; else nothing (the sh:or is then an expression)."""
        heads = self.g.objects(top, SH["or"])
        if len(heads) != 1:
            return []
        members = self.c.items(heads[0])
        patterns = [self.conform_pattern(m) for m in members]
        if not members or any(p is None for p in patterns):
            return []
        return [" ".join(f"MINUS {{ {p} }}" for p in patterns)]

    def property_queries(self, prop: Object, top: Subject, target: str, prologue: str) -> list[FindingQuery]:
        g, c = self.g, self.c
        if isinstance(prop, ox.Literal):
            raise ShapeCompileError(f"{prop}: a literal where a property shape is needed")
        if c.off(prop):
            return []
        if c.has(prop, SH.property):
            raise ShapeCompileError(f"{prop}: a property shape with nested property shapes")
        c.check_params(prop, property_shape=True)
        rule, message = self.named(prop, top)
        severity, path = self.severity(prop), c.one(prop, SH.path)
        if path is None:
            raise ShapeCompileError(f"{prop}: a property shape without sh:path")
        shown = self.path_term(path)
        out: list[FindingQuery] = []

        def add(body: str, has_value: bool) -> None:
            query = f"{prologue}SELECT DISTINCT ?this{' ?value' if has_value else ''} WHERE {{ {body} }}"
            out.append(FindingQuery(top, rule, message, severity, shown, query, has_value))

        for n in g.objects(prop, SH.minCount):
            if int(n.value) > 0:
                add(f"{target} MINUS {{ {c.distinct_values('?this', path, int(n.value), prop)} }}", False)
        for n in g.objects(prop, SH.maxCount):
            add(f"{target} {c.distinct_values('?this', path, int(n.value) + 1, prop)}", False)
        for v in g.objects(prop, SH.hasValue):
            add(f"{target} MINUS {{ {c.triple('?this', path, term_sparql(v), prop)} }}", False)
        for kind, body in c.graph_property_parts(prop, "?this", path):
            add(f"{target} MINUS {{ {body} }}" if kind == "not-exists" else f"{target} {body}", False)
        per_value = c.value_violation(prop, "?value", skip_has_value=True)
        classes = g.objects(prop, SH["class"])  # value_violation lists them first
        values = c.triple('?this', path, '?value', prop)
        for cls in classes:  # an anti-join with the instances of the class, walked from the class
            m = c.var()
            add(f"{target} {values} MINUS {{ {m} (<{RDFS.subClassOf.value}>)* {term_sparql(cls)} . "
                f"?value <{RDF.type.value}> {m} }}", True)
        if per_value[len(classes):]:
            add(f"{target} {values} FILTER({' || '.join(per_value[len(classes):])})", True)
        # pySHACL reports a value node's own results under an sh:node result (sh:detail): the findings of
        # the nested shape, with the value nodes as focus nodes
        named = prop if isinstance(prop, ox.NamedNode) else top
        for inner in g.objects(prop, SH.node):
            f = c.var()
            focus = re.sub(r"\?this\b", f, target)
            nested = f"{{ SELECT DISTINCT ?this WHERE {{ {focus} {c.triple(f, path, '?this', prop)} }} }}"
            out += self.node_queries(inner, named, nested, prologue)
        return out


def compile_finding_queries(shapes: MemoryGraph) -> tuple[list[FindingQuery], list[Subject]]:
    """The finding queries of every top-level shape the compiler translates, and the shapes it does not."""
    comp = _FindingCompiler(shapes)
    queries: list[FindingQuery] = []
    left: list[Subject] = []
    for top in _top_level(shapes):
        try:
            queries += comp.shape(top)
        except ShapeCompileError:
            left.append(top)
    return queries, left


def run_compiled(store: Any, graphs: list[Any], queries: Iterable[FindingQuery]) -> list[Finding]:
    """Run finding queries on a pyoxigraph ``store`` whose default graph is the union of ``graphs``."""
    findings: list[Finding] = []
    for q in queries:
        for row in store.query(q.query, default_graph=graphs):
            focus = from_oxigraph(row["this"])
            value = from_oxigraph(row["value"]) if q.has_value else (focus if q.focus_value else None)
            findings.append(Finding(severity=q.severity, rule=q.rule, check="shacl", message=q.message,
                                    focus=focus, path=q.path, value=value))
    return findings


def _without_targets(shapes: MemoryGraph, keep: Iterable[Subject]) -> MemoryGraph:
    """A copy of ``shapes`` in which only the top-level shapes ``keep`` have targets."""
    kept = set(keep)
    return MemoryGraph(t for t in shapes if t.predicate not in _TARGET_PREDICATES or t.subject in kept)


def run_shapes(vs: Any, shapes: MemoryGraph, *, engine: str = "auto", notes: list[str] | None = None) -> list[Finding]:
    """The SHACL findings on a :class:`~netgraph.validation.graphstore.ValidationStore` with ``engine``."""
    from .shacl import run_shacl

    if engine == "pyshacl":
        return run_shacl(vs.rdflib_union(), shapes)
    queries, left = _compiled(shapes)
    findings = run_compiled(vs.store, vs.graph_names(), queries)
    if left:
        if notes is not None:
            notes.append(f"{len(left)} shape(s) run by pySHACL (no SPARQL translation): "
                         + ", ".join(compress(s.value) or s.value for s in left[:5]) + (", …" if len(left) > 5 else ""))
        findings += run_shacl(vs.rdflib_union(), _without_targets(shapes, left))
    return findings


_CACHE: dict[int, tuple[MemoryGraph, tuple[list[FindingQuery], list[Subject]]]] = {}


def _compiled(shapes: MemoryGraph) -> tuple[list[FindingQuery], list[Subject]]:
    """The compiled queries of a shapes graph (kept while the same graph object is used: it is cached)."""
    hit = _CACHE.get(id(shapes))
    if hit is None or hit[0] is not shapes:
        if len(_CACHE) > 8:
            _CACHE.clear()
        hit = _CACHE[id(shapes)] = (shapes, compile_finding_queries(shapes))
    return hit[1]

