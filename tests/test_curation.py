"""Curation checks against the shared folder: quotes, checksums, identifiers (issues 2 and 3).

These need ``../shared`` (the full source texts and the reference extracts). A
clone without it skips them and says why; CI always has it.
"""

from __future__ import annotations

import csv
import hashlib
import re
from functools import lru_cache
from pathlib import Path

from netgraph.build import normalise_whitespace
from netgraph.prefixes import converter
from netgraph.tables import read_table

ROOT = Path(__file__).resolve().parents[1]
TABLES = ROOT / "data" / "tables"
SSSOM = ROOT / "data" / "mappings" / "netgraph.sssom.tsv"


def table(name: str):
    path = TABLES / name
    header = next(l for l in path.read_text(encoding="utf-8").splitlines() if l and not l.startswith("#")).split("\t")
    return read_table(path, header[:1], header[1:])


def sssom_rows():
    header = next(l for l in SSSOM.read_text(encoding="utf-8").splitlines() if l and not l.startswith("#")).split("\t")
    return read_table(SSSOM, header[:1], header[1:])


def test_source_checksums_match_the_shared_files(shared_dir):
    for row in table("sources.tsv"):
        path = shared_dir / row["shared_path"]
        assert path.is_file(), f"sources.tsv:{row.line}: {row['shared_path']} not in the shared folder"
        assert hashlib.sha256(path.read_bytes()).hexdigest() == row["sha256"], f"sources.tsv:{row.line}"


def test_every_quote_is_verbatim_in_its_source(shared_dir):
    sources = {r["source_id"]: r for r in table("sources.tsv")}
    texts = {sid: normalise_whitespace((shared_dir / r["shared_path"]).read_text(encoding="utf-8"))
             for sid, r in sources.items()}
    missing = []
    for row in table("associations.tsv"):
        quote = normalise_whitespace(row["quote"])
        if quote not in texts[row["source"]]:
            missing.append(f"associations.tsv:{row.line}: quote not found in {row['source']}: {quote[:80]!r}")
    assert missing == []


def test_reference_quotes_come_from_the_cited_record(shared_dir):
    """A quote from a reference release must be in the line of that release's file that holds the record."""
    sources = {r["source_id"]: r for r in table("sources.tsv")}
    problems = []
    for row in table("associations.tsv"):
        src = sources[row["source"]]
        if src["kind"] != "reference-release":
            continue
        lines = [normalise_whitespace(l) for l in (shared_dir / src["shared_path"]).read_text(encoding="utf-8").splitlines()
                 if l.split("\t", 1)[0] == row["source_record"]]
        if not any(normalise_whitespace(row["quote"]) in l for l in lines):
            problems.append(f"associations.tsv:{row.line}: quote not in record {row['source_record']} of {src['shared_path']}")
    assert problems == []


@lru_cache(maxsize=1)
def _reference_ids(shared: str) -> frozenset[str]:
    conv = converter()
    token = re.compile(r"[A-Za-z][A-Za-z0-9.]*:[A-Za-z0-9_./-]+")
    ids: set[str] = set()
    for path in sorted(Path(shared, "reference").rglob("*.tsv")):
        for found in token.findall(path.read_text(encoding="utf-8")):
            ids.add(found)
            std = conv.standardize_curie(found)
            if std:
                ids.add(std)
    return frozenset(ids)


def test_every_external_identifier_is_in_the_reference_files(shared_dir):
    ids = _reference_ids(str(shared_dir))
    unknown = [f"netgraph.sssom.tsv:{r.line}: {r['object_id']}" for r in sssom_rows() if r["object_id"] not in ids]
    unknown += [f"associations.tsv:{r.line}: {r['source_record']}" for r in table("associations.tsv")
                if r["source_record"] and r["source_record"] not in ids]
    assert unknown == []


def test_no_live_mapping_to_an_obsolete_code(shared_dir):
    ref = shared_dir / "reference"
    obsolete = {r["orphanet_id"] for r in csv.DictReader((ref / "orphanet_obsolete.tsv").open(encoding="utf-8"), delimiter="\t")}
    for r in csv.DictReader((ref / "diseases.tsv").open(encoding="utf-8"), delimiter="\t"):
        if r["obsolete"] == "true":
            obsolete.add(r["mondo_id"])
    for r in csv.DictReader((ref / "full" / "ordo_labels.tsv").open(encoding="utf-8"), delimiter="\t"):
        if r["obsolete"] == "true":
            obsolete.add(r["orphanet_id"])
    used = [f"netgraph.sssom.tsv:{r.line}: {r['object_id']}" for r in sssom_rows() if r["object_id"] in obsolete]
    assert used == []


def test_the_build_needs_nothing_from_the_shared_folder(tmp_path, monkeypatch):
    """A clone without ../shared builds: the build reads only the repository's own files."""
    from test_build import copy_inputs

    from netgraph.build import compile_project

    root = copy_inputs(tmp_path / "lonely" / "project")
    monkeypatch.setenv("NETGRAPH_SHARED", str(tmp_path / "nowhere"))
    assert compile_project(root).counts["associations"] > 0
