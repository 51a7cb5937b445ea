"""The remote backend: any SPARQL 1.1 endpoint, through netgraph's one HTTP layer.

Requests are URL-encoded POSTs asking for SPARQL JSON results (Turtle for
``CONSTRUCT``/``DESCRIBE``), sent by :class:`netgraph.stores.http.HttpClient`,
the client `netgraph load` uses too: the same basic/digest/bearer
authentication, a timeout for the whole request (a trickling answer cannot
stretch it), and retries of transient failures (connection refused or reset,
HTTP 429, 502, 503, 504) with exponential backoff. Every other failure raises an
:class:`~netgraph.errors.EndpointError` that says what the endpoint answered
(status and the start of its message). A timeout is an error, never an empty
result; so is a response flagged as partial (Virtuoso's anytime queries).
SPARQLWrapper is not used: it guesses the query form from keywords, rounds
timeouts to whole seconds, bounds each socket read rather than the request,
and would be a second HTTP stack beside the one the loader needs.

Parameters are bound with a ``VALUES`` block of validated, escaped terms
(:func:`netgraph.params.values_clause`) inside a sub-select,
``{ SELECT * WHERE { VALUES … } }``, placed at the top of the query's ``WHERE``
group and of each group that uses a parameter
(:func:`netgraph.sparqltext.insert_values`); :func:`bound_query_text` gives that
exact text (`netgraph query … --show-query` prints it). The sub-select is a join
with one row, as a bare ``VALUES`` is, but Virtuoso 7 takes a variable bound by
a sub-select as the start of a property path, while a bare ``VALUES`` leaves it
"not given" (its error ``TR…: transitive start not given``).
"""

from __future__ import annotations

import json
from typing import Any
from collections.abc import Mapping
from urllib.parse import urlparse

from ..errors import EndpointError
from ..params import values_clause
from ..results import QueryResult
from ..sparqltext import PreparedQuery, insert_values
from ..stores.http import TRANSIENT_STATUS, Auth, HttpClient, HttpStatusError, RequestTimeout, TransportError
from ..terms import BNode, Literal, Term, iri
from . import Backend

__all__ = ["RemoteBackend", "from_json_binding", "bound_query_text", "TRANSIENT_STATUS"]

_MAX_MESSAGE = 600


def from_json_binding(cell: Mapping[str, Any] | None) -> Term | None:
    """A netgraph term from one cell of SPARQL 1.1 JSON results."""
    if cell is None:
        return None
    kind = cell.get("type")
    value = cell.get("value", "")
    if kind == "uri":
        return iri(value)
    if kind in ("literal", "typed-literal"):
        return Literal(value, language=cell.get("xml:lang"), datatype=cell.get("datatype"))
    if kind == "bnode":
        return BNode(value)
    return BNode(json.dumps(value, sort_keys=True))  # an RDF-star triple


def _excerpt(body: bytes | str | None) -> str:
    if body is None:
        return "(no message)"
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    text = " ".join(text.split())
    return text[:_MAX_MESSAGE] + ("…" if len(text) > _MAX_MESSAGE else "") if text else "(empty message)"


def bound_query_text(query: PreparedQuery, bindings: Mapping[str, Term | None]) -> str:
    """The exact query text sent to an endpoint: ``query`` with its bound parameters in a ``VALUES`` sub-select."""
    values = values_clause(bindings)
    if not values:
        return query.text
    return insert_values(query.text, "{ SELECT * WHERE { " + values + " } }",
                         tuple(k for k, v in bindings.items() if v is not None))


class RemoteBackend(Backend):
    """Queries a SPARQL 1.1 endpoint over HTTP."""

    name = "remote"

    def __init__(self, endpoint: str, *, timeout: float = 30.0, retries: int = 2, backoff: float = 0.5,
                 auth: Auth | None = None):
        parsed = urlparse(endpoint)
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            raise EndpointError(f"{endpoint!r} is not an http(s) URL of a SPARQL endpoint")
        if timeout <= 0:
            raise EndpointError("the timeout must be a positive number of seconds")
        self.endpoint = endpoint
        self.timeout = timeout
        self.retries = max(0, int(retries))
        self.backoff = backoff
        self.client = HttpClient(auth, timeout=timeout, retries=self.retries, backoff=backoff)

    def describe(self) -> str:
        return f"SPARQL endpoint {self.endpoint}"

    def run(self, query: PreparedQuery, bindings: Mapping[str, Term | None], *, name: str | None = None) -> QueryResult:
        text = bound_query_text(query, bindings)
        graph_form = query.form in ("CONSTRUCT", "DESCRIBE")
        body = self._send(text, query.form)
        if graph_form:
            return self._triples(body, name)
        try:
            data = json.loads(body)
        except ValueError:
            raise EndpointError(f"{self.endpoint} did not answer with SPARQL JSON results: {_excerpt(body)}") from None
        if isinstance(data, dict) and isinstance(data.get("boolean"), bool):
            return QueryResult.from_boolean(data["boolean"], query=name, backend=self.name)
        try:
            columns = list(data["head"]["vars"])
            cells = data["results"]["bindings"]
            rows = [[from_json_binding(b.get(c)) for c in columns] for b in cells]
        except (KeyError, TypeError, AttributeError):
            raise EndpointError(f"{self.endpoint} answered JSON that is not SPARQL results: {_excerpt(body)}") from None
        return QueryResult.from_terms(columns, rows, query=name, backend=self.name)

    def _triples(self, body: bytes, name: str | None) -> QueryResult:
        import pyoxigraph as ox

        from .embedded import from_oxigraph

        try:
            triples = list(ox.parse(body, format=ox.RdfFormat.TURTLE))
        except SyntaxError as exc:
            raise EndpointError(f"{self.endpoint} answered Turtle that does not parse ({exc}): {_excerpt(body)}") from None
        rows = sorted(([from_oxigraph(t.subject), from_oxigraph(t.predicate), from_oxigraph(t.object)] for t in triples),
                      key=lambda r: [c.key() for c in r if c is not None])
        return QueryResult.from_terms(["subject", "predicate", "object"], rows, query=name, backend=self.name)

    # -- HTTP ---------------------------------------------------------------------------

    def _send(self, text: str, form: str) -> bytes:
        graph_form = form in ("CONSTRUCT", "DESCRIBE")
        accept = "text/turtle" if graph_form else "application/sparql-results+json"
        try:
            response = self.client.post_query(self.endpoint, text, accept)
        except RequestTimeout:
            raise self._timeout() from None
        except HttpStatusError as exc:
            tries = f" (tried {exc.attempts} times)" if exc.attempts > 1 else ""
            reason = f" {exc.reason}" if exc.reason else ""
            raise EndpointError(f"{self.endpoint} answered HTTP {exc.status}{reason}: {_excerpt(exc.body)}{tries}") from None
        except TransportError as exc:
            tries = f" (tried {exc.attempts} times)" if exc.attempts > 1 else ""
            raise EndpointError(f"{exc}{tries}") from None
        state = next((v for k, v in response.headers.items() if k.lower() == "x-sql-state"), "")
        if state.upper().startswith("S1TAT"):
            raise EndpointError(f"{self.endpoint} hit its own time limit and returned partial results "
                                f"(X-SQL-State: {state}); refusing to show an incomplete answer")
        return response.body

    def _timeout(self) -> EndpointError:
        return EndpointError(f"{self.endpoint} did not answer within {self.timeout:g} s "
                             "(timed out; no rows are returned for an unfinished query; raise --timeout to wait longer)")
