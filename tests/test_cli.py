"""The CLI through click's test runner (issue 2: build; other commands have their own tests)."""

from __future__ import annotations

from click.testing import CliRunner

from netgraph import __version__
from netgraph.cli import main

from test_build import _corrupt, _first_data_line, copy_inputs


def test_version_and_help():
    runner = CliRunner()
    assert runner.invoke(main, ["--version"]).output.strip().endswith(__version__)
    result = runner.invoke(main, ["--help"])
    assert result.exit_code == 0 and "build" in result.output


def test_build_then_check(tmp_path):
    root = copy_inputs(tmp_path / "p")
    runner = CliRunner()
    result = runner.invoke(main, ["build", "--root", str(root)])
    assert result.exit_code == 0, result.output
    assert "written:" in result.output and "associations" in result.output
    result = runner.invoke(main, ["build", "--root", str(root), "--check"])
    assert result.exit_code == 0 and "fresh" in result.output


def test_build_check_on_stale_file_exits_1_and_names_it(tmp_path):
    root = copy_inputs(tmp_path / "p")
    runner = CliRunner()
    runner.invoke(main, ["build", "--root", str(root)])
    stale = root / "ontology" / "netgraph.ttl"
    stale.write_text(stale.read_text() + "\n# edited\n")
    result = runner.invoke(main, ["build", "--root", str(root), "--check"])
    assert result.exit_code == 1
    assert "stale" in result.output and str(stale) in result.output


def test_build_bad_row_exits_2_with_file_line_and_no_traceback(tmp_path):
    root = copy_inputs(tmp_path / "p")
    path = root / "data" / "tables" / "classes.tsv"
    line = _first_data_line(path)
    _corrupt(path, line, "parents", "NoSuchClass")
    result = CliRunner().invoke(main, ["build", "--root", str(root)])
    assert result.exit_code == 2
    assert f"{path}:{line}:" in result.output and "NoSuchClass" in result.output
    assert "Traceback" not in result.output
    assert not (root / "data" / "netgraph-data.ttl").exists()


def test_unwritable_output_path_is_a_clear_error_not_a_traceback(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    src = tmp_path / "codes.csv"
    src.write_text("code\nORPHA:97253\n")
    result = CliRunner().invoke(main, ["link", str(src), "--column", "code", "-o", str(blocker / "out.csv")])
    assert result.exit_code == 2, result.output
    assert "error:" in result.output and "Traceback" not in result.output
