"""How long `netgraph build` takes, and the canonical Turtle writer against rdflib's serializer.

Run: python benchmarks/bench_build.py [--repeat N]

Reports the median of N runs for: the whole compile (read + check every table,
assemble three graphs, serialise), the canonical writer on the three graphs, and
rdflib's own Turtle serializer on the same graphs (which is not deterministic
for blank nodes, hence the canonical writer), plus a cold `netgraph build --check`
process.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rdflib import Graph  # noqa: E402

from netgraph.build import compile_project  # noqa: E402
from netgraph.graphs import part_files  # noqa: E402
from netgraph.memgraph import MemoryGraph  # noqa: E402
from netgraph.turtle import to_turtle  # noqa: E402
from timing import median as timed  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    files = [f for part, f in part_files(ROOT).items() if part != "inferred"]
    graphs = [Graph().parse(f, format="turtle") for f in files]  # rdflib's serializer, from its own model
    ours = [MemoryGraph.parse(f) for f in files]  # netgraph's writer, from its own (pyoxigraph terms)
    triples = sum(len(g) for g in graphs)
    t_compile = timed(lambda: compile_project(ROOT), args.repeat)
    t_canon = timed(lambda: [to_turtle(g) for g in ours], args.repeat)
    t_rdflib = timed(lambda: [g.serialize(format="turtle") for g in graphs], args.repeat)
    t_cold = timed(lambda: subprocess.run([sys.executable, "-m", "netgraph", "build", "--check", "-q"], cwd=ROOT,
                                          check=True), max(1, args.repeat // 2))
    print(f"triples emitted:                    {triples}")
    print(f"compile (tables -> 3 files, in-process): {t_compile * 1000:8.1f} ms")
    print(f"cold `netgraph build --check` process:   {t_cold * 1000:8.1f} ms")
    print(f"canonical Turtle writer:                 {t_canon * 1000:8.1f} ms ({triples / t_canon:,.0f} triples/s)")
    print(f"rdflib Turtle serializer:                {t_rdflib * 1000:8.1f} ms ({triples / t_rdflib:,.0f} triples/s)")
    print(f"ratio rdflib / canonical:                {t_rdflib / t_canon:8.2f}x")


if __name__ == "__main__":
    main()
