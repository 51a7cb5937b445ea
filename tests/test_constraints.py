"""constraints/test.txt, the pinned resolution `.ci/run` installs the [test] extra with, fits pyproject.toml."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
CONSTRAINTS = ROOT / "constraints" / "test.txt"


def _pins() -> dict[str, str]:
    pins = {}
    for line in CONSTRAINTS.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, sep, version = line.partition("==")
            assert sep and re.fullmatch(r"[\w.+!-]+", version), f"{CONSTRAINTS}: not a name==version pin: {line!r}"
            pins[canonicalize_name(name)] = version
    return pins


def _requirements() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    extras = project["optional-dependencies"]
    reqs = [Requirement(r) for r in project["dependencies"]]
    for extra in ("test", *extras["test"][0].partition("[")[2].rstrip("]").split(",")):
        reqs += [Requirement(r) for r in extras[extra] if not r.startswith("netgraph-kg")]
    return reqs


def test_every_direct_requirement_is_pinned_within_its_range():
    """A pin outside a range pyproject.toml asks for would make CI's install fail: regenerate the file then."""
    pins = _pins()
    for req in _requirements():
        name = canonicalize_name(req.name)
        assert name in pins, f"{req.name} is not pinned in {CONSTRAINTS} (regenerate it: see its header)"
        assert req.specifier.contains(pins[name], prereleases=True), (
            f"{CONSTRAINTS} pins {req.name}=={pins[name]}, outside {req} in pyproject.toml (regenerate it)")


def test_ci_installs_with_the_constraints():
    run = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert 'PIP_CONSTRAINT="$PWD/constraints/test.txt"' in run
