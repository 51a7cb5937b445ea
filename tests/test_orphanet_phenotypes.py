"""The Orphanet phenotype generator (netgraph.curation.orphanet_phenotypes): deterministic, fresh, strict."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from netgraph.curation.orphanet_phenotypes import (ASSOCIATIONS, ENTITIES, EXCLUDED, FREQUENCY_CLASSES, GENERATED_MARK,
                                                   REFERENCE, generate, write_phenotype_tables)
from netgraph.errors import CurationError, StaleFileError

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture()
def project(tmp_path, shared_dir):
    """A scratch copy of the project's inputs with a scratch shared folder holding the reference files it reads."""
    from test_build import copy_inputs

    root = copy_inputs(tmp_path / "project")
    shared = tmp_path / "shared"
    for rel in (REFERENCE, Path("reference") / "phenotypes.tsv"):
        (shared / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(shared_dir / rel, shared / rel)
    return root, shared


def test_the_committed_tables_equal_a_fresh_run(paths, shared_dir):
    write_phenotype_tables(paths.root, shared_dir, check=True)  # raises StaleFileError when they differ


def test_a_rerun_gives_byte_identical_files(project):
    root, shared = project
    first = write_phenotype_tables(root, shared).files
    again = generate(root, shared).files
    assert first == again
    assert {p.name for p in first} == {ASSOCIATIONS, ENTITIES, "netgraph.sssom.tsv"}
    # the generated mapping block is replaced, never appended twice
    sssom = (root / "data" / "mappings" / "netgraph.sssom.tsv").read_text(encoding="utf-8")
    assert sssom.count(GENERATED_MARK) == len(first[root / "data" / "tables" / ENTITIES].splitlines()) - 1


def test_check_reports_a_stale_table(project):
    root, shared = project
    write_phenotype_tables(root, shared)
    table = root / "data" / "tables" / ASSOCIATIONS
    table.write_text(table.read_text(encoding="utf-8").replace("OrphanetFrequent", "Often", 1), encoding="utf-8")
    with pytest.raises(StaleFileError) as err:
        write_phenotype_tables(root, shared, check=True)
    assert ASSOCIATIONS in str(err.value)


def test_only_exact_orphanet_mappings_give_statements(project):
    """A broader (ORPHA:100079 on the appendiceal NET) or close (ORPHA:97279 on Insulinoma) code gives none."""
    root, shared = project
    rows = generate(root, shared).files[root / "data" / "tables" / ASSOCIATIONS].decode().splitlines()[1:]
    subjects = {r.split("\t")[1] for r in rows}
    records = {r.split("\t")[7] for r in rows}
    assert "AppendicealNeuroendocrineTumour" not in subjects and "ORPHA:100079" not in records
    assert "Insulinoma" not in subjects  # close to ORPHA:97279; the classification's own class is exact to it
    exact = {(line.split("\t")[0].removeprefix("netgraph:"), line.split("\t")[3])
             for line in (root / "data" / "mappings" / "netgraph.sssom.tsv").read_text(encoding="utf-8").splitlines()
             if "\tskos:exactMatch\tORPHA:" in line}
    assert {(r.split("\t")[1], r.split("\t")[7]) for r in rows} <= exact
    assert "Glucagonoma" in subjects


def test_excluded_annotations_never_become_statements(project, shared_dir):
    root, shared = project
    excluded = [line.split("\t") for line in (shared_dir / REFERENCE).read_text(encoding="utf-8").splitlines()
                if line.endswith("\t" + EXCLUDED)]
    assert excluded, "the reference file has Excluded (0%) annotations"
    result = generate(root, shared)
    text = result.files[root / "data" / "tables" / ASSOCIATIONS].decode()
    assert EXCLUDED not in text
    for code, _, hp, _, _ in excluded:
        assert f"{hp}" not in [c for line in text.splitlines() if f"ORPHA:{code}\t" in line for c in line.split("\t")]
    assert result.counts["excluded (0%) left out"] == len(excluded)


def test_an_unknown_frequency_class_is_a_clear_error(project):
    root, shared = project
    ref = shared / REFERENCE
    lines = ref.read_text(encoding="utf-8").splitlines()
    n = next(i for i, line in enumerate(lines) if line.endswith("Frequent (79-30%)"))
    lines[n] = lines[n].replace("Frequent (79-30%)", "Quite often")
    ref.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(CurationError) as err:
        generate(root, shared)
    assert f"orphanet_nen_hpo_phenotypes.tsv:{n + 1}" in str(err.value) and "'Quite often'" in str(err.value)


def test_the_command_exits_2_with_a_message_on_bad_input(project):
    root, shared = project
    table = root / "data" / "tables" / ASSOCIATIONS
    before = table.read_bytes()
    (shared / REFERENCE).unlink()
    proc = subprocess.run([sys.executable, "-m", "netgraph.curation.orphanet_phenotypes", "--root", str(root),
                           "--shared", str(shared)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    assert "phenotype annotations not found" in proc.stderr and "Traceback" not in proc.stderr
    assert table.read_bytes() == before  # nothing half-written


def test_frequency_classes_map_to_declared_qualifiers_with_their_ranges(union_graph):
    from rdflib.namespace import RDF

    from rdflib import Namespace

    from netgraph.prefixes import NETGRAPH

    NG = Namespace(NETGRAPH)

    for words, value in FREQUENCY_CLASSES.items():
        node = NG[value]
        assert (node, RDF.type, NG.FrequencyQualifier) in union_graph
        low, high = float(union_graph.value(node, NG.minPercent)), float(union_graph.value(node, NG.maxPercent))
        numbers = [float(x) for x in words.replace("%", "").replace("<", "").split("(")[1].rstrip(")").split("-")]
        assert (low, high) == (min(numbers), max(numbers)), words
