"""`netgraph load` and the HTTP layer against real Oxigraph and Virtuoso servers, and misbehaving peers,
on 127.0.0.1, started and stopped by the tests."""

from __future__ import annotations

import json
import re
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


# -- the HTTP layer against misbehaving peers on 127.0.0.1 ---------------------------------------


def _listener():
    import socket

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(8)
    return sock, f"http://127.0.0.1:{sock.getsockname()[1]}"


def _read_head(conn) -> tuple[bytes, dict[str, str]]:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            break
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
    return lines[0].encode() + b"\n" + rest, headers


def test_load_timeout_bounds_the_whole_request_against_a_trickling_store(empty_oxigraph_server, built):
    """Issue 12 item 14: a store that trickles its answer one byte at a time cannot hold `load` past --timeout."""
    import threading
    import time

    listener, url = _listener()
    stop = threading.Event()

    def trickle():
        conn, _ = listener.accept()
        with conn:
            _read_head(conn)
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 200\r\n\r\n")
            for _ in range(60):  # a byte every 0.25 s: each read succeeds, the whole answer takes 15 s
                if stop.wait(0.25):
                    return
                try:
                    conn.sendall(b".")
                except OSError:
                    return

    thread = threading.Thread(target=trickle, daemon=True)
    thread.start()
    start = time.monotonic()
    try:
        with pytest.raises(EndpointError) as info:
            push_to_endpoint(empty_oxigraph_server.query_url, graph_store=f"{url}/store", built=built, timeout=1.5,
                             retries=0)
        assert time.monotonic() - start < 6
        message = str(info.value)
        assert "did not answer within 1.5 s" in message and "chunk 1 of 1 (the chunk in flight)" in message
        assert "The store now holds, by content: ontology: 0 of" in message
    finally:
        stop.set()
        thread.join(timeout=5)
        listener.close()


class _DroppingProxy:
    """Forwards requests to a real store, but drops the connection after forwarding the N-th write."""

    def __init__(self, target: str, drop_write: int):
        import threading

        self.target, self.drop_write, self.writes = target, drop_write, 0
        self.listener, self.url = _listener()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        import http.client
        import urllib.parse

        while True:
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            with conn:
                first, headers = _read_head(conn)
                request_line, _, body = first.partition(b"\n")
                method, path, _ = request_line.decode().split(" ", 2)
                while len(body) < int(headers.get("content-length", 0)):
                    body += conn.recv(65536)
                parts = urllib.parse.urlsplit(self.target)
                upstream = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
                upstream.request(method, path, body=body or None,
                                 headers={k: v for k, v in headers.items() if k in ("content-type", "accept")})
                resp = upstream.getresponse()
                data = resp.read()
                if method in ("PUT", "POST") and path.startswith("/store"):
                    self.writes += 1
                    if self.writes == self.drop_write:
                        continue  # applied by the store, answer lost
                head = f"HTTP/1.1 {resp.status} {resp.reason}\r\nContent-Length: {len(data)}\r\n"
                ctype = resp.getheader("Content-Type")
                head += (f"Content-Type: {ctype}\r\n" if ctype else "") + "Connection: close\r\n\r\n"
                conn.sendall(head.encode() + data)

    def close(self):
        self.listener.close()


def test_a_lost_answer_reports_that_the_chunk_in_flight_was_applied(empty_oxigraph_server, built):
    """The store applies chunk 3 but its answer is lost: the report says so, by content, not by count."""
    proxy = _DroppingProxy(empty_oxigraph_server.url, drop_write=3)
    try:
        with pytest.raises(EndpointError) as info:
            push_to_endpoint(f"{proxy.url}/query", built=built, chunk_size=300, retries=0, timeout=10)
        message = str(info.value)
        assert "while sending graph 'ontology'" in message and "chunk 3 of" in message
        assert "ontology: exactly chunks 1-3 of" in message and "the chunk in flight was applied" in message
        assert "data: 0 of" in message and "not yet sent" in message
    finally:
        proxy.close()


def test_verification_compares_content_not_only_counts(empty_oxigraph_server, built):
    """Another writer swaps one triple for another while the load runs: same count, different content."""
    server = empty_oxigraph_server
    last = list(built.parts)[-1]
    victim = built.parts[last].lines[0]

    def meddle(event):
        if event.part == last and event.chunk == event.chunks:
            body = (f"DELETE DATA {{ GRAPH <{GRAPH_IRIS[last]}> {{ {victim} }} }} ;"
                    f"INSERT DATA {{ GRAPH <{GRAPH_IRIS[last]}> {{ <urn:x-test:a> <urn:x-test:b> 'swapped' }} }}")
            urllib.request.urlopen(urllib.request.Request(server.update_url, data=body.encode(),
                                   headers={"Content-Type": "application/sparql-update"}), timeout=10)

    with pytest.raises(EndpointError, match="verification failed") as info:
        push_to_endpoint(server.query_url, built=built, progress=meddle)
    assert "as many as expected, but their content differs (1 built triples missing, 1 triples not in" in str(info.value)


def test_digest_upload_never_sends_a_body_before_the_challenge(built):
    """Virtuoso answers 401 to an unauthenticated upload and closes the socket mid-body ("Broken pipe").

    This peer does the same; the client must fetch the challenge first, so every body it sends carries
    valid credentials (checked here by the RFC 7616 formula) and every upload succeeds.
    """
    import hashlib
    import threading

    from netgraph.stores.http import Auth, HttpClient

    listener, url = _listener()
    seen = {"unauthenticated bodies": 0, "accepted": 0, "bad": 0}

    def md5(s: str) -> str:
        return hashlib.md5(s.encode()).hexdigest()

    def serve():
        from urllib.request import parse_http_list, parse_keqv_list

        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            with conn:
                first, headers = _read_head(conn)
                method, path, _ = first.partition(b"\n")[0].decode().split(" ", 2)
                auth = headers.get("authorization", "")
                if not auth.startswith("Digest "):
                    if int(headers.get("content-length", 0)) > 0:
                        seen["unauthenticated bodies"] += 1
                    conn.sendall(b'HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Digest realm="SPARQL", '
                                 b'nonce="n0nce", opaque="op", qop="auth", algorithm="MD5"\r\n'
                                 b"Content-Length: 0\r\nConnection: close\r\n\r\n")
                    continue  # close without reading the body, as Virtuoso does
                p = parse_keqv_list(parse_http_list(auth[len("Digest "):]))
                ha1, ha2 = md5("loader:SPARQL:pw"), md5(f"{method}:{path}")
                good = p["response"] == md5(f"{ha1}:{p['nonce']}:{p['nc']}:{p['cnonce']}:auth:{ha2}")
                body = first.partition(b"\n")[2]
                while len(body) < int(headers.get("content-length", 0)):
                    body += conn.recv(1 << 20)
                seen["accepted" if good else "bad"] += 1
                conn.sendall(b"HTTP/1.1 %s\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                             % (b"204 No Content" if good else b"401 Unauthorized"))

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        client = HttpClient(Auth(user="loader", password="pw", scheme="digest"), timeout=10, retries=0)
        payload = ("\n".join(built.parts["mappings"].lines) + "\n").encode() * 4  # megabytes, as a real chunk
        for i in range(5):
            client.request("PUT", f"{url}/sparql-graph-crud-auth?graph=urn:g{i}", payload,
                           {"Content-Type": "text/turtle"})
        assert seen == {"unauthenticated bodies": 0, "accepted": 5, "bad": 0}
    finally:
        listener.close()


# -- a real Virtuoso (Debian's virtuoso-opensource) with its authenticated endpoints ------------

from servers import virtuoso_server  # noqa: E402  (a fixture: starts and stops Virtuoso)


def _virtuoso_graph(server, iri: str):
    """The graph as Virtuoso's open /sparql endpoint returns it, parsed by rdflib (independent of netgraph)."""
    from rdflib import Graph

    query = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{iri}> {{ ?s ?p ?o }} }}"
    req = urllib.request.Request(server.sparql, data=urllib.parse.urlencode({"query": query}).encode(),
                                 headers={"Accept": "text/turtle",
                                          "Content-Type": "application/x-www-form-urlencoded"})
    with urllib.request.urlopen(req, timeout=30) as resp:
        return Graph().parse(data=resp.read(), format="turtle")


def _isomorphic_to_built(server, root, part: str) -> bool:
    """The graph the store holds is the built one: blank nodes matched by content, and a number or a boolean
    compared by value (a store may spell one its own way: Virtuoso keeps "80"^^xsd:decimal as an integer)."""
    from rdflib import Graph

    from netgraph.graphs import part_files
    from netgraph.stores.loadcheck import comparable

    def lines(g):
        return [line for line in g.serialize(format="nt").splitlines() if line.strip()]

    held = lines(_virtuoso_graph(server, GRAPH_IRIS[part]))
    built = lines(Graph().parse(part_files(root)[part]))
    return comparable(part, held) == comparable(part, built)


def _virtuoso_counts(server) -> dict[str, int]:
    rows = _select(server.sparql, "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    return {r["g"]["value"]: int(r["n"]["value"]) for r in rows if r["g"]["value"] in GRAPH_IRIS.values()}


def test_virtuoso_digest_load_by_graph_store_verifies_and_a_second_load_duplicates_nothing(virtuoso_server, root,
                                                                                          built):
    server = virtuoso_server
    for chunk_size in (None, 2_000):  # the store's default (10,000 per request), then several chunks per graph
        report = push_to_endpoint(server.sparql_auth, graph_store=server.graph_crud_auth, built=built,
                                  user=server.user, password=server.password, auth_scheme="digest",
                                  chunk_size=chunk_size)
        assert report.found == report.expected == _expected(built)
        assert _virtuoso_counts(server) == _expected(built)  # asked independently, on the open endpoint
    assert report.chunk_size == 2_000
    assert _isomorphic_to_built(server, root, "ontology")


def test_virtuoso_basic_load_by_update_keeps_the_ontology_blank_nodes(virtuoso_server, root, built):
    """`--method update` loads every graph, the OWL restrictions' blank nodes included, in chunks Virtuoso takes."""
    server = virtuoso_server
    for _ in range(2):
        report = push_to_endpoint(server.sparql_basic, method="update", update_endpoint=server.sparql_basic,
                                  built=built, user=server.user, password=server.password, auth_scheme="basic")
        assert report.found == _expected(built)
        assert report.chunk_size == 1_000  # Virtuoso's compiler fails near 5,000 triples per INSERT DATA
        assert _virtuoso_counts(server) == _expected(built)
    assert _isomorphic_to_built(server, root, "ontology")


def test_virtuoso_basic_graph_store_and_wrong_credentials(virtuoso_server, root, built):
    server = virtuoso_server
    report = push_to_endpoint(server.sparql, graph_store=server.graph_crud_basic, built=built, graph="data",
                              user=server.user, password=server.password, auth_scheme="basic")
    assert report.found == {GRAPH_IRIS["data"]: len(built.parts["data"])}
    runner = CliRunner()
    result = runner.invoke(main, ["load", "--endpoint", server.sparql_auth, "--graph-store", server.graph_crud_auth,
                                  "--root", str(root), "--user", server.user, "--auth", "digest", "--graph", "data",
                                  "--no-progress"], env={"NETGRAPH_STORE_PASSWORD": "wrong"})
    assert result.exit_code == 2, result.output
    assert "HTTP 401" in result.output and "Check the credentials" in result.output
    assert "Traceback" not in result.output
    result = runner.invoke(main, ["load", "--endpoint", server.sparql_auth, "--graph-store", server.graph_crud_auth,
                                  "--root", str(root), "--user", server.user, "--graph", "data", "--no-progress"],
                           env={"NETGRAPH_STORE_PASSWORD": server.password})  # basic, where digest is wanted
    assert result.exit_code == 2 and "try --auth digest" in result.output
    result = runner.invoke(main, ["load", "--endpoint", server.sparql_auth, "--graph-store", server.graph_crud_auth,
                                  "--root", str(root), "--user", server.user, "--auth", "digest", "--no-progress"],
                           env={"NETGRAPH_STORE_PASSWORD": server.password})
    assert result.exit_code == 0, result.output
    assert result.output.count("content identical") == len(built.parts)


def test_query_endpoint_takes_the_same_authentication(virtuoso_server, built):
    server = virtuoso_server
    push_to_endpoint(server.sparql, graph_store=server.graph_crud_auth, built=built, graph="data",
                     user=server.user, password=server.password, auth_scheme="digest")
    runner = CliRunner()
    args = ["sparql", "-", "--endpoint", server.sparql_auth, "--format", "csv"]
    text = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{GRAPH_IRIS['data']}> {{ ?s ?p ?o }} }}"
    denied = runner.invoke(main, args, input=text)
    assert denied.exit_code == 2 and "HTTP 401" in denied.output and "--user" in denied.output
    for scheme, url in (("digest", server.sparql_auth), ("basic", server.sparql_basic)):
        ok = runner.invoke(main, ["sparql", "-", "--endpoint", url, "--format", "csv", "--user", server.user,
                                  "--auth", scheme], input=text, env={"NETGRAPH_STORE_PASSWORD": server.password})
        assert ok.exit_code == 0, ok.output
        assert ok.output.split() == ["n", str(len(built.parts["data"]))]


def test_chunk_sizes_follow_the_store():
    from netgraph.stores.load import chunk_size_for

    assert chunk_size_for("Virtuoso/07.20.3229 (Linux) x86_64-pc-linux-gnu", "update") == 1_000
    assert chunk_size_for("Virtuoso/07.20.3229 (Linux) x86_64-pc-linux-gnu", "gsp") == 10_000
    assert chunk_size_for("Oxigraph/0.5.13", "update") == 10_000
    assert chunk_size_for("Apache Jena Fuseki (5.0.0)", "update") == 2_000
    assert chunk_size_for("", "gsp") == 10_000


def test_the_http_layer_goes_through_the_proxy_of_the_environment(monkeypatch):
    """As urllib (and SPARQLWrapper) did: http_proxy is honoured, no_proxy exempts a host."""
    import threading

    from netgraph import open_graph

    listener, url = _listener()
    seen = []

    def proxy():
        conn, _ = listener.accept()
        with conn:
            first, _headers = _read_head(conn)
            seen.append(first.partition(b"\n")[0].decode())
            body = b'{"head": {"vars": ["x"]}, "results": {"bindings": [{"x": {"type": "literal", "value": "via"}}]}}'
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\nContent-Length: "
                         + str(len(body)).encode() + b"\r\nConnection: close\r\n\r\n" + body)

    thread = threading.Thread(target=proxy, daemon=True)
    thread.start()
    monkeypatch.setenv("http_proxy", url)
    monkeypatch.delenv("no_proxy", raising=False)
    monkeypatch.delenv("NO_PROXY", raising=False)
    try:
        rows = open_graph(endpoint="http://sparql.netgraph.invalid/query", retries=0, timeout=5).sparql(
            "SELECT ?x WHERE { ?x ?p ?o }")
        assert [str(v) for v in rows.column("x")] == ["via"]
        assert seen == ["POST http://sparql.netgraph.invalid/query HTTP/1.1"]
        monkeypatch.setenv("no_proxy", "sparql.netgraph.invalid")
        with pytest.raises(EndpointError, match=r"sparql.netgraph.invalid"):  # now resolved directly: no such host
            open_graph(endpoint="http://sparql.netgraph.invalid/query", retries=0, timeout=5).sparql("ASK {}")
    finally:
        listener.close()


def test_an_exported_password_alone_does_not_turn_authentication_on(oxigraph_server):
    """NETGRAPH_STORE_PASSWORD set for `load` must not break a query of an open endpoint without --user."""
    text = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    ok = CliRunner().invoke(main, ["sparql", "-", "--endpoint", oxigraph_server.query_url, "--format", "csv"],
                            input=text, env={"NETGRAPH_STORE_PASSWORD": "exported"})
    assert ok.exit_code == 0, ok.output
    bad = CliRunner().invoke(main, ["sparql", "-", "--endpoint", oxigraph_server.query_url, "--password", "x"],
                             input=text)
    assert bad.exit_code == 2 and "a password needs a user" in bad.output


def test_load_ignores_an_exported_password_without_a_user(empty_oxigraph_server, root):
    result = CliRunner().invoke(main, ["load", "--endpoint", empty_oxigraph_server.query_url, "--root", str(root),
                                       "--graph", "inferred", "--no-progress"], env={"NETGRAPH_STORE_PASSWORD": "x"})
    assert result.exit_code == 0, result.output


_SPELLINGS = b"""@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<urn:x-test:a> <urn:x-test:percent> "33.0"^^xsd:decimal , "1.50"^^xsd:decimal ;
    <urn:x-test:n> "033"^^xsd:integer ; <urn:x-test:d> "1E2"^^xsd:double ; <urn:x-test:b> "1"^^xsd:boolean ;
    <urn:x-test:label> "Tumour"@en-GB ;
    <urn:x-test:part> [ <urn:x-test:value> "2.50"^^xsd:decimal ; <urn:x-test:unit> "%" ] .
"""


def _spellings_graph():
    """A graph whose typed literals are not in canonical form (as a build writes "33.0"^^xsd:decimal)."""
    from netgraph.stores.canonical import BuiltGraph, parse_part

    return BuiltGraph({"data": parse_part("data", _SPELLINGS)})


def test_a_store_that_rewrites_literal_spellings_still_verifies(empty_oxigraph_server):
    """Oxigraph keeps values, not spellings ("33.0" comes back as "33"): the same graph, by value."""
    spellings = _spellings_graph()
    report = push_to_endpoint(empty_oxigraph_server.query_url, built=spellings)
    assert report.found == {GRAPH_IRIS["data"]: len(spellings.parts["data"])}
    held = _select(empty_oxigraph_server.query_url, f"SELECT ?o WHERE {{ GRAPH <{GRAPH_IRIS['data']}> "
                                                    "{ <urn:x-test:a> <urn:x-test:percent> ?o } }")
    assert sorted(r["o"]["value"] for r in held) != ["1.50", "33.0"]  # the store did rewrite them


def test_a_changed_value_is_still_a_difference(empty_oxigraph_server):
    from netgraph.stores.canonical import BuiltGraph, parse_part
    from netgraph.stores.loadcheck import comparable

    want = _spellings_graph().parts["data"]
    other = parse_part("data", _SPELLINGS.replace(b'"2.50"', b'"2.51"'))
    assert comparable("data", want.lines) != comparable("data", other.lines)
    assert comparable("data", want.lines) == comparable("data", parse_part("data", _SPELLINGS.replace(
        b'"1.50"', b'"1.5"').replace(b"en-GB", b"en-gb")).lines)
    push_to_endpoint(empty_oxigraph_server.query_url, built=BuiltGraph({"data": other}))
    from netgraph.stores.http import HttpClient
    from netgraph.stores.loadcheck import describe_held, fetch_graph

    lines = fetch_graph(HttpClient(), empty_oxigraph_server.query_url, want)
    # a value inside a blank node changes that node: its two triples and the one pointing at it differ
    assert "differ from the built graph (3 of its 9 triples missing, 3 triples not in it" in \
        describe_held(want, lines, None)


def test_virtuoso_keeps_the_values_of_typed_literals(virtuoso_server):
    server = virtuoso_server
    spellings = _spellings_graph()
    for kw in (dict(graph_store=server.graph_crud_auth), dict(method="update", update_endpoint=server.sparql_auth)):
        report = push_to_endpoint(server.sparql_auth, built=spellings, user=server.user, password=server.password,
                                  auth_scheme="digest", **kw)
        assert report.found == {GRAPH_IRIS["data"]: len(spellings.parts["data"])}


def test_a_result_size_limit_means_verified_by_count_only(tmp_path, root, built):
    """Virtuoso with a small ResultSetMaxRows returns a graph in part: the load says it verified the count only."""
    from servers import VirtuosoServer

    server = VirtuosoServer(tmp_path / "db", max_rows=1_000).start()
    try:
        result = CliRunner().invoke(main, ["load", "--endpoint", server.sparql, "--graph-store", server.graph_crud_auth,
                                           "--root", str(root), "--user", server.user, "--auth", "digest",
                                           "--graph", "data", "--no-progress"],
                                    env={"NETGRAPH_STORE_PASSWORD": server.password})
        assert result.exit_code == 0, result.output
        assert f"verified by count only: {GRAPH_IRIS['data']} holds {len(built.parts['data'])} triples" in result.output
        assert re.search(r"returned only 1,?00[01] to a CONSTRUCT", result.output.replace("\n", " "))
        assert "ResultSetMaxRows" in result.output
        assert "content identical" not in result.output
    finally:
        server.stop()


def test_a_whole_decimal_stored_as_an_integer_is_the_same_value_and_a_changed_one_is_not():
    """Regression: Virtuoso stores "100"^^xsd:decimal as "100"^^xsd:integer (one value space); the verification
    must accept that, and still see a changed number."""
    from netgraph.stores.loadcheck import comparable

    built = ['<urn:a> <urn:p> "100"^^<http://www.w3.org/2001/XMLSchema#decimal> .']
    held = ['<urn:a> <urn:p> "100"^^<http://www.w3.org/2001/XMLSchema#integer> .']
    changed = ['<urn:a> <urn:p> "101"^^<http://www.w3.org/2001/XMLSchema#integer> .']
    assert comparable("data", built) == comparable("data", held)
    assert comparable("data", built) != comparable("data", changed)
