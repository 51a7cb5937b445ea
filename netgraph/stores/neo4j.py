"""Neo4j bulk-import CSVs: ``nodes.csv`` and ``relationships.csv``.

The headers follow ``neo4j-admin database import``: ``id:ID`` and ``:LABEL``
for nodes, ``:START_ID``, ``:END_ID`` and ``:TYPE`` for relationships, typed
properties (``xref:string[]``, ``deprecated:boolean``, and for edge properties
whose values all carry one XSD datatype its Neo4j type: ``value:float`` for
``xsd:decimal``/``xsd:double``, ``:int``/``:long`` for integers, ``:boolean``,
``:date``; see :data:`NEO4J_TYPES`). Arrays and multiple
labels are separated by ``|``, so the import needs ``--array-delimiter``::

    bin/neo4j-admin database import full neo4j --array-delimiter="U+007C" \\
        --nodes=import/nodes.csv --relationships=import/relationships.csv

Labels are the Biolink category's name plus ``Class``, ``Individual`` or
``External``; the relationship type is the Biolink predicate in upper snake
case (``TREATED_BY``), and ``original_predicate`` keeps netgraph's own.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from ..errors import InputError
from ..prefixes import namespace
from .pgraph import PropertyGraph

__all__ = ["NODE_HEADER", "neo4j_files", "IMPORT_COMMAND", "ARRAY_DELIMITER", "NEO4J_TYPES"]

ARRAY_DELIMITER = "|"
NODE_HEADER: tuple[str, ...] = ("id:ID", ":LABEL", "name", "category", "description", "iri",
                                "xref:string[]", "synonym:string[]", "deprecated:boolean")
#: the documented import command (run from $NEO4J_HOME with the files in import/)
IMPORT_COMMAND = ('bin/neo4j-admin database import full neo4j --array-delimiter="U+007C" '
                  "--nodes=import/nodes.csv --relationships=import/relationships.csv")
_XSD = namespace("xsd")
#: the Neo4j import type of a property whose values all have one XSD datatype (others stay strings)
NEO4J_TYPES: dict[str, str] = {
    **{_XSD + t: "int" for t in ("int", "short", "byte", "unsignedShort", "unsignedByte")},
    **{_XSD + t: "long" for t in ("integer", "long", "nonNegativeInteger", "positiveInteger", "negativeInteger",
                                   "nonPositiveInteger", "unsignedInt", "unsignedLong")},
    **{_XSD + t: "float" for t in ("decimal", "double", "float")},
    _XSD + "boolean": "boolean",
    _XSD + "date": "date",
}
#: edge properties that are always arrays (several sources, several quotes)
_ARRAY_PROPERTIES = {"publications", "supporting_text", "category"}


def _array(values: Sequence[str], what: str) -> str:
    for v in values:
        if ARRAY_DELIMITER in v:
            raise InputError(f"{what}: value {v!r} contains {ARRAY_DELIMITER!r}, the array delimiter of the Neo4j export")
    return ARRAY_DELIMITER.join(" ".join(v.split()) for v in values)


def _csv(header: Sequence[str], rows: list[list[str]]) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue().encode("utf-8")


def _type(predicate: str) -> str:
    return predicate.split(":", 1)[-1].upper()


def neo4j_files(pg: PropertyGraph) -> dict[str, bytes]:
    """``{"nodes.csv": …, "relationships.csv": …}``."""
    kind_label = {"class": "Class", "individual": "Individual", "external": "External"}
    nodes = [[n.id, _array([n.category.split(":", 1)[-1], kind_label[n.kind]], n.id), " ".join(n.name.split()),
              n.category, " ".join(n.description.split()), n.iri, _array(n.xrefs, n.id), _array(n.synonyms, n.id),
              "true" if n.deprecated else "false"] for n in pg.nodes]
    props = pg.edge_properties
    arrays = {p for p in props if p in _ARRAY_PROPERTIES or any(len(e.get(p)) > 1 for e in pg.edges)}
    types = {p: NEO4J_TYPES[dt] for p, dt in pg.edge_property_types if dt in NEO4J_TYPES}
    header = [":START_ID", ":END_ID", ":TYPE", "id", "predicate"] + [
        f"{p}:{types.get(p, 'string')}[]" if p in arrays else f"{p}:{types[p]}" if p in types else p for p in props]
    rels = []
    for e in pg.edges:
        row = [e.subject, e.object, _type(e.predicate), e.id, e.predicate]
        for p in props:
            values = e.get(p)
            row.append(_array(values, e.id or f"{e.subject} {e.predicate} {e.object}") if p in arrays
                       else " ".join(values[0].split()) if values else "")
        rels.append(row)
    return {"nodes.csv": _csv(NODE_HEADER, nodes), "relationships.csv": _csv(header, rels)}
