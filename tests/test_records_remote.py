"""The records check on a remote store (issue 15): `records load` pushes the records graph and the
knowledge the shapes navigate into a real Oxigraph server on 127.0.0.1 (verified, idempotent), and
`records check --endpoint` finds exactly what the embedded engine finds, paging the answers; a timeout
is an error (exit 2), never "no findings"."""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from netgraph.errors import EndpointError
from netgraph.records.check import check_records
from netgraph.records.engine_remote import KNOWLEDGE_GRAPH, RECORDS_GRAPH, check_records_remote

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
import records_corpus as corpus  # noqa: E402


def _cli(*args):
    return subprocess.run([sys.executable, "-m", "netgraph", *args, "--root", str(ROOT)], capture_output=True,
                          text=True)


def _count(server, graph: str) -> int:
    q = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
    req = urllib.request.Request(f"{server.query_url}?query={urllib.parse.quote(q)}",
                                 headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(req, timeout=30) as r:
        return int(json.load(r)["results"]["bindings"][0]["n"]["value"])


def _key(f):
    return (f.record_id, f.row, f.rule, f.severity, f.fields, f.values, f.message, f.source, f.quote, f.basis, f.about)


@pytest.fixture()
def loaded(empty_oxigraph_server, tmp_path):
    path = tmp_path / "r.csv"
    corpus.write_corpus(path, 120, error_rate=0.6)
    r = _cli("records", "load", str(path), "--endpoint", empty_oxigraph_server.query_url)
    assert r.returncode == 0, r.stderr
    assert f"verified: {RECORDS_GRAPH} holds" in r.stdout and f"verified: {KNOWLEDGE_GRAPH} holds" in r.stdout
    return empty_oxigraph_server, path


def test_records_load_is_verified_and_idempotent(loaded):
    server, path = loaded
    before = (_count(server, RECORDS_GRAPH), _count(server, KNOWLEDGE_GRAPH))
    assert before[0] > 120 * 5 and before[1] > 100
    r = _cli("records", "load", str(path), "--endpoint", server.query_url)
    assert r.returncode == 0, r.stderr
    assert (_count(server, RECORDS_GRAPH), _count(server, KNOWLEDGE_GRAPH)) == before


def test_the_remote_check_finds_what_the_embedded_engine_finds_across_pages(loaded):
    server, path = loaded
    embedded = check_records(str(path), root=ROOT, engine="oxigraph")
    remote = check_records_remote(server.query_url, root=ROOT, page_size=7)
    assert remote.records == embedded.records == 120
    assert [_key(f) for f in remote.findings] == [_key(f) for f in embedded.findings]
    assert len(embedded.findings) > 50  # more answers than one page of several shapes: paging was needed
    r = _cli("records", "check", "--endpoint", server.query_url, "-f", "csv", "--page-size", "5")
    assert r.returncode == 1, r.stderr
    assert r.stdout == embedded.to_csv()


def test_a_timeout_is_an_error_not_an_empty_report(loaded):
    server, _ = loaded
    with pytest.raises(EndpointError, match="did not answer within"):
        check_records_remote(server.query_url, root=ROOT, timeout=0.0005, retries=0)
    r = _cli("records", "check", "--endpoint", server.query_url, "--timeout", "0.0005", "--retries", "0")
    assert r.returncode == 2 and "timed out" in r.stderr and "violations" not in r.stdout


def test_an_empty_records_graph_is_an_error(empty_oxigraph_server):
    r = _cli("records", "check", "--endpoint", empty_oxigraph_server.query_url)
    assert r.returncode == 2 and "holds no" in r.stderr and "records load" in r.stderr


def test_file_and_endpoint_are_exclusive(tmp_path):
    r = _cli("records", "check")
    assert r.returncode == 2 and "either FILE or --endpoint" in r.stderr


def test_the_knowledge_graph_alone_for_records_bulk_loaded_by_the_store(empty_oxigraph_server, tmp_path):
    server = empty_oxigraph_server
    r = _cli("records", "load", "--knowledge-only", "--endpoint", server.query_url)
    assert r.returncode == 0, r.stderr
    assert _count(server, KNOWLEDGE_GRAPH) > 100 and _count(server, RECORDS_GRAPH) == 0
    r = _cli("records", "load", "--endpoint", server.query_url)
    assert r.returncode == 2 and "--knowledge-only" in r.stderr
