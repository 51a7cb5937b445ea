"""Run the SHACL shapes with pySHACL and turn its results into :class:`Finding` objects.

The data graph handed to pySHACL is the union of every part (ontology, instance
data, mappings, inferred hierarchy, or a user's files plus our ontology): the
shapes need the class hierarchy (``sh:class``, ``rdfs:subClassOf*``) and the
ontology's own classes are validated too. The union is built once and passed
``inplace`` so pySHACL does not copy it.
"""

from __future__ import annotations

from rdflib import BNode, Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from ..errors import ValidatorError
from ..optional import require
from ..prefixes import compress
from ..rdfterms import term_from_rdflib
from ..terms import Literal as TextLiteral
from ..terms import Term
from .report import Finding

__all__ = ["run_shacl"]

_SEVERITY = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}
_PATH_OPS = {SH.inversePath: "^{}", SH.zeroOrMorePath: "{}*", SH.oneOrMorePath: "{}+", SH.zeroOrOnePath: "{}?"}


def _path_text(shapes: Graph, path: Node) -> str:
    """A SPARQL-like rendering of a SHACL property path."""
    if isinstance(path, URIRef):
        return compress(str(path)) or f"<{path}>"
    alt = shapes.value(path, SH.alternativePath)
    if alt is not None:
        return "|".join(_path_text(shapes, p) for p in Collection(shapes, alt))
    for op, fmt in _PATH_OPS.items():
        inner = shapes.value(path, op)
        if inner is not None:
            return fmt.format(_path_text(shapes, inner))
    if shapes.value(path, RDF.first) is not None:
        return "/".join(_path_text(shapes, p) for p in Collection(shapes, path))
    return "?"


def _named_shape(shapes: Graph, shape: Node | None) -> URIRef | None:
    """The named shape a (possibly anonymous) shape belongs to."""
    seen: set[Node] = set()
    while isinstance(shape, BNode) and shape not in seen:
        seen.add(shape)
        parent = next(shapes.subjects(SH.property, shape), None)
        if parent is None:
            # a member of an sh:or / sh:and / sh:xone list, or a nested sh:not / sh:node
            node: Node = shape
            while True:
                holder = next(shapes.subjects(RDF.first, node), None) or next(shapes.subjects(RDF.rest, node), None)
                if holder is None:
                    break
                node = holder
            parent = next((s for p in (SH["or"], SH["and"], SH.xone) for s in shapes.subjects(p, node)), None)
            if parent is None:
                parent = next((s for p in (SH["not"], SH.node, SH.qualifiedValueShape)
                               for s in shapes.subjects(p, shape)), None)
        shape = parent
    return shape if isinstance(shape, URIRef) else None


def _nested_path(shapes: Graph, shape: Node) -> Node | None:
    """For a node shape whose rule is an sh:or over property shapes, the path it checks."""
    lst = shapes.value(shape, SH["or"])
    if lst is None:
        return None
    paths = {shapes.value(m, SH.path) for m in Collection(shapes, lst)} - {None}
    return next(iter(paths)) if len(paths) == 1 else None


def run_shacl(data: Graph, shapes: Graph) -> list[Finding]:
    """Validate ``data`` (not copied: pySHACL runs on it in place, without inference).

    pySHACL's results graph is read here, once, into findings of netgraph terms (the rdflib boundary).
    """
    pyshacl_validate = require("pyshacl", "SHACL validation").validate

    try:
        _conforms, results, _text = pyshacl_validate(
            data, shacl_graph=shapes, inference="none", advanced=False, inplace=True, allow_warnings=True,
        )
    except Exception as exc:  # pySHACL reports malformed shapes with several exception types
        raise ValidatorError(f"SHACL validation failed to run: {exc}") from exc
    findings = []
    for result in results.subjects(RDF.type, SH.ValidationResult):
        source = results.value(result, SH.sourceShape)
        named = _named_shape(shapes, source) if source is not None else None
        rule = (compress(str(named)) or str(named)) if named is not None else "ngshape:anonymous"
        message = results.value(result, SH.resultMessage)
        if named is not None and shapes.value(named, SH.message) is not None:
            message = shapes.value(named, SH.message)
        path = results.value(result, SH.resultPath)
        if path is None and named is not None:
            path = _nested_path(shapes, named)
        shown: Term | None = term_from_rdflib(path)
        if path is not None and not isinstance(path, URIRef):
            shown = TextLiteral(_path_text(results if (path, None, None) in results else shapes, path))
        severity = results.value(result, SH.resultSeverity)
        findings.append(Finding(
            severity=_SEVERITY.get(severity, "Violation"),
            rule=rule,
            check="shacl",
            message=str(message) if message is not None else "SHACL constraint not met",
            focus=term_from_rdflib(results.value(result, SH.focusNode)),
            path=shown,
            value=term_from_rdflib(results.value(result, SH.value)),
        ))
    return findings
