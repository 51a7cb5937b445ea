"""Records check speed and peak memory per engine (issue 14 baseline; issue 15 the fast engine beside it).

Each size and engine runs in its own process (so peak RSS is that run's alone),
on a corpus from records_corpus.py with 30 % injected errors:

    python benchmarks/bench_records.py --engine oxigraph --sizes 10000 100000 1000000
    python benchmarks/bench_records.py --engine pyshacl --sizes 1000 10000

Reports, per engine and size, records/s, wall time, peak RSS, and for the
oxigraph engine the split into conversion (CSV -> N-Triples), bulk load and
queries; and checks that every injected error was found and nothing else.
With --engine both, both engines run on each size and the ratio is printed.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _one(path: str, expected: str, engine: str, batch: int) -> dict:
    from datetime import date

    from netgraph.records.check import _checker, _input_findings, check_records
    from netgraph.records.engine import OxigraphEngine
    from netgraph.records.reader import read_records

    start = time.perf_counter()
    split = {}
    if engine == "oxigraph":
        from netgraph.paths import project_paths

        eng = OxigraphEngine(_checker(str(project_paths(None).root), date.today()))
        problems: list = []
        records, findings = eng.check(read_records(path, problems=problems))
        findings += _input_findings(problems)
        split = {k: round(v, 2) for k, v in eng.timings.items()}
    else:
        report = check_records(path, batch_size=batch, engine=engine)
        records, findings = report.records, report.findings
    wall = time.perf_counter() - start
    exp = {}
    for line in Path(expected).read_text().splitlines()[1:]:
        rid, rule = line.split("\t")
        exp[rid] = {rule}
    got: dict[str, set[str]] = {}
    for f in findings:
        got.setdefault(f.record_id, set()).add(f.rule)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"engine": engine, "records": records, "wall_s": round(wall, 2),
            "records_per_s": round(records / wall, 1), "peak_rss_mib": round(peak, 1), **split,
            "exact": got == exp, "load_avg_1min": round(os.getloadavg()[0], 2)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    ap.add_argument("--engine", choices=["oxigraph", "pyshacl", "both"], default="oxigraph")
    ap.add_argument("--batch-size", type=int, default=2000)
    ap.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        print(json.dumps(_one(args.child[0], args.child[1], args.engine, args.batch_size)))
        return 0
    sys.path.insert(0, str(HERE))
    import records_corpus

    engines = ["oxigraph", "pyshacl"] if args.engine == "both" else [args.engine]
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            path, expected = Path(tmp, f"r{n}.csv"), Path(tmp, f"e{n}.tsv")
            records_corpus.write_corpus(path, n, expected=expected)
            rows = {}
            for engine in engines:
                out = subprocess.run([sys.executable, __file__, "--engine", engine, "--batch-size",
                                      str(args.batch_size), "--child", str(path), str(expected)],
                                     capture_output=True, text=True, check=True)
                rows[engine] = json.loads(out.stdout)
                print(json.dumps(rows[engine]), flush=True)
            if len(rows) == 2:
                ratio = rows["pyshacl"]["wall_s"] / rows["oxigraph"]["wall_s"]
                print(json.dumps({"records": n, "oxigraph_speedup_over_pyshacl": round(ratio, 1)}), flush=True)
            path.unlink()
    return 0


if __name__ == "__main__":
    sys.exit(main())
