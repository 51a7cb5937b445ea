"""netgraph's canonical Turtle writer (netgraph/turtle.py) against rdflib's ``longturtle`` serializer.

Run: python benchmarks/bench_turtle.py [--repeat N] [--seeds 0,1,2,12345]

On the three built graphs (ontology, instance data, mappings), for each writer:

- speed: median time to serialise all three (in-process, graphs already parsed, each
  writer from its own model: netgraph's writer from pyoxigraph triples in a
  :class:`~netgraph.memgraph.MemoryGraph`, ``longturtle`` from an rdflib Graph);
- determinism: a fresh process per PYTHONHASHSEED parses the emitted files and
  serialises them; the number of distinct SHA-256 digests of the output (1 = stable);
- parses: the output parses with rdflib and with pyoxigraph, and both give a
  graph isomorphic to the input;
- canonical literals: typed literals whose lexical form in the output is not the
  XSD canonical form (:func:`netgraph.literals.canonical_lexical`), and literals on
  which rdflib and Oxigraph, parsing the same output, disagree.

The figures and the decision are in the docstring of netgraph/turtle.py.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path
from collections.abc import Callable
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rdflib import Graph, Literal  # noqa: E402
from rdflib.compare import to_isomorphic  # noqa: E402

from netgraph.graphs import part_files  # noqa: E402
from netgraph.literals import canonical_lexical  # noqa: E402
from netgraph.memgraph import MemoryGraph  # noqa: E402
from netgraph.prefixes import bind_prefixes  # noqa: E402
from netgraph.turtle import to_turtle  # noqa: E402
from timing import median as timed  # noqa: E402

PARTS = ("ontology", "data", "mappings")


def load_graphs() -> list[Graph]:
    files = part_files(ROOT)
    graphs = []
    for part in PARTS:
        g = Graph().parse(files[part], format="turtle")
        bind_prefixes(g)
        graphs.append(g)
    return graphs


def load_memory_graphs() -> list[MemoryGraph]:
    files = part_files(ROOT)
    return [MemoryGraph.parse(files[part]) for part in PARTS]


def canonical_writer(g: MemoryGraph) -> bytes:
    return to_turtle(g)


def longturtle_writer(g: Graph) -> bytes:
    return g.serialize(format="longturtle", encoding="utf-8")


#: writer name -> (its input model's loader, the writer)
WRITERS: dict[str, tuple[Callable[[], list], Callable[[Any], bytes]]] = {
    "canonical": (load_memory_graphs, canonical_writer), "longturtle": (load_graphs, longturtle_writer)}


def digests_in_fresh_process(seed: str) -> dict[str, str]:
    """SHA-256 of each writer's output over the three graphs, in a process with this PYTHONHASHSEED."""
    code = ("import hashlib, json, sys; sys.path.insert(0, sys.argv[1]); "
            "from bench_turtle import WRITERS; "
            "print(json.dumps({n: hashlib.sha256(b''.join(w(g) for g in load())).hexdigest() "
            "for n, (load, w) in WRITERS.items()}))")
    env = {"PYTHONHASHSEED": seed, "PATH": "/usr/bin:/bin"}
    out = subprocess.run([sys.executable, "-c", code, str(ROOT / "benchmarks")], capture_output=True, text=True, check=True, env=env,
                         cwd=ROOT)
    return json.loads(out.stdout)


def literal_report(g: Graph, data: bytes) -> tuple[bool, int, int]:
    """(isomorphic in both parsers, non-canonical typed literals, literals the two parsers read differently)."""
    import pyoxigraph as ox

    back = Graph().parse(data=data.decode("utf-8"), format="turtle")
    ox_nt = ox.serialize(ox.parse(data, format=ox.RdfFormat.TURTLE), format=ox.RdfFormat.N_TRIPLES)
    via_ox = Graph().parse(data=ox_nt.decode("utf-8"), format="nt")
    same = to_isomorphic(back) == to_isomorphic(g) and len(via_ox) == len(g)
    typed = [o for o in back.objects() if isinstance(o, Literal) and o.datatype is not None]
    non_canonical = sum(1 for o in typed if str(o) != canonical_lexical(str(o), str(o.datatype)))
    rdf_forms = {(str(o), str(o.datatype)) for o in typed}
    ox_forms = {(str(o), str(o.datatype)) for o in via_ox.objects() if isinstance(o, Literal) and o.datatype is not None}
    return same, non_canonical, len(rdf_forms ^ ox_forms)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--seeds", default="0,1,2,12345")
    args = ap.parse_args()
    graphs = load_graphs()
    triples = sum(len(g) for g in graphs)
    print(f"triples: {triples} in {len(graphs)} graphs")
    digests = [digests_in_fresh_process(seed) for seed in args.seeds.split(",")]
    for name, (load, writer) in WRITERS.items():
        inputs = load()
        t = timed(lambda w=writer, gs=inputs: [w(g) for g in gs], args.repeat)
        outputs = [writer(g) for g in inputs]
        reports = [literal_report(g, out) for g, out in zip(graphs, outputs, strict=False)]
        distinct = len({d[name] for d in digests})
        print(f"{name:10s}  {t * 1000:8.1f} ms ({triples / t:,.0f} triples/s)  "
              f"{sum(len(o) for o in outputs):,} bytes  "
              f"digests over {len(digests)} hash seeds: {distinct} distinct  "
              f"parses back isomorphic (rdflib and oxigraph): {all(r[0] for r in reports)}  "
              f"non-canonical typed literals: {sum(r[1] for r in reports)}  "
              f"literals the two parsers read differently: {sum(r[2] for r in reports)}")
        sys.stdout.flush()
    print("sha256 per seed:", json.dumps(digests))


if __name__ == "__main__":
    main()
