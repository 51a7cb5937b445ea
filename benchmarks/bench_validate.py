"""How long `netgraph validate` takes, with and without the reasoner.

Usage::

    .venv/bin/python benchmarks/bench_validate.py            # the built graph of this checkout
    .venv/bin/python benchmarks/bench_validate.py --synthetic  # a NET-shaped graph of the target size

``--synthetic`` builds, in a temporary folder, a project of the size the real
graph is heading for (100 classes, 200 individuals, 500 associations, 800
mappings) from the real core ontology with ``netgraph build``, so the timing
does not wait for the curators. Each configuration runs ``--repeat`` times in a
fresh process (``python -m netgraph validate``): with the reasoner and with
``--no-reasoner``, with the compiled SHACL engine (the default) and with
``--engine pyshacl``; ``--baseline /work/main`` runs another checkout's code on
the same graph side by side (before/after). The best and median wall-clock
times and the peak RSS of the process are printed, with the plain rdflib path
(rdflib parses the files, pySHACL alone) for comparison.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from netgraph.build import build  # noqa: E402
from netgraph.model import CoreModel  # noqa: E402
from netgraph.paths import project_paths  # noqa: E402
from timing import imported_package, stopwatch  # noqa: E402

PREFIXES = ("ORPHA", "MONDO", "NCIT", "DOID", "ICD10CM", "UMLS", "MESH", "ICDO")
LOCALS = {"ORPHA": "{n}", "MONDO": "{n:07d}", "NCIT": "C{n}", "DOID": "{n}", "ICD10CM": "C{d:02d}.{n}",
          "UMLS": "C{n:07d}", "MESH": "D{n:06d}", "ICDO": "{q:04d}/3"}


def synthetic_project(target: Path, classes: int = 100, individuals: int = 200, associations: int = 500,
                      mappings: int = 800) -> Path:
    """Write and build a NET-shaped project tree of the given size under ``target``."""
    (target / "ontology").mkdir(parents=True)
    (target / "data" / "tables").mkdir(parents=True)
    (target / "data" / "mappings").mkdir(parents=True)
    shutil.copy(ROOT / "ontology" / "netgraph-edit.ttl", target / "ontology")
    shared = target.parent / "shared"
    (shared / "sources").mkdir(parents=True)
    (shared / "reference").mkdir(parents=True)
    core = CoreModel.load(target / "ontology" / "netgraph-edit.ttl")
    t = target / "data" / "tables"
    quotes = [f"sentence number {i} of the synthetic source text." for i in range(associations)]
    text = ("Synthetic patient information. " + " ".join(quotes)).encode()
    (shared / "sources" / "synthetic.txt").write_bytes(text)
    sha = hashlib.sha256(text).hexdigest()
    (t / "sources.tsv").write_text(
        "source_id\tkind\ttitle\tpublisher\tlanguage\tdate\turl\tshared_path\tsha256\tlicense\tnote\n"
        f"synthetic\tpatient-information\tSynthetic NET text\tBench\ten\t2020\t\tsources/synthetic.txt\t{sha}\t\t\n")
    types = ("Hormone", "SymptomOrSign", "AnatomicalSite", "DiagnosticProcedure", "Intervention")
    ents = ["id\ttype\tlabel_en\tlabel_nl\tdefinition"]
    for i in range(individuals):
        ents.append(f"Entity{i}\t{types[i % len(types)]}\tentity {i}\tentiteit {i}\tSynthetic entity {i}.")
    (t / "entities.tsv").write_text("\n".join(ents) + "\n")
    rows = ["id\tparents\tlabel_en\tdefinition\tsecretes\tprimary_site"]
    for i in range(classes):
        parent = "NeuroendocrineTumour" if i < 10 else f"Tumour{i // 10 - 1}"
        secretes = f"Entity{(i * 5) % individuals}" if i % 7 == 0 else ""
        site = f"Entity{(i * 5 + 2) % individuals}" if i % 5 == 0 else ""
        rows.append(f"Tumour{i}\t{parent}\ttumour {i}\tA synthetic tumour class {i}.\t{secretes}\t{site}")
    (t / "classes.tsv").write_text("\n".join(rows) + "\n")
    kinds = [("produces", "Tumour{c}", "Entity{h}"), ("presents_with", "Tumour{c}", "Entity{s}"),
             ("arises_in", "Tumour{c}", "Entity{a}"), ("diagnosed_by", "Tumour{c}", "Entity{d}"),
             ("treated_by", "Tumour{c}", "Entity{v}")]
    assoc = ["kind\tsubject\tobject\tfrequency\tsource\tquote"]
    for i in range(associations):
        kind, s, o = kinds[i % len(kinds)]
        n = (i * 5) % individuals
        ids = {"c": i % classes, "h": n, "s": n + 1, "a": n + 2, "d": n + 3, "v": n + 4}
        assoc.append(f"{kind}\t{s.format(**ids)}\t{o.format(**ids)}\tOften\tsynthetic\t{quotes[i]}")
    (t / "associations.tsv").write_text("\n".join(assoc) + "\n")
    maps = ["subject_id\tpredicate_id\tobject_id\tmapping_justification"]
    for i in range(mappings):
        prefix = PREFIXES[i % len(PREFIXES)]
        local = LOCALS[prefix].format(n=1000 + i, d=i % 100, q=(8000 + i) % 10000)
        subject = f"Tumour{i % classes}" if i % 3 else f"Entity{i % individuals}"
        maps.append(f"netgraph:{subject}\tskos:closeMatch\t{prefix}:{local}\tsemapv:ManualMappingCuration")
    (target / "data" / "mappings" / "netgraph.sssom.tsv").write_text("\n".join(maps) + "\n")
    assert core.association_kinds
    build(target)
    return target


def _run(cmd: list[str], env: dict, cwd: Path) -> tuple[float, float, int]:
    """Run ``cmd`` in ``cwd``; (wall seconds, peak RSS in MB of the child, exit code)."""
    with stopwatch() as elapsed:
        proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=cwd)
        _pid, status, usage = os.wait4(proc.pid, 0)
    wall = elapsed.seconds
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode() if proc.stderr else ""
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}): {err[-2000:]}")
    return wall, usage.ru_maxrss / 1024, proc.returncode


_PLAIN = """
import sys
from pyshacl import validate
from rdflib import Graph
from netgraph.graphs import part_files
from netgraph.paths import project_paths
from netgraph.validation import shapes_graph
root = sys.argv[1]
g = Graph()
for f in part_files(root).values():
    if f.is_file():
        g.parse(f)
validate(g, shacl_graph=shapes_graph(project_paths(root)).to_rdflib(), inference="none", allow_warnings=True)
"""


def _configs(code: Path, root: Path, engines: bool) -> list[tuple[str, list[str]]]:
    base = [sys.executable, "-m", "netgraph", "validate", "--root", str(root), "--format", "json"]
    out = []
    for reasoner in (True, False):
        label = "with reasoner" if reasoner else "--no-reasoner"
        flags = [] if reasoner else ["--no-reasoner"]
        if engines:
            out.append((f"{label}, compiled SHACL (auto)", base + flags))
            out.append((f"{label}, --engine pyshacl", base + flags + ["--engine", "pyshacl"]))
        else:
            out.append((label, base + flags))
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--synthetic", action="store_true", help="time a synthetic graph of the target size")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--baseline", type=Path, default=None, metavar="CHECKOUT",
                        help="another checkout (e.g. /work/main) whose code validates the same graph, side by side")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        root = synthetic_project(Path(tmp) / "project") if args.synthetic else project_paths().root
        env = dict(os.environ)
        if args.synthetic:
            env["NETGRAPH_SHARED"] = str(Path(tmp) / "shared")
        codes = [("this checkout", ROOT, True)]
        if args.baseline is not None:
            codes.append((f"baseline {args.baseline}", args.baseline.resolve(), False))
        print(f"graph: {root}; {args.repeat} runs each; wall time (best, median) and peak RSS of the process")
        rows = []
        for name, code, engines in codes:
            run_env = {**env, "PYTHONPATH": str(code)}
            # run in the checkout: `python -m` puts the working directory first on sys.path
            if imported_package(run_env, code) != code / "netgraph":
                raise SystemExit(f"the children do not import netgraph from {code}")
            for label, cmd in _configs(code, root, engines):
                runs = [_run(cmd, run_env, code) for _ in range(args.repeat)]
                rows.append((name, label, runs))
        plain = [_run([sys.executable, "-c", _PLAIN, str(root)], {**env, "PYTHONPATH": str(ROOT)}, ROOT)
                 for _ in range(args.repeat)]
        rows.append(("plain rdflib + pySHACL", "shapes only, no QC, no reasoner", plain))
        for name, label, runs in rows:
            walls = [w for w, _, _ in runs]
            rss = max(r for _, r, _ in runs)
            print(f"{name:<34} {label:<42} best {min(walls):6.2f} s  median {statistics.median(walls):6.2f} s  "
                  f"peak RSS {rss:6.0f} MB  exit {runs[0][2]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
