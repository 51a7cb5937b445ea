"""Benchmark `netgraph link`: rows per second and peak memory on a generated registry file.

Generates a CSV of N rows (default 1,000,000) in a temporary folder, shaped like a
registry extract: a record id, a year, and a code column that mixes the spellings
a data engineer meets (ORPHA:…, Orphanet_…, IRIs, MONDO, bare ICD-10 and ICD-O-3
codes, OMIM numbers), obsolete codes, codes netgraph has no mapping for (many of
them distinct, so the memo misses), malformed cells and empty cells. Then runs
the real command, `netgraph link FILE --column code -o OUT`, in a subprocess,
and reports wall time, rows per second and the child's peak RSS. Memory is
"flat" when the peak for N rows is about the peak for N/10 rows; the script
measures both and prints the ratio.

    .venv/bin/python benchmarks/bench_link.py              # 1,000,000 rows (and 100,000 for the ratio)
    .venv/bin/python benchmarks/bench_link.py --rows 200000 --format jsonl

Targets (issue 6): >= 100,000 rows/s, flat memory. Run it alone (2 cores).
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

from timing import stopwatch

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def code_pool(root: Path | None) -> tuple[list[str], list[str]]:
    """Known codes in several spellings, and obsolete codes, from the project's own mappings."""
    sys.path.insert(0, str(ROOT))
    from netgraph.crosswalk import load_index
    from netgraph.prefixes import expand

    index = load_index(root)
    known: list[str] = []
    for code in sorted(index.by_code):
        prefix, local = code.split(":", 1)
        known.append(code)
        if prefix == "ORPHA":
            known += [f"Orphanet:{local}", f"ORPHANET:{local}", f"Orphanet_{local}", expand(code), local]
        elif prefix == "MONDO":
            known += [expand(code), f"MONDO_{local}"]
        elif prefix in ("ICDO", "ICD10CM", "OMIM"):
            known += [local, f"{prefix.lower()}:{local}"]
    return known, sorted(index.obsolete)


def generate(path: Path, rows: int, seed: int = 6) -> None:
    rng = random.Random(seed)
    known, obsolete = code_pool(None)
    bad = ["", "n/a", "ORPHA:", "FOO:123", "see notes", "C25.4.9"]
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["record_id", "year", "code", "site"])
        for i in range(rows):
            r = rng.random()
            if r < 0.80:
                code = rng.choice(known)
            elif r < 0.85:
                code = rng.choice(obsolete)
            elif r < 0.95:
                code = f"ORPHA:{rng.randrange(1, 10_000_000)}"  # mostly unknown, mostly distinct
            else:
                code = rng.choice(bad)
            w.writerow([f"R{i:07d}", 2000 + i % 25, code, "registry-A"])


def run(path: Path, out: Path, fmt: str | None) -> tuple[float, int, str]:
    exe = [str(Path(sys.executable).with_name("netgraph"))]
    cmd = exe + ["link", str(path), "--column", "code", "-o", str(out), "--no-progress"]
    if fmt == "nt":
        cmd.append("--rdf")
    elif fmt:
        cmd += ["--format", fmt]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with stopwatch() as elapsed:
        proc = subprocess.run(cmd, capture_output=True, text=True)
    wall = elapsed.seconds
    if proc.returncode != 0:
        raise SystemExit(f"netgraph link failed ({proc.returncode}): {proc.stderr}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    # ru_maxrss of children is the largest child so far; runs go small to large, so it is this run's
    return wall, cpu, after.ru_maxrss, proc.stderr.strip()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--format", choices=["csv", "tsv", "jsonl", "nt"], default=None)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        results = []
        for rows in (max(args.rows // 10, 1), args.rows):
            src = Path(tmp) / f"registry-{rows}.csv"
            with stopwatch() as elapsed:
                generate(src, rows)
            gen = elapsed.seconds
            wall, cpu, peak, summary = run(src, Path(tmp) / "linked.out", args.format)
            with open(Path(tmp) / "linked.out", "rb") as fh:
                out_lines = sum(1 for _ in fh)
            results.append((rows, wall, cpu, peak))
            print(f"{rows:>9,} rows  input {src.stat().st_size / 1e6:6.1f} MB (generated in {gen:.1f} s)  "
                  f"link {wall:6.2f} s wall, {cpu:6.2f} s CPU  {rows / wall:>9,.0f} rows/s (wall, incl. start-up)  "
                  f"{rows / cpu:>9,.0f} rows/CPU-s  peak RSS {peak / 1024:6.1f} MiB  output lines {out_lines:,}")
            print(f"           {summary}")
        (small, _, _, p_small), (big, wall, cpu, p_big) = results
        print(f"memory: peak at {big:,} rows / peak at {small:,} rows = {p_big / p_small:.2f} (flat is about 1)")
        rate = big / wall
        print(f"target >= 100,000 rows/s: {'met' if rate >= 100_000 else 'NOT met'} ({rate:,.0f} rows/s wall; "
              f"{big / cpu:,.0f} rows per CPU second; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")


if __name__ == "__main__":
    main()
