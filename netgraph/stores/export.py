"""`netgraph export`: the built graph in the formats other stores and tools read.

=========  ===========================  ===============================================
format     written as                   notes
=========  ===========================  ===============================================
ttl        one Turtle file              the union of the selected graphs
nt         one N-Triples file           the union; one sorted line per distinct triple
nq         one N-Quads file             each part in its named graph (``nggraph:<part>``)
trig       one TriG file                each part in its named graph, prefixed names
jsonld     one JSON-LD file             the union; context from the prefix map
rdfxml     one RDF/XML file             default ``--graph ontology``; OBO conventions
                                        (:mod:`.owlview`) for pronto, OAK, the OWL API
kgx        ``nodes.tsv``, ``edges.tsv``  Biolink categories and predicates
neo4j      ``nodes.csv``,               ``neo4j-admin database import`` headers
           ``relationships.csv``
=========  ===========================  ===============================================

Output is deterministic (sorted, no clock) and written atomically; with
``gzip`` each file is compressed (with a zero timestamp, so still byte-stable).

>>> FORMATS["nq"].media_type
'application/n-quads'
"""

from __future__ import annotations

import gzip as _gzip
import os
from dataclasses import dataclass
from pathlib import Path
from collections.abc import Mapping

from .._version import RELEASE_DATE, __version__
from ..atomic import write_all_atomic
from ..errors import InputError
from .canonical import GRAPH_CHOICES, BuiltGraph, load_built_graph
from ..paths import Root

__all__ = ["Format", "FORMATS", "ExportResult", "export", "render", "default_graph", "gzip_bytes", "parts_needed"]


@dataclass(frozen=True)
class Format:
    name: str
    suffix: str  # file suffix, or "" for a directory of files
    media_type: str
    description: str

    @property
    def is_directory(self) -> bool:
        return not self.suffix


FORMATS: Mapping[str, Format] = {
    "ttl": Format("ttl", ".ttl", "text/turtle", "Turtle"),
    "nt": Format("nt", ".nt", "application/n-triples", "N-Triples"),
    "nq": Format("nq", ".nq", "application/n-quads", "N-Quads, one named graph per part"),
    "trig": Format("trig", ".trig", "application/trig", "TriG, one named graph per part"),
    "jsonld": Format("jsonld", ".jsonld", "application/ld+json", "JSON-LD"),
    "rdfxml": Format("rdfxml", ".owl", "application/rdf+xml", "RDF/XML"),
    "kgx": Format("kgx", "", "text/tab-separated-values", "KGX TSV (nodes.tsv, edges.tsv)"),
    "neo4j": Format("neo4j", "", "text/csv", "Neo4j import CSV (nodes.csv, relationships.csv)"),
}


@dataclass(frozen=True)
class ExportResult:
    """What an export wrote."""

    format: str
    graph: str
    files: tuple[Path, ...]
    triples: int  # triples written (N-Quads: summed over its graphs); 0 for kgx/neo4j
    nodes: int = 0
    edges: int = 0


def default_graph(fmt: str) -> str:
    """``ontology`` for RDF/XML (the OWL file for Protégé), ``all`` otherwise."""
    return "ontology" if fmt == "rdfxml" else "all"


def parts_needed(fmt: str, graph: str) -> tuple[str, ...] | None:
    """The parts to parse for an export: one for a one-graph RDF export, all (None) otherwise.

    KGX and Neo4j always read every part: categories and predicates come from the ontology.
    """
    return None if graph == "all" or FORMATS[fmt].is_directory else (graph,)


def gzip_bytes(data: bytes) -> bytes:
    """Gzip with a zero timestamp and no file name: the same input gives the same bytes."""
    return _gzip.compress(data, compresslevel=9, mtime=0)


def _check(fmt: str, graph: str) -> None:
    if fmt not in FORMATS:
        raise InputError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if graph not in GRAPH_CHOICES:
        raise InputError(f"unknown graph {graph!r}; choose one of {', '.join(GRAPH_CHOICES)}")


def render(built: BuiltGraph, fmt: str, graph: str | None = None) -> tuple[dict[str, bytes], int, int, int]:
    """Serialise: ``({file name: bytes}, triples, nodes, edges)``; a single-file format uses the name ``""``."""
    graph = graph or default_graph(fmt)
    _check(fmt, graph)
    parts = built.select(graph)
    if fmt in ("kgx", "neo4j"):
        from .pgraph import property_graph

        pg = property_graph(built, graph)
        if fmt == "kgx":
            from .kgx import kgx_files

            return kgx_files(pg), 0, len(pg.nodes), len(pg.edges)
        from .neo4j import neo4j_files

        return neo4j_files(pg), 0, len(pg.nodes), len(pg.edges)
    from . import rdf

    if fmt == "nq":
        return {"": rdf.nquads(parts)}, sum(len(p) for p in parts), 0, 0
    if fmt == "trig":
        return {"": rdf.trig(parts)}, sum(len(p) for p in parts), 0, 0
    triples, lines = built.union(graph)
    if fmt == "nt":
        data = rdf.ntriples(lines)
    elif fmt == "ttl":
        names = ", ".join(p.part for p in parts)
        what = f"the union of the graphs {names}" if graph == "all" else f"the {graph} graph"
        data = rdf.turtle(triples, header=(f"netgraph {__version__} ({RELEASE_DATE}): {what}",
                                           "Generated by `netgraph export --format ttl`; do not edit."))
    elif fmt == "jsonld":
        from .jsonld import to_jsonld

        data = to_jsonld(triples)
    else:
        from .owlview import owl_view

        triples = owl_view(triples)
        data = rdf.rdfxml(triples)
    return {"": data}, len(triples), 0, 0


def _target(output: Path, name: str, gz: bool) -> Path:
    path = output / name if name else output
    if gz and path.suffix != ".gz":
        path = path.with_name(path.name + ".gz")
    return path


def export(fmt: str, output: str | os.PathLike, *, graph: str | None = None, root: Root = None, gzip: bool = False,
           built: BuiltGraph | None = None) -> ExportResult:
    """Write the built graph in ``fmt`` to ``output`` (a file, or a directory for kgx and neo4j).

    ``graph`` is a part name or ``all`` (default: ``all``, ``ontology`` for rdfxml).
    An output name ending in ``.gz`` implies ``gzip``.
    """
    graph = graph or default_graph(fmt)
    _check(fmt, graph)
    output = Path(output)
    gz = gzip or output.suffix == ".gz"
    if FORMATS[fmt].is_directory and output.exists() and not output.is_dir():
        raise InputError(f"{output}: exists and is not a directory (format {fmt} writes several files into a directory)")
    if not FORMATS[fmt].is_directory and output.is_dir():
        raise InputError(f"{output}: is a directory; give a file name such as netgraph{FORMATS[fmt].suffix}")
    built = built if built is not None else load_built_graph(root, parts_needed(fmt, graph))
    files, triples, nodes, edges = render(built, fmt, graph)
    staged = {_target(output, name, gz): (gzip_bytes(data) if gz else data) for name, data in files.items()}
    try:
        write_all_atomic(staged)
    except OSError as exc:
        raise InputError(f"cannot write {output}: {exc}") from exc
    return ExportResult(format=fmt, graph=graph, files=tuple(sorted(staged)), triples=triples, nodes=nodes, edges=edges)
