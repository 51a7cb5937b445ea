"""The SHACL shapes graph: ``ontology/shapes.ttl`` plus the shapes generated from the model.

The generated part is written from the two single sources of truth, never retyped:

- the core ontology (:class:`netgraph.model.CoreModel`): one subject and one
  object shape per association kind (from ``netgraph:subjectConstraint`` /
  ``netgraph:objectConstraint``), the controlled frequency and purpose values,
  the kind an association must have, and the classes a named individual may
  have;
- the prefix map (:mod:`netgraph.prefixes`): the syntax of each external
  identifier system, for mapping targets (IRIs) and for CURIE strings
  (``oboInOwl:hasDbXref``, ``netgraph:sourceRecord``).

A value fits a constraint class ``C`` when it is ``C``, a subclass of ``C``
(``rdfs:subClassOf*``) or an instance of it (``rdf:type/rdfs:subClassOf*``).
Only SHACL Core is used.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox

from ..crosswalk.predicates import mapping_predicate_iris
from ..errors import InputError
from ..indication import QUALIFIER_COLUMNS
from ..memgraph import MemoryGraph, Object, Subject
from ..model import ENTITY_ROOTS, CoreModel
from ..paths import ProjectPaths, project_paths
from ..prefixes import Prefix, identifier_prefixes
from ..vocab import NG, OBOINOWL, RDF, RDFS, SH, Namespace

__all__ = ["SHAPES", "shapes_graph", "generated_shapes", "xsd_escape", "syntax_pattern", "known_prefix_pattern",
           "MAPPING_PREDICATES", "INDIVIDUAL_ROOTS", "shape_count"]

SHAPES = Namespace("ngshape")
MAPPING_PREDICATES = tuple(ox.NamedNode(iri) for iri in mapping_predicate_iris())  # the one list: netgraph/crosswalk/predicates.tsv

#: classes other than the entity roots whose instances are netgraph individuals
_OTHER_INDIVIDUAL_ROOTS = ("Source", "Association", "FrequencyQualifier", "PurposeQualifier", "GradingComponent") + tuple(
    q.controlled for q in QUALIFIER_COLUMNS if q.controlled)
INDIVIDUAL_ROOTS = ENTITY_ROOTS + _OTHER_INDIVIDUAL_ROOTS
_XSD_SPECIAL = set(".\\?*+(){}[]^$|-")


def xsd_escape(text: str) -> str:
    r"""Escape ``text`` for a regular expression valid in both XSD (SHACL) and Python.

    >>> xsd_escape("http://www.orpha.net/ORDO/Orphanet_")
    'http://www\\.orpha\\.net/ORDO/Orphanet_'
    """
    return "".join("\\" + c if c in _XSD_SPECIAL else c for c in text)


def _msg(g: MemoryGraph, shape: Subject, text: str, severity: ox.NamedNode = SH.Violation) -> None:
    g.add((shape, SH.message, ox.Literal(text, language="en")))
    g.add((shape, SH.severity, severity))


def _reach_path(g: MemoryGraph, prop: ox.NamedNode) -> Subject:
    """``prop / rdf:type? / rdfs:subClassOf*``: the value, its types, and all their superclasses."""
    type_step, up_step = ox.BlankNode(), ox.BlankNode()
    g.add((type_step, SH.zeroOrOnePath, RDF.type))
    g.add((up_step, SH.zeroOrMorePath, RDFS.subClassOf))
    return g.add_list([prop, type_step, up_step])


def _fits(g: MemoryGraph, shape: Subject, prop: ox.NamedNode, constraints: tuple[str, ...]) -> None:
    """The value of ``prop`` is a constraint class, a subclass of one, or an instance of one.

    Written as ``sh:hasValue`` on the path ``prop / rdf:type? / rdfs:subClassOf*``
    (no nested shape per value, which pySHACL evaluates ~100 times slower); with
    several constraint classes, an ``sh:or`` of one such property shape each.
    """
    if len(constraints) == 1:
        g.add((shape, SH.path, _reach_path(g, prop)))
        g.add((shape, SH.hasValue, NG[constraints[0]]))
        return
    members: list[Object] = []
    for c in constraints:
        m = ox.BlankNode()
        g.add((m, SH.path, _reach_path(g, prop)))
        g.add((m, SH.hasValue, NG[c]))
        members.append(m)
    g.add((shape, SH["or"], g.add_list(members)))


def _association_shapes(g: MemoryGraph, core: CoreModel) -> None:
    kinds = core.association_kinds
    for code, kind in sorted(kinds.items()):
        for role, prop, constraints in (("Subject", NG.subject, kind.subject_constraints),
                                        ("Object", NG.object, kind.object_constraints)):
            shape = SHAPES[f"{kind.class_iri.value.split('/')[-1]}{role}"]
            # one constraint: a property shape; several: a node shape whose sh:or holds one property shape each
            g.add((shape, RDF.type, SH.PropertyShape if len(constraints) == 1 else SH.NodeShape))
            g.add((shape, SH.targetClass, kind.class_iri))
            _fits(g, shape, prop, constraints)
            _msg(g, shape, f"the {role.lower()} of a '{code}' association ({kind.label}) must be "
                           f"{' or '.join(constraints)}, a subclass of it or an instance of it")
    for qualifier, prop, name, many in (("FrequencyQualifier", NG.hasFrequency, "AssociationFrequency", False),
                                        ("PurposeQualifier", NG.hasPurpose, "AssociationPurpose", True)):
        values = sorted(core.qualifier_values(qualifier))
        shape = SHAPES[name]
        g.add((shape, RDF.type, SH.PropertyShape))
        g.add((shape, SH.targetClass, NG.Association))
        g.add((shape, SH.path, prop))
        g.add((shape, SH["in"], g.add_list([NG[v] for v in values])))
        if not many:
            g.add((shape, SH.maxCount, ox.Literal(1)))
        _msg(g, shape, f"{prop.value.split('/')[-1]} must be {'one of' if many else 'at most one of'} the controlled "
                       f"{qualifier} values: {', '.join(values)}")


def _indication_shapes(g: MemoryGraph, core: CoreModel) -> None:
    """One shape per indication/evidence qualifier column (netgraph.indication): controlled values or entity class."""
    for q in QUALIFIER_COLUMNS:
        if not (q.controlled or q.entity_root):
            continue
        name = "Association" + "".join(part.capitalize() for part in q.column.split("_"))
        shape = SHAPES[name]
        g.add((shape, RDF.type, SH.PropertyShape))
        g.add((shape, SH.targetClass, NG.Association))
        prop = q.prop.value.split("/")[-1]
        if q.controlled:
            values = sorted(core.qualifier_values(q.controlled))
            g.add((shape, SH.path, q.prop))
            g.add((shape, SH["in"], g.add_list([NG[v] for v in values])))
            if not q.many:
                g.add((shape, SH.maxCount, ox.Literal(1)))
            _msg(g, shape, f"{prop} must be {'one of' if q.many else 'at most one of'} the controlled "
                           f"{q.controlled} values: {', '.join(values)}")
        else:
            # every value is typed with the entity class or a subclass of it
            inner = ox.BlankNode()
            g.add((shape, SH.path, q.prop))
            g.add((shape, SH.node, inner))
            g.add((inner, RDF.type, SH.NodeShape))
            up = ox.BlankNode()
            g.add((inner, SH.property, up))
            g.add((up, SH.path, _type_up_path(g)))
            assert q.entity_root is not None  # a qualifier without a controlled list names its entity root
            g.add((up, SH.hasValue, NG[q.entity_root]))
            _msg(g, shape, f"{prop} must be a {q.entity_root} individual (an entity of the entities tables)")


def _type_up_path(g: MemoryGraph) -> Subject:
    """``rdf:type / rdfs:subClassOf*``."""
    up_step = ox.BlankNode()
    g.add((up_step, SH.zeroOrMorePath, RDFS.subClassOf))
    return g.add_list([RDF.type, up_step])


def _individual_shapes(g: MemoryGraph) -> None:
    roots = INDIVIDUAL_ROOTS
    # no blank nodes: every instance of a netgraph individual class is an IRI
    shape = SHAPES.InstanceIRI
    g.add((shape, RDF.type, SH.NodeShape))
    for r in roots:
        g.add((shape, SH.targetClass, NG[r]))
    g.add((shape, SH.nodeKind, SH.IRI))
    _msg(g, shape, "instance data has no blank nodes: give this node an IRI")


def _direct_predicate_shapes(g: MemoryGraph, core: CoreModel) -> None:
    shape = SHAPES.DirectTriple
    g.add((shape, RDF.type, SH.NodeShape))
    preds = sorted({k.direct_predicate for k in core.association_kinds.values()}, key=lambda p: p.value)
    for p in preds:
        g.add((shape, SH.targetSubjectsOf, p))
    g.add((shape, SH.nodeKind, SH.IRI))
    prop = ox.BlankNode()
    g.add((shape, SH.property, prop))
    alt = ox.BlankNode()
    g.add((alt, SH.alternativePath, g.add_list(preds)))
    g.add((prop, SH.path, alt))
    g.add((prop, SH.nodeKind, SH.IRI))
    _msg(g, shape, "a direct (truthy) association triple must link two IRIs, never a blank node")


def _local(p: Prefix) -> str:
    local = p.local_pattern
    if local.startswith("^"):
        local = local[1:]
    if local.endswith("$"):
        local = local[:-1]
    return local


def _class_escape(c: str) -> str:
    return "\\" + c if c in "\\[]^-" else c


def _not_starting_with(start: str) -> str:
    """A regex (no look-ahead, so valid in XSD too) for strings that do not start with ``start``."""
    longer = [xsd_escape(start[:k]) + "[^" + _class_escape(start[k]) + "].*" for k in range(len(start))]
    shorter = [xsd_escape(start[:k]) for k in range(len(start))]
    return "|".join(longer + shorter)


def _start(p: Prefix, curie: bool) -> str:
    return p.prefix + ":" if curie else p.uri_prefix


def syntax_pattern(p: Prefix, rows: Iterable[Prefix], curie: bool = False) -> str:
    """One ``sh:pattern``: the value is not of system ``p``, or is ``p``'s start followed by a valid local part.

    >>> from netgraph.prefixes import identifier_prefixes
    >>> rows = identifier_prefixes()
    >>> orpha = next(r for r in rows if r.prefix == "ORPHA")
    >>> import re
    >>> rx = re.compile(syntax_pattern(orpha, rows, curie=True))
    >>> [bool(rx.search(v)) for v in ("ORPHA:97253", "ORPHA:97x53", "MONDO:0019954")]
    [True, False, True]
    """
    start = _start(p, curie)
    others = [xsd_escape(_start(q, curie)) + ".*" for q in rows
              if q is not p and _start(q, curie).startswith(start)]
    alternatives = [_not_starting_with(start)] + others + [xsd_escape(start) + "(" + _local(p) + ")"]
    return "^(" + "|".join(alternatives) + ")$"


def known_prefix_pattern(rows: Iterable[Prefix], curie: bool = False) -> str:
    """One ``sh:pattern`` matching any value that starts with a known identifier prefix."""
    return "^(" + "|".join(xsd_escape(_start(q, curie)) for q in rows) + ")"


def _identifier_shapes(g: MemoryGraph) -> None:
    rows = identifier_prefixes()
    for curie, suffix, what in ((False, "", "mapping target"), (True, "Curie", "CURIE string")):
        known = SHAPES[f"KnownIdentifierPrefix{suffix}"]
        g.add((known, RDF.type, SH.NodeShape))
        g.add((known, SH.pattern, ox.Literal(known_prefix_pattern(rows, curie))))
        _targets(g, known, curie, records=False)
        _msg(g, known, f"the {what} uses no identifier prefix of netgraph/prefixes.tsv ("
                       + ", ".join(p.prefix for p in rows) + ")")
        if curie:
            # a source record is a CURIE of a known system, or a file-local key without a colon
            # (a SEER table's id, e.g. grade_pathological_26086)
            record = SHAPES.KnownIdentifierPrefixRecord
            g.add((record, RDF.type, SH.NodeShape))
            g.add((record, SH.pattern, ox.Literal(known_prefix_pattern(rows, curie)[:-1] + "|[^:]*$)")))
            g.add((record, SH.targetObjectsOf, NG.sourceRecord))
            _msg(g, record, "a source record is a CURIE with an identifier prefix of netgraph/prefixes.tsv ("
                            + ", ".join(p.prefix for p in rows) + ") or a key without a colon (a SEER table id)")
        for p in rows:
            if not p.local_pattern:
                continue
            shape = SHAPES[f"IdentifierSyntax{suffix}-{p.prefix}"]
            g.add((shape, RDF.type, SH.NodeShape))
            g.add((shape, SH.pattern, ox.Literal(syntax_pattern(p, rows, curie))))
            _targets(g, shape, curie)
            _msg(g, shape, f"{p.prefix} identifier ({what}) is malformed: the local part after {p.prefix}: must match "
                           f"{p.local_pattern} ({p.name}, netgraph/prefixes.tsv)")


def _targets(g: MemoryGraph, shape: Subject, curie: bool, records: bool = True) -> None:
    preds = ((OBOINOWL.hasDbXref, NG.sourceRecord) if records else (OBOINOWL.hasDbXref,)) if curie else MAPPING_PREDICATES
    for pred in preds:
        g.add((shape, SH.targetObjectsOf, pred))


def generated_shapes(core: CoreModel) -> MemoryGraph:
    """The shapes generated from the core model and the prefix map."""
    g = MemoryGraph()
    _association_shapes(g, core)
    _indication_shapes(g, core)
    _individual_shapes(g)
    _direct_predicate_shapes(g, core)
    _identifier_shapes(g)
    return g


@lru_cache(maxsize=4)
def _shapes_cached(shapes_path: str, shapes_mtime: float, core_path: str, core_mtime: float) -> MemoryGraph:
    try:
        g = MemoryGraph.parse(shapes_path)
    except (SyntaxError, OSError) as exc:
        raise InputError(f"{shapes_path}: cannot parse the SHACL shapes: {exc}") from exc
    g.update(generated_shapes(CoreModel.load(Path(core_path))))
    return g


def shapes_graph(paths: ProjectPaths) -> MemoryGraph:
    """The complete shapes graph of the project at ``paths`` (cached per file version; do not modify)."""
    shapes, core = Path(paths.shapes), Path(paths.ontology_edit)
    if not shapes.is_file():  # a scratch tree without its own shapes uses this checkout's
        shapes = project_paths().shapes
    for f in (shapes, core):
        if not f.is_file():
            raise InputError(f"{f}: not found; the validator needs the shapes and the core ontology")
    return _shapes_cached(str(shapes), shapes.stat().st_mtime, str(core), core.stat().st_mtime)


def shape_count(graph: MemoryGraph) -> int:
    """Number of named shapes (rules) in a shapes graph."""
    return len({s for t in (SH.NodeShape, SH.PropertyShape) for s in graph.subjects(RDF.type, t)
                if isinstance(s, ox.NamedNode)})
