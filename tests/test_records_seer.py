"""ICD-O-3 morphology and topography against SEER's site/histology validation list (issue 14): the codes-only
table is generated from the shared reference file, carries no WHO term text, and drives one shape per
morphology; a pair the list does not give fires, a listed pair or a topography without its subsite does not."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from netgraph.errors import CurationError
from netgraph.records.check import check_records
from netgraph.records.seerlist import (COLUMNS, REFERENCE_FILE, SOURCE_ID, VENDORED_FILE, expand_site_recode,
                                       generate_table, read_site_histology)
from netgraph.records.ruletable import read_rules
from netgraph.paths import project_paths
from netgraph.sourcetext import quote_in_text, read_plain_text

ROOT = Path(__file__).resolve().parents[1]


def _reference_rows(shared: Path) -> list[list[str]]:
    lines = (shared / REFERENCE_FILE).read_text(encoding="utf-8").splitlines()
    return [line.split("\t") for line in lines if line and not line.startswith("#")][1:]


def test_the_vendored_table_is_a_fresh_run_of_the_generator(shared_dir):
    assert (ROOT / VENDORED_FILE).read_text(encoding="utf-8") == generate_table(shared_dir)


def test_the_vendored_table_has_every_pair_of_the_list_and_no_who_term_text(shared_dir):
    rows = _reference_rows(shared_dir)
    vendored = (ROOT / VENDORED_FILE).read_text(encoding="utf-8")
    words = {r[3] for r in rows} | {r[5] for r in rows}  # the histology and histology/behaviour descriptions
    assert len(words) > 20
    for term in words:
        assert term not in vendored, term
    table = read_site_histology(ROOT)
    pairs = {(m, t) for m, (sites, _) in table.items() for t in sites}
    expected = {("ICDO:" + r[4], t) for r in rows for t in expand_site_recode(r[0])}
    assert pairs == expected and len(expected) > 1000


def test_the_rule_quotes_the_reference_file_and_names_its_record(shared_dir):
    rule = next(r for r in read_rules(project_paths(ROOT)) if r.kind == "site-histology")
    assert rule.source == SOURCE_ID and rule.record
    assert quote_in_text(rule.quote, read_plain_text(shared_dir / REFERENCE_FILE))


def test_the_generator_refuses_a_reference_file_it_cannot_read(tmp_path, shared_dir):
    target = tmp_path / REFERENCE_FILE
    target.parent.mkdir(parents=True)
    text = (shared_dir / REFERENCE_FILE).read_text(encoding="utf-8")
    target.write_text(text.replace("C250-C254,C257-C259", "C254-C250"), encoding="utf-8")
    with pytest.raises(CurationError, match=r"seer_icdo3_site_histology_validation_nen_2019.tsv:\d+: site recode"):
        generate_table(tmp_path)
    with pytest.raises(CurationError, match="reference file not found"):
        generate_table(tmp_path / "nowhere")


@pytest.mark.parametrize("text, codes", [
    ("C250-C252, C259", ["C25.0", "C25.1", "C25.2", "C25.9"]),
    ("C098-C101", ["C09.8", "C09.9", "C10.0", "C10.1"]),
    ("C809", ["C80.9"]),
])
def test_site_recodes_expand_to_the_codes_records_carry(text, codes):
    assert expand_site_recode(text) == codes


@pytest.mark.parametrize("text", ["C25", "C259-C250", "pancreas", "C250-"])
def test_a_malformed_site_recode_is_refused(text):
    with pytest.raises(ValueError):
        expand_site_recode(text)


def test_a_bad_row_of_the_vendored_table_names_file_and_line(tmp_path):
    table = tmp_path / VENDORED_FILE
    table.parent.mkdir(parents=True)
    lines = (ROOT / VENDORED_FILE).read_text(encoding="utf-8").splitlines()
    header = next(i for i, line in enumerate(lines) if not line.startswith("#"))
    cells = lines[header + 2].split("\t")
    lines[header + 2] = "\t".join([cells[0], "C25x", *cells[2:]])
    table.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(CurationError, match=rf"seer_site_histology_nen_2019.tsv:{header + 3}: site_recode"):
        read_site_histology(tmp_path)


def _check(morphology: str, topography: str) -> set[str]:
    rec = {"record_id": "S1", "diagnosis": "netgraph:PancreaticNeuroendocrineTumour", "icdo3_morphology": morphology,
           "icdo3_topography": topography, "functional_status": "non-functional"}
    return {f.rule for f in check_records([rec], root=ROOT).findings}


@pytest.mark.parametrize("morphology, topography, fires", [
    ("8150/3", "C25.1", False),   # the pancreas: on the list
    ("M8150/3", "C251", False),   # the registry spellings of the same pair
    ("8150/3", "C17.2", True),    # a pancreatic NEN morphology at the ileum: not on the list
    ("8150/3", "C17", False),     # a topography without its subsite is not checked
    ("8150/3", "", False),        # nor a record without one
])
def test_a_pair_off_the_list_fires_and_nothing_else_does(morphology, topography, fires):
    assert ("site-histology-seer" in _check(morphology, topography)) is fires


def test_every_morphology_of_the_list_has_its_shape():
    from netgraph.records.check import RecordChecker

    checker = RecordChecker(ROOT)
    shapes = {s.value.rsplit("record-site-histology-seer-", 1)[-1] for s in checker.shapes.subjects(None, None)
              if "record-site-histology-seer-" in s.value}
    assert shapes == {m.replace(":", "-").replace("/", "-") for m in read_site_histology(ROOT)}


def test_a_project_with_an_empty_vendored_table_cannot_generate_the_rule(tmp_path):
    """A scratch tree without the table uses this checkout's (as the QC queries do); an empty one is an error."""
    from netgraph.records.shapes import write_records_shapes

    for part in ("data/tables", "data/mappings", "ontology", "queries"):
        shutil.copytree(ROOT / part, tmp_path / part)
    for f in ("data/netgraph-data.ttl", "data/netgraph-mappings.ttl"):
        shutil.copy(ROOT / f, tmp_path / f)
    assert write_records_shapes(tmp_path, check=True)[1] is False  # no table here: the checkout's, same shapes
    table = tmp_path / VENDORED_FILE
    table.parent.mkdir(parents=True)
    table.write_text("\t".join(COLUMNS) + "\n", encoding="utf-8")
    with pytest.raises(CurationError, match=r"seer_site_histology_nen_2019\.tsv is missing or empty"):
        write_records_shapes(tmp_path, check=True)
