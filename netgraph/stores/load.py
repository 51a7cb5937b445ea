"""`netgraph load`: push each named graph into a running store, then verify it.

Each part goes into its named graph (``https://w3id.org/netgraph/graph/<part>``)
by the SPARQL 1.1 Graph Store HTTP Protocol: the first chunk is a ``PUT``
(which replaces the graph, so a second load duplicates nothing) and the next
chunks are ``POST`` (which add to it). Where a store has no Graph Store
endpoint, ``method="update"`` sends ``DROP SILENT GRAPH`` + ``INSERT DATA``
through SPARQL 1.1 Update instead. Chunks are N-Triples (valid Turtle and
valid inside ``INSERT DATA``); every triple with a blank node goes in the first
chunk of its graph, because a blank-node label means the same node only within
one request.

After the last chunk the store is asked, through its query endpoint, how many
triples each graph holds; a mismatch is an :class:`~netgraph.errors.EndpointError`
that gives both counts. A load that breaks off (store stopped, connection
dropped, HTTP error) is an :class:`~netgraph.errors.EndpointError` that says
which graph and chunk failed and what the store now holds (or, when it cannot
be asked, what had been accepted before the failure).

Endpoints: ``endpoint`` is the SPARQL query endpoint (the URL the query API
takes). For an Oxigraph server (``…/query``) the Graph Store and Update
endpoints default to the sibling ``…/store`` and ``…/update``; for other
stores give ``graph_store`` or ``update_endpoint`` (docs/stores.md lists them).
"""

from __future__ import annotations

import json
import time
import urllib.parse
from dataclasses import dataclass
from typing import Callable, Mapping

from ..errors import EndpointError, InputError
from .canonical import BuiltGraph, PartGraph, load_built_graph
from .http import Auth, HttpClient, HttpStatusError, TransportError, check_url

__all__ = ["LoadProgress", "LoadReport", "push_to_endpoint", "store_counts", "derive_endpoints", "METHODS"]

METHODS = ("gsp", "update")
_TURTLE = "text/turtle; charset=utf-8"


@dataclass(frozen=True)
class LoadProgress:
    """Reported after each accepted chunk."""

    part: str
    graph: str
    chunk: int
    chunks: int
    triples_sent: int  # in this graph so far
    triples_total: int  # in this graph


@dataclass(frozen=True)
class LoadReport:
    """A verified load: the triples each graph should hold and does hold."""

    endpoint: str
    method: str
    expected: Mapping[str, int]  # graph IRI -> triples
    found: Mapping[str, int]
    seconds: float

    @property
    def triples(self) -> int:
        return sum(self.expected.values())


def derive_endpoints(endpoint: str, graph_store: str | None, update_endpoint: str | None,
                     method: str) -> tuple[str | None, str | None]:
    """Fill in Oxigraph's ``…/store`` and ``…/update`` beside a ``…/query`` endpoint where not given."""
    check_url(endpoint, "query endpoint")
    if method not in METHODS:
        raise InputError(f"unknown load method {method!r}; use one of {', '.join(METHODS)}")
    base, _, last = endpoint.rstrip("/").rpartition("/")
    oxigraph_like = last == "query" and "?" not in endpoint
    if method == "gsp" and graph_store is None:
        if not oxigraph_like:
            raise InputError(f"give the store's Graph Store endpoint with --graph-store (or use --method update "
                             f"with --update-endpoint); it is only guessed for an Oxigraph …/query endpoint, "
                             f"and {endpoint} is not one")
        graph_store = f"{base}/store"
    if method == "update" and update_endpoint is None:
        if not oxigraph_like:
            raise InputError(f"give the store's SPARQL Update endpoint with --update-endpoint; it is only guessed "
                             f"for an Oxigraph …/query endpoint, and {endpoint} is not one")
        update_endpoint = f"{base}/update"
    for url, what in ((graph_store, "Graph Store endpoint"), (update_endpoint, "update endpoint")):
        if url is not None:
            check_url(url, what)
    return graph_store, update_endpoint


def _chunks(part: PartGraph, size: int) -> list[list[str]]:
    """N-Triples lines in chunks; every line with a blank node is in the first chunk."""
    flags = [_has_bnode(line) for line in part.lines]
    with_bnode = [line for line, f in zip(part.lines, flags) if f]
    plain = [line for line, f in zip(part.lines, flags) if not f]
    first = with_bnode + plain[: max(0, size - len(with_bnode))]
    rest = plain[max(0, size - len(with_bnode)):]
    return [first] + [rest[i:i + size] for i in range(0, len(rest), size)]


def _has_bnode(line: str) -> bool:
    # a blank node is a term starting with "_:" outside a literal; literals start with '"'
    return "_:" in line and (line.startswith("_:") or " _:" in line.split('"', 1)[0])


def _graph_url(graph_store: str, iri: str) -> str:
    sep = "&" if "?" in graph_store else "?"
    return f"{graph_store}{sep}{urllib.parse.urlencode({'graph': iri})}"


def store_counts(client: HttpClient, endpoint: str, graph_iris: list[str], timeout: float | None = None) -> dict[str, int]:
    """Triples per named graph, as the store's query endpoint counts them (0 for an absent graph)."""
    values = " ".join(f"<{iri}>" for iri in graph_iris)
    query = f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} }} GROUP BY ?g"
    body = urllib.parse.urlencode({"query": query}).encode("utf-8")
    raw = client.request("POST", endpoint, body, {"Content-Type": "application/x-www-form-urlencoded",
                                                   "Accept": "application/sparql-results+json"}, timeout=timeout)
    try:
        rows = json.loads(raw)["results"]["bindings"]
        counts = {row["g"]["value"]: int(row["n"]["value"]) for row in rows}
    except (ValueError, KeyError, TypeError) as exc:
        raise EndpointError(f"{endpoint} did not answer the count query with SPARQL JSON results: {raw[:200]!r}") from exc
    return {iri: counts.get(iri, 0) for iri in graph_iris}


def push_to_endpoint(endpoint: str, *, graph_store: str | None = None, update_endpoint: str | None = None,
                     method: str = "gsp", graph: str = "all", root=None, chunk_size: int = 10_000,
                     user: str | None = None, password: str | None = None, token: str | None = None,
                     auth_scheme: str = "basic", timeout: float = 60.0,
                     progress: Callable[[LoadProgress], None] | None = None,
                     built: BuiltGraph | None = None) -> LoadReport:
    """Load the built graph into the store behind ``endpoint``, replacing each named graph, and verify."""
    if chunk_size < 1:
        raise InputError(f"chunk size must be at least 1, not {chunk_size}")
    graph_store, update_endpoint = derive_endpoints(endpoint, graph_store, update_endpoint, method)
    client = HttpClient(Auth(user=user, password=password, token=token, scheme=auth_scheme), timeout=timeout)
    built = built if built is not None else load_built_graph(root)
    parts = built.select(graph)
    expected = {p.iri: len(p) for p in parts}
    sent: dict[str, tuple[int, int, int]] = {}  # iri -> (chunks accepted, of chunks, triples accepted)
    start = time.perf_counter()
    for part in parts:
        chunks = _chunks(part, chunk_size)
        done = 0
        for i, lines in enumerate(chunks, 1):
            payload = ("\n".join(lines) + "\n" if lines else "").encode("utf-8")
            try:
                if method == "gsp":
                    client.request("PUT" if i == 1 else "POST", _graph_url(graph_store, part.iri), payload,
                                   {"Content-Type": _TURTLE})
                else:
                    head = f"DROP SILENT GRAPH <{part.iri}> ;\n" if i == 1 else ""
                    text = f"{head}INSERT DATA {{ GRAPH <{part.iri}> {{\n{payload.decode('utf-8')}}} }}"
                    client.request("POST", update_endpoint, text.encode("utf-8"),
                                   {"Content-Type": "application/sparql-update; charset=utf-8"})
            except (TransportError, HttpStatusError) as exc:
                raise EndpointError(_interrupted(client, endpoint, parts, sent, part, i, len(chunks), exc)) from exc
            done += len(lines)
            sent[part.iri] = (i, len(chunks), done)
            if progress is not None:
                progress(LoadProgress(part.part, part.iri, i, len(chunks), done, len(part)))
    try:
        found = store_counts(client, endpoint, list(expected))
    except (TransportError, HttpStatusError) as exc:
        raise EndpointError(f"every graph was sent to {graph_store or update_endpoint}, but the query endpoint "
                            f"{endpoint} could not be asked to verify the counts: {exc}") from exc
    wrong = {iri: (n, found[iri]) for iri, n in expected.items() if found[iri] != n}
    if wrong:
        detail = "; ".join(f"{iri}: the store holds {got} triples, expected {n}" for iri, (n, got) in wrong.items())
        raise EndpointError(f"load verification failed at {endpoint}: {detail}. Another writer may have changed the "
                            f"graph, or the store dropped triples; run `netgraph load` again to replace it")
    return LoadReport(endpoint=endpoint, method=method, expected=expected, found=found,
                      seconds=time.perf_counter() - start)


def _interrupted(client: HttpClient, endpoint: str, parts: tuple[PartGraph, ...], sent: dict, failed: PartGraph,
                 chunk: int, chunks: int, exc: Exception) -> str:
    what = "was refused" if isinstance(exc, HttpStatusError) else "broke off"
    head = (f"load {what} while sending graph {failed.part!r} ({failed.iri}), chunk {chunk} of {chunks}: {exc}. ")
    if isinstance(exc, HttpStatusError) and exc.status in (401, 403):
        head += "Check the credentials (--user/--password or --token) and that the store is not read-only. "
    if isinstance(exc, HttpStatusError) and exc.status in (404, 405) and chunk == 1:
        head += "The URL may not be a Graph Store endpoint: check --graph-store, or use --method update. "
    try:
        counts = store_counts(client, endpoint, [p.iri for p in parts], timeout=min(client.timeout, 10.0))
    except (TransportError, HttpStatusError, EndpointError) as why:
        accepted = []
        for p in parts:
            if p.iri in sent:
                n_chunk, of, triples = sent[p.iri]
                state = "complete" if n_chunk == of else f"partial, chunks 1-{n_chunk} of {of}"
                accepted.append(f"{p.part}: {triples} of {len(p)} triples accepted ({state})")
            else:
                accepted.append(f"{p.part}: nothing accepted" + (" (the store may hold its previous copy, or none)"
                                                                  if p is failed else ""))
        return (head + f"The store could not be asked what it now holds ({why}). Before the failure: "
                + "; ".join(accepted) + ". Run `netgraph load` again when the store is back: it replaces each "
                "graph, so nothing is duplicated.")
    held = "; ".join(f"{p.part}: {counts[p.iri]} of {len(p)} triples" + (" (complete)" if counts[p.iri] == len(p)
                                                                          else " (incomplete)") for p in parts)
    return head + f"The store now holds: {held}. Run `netgraph load` again to replace the graphs; nothing is duplicated."
