"""The three named graphs and how to load them.

=============  ======================================  ============================
part           graph IRI                               file
=============  ======================================  ============================
ontology       https://w3id.org/netgraph/graph/ontology  ontology/netgraph.ttl
data           https://w3id.org/netgraph/graph/data      data/netgraph-data.ttl
mappings       https://w3id.org/netgraph/graph/mappings  data/netgraph-mappings.ttl
inferred       https://w3id.org/netgraph/graph/inferred  ontology/netgraph-inferred.ttl
=============  ======================================  ============================

:func:`load_store` gives a pyoxigraph :class:`~pyoxigraph.Store` (the fast
embedded engine) with one named graph per part; :func:`load_dataset` gives an
rdflib :class:`~rdflib.Dataset` with the same quads.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import InputError
from .paths import Root, project_paths
from .prefixes import GRAPH

if TYPE_CHECKING:
    import pyoxigraph as ox
    from rdflib import Dataset  # boundary: load_dataset gives the rdflib backend its Dataset

__all__ = ["PARTS", "GRAPH_IRIS", "part_files", "check_built", "load_store", "load_dataset"]

PARTS: tuple[str, ...] = ("ontology", "data", "mappings", "inferred")
GRAPH_IRIS: Mapping[str, str] = {part: f"{GRAPH}{part}" for part in PARTS}


def part_files(root: Root = None) -> dict[str, Path]:
    """Emitted file of each part, in part order (``inferred`` is written by `netgraph reason`)."""
    paths = project_paths(root)
    return dict(zip(PARTS, paths.emitted + (paths.inferred,), strict=True))


def check_built(files: Mapping[str, Path]) -> None:
    """An :class:`InputError` naming every emitted file not yet built (``inferred`` is optional)."""
    missing = [str(p) for part, p in files.items() if part != "inferred" and not p.is_file()]
    if missing:
        raise InputError(f"graph file(s) not built: {', '.join(missing)}; run `netgraph build` first")


def load_store(root: Root = None, parts: Iterable[str] = PARTS, *, location: str | Path | None = None) -> ox.Store:
    """A pyoxigraph Store holding each part in its named graph (in memory, or on disk at ``location``)."""
    import pyoxigraph as ox

    files = {p: f for p, f in part_files(root).items() if p in set(parts)}
    check_built(files)
    store = ox.Store(str(location)) if location is not None else ox.Store()
    try:
        for part, path in files.items():
            if not path.is_file():  # only the optional inferred part can be missing here
                continue
            try:
                store.bulk_load(path=str(path), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(GRAPH_IRIS[part]))
            except (SyntaxError, ValueError, OSError) as exc:
                raise InputError(f"{path}: cannot load: {exc}") from exc
    except BaseException:
        # Release (and, on disk, close) the store before the error unwinds: a traceback keeps this
        # frame alive, and an open on-disk store would keep writing into a directory being removed.
        del store
        raise
    return store


def load_dataset(root: Root = None, parts: Iterable[str] = PARTS) -> Dataset:
    """An rdflib Dataset holding each part in its named graph (prefixes bound)."""
    from rdflib import Dataset, URIRef  # boundary: for the rdflib backend (open_graph(backend="rdflib"))

    from .prefixes import bind_prefixes

    files = {p: f for p, f in part_files(root).items() if p in set(parts)}
    check_built(files)
    ds = Dataset()
    bind_prefixes(ds)
    for part, path in files.items():
        if path.is_file():
            ds.graph(URIRef(GRAPH_IRIS[part])).parse(path, format="turtle")
    return ds
