"""The remote backend: any SPARQL 1.1 endpoint, through SPARQLWrapper.

Requests are URL-encoded POSTs asking for SPARQL JSON results, with a timeout.
Transient failures (connection refused or reset, HTTP 429, 502, 503, 504) are
retried with exponential backoff; every other failure raises an
:class:`~netgraph.errors.EndpointError` that says what the endpoint answered
(status and the start of its message). A timeout is an error, never an empty
result; so is a response flagged as partial (Virtuoso's anytime queries).

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

import ast
import http.client
import json
import socket
import time
import urllib.error
import warnings
from typing import Any, Mapping
from urllib.parse import urlparse

from .._version import __version__
from ..errors import EndpointError
from ..params import values_clause
from ..results import QueryResult
from ..sparqltext import PreparedQuery, insert_values
from ..terms import BNode, Literal, Term, iri
from . import Backend

__all__ = ["RemoteBackend", "from_json_binding", "bound_query_text", "TRANSIENT_STATUS"]

#: HTTP statuses worth retrying.
TRANSIENT_STATUS = frozenset({429, 502, 503, 504})
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


class _Transient(Exception):
    def __init__(self, message: str, retry_after: float | None = None):
        super().__init__(message)
        self.retry_after = retry_after


class RemoteBackend(Backend):
    """Queries a SPARQL 1.1 endpoint over HTTP."""

    name = "remote"

    def __init__(self, endpoint: str, *, timeout: float = 30.0, retries: int = 2, backoff: float = 0.5):
        parsed = urlparse(endpoint)
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            raise EndpointError(f"{endpoint!r} is not an http(s) URL of a SPARQL endpoint")
        if timeout <= 0:
            raise EndpointError("the timeout must be a positive number of seconds")
        self.endpoint = endpoint
        self.timeout = timeout
        self.retries = max(0, int(retries))
        self.backoff = backoff

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
                      key=lambda r: [c.key() for c in r])
        return QueryResult.from_terms(["subject", "predicate", "object"], rows, query=name, backend=self.name)

    # -- HTTP ---------------------------------------------------------------------------

    def _send(self, text: str, form: str) -> bytes:
        attempt = 0
        while True:
            try:
                return self._once(text, form)
            except _Transient as exc:
                if attempt >= self.retries:
                    tries = f" (tried {attempt + 1} times)" if attempt else ""
                    raise EndpointError(f"{self.endpoint}: {exc}{tries}") from None
                delay = exc.retry_after if exc.retry_after is not None else self.backoff * (2 ** attempt)
                time.sleep(min(delay, 10.0))
                attempt += 1

    def _once(self, text: str, form: str) -> bytes:
        from SPARQLWrapper import JSON, POST, TURTLE, URLENCODED, SPARQLWrapper
        from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

        sw = SPARQLWrapper(self.endpoint, agent=f"netgraph/{__version__}")
        sw.setMethod(POST)
        sw.setRequestMethod(URLENCODED)
        graph_form = form in ("CONSTRUCT", "DESCRIBE")
        sw.setReturnFormat(TURTLE if graph_form else JSON)
        sw.timeout = self.timeout  # (setTimeout would round it down to whole seconds)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # SPARQLWrapper guesses the query form from keywords
            sw.setQuery(text)
        # Its guess is a regex over the text: a word such as "describe" in a comment or "DROP" in a
        # bound string would fool it (and could send a query as an update). netgraph's lexer knows.
        sw.queryType = form
        sw.addCustomHttpHeader("Accept", "text/turtle" if graph_form else "application/sparql-results+json")
        deadline = time.monotonic() + self.timeout  # the timeout bounds the whole request, not each read
        try:
            response = sw.query().response
            state = (response.headers.get("X-SQL-State") or "") if hasattr(response, "headers") else ""
            body = self._read_within(response, deadline)
        except SPARQLWrapperException as exc:
            status = _WRAPPER_STATUS.get(type(exc).__name__, "an error")
            raise EndpointError(f"{self.endpoint} answered HTTP {status}: {_excerpt(_wrapper_body(exc))}") from None
        except urllib.error.HTTPError as exc:
            message = _excerpt(_read(exc))
            if exc.code in TRANSIENT_STATUS:
                raise _Transient(f"answered HTTP {exc.code} {exc.reason}: {message}",
                                 _retry_after(exc.headers.get("Retry-After") if exc.headers else None)) from None
            raise EndpointError(f"{self.endpoint} answered HTTP {exc.code} {exc.reason}: {message}") from None
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, (socket.timeout, TimeoutError)):
                raise self._timeout() from None
            if isinstance(exc.reason, (ConnectionRefusedError, ConnectionResetError, ConnectionAbortedError)):
                raise _Transient(f"cannot connect ({exc.reason})") from None
            raise EndpointError(f"{self.endpoint}: cannot reach the endpoint ({exc.reason})") from None
        except (socket.timeout, TimeoutError):
            raise self._timeout() from None
        except (ConnectionResetError, ConnectionAbortedError, http.client.RemoteDisconnected,
                http.client.IncompleteRead) as exc:
            raise _Transient(f"the connection broke ({type(exc).__name__}: {exc})") from None
        if state.upper().startswith("S1TAT"):
            raise EndpointError(f"{self.endpoint} hit its own time limit and returned partial results "
                                f"(X-SQL-State: {state}); refusing to show an incomplete answer")
        return body

    def _read_within(self, response, deadline: float) -> bytes:
        """Read the whole body, failing with a timeout once ``deadline`` passes (a slow trickle included)."""
        read = getattr(response, "read1", None) or response.read
        chunks = []
        while True:
            if time.monotonic() > deadline:
                raise self._timeout()
            chunk = read(1 << 16)
            if not chunk:
                return b"".join(chunks)
            chunks.append(chunk)

    def _timeout(self) -> EndpointError:
        return EndpointError(f"{self.endpoint} did not answer within {self.timeout:g} s "
                             "(timed out; no rows are returned for an unfinished query; raise --timeout to wait longer)")


_WRAPPER_STATUS = {"QueryBadFormed": "400 Bad Request", "Unauthorized": "401 Unauthorized",
                   "EndPointNotFound": "404 Not Found", "URITooLong": "414 URI Too Long",
                   "EndPointInternalError": "500 Internal Server Error"}


def _wrapper_body(exc: Exception) -> str:
    """The endpoint's message inside a SPARQLWrapper exception (which keeps it only in its text)."""
    text = str(exc)
    _, sep, tail = text.partition("Response:\n")
    if not sep:
        return ""
    try:
        value = ast.literal_eval(tail.strip())
    except (ValueError, SyntaxError):
        return tail
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


def _read(exc: urllib.error.HTTPError) -> bytes | None:
    try:
        return exc.read()
    except Exception:  # pragma: no cover - a broken error body
        return None


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None
