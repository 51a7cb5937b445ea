"""`netgraph load` against real Oxigraph servers on 127.0.0.1, started and stopped by the tests."""

from __future__ import annotations

import json
import urllib.parse
import urllib.request

import pytest
from click.testing import CliRunner

from conftest import OxigraphServer
from netgraph.cli import main
from netgraph.errors import EndpointError, InputError
from netgraph.graphs import GRAPH_IRIS
from netgraph.stores.load import derive_endpoints, push_to_endpoint


def _select(url: str, query: str) -> list[dict]:
    body = urllib.parse.urlencode({"query": query}).encode()
    req = urllib.request.Request(url, data=body, headers={"Accept": "application/sparql-results+json",
                                                          "Content-Type": "application/x-www-form-urlencoded"})
    with urllib.request.urlopen(req, timeout=10) as resp:
        return json.loads(resp.read())["results"]["bindings"]


def _counts(server: OxigraphServer) -> dict[str, int]:
    rows = _select(server.query_url, "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    return {r["g"]["value"]: int(r["n"]["value"]) for r in rows}


def _expected(built) -> dict[str, int]:
    return {p.iri: len(p) for p in built.parts.values()}


def test_load_verifies_and_a_second_load_duplicates_nothing(empty_oxigraph_server, built):
    server = empty_oxigraph_server
    events = []
    report = push_to_endpoint(server.query_url, built=built, chunk_size=200, progress=events.append)
    assert report.found == report.expected == _expected(built)
    assert _counts(server) == _expected(built)  # asked independently of netgraph
    assert events and events[-1].triples_sent == events[-1].triples_total
    assert max(e.chunks for e in events) > 1 or max(len(p) for p in built.parts.values()) <= 200
    again = push_to_endpoint(server.query_url, built=built, chunk_size=200)
    assert again.found == _expected(built)
    assert _counts(server) == _expected(built)


def test_load_by_sparql_update(empty_oxigraph_server, built):
    server = empty_oxigraph_server
    push_to_endpoint(server.query_url, built=built, graph="data")  # something to replace
    report = push_to_endpoint(server.query_url, method="update", update_endpoint=server.update_url, built=built,
                              chunk_size=150)
    assert report.found == _expected(built)
    assert _counts(server) == _expected(built)


def test_load_keeps_other_graphs(empty_oxigraph_server, built):
    server = empty_oxigraph_server
    body = b"INSERT DATA { GRAPH <urn:x-test:other> { <urn:x-test:a> <urn:x-test:b> <urn:x-test:c> } }"
    urllib.request.urlopen(urllib.request.Request(server.update_url, data=body,
                                                  headers={"Content-Type": "application/sparql-update"}), timeout=10)
    push_to_endpoint(server.query_url, built=built, graph="ontology")
    counts = _counts(server)
    assert counts["urn:x-test:other"] == 1
    assert counts[GRAPH_IRIS["ontology"]] == len(built.parts["ontology"])


def test_server_stopped_mid_load_is_an_error_that_says_what_the_store_holds(tmp_path, built):
    server = OxigraphServer(tmp_path / "db").start()
    accepted = {}
    try:
        def stop_after_second_chunk(event):
            if event.part == "ontology" and event.chunk == 2:
                accepted["triples"] = event.triples_sent
                server.stop()

        with pytest.raises(EndpointError) as info:
            push_to_endpoint(server.query_url, built=built, chunk_size=100, progress=stop_after_second_chunk,
                             timeout=5)
        message = str(info.value)
        assert "while sending graph 'ontology'" in message and "chunk 3 of" in message
        assert "could not be asked" in message
        assert f"ontology: {accepted['triples']} of {len(built.parts['ontology'])} triples accepted" in message
        assert "partial, chunks 1-2" in message
        assert "nothing is duplicated" in message
        # the store comes back: it holds the partial graph, and a new load replaces it
        server.start()
        assert _counts(server)[GRAPH_IRIS["ontology"]] == accepted["triples"]
        report = push_to_endpoint(server.query_url, built=built)
        assert report.found == _expected(built)
    finally:
        server.stop()


def test_refused_load_says_what_the_store_holds(tmp_path, built):
    import pyoxigraph as ox

    ox.Store(str(tmp_path / "db")).flush()  # an empty store for the read-only server to open
    server = OxigraphServer(tmp_path / "db", read_only=True).start()
    try:
        with pytest.raises(EndpointError) as info:
            push_to_endpoint(server.query_url, built=built, timeout=5)
        message = str(info.value)
        assert "HTTP 403" in message and "read-only" in message
        assert "The store now holds, by content: ontology: 0 of" in message
        assert "chunk 1 (the chunk in flight) was not applied" in message
    finally:
        server.stop()


def test_mismatch_is_an_error(empty_oxigraph_server, built):
    """Another writer adds a triple to the graph while it loads: verification catches it."""
    server = empty_oxigraph_server
    last = list(built.parts)[-1]

    def meddle(event):
        if event.part == last and event.chunk == event.chunks:
            body = f"INSERT DATA {{ GRAPH <{GRAPH_IRIS[last]}> {{ <urn:x-test:a> <urn:x-test:b> 'extra' }} }}"
            urllib.request.urlopen(urllib.request.Request(server.update_url, data=body.encode(),
                                   headers={"Content-Type": "application/sparql-update"}), timeout=10)

    with pytest.raises(EndpointError, match="verification failed") as info:
        push_to_endpoint(server.query_url, built=built, progress=meddle)
    assert f"holds {len(built.parts[last]) + 1} triples, expected {len(built.parts[last])}" in str(info.value)


def test_endpoint_derivation():
    assert derive_endpoints("http://127.0.0.1:7878/query", None, None, "gsp") == ("http://127.0.0.1:7878/store", None)
    assert derive_endpoints("http://h/query", None, None, "update") == (None, "http://h/update")
    assert derive_endpoints("http://h/ds/sparql", "http://h/ds/data", None, "gsp") == ("http://h/ds/data", None)
    with pytest.raises(InputError, match="--graph-store"):
        derive_endpoints("http://h/ds/sparql", None, None, "gsp")
    with pytest.raises(InputError, match="not an http"):
        derive_endpoints("file:///tmp/x", None, None, "gsp")


def test_credentials_are_checked():
    with pytest.raises(InputError, match="not both"):
        push_to_endpoint("http://127.0.0.1:1/query", user="u", token="t")
    with pytest.raises(InputError, match="needs a user"):
        push_to_endpoint("http://127.0.0.1:1/query", password="p")


def test_cli_load(empty_oxigraph_server, root, built):
    server = empty_oxigraph_server
    runner = CliRunner()
    result = runner.invoke(main, ["load", "--endpoint", server.query_url, "--root", str(root), "--no-progress",
                                  "--user", "reader", "--password", "secret"])
    assert result.exit_code == 0, result.output
    assert result.output.count("verified:") == len(built.parts)
    assert _counts(server) == _expected(built)
    result = runner.invoke(main, ["load", "--endpoint", "http://127.0.0.1:1/sparql", "--root", str(root)])
    assert result.exit_code == 2
    assert "--graph-store" in result.output and "Traceback" not in result.output
