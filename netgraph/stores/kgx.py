"""KGX TSV: ``nodes.tsv`` and ``edges.tsv`` with Biolink categories and predicates.

The KGX TSV convention: tab-separated, no quoting (KGX reads with
``quoting=QUOTE_NONE``), ``|`` between the values of a multivalued column, an
empty cell for no value. Whitespace inside a value is collapsed to one space so
that no value holds a tab or a newline. Load with ``kgx transform --input-format
tsv nodes.tsv edges.tsv …`` or any TSV reader.
"""

from __future__ import annotations

from collections.abc import Sequence

from .pgraph import PropertyGraph

__all__ = ["NODE_COLUMNS", "EDGE_COLUMNS", "kgx_files", "LIST_DELIMITER"]

LIST_DELIMITER = "|"
NODE_COLUMNS: tuple[str, ...] = ("id", "category", "name", "description", "xref", "synonym", "iri",
                                 "deprecated", "provided_by")
EDGE_COLUMNS: tuple[str, ...] = ("id", "subject", "predicate", "object")


def _cell(values: str | Sequence[str]) -> str:
    if isinstance(values, str):
        values = (values,) if values else ()
    return LIST_DELIMITER.join(" ".join(v.split()) for v in values)


def _table(header: Sequence[str], rows: list[list[str]]) -> bytes:
    lines = ["\t".join(header)] + ["\t".join(row) for row in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


def kgx_files(pg: PropertyGraph) -> dict[str, bytes]:
    """``{"nodes.tsv": …, "edges.tsv": …}``."""
    from .biolink import KNOWLEDGE_SOURCE

    node_rows = [[_cell(n.id), _cell(n.category), _cell(n.name), _cell(n.description), _cell(n.xrefs),
                  _cell(n.synonyms), _cell(n.iri), "true" if n.deprecated else "",
                  "" if n.kind == "external" else KNOWLEDGE_SOURCE] for n in pg.nodes]
    props = pg.edge_properties
    edge_rows = [[_cell(e.id), _cell(e.subject), _cell(e.predicate), _cell(e.object)]
                 + [_cell(e.get(p)) for p in props] for e in pg.edges]
    return {"nodes.tsv": _table(NODE_COLUMNS, node_rows), "edges.tsv": _table(EDGE_COLUMNS + props, edge_rows)}
