"""`netgraph load` throughput (triples per second) into real Oxigraph and Virtuoso servers, beside rdflib.

Usage::

    .venv/bin/python benchmarks/bench_load.py                     # Oxigraph and Virtuoso, this checkout
    .venv/bin/python benchmarks/bench_load.py --store virtuoso --repeat 5
    .venv/bin/python benchmarks/bench_load.py --chunk-size 2000   # one chunk size for every run

Virtuoso (Debian's ``virtuoso-opensource``) is started the way the tests start
it (``tests/servers.py``: a temporary database, a user with update
rights) and loaded through its authenticated endpoints: ``/sparql-graph-crud-auth``
(Graph Store, digest), ``/sparql-auth`` (Update, digest) and the basic-auth
twins. Every run is a full, verified replace (counts and content).

Starts an empty Oxigraph server (``oxigraph serve``) on 127.0.0.1 in a
temporary folder, then times, best of ``--repeat`` runs (each a full replace of
every graph, verified by the store's counts):

- ``netgraph load`` by the Graph Store Protocol (``PUT`` + ``POST`` chunks);
- ``netgraph load --method update`` (``DROP`` + ``INSERT DATA`` chunks);
- the plain rdflib path: parse the Turtle into an rdflib ``Dataset`` and
  ``addN`` it into rdflib's ``SPARQLUpdateStore`` (which
  cannot send blank nodes, so the OWL restriction triples are left out of it).

It prints triples per second and the ratio to the rdflib path. Run it alone.
"""

from __future__ import annotations

import argparse
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from timing import best_with_value as best  # noqa: E402


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_oxigraph(location: Path) -> tuple[subprocess.Popen, str]:
    from netgraph.stores.serve import oxigraph_executable

    port = free_port()
    proc = subprocess.Popen([oxigraph_executable(), "serve", "--location", str(location), "--bind",
                             f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            urllib.request.urlopen(f"{url}/query?query=ASK%7B%7D", timeout=1).read()
            return proc, url
        except OSError:
            time.sleep(0.05)
    proc.kill()
    raise SystemExit("oxigraph did not start")


def rdflib_load(root: Path, url: str) -> int:
    from rdflib import BNode, Dataset, Graph, URIRef
    from rdflib.plugins.stores.sparqlstore import SPARQLUpdateStore

    from netgraph.graphs import GRAPH_IRIS, part_files

    store = SPARQLUpdateStore(query_endpoint=f"{url}/query", update_endpoint=f"{url}/update")
    sent = 0
    for part, path in part_files(root).items():
        if not path.is_file():
            continue
        g = URIRef(GRAPH_IRIS[part])
        store.update(f"DROP SILENT GRAPH <{g}>")
        local = Dataset()
        local.graph(g).parse(path, format="turtle")
        target = Graph(store=store, identifier=g)
        quads = [(s, p, o, target) for s, p, o, _ in local.quads((None, None, None, g))
                 if not isinstance(s, BNode) and not isinstance(o, BNode)]
        store.addN(quads)
        sent += len(quads)
    return sent


def bench_oxigraph(root: Path, built, total: int, chunk_size: int | None, repeat: int) -> None:
    from netgraph.stores.load import push_to_endpoint

    tmp = Path(tempfile.mkdtemp(prefix="bench-load-"))
    proc, url = start_oxigraph(tmp / "db")
    try:
        rows = []
        for method in ("gsp", "update"):
            seconds, report = best(lambda method=method: push_to_endpoint(f"{url}/query", method=method, built=built,
                                                            chunk_size=chunk_size), repeat)
            assert report.found == report.expected
            rows.append((f"oxigraph: netgraph load ({method}, {report.chunk_size}/request)", total, seconds))
        seconds_with_parse, _ = best(lambda: push_to_endpoint(f"{url}/query", root=root, chunk_size=chunk_size),
                                     repeat)
        rows.append(("oxigraph: netgraph load (gsp, incl. parse)", total, seconds_with_parse))
        seconds, sent = best(lambda: rdflib_load(root, url), max(1, repeat - 1))
        rows.append(("oxigraph: rdflib SPARQLUpdateStore", sent, seconds))
        report_rows(rows, sent / seconds)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        shutil.rmtree(tmp, ignore_errors=True)


def bench_virtuoso(built, total: int, chunk_size: int | None, repeat: int) -> None:
    from netgraph.stores.load import push_to_endpoint

    sys.path.insert(0, str(ROOT / "tests"))
    from servers import VirtuosoServer

    tmp = Path(tempfile.mkdtemp(prefix="bench-load-virtuoso-"))
    server = VirtuosoServer(tmp / "db").start()
    try:
        creds = {"user": server.user, "password": server.password}
        runs = {
            "gsp, digest": dict(endpoint=server.sparql_auth, graph_store=server.graph_crud_auth, auth_scheme="digest"),
            "gsp, basic": dict(endpoint=server.sparql_basic, graph_store=server.graph_crud_basic, auth_scheme="basic"),
            "update, digest": dict(endpoint=server.sparql_auth, method="update", update_endpoint=server.sparql_auth,
                                   auth_scheme="digest"),
            "update, basic": dict(endpoint=server.sparql_basic, method="update", update_endpoint=server.sparql_basic,
                                  auth_scheme="basic"),
        }
        rows = []
        for name, kw in runs.items():
            endpoint = kw.pop("endpoint")
            seconds, report = best(lambda endpoint=endpoint, kw=kw: push_to_endpoint(endpoint, built=built, chunk_size=chunk_size, **creds,
                                                            **kw), repeat)
            assert report.found == report.expected
            rows.append((f"virtuoso: netgraph load ({name}, {report.chunk_size}/request)", total, seconds))
        report_rows(rows, None)
    finally:
        server.stop()
        shutil.rmtree(tmp, ignore_errors=True)


def report_rows(rows, base: float | None) -> None:
    print(f"{'path':58} {'triples':>8} {'seconds':>8} {'triples/s':>10} {'vs rdflib':>9}")
    for name, n, s in rows:
        ratio = f"{n / s / base:>8.1f}x" if base else f"{'':>9}"
        print(f"{name:58} {n:>8} {s:>8.3f} {n / s:>10,.0f} {ratio}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--root", type=Path, default=None)
    ap.add_argument("--chunk-size", type=int, default=None, help="triples per request (default: per store)")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--store", choices=("oxigraph", "virtuoso", "both"), default="both")
    args = ap.parse_args()

    from netgraph.paths import project_paths
    from netgraph.stores.canonical import load_built_graph

    root = project_paths(args.root).root
    built = load_built_graph(root)
    total = sum(len(p) for p in built.parts.values())
    print(f"graph: {root}  {total} triples in {len(built.parts)} named graphs; chunk size "
          f"{args.chunk_size or 'per store'}; best of {args.repeat}; each run verified by count and content")
    if args.store in ("oxigraph", "both"):
        bench_oxigraph(root, built, total, args.chunk_size, args.repeat)
    if args.store in ("virtuoso", "both"):
        bench_virtuoso(built, total, args.chunk_size, args.repeat)


if __name__ == "__main__":
    main()
