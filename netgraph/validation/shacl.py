"""Run the SHACL shapes with pySHACL and turn its results into :class:`Finding` objects.

The data graph handed to pySHACL is the union of every part (ontology, instance
data, mappings, inferred hierarchy, or a user's files plus our ontology): the
shapes need the class hierarchy (``sh:class``, ``rdfs:subClassOf*``) and the
ontology's own classes are validated too. The union is built once and passed
``inplace`` so pySHACL does not copy it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pyoxigraph as ox

from ..errors import ValidatorError
from ..memgraph import MemoryGraph, Object, Subject
from ..optional import require
from ..prefixes import compress
from ..rdfterms import from_oxigraph, ox_triples
from ..terms import Literal as TextLiteral
from ..terms import Term
from ..vocab import RDF, SH
from .report import Finding

if TYPE_CHECKING:
    import rdflib

__all__ = ["run_shacl"]

_SEVERITY = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}
_PATH_OPS = {SH.inversePath: "^{}", SH.zeroOrMorePath: "{}*", SH.oneOrMorePath: "{}+", SH.zeroOrOnePath: "{}?"}


def _path_text(shapes: MemoryGraph, path: Object) -> str:
    """A SPARQL-like rendering of a SHACL property path."""
    if isinstance(path, ox.NamedNode):
        return compress(path.value) or f"<{path.value}>"
    if isinstance(path, ox.Literal):
        return "?"
    alt = shapes.value(path, SH.alternativePath)
    if alt is not None:
        return "|".join(_path_text(shapes, p) for p in shapes.list_items(alt))
    for op, fmt in _PATH_OPS.items():
        inner = shapes.value(path, op)
        if inner is not None:
            return fmt.format(_path_text(shapes, inner))
    if shapes.value(path, RDF.first) is not None:
        return "/".join(_path_text(shapes, p) for p in shapes.list_items(path))
    return "?"


def _first(nodes: list[Subject]) -> Subject | None:
    return nodes[0] if nodes else None


def _named_shape(shapes: MemoryGraph, shape: Object | None) -> ox.NamedNode | None:
    """The named shape a (possibly anonymous) shape belongs to."""
    seen: set[Object] = set()
    while isinstance(shape, ox.BlankNode) and shape not in seen:
        seen.add(shape)
        parent = _first(shapes.subjects(SH.property, shape))
        if parent is None:
            # a member of an sh:or / sh:and / sh:xone list, or a nested sh:not / sh:node
            node: Subject = shape
            while True:
                holder = _first(shapes.subjects(RDF.first, node) or shapes.subjects(RDF.rest, node))
                if holder is None:
                    break
                node = holder
            parent = next((s for p in (SH["or"], SH["and"], SH.xone) for s in shapes.subjects(p, node)), None)
            if parent is None:
                parent = next((s for p in (SH["not"], SH.node, SH.qualifiedValueShape)
                               for s in shapes.subjects(p, shape)), None)
        shape = parent
    return shape if isinstance(shape, ox.NamedNode) else None


def _nested_path(shapes: MemoryGraph, shape: Subject) -> Object | None:
    """For a node shape whose rule is an sh:or over property shapes, the path it checks."""
    lst = shapes.value(shape, SH["or"])
    if lst is None:
        return None
    paths = {shapes.value(m, SH.path) for m in shapes.list_items(lst) if not isinstance(m, ox.Literal)} - {None}
    return next(iter(paths)) if len(paths) == 1 else None


def run_shacl(data: rdflib.Graph, shapes: MemoryGraph) -> list[Finding]:
    """Validate ``data`` (not copied: pySHACL runs on it in place, without inference).

    The shapes are handed to pySHACL as an rdflib copy (blank-node labels kept) and pySHACL's results graph
    is read back, once, into a :class:`MemoryGraph`, then into findings of netgraph terms (the rdflib boundary).
    """
    pyshacl_validate = require("pyshacl", "SHACL validation").validate

    try:
        _conforms, report, _text = pyshacl_validate(
            data, shacl_graph=shapes.to_rdflib(), inference="none", advanced=False, inplace=True,
            allow_warnings=True,
        )
    except Exception as exc:  # pySHACL reports malformed shapes with several exception types
        raise ValidatorError(f"SHACL validation failed to run: {exc}") from exc
    results = MemoryGraph(ox_triples(report))
    findings = []
    for result in results.subjects(RDF.type, SH.ValidationResult):
        source = results.value(result, SH.sourceShape)
        named = _named_shape(shapes, source)
        rule = (compress(named.value) or named.value) if named is not None else "ngshape:anonymous"
        messages = results.objects(result, SH.resultMessage)
        message = messages[0] if messages else None
        if named is not None and shapes.value(named, SH.message) is not None:
            message = shapes.value(named, SH.message)
        path = results.value(result, SH.resultPath)
        if path is None and named is not None:
            path = _nested_path(shapes, named)
        shown: Term | None = from_oxigraph(path)
        if path is not None and not isinstance(path, ox.NamedNode):
            copied = next(results.triples((path, None, None)), None) if isinstance(path, ox.BlankNode) else None
            shown = TextLiteral(_path_text(results if copied is not None else shapes, path))
        severity = results.value(result, SH.resultSeverity)
        findings.append(Finding(
            severity=_SEVERITY.get(severity, "Violation") if isinstance(severity, ox.NamedNode) else "Violation",
            rule=rule,
            check="shacl",
            message=message.value if message is not None else "SHACL constraint not met",
            focus=from_oxigraph(results.value(result, SH.focusNode)),
            path=shown,
            value=from_oxigraph(results.value(result, SH.value)),
        ))
    return findings
