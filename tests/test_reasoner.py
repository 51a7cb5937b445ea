"""HermiT through owlready2: the key inference, unsatisfiable classes, the committed inferred file."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import pyoxigraph as ox
import pytest

from _validation_support import FIXTURES, ROOT, make_mini, mini_root
from netgraph.memgraph import MemoryGraph
from netgraph.paths import project_paths
from netgraph.validation import run_reasoner, write_inferred
from netgraph.validation.reasoner import java_executable
from netgraph.vocab import NG, OWL, RDF, RDFS, XSD

pytestmark = pytest.mark.slow


def _entailed(graph: MemoryGraph, sub: ox.NamedNode, sup: ox.NamedNode) -> bool:
    store = ox.Store()
    store.extend(ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in graph)
    return bool(store.query(f"ASK {{ {sub} {RDFS.subClassOf}* {sup} }}"))


def test_java_is_there():
    assert java_executable() is not None, "the reasoner tests need Java (CI installs it)"


def test_reasoner_infers_a_secreting_tumour_is_functional_and_nothing_without_it(mini_root, tmp_path, monkeypatch):
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    onto = MemoryGraph.parse(mini_root / "ontology" / "netgraph.ttl")
    # without the reasoner the asserted hierarchy does not say it
    assert not _entailed(onto, NG.Insulinoma, NG.FunctionalNeuroendocrineNeoplasm)
    result = run_reasoner(onto)
    assert result.consistent and result.unsatisfiable == []
    assert (NG.Insulinoma, NG.FunctionalNeuroendocrineNeoplasm) in result.inferred
    # only unasserted links: nothing the ontology already says
    for sub, sup in result.inferred:
        assert (sub, RDFS.subClassOf, sup) not in onto
    # with the inferred graph, SPARQL over the union sees it
    write_inferred(project_paths(mini_root))
    union = MemoryGraph([*onto, *MemoryGraph.parse(mini_root / "ontology" / "netgraph-inferred.ttl")])
    assert _entailed(union, NG.Insulinoma, NG.FunctionalNeuroendocrineNeoplasm)
    assert list(scratch.iterdir()) == [], "the reasoner left temporary files behind"
    assert tempfile.tempdir == str(scratch)


def test_unsatisfiable_class_is_reported(mini_root):
    onto = MemoryGraph.parse(mini_root / "ontology" / "netgraph.ttl")
    onto.add((NG.Insulinoma, RDFS.subClassOf, NG.NonFunctionalNeuroendocrineNeoplasm))
    result = run_reasoner(onto)
    assert NG.Insulinoma in result.unsatisfiable


def test_inconsistent_data_is_reported(mini_root):
    g = MemoryGraph.parse(mini_root / "ontology" / "netgraph.ttl")
    g.add((NG.Tumour1, RDF.type, OWL.NamedIndividual))
    g.add((NG.Tumour1, RDF.type, NG.FunctionalNeuroendocrineNeoplasm))
    g.add((NG.Tumour1, RDF.type, NG.NonFunctionalNeuroendocrineNeoplasm))
    g.add((NG.Tumour1, RDFS.label, ox.Literal("a tumour of two minds", language="en")))
    assert run_reasoner(g).consistent is False


def test_an_equivalent_class_shares_the_inferred_superclass(mini_root):
    # HermiT prints a class's direct superclass once per equivalence set: each member must get it
    g = MemoryGraph.parse(mini_root / "ontology" / "netgraph.ttl")
    for cls in (NG.TwinA, NG.TwinB, NG.TwinParent):
        g.add((cls, RDF.type, OWL.Class))
    g.add((NG.TwinA, OWL.equivalentClass, NG.TwinB))
    g.add((NG.TwinA, RDFS.subClassOf, NG.TwinParent))
    result = run_reasoner(g)
    assert result.consistent and not result.unsatisfiable
    assert (NG.TwinB, NG.TwinParent) in result.inferred  # not asserted: inferred through the equivalence
    assert (NG.TwinA, NG.TwinParent) not in result.inferred  # asserted
    assert (NG.TwinA, NG.TwinB) not in result.inferred and (NG.TwinB, NG.TwinA) not in result.inferred


def test_a_reasoner_failure_is_a_clear_error(mini_root):
    # a literal HermiT cannot read as its datatype makes it fail: the error says so, no traceback of ours
    from netgraph.errors import ValidatorError

    g = MemoryGraph.parse(mini_root / "ontology" / "netgraph.ttl")
    g.add((NG.Tumour1, RDF.type, OWL.NamedIndividual))
    g.add((NG.Tumour1, NG.value, ox.Literal("not a number", datatype=XSD.integer)))
    with pytest.raises(ValidatorError, match=r"the reasoner \(HermiT\) failed \(exit \d+\)"):
        run_reasoner(g)


def test_committed_inferred_file_equals_a_fresh_reasoner_run(paths):
    assert paths.inferred.is_file(), "run `netgraph reason` and commit ontology/netgraph-inferred.ttl"
    result = write_inferred(paths, check=True)  # raises StaleFileError when it differs
    assert result.consistent and not result.unsatisfiable
    assert result.inferred, "the reasoner infers nothing: the defined classes are not doing their job"


def test_every_committed_inference_needs_the_reasoner(paths):
    onto = MemoryGraph.parse(paths.ontology_release)
    inferred = MemoryGraph.parse(paths.inferred)
    union = MemoryGraph([*onto, *inferred])
    for sub, _, sup in inferred:
        assert not _entailed(onto, sub, sup), f"{sub} ⊑ {sup} is already asserted"
        assert _entailed(union, sub, sup)


def test_validate_without_java_warns_and_runs_the_other_checks(mini_root, tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "PATH"}
    env["PATH"] = str(Path(sys.executable).parent)  # the venv's bin: no java there
    env["NETGRAPH_SHARED"] = str(mini_root.parent / "shared")
    proc = subprocess.run([sys.executable, "-m", "netgraph", "validate", "--root", str(mini_root)],
                          capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Java was not found" in proc.stdout and "reasoner check skipped" in proc.stdout
    assert re.search(r"conforms: .*qc \d+", proc.stdout)


def test_reason_without_java_exits_2_with_a_plain_message(mini_root):
    env = {k: v for k, v in os.environ.items() if k != "PATH"}
    env["PATH"] = str(Path(sys.executable).parent)
    proc = subprocess.run([sys.executable, "-m", "netgraph", "reason", "--root", str(mini_root), "--check"],
                          capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 2
    assert "Java was not found" in proc.stderr and "Traceback" not in proc.stderr


def test_validate_reports_an_unsatisfiable_class_and_a_stale_inferred_graph(mini_root):
    from netgraph.terms import IRI
    from netgraph.validation.graphstore import store_from_built
    from netgraph.validation.runner import validate_store

    write_inferred(project_paths(mini_root))
    with store_from_built(mini_root) as vs:
        fresh = validate_store(vs, root=mini_root, shacl=False, qc=False)
        vs.add_part("inferred", [ox.Triple(NG.Insulinoma, RDFS.subClassOf, NG.StaleParent)])
        vs.add_part("axioms", [ox.Triple(NG.Insulinoma, RDFS.subClassOf, NG.NonFunctionalNeuroendocrineNeoplasm)])
        broken = validate_store(vs, root=mini_root, shacl=False, qc=False)
    assert fresh.findings == [] and fresh.checks["reasoner"] == 1
    assert {(f.rule, f.focus) for f in broken.findings} == {
        ("reasoner/unsatisfiable-class", IRI(NG.Insulinoma.value)), ("reasoner/inferred-stale", None)}
