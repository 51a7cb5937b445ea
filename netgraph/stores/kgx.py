"""KGX TSV: ``nodes.tsv`` and ``edges.tsv`` with Biolink categories and predicates.

The KGX TSV convention: tab-separated, no quoting (KGX reads with
``quoting=QUOTE_NONE``), ``|`` between the values of a multivalued column, an
empty cell for no value. Whitespace inside a value is collapsed to one space so
that no value holds a tab or a newline. Load with ``kgx transform --input-format
tsv nodes.tsv edges.tsv …`` or any TSV reader.

Three things make the files survive KGX itself (``tests/test_kgx.py`` runs the
real ``kgx validate`` and ``kgx transform``):

- **Every edge has a unique id.** KGX keys an edge without an id by subject,
  predicate and object, so two sources' statements of one fact would merge into
  one edge and lose a quote. An association keeps its own CURIE (``ngstmt:…``);
  every other edge gets ``urn:uuid:`` + a UUID 5 of its content, the same on
  every run.
- **Prefixes are spelled as Biolink spells them** (column ``biolink_curie`` of
  ``netgraph/prefixes.tsv``, checked against the ``biolink-model`` package's
  prefix maps by the tests): ``SCTID:…`` is written ``SNOMEDCT:…``,
  ``ORPHA:97253`` is written ``ORDO:Orphanet_97253``. The ``iri`` column keeps
  the IRI. A prefix Biolink does not know (netgraph's own, ICD-O) keeps its
  netgraph spelling.
- **Every id is a CURIE KGX accepts**: characters a CURIE's local part cannot
  hold for KGX (``/``, ``:``, space, ``%``) are percent-encoded (RFC 3986), so the
  ICD-O-3 code ``ICDO:8240/3`` is written ``ICDO:8240%2F3``; decoding gives the
  code back.

>>> kgx_curie("SCTID:447795000"), kgx_curie("ORPHA:97253"), kgx_curie("ICDO:8240/3"), kgx_curie("netgraph:Insulinoma")
('SNOMEDCT:447795000', 'ORDO:Orphanet_97253', 'ICDO:8240%2F3', 'netgraph:Insulinoma')
"""

from __future__ import annotations

import uuid
from functools import lru_cache
from collections.abc import Sequence
from urllib.parse import quote

from ..prefixes import NETGRAPH, canonical_prefix, row
from .biolink import KNOWLEDGE_SOURCE
from .pgraph import Edge, PropertyGraph

__all__ = ["NODE_COLUMNS", "EDGE_COLUMNS", "kgx_files", "kgx_curie", "edge_ids", "LIST_DELIMITER"]

LIST_DELIMITER = "|"
NODE_COLUMNS: tuple[str, ...] = ("id", "category", "name", "description", "xref", "synonym", "iri",
                                 "deprecated", "provided_by")
EDGE_COLUMNS: tuple[str, ...] = ("id", "subject", "predicate", "object")
#: characters kept as they are in a CURIE's local part (everything else outside RFC 3986 unreserved is encoded)
_LOCAL_SAFE = "-._~!$&'()*+,;=@"
_EDGE_ID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, NETGRAPH + "kgx/edge")


@lru_cache(maxsize=65536)
def kgx_curie(curie: str) -> str:
    """A CURIE of the prefix map as Biolink spells it, its local part made a valid KGX CURIE local part.

    A value that is not a CURIE of the map (a ``biolink:`` term, an ``infores:`` id, an IRI) is returned as it is.
    """
    prefix, sep, local = curie.partition(":")
    canonical = canonical_prefix(prefix) if sep and not local.startswith("//") else None
    if canonical is None:
        return curie
    head = row(canonical).biolink_curie or f"{canonical}:"
    return head + quote(local, safe=_LOCAL_SAFE)


def edge_ids(edges: Sequence[Edge]) -> list[str]:
    """One unique, deterministic id per edge: the association's own CURIE where it names one edge, else a UUID 5."""
    counts: dict[str, int] = {}
    for e in edges:
        if e.id:
            counts[e.id] = counts.get(e.id, 0) + 1
    out = []
    for e in edges:
        if e.id and counts[e.id] == 1:
            out.append(kgx_curie(e.id))
        else:
            content = "\t".join([e.subject, e.predicate, e.object, e.id]
                                + [f"{k}={LIST_DELIMITER.join(v)}" for k, v in e.properties])
            out.append(f"urn:uuid:{uuid.uuid5(_EDGE_ID_NAMESPACE, content)}")
    return out


def _cell(values: str | Sequence[str], curies: bool = False) -> str:
    """One cell; with ``curies``, every value that is a CURIE of the prefix map (no whitespace) respelled for Biolink."""
    if isinstance(values, str):
        values = (values,) if values else ()
    if curies:
        values = [v if any(c.isspace() for c in v) else kgx_curie(v) for v in values]
    return LIST_DELIMITER.join(" ".join(v.split()) for v in values)


def _table(header: Sequence[str], rows: list[list[str]]) -> bytes:
    lines = ["\t".join(header)] + ["\t".join(row) for row in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


def kgx_files(pg: PropertyGraph) -> dict[str, bytes]:
    """``{"nodes.tsv": …, "edges.tsv": …}``."""
    node_rows = [[_cell(n.id, True), _cell(n.category), _cell(n.name), _cell(n.description), _cell(n.xrefs, True),
                  _cell(n.synonyms), _cell(n.iri), "true" if n.deprecated else "",
                  "" if n.kind == "external" else KNOWLEDGE_SOURCE] for n in pg.nodes]
    node_rows.sort(key=lambda r: r[0])  # by the id as written (Biolink's spelling sorts differently)
    props = pg.edge_properties
    ids = edge_ids(pg.edges)
    edge_rows = [[ids[i], _cell(e.subject, True), _cell(e.predicate), _cell(e.object, True)]
                 + [_cell(e.get(p), True) for p in props] for i, e in enumerate(pg.edges)]
    return {"nodes.tsv": _table(NODE_COLUMNS, node_rows), "edges.tsv": _table(EDGE_COLUMNS + props, edge_rows)}
