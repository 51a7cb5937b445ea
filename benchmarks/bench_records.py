"""Records check speed and peak memory (issue 14 baseline; issue 15 adds the fast engine beside it).

Each size runs in its own process (so peak RSS is that run's alone), on a corpus
from records_corpus.py with 30 % injected errors:

    python benchmarks/bench_records.py --sizes 1000 10000 100000

Reports records/s, wall time and peak RSS per engine and size, and checks that
every injected error was found and nothing else.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _one(path: str, expected: str, engine: str, batch: int) -> dict:
    from netgraph.records.check import check_records

    start = time.perf_counter()
    report = check_records(path, batch_size=batch)
    wall = time.perf_counter() - start
    exp = {}
    for line in Path(expected).read_text().splitlines()[1:]:
        rid, rule = line.split("\t")
        exp[rid] = {rule}
    got: dict[str, set[str]] = {}
    for f in report.findings:
        got.setdefault(f.record_id, set()).add(f.rule)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"engine": engine, "records": report.records, "wall_s": round(wall, 2),
            "records_per_s": round(report.records / wall, 1), "peak_rss_mib": round(peak, 1),
            "exact": got == exp}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    ap.add_argument("--engine", default="pyshacl")
    ap.add_argument("--batch-size", type=int, default=2000)
    ap.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        print(json.dumps(_one(args.child[0], args.child[1], args.engine, args.batch_size)))
        return 0
    sys.path.insert(0, str(HERE))
    import records_corpus

    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            path, expected = Path(tmp, f"r{n}.csv"), Path(tmp, f"e{n}.tsv")
            records_corpus.write_corpus(path, n, expected=expected)
            out = subprocess.run([sys.executable, __file__, "--engine", args.engine, "--batch-size",
                                  str(args.batch_size), "--child", str(path), str(expected)],
                                 capture_output=True, text=True, check=True)
            print(out.stdout.strip(), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
