"""SHACL shapes -> SPARQL SELECT queries that return the focus nodes violating each shape.

In the manner of SHACL-SPARQL: the focus nodes come from the shape's targets
(bound to ``?this``), the value nodes from the property path, and every SHACL
Core constraint becomes a boolean expression that is true when the constraint
is violated. The semantics follow the SHACL recommendation as pySHACL applies
it: a comparison with an incomparable value is a violation (``COALESCE(…,
false)``), ``sh:in`` and ``sh:hasValue`` compare RDF terms (``sameTerm``),
``sh:minCount``/``sh:maxCount`` count distinct value nodes, and a literal that
is ill-formed for its datatype does not have that datatype.

Supported: targets ``sh:targetClass``, ``sh:targetNode``, ``sh:targetSubjectsOf``,
``sh:targetObjectsOf`` and SHACL-AF ``sh:SPARQLTarget`` (``sh:select`` with
``$this``, optional ``sh:prefixes``); paths of IRIs, sequences,
``sh:inversePath``, ``sh:alternativePath``, ``sh:zeroOrMorePath``,
``sh:oneOrMorePath``, ``sh:zeroOrOnePath``; constraints ``sh:class``,
``sh:datatype``, ``sh:nodeKind``, ``sh:minInclusive``, ``sh:maxInclusive``,
``sh:minExclusive``, ``sh:maxExclusive``, ``sh:minLength``, ``sh:maxLength``,
``sh:pattern`` (with ``sh:flags``), ``sh:in``, ``sh:hasValue``, ``sh:minCount``,
``sh:maxCount``, ``sh:not``, ``sh:and``, ``sh:or``, ``sh:xone``, ``sh:node`` and
``sh:property``; for the knowledge graph's own shapes also ``sh:languageIn``,
``sh:uniqueLang`` and ``sh:qualifiedValueShape`` with ``sh:qualifiedMinCount`` /
``sh:qualifiedMaxCount`` (one shape, not ``sh:qualifiedValueShapesDisjoint``). Anything else in the ``sh:`` namespace raises
:class:`~netgraph.errors.ShapeCompileError`: a shape is compiled whole or not
at all, never with a constraint silently left out.

The queries are written for the store's speed without changing their answers:
one ``UNION`` branch per constraint (a violation pattern hash-joined with the
targets, or the targets minus the nodes that have a required value), closure
paths towards a constant walked from the constant, and in a SPARQL target a
``FILTER NOT EXISTS`` on ``?this`` alone made a ``MINUS``, and filters on other
variables evaluated once per distinct value (see :func:`_filters_first`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import count
import pyoxigraph as ox

from ..errors import ShapeCompileError
from ..memgraph import MemoryGraph, Object, Subject, sort_key
from ..prefixes import compress
from ..vocab import RDF, RDFS, SH, XSD

__all__ = ["CompiledShape", "compile_shapes", "compile_shape", "term_sparql"]

#: predicates of a shape that do not constrain (SHACL's non-validating properties and our annotations)
_NON_VALIDATING = {SH.message, SH.severity, SH.name, SH.description, SH.order, SH.group, SH.defaultValue,
                   SH.deactivated, SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf,
                   SH.target, SH.path, SH.flags}
_TARGET_PREDICATES = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target)
_COMPARISONS = {SH.minInclusive: ">=", SH.maxInclusive: "<=", SH.minExclusive: ">", SH.maxExclusive: "<"}
_VALUE_PARAMS = {SH["class"], SH.datatype, SH.languageIn, SH.nodeKind, SH.minLength, SH.maxLength, SH.pattern, SH["in"],
                 SH.hasValue, SH["not"], SH["and"], SH["or"], SH.xone, SH.node, SH.property, *_COMPARISONS}
_COUNT_PARAMS = {SH.minCount, SH.maxCount}
#: property-shape parameters added for the knowledge graph's own shapes (validate): sh:uniqueLang and the
#: qualified value shape (without sh:qualifiedValueShapesDisjoint)
_GRAPH_PROPERTY_PARAMS = {SH.uniqueLang, SH.qualifiedValueShape, SH.qualifiedMinCount, SH.qualifiedMaxCount}
#: datatypes whose lexical space a SPARQL cast checks (an ill-formed literal of these does not conform)
_CASTABLE = {XSD.decimal, XSD.integer, XSD.double, XSD.float, XSD.boolean, XSD.date, XSD.dateTime, XSD.time}
_NODE_KINDS: dict[ox.NamedNode, str] = {
    SH.IRI: "isIRI({x})", SH.BlankNode: "isBlank({x})", SH.Literal: "isLiteral({x})",
    SH.BlankNodeOrIRI: "(isBlank({x}) || isIRI({x}))", SH.BlankNodeOrLiteral: "(isBlank({x}) || isLiteral({x}))",
    SH.IRIOrLiteral: "(isIRI({x}) || isLiteral({x}))"}
_THIS = re.compile(r"\$this\b")
_TRUE = ox.Literal(True)


@dataclass(frozen=True)
class CompiledShape:
    """One top-level shape and the query whose answers (``?this``) are the focus nodes violating it."""

    shape: Subject  # the shape node (an IRI or a blank node) in the shapes graph
    where: str  # the group pattern body binding ?this to every violating focus node (repeats allowed)
    prologue: str = ""  # PREFIX declarations of SPARQL-based targets

    @property
    def query(self) -> str:
        return f"{self.prologue}SELECT DISTINCT ?this WHERE {{ {self.where} }}"


def term_sparql(term: Object) -> str:
    """An RDF term as SPARQL text (IRIs and literals from the shapes graph; never user input)."""
    if isinstance(term, ox.NamedNode):
        return f"<{term.value}>"
    if isinstance(term, ox.Literal):
        body = term.value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
        if term.language:
            return f'"{body}"@{term.language}'
        if term.datatype != XSD.string:
            return f'"{body}"^^<{term.datatype.value}>'
        return f'"{body}"'
    raise ShapeCompileError(f"cannot write {term!r} as a SPARQL term (a blank node where an IRI or literal is needed)")


class _Compiler:
    def __init__(self, g: MemoryGraph):
        self.g = g
        self._vars = count()

    def var(self) -> str:
        return f"?_v{next(self._vars)}"

    def fail(self, shape: Object, what: str) -> ShapeCompileError:
        return ShapeCompileError(f"shape {show(shape)}: {what}; the SPARQL compiler has no translation for it "
                                 "(run it with --engine pyshacl, or extend netgraph/records/compile.py)")

    def values(self, s: Object, p: ox.NamedNode) -> list[Object]:
        """The values of ``s``'s ``p``, sorted (none for a literal)."""
        return self.g.objects(s, p) if isinstance(s, (ox.NamedNode, ox.BlankNode)) else []

    def one(self, s: Object, p: ox.NamedNode) -> Object | None:
        """The one value of ``s``'s ``p`` (or None); several are a shape the compiler does not translate."""
        found = self.values(s, p)
        if len(found) > 1:
            raise self.fail(s, f"several values of {show(p)}")
        return found[0] if found else None

    def has(self, s: Object, p: ox.NamedNode) -> bool:
        """Whether ``s`` has a value of ``p``."""
        return bool(self.values(s, p))

    def items(self, head: Object) -> list[Object]:
        """The members of the RDF list at ``head``."""
        try:
            return self.g.list_items(head)
        except ValueError:
            raise self.fail(head, "a malformed RDF list") from None

    def off(self, shape: Subject) -> bool:
        """Whether ``shape`` is deactivated."""
        return (shape, SH.deactivated, _TRUE) in self.g

    # -- paths -------------------------------------------------------------------------------

    def path(self, p: Object, shape: Subject) -> str:
        if isinstance(p, ox.NamedNode):
            return f"<{p.value}>"
        if self.has(p, RDF.first):
            return "(" + "/".join(self.path(s, shape) for s in self.items(p)) + ")"
        for pred, fmt in ((SH.inversePath, "^({})"), (SH.zeroOrMorePath, "({})*"), (SH.oneOrMorePath, "({})+"),
                          (SH.zeroOrOnePath, "({})?")):
            inner = self.one(p, pred)
            if inner is not None:
                return fmt.format(self.path(inner, shape))
        alt = self.one(p, SH.alternativePath)
        if alt is not None:
            return "(" + "|".join(self.path(s, shape) for s in self.items(alt)) + ")"
        raise self.fail(shape, f"an unsupported property path {p}")

    # -- constraints -------------------------------------------------------------------------

    def check_params(self, shape: Subject, *, property_shape: bool) -> None:
        for pred in sorted({t.predicate for t in self.g.triples((shape, None, None))}, key=sort_key):
            if not pred.value.startswith(SH.base) or pred in _NON_VALIDATING or pred in _VALUE_PARAMS:
                continue
            if property_shape and (pred in _COUNT_PARAMS or pred in _GRAPH_PROPERTY_PARAMS):
                continue
            raise self.fail(shape, f"the parameter {show(pred)}")
        if self.has(shape, SH.flags) and not self.has(shape, SH.pattern):
            raise self.fail(shape, "sh:flags without sh:pattern")

    def value_violation(self, shape: Subject, x: str, *, skip_has_value: bool = False, skip_or: bool = False,
                        properties: bool = True) -> list[str]:
        """Expressions, each true when the value node ``x`` violates one constraint of ``shape`` (node-level)."""
        g, out = self.g, list[str]()
        for cls in g.objects(shape, SH["class"]):
            out.append(f"!EXISTS {{ {x} <{RDF.type.value}>/(<{RDFS.subClassOf.value}>)* {term_sparql(cls)} }}")
        for dt in g.objects(shape, SH.datatype):
            if dt == XSD.string:
                ok = f"(isLiteral({x}) && sameTerm(DATATYPE({x}), <{XSD.string.value}>) && LANG({x}) = \"\")"
            else:
                ok = f"(isLiteral({x}) && sameTerm(DATATYPE({x}), {term_sparql(dt)}))"
                if dt in _CASTABLE:
                    ok = f"({ok} && STRLEN(STR({term_sparql(dt)}(STR({x})))) >= 0)"
            out.append(f"!COALESCE({ok}, false)")
        for kind in g.objects(shape, SH.nodeKind):
            if not isinstance(kind, ox.NamedNode) or kind not in _NODE_KINDS:
                raise self.fail(shape, f"sh:nodeKind {kind}")
            out.append("!" + _NODE_KINDS[kind].format(x=x))
        for pred, op in _COMPARISONS.items():
            for bound in g.objects(shape, pred):
                out.append(f"!COALESCE({x} {op} {term_sparql(bound)}, false)")
        for n in g.objects(shape, SH.minLength):
            out.append(f"!COALESCE(!isBlank({x}) && STRLEN(STR({x})) >= {int(n.value)}, false)")
        for n in g.objects(shape, SH.maxLength):
            out.append(f"!COALESCE(!isBlank({x}) && STRLEN(STR({x})) <= {int(n.value)}, false)")
        for pat in g.objects(shape, SH.pattern):
            flags = self.one(shape, SH.flags)
            args = term_sparql(ox.Literal(pat.value)) + (f", {term_sparql(ox.Literal(flags.value))}" if flags else "")
            out.append(f"!COALESCE(!isBlank({x}) && REGEX(STR({x}), {args}), false)")
        for head in g.objects(shape, SH.languageIn):
            ranges = [f"langMatches(LANG({x}), {term_sparql(ox.Literal(r.value))})" for r in self.items(head)]
            out.append(f"!COALESCE(isLiteral({x}) && ({' || '.join(ranges) or 'false'}), false)")
        for head in g.objects(shape, SH["in"]):
            members = [f"sameTerm({x}, {term_sparql(m)})" for m in self.items(head)]
            out.append("!(" + " || ".join(members) + ")" if members else "true")
        if not skip_has_value:
            for v in g.objects(shape, SH.hasValue):
                out.append(f"!sameTerm({x}, {term_sparql(v)})")
        for inner in g.objects(shape, SH["not"]):
            out.append(f"!({self.violation(inner, x)})")
        for head in g.objects(shape, SH["and"]):
            out.append("(" + " || ".join(self.violation(s, x) for s in self.items(head)) + ")")
        for head in () if skip_or else g.objects(shape, SH["or"]):
            alternatives = self.items(head)
            out.append("(" + " && ".join(self.violation(s, x) for s in alternatives) + ")" if alternatives else "true")
        for head in g.objects(shape, SH.xone):
            conform = " + ".join(f"IF({self.violation(s, x)}, 0, 1)" for s in self.items(head)) or "0"
            out.append(f"(({conform}) != 1)")
        for inner in g.objects(shape, SH.node):
            out.append(self.violation(inner, x))
        for prop in g.objects(shape, SH.property) if properties else ():
            out.extend(self.property_violation(prop, x))
        return out

    def violation(self, shape: Object, x: str) -> str:
        """One expression, true when the node ``x`` violates ``shape`` (a node or a property shape)."""
        if not isinstance(shape, (ox.NamedNode, ox.BlankNode)):
            raise self.fail(shape, "a literal where a shape is needed")
        if self.off(shape):
            return "false"
        parts = self.property_violation(shape, x) if self.has(shape, SH.path) else self.node_violation(shape, x)
        return "(" + " || ".join(parts) + ")" if parts else "false"

    def node_violation(self, shape: Subject, x: str) -> list[str]:
        self.check_params(shape, property_shape=False)
        return self.value_violation(shape, x)

    def property_violation(self, prop: Object, x: str) -> list[str]:
        """Expressions, each true when focus ``x`` violates one constraint of property shape ``prop``."""
        return [_as_expression(kind, body) for kind, body in self.property_parts(prop, x)]

    def property_parts(self, prop: Object, x: str) -> list[tuple[str, str]]:
        """The violations of property shape ``prop`` at focus ``x``, each as ("exists", pattern): violated when
        the pattern matches, ("not-exists", pattern): violated when it does not, or ("expr", expression)."""
        if not isinstance(prop, (ox.NamedNode, ox.BlankNode)):
            raise self.fail(prop, "a literal where a property shape is needed")
        if self.off(prop):
            return []
        self.check_params(prop, property_shape=True)
        path = self.one(prop, SH.path)
        if path is None:
            raise self.fail(prop, "a property shape without sh:path")
        out = []
        for n in self.g.objects(prop, SH.minCount):
            if int(n.value) > 0:
                out.append(("not-exists", self.distinct_values(x, path, int(n.value), prop)))
        for n in self.g.objects(prop, SH.maxCount):
            out.append(("exists", self.distinct_values(x, path, int(n.value) + 1, prop)))
        for hv in self.g.objects(prop, SH.hasValue):
            out.append(("not-exists", self.triple(x, path, term_sparql(hv), prop)))
        out.extend(self.graph_property_parts(prop, x, path))
        v = self.var()
        per_value = self.value_violation(prop, v, skip_has_value=True)
        if per_value:
            out.append(("exists", f"{self.triple(x, path, v, prop)} . FILTER({' || '.join(per_value)})"))
        return out

    def graph_property_parts(self, prop: Subject, x: str, path: Object) -> list[tuple[str, str]]:
        """The focus-level violations of ``sh:uniqueLang`` and of a qualified value shape (as property_parts)."""
        out: list[tuple[str, str]] = []
        if (prop, SH.uniqueLang, _TRUE) in self.g:
            a, b = self.var(), self.var()
            out.append(("exists", f"{self.triple(x, path, a, prop)} . {self.triple(x, path, b, prop)} FILTER("
                                  f"isLiteral({a}) && isLiteral({b}) && LANG({a}) != \"\" && !sameTerm({a}, {b}) && "
                                  f"LCASE(LANG({a})) = LCASE(LANG({b})))"))
        qualified = self.g.objects(prop, SH.qualifiedValueShape)
        if not qualified:
            if self.has(prop, SH.qualifiedMinCount) or self.has(prop, SH.qualifiedMaxCount):
                raise self.fail(prop, "sh:qualifiedMinCount or sh:qualifiedMaxCount without sh:qualifiedValueShape")
            return out
        if len(qualified) > 1 or (prop, SH.qualifiedValueShapesDisjoint, _TRUE) in self.g:
            raise self.fail(prop, "several or disjoint qualified value shapes")
        for n in self.g.objects(prop, SH.qualifiedMinCount):
            if int(n.value) > 0:
                out.append(("not-exists", self.conforming_values(x, path, int(n.value), qualified[0], prop)))
        for n in self.g.objects(prop, SH.qualifiedMaxCount):
            out.append(("exists", self.conforming_values(x, path, int(n.value) + 1, qualified[0], prop)))
        return out

    def conforming_values(self, x: str, path: Object, n: int, shape: Object, prop: Subject) -> str:
        """A pattern that matches when ``x`` has at least ``n`` distinct values on ``path`` conforming to ``shape``."""
        v = self.var()
        body = f"{self.triple(x, path, v, prop)} FILTER(!{self.violation(shape, v)})"
        if n == 1:
            return body
        return f"{{ SELECT {x} WHERE {{ {body} }} GROUP BY {x} HAVING (COUNT(DISTINCT {v}) >= {n}) }}"

    def triple(self, x: str, path: Object, obj: str, shape: Subject) -> str:
        """``x path obj`` as a pattern; a sequence ending in a zero-or-more step towards a constant is written
        from the constant end (``?m step* <C> . x rest ?m``), which Oxigraph evaluates much faster."""
        steps = self.items(path) if isinstance(path, ox.BlankNode) and self.has(path, RDF.first) else []
        if len(steps) > 1 and not obj.startswith("?") and self.has(steps[-1], SH.zeroOrMorePath):
            m = self.var()
            rest = "/".join(self.path(st, shape) for st in steps[:-1])
            return f"{m} {self.path(steps[-1], shape)} {obj} . {x} {rest} {m}"
        return f"{x} {self.path(path, shape)} {obj}"

    def distinct_values(self, x: str, path: Object, n: int, shape: Subject) -> str:
        """A pattern that matches when ``x`` has at least ``n`` distinct values on ``path``."""
        v = self.var()
        if n == 1:
            return self.triple(x, path, v, shape)
        return f"{{ SELECT {x} WHERE {{ {self.triple(x, path, v, shape)} }} GROUP BY {x} HAVING (COUNT(DISTINCT {v}) >= {n}) }}"

    # -- targets -----------------------------------------------------------------------------

    def targets(self, shape: Subject) -> tuple[list[str], str]:
        g, pats, prologue = self.g, [], []
        for cls in g.objects(shape, SH.targetClass):
            c = self.var()
            pats.append(f"{c} (<{RDFS.subClassOf.value}>)* {term_sparql(cls)} . ?this <{RDF.type.value}> {c} .")
        for node in g.objects(shape, SH.targetNode):
            pats.append(f"VALUES ?this {{ {term_sparql(node)} }}")
        for p in g.objects(shape, SH.targetSubjectsOf):
            pats.append(f"?this {term_sparql(p)} {self.var()} .")
        for p in g.objects(shape, SH.targetObjectsOf):
            pats.append(f"{self.var()} {term_sparql(p)} ?this .")
        for t in g.objects(shape, SH.target):
            select = self.one(t, SH.select)
            if (t, RDF.type, SH.SPARQLTarget) not in g or select is None:
                raise self.fail(shape, "a sh:target that is not a SHACL-AF sh:SPARQLTarget with sh:select")
            for pfx in self.values(t, SH.prefixes):
                for decl in self.values(pfx, SH.declare):
                    prefix, ns = self.one(decl, SH.prefix), self.one(decl, SH.namespace)
                    if prefix is None or ns is None:
                        raise self.fail(shape, "a sh:declare without sh:prefix and sh:namespace")
                    prologue.append(f"PREFIX {prefix.value}: <{ns.value}>\n")
            pats.append("{ " + _star_tail_first(_filters_first(_THIS.sub("?this", select.value))) + " }")
        return pats, "".join(sorted(set(prologue)))

    def shape(self, shape: Subject) -> CompiledShape | None:
        if self.off(shape):
            return None
        targets, prologue = self.targets(shape)
        if self.has(shape, SH.path):
            parts = self.property_parts(shape, "?this")
        else:
            self.check_params(shape, property_shape=False)
            parts = [("expr", e) for e in self.value_violation(shape, "?this", properties=False)]
            for prop in self.g.objects(shape, SH.property):
                parts += self.property_parts(prop, "?this")
        target = "{ SELECT DISTINCT ?this WHERE { " + " UNION ".join("{ " + t + " }" for t in targets) + " } }"
        # one branch per constraint, each joined with the focus nodes on its own: Oxigraph evaluates a
        # union of joins (hash joins, anti-joins for MINUS) far faster than per-node EXISTS filters (an
        # EXISTS with a property path costs about 0.3 ms a node; the hash join of 100,000 nodes 0.1 s)
        branches = []
        # SPARQL-based targets (sub-selects) pick few focus nodes; class targets, every record
        selective = bool(targets) and all(t.startswith("{") for t in targets)
        exists = [body for kind, body in parts if kind == "exists"]
        if selective and len(exists) > 1:  # the target once, joined with the union of the matched violations
            branches.append(f"{target} {{ " + " UNION ".join("{ " + b + " }" for b in exists) + " }")
            parts = [(kind, body) for kind, body in parts if kind != "exists"]
        classes = self.g.objects(shape, SH.targetClass)
        # a single class target: a violating node's membership is tested on it (its types, then the class
        # hierarchy from each type to the class) instead of joining the violations with every node of the
        # class (the same nodes; about four times faster on 100,000 records, of which few violate)
        member = (f"?this <{RDF.type.value}> {(c := self.var())} . {c} (<{RDFS.subClassOf.value}>)* "
                  f"{term_sparql(classes[0])} ." if len(targets) == 1 and len(classes) == 1 else target)
        for kind, body in parts:
            if kind == "exists" and selective:  # few focus nodes: match the violation at each of them
                branches.append(f"{target} {body}")
            elif kind == "exists":  # every node of a class: match the violations, keep those in the class
                branches.append(f"{{ SELECT DISTINCT ?this WHERE {{ {body} }} }} {member}")
            elif kind == "not-exists":
                branches.append(f"{target} MINUS {{ {body} }}")
            else:
                branches.append(f"{target} FILTER({body})")
        where = " UNION ".join("{ " + b + " }" for b in branches) if branches else "FILTER(false)"
        return CompiledShape(shape, where, prologue)


def show(term: Object) -> str:
    """A term as an error message names it (an IRI by its CURIE where the prefix map has one)."""
    return (compress(term.value) or f"<{term.value}>") if isinstance(term, ox.NamedNode) else str(term)


def _as_expression(kind: str, body: str) -> str:
    return {"exists": f"EXISTS {{ {body} }}", "not-exists": f"NOT EXISTS {{ {body} }}"}.get(kind, body)


_STAR_TAIL = re.compile(r"(?P<pre>(?:^|[{.]|WHERE)\s*)(?P<s>\?\w+) (?P<rest><[^<>\s]+>(?:/<[^<>\s]+>)*)/"
                        r"(?P<step>\(?<[^<>\s]+>\)?\*?) (?P<o><[^<>\s]+>)(?=\s*[.;}])")


_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'|<[^<>\s]*>|[?$]\w+|\w+|\d+\.\d+|\S')
_SIMPLE = re.compile(r"\s*SELECT\s+\?this\s+WHERE\s*\{(?P<body>.*)\}\s*", re.S | re.I)


def _elements(body: str) -> list[tuple[str, str, set[str]]] | None:
    """The top-level elements of a group of triples and filters: (kind "triples" or "filter", its text as
    written, its variables); None for anything else (OPTIONAL, UNION, nested groups, BIND, VALUES …)."""
    toks = [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(body)]
    out: list[tuple[str, str, set[str]]] = []

    def element(kind: str, i: int, j: int) -> tuple[str, str, set[str]]:
        return kind, body[toks[i][1]:toks[j - 1][2]], {"?" + t[1:] for t, _, _ in toks[i:j] if t[:1] in "?$"}

    i = 0
    while i < len(toks):
        t = toks[i][0]
        if t == ".":
            i += 1
            continue
        if t.upper() == "FILTER":
            j, depth = i + 1, 0
            while j < len(toks):
                if toks[j][0] in "({":
                    depth += 1
                elif toks[j][0] in ")}":
                    depth -= 1
                    if depth == 0:
                        break
                j += 1
            if depth != 0 or j >= len(toks):
                return None
            out.append(element("filter", i, j + 1))
            i = j + 1
            continue
        j = i
        while j < len(toks) and toks[j][0] != "." and toks[j][0].upper() != "FILTER":
            if toks[j][0] in "{}()" or toks[j][0].upper() in ("OPTIONAL", "UNION", "MINUS", "BIND", "VALUES",
                                                              "SELECT", "GRAPH", "SERVICE"):
                return None
            j += 1
        out.append(element("triples", i, j))
        i = j
    return out


_TRIPLE_VARS = re.compile(r"[?$]\w+")


def _single_triples(block: str) -> list[str] | None:
    """The triple patterns of a triples block, each on its own (``;`` and ``,`` lists expanded); None when
    the block has anything but single-token subjects and objects (typed or tagged literals, blank nodes)."""
    toks = [m.group() for m in _TOKEN.finditer(block)]
    if any(t in ("^", "@", "[", "]", "(", ")", ":") for t in toks):
        return None
    out: list[str] = []
    statement: list[str] = []
    for t in toks + ["."]:
        if t != ".":
            statement.append(t)
            continue
        if statement:
            subject, predicate, obj = statement[0], list[str](), list[str]()
            for tok in statement[1:] + [";"]:
                if tok in (";", ","):
                    if obj:
                        if not predicate:
                            predicate, obj = obj[:-1], obj[-1:]
                        if not predicate:
                            return None
                        out.append(f"{subject} {''.join(predicate)} {obj[-1]}")
                    if tok == ";":
                        predicate = []
                    obj = []
                else:
                    obj.append(tok)
        statement = []
    return out


def _filters_first(select: str) -> str:
    """Rewrite a target query's filters so the store evaluates them on few solutions, keeping its answers.

    In ``SELECT ?this WHERE { P FILTER F … }`` (P triple patterns only, so every variable of P is bound):
    a ``FILTER NOT EXISTS { Q }`` sharing only ``?this`` with P becomes ``MINUS { Q }`` (the same answers
    then; an anti-join instead of one test per node), and the filters that read only variables of P other
    than ``?this`` are applied to the distinct values of those variables first, then joined with P: the
    same answers, with each test run once per distinct value (a few hundred codes) instead of once per
    record. Any other query is returned unchanged."""
    m = _SIMPLE.fullmatch(select)
    elements = _elements(m["body"]) if m else None
    if not elements:
        return select
    triples = [(text, vs) for kind, text, vs in elements if kind == "triples"]
    filters = [(text, vs) for kind, text, vs in elements if kind == "filter"]
    bound = set().union(*(vs for _, vs in triples)) if triples else set()
    if "?this" not in bound or not filters:
        return select
    minus, keyed, other = [], [], []
    for text, vs in filters:
        shared = vs & bound
        not_exists = re.match(r"FILTER\s+NOT\s+EXISTS\s*(\{.*\})\Z", text, re.S | re.I)
        if not_exists and shared == {"?this"}:
            minus.append(not_exists.group(1))
        elif shared and "?this" not in shared:
            keyed.append((text, shared))
        else:
            other.append(text)
    p = " . ".join(text for text, _ in triples)
    head = ""
    if keyed:
        keys = sorted(set().union(*(shared for _, shared in keyed)))
        single = _single_triples(" . ".join(text for text, _ in triples)) or []
        # the values of each key from one triple pattern that binds it (a superset of its values in P:
        # the join with P below keeps only the combinations P has), combined, then filtered
        sources = [next((t for t in single if k in _TRIPLE_VARS.findall(t)), None) for k in keys]
        if None in sources:
            sources = [p]
            values = [f"{{ SELECT DISTINCT {' '.join(keys)} WHERE {{ {p} }} }}"]
        else:
            values = [f"{{ SELECT DISTINCT {k} WHERE {{ {t} }} }}" for k, t in zip(keys, sources, strict=True)]
        head = f"{{ {' '.join(values)} {' '.join(t for t, _ in keyed)} }} "
    tail = " ".join(other) + "".join(f" MINUS {q}" for q in minus)
    return f"SELECT ?this WHERE {{ {head}{p} . {tail} }}"


def _star_tail_first(select: str) -> str:
    """Rewrite ``?s <a>/<b>* <C>`` (or ``/<b> <C>``) in a target query as ``?m <b>* <C> . ?s <a> ?m``: the
    same solutions, but Oxigraph then walks from the constant once instead of once per subject."""
    counter = count()

    def one(m: re.Match) -> str:
        v = f"?_t{next(counter)}"
        return f"{m['pre']}{v} {m['step']} {m['o']} . {m['s']} {m['rest']} {v}"

    return _STAR_TAIL.sub(one, select)


def _top_level(g: MemoryGraph) -> list[Subject]:
    """Every shape with a target, sorted."""
    return sorted({s for pred in _TARGET_PREDICATES for s in g.subjects(pred, None)}, key=sort_key)


def compile_shape(shapes: MemoryGraph, shape: Subject) -> CompiledShape | None:
    """The query of one shape (None when it is deactivated); raises ShapeCompileError when it has no translation."""
    return _Compiler(shapes).shape(shape)


def compile_shapes(shapes: MemoryGraph) -> list[CompiledShape]:
    """The queries of every shape with a target, in a stable order (by the shape's IRI or node id)."""
    comp = _Compiler(shapes)
    return [c for s in _top_level(shapes) if (c := comp.shape(s)) is not None]
