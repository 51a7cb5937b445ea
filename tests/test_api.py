"""The Python API: opening the graph, typed parameters, entity resolution, result shape,
raw SPARQL, and what the remote backend says when an endpoint misbehaves."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

import netgraph
from netgraph.api import KnowledgeGraph, open_graph
from netgraph.backends.remote import RemoteBackend
from netgraph.errors import EndpointError, ParameterError, QueryError
from netgraph.prefixes import expand, prefix_map, sparql_prolog
from netgraph.sparqltext import prepare
from netgraph.terms import IRI, Literal

from conftest import free_port

INSULINOMA = expand("netgraph:Insulinoma")


@pytest.fixture(scope="module")
def kg(store, paths) -> KnowledgeGraph:
    return open_graph(store, root=paths.root)


def test_open_graph_defaults_to_the_embedded_store(paths):
    with netgraph.open_graph(root=paths.root) as kg:
        assert kg.backend.name == "embedded"
        assert "embedded" in repr(kg)
        assert len(kg.query("sources")) > 0


def test_catalogue_lists_the_canned_queries_without_qc(kg, paths):
    from netgraph.catalogue import load_catalogue

    names = set(kg.catalogue)
    assert {"tumours-secreting-hormone", "search", "crosswalk", "statements-by-source"} <= names
    assert not any(n.startswith("qc/") for n in names)
    assert names == set(load_catalogue(paths.root, qc=False))
    assert all(q.summary and q.description for q in kg.catalogue.values())


@pytest.mark.parametrize("value", [
    INSULINOMA, f"<{INSULINOMA}>", IRI(INSULINOMA), "netgraph:Insulinoma", "Insulinoma", "insulinoma", "INSULINOMA",
    "pancreatic insulinoma",  # a synonym
])
def test_an_entity_can_be_named_many_ways(kg, value):
    assert kg.resolve(value).iri == INSULINOMA
    rows = kg.query("tumour-hormones-symptoms", tumour=value, inherited=False)
    assert rows.keys() == kg.query("tumour-hormones-symptoms", tumour="netgraph:Insulinoma", inherited=False).keys()


def test_labels_resolve_in_any_language(kg):
    assert kg.resolve("alvleesklier") == "netgraph:Pancreas"  # Dutch label
    assert kg.resolve("MEN1") == "netgraph:MultipleEndocrineNeoplasiaType1"  # English synonym
    assert kg.resolve("nhs-net") == "ngsrc:nhs-net"  # a source id
    assert kg.resolve("ORPHA:97253") == "netgraph:PancreaticNeuroendocrineTumour"  # an exact match's code


@pytest.fixture(scope="module")
def prebuilt_kg(paths) -> KnowledgeGraph:
    """The default embedded graph: the prebuilt on-disk store and its label index."""
    return open_graph(root=paths.root)


def test_the_label_strategies_agree(prebuilt_kg):
    """SPARQL lookups (remote), the in-memory label index (rdflib) and the prebuilt store's file index agree."""
    from netgraph.params import EntityResolver

    kg = prebuilt_kg
    assert kg.backend.label_index is not None  # the embedded backend opened the prebuilt store
    by_query = EntityResolver(kg._lookup)
    by_index = EntityResolver(kg._lookup, index_labels=True)
    by_file = EntityResolver(kg._lookup, label_index=kg.backend.label_index)
    for value in ("insulinoma", "INSULINOMA", "alvleesklier", "MEN1", "pancreatic insulinoma", "gastric NET",
                  "pancrea", "no such thing", "Opvliegers", "gut"):
        outcomes = []
        for resolver in (by_query, by_index, by_file):
            try:
                outcomes.append(resolver.resolve(value).iri)
            except ParameterError as exc:
                outcomes.append(str(exc))
        assert outcomes[0] == outcomes[1] == outcomes[2], value


def test_the_file_label_index_gives_the_in_memory_hits_for_every_label(prebuilt_kg):
    """Every label and synonym of the graph (any case) finds the same entities in the file as in memory."""
    from netgraph.params import EntityResolver

    kg = prebuilt_kg
    in_memory = EntityResolver(kg._lookup, index_labels=True)
    by_file = EntityResolver(kg._lookup, label_index=kg.backend.label_index)
    keys = sorted({low for _, _, _, low in in_memory._labels()})
    assert len(keys) > 1000
    for key in keys:
        assert by_file._exact(key) == in_memory._exact(key), key
        assert by_file._exact(key.upper()) == in_memory._exact(key.upper()), key
    assert by_file._exact("no label is this") == []


def test_an_ambiguous_label_lists_the_candidates(kg):
    with pytest.raises(ParameterError) as err:
        kg.query("entity", entity="gut")  # a synonym of two sites, the label of neither
    message = str(err.value)
    assert "names 2 entities" in message
    assert "netgraph:GastrointestinalTract" in message and "netgraph:Intestine" in message


def test_an_unknown_label_suggests_labels_containing_it(kg):
    with pytest.raises(ParameterError, match=r"no entity has the label or synonym 'pancrea'.*netgraph:Pancreas \(pancreas\)"):
        kg.query("entity", entity="pancrea")
    with pytest.raises(ParameterError, match="not an entity of the graph"):
        kg.query("entity", entity="netgraph:NoSuchThing")


def test_unknown_queries_and_parameters_are_clear_errors(kg):
    with pytest.raises(QueryError, match="did you mean tumour-diagnostics"):
        kg.query("tumor-diagnostics")
    with pytest.raises(ParameterError, match="its parameters: hormone, subtypes"):
        kg.query("tumours-secreting-hormone", hormon="insulin")
    header = ("#+ summary: x\n#+ description: x\n#+ params:\n#+   tumour:\n#+     type: entity\n"
              "#+     description: a tumour\nSELECT ?_tumour ?label WHERE { ?_tumour rdfs:label ?label } ORDER BY ?label\n")
    with pytest.raises(ParameterError, match="needs parameter 'tumour'"):
        kg.sparql(header)
    assert {str(r["label"]) for r in kg.sparql(header, tumour="insulinoma")} == {"insulinoma"}


def test_rows_have_a_stable_shape(kg):
    r = kg.query("tumours-secreting-hormone", hormone="insulin")
    assert r.columns == ("tumour", "tumourLabel", "statedFor", "statedForLabel", "substance", "substanceLabel",
                         "basis", "frequency", "source", "quote", "statement")
    row = r[0]
    assert row["tumour"] == row[0] == row.tumour == "netgraph:Insulinoma"
    assert row["tumour"].iri == INSULINOMA
    assert isinstance(row["tumourLabel"], Literal) and row["tumourLabel"].language == "en"
    assert list(row.asdict()) == list(r.columns)
    axiom = next(x for x in r if x["basis"] == "class axiom")
    assert axiom["source"] is None and axiom.asdict()["quote"] is None
    assert r.select("tumour", "basis").columns == ("tumour", "basis")


def test_results_convert_to_csv_tsv_json_and_dicts(kg):
    r = kg.query("crosswalk", entity="insulinoma")
    dicts = r.to_dicts()
    assert {"entity": "netgraph:Insulinoma", "entityLabel": "insulinoma", "mapping": "skos:exactMatch",
            "mappingLabel": "exact match", "code": "NCIT:C95598"} in dicts
    assert list(csv.DictReader(io.StringIO(r.to_csv()))) == dicts
    assert list(csv.DictReader(io.StringIO(r.to_tsv()), delimiter="\t")) == dicts
    assert json.loads(r.to_json()) == dicts
    full = r.to_dicts(iris=True)
    assert {"entity": INSULINOMA, "code": expand("NCIT:C95598")}.items() <= \
        next(d for d in full if d["code"].endswith("C95598")).items()
    table = r.to_table(80)
    assert all(len(line) <= 80 for line in table.splitlines())
    compact = r.to_table(60, compact=True)  # drops `entity` (beside `entityLabel`) before cutting cells
    assert compact.splitlines()[0].split() == ["entityLabel", "mapping", "mappingLabel", "code"]
    assert compact.splitlines()[-1].startswith("(not shown to fit the terminal: entity;")
    axiom_rows = kg.query("tumours-secreting-hormone", hormone="insulin")
    assert ",class axiom,," in axiom_rows.to_csv()  # unbound cells are empty in CSV ...
    assert any(d["source"] is None for d in json.loads(axiom_rows.to_json()))  # ... and null in JSON


def test_to_dataframe_with_and_without_pandas(kg, monkeypatch):
    r = kg.query("crosswalk", entity="insulinoma")
    monkeypatch.setitem(sys.modules, "pandas", None)  # as if pandas were not installed
    with pytest.raises(QueryError, match="pip install"):
        r.to_dataframe()
    monkeypatch.undo()
    pd = pytest.importorskip("pandas")
    df = r.to_dataframe()
    assert isinstance(df, pd.DataFrame) and list(df.columns) == list(r.columns) and len(df) == len(r)


def test_raw_sparql_select_ask_construct(kg):
    r = kg.sparql("SELECT ?label WHERE { netgraph:Insulinoma rdfs:label ?label } ORDER BY ?label")
    assert [str(x) for x in r.column("label")] == ["insulinoma"]
    assert kg.sparql("ASK { netgraph:Insulinoma rdfs:subClassOf+ netgraph:NeuroendocrineNeoplasm }").boolean is True
    c = kg.sparql("CONSTRUCT { netgraph:Insulinoma ?p ?o } WHERE { netgraph:Insulinoma ?p ?o FILTER(isLiteral(?o)) }")
    assert c.columns == ("subject", "predicate", "object") and len(c) > 2
    bound = kg.sparql("SELECT ?_t ?label WHERE { ?_t rdfs:label ?label }", t="netgraph:Insulinoma")
    assert [str(x) for x in bound.column("label")] == ["insulinoma"]


def test_raw_sparql_errors(kg):
    with pytest.raises(QueryError, match="syntax"):
        kg.sparql("SELECT ?x WHERE { ?x ")
    with pytest.raises(QueryError, match="update"):
        kg.sparql("DROP ALL")
    with pytest.raises(QueryError, match="SELECT clause"):
        kg.sparql("SELECT ?label WHERE { ?_t rdfs:label ?label }", t="netgraph:Insulinoma")


def test_prefixes_come_from_the_map():
    q = prepare("SELECT * WHERE { ?s skos:exactMatch ORPHA:97253 }")
    assert sparql_prolog(used_in="skos:x ORPHA:1") in q.text
    assert "PREFIX rdfs:" not in q.text
    # a declaration that differs from the map, built at run time (no namespace is typed in this file)
    other = "PREFIX skos" + ": <" + prefix_map()["netgraph"] + "not-skos#> SELECT * WHERE { ?s skos:x ?o }"
    assert prepare(other).text.count("PREFIX skos:") == 1  # an ad-hoc query's own declaration wins
    with pytest.raises(QueryError, match="differs from the prefix map"):
        prepare(other, strict=True)


def test_a_users_rdflib_graph_gives_the_same_rows(kg, union_graph, paths):
    mine = open_graph(union_graph, root=paths.root)
    assert mine.backend.name == "rdflib"
    for name, params in (("crosswalk", {"entity": "insulinoma"}), ("path-to-root", {"class": "insulinoma"})):
        assert mine.query(name, params).keys() == kg.query(name, params).keys()


def test_the_embedded_path_never_imports_rdflib(paths):
    code = ("import sys, netgraph\n"
            f"kg = netgraph.open_graph(root={str(paths.root)!r})\n"
            "kg.query('tumours-secreting-hormone', hormone='insulin').to_csv()\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('rdflib', 'SPARQLWrapper', 'pandas')))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# -- the remote backend against endpoints that misbehave (real HTTP servers on 127.0.0.1) -----

SELECT_JSON = json.dumps({"head": {"vars": ["x"]},
                          "results": {"bindings": [{"x": {"type": "uri", "value": INSULINOMA}}]}}).encode()


class Endpoint:
    """A tiny HTTP endpoint answering from a script of (status, headers, body, delay) steps."""

    def __init__(self, script):
        self.script = list(script)
        self.requests = 0
        endpoint = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                self.rfile.read(int(self.headers.get("Content-Length", 0)))
                step = endpoint.script[min(endpoint.requests, len(endpoint.script) - 1)]
                endpoint.requests += 1
                status, headers, body, delay = step
                time.sleep(delay)
                try:
                    self.send_response(status)
                    for k, v in headers.items():
                        self.send_header(k, v)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/query"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def endpoint():
    made = []

    def make(*script):
        made.append(Endpoint(script))
        return made[-1]

    yield make
    for e in made:
        e.close()


JSON = {"Content-Type": "application/sparql-results+json"}


def remote(url, **kw) -> KnowledgeGraph:
    kw.setdefault("backoff", 0.01)
    return open_graph(backend=RemoteBackend(url, **kw))


def test_a_timeout_is_an_error_never_an_empty_result(endpoint):
    slow = endpoint((200, JSON, SELECT_JSON, 3.0))
    start = time.monotonic()
    with pytest.raises(EndpointError, match="did not answer within 1 s"):
        remote(slow.url, timeout=1, retries=2).sparql("SELECT ?x WHERE { ?x ?p ?o }")
    assert time.monotonic() - start < 2.5  # a timeout is not retried
    assert slow.requests == 1


def test_a_trickling_answer_is_bounded_by_the_whole_timeout():
    """The timeout bounds the whole request: a server sending one byte at a time cannot stretch it."""
    import socket

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    stop = threading.Event()

    def trickle():
        conn, _ = listener.accept()
        with conn:
            conn.recv(65536)
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\n"
                         b"Content-Length: 1000\r\n\r\n")
            for byte in (SELECT_JSON * 10)[:25]:  # about 5 s of trickle, then the connection closes
                if stop.wait(0.2):
                    return
                try:
                    conn.sendall(bytes([byte]))
                except OSError:
                    return

    thread = threading.Thread(target=trickle, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{listener.getsockname()[1]}/query"
    start = time.monotonic()
    try:
        with pytest.raises(EndpointError, match="did not answer within 1 s"):
            remote(url, timeout=1, retries=0).sparql("SELECT ?x WHERE { ?x ?p ?o }")
        assert time.monotonic() - start < 2.5
    finally:
        stop.set()
        thread.join(timeout=5)
        listener.close()


def test_transient_errors_are_retried(endpoint):
    flaky = endpoint((503, {}, b"busy", 0), (502, {}, b"bad gateway", 0), (200, JSON, SELECT_JSON, 0))
    r = remote(flaky.url, retries=2).sparql("SELECT ?x WHERE { ?x ?p ?o }")
    assert [str(x) for x in r.column("x")] == ["netgraph:Insulinoma"] and flaky.requests == 3
    down = endpoint((503, {"Retry-After": "0"}, b"Service Unavailable: overloaded", 0))
    with pytest.raises(EndpointError, match=r"HTTP 503.*overloaded.*tried 3 times"):
        remote(down.url, retries=2).sparql("SELECT ?x WHERE { ?x ?p ?o }")


@pytest.mark.parametrize("status, body, expected", [
    (400, b"Parser error at line 1: unexpected '}'", r"HTTP 400 Bad Request: Parser error at line 1: unexpected '}'"),
    (500, b"evaluation failed: out of memory", r"HTTP 500.*evaluation failed: out of memory"),
    (404, b"no such dataset", r"HTTP 404.*no such dataset"),
    (403, b"forbidden for you", r"HTTP 403.*forbidden for you"),
])
def test_an_endpoint_error_says_what_the_endpoint_answered(endpoint, status, body, expected):
    e = endpoint((status, {"Content-Type": "text/plain"}, body, 0))
    with pytest.raises(EndpointError, match=expected):
        remote(e.url, retries=0).sparql("SELECT ?x WHERE { ?x ?p ?o }")
    assert e.requests == 1  # not transient: not retried


def test_odd_answers_are_errors(endpoint):
    html = endpoint((200, {"Content-Type": "text/html"}, b"<html>login page</html>", 0))
    with pytest.raises(EndpointError, match="did not answer with SPARQL JSON results: <html>login page"):
        remote(html.url).sparql("SELECT ?x WHERE { ?x ?p ?o }")
    partial = endpoint((200, {**JSON, "X-SQL-State": "S1TAT"}, SELECT_JSON, 0))
    with pytest.raises(EndpointError, match="partial results"):
        remote(partial.url).sparql("SELECT ?x WHERE { ?x ?p ?o }")


def test_an_unreachable_endpoint(endpoint):
    url = f"http://127.0.0.1:{free_port()}/query"
    with pytest.raises(EndpointError, match=r"cannot connect.*tried 2 times"):
        remote(url, retries=1).sparql("SELECT ?x WHERE { ?x ?p ?o }")
    with pytest.raises(EndpointError, match="not an http"):
        open_graph(endpoint="ftp://example.org/sparql")
