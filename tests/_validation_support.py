"""Helpers shared by the validation tests: the mini project and the bad fixtures."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef

from netgraph.prefixes import expand, turtle_prolog

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "validation"


def make_mini(target: Path) -> Path:
    """Copy the mini project (and its shared folder) beside ``target`` and build it."""
    from netgraph.build import build

    src = FIXTURES / "mini"
    shutil.copytree(src / "data", target / "data")
    shutil.copytree(src / "shared", target.parent / "shared")
    (target / "ontology").mkdir(parents=True)
    shutil.copy(ROOT / "ontology" / "netgraph-edit.ttl", target / "ontology")
    build(target)
    return target


@pytest.fixture(scope="session")
def mini_root(tmp_path_factory) -> Path:
    return make_mini(tmp_path_factory.mktemp("mini") / "project")


@pytest.fixture(scope="session")
def mini_shared(mini_root) -> Path:
    return mini_root.parent / "shared"


@pytest.fixture(scope="session")
def mini_graphs(mini_root):
    from netgraph.validation import load_graphs

    return load_graphs(root=mini_root)


def fixture_text(path: Path) -> str:
    return turtle_prolog() + path.read_text(encoding="utf-8")


def load_fixture(path: Path) -> Graph:
    """A bad fixture as a Graph (the prefix map's prolog prepended)."""
    return Graph().parse(data=fixture_text(path), format="turtle")


def fixture_focus(path: Path):
    """The node a fixture's ``# focus:`` line names (a BNode class for "[blank node]")."""
    line = path.read_text(encoding="utf-8").splitlines()[0]
    assert line.startswith("# focus: "), f"{path} lacks its '# focus:' line"
    value = line[len("# focus: "):].strip()
    if value == "[blank node]":
        return BNode
    if value.startswith('"'):
        return Literal(value.strip('"'))
    return URIRef(expand(value))


def same_term(finding_term, expected) -> bool:
    """A finding's term (netgraph.terms) is the rdflib term ``expected``: same kind, IRI or lexical form, tags."""
    from netgraph.rdfterms import term_from_rdflib
    from netgraph.terms import Term

    assert finding_term is None or isinstance(finding_term, Term), f"a finding holds {finding_term!r}, not a netgraph term"
    return finding_term is not None and finding_term.key() == term_from_rdflib(expected).key()


def focus_matches(finding_focus, expected) -> bool:
    if expected is BNode:
        from netgraph.terms import BNode as TermBNode

        return isinstance(finding_focus, TermBNode)
    return same_term(finding_focus, expected)
