"""`netgraph validate` end to end: the real graph passes, bad input exits 2, reports in three formats."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner
from rdflib import Graph
from rdflib.namespace import RDF, SH

from _validation_support import FIXTURES, fixture_text, mini_root
from netgraph.cli import main
from netgraph.validation import ValidationReport, validate


@pytest.fixture(scope="module")
def real_report(paths):
    return validate(root=paths.root, reasoner=True)


def test_the_real_graph_makes_no_shape_qc_check_or_reasoner_fire(real_report):
    assert real_report.findings == [], real_report.to_text()
    assert real_report.conforms and real_report.exit_code == 0
    assert real_report.checks["shapes"] >= 90 and real_report.checks["qc"] >= 13
    assert real_report.checks.get("reasoner") == 1, real_report.notes


def test_public_api_is_exported():
    import netgraph

    assert netgraph.validate is validate and netgraph.ValidationReport is ValidationReport


def _write(tmp_path, name, text):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


@pytest.mark.parametrize("content,name,needle", [
    ("netgraph:X a owl:Class ;;; <<", "broken.ttl", "not valid Turtle"),
    (None, "missing.ttl", "no such file"),
    ("\udcff", "binary.ttl", "cannot read"),
    ("<a> <b> <c> .", "data.csv", "unknown RDF file extension"),
])
def test_unreadable_or_malformed_input_exits_2_with_a_clear_message(tmp_path, mini_root, content, name, needle):
    path = tmp_path / name
    if content == "\udcff":
        path.write_bytes(b"\xff\xfe\x00garbage")
    elif content is not None:
        path.write_text(content, encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", "--root", str(mini_root), "--no-reasoner", str(path)])
    assert result.exit_code == 2, result.output
    assert needle in result.output and str(path) in result.output
    assert "Traceback" not in result.output


def test_user_file_with_violations_exits_1_and_names_node_path_and_message(tmp_path, mini_root):
    bad = _write(tmp_path, "extension.ttl", fixture_text(FIXTURES / "shapes" / "AssociationSource.ttl"))
    result = CliRunner().invoke(main, ["validate", "--root", str(mini_root), "--no-reasoner", str(bad)])
    assert result.exit_code == 1, result.output
    assert "VIOLATIONS" in result.output and "ngshape:AssociationSource" in result.output
    assert "ngstmt:bad-no-source" in result.output and "netgraph:hasSource" in result.output
    assert "an association needs at least one source" in result.output


def test_a_good_extension_conforms(tmp_path, mini_root):
    good = _write(tmp_path, "extension.ttl", fixture_text(FIXTURES / "mini" / "extension.ttl"))
    result = CliRunner().invoke(main, ["validate", "--root", str(mini_root), "--no-reasoner", str(good)])
    assert result.exit_code == 0, result.output
    # the skipped reasoner is said, and the summary counts no finding (and names the checks that ran)
    assert result.output.splitlines()[0] == "note: reasoner check skipped (--no-reasoner)"
    assert re.fullmatch(r"conforms: 0 violations, 0 warnings, 0 infos \(shapes [1-9]\d*, qc [1-9]\d*; [\d.]+ s\)",
                        result.output.splitlines()[-1]), result.output
    assert "VIOLATION" not in result.output and "WARNING" not in result.output


def test_json_and_turtle_reports(tmp_path, mini_root):
    bad = _write(tmp_path, "ext.ttl", fixture_text(FIXTURES / "shapes" / "SourceChecksum.ttl"))
    out = CliRunner().invoke(main, ["validate", "--root", str(mini_root), "--no-reasoner", "--format", "json", str(bad)])
    assert out.exit_code == 1
    data = json.loads(out.output)
    assert data["conforms"] is False and data["counts"]["Violation"] >= 1
    hit = next(f for f in data["findings"] if f["rule"] == "ngshape:SourceChecksum")
    assert hit["focus"].endswith("/source/bad-checksum") and hit["path"].endswith("sha256") and hit["message"]
    ttl = CliRunner().invoke(main, ["validate", "--root", str(mini_root), "--no-reasoner", "--format", "turtle", str(bad)])
    assert ttl.exit_code == 1
    g = Graph().parse(data=ttl.output, format="turtle")
    report = next(g.subjects(RDF.type, SH.ValidationReport))
    assert str(g.value(report, SH.conforms)) == "false"
    assert any(g.value(r, SH.resultSeverity) == SH.Violation for r in g.objects(report, SH.result))
    again = CliRunner().invoke(main, ["validate", "--root", str(mini_root), "--no-reasoner", "--format", "turtle", str(bad)])
    assert again.output == ttl.output, "the Turtle report must be deterministic"


def test_report_to_file_and_quiet_progress_on_pipes(tmp_path, mini_root):
    target = tmp_path / "report.json"
    result = CliRunner().invoke(main, ["validate", "--root", str(mini_root), "--no-reasoner", "--format", "json",
                                       "-o", str(target)])
    assert result.exit_code == 0
    assert json.loads(target.read_text())["conforms"] is True
    assert "validate:" not in result.output  # no progress lines when stderr is not a terminal


def test_progress_lines_reach_a_callback(mini_root):
    steps = []
    validate(root=mini_root, reasoner=False, progress=steps.append)
    assert steps[0].startswith("loading") and any(s.startswith("SHACL") for s in steps)
    assert any(s.startswith("QC qc/") for s in steps)
