"""A larger graph for the benchmarks: N renamed copies of the built data and mappings graphs.

The copies keep the ontology once and suffix every netgraph instance IRI
(statements, sources, entities) with ``-copyK``, so the copies do not collapse
into one another and every canned query sees N times the rows. Shared by
``bench_export.py`` and ``bench_query.py``.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from netgraph.graphs import part_files  # noqa: E402
from netgraph.prefixes import NETGRAPH  # noqa: E402

__all__ = ["scaled_root"]


def scaled_root(root: Path, copies: int, into: Path) -> Path:
    """A scratch project with ``copies`` renamed copies of the data and mappings graphs."""
    import pyoxigraph as ox

    files = part_files(root)
    (into / "ontology").mkdir(parents=True)
    (into / "data").mkdir()
    shutil.copy(files["ontology"], into / "ontology" / "netgraph.ttl")
    shutil.copytree(root / "queries", into / "queries")  # the catalogue, for the query benchmarks
    targets = {"data": into / "data" / "netgraph-data.ttl", "mappings": into / "data" / "netgraph-mappings.ttl"}
    declared_classes = {t.subject for t in ox.parse(path=str(files["ontology"]), format=ox.RdfFormat.TURTLE)}

    def rename(term, k):
        if isinstance(term, ox.NamedNode) and term.value.startswith(NETGRAPH) and term not in declared_classes:
            return ox.NamedNode(f"{term.value}-copy{k}")
        return term

    for part, target in targets.items():
        triples = list(ox.parse(path=str(files[part]), format=ox.RdfFormat.TURTLE))
        out = []
        for k in range(copies):
            out += [ox.Triple(rename(t.subject, k), t.predicate, rename(t.object, k)) for t in triples]
        ox.serialize(out, str(target), format=ox.RdfFormat.TURTLE)
    return into
