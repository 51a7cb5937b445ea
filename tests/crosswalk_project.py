"""A small, self-contained project tree for the crosswalk tests (not a test module).

It holds the real core ontology and the real obsolete-code table of this
checkout, and the fixture tables and SSSOM file of ``tests/fixtures/crosswalk``
(real mapping rows of netgraph, plus one negated row), so the tests do not
depend on how far the curators have got.
"""

from __future__ import annotations

import shutil
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
FIXTURE = HERE / "fixtures" / "crosswalk"


def make_project(dest: Path, *, build: bool = True) -> Path:
    """Copy the fixture project to ``dest`` (and build it); returns ``dest``."""
    (dest / "ontology").mkdir(parents=True, exist_ok=True)
    (dest / "data" / "tables").mkdir(parents=True, exist_ok=True)
    (dest / "data" / "mappings").mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "ontology" / "netgraph-edit.ttl", dest / "ontology" / "netgraph-edit.ttl")
    for name in ("classes.tsv", "entities.tsv", "sources.tsv", "associations.tsv"):
        shutil.copy(FIXTURE / name, dest / "data" / "tables" / name)
    shutil.copy(FIXTURE / "netgraph.sssom.tsv", dest / "data" / "mappings" / "netgraph.sssom.tsv")
    shutil.copy(ROOT / "data" / "mappings" / "obsolete_codes.tsv", dest / "data" / "mappings" / "obsolete_codes.tsv")
    if build:
        from netgraph.build import build as run_build

        run_build(dest)
    return dest


def replace_line(path: Path, old: str, new: str) -> int:
    """Replace the first line containing ``old`` by ``new``; returns its 1-based line number."""
    lines = path.read_text(encoding="utf-8").split("\n")
    for i, line in enumerate(lines):
        if old in line:
            lines[i] = new
            path.write_text("\n".join(lines), encoding="utf-8")
            return i + 1
    raise AssertionError(f"{old!r} not in {path}")


def append_line(path: Path, line: str) -> int:
    """Append a line (the file ends with or without a newline); returns its 1-based line number."""
    text = path.read_text(encoding="utf-8").rstrip("\n")
    path.write_text(text + "\n" + line + "\n", encoding="utf-8")
    return text.count("\n") + 2
