"""Every failure netgraph raises on purpose is a specific subclass from netgraph/errors.py.

Each subclass below is raised by a real bad input (a malformed shape, a missing
folder or package, an unsatisfiable ontology, a store that is not there), not
constructed by hand.
"""

from __future__ import annotations

import ast
import socket
import sys
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.namespace import RDFS

import netgraph
from _validation_support import mini_root  # fixture
from netgraph import errors
from netgraph.catalogue import parse_query_text
from netgraph.errors import (EndpointError, HttpStatusError, InconsistentOntologyError, InputError,
                             MissingDependencyError, NetgraphError, QueryError, ReasonerUnavailable,
                             RequestTimeout, ServerStartError, SharedFolderError, TransportError, ValidatorError)
from netgraph.memgraph import MemoryGraph
from rdflib import Namespace

from netgraph.prefixes import NETGRAPH

from netgraph.paths import project_paths

NG = Namespace(NETGRAPH)  # the tests build rdflib graphs, as a user hands them in

ROOT = Path(__file__).resolve().parents[1]


def _raised_names(path: Path) -> list[tuple[int, str]]:
    """(line, class name) of every ``raise Name(...)`` in a module."""
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call) and isinstance(node.exc.func, ast.Name):
            out.append((node.lineno, node.exc.func.id))
    return out


def test_no_module_raises_the_bare_base_class():
    bare = [f"{p.relative_to(ROOT)}:{line}" for p in sorted((ROOT / "netgraph").rglob("*.py"))
            for line, name in _raised_names(p) if name == "NetgraphError"]
    assert bare == [], "raise a specific subclass from netgraph/errors.py, not NetgraphError: " + ", ".join(bare)


def test_every_netgraph_exception_class_is_defined_in_errors_py():
    """An exception class a caller can see lives in errors.py (private control-flow classes excepted)."""
    outside = []
    for p in sorted((ROOT / "netgraph").rglob("*.py")):
        if p.name == "errors.py":
            continue
        for node in ast.walk(ast.parse(p.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef) and not node.name.startswith("_"):
                bases = {b.id for b in node.bases if isinstance(b, ast.Name)}
                if bases & {"Exception", "NetgraphError", *errors.__all__}:
                    outside.append(f"{p.relative_to(ROOT)}:{node.lineno} {node.name}")
    assert outside == []


def test_the_old_homes_still_export_the_moved_classes():
    from netgraph.stores import http
    from netgraph.validation import ReasonerUnavailable as from_validation
    from netgraph.validation.reasoner import ReasonerUnavailable as from_reasoner

    assert from_validation is from_reasoner is ReasonerUnavailable
    assert (http.TransportError, http.RequestTimeout, http.HttpStatusError) == (TransportError, RequestTimeout,
                                                                                HttpStatusError)
    assert netgraph.MissingDependencyError is MissingDependencyError


def test_every_class_derives_from_netgraph_error_with_exit_code_2_or_1():
    for name in errors.__all__:
        cls = getattr(errors, name)
        assert issubclass(cls, NetgraphError)
        assert cls.exit_code == (1 if name == "StaleFileError" else 2)


# -- each subclass, raised by a real bad input ---------------------------------------------------------------


def test_a_shape_pyshacl_cannot_load_is_a_validator_error():
    from netgraph.validation.shacl import run_shacl

    shapes = MemoryGraph.parse(b"""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        <urn:x-test:S> a sh:NodeShape ; sh:targetNode <urn:x-test:a> ;
            sh:property [ sh:path "not a path" ; sh:minCount 1 ] .
    """)
    data = Graph().parse(data="<urn:x-test:a> <urn:x-test:p> 1 .", format="turtle")
    with pytest.raises(ValidatorError, match=r"SHACL validation failed to run: .*Literal"):
        run_shacl(data, shapes)


def test_an_unsatisfiable_ontology_is_an_inconsistent_ontology_error(mini_root, tmp_path):
    from netgraph.validation import write_inferred

    onto = Graph().parse(mini_root / "ontology" / "netgraph.ttl")
    onto.add((NG.Insulinoma, RDFS.subClassOf, NG.NonFunctionalNeuroendocrineNeoplasm))
    (tmp_path / "ontology").mkdir()
    onto.serialize(tmp_path / "ontology" / "netgraph.ttl", format="turtle")
    with pytest.raises(InconsistentOntologyError, match=r"unsatisfiable classes: .*Insulinoma"):
        write_inferred(project_paths(tmp_path))
    assert not (tmp_path / "ontology" / "netgraph-inferred.ttl").exists()


def test_reasoning_over_an_unbuilt_ontology_is_an_input_error(tmp_path):
    from netgraph.validation import write_inferred

    with pytest.raises(InputError, match="is not built; run `netgraph build` first"):
        write_inferred(project_paths(tmp_path))


def test_no_java_is_reasoner_unavailable(monkeypatch):
    import owlready2

    from netgraph.validation import run_reasoner

    monkeypatch.setattr(owlready2, "JAVA_EXE", "/nonexistent/netgraph-test/java")
    with pytest.raises(ReasonerUnavailable, match="Java was not found"):
        run_reasoner(MemoryGraph())


def _run_shacl_on_empty_graphs():
    from netgraph.validation.shacl import run_shacl

    return run_shacl(Graph(), MemoryGraph())


@pytest.mark.parametrize("module, call", [
    ("pyshacl", lambda: _run_shacl_on_empty_graphs()),
    ("owlready2", lambda: __import__("netgraph.validation.reasoner", fromlist=["x"]).run_reasoner(MemoryGraph())),
])
def test_a_missing_validation_package_names_the_validate_extra(monkeypatch, module, call):
    monkeypatch.setitem(sys.modules, module, None)  # `import module` now raises ImportError, as when not installed
    with pytest.raises(MissingDependencyError, match=rf"needs {module}.*pip install 'netgraph-kg\[validate\]'"):
        call()


def test_generating_the_classification_without_the_shared_folder_is_a_shared_folder_error(tmp_path, monkeypatch):
    from netgraph.curation.classification import generate

    monkeypatch.setenv("NETGRAPH_SHARED", str(tmp_path / "no-such-folder"))
    with pytest.raises(SharedFolderError, match="shared folder"):
        generate(tmp_path)


def test_an_engine_that_exits_at_start_is_a_server_start_error(tmp_path):
    from netgraph.stores.serve import Engine

    not_a_store = tmp_path / "store"
    not_a_store.write_text("a file where the store directory should be", encoding="utf-8")
    with pytest.raises(ServerStartError, match="the Oxigraph server exited at start"):
        Engine(not_a_store, timeout_s=5).start()


@pytest.mark.parametrize("text, problem", [
    ("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "must be a SELECT query"),
    ("SELECT ?a ?b ?c WHERE { ?a ?b ?c }", "must return ?entity ?property ?value"),
    ("SELECT ?entity ?property ?value WHERE { ?entity ?property ?value", "SPARQL syntax error"),
])
def test_a_malformed_qc_query_is_a_query_error(text, problem):
    import pyoxigraph as ox

    from netgraph.validation.qc import run_qc

    query = parse_query_text("#+ summary: bad\n#+ description: a malformed QC query\n#+ severity: error\n" + text,
                             "qc/bad")
    with pytest.raises(QueryError, match=problem.replace("?", r"\?")):
        run_qc(ox.Store(), {"qc/bad": query}, None)


def test_a_store_that_is_not_there_is_a_transport_error_and_an_endpoint_error():
    from netgraph.stores.http import Auth, HttpClient

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(TransportError, match="cannot connect") as info:
        HttpClient(Auth(), timeout=5, retries=0).request("GET", f"http://127.0.0.1:{port}/query")
    assert isinstance(info.value, EndpointError)
