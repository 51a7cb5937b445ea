"""The README's quick start: exactly two commands, the second being what CI runs."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _quickstart():
    spec = importlib.util.spec_from_file_location("quickstart", ROOT / ".ci" / "quickstart.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.quickstart_commands((ROOT / "README.md").read_text(encoding="utf-8"))


def test_quick_start_has_two_commands_install_run_and_test():
    first, second = _quickstart()
    assert "pip install" in first and "netgraph build" in first and "netgraph query" in first
    assert "pip install -e '.[test]'" in second and "pytest" in second and "netgraph build --check" in second
    # CI runs the README's test command: the linter and the type checker are part of it
    assert "ruff check ." in second and "&& mypy &&" in second


def test_ci_runs_the_readme_test_command():
    run = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "quickstart.py 2" in run


def test_readme_names_every_licence_of_the_reference_data():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    for needle in ("MONDO", "HPO", "UBERON", "Orphanet", "CC BY 3.0", "https://hpo.jax.org/app/license", "## Identifiers", "## Layout"):
        assert needle in text
