"""`netgraph load`: push each named graph into a running store, then verify it.

Each part goes into its named graph (``https://w3id.org/netgraph/graph/<part>``)
by the SPARQL 1.1 Graph Store HTTP Protocol: the first chunk is a ``PUT``
(which replaces the graph, so a second load duplicates nothing) and the next
chunks are ``POST`` (which add to it). Where a store has no Graph Store
endpoint, ``method="update"`` sends ``DROP SILENT GRAPH`` + ``INSERT DATA``
through SPARQL 1.1 Update instead (the chunk with blank nodes as
``INSERT { } WHERE { }``, which every store accepts). Chunks are N-Triples;
every triple with a blank node goes in the first chunk of its graph, because a
blank-node label means the same node only within one request. Chunk sizes
default per store (:data:`CHUNK_SIZES`, from the ``Server`` header of a first
count query). Requests go through :mod:`netgraph.stores.http`: basic or digest
authentication (the digest challenge is fetched before a body is sent),
a timeout for each request as a whole, retries of transient failures.

After the last chunk each graph is verified by count and by content: it is read
back with ``CONSTRUCT``, canonicalised and compared with the built graph
(:mod:`netgraph.stores.loadcheck`); a difference is an
:class:`~netgraph.errors.EndpointError` that says what differs. A load that
breaks off (store stopped, connection dropped, HTTP error, timeout) is an
:class:`~netgraph.errors.EndpointError` that names the graph and the chunk in
flight and says, by content, what each graph now holds: identical to the built
graph, exactly the chunks sent before the failure (or with the chunk in flight
applied), or how it differs; when the store cannot be asked, what had been
accepted before the failure.

Endpoints: ``endpoint`` is the SPARQL query endpoint (the URL the query API
takes). For an Oxigraph server (``…/query``) the Graph Store and Update
endpoints default to the sibling ``…/store`` and ``…/update``; for other
stores give ``graph_store`` or ``update_endpoint`` (docs/stores.md lists them).
"""

from __future__ import annotations

import logging
import time
import urllib.parse
from dataclasses import dataclass, field
from collections.abc import Callable, Mapping

from ..errors import EndpointError, InputError
from .canonical import BuiltGraph, PartGraph, load_built_graph
from .http import Auth, HttpClient, HttpStatusError, RequestTimeout, TransportError, check_url
from .loadcheck import Held, comparable, compare, describe_held, fetch_graph, graph_digest, probe_store, store_counts
from ..paths import Root

__all__ = ["LoadProgress", "LoadReport", "push_to_endpoint", "store_counts", "derive_endpoints", "METHODS",
           "CHUNK_SIZES", "chunk_size_for", "update_text"]

log = logging.getLogger(__name__)

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
    chunk_size: int = 0  # triples per request used
    digests: Mapping[str, str] = field(default_factory=dict)  # graph IRI -> SHA-256 of its canonical N-Triples
    unverified: Mapping[str, str] = field(default_factory=dict)  # graph IRI -> why only its count is verified

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


#: Triples per request when ``chunk_size`` is not given, by store (from its ``Server`` header) and method.
#: Virtuoso's SPARQL compiler runs out of parser memory near 5,000 triples in one ``INSERT DATA``
#: ("SP030 … memory exhausted") and its SQL compiler gives up on large ones ("generated SQL text has
#: exceeded 10000 lines"), so its updates go in 1,000s; its Graph Store endpoint takes 10,000s.
CHUNK_SIZES: dict[str, dict[str, int]] = {
    "virtuoso": {"gsp": 10_000, "update": 1_000},
    "oxigraph": {"gsp": 10_000, "update": 10_000},
    "": {"gsp": 10_000, "update": 2_000},  # any other store: SPARQL parsers vary, stay modest
}


def chunk_size_for(server: str, method: str) -> int:
    """The default chunk size for a store whose ``Server`` header is ``server``."""
    key = next((k for k in CHUNK_SIZES if k and k in server.lower()), "")
    return CHUNK_SIZES[key][method]


def _chunks(part: PartGraph, size: int) -> list[list[str]]:
    """N-Triples lines in chunks; every line with a blank node is in the first chunk."""
    flags = [_has_bnode(line) for line in part.lines]
    with_bnode = [line for line, f in zip(part.lines, flags, strict=True) if f]
    plain = [line for line, f in zip(part.lines, flags, strict=True) if not f]
    first = with_bnode + plain[: max(0, size - len(with_bnode))]
    rest = plain[max(0, size - len(with_bnode)):]
    return [first] + [rest[i:i + size] for i in range(0, len(rest), size)]


def _has_bnode(line: str) -> bool:
    # a blank node is a term starting with "_:" outside a literal; literals start with '"'
    return "_:" in line and (line.startswith("_:") or " _:" in line.split('"', 1)[0])


def _graph_url(graph_store: str, iri: str) -> str:
    sep = "&" if "?" in graph_store else "?"
    return f"{graph_store}{sep}{urllib.parse.urlencode({'graph': iri})}"


def update_text(iri: str, lines: list[str], first: bool) -> str:
    """The SPARQL Update for one chunk: ``INSERT DATA``, or ``INSERT { } WHERE { }`` when it has blank nodes.

    Blank nodes are not allowed in ``INSERT DATA`` by some stores (Virtuoso: "SP031 … not allowed in a
    constant clause"); in an ``INSERT`` template with an empty ``WHERE`` they make one fresh node
    each, so the graph is isomorphic to the built one, and the ``DROP`` before it keeps it idempotent.
    """
    head = f"DROP SILENT GRAPH <{iri}> ;\n" if first else ""
    body = "\n".join(lines) + ("\n" if lines else "")
    if any(_has_bnode(line) for line in lines):
        return f"{head}INSERT {{ GRAPH <{iri}> {{\n{body}}} }} WHERE {{ }}"
    return f"{head}INSERT DATA {{ GRAPH <{iri}> {{\n{body}}} }}"


def push_to_endpoint(endpoint: str, *, graph_store: str | None = None, update_endpoint: str | None = None,
                     method: str = "gsp", graph: str = "all", root: Root = None, chunk_size: int | None = None,
                     user: str | None = None, password: str | None = None, token: str | None = None,
                     auth_scheme: str = "basic", timeout: float = 60.0, retries: int = 2,
                     progress: Callable[[LoadProgress], None] | None = None,
                     built: BuiltGraph | None = None, client: HttpClient | None = None) -> LoadReport:
    """Load the built graph into the store behind ``endpoint``, replacing each named graph, and verify.

    ``timeout`` bounds each request as a whole; ``chunk_size`` (triples per request) defaults to
    :data:`CHUNK_SIZES` for the store; ``retries`` repeats a request after a transient failure (safe:
    a graph is a set, so a chunk sent twice adds nothing). Verification compares each graph's content
    (read back and canonicalised) with the built graph, not only its count.
    """
    if chunk_size is not None and chunk_size < 1:
        raise InputError(f"chunk size must be at least 1, not {chunk_size}")
    graph_store, update_endpoint = derive_endpoints(endpoint, graph_store, update_endpoint, method)
    if client is None:
        client = HttpClient(Auth(user=user, password=password, token=token, scheme=auth_scheme), timeout=timeout,
                            retries=retries)
    built = built if built is not None else load_built_graph(root)
    parts = built.select(graph)
    expected = {p.iri: len(p) for p in parts}
    start = time.perf_counter()
    try:
        _, server = probe_store(client, endpoint, list(expected))
    except (TransportError, HttpStatusError) as exc:
        what = "refused the first count query" if isinstance(exc, HttpStatusError) else "does not answer"
        raise EndpointError(f"cannot load: the query endpoint {endpoint} {what} ({exc}); nothing was sent. "
                            f"{_hint(exc, 0)}".strip()) from exc
    size = chunk_size or chunk_size_for(server, method)
    sent: dict[str, Held] = {}
    for part in parts:
        chunks = _chunks(part, size)
        log.info("loading %s: %d triples in %d requests by %s", part.iri, len(part), len(chunks), method)
        done = 0
        for i, lines in enumerate(chunks, 1):
            try:
                if method == "gsp":
                    assert graph_store is not None  # derive_endpoints filled in the one endpoint the method uses
                    payload = ("\n".join(lines) + "\n" if lines else "").encode("utf-8")
                    client.request("PUT" if i == 1 else "POST", _graph_url(graph_store, part.iri), payload,
                                   {"Content-Type": _TURTLE})
                else:
                    assert update_endpoint is not None
                    client.request("POST", update_endpoint, update_text(part.iri, lines, i == 1).encode("utf-8"),
                                   {"Content-Type": "application/sparql-update; charset=utf-8"})
            except (TransportError, HttpStatusError) as exc:
                sent[part.iri] = Held(tuple(map(tuple, chunks)), i - 1, i)
                raise EndpointError(_interrupted(client, endpoint, parts, sent, part, i, len(chunks), exc)) from exc
            done += len(lines)
            sent[part.iri] = Held(tuple(map(tuple, chunks)), i, None)
            if progress is not None:
                progress(LoadProgress(part.part, part.iri, i, len(chunks), done, len(part)))
    found, unverified = _verify(client, endpoint, parts, graph_store or update_endpoint)
    return LoadReport(endpoint=endpoint, method=method, expected=expected, found=found, unverified=unverified,
                      seconds=time.perf_counter() - start, chunk_size=size,
                      digests={p.iri: graph_digest(p.lines) for p in parts})


def _verify(client: HttpClient, endpoint: str, parts: tuple[PartGraph, ...],
            target: str | None) -> tuple[dict[str, int], dict[str, str]]:
    """Counts, then content, of every loaded graph: ``(counts, {graph: why its content was not verified})``.

    A difference is an :class:`EndpointError` that says what differs. A graph whose count is right but
    that the store returns only in part (a result-size limit) is verified by count only, and says so.
    """
    try:
        found = store_counts(client, endpoint, [p.iri for p in parts])
        held = {p.iri: fetch_graph(client, endpoint, p) for p in parts}
    except (TransportError, HttpStatusError) as exc:
        raise EndpointError(f"every graph was sent to {target}, but the query endpoint {endpoint} could not be "
                            f"asked to verify them: {exc}") from exc
    problems, unverified = [], {}
    for p in parts:
        lines = held[p.iri]
        if found[p.iri] != len(p):
            problems.append(f"{p.iri}: the store holds {found[p.iri]} triples, expected {len(p)}")
        elif len(lines) < found[p.iri]:
            unverified[p.iri] = (f"the store counts {found[p.iri]} triples but returned only {len(lines)} to a "
                                 f"CONSTRUCT (a result-size limit, such as Virtuoso's ResultSetMaxRows), so only "
                                 f"the count is verified")
        elif (want := comparable(p.part, p.lines)) != (have := comparable(p.part, lines)):
            missing, extra = compare(want, have)
            problems.append(f"{p.iri}: the store holds {len(lines)} triples, as many as expected, but their content "
                            f"differs ({missing} built triples missing, {extra} triples not in the built graph)")
    if problems:
        raise EndpointError(f"load verification failed at {endpoint}: {'; '.join(problems)}. Another writer may have "
                            f"changed the graph, or the store altered or dropped triples; run `netgraph load` again "
                            f"to replace it")
    return found, unverified


def _hint(exc: Exception, chunk: int) -> str:
    """What to do about a failed request (empty when there is nothing useful to say)."""
    if isinstance(exc, HttpStatusError) and exc.status in (401, 403):
        return "Check the credentials (--user/--password/--auth or --token) and that the store is not read-only. "
    if isinstance(exc, HttpStatusError) and exc.status in (404, 405) and chunk == 1:
        return "The URL may not be a Graph Store endpoint: check --graph-store, or use --method update. "
    if isinstance(exc, RequestTimeout):
        return "Raise --timeout for a slow store, or lower --chunk-size. "
    return ""


def _interrupted(client: HttpClient, endpoint: str, parts: tuple[PartGraph, ...], sent: dict[str, Held],
                 failed: PartGraph, chunk: int, chunks: int, exc: Exception) -> str:
    what = "was refused" if isinstance(exc, HttpStatusError) else "broke off"
    head = (f"load {what} while sending graph {failed.part!r} ({failed.iri}), chunk {chunk} of {chunks} "
            f"(the chunk in flight): {exc}. ")
    head += _hint(exc, chunk)
    try:
        quick = min(client.timeout, 10.0)
        counts = store_counts(client, endpoint, [p.iri for p in parts], timeout=quick)
        held = {p.iri: fetch_graph(client, endpoint, p, timeout=max(quick, client.timeout / 2)) for p in parts}
    except (TransportError, HttpStatusError, EndpointError) as why:
        accepted = []
        for p in parts:
            state = sent.get(p.iri)
            if state is not None and state.accepted:
                n_chunk, of = state.accepted, len(state.chunks)
                triples = sum(len(c) for c in state.chunks[:n_chunk])
                status = "complete" if n_chunk == of else f"partial, chunks 1-{n_chunk} of {of}"
                accepted.append(f"{p.part}: {triples} of {len(p)} triples accepted ({status})")
            else:
                accepted.append(f"{p.part}: nothing accepted" + (" (the store may hold its previous copy, or none)"
                                                                  if p is failed else ""))
        return (head + f"The store could not be asked what it now holds ({why}). Before the failure: "
                + "; ".join(accepted) + f"; whether chunk {chunk} of {failed.part!r} was applied is unknown. Run "
                "`netgraph load` again when the store is back: it replaces each graph, so nothing is duplicated.")
    clauses = []
    for p in parts:
        lines = held[p.iri]
        if len(lines) < counts[p.iri]:
            clauses.append(f"{p.part}: {counts[p.iri]} triples (content not verified: only {len(lines)} returned)")
        else:
            clauses.append(describe_held(p, lines, sent.get(p.iri)))
    return head + (f"The store now holds, by content: {'; '.join(clauses)}. Run `netgraph load` again to replace "
                   f"the graphs; nothing is duplicated.")
