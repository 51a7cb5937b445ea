"""Records check speed and peak memory per engine (issue 14 baseline; issue 15 the fast engine beside it).

Each size and engine runs in its own process (so peak RSS is that run's alone),
on a corpus from records_corpus.py with 30 % injected errors:

    python benchmarks/bench_records.py --engine oxigraph --sizes 10000 100000 1000000
    python benchmarks/bench_records.py --engine pyshacl --sizes 1000 10000
    python benchmarks/bench_records.py --engine both --sizes 10000 100000
    python benchmarks/bench_records.py --remote --sizes 100000          # remote beside embedded

Reports, per engine and size, records/s, wall time, CPU time (user + sys of the
check and its worker processes: less sensitive to other load on the machine
than wall time), peak RSS (of the checking process, and of its largest worker
process), and for the oxigraph engine the split into conversion (CSV ->
N-Triples, in the checking process), bulk load and queries (summed over the
chunks of --chunk-size records, in --workers processes: with two workers the
sum exceeds the wall time); and checks that every injected error was found and
nothing else. With --engine both, both engines run on each size and the ratio
is printed. With --remote, a local Oxigraph server (the `oxigraph` binary on
PATH) is started on an empty directory, and `netgraph records load FILE
--endpoint URL` and `netgraph records check --endpoint URL` are timed as
commands (wall and peak RSS from /usr/bin/time), their findings compared with
the expected ones, and the ratio to the embedded engine on the same corpus is
printed. The 1-minute load average is given with each figure.
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


def _expected(expected: str) -> dict[str, set[str]]:
    exp: dict[str, set[str]] = {}
    for line in Path(expected).read_text().splitlines()[1:]:
        rid, rule = line.split("\t")
        exp[rid] = {rule}
    return exp


def _findings_csv(report: str) -> dict[str, set[str]]:
    """record id -> rules, of a CSV report."""
    import csv

    got: dict[str, set[str]] = {}
    with open(report, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            got.setdefault(row["record_id"], set()).add(row["rule"])
    return got


def _one(path: str, expected: str, engine: str, batch: int, chunk: int, workers: int | None) -> dict:
    """One check as `netgraph records check FILE -f csv -o REPORT` makes it (the findings streamed into the
    report chunk by chunk), timed; the report is compared with the expected findings after the measurement."""
    from datetime import date

    from netgraph.paths import project_paths
    from netgraph.records.check import _checker, stream_records_check
    from netgraph.records.engine import OxigraphEngine
    from netgraph.records.findings import RecordFinding
    from netgraph.records.reader import read_records
    from netgraph.records.stream import ReportWriter

    out = f"{path}.{engine}.report.csv"
    start, cpu0 = time.perf_counter(), time.process_time()
    split = {}
    with open(out, "w", encoding="utf-8", newline="") as fh:
        if engine == "oxigraph":  # the engine itself, for its timings (the corpus has no row that is not a record)
            checker = _checker(str(project_paths(None).root), date.today())
            eng = OxigraphEngine(checker, chunk_size=chunk, workers=workers)
            writer = ReportWriter(fh, "csv", source=path, rules=checker.shape_count, engine=engine)
            problems: list = []
            records = 0
            for c in eng.chunks(read_records(path, problems=problems)):
                records += c.records
                writer.write(sorted(c.findings, key=RecordFinding.sort_key))
            writer.close(records)
            assert not problems
            split = {"workers": eng.workers, **{k: round(v, 2) for k, v in eng.timings.items()}}
        else:
            report, chunks = stream_records_check(path, batch_size=batch, engine=engine)
            writer = ReportWriter(fh, "csv", source=path, rules=report.rules, engine=engine)
            for found in chunks:
                writer.write(found)
            writer.close(report.records)
            records = report.records
    wall = time.perf_counter() - start
    me, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = time.process_time() - cpu0 + children.ru_utime + children.ru_stime  # this process's and its workers'
    exact = _findings_csv(out) == _expected(expected)
    os.unlink(out)
    return {"engine": engine, "records": records, "wall_s": round(wall, 2),
            "records_per_s": round(records / wall, 1), "cpu_s": round(cpu, 1),
            "peak_rss_mib": round(me.ru_maxrss / 1024, 1), "worker_peak_rss_mib": round(children.ru_maxrss / 1024, 1),
            **split, "exact": exact, "load_avg_1min": round(os.getloadavg()[0], 2)}


def _timed(cmd: list[str]) -> tuple[float, float, subprocess.CompletedProcess]:
    """(wall s, peak RSS MiB, result) of a command, measured by /usr/bin/time."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as t:
        r = subprocess.run(["/usr/bin/time", "-o", t.name, "-f", "%e %M", *cmd], capture_output=True, text=True)
        wall, rss_kib = t.read().split()[-2:]
    return float(wall), round(int(rss_kib) / 1024, 1), r


def _remote(path: Path, expected: Path, n: int, tmp: str) -> dict:
    """`records load` and `records check --endpoint` against a local Oxigraph server on an empty store."""
    import socket
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"http://127.0.0.1:{port}/query"
    server = subprocess.Popen(["oxigraph", "serve", "--location", str(Path(tmp, f"server-{n}")), "--bind",
                               f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2)
                break
            except OSError as exc:
                if getattr(exc, "code", None) or time.monotonic() > deadline:
                    break
                time.sleep(0.2)
        netgraph = [sys.executable, "-m", "netgraph", "records"]
        load_s, load_rss, r = _timed([*netgraph, "load", str(path), "--endpoint", url, "--timeout", "3600"])
        if r.returncode:
            raise RuntimeError(f"records load failed: {r.stderr[-2000:]}")
        out = Path(tmp, f"findings-{n}.csv")
        check_s, check_rss, r = _timed([*netgraph, "check", "--endpoint", url, "-f", "csv", "-o", str(out),
                                        "--timeout", "3600"])
        if r.returncode not in (0, 1):
            raise RuntimeError(f"records check --endpoint failed: {r.stderr[-2000:]}")
        got = _findings_csv(str(out))
        out.unlink()
    finally:
        server.terminate()
        server.wait(timeout=30)
    return {"engine": "remote (oxigraph server)", "records": n, "load_wall_s": load_s, "load_peak_rss_mib": load_rss,
            "check_wall_s": check_s, "check_peak_rss_mib": check_rss,
            "records_per_s": round(n / check_s, 1), "exact": got == _expected(str(expected)),
            "load_avg_1min": round(os.getloadavg()[0], 2)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    ap.add_argument("--engine", choices=["oxigraph", "pyshacl", "both"], default="oxigraph")
    ap.add_argument("--batch-size", type=int, default=2000)
    ap.add_argument("--chunk-size", type=int, default=None, help="records per store (oxigraph engine; default: its own)")
    ap.add_argument("--remote", action="store_true", help="also time records load + check --endpoint on a local Oxigraph "
                    "server, beside the embedded engine(s) on the same corpus")
    ap.add_argument("--workers", type=int, default=None, help="worker processes (oxigraph engine; default: its own)")
    ap.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        from netgraph.records.engine import CHUNK_SIZE

        print(json.dumps(_one(args.child[0], args.child[1], args.engine, args.batch_size, args.chunk_size or CHUNK_SIZE,
                              args.workers)))
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
                                      str(args.batch_size), *(["--chunk-size", str(args.chunk_size)] if args.chunk_size else []),
                                      *(["--workers", str(args.workers)] if args.workers else []),
                                      "--child", str(path), str(expected)],
                                     capture_output=True, text=True, check=True)
                rows[engine] = json.loads(out.stdout)
                print(json.dumps(rows[engine]), flush=True)
            if args.remote:
                remote = _remote(path, expected, n, tmp)
                print(json.dumps(remote), flush=True)
                if "oxigraph" in rows:
                    print(json.dumps({"records": n, "remote_check_over_embedded": round(
                        remote["check_wall_s"] / rows["oxigraph"]["wall_s"], 2), "remote_load_and_check_over_embedded":
                        round((remote["load_wall_s"] + remote["check_wall_s"]) / rows["oxigraph"]["wall_s"], 2)}),
                          flush=True)
            if len(rows) == 2:
                ratio = rows["pyshacl"]["wall_s"] / rows["oxigraph"]["wall_s"]
                print(json.dumps({"records": n, "oxigraph_speedup_over_pyshacl": round(ratio, 1)}), flush=True)
            path.unlink()
    return 0


if __name__ == "__main__":
    sys.exit(main())
