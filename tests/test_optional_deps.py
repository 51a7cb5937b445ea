"""`pip install netgraph-kg` (no extras) is enough to query: pySHACL and owlready2 come with [validate].

Each test runs netgraph in a fresh interpreter whose import system refuses
``pyshacl`` and ``owlready2`` (as on a machine without the [validate] extra):
querying works, validating says which extra to install (exit 2, no traceback).
"""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
VALIDATION_ONLY = ("pyshacl", "owlready2")

# an import hook that makes the validation packages look uninstalled, then the rest of the script
_BLOCK = f"""
import importlib.abc, sys
class _NotInstalled(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in {VALIDATION_ONLY!r}:
            raise ModuleNotFoundError(f"No module named {{name!r}}", name=name)
        return None
sys.meta_path.insert(0, _NotInstalled())
for m in [m for m in sys.modules if m.partition(".")[0] in {VALIDATION_ONLY!r}]:
    del sys.modules[m]
"""


def _run(script: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", _BLOCK + script, *args], capture_output=True, text=True,
                          timeout=300, cwd=ROOT)


_CLI = """
import sys
from netgraph.cli import main
sys.argv = ["netgraph", *sys.argv[1:]]
main()
"""


def test_the_hook_really_hides_the_packages():
    proc = _run("import pyshacl")
    assert proc.returncode == 1 and "ModuleNotFoundError: No module named 'pyshacl'" in proc.stderr


def test_the_library_queries_without_the_validation_packages():
    proc = _run("""
import json, sys, netgraph
kg = netgraph.open_graph()
rows = kg.query("tumours-secreting-hormone", hormone="serotonin", subtypes=False)
assert not any(m.partition(".")[0] in ("pyshacl", "owlready2") for m in sys.modules)
print(json.dumps(len(rows)))
""")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) > 0


def test_the_cli_queries_without_the_validation_packages():
    proc = _run(_CLI, "query", "tumours-secreting-hormone", "--param", "hormone=serotonin", "--param", "subtypes=false",
                "--format", "csv")
    assert proc.returncode == 0, proc.stderr
    assert len(proc.stdout.splitlines()) > 1


@pytest.mark.parametrize("args", [["validate"], ["validate", "--no-reasoner"], ["reason", "--check"]],
                         ids=" ".join)
def test_validating_without_them_names_the_extra(args):
    proc = _run(_CLI, *args)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "pip install 'netgraph-kg[validate]'" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_the_core_dependencies_do_not_include_the_validation_packages():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    names = {d.split(">")[0].split("<")[0].split("=")[0].split("[")[0].strip().lower() for d in project["dependencies"]}
    assert names == {"rdflib", "pyoxigraph", "click", "pyyaml", "curies"}  # curies: the CURIE engine (netgraph.prefixes)
    extras = project["optional-dependencies"]
    assert {d.split(">")[0].lower() for d in extras["validate"]} == {"owlready2", "pyshacl"}
    assert "netgraph-kg[validate,serve,pandas]" in extras["test"]


def test_py_typed_marks_the_package_as_typed():
    assert (ROOT / "netgraph" / "py.typed").is_file()
