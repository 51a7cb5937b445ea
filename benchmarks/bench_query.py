"""Query speed: the embedded Oxigraph backend beside a plain rdflib Graph, and the cold CLI.

Usage::

    .venv/bin/python benchmarks/bench_query.py               # the built graph of this checkout
    .venv/bin/python benchmarks/bench_query.py --repeat 9 --cold 15 --json
    .venv/bin/python benchmarks/bench_query.py --scale 10 --cold-only --rdflib-runs 1   # ten times the graph

Two measurements, each reported in milliseconds and as a ratio:

1. **Canned queries, warm.** Every query of the catalogue (default parameters)
   runs through :class:`netgraph.api.KnowledgeGraph` on the embedded backend
   (pyoxigraph, in memory) and on the rdflib backend over a *plain rdflib
   Graph* holding the same triples (rdflib's own SPARQL engine). Same prepared
   text, same bound parameters, same rows (checked). Median of ``--repeat`` runs
   after one warm-up run. Reported: each query's ratio, the ratio on the
   catalogue's median query (the query whose rdflib time is the median), and
   the ratio of the median times. Target: embedded at least 10 times faster.

2. **Cold start.** Wall time of ``netgraph query tumours-secreting-hormone
   --param hormone=insulin --format tsv`` as a fresh process (``--cold`` runs,
   median), beside a fresh Python process doing the same with plain rdflib
   (parse the Turtle, run the same query text; ``--rdflib-runs`` runs, median:
   one takes about 2 minutes at ``--scale 10``). Target: under 200 ms, and at
   ten times the graph (``--scale 10``, :mod:`scaling`) still under 200 ms and
   at least 10 times faster than the plain rdflib process. The CLI opens the
   prebuilt on-disk store (:mod:`netgraph.storecache`), which ``netgraph
   build`` makes; the benchmark prebuilds it for a scaled graph the same way.
   The children import a copy of the package whose bytecode is compiled first
   (``python -m compileall``), as a wheel install leaves it: a checkout run
   under ``PYTHONDONTWRITEBYTECODE=1`` would recompile every module at every
   start (about 45 ms). The start without that bytecode is reported beside it.

Run it alone: the machine's two cores do not give stable timings under load.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from timing import command_runs, imported_package, median  # noqa: E402

COLD_ARGS = ["query", "tumours-secreting-hormone", "--param", "hormone=insulin", "--format", "tsv"]

RDFLIB_COLD = """
import sys
from rdflib import Graph, URIRef, Variable
from netgraph.catalogue import load_catalogue
from netgraph.graphs import part_files
from netgraph.sparqltext import prepare
g = Graph()
for f in part_files(sys.argv[1]).values():
    if f.is_file():
        g.parse(f, format="turtle")
q = prepare(load_catalogue(sys.argv[1])["tumours-secreting-hormone"].text, strict=True)
from netgraph.prefixes import expand
rows = g.query(q.text, initBindings={Variable("_hormone"): URIRef(expand("netgraph:Insulin")),
                                     Variable("_subtypes"): __import__("rdflib").Literal(True)})
sys.stdout.write("\\n".join("\\t".join(str(c) for c in r) for r in rows))
"""


def median_ms(fn, repeat: int) -> float:
    """Median of ``repeat`` runs in ms, after one warm-up run (entity resolution is cached per graph)."""
    return median(fn, repeat, warmup=1) * 1000


def warm(root: Path, repeat: int) -> dict:
    from rdflib import Graph

    from netgraph.api import open_graph
    from netgraph.graphs import part_files

    embedded = open_graph(root=root)
    plain = Graph()
    for f in part_files(root).values():
        if f.is_file():
            plain.parse(f, format="turtle")
    rdf = open_graph(plain, root=root)
    rows = []
    for name in sorted(embedded.catalogue):
        a, b = embedded.query(name), rdf.query(name)
        if a.keys() != b.keys():
            raise SystemExit(f"{name}: the backends disagree; fix that before timing")
        emb = median_ms(lambda name=name: embedded.query(name), repeat)
        rdf_ms = median_ms(lambda name=name: rdf.query(name), max(3, repeat // 2))
        rows.append({"query": name, "rows": len(a), "embedded_ms": emb, "rdflib_ms": rdf_ms, "ratio": rdf_ms / emb})
    by_rdflib = sorted(rows, key=lambda r: r["rdflib_ms"])
    median_query = by_rdflib[len(by_rdflib) // 2]
    return {
        "triples": len(plain),
        "queries": rows,
        "median_query": median_query["query"],
        "median_query_ratio": median_query["ratio"],
        "median_embedded_ms": statistics.median(r["embedded_ms"] for r in rows),
        "median_rdflib_ms": statistics.median(r["rdflib_ms"] for r in rows),
        "median_of_ratios": statistics.median(r["ratio"] for r in rows),
    }


def wall_ms(cmd: list[str], runs: int, env: dict, cwd: Path | None = None) -> tuple[float, float]:
    """Median wall time and median CPU time (user + system) in ms of ``runs`` fresh processes of ``cmd``."""
    walls, cpus = command_runs(cmd, runs, env, cwd=str(cwd) if cwd else None)
    return statistics.median(walls) * 1000, statistics.median(cpus) * 1000


def compiled_package(into: Path) -> tuple[Path, int]:
    """A copy of the netgraph package in ``into`` with its bytecode compiled, as a wheel install leaves it;
    (the directory to put on PYTHONPATH, the number of modules compiled)."""
    import netgraph

    dest = into / "netgraph"
    shutil.copytree(Path(netgraph.__file__).parent, dest, ignore=shutil.ignore_patterns("__pycache__"))
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(dest)], check=True)
    return into, sum(1 for _ in dest.rglob("*.pyc"))


def cold(root: Path, runs: int, rdflib_runs: int) -> dict:
    """The cold CLI, compiled copy and this checkout run in turn (so a drift in the machine's speed, which
    is large on a shared VM, falls on both alike), beside bare Python and a plain rdflib script."""
    env = {**os.environ, "NETGRAPH_ROOT": str(root)}
    exe = Path(sys.executable).with_name("netgraph")
    cli = [str(exe)] if exe.exists() else [sys.executable, "-m", "netgraph"]
    with tempfile.TemporaryDirectory(prefix="bench-query-pkg-") as tmp:
        path, modules = compiled_package(Path(tmp))
        compiled_env = {**env, "PYTHONPATH": os.pathsep.join(p for p in (str(path), env.get("PYTHONPATH")) if p)}
        # run from the copy's folder: `python -c` puts the working directory first on sys.path
        if imported_package(compiled_env, path) != path / "netgraph":
            raise SystemExit(f"the children do not import the compiled copy in {path}; check PYTHONPATH")
        print(f"bytecode: compiled {modules} modules of netgraph with `python -m compileall` into {path} "
              "(as a wheel install does); the timed children import netgraph from there", file=sys.stderr)
        runs_of: dict[str, tuple[list[float], list[float]]] = {k: ([], []) for k in ("python", "compiled", "checkout")}
        for _ in range(runs):
            for key, cmd, run_env, cwd in (("python", [sys.executable, "-c", "pass"], env, None),
                                           ("compiled", cli + COLD_ARGS, compiled_env, str(path)),
                                           ("checkout", cli + COLD_ARGS, env, None)):  # as PYTHONDONTWRITEBYTECODE leaves it
                walls, cpus = command_runs(cmd, 1, run_env, cwd=cwd)
                runs_of[key][0].extend(walls)
                runs_of[key][1].extend(cpus)
        rdflib_ms, rdflib_cpu_ms = (wall_ms([sys.executable, "-c", RDFLIB_COLD, str(root)], rdflib_runs, compiled_env,
                                            path) if rdflib_runs > 0 else (None, None))

    def ms(key: str, which: int = 0, pick=statistics.median) -> float:
        return pick(runs_of[key][which]) * 1000

    netgraph_ms = ms("compiled")
    return {"command": "netgraph " + " ".join(COLD_ARGS), "python_startup_ms": ms("python"),
            "netgraph_ms": netgraph_ms, "netgraph_best_ms": ms("compiled", pick=min),
            "netgraph_cpu_ms": ms("compiled", 1), "netgraph_uncompiled_ms": ms("checkout"),
            "netgraph_uncompiled_cpu_ms": ms("checkout", 1), "bytecode_modules": modules, "rdflib_ms": rdflib_ms,
            "rdflib_cpu_ms": rdflib_cpu_ms,
            "rdflib_runs": rdflib_runs, "ratio": rdflib_ms / netgraph_ms if rdflib_ms else None, "target_ms": 200}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--root", type=Path, default=ROOT, help="project tree whose built graph to query")
    ap.add_argument("--repeat", type=int, default=7, help="timed runs per query (median)")
    ap.add_argument("--cold", type=int, default=9, help="cold-start runs (median)")
    ap.add_argument("--rdflib-runs", type=int, default=3,
                    help="cold plain-rdflib runs (median; one takes about 2 minutes at --scale 10; 0 skips them)")
    ap.add_argument("--json", action="store_true", help="print the numbers as JSON")
    ap.add_argument("--scale", type=int, default=1, help="copies of the data and mappings graphs (see scaling.py)")
    ap.add_argument("--cold-only", action="store_true", help="skip the warm per-query comparison")
    args = ap.parse_args()
    tmp = None
    root = args.root
    if args.scale > 1:
        from scaling import scaled_root

        tmp = Path(tempfile.mkdtemp(prefix="bench-query-"))
        root = scaled_root(root, args.scale, tmp / "project")
    cache = Path(tempfile.mkdtemp(prefix="bench-query-cache-"))
    os.environ["NETGRAPH_CACHE_DIR"] = str(cache)  # a private cache, prebuilt as `netgraph build` would
    try:
        from netgraph.storecache import prebuild_store

        prebuild_store(root)
        report(root, args)
    finally:
        shutil.rmtree(cache, ignore_errors=True)
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)


def report(root: Path, args: argparse.Namespace) -> None:
    w = None if args.cold_only else warm(root, args.repeat)
    c = cold(root, args.cold, args.rdflib_runs)
    if args.json:
        print(json.dumps({"scale": args.scale, "warm": w, "cold": c}, indent=2))
        return
    if w is None:
        print_cold(c, args.cold)
        return
    print(f"canned queries on {w['triples']} triples: embedded (pyoxigraph) vs plain rdflib Graph, "
          f"median of {args.repeat} warm runs")
    print(f"{'query':34s} {'rows':>5s} {'embedded ms':>12s} {'rdflib ms':>10s} {'ratio':>7s}")
    for r in w["queries"]:
        print(f"{r['query']:34s} {r['rows']:5d} {r['embedded_ms']:12.2f} {r['rdflib_ms']:10.1f} {r['ratio']:6.0f}x")
    print(f"median query ({w['median_query']}): {w['median_query_ratio']:.0f}x faster embedded; "
          f"median times {w['median_embedded_ms']:.2f} ms vs {w['median_rdflib_ms']:.1f} ms "
          f"({w['median_rdflib_ms'] / w['median_embedded_ms']:.0f}x); median of ratios {w['median_of_ratios']:.0f}x "
          "(target: >= 10x)")
    print()
    print_cold(c, args.cold)


def print_cold(c: dict, runs: int) -> None:
    print(f"cold start, median of {runs} fresh processes (taken in turn with the others): `{c['command']}`")
    print(f"  netgraph CLI {c['netgraph_ms']:.0f} ms wall (best {c['netgraph_best_ms']:.0f} ms), "
          f"{c['netgraph_cpu_ms']:.0f} ms CPU, with its bytecode "
          f"compiled ({c['bytecode_modules']} modules) (target < {c['target_ms']} ms; bare python startup "
          f"{c['python_startup_ms']:.0f} ms)")
    print(f"  the same from this checkout without bytecode: {c['netgraph_uncompiled_ms']:.0f} ms wall, "
          f"{c['netgraph_uncompiled_cpu_ms']:.0f} ms CPU")
    if c["rdflib_ms"] is None:
        print("  plain rdflib script: not run (--rdflib-runs 0)")
        return
    print(f"  plain rdflib script {c['rdflib_ms']:.0f} ms wall, {c['rdflib_cpu_ms']:.0f} ms CPU (median of "
          f"{c['rdflib_runs']}): the CLI is {c['ratio']:.1f}x faster")


if __name__ == "__main__":
    main()
