"""The distribution name is ours: `netgraph` on PyPI is an unrelated plotting library (issue 13 item 6)."""

from __future__ import annotations

import re
import subprocess
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DISTRIBUTION = "netgraph-kg"
# an install hint naming the bare distribution: pip install netgraph / 'netgraph[extra]' / "netgraph>=1"
_WRONG = re.compile(r"""pip install\s+(?:-U\s+|--upgrade\s+)?['"]?netgraph(?![-\w])|['"]netgraph\[""")


def _tracked_text_files() -> list[Path]:
    names = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout.split(b"\0")
    out = []
    for name in filter(None, names):
        path = ROOT / name.decode()
        if path.suffix in {".py", ".md", ".toml", ".txt", ".cfg", ".rst", ".yml", ".yaml"} or path.name == "run":
            out.append(path)
    return out


def test_the_distribution_is_netgraph_kg_and_the_command_and_package_stay_netgraph():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["name"] == DISTRIBUTION
    assert project["scripts"] == {"netgraph": "netgraph.cli:main"}
    assert (ROOT / "netgraph" / "__init__.py").is_file()


def test_no_install_hint_names_someone_elses_package():
    bad = []
    for path in _tracked_text_files():
        if path == Path(__file__).resolve():
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
            if _WRONG.search(line):
                bad.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()}")
    assert not bad, "install hints must name the distribution netgraph-kg:\n" + "\n".join(bad)
    hints = [line for p in _tracked_text_files() for line in p.read_text(errors="replace").splitlines()
             if "pip install" in line and f"{DISTRIBUTION}[" in line]
    assert hints  # the extras hints exist and use the new name


def test_the_pattern_catches_the_old_hints():
    for old in ("pip install 'netgraph[serve]'", 'pip install "netgraph[pandas]"', "pip install netgraph",
                "pip install -U netgraph"):
        assert _WRONG.search(old), old
    for fine in ("pip install 'netgraph-kg[serve]'", "pip install netgraph-kg", "pip install -e '.[test]'"):
        assert not _WRONG.search(fine), fine
