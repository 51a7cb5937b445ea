"""`netgraph release DIR`: every export format, a VoID/DCAT manifest, and SHA-256 checksums.

Layout of ``DIR`` (``.gz`` added to the data files with ``gzip``)::

    netgraph.ttl  netgraph.nt  netgraph.nq  netgraph.trig  netgraph.jsonld
    netgraph.owl       the ontology as RDF/XML for OWL and OBO tools (pronto, OAK, Protégé)
    netgraph-full.owl  every graph as RDF/XML for OWL tools (OWL 2 DL by the OWL API)
    kgx/nodes.tsv  kgx/edges.tsv  neo4j/nodes.csv  neo4j/relationships.csv
    void.ttl       the manifest (below)
    SHA256SUMS     ``sha256sum -c SHA256SUMS`` checks every file above

The manifest describes ``netgraph:dataset`` as a ``void:Dataset`` and
``dcat:Dataset``: title, description and license (from the ontology header),
version and release date (from ``netgraph/_version.py``), and for the whole
graph and for each named graph (its ``void:subset``, identified by the graph
IRI): ``void:triples``, ``void:distinctSubjects``, ``void:distinctObjects``,
``void:properties`` (distinct predicates) and ``void:classes`` (distinct
objects of ``rdf:type``). The whole-graph figures are those of the union (what
``netgraph.nt`` holds); the per-graph figures are those of each graph in
``netgraph.nq``. Each file is a ``dcat:Distribution`` with its media type and
size in bytes.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from collections.abc import Iterable, Mapping

from .._version import RELEASE_DATE, __version__
from ..atomic import write_all_atomic
from ..errors import InputError
from ..prefixes import NETGRAPH
from .canonical import BuiltGraph, load_built_graph
from .export import FORMATS, gzip_bytes, render
from ..paths import Root

__all__ = ["GraphStatistics", "ReleaseResult", "release", "statistics", "RELEASE_FILES", "MANIFEST", "CHECKSUMS",
           "DATASET_IRI"]

MANIFEST = "void.ttl"
CHECKSUMS = "SHA256SUMS"
DATASET_IRI = NETGRAPH + "dataset"
#: file name (single-file formats) or folder (kgx, neo4j) -> the format and the --graph it is written with
RELEASE_FILES: Mapping[str, tuple[str, str]] = {
    "netgraph.ttl": ("ttl", "all"),
    "netgraph.nt": ("nt", "all"),
    "netgraph.nq": ("nq", "all"),
    "netgraph.trig": ("trig", "all"),
    "netgraph.jsonld": ("jsonld", "all"),
    "netgraph.owl": ("rdfxml", "ontology"),
    "netgraph-full.owl": ("rdfxml", "all"),
    "kgx": ("kgx", "all"),
    "neo4j": ("neo4j", "all"),
}


@dataclass(frozen=True)
class GraphStatistics:
    """VoID statistics of a set of triples."""

    triples: int
    distinct_subjects: int
    distinct_objects: int
    properties: int
    classes: int


@dataclass(frozen=True)
class ReleaseResult:
    directory: Path
    files: tuple[Path, ...]
    dataset: GraphStatistics
    graphs: Mapping[str, GraphStatistics]


def statistics(triples: Iterable) -> GraphStatistics:
    """Count triples, distinct subjects/objects, properties and classes (objects of ``rdf:type``)."""
    from ..vocab import RDF

    n = 0
    subjects, objects, predicates, classes = set(), set(), set(), set()
    for t in triples:
        n += 1
        subjects.add(t.subject)
        objects.add(t.object)
        predicates.add(t.predicate)
        if t.predicate == RDF.type:
            classes.add(t.object)
    return GraphStatistics(n, len(subjects), len(objects), len(predicates), len(classes))


def _ontology_header(built: BuiltGraph) -> dict[str, list]:
    """Title, description and license of the ``owl:Ontology`` in the ontology part."""
    from ..vocab import DCTERMS, OWL, RDF

    wanted = {DCTERMS.title: "title", DCTERMS.description: "description", DCTERMS.license: "license"}
    part = built.parts.get("ontology")
    out: dict[str, list] = {"title": [], "description": [], "license": []}
    if part is None:
        return out
    heads = {t.subject for t in part.triples if t.predicate == RDF.type and t.object == OWL.Ontology}
    for t in part.triples:
        if t.subject in heads and t.predicate in wanted:
            out[wanted[t.predicate]].append(t.object)
    return out


def _manifest(built: BuiltGraph, stats: GraphStatistics, per_graph: Mapping[str, GraphStatistics],
              files: Mapping[str, bytes], media: Mapping[str, str]) -> bytes:
    import pyoxigraph as ox

    from ..memgraph import MemoryGraph
    from ..turtle import to_turtle
    from ..vocab import DCAT, DCTERMS, OWL, RDF, VOID, XSD

    g = MemoryGraph()
    ds = ox.NamedNode(DATASET_IRI)
    g.add((ds, RDF.type, VOID.Dataset))
    g.add((ds, RDF.type, DCAT.Dataset))
    header = _ontology_header(built)
    for key, prop in (("title", DCTERMS.title), ("description", DCTERMS.description), ("license", DCTERMS.license)):
        for term in header[key]:
            g.add((ds, prop, term))
    g.add((ds, DCAT.version, ox.Literal(__version__)))
    g.add((ds, OWL.versionInfo, ox.Literal(__version__)))
    g.add((ds, DCTERMS.issued, ox.Literal(RELEASE_DATE, datatype=XSD.date)))
    g.add((ds, VOID.uriSpace, ox.Literal(NETGRAPH)))

    def counts(node: ox.NamedNode, s: GraphStatistics) -> None:
        for prop, value in ((VOID.triples, s.triples), (VOID.distinctSubjects, s.distinct_subjects),
                            (VOID.distinctObjects, s.distinct_objects), (VOID.properties, s.properties),
                            (VOID.classes, s.classes)):
            g.add((node, prop, ox.Literal(str(value), datatype=XSD.integer)))

    counts(ds, stats)
    for part, s in per_graph.items():
        node = ox.NamedNode(built.parts[part].iri)
        g.add((ds, VOID.subset, node))
        g.add((node, RDF.type, VOID.Dataset))
        g.add((node, DCTERMS.title, ox.Literal(f"netgraph {part} graph", language="en")))
        counts(node, s)
    for name in sorted(files):
        dist = ox.BlankNode()
        g.add((ds, DCAT.distribution, dist))
        g.add((dist, RDF.type, DCAT.Distribution))
        g.add((dist, DCTERMS.title, ox.Literal(name)))
        g.add((dist, DCTERMS["format"], ox.Literal(media[name])))
        g.add((dist, DCAT.byteSize, ox.Literal(str(len(files[name])), datatype=XSD.nonNegativeInteger)))
    return to_turtle(g, header_comment=(f"netgraph {__version__} ({RELEASE_DATE}): release manifest (VoID and DCAT)",
                                        f"Checksums of every file, this one included, are in {CHECKSUMS}."))


def release(directory: str | os.PathLike, *, root: Root = None, gzip: bool = False,
            built: BuiltGraph | None = None) -> ReleaseResult:
    """Write every format, ``void.ttl`` and ``SHA256SUMS`` into ``directory`` (created if needed)."""
    directory = Path(directory)
    if directory.exists() and not directory.is_dir():
        raise InputError(f"{directory}: exists and is not a directory")
    built = built if built is not None else load_built_graph(root)
    files: dict[str, bytes] = {}
    media: dict[str, str] = {}
    for name, (fmt, graph) in RELEASE_FILES.items():
        rendered, _, _, _ = render(built, fmt, graph)
        for inner, data in rendered.items():
            rel = f"{name}/{inner}" if inner else name
            if gzip:
                rel, data = rel + ".gz", gzip_bytes(data)
            files[rel] = data
            media[rel] = "application/gzip" if gzip else FORMATS[fmt].media_type
    union, _ = built.union("all")
    per_graph = {part: statistics(p.triples) for part, p in built.parts.items()}
    dataset = statistics(union)
    files[MANIFEST] = _manifest(built, dataset, per_graph, dict(files), media)
    sums = "".join(f"{hashlib.sha256(files[name]).hexdigest()}  {name}\n" for name in sorted(files))
    files[CHECKSUMS] = sums.encode("ascii")
    staged = {directory / name: data for name, data in files.items()}
    try:
        write_all_atomic(staged)
    except OSError as exc:
        raise InputError(f"cannot write the release into {directory}: {exc}") from exc
    return ReleaseResult(directory=directory, files=tuple(sorted(staged)), dataset=dataset, graphs=per_graph)
