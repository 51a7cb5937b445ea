"""`netgraph serve` latency under concurrent clients (median and 99th percentile), beside the alternatives.

Usage::

    .venv/bin/python benchmarks/bench_serve.py                 # 20 clients for 10 s on each path
    .venv/bin/python benchmarks/bench_serve.py --workload light --seconds 5
    .venv/bin/python benchmarks/bench_serve.py --workload light --only-serve   # the front alone

The workload (``--workload catalogue``, the default) is the canned-query
catalogue, run through the query API with each query's default parameters;
``--workload light`` is the four small queries of the concurrency test. Queries
go round robin, by ``--clients`` threads for ``--seconds`` (each client a
bounded loop). The same workload runs on:

- ``netgraph serve`` (the capped front + Oxigraph), through the remote backend;
- the bare Oxigraph server (``oxigraph serve-read-only``, no front), to show
  what the front costs;
- the embedded backend (pyoxigraph in this process), and
- the plain rdflib path (the rdflib backend, an rdflib ``Dataset`` in this
  process; one client, as rdflib's SPARQL parser is not thread-safe).

Every answer is checked against the embedded backend's rows. Printed per path:
queries answered, queries per second, median and 99th-percentile latency, and
the median's ratio to the rdflib path. Client and server share the machine's
two cores, and the Python clients hold the GIL, so run it alone.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from timing import stopwatch  # noqa: E402


#: the light workload: the four queries of tests/test_serve.py's concurrency test (raw SPARQL,
#: ordered engine-independently)
LIGHT = [
    "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g",
    "SELECT ?c (COUNT(?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c ORDER BY ?c",
    "SELECT ?l WHERE { netgraph:NeuroendocrineNeoplasm rdfs:label ?l } ORDER BY STR(?l) LANG(?l)",
    "SELECT ?s ?l WHERE { ?s rdfs:label ?l ; a owl:Class } ORDER BY ?s STR(?l) LANG(?l)",
]
# ORDER BY STR(?l) LANG(?l), not ORDER BY ?l: SPARQL leaves the order of literals with different
# language tags to the engine (Oxigraph and rdflib differ), and every path is checked against one answer.


def ask(kg, item: str):
    """Run one workload item: a canned query's name, or raw SPARQL."""
    return (kg.sparql(item) if " " in item else kg.query(item)).keys()


def workload(kg, kind: str) -> list[tuple[str, list]]:
    """The workload's queries and their rows on ``kg`` (the expected answers)."""
    from netgraph.errors import NetgraphError

    items = LIGHT if kind == "light" else sorted(kg.catalogue)
    out = []
    for item in items:
        try:
            out.append((item, ask(kg, item)))
        except NetgraphError:  # a default entity this graph lacks
            continue
    return out


def run(make_kg, queries, clients: int, seconds: float) -> tuple[list[float], int, int]:
    latencies: list[float] = []
    wrong = 0
    failed = 0
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def client(k: int) -> None:
        nonlocal wrong, failed
        kg = make_kg()
        for i in range(100_000):  # bounded
            if time.monotonic() > deadline:
                return
            name, expected = queries[(k + i) % len(queries)]
            try:
                with stopwatch() as elapsed:
                    rows = ask(kg, name)
            except Exception:  # counted and reported
                with lock:
                    failed += 1
                continue
            with lock:
                latencies.append(elapsed.seconds)
                wrong += rows != expected

    threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies, wrong, failed


def _wait_until_up(url: str, proc: subprocess.Popen, seconds: float = 30.0) -> None:
    import urllib.request

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"`netgraph serve` exited with {proc.returncode}")
        try:
            urllib.request.urlopen(url + "?query=ASK%7B%7D", timeout=1).read()
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit("`netgraph serve` did not answer within 30 s")


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(q * (len(values) - 1)))]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--root", type=Path, default=None)
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=10.0)
    ap.add_argument("--workload", choices=["catalogue", "light"], default="catalogue",
                    help="catalogue: every canned query with its defaults; light: the test's four small queries")
    ap.add_argument("--only-serve", action="store_true",
                    help="only the `netgraph serve` paths (to compare two versions of the front quickly)")
    args = ap.parse_args()

    from netgraph.api import open_graph
    from netgraph.graphs import GRAPH_IRIS, part_files
    from netgraph.paths import project_paths
    from netgraph.stores.serve import SparqlServer, free_port, oxigraph_executable

    root = project_paths(args.root).root
    embedded = open_graph(root=root)
    queries = workload(embedded, args.workload)
    print(f"graph: {root}; workload: {args.workload} ({len(queries)} queries); "
          f"{args.clients} clients x {args.seconds:g} s")

    results = {}
    n = args.clients
    # `netgraph serve` as users run it: its own process, so its front does not share the GIL with the
    # benchmark's client threads (in one process, 20 client threads starve the front's threads).
    serve_port = free_port()
    serve = subprocess.Popen([sys.executable, "-m", "netgraph", "serve", "--port", str(serve_port), "--root", str(root)],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    serve_url = f"http://127.0.0.1:{serve_port}/query"
    try:
        _wait_until_up(serve_url, serve)
        results[f"netgraph serve, {n} clients"] = run(
            lambda: open_graph(endpoint=serve_url, root=root), queries, n, args.seconds)
        results["netgraph serve, 1 client"] = run(
            lambda: open_graph(endpoint=serve_url, root=root), queries, 1, args.seconds)
    finally:
        serve.terminate()
        serve.wait(timeout=20)
    _guard_cost(embedded, queries)
    if args.only_serve:
        _report(results, args.seconds, None)
        return
    with SparqlServer(root, port=0) as server:
        results[f"netgraph serve in this process, {n} clients"] = run(
            lambda: open_graph(endpoint=server.query_url, root=root), queries, n, args.seconds)
        # the bare engine, on its own copy of the store
        tmp = Path(tempfile.mkdtemp(prefix="bench-serve-"))
        try:
            subprocess.run([oxigraph_executable(), "load", "--location", str(tmp / "db"), "--file",
                            str(part_files(root)["ontology"]), "--graph", GRAPH_IRIS["ontology"]], check=True,
                           capture_output=True)
            for part, path in part_files(root).items():
                if part != "ontology" and path.is_file():
                    subprocess.run([oxigraph_executable(), "load", "--location", str(tmp / "db"), "--file",
                                    str(path), "--graph", GRAPH_IRIS[part]], check=True, capture_output=True)
            port = free_port()
            proc = subprocess.Popen([oxigraph_executable(), "serve-read-only", "--location", str(tmp / "db"),
                                     "--bind", f"127.0.0.1:{port}", "--union-default-graph"],
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(0.5)
            try:
                results[f"bare oxigraph (no front), {n} clients"] = run(
                    lambda: open_graph(endpoint=f"http://127.0.0.1:{port}/query", root=root), queries,
                    args.clients, args.seconds)
            finally:
                proc.terminate()
                proc.wait(timeout=10)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    results[f"embedded (pyoxigraph), {n} threads"] = run(lambda: embedded, queries, n, args.seconds)
    results["embedded (pyoxigraph), 1 thread"] = run(lambda: embedded, queries, 1, args.seconds)
    # rdflib's SPARQL parser (pyparsing) is not thread-safe: the rdflib path runs one client
    rdflib_kg = open_graph(backend="rdflib", root=root)
    results["rdflib backend (plain rdflib), 1 thread"] = run(lambda: rdflib_kg, queries, 1, args.seconds)

    _report(results, args.seconds, statistics.median(results["rdflib backend (plain rdflib), 1 thread"][0]))


def _guard_cost(kg, queries) -> None:
    """What the front's query guard costs per query (the text the remote backend sends)."""
    try:
        from netgraph.querylimits import check_query_limits
    except ImportError:  # an older netgraph without the guard
        print("query guard: not in this version")
        return
    from netgraph.sparqltext import prepare

    texts = [prepare(item if " " in item else kg.catalogue[item].text).text for item, _ in queries]
    n = 2000
    with stopwatch() as elapsed:
        for i in range(n):
            check_query_limits(texts[i % len(texts)])
    print(f"query guard: {elapsed.seconds / n * 1e6:.0f} us per query "
          f"({sum(map(len, texts)) // len(texts)} characters on average)")


def _report(results, seconds: float, base: float | None) -> None:
    print(f"{'path':42} {'answers':>8} {'wrong':>6} {'failed':>6} {'q/s':>7} {'median ms':>10} {'p99 ms':>8} "
          f"{'median vs rdflib':>17}")
    for name, (lat, wrong, failed) in results.items():
        med = statistics.median(lat)
        ratio = f"{base / med:>16.1f}x" if base else f"{'':>17}"
        print(f"{name:42} {len(lat):>8} {wrong:>6} {failed:>6} {len(lat) / seconds:>7.1f} {med * 1000:>10.1f} "
              f"{pct(lat, 0.99) * 1000:>8.1f} {ratio}")


if __name__ == "__main__":
    main()
