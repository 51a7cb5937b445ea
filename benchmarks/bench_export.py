"""Export throughput (triples per second) per format, side by side with the plain rdflib path.

Usage::

    .venv/bin/python benchmarks/bench_export.py               # the built graph of this checkout
    .venv/bin/python benchmarks/bench_export.py --scale 10    # 10 copies of the instance data and mappings
    .venv/bin/python benchmarks/bench_export.py --root DIR --repeat 5

For each format it times netgraph's path (parse the emitted Turtle with
pyoxigraph, canonicalise, serialise: :func:`netgraph.stores.export.render`) and
the plain rdflib path (parse the same Turtle into an rdflib ``Dataset`` and call
``serialize``), both from the files on disk, best of ``--repeat`` runs, and
prints triples per second and the ratio. rdflib has no KGX or Neo4j writer, so
those rows have no rdflib column. ``--scale N`` writes a scratch project whose
data and mappings graphs hold N renamed copies of the real ones (statement,
source and entity IRIs suffixed), to see the throughput at a larger size.
Run it alone: the machine has 2 cores.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from netgraph.graphs import GRAPH_IRIS, part_files  # noqa: E402
from scaling import scaled_root  # noqa: E402
from timing import best  # noqa: E402

RDFLIB_FORMATS = {"ttl": "turtle", "nt": "nt", "nq": "nquads", "jsonld": "json-ld", "rdfxml": "xml"}


def netgraph_path(root: Path, fmt: str) -> None:
    from netgraph.stores.canonical import load_built_graph
    from netgraph.stores.export import default_graph, parts_needed, render

    graph = default_graph(fmt)
    render(load_built_graph(root, parts_needed(fmt, graph)), fmt, graph)


def rdflib_path(root: Path, fmt: str) -> None:
    from rdflib import Dataset, Graph, URIRef

    files = {p: f for p, f in part_files(root).items() if f.is_file()}
    if fmt == "rdfxml":
        Graph().parse(files["ontology"], format="turtle").serialize(format="xml")
        return
    ds = Dataset()
    for part, path in files.items():
        ds.graph(URIRef(GRAPH_IRIS[part])).parse(path, format="turtle")
    if fmt == "nq":
        ds.serialize(format="nquads")
        return
    union = Graph()
    for g in ds.graphs():
        union += g
    if fmt == "jsonld":
        from netgraph.prefixes import jsonld_context

        union.serialize(format="json-ld", context=jsonld_context()["@context"])
    else:
        union.serialize(format=RDFLIB_FORMATS[fmt])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--root", type=Path, default=None, help="project tree (default: this checkout)")
    ap.add_argument("--scale", type=int, default=1, help="copies of the data and mappings graphs")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()

    from netgraph.paths import project_paths
    from netgraph.stores.canonical import load_built_graph
    from netgraph.stores.export import FORMATS, render

    root = project_paths(args.root).root
    tmp = None
    if args.scale > 1:
        tmp = Path(tempfile.mkdtemp(prefix="bench-export-"))
        root = scaled_root(root, args.scale, tmp / "project")
    try:
        built = load_built_graph(root)
        parse_s = best(lambda: load_built_graph(root), args.repeat)
        print(f"graph: {root}  parts: " + ", ".join(f"{p} {len(g)}" for p, g in built.parts.items())
              + f"  union: {len(built.union()[0])} triples")
        print(f"parse + canonicalise (pyoxigraph): {parse_s * 1000:.0f} ms")
        print(f"{'format':8} {'triples':>8} {'netgraph s':>11} {'triples/s':>11} {'rdflib s':>9} {'triples/s':>11} {'speed-up':>9}")
        for fmt in FORMATS:
            graph = "ontology" if fmt == "rdfxml" else "all"
            triples = (sum(len(p) for p in built.parts.values()) if fmt == "nq"
                       else len(built.union(graph)[0]))
            ours = best(lambda fmt=fmt: netgraph_path(root, fmt), args.repeat)
            line = f"{fmt:8} {triples:>8} {ours:>11.3f} {triples / ours:>11,.0f}"
            if fmt in RDFLIB_FORMATS:
                theirs = best(lambda fmt=fmt: rdflib_path(root, fmt), max(1, args.repeat - 1))
                line += f" {theirs:>9.3f} {triples / theirs:>11,.0f} {theirs / ours:>8.1f}x"
            else:
                _pg_files, _, nodes, edges = render(built, fmt)
                line += f"   ({nodes} nodes, {edges} edges; no rdflib writer)"
            print(line)
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
