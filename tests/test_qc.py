"""Every QC query is well formed and fires on its bad fixture; the mini project makes none fire."""

from __future__ import annotations

import pytest

from _validation_support import (FIXTURES, fixture_focus, focus_matches, load_fixture, mini_graphs,
                                 mini_root, mini_shared)
from netgraph.paths import project_paths
from netgraph.validation.qc import SourceTexts, qc_queries, qc_store, run_qc

QUERIES = qc_queries(project_paths())
QC_FIXTURES = sorted((FIXTURES / "qc").glob("*.ttl"))


def test_every_qc_query_has_a_header_with_severity_and_a_bad_fixture():
    assert len(QUERIES) >= 10
    for name, q in QUERIES.items():
        assert q.severity in ("error", "warning", "info"), name
        assert len(q.description) > 60, f"{name}: describe what the check finds and how to fix it"
        assert "?entity ?property ?value" in q.text, name
        assert not q.params, f"{name}: QC queries take no parameters"
    assert {f"qc/{p.stem}" for p in QC_FIXTURES} == set(QUERIES)


def _run(mini_graphs, mini_root, mini_shared, extra=None, only=None):
    graphs = dict(mini_graphs)
    if extra is not None:
        graphs["user"] = extra
    store = qc_store(graphs, mini_root / "ontology" / "netgraph-edit.ttl")
    queries = {n: q for n, q in QUERIES.items() if only is None or n == only}
    return run_qc(store, queries, SourceTexts.from_project(project_paths(mini_root), mini_shared))


def test_mini_project_makes_no_qc_query_fire(mini_graphs, mini_root, mini_shared):
    findings, notes, ran = _run(mini_graphs, mini_root, mini_shared)
    assert findings == [] and notes == []
    assert ran == len(QUERIES)


@pytest.mark.parametrize("fixture", QC_FIXTURES, ids=lambda p: p.stem)
def test_qc_query_fires_on_its_bad_fixture(fixture, mini_graphs, mini_root, mini_shared):
    name = f"qc/{fixture.stem}"
    findings, _notes, _ran = _run(mini_graphs, mini_root, mini_shared, load_fixture(fixture), only=name)
    expected = fixture_focus(fixture)
    assert findings, f"{name} returned no row on {fixture.name}"
    assert any(focus_matches(f.focus, expected) for f in findings), [f.focus for f in findings]
    for f in findings:
        assert f.rule == name and f.check == "qc" and f.path is not None and f.value is not None
        assert f.severity == {"error": "Violation", "warning": "Warning", "info": "Info"}[QUERIES[name].severity]


def test_source_text_checks_are_skipped_and_said_so_without_the_shared_folder(mini_graphs, mini_root):
    store = qc_store(mini_graphs, mini_root / "ontology" / "netgraph-edit.ttl")
    _findings, notes, ran = run_qc(store, QUERIES, None)
    skipped = [n for n, q in QUERIES.items() if "needs-source-texts" in q.tags]
    assert skipped and ran == len(QUERIES) - len(skipped)
    assert len(notes) == len(skipped) and all("shared curation folder" in n for n in notes)


def test_quote_check_ignores_whitespace_but_not_words(mini_root, mini_shared):
    texts = SourceTexts.from_project(project_paths(mini_root), mini_shared)
    src = "https://w3id.org/netgraph/source/mini"
    assert texts.contains("low   blood sugar\n(hypoglycaemia)", src) is True
    assert texts.contains("low blood sugar (hyperglycaemia)", src) is False
    assert texts.contains("anything", "https://w3id.org/netgraph/source/unknown") is None
