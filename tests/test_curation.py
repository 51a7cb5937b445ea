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

from netgraph.prefixes import converter
from netgraph.sourcetext import json_cells, normalise_whitespace, plain_text, quote_in_text
from netgraph.tables import read_table, table_files

ROOT = Path(__file__).resolve().parents[1]
TABLES = ROOT / "data" / "tables"
SSSOM = ROOT / "data" / "mappings" / "netgraph.sssom.tsv"


def table(name: str):
    """Every row of a curated table, across its topic files (``associations.tsv`` + ``associations-*.tsv``)."""
    rows = []
    for path in table_files(TABLES, name.removesuffix(".tsv")):
        header = next(ln for ln in path.read_text(encoding="utf-8").splitlines() if ln and not ln.startswith("#")).split("\t")
        rows.extend(read_table(path, header[:1], header[1:]))
    return rows


def where(row) -> str:
    return f"{row.path.name}:{row.line}"


def source_text(shared_dir, src) -> str:
    """The quotable text of a source: the vendored copy when there is one, else the shared file."""
    path = ROOT / src["repo_path"] if src["repo_path"] else shared_dir / src["shared_path"]
    return plain_text(path.read_text(encoding="utf-8"))


def record_lines(path: Path, record: str) -> list[str]:
    """The lines (or, for a JSON table, the cells) of a reference file that hold ``record``.

    The record key is the file's first column; an Orphanet file keys by the bare
    ORPHAcode, so ``ORPHA:97253`` also matches ``97253``. A JSON file (a SEER table)
    is one record, named by its ``id``; each string cell is one line.
    """
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".json":
        import json

        return json_cells(text) if json.loads(text).get("id") == record else []
    keys = {record, record.split(":", 1)[-1]} if record.startswith("ORPHA:") else {record}
    return [normalise_whitespace(line) for line in text.splitlines()
            if not line.startswith("#") and line.split("\t", 1)[0] in keys]


def sssom_rows():
    header = next(ln for ln in SSSOM.read_text(encoding="utf-8").splitlines() if ln and not ln.startswith("#")).split("\t")
    return read_table(SSSOM, header[:1], header[1:])


def test_source_checksums_match_the_shared_files(shared_dir):
    for row in table("sources.tsv"):
        path = shared_dir / row["shared_path"]
        assert path.is_file(), f"sources.tsv:{row.line}: {row['shared_path']} not in the shared folder"
        assert hashlib.sha256(path.read_bytes()).hexdigest() == row["sha256"], f"sources.tsv:{row.line}"


def test_vendored_sources_are_the_shared_files_unchanged(shared_dir):
    for row in (r for r in table("sources.tsv") if r["repo_path"]):
        assert (ROOT / row["repo_path"]).read_bytes() == (shared_dir / row["shared_path"]).read_bytes(), where(row)


def test_public_domain_texts_are_vendored_so_any_clone_checks_their_quotes():
    """Every PDQ summary and NCI page the tables list is in the repository, with its recorded checksum."""
    for row in table("sources.tsv"):
        if row["kind"] in ("professional-summary", "agency-page"):
            assert row["repo_path"], f"{where(row)}: public-domain source {row['source_id']} is not vendored"
            assert hashlib.sha256((ROOT / row["repo_path"]).read_bytes()).hexdigest() == row["sha256"], where(row)


def _check_quotes(texts) -> list[str]:
    missing = []
    for row in table("associations.tsv") + table("record-rules.tsv"):
        if not row["source"]:
            continue
        text = texts(row["source"])
        if text is not None and not quote_in_text(row["quote"], text):
            missing.append(f"{where(row)}: quote not found in {row['source']}: {normalise_whitespace(row['quote'])[:80]!r}")
    return missing


def test_every_quote_is_verbatim_in_its_source(shared_dir):
    sources = {r["source_id"]: r for r in table("sources.tsv")}
    texts = {sid: source_text(shared_dir, r) for sid, r in sources.items()}
    assert _check_quotes(texts.get) == []


def test_quotes_from_vendored_texts_are_checked_without_the_shared_folder():
    """A clone without ../shared still verifies every quote from a vendored public-domain text."""
    sources = {r["source_id"]: r for r in table("sources.tsv") if r["repo_path"]}
    texts = {sid: plain_text((ROOT / r["repo_path"]).read_text(encoding="utf-8")) for sid, r in sources.items()}
    assert _check_quotes(texts.get) == []


def test_reference_quotes_come_from_the_cited_record(shared_dir):
    """A quote from a reference release must be in the line of that release's file that holds the record."""
    sources = {r["source_id"]: r for r in table("sources.tsv")}
    problems = []
    for row in table("associations.tsv"):
        src = sources[row["source"]]
        if src["kind"] != "reference-release":
            continue
        lines = record_lines(shared_dir / src["shared_path"], row["source_record"])
        if not any(normalise_whitespace(row["quote"]) in ln for ln in lines):
            problems.append(f"{where(row)}: quote not in record {row['source_record']} of {src['shared_path']}")
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
    # The ICD files key their rows by bare codes (first column): ICD-10-CM and ICD-O-3 morphology.
    for prefix, name in (("ICD10CM", "icd10cm_2026_nen_codes.tsv"), ("ICDO", "icdo3_morphology_nen_ohdsi.tsv")):
        for line in Path(shared, "reference", "icd", name).read_text(encoding="utf-8").splitlines()[1:]:
            if line and not line.startswith("#"):
                ids.add(f"{prefix}:{line.split(chr(9), 1)[0]}")
    return frozenset(ids)


def test_every_external_identifier_is_in_the_reference_files(shared_dir):
    ids = _reference_ids(str(shared_dir))
    unknown = [f"netgraph.sssom.tsv:{r.line}: {r['object_id']}" for r in sssom_rows() if r["object_id"] not in ids]
    unknown += [f"{where(r)}: {r['source_record']}" for r in table("associations.tsv")
                if ":" in r["source_record"] and r["source_record"] not in ids]  # CURIE-shaped record keys only
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
