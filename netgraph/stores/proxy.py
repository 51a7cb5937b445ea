"""The front of ``netgraph serve``: strict HTTP, a query guard, a result cap, a time limit, engine restarts.

Oxigraph answers the SPARQL 1.1 Protocol (GET and POST, content negotiation,
every standard result format) and refuses updates when read-only. It has no
cap on result size, its ``--timeout-s`` cancels a query *while its results
stream* (a client would receive ``200 OK`` and a cut answer), and a deeply
nested query overflows its stack. This front forwards each request to the
engine and buffers the answer:

- HTTP is parsed by `h11 <https://h11.readthedocs.io>`_, a small HTTP/1.1
  protocol library that refuses ambiguous framing (a malformed or conflicting
  ``Content-Length``, a header line with a space before its colon, a
  non-ASCII request line) with ``400``; a request carrying both
  ``Transfer-Encoding`` and ``Content-Length``, and a ``GET`` or ``HEAD``
  with a body, are refused too, so no byte of one request is ever read as
  another. A whole request (head and body) must arrive within
  :data:`REQUEST_DEADLINE_S`; a body over :data:`MAX_REQUEST_BYTES` gets
  ``413``, after the body has been read (up to a bound), so that a client that
  sends first and reads afterwards sees the answer, not a broken pipe;
- every query is checked by :func:`netgraph.querylimits.check_query_limits`
  (too deep or too long: ``400``) before it reaches the engine;
- a query with a ``SERVICE`` clause gets ``403``. The engine itself runs
  under a filter that blocks outbound connections
  (:mod:`netgraph.stores.sandbox`), so even a query this check misreads
  can fetch nothing; the check gives the clear message;
- an answer larger than ``max_bytes`` becomes ``500`` saying so, and one not
  complete within ``timeout_s`` becomes ``500`` saying the time limit was
  reached (nothing truncated reaches the client);
- when the engine dies while answering (its memory bound, a crash), the
  request gets ``503`` saying so; the engine is restarted
  (:class:`~netgraph.stores.serve.Engine`) and other requests wait for it;
- ``POST`` goes only to ``/query``; updates (``/update``) get ``403``;
  ``PUT``, ``DELETE``, ``PATCH`` and other methods get ``405``; ``HEAD``
  answers as ``GET`` does, without the body.

Everything else (status, ``Content-Type``, body) is Oxigraph's.
"""

from __future__ import annotations

import http.client
import socket
import socketserver
import threading
import time
from http import HTTPStatus
from typing import Any, Protocol
from urllib.parse import parse_qs, urlsplit

import h11

from ..errors import QueryError
from ..querylimits import check_query_limits
from ..sparqltext import uses_federation

__all__ = ["CappedProxy", "EngineHandle", "MAX_REQUEST_BYTES", "REQUEST_DEADLINE_S", "IDLE_TIMEOUT_S"]

#: the largest request body (a query) accepted
MAX_REQUEST_BYTES = 1 << 20
#: seconds a client has to send one whole request (head and body)
REQUEST_DEADLINE_S = 30.0
#: seconds an idle keep-alive connection is kept open
IDLE_TIMEOUT_S = 60.0
_MAX_HEAD_BYTES = 64 * 1024  # request line and headers
_MAX_DRAIN_BYTES = 16 * MAX_REQUEST_BYTES  # read (and dropped) from an oversized body before the 413
_FORWARDED_REQUEST_HEADERS = ("accept", "content-type", "accept-language")
_FORWARDED_RESPONSE_HEADERS = ("Content-Type", "Content-Disposition", "Vary", "Allow")
_CHUNK = 1 << 16
_TARGET_CHARS = frozenset(range(0x21, 0x7F))


class EngineHandle(Protocol):
    """What the front needs of the engine (see :class:`netgraph.stores.serve.Engine`)."""

    def address(self, wait_s: float) -> tuple[str, int, int]: ...

    def death_reason(self, generation: int, wait_s: float) -> str | None: ...


class _Refusal(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


class _ClientGone(Exception):
    """The client closed the connection, stalled past the deadline, or broke HTTP: stop at once."""


class CappedProxy(socketserver.ThreadingTCPServer):
    """Serve ``(host, port)``; forward reads to the engine."""

    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128  # the listen backlog: socketserver's default of 5 resets bursts of concurrent clients

    def __init__(self, address: tuple[str, int], engine: EngineHandle, *, timeout_s: float, max_bytes: int):
        self.engine = engine
        self.timeout_s = timeout_s
        self.max_bytes = max_bytes
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, _Connection)
        self._thread: threading.Thread | None = None

    def start(self) -> CappedProxy:
        self._thread = threading.Thread(target=self.serve_forever, kwargs={"poll_interval": 0.1},
                                        name="netgraph-serve", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._thread is not None:  # shutdown() waits for serve_forever, so only when it runs
            self.shutdown()
        self.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)


class _Connection(socketserver.BaseRequestHandler):
    """One client connection: requests in turn (HTTP/1.1 keep-alive), each parsed by h11."""

    server: CappedProxy
    request: socket.socket

    def handle(self) -> None:
        conn = h11.Connection(h11.SERVER, max_incomplete_event_size=_MAX_HEAD_BYTES)
        try:
            while True:
                if not self._one(conn) or conn.our_state is not h11.DONE or conn.their_state is not h11.DONE:
                    return
                conn.start_next_cycle()
        except (_ClientGone, OSError, h11.LocalProtocolError):
            return

    # -- reading ---------------------------------------------------------------------------------

    def _event(self, conn: h11.Connection, deadline: float | None) -> Any:
        """The next h11 event; ``deadline`` None: waiting for a new request (idle timeout)."""
        while True:
            event = conn.next_event()
            if event is not h11.NEED_DATA:
                return event
            remaining = (deadline or time.monotonic() + IDLE_TIMEOUT_S) - time.monotonic()
            if remaining <= 0:
                raise _ClientGone
            self.request.settimeout(remaining)
            try:
                data = self.request.recv(_CHUNK)
            except TimeoutError:
                if deadline is None:
                    raise _ClientGone from None
                raise _Refusal(408, f"the request did not arrive within {REQUEST_DEADLINE_S:g} s") from None
            conn.receive_data(data)

    def _one(self, conn: h11.Connection) -> bool:
        """Read and answer one request; False when the connection is to be closed."""
        deadline: float | None = None
        try:
            if not conn.trailing_data[0]:  # nothing buffered: the deadline starts with the request's first byte
                self.request.settimeout(IDLE_TIMEOUT_S)
                try:
                    if not self.request.recv(1, socket.MSG_PEEK):
                        return False
                except TimeoutError:
                    return False
            deadline = time.monotonic() + REQUEST_DEADLINE_S
            event = self._event(conn, deadline)
            if isinstance(event, h11.ConnectionClosed):
                return False
            assert isinstance(event, h11.Request)
            self._check_framing(event)
            if conn.they_are_waiting_for_100_continue:
                self._send(conn, h11.InformationalResponse(status_code=100, headers=[]))
            body = self._body(conn, deadline)
            status, payload, headers = self._answer(event, body)
        except h11.RemoteProtocolError as exc:
            return self._fail(conn, exc.error_status_hint or 400, f"malformed HTTP request: {exc}", deadline)
        except _Refusal as exc:
            return self._fail(conn, exc.status, str(exc), deadline)
        self._respond(conn, status, payload, headers, head=event.method == b"HEAD")
        return True

    def _check_framing(self, request: h11.Request) -> None:
        headers = {name for name, _ in request.headers}
        if b"transfer-encoding" in headers and b"content-length" in headers:
            raise _Refusal(400, "the request has both Transfer-Encoding and Content-Length; send one")
        if any(b not in _TARGET_CHARS for b in request.target) or not request.target.startswith(b"/"):
            raise _Refusal(400, "the request target must be a path of printable ASCII characters "
                                "(percent-encode anything else)")
        if request.method in (b"GET", b"HEAD") and (b"transfer-encoding" in headers or any(
                name == b"content-length" and value != b"0" for name, value in request.headers)):
            raise _Refusal(400, f"a {request.method.decode()} request carries no body; POST the query to /query")
        length = next((int(v) for n, v in request.headers if n == b"content-length"), 0)
        if length > MAX_REQUEST_BYTES:
            raise _Refusal(413, f"the request body is larger than {MAX_REQUEST_BYTES} bytes")

    def _body(self, conn: h11.Connection, deadline: float) -> bytes:
        chunks: list[bytes] = []
        size = 0
        while True:
            event = self._event(conn, deadline)
            if isinstance(event, h11.EndOfMessage):
                return b"".join(chunks)
            if isinstance(event, h11.ConnectionClosed):
                raise _ClientGone
            size += len(event.data)
            if size > MAX_REQUEST_BYTES:
                raise _Refusal(413, f"the request body is larger than {MAX_REQUEST_BYTES} bytes")
            chunks.append(event.data)

    # -- writing ---------------------------------------------------------------------------------

    def _send(self, conn: h11.Connection, event: Any) -> None:
        data = conn.send(event)
        if data:
            self.request.settimeout(IDLE_TIMEOUT_S)
            self.request.sendall(data)

    def _respond(self, conn: h11.Connection, status: int, body: bytes, headers: dict[str, str], *,
                 head: bool = False, close: bool = False) -> None:
        fields = [(k, v) for k, v in headers.items()] + [("Content-Length", str(len(body)))]
        if close:
            fields.append(("Connection", "close"))
        reason = HTTPStatus(status).phrase.encode() if status in HTTPStatus._value2member_map_ else b""
        self._send(conn, h11.Response(status_code=status, headers=fields, reason=reason))
        if body and not head:
            self._send(conn, h11.Data(data=body))
        self._send(conn, h11.EndOfMessage())

    def _fail(self, conn: h11.Connection, status: int, message: str, deadline: float | None) -> bool:
        """Answer an error and close the connection, after reading what is left of the request (bounded)."""
        if conn.our_state in (h11.IDLE, h11.SEND_RESPONSE):
            body = (message + "\n").encode("utf-8")
            try:
                self._respond(conn, status, body, {"Content-Type": "text/plain; charset=utf-8"}, close=True)
            except h11.LocalProtocolError:  # h11 could not even read the request: write the answer itself
                self.request.sendall(f"HTTP/1.1 {status} {HTTPStatus(status).phrase}\r\nContent-Type: text/plain; "
                                     f"charset=utf-8\r\nContent-Length: {len(body)}\r\nConnection: close\r\n\r\n"
                                     .encode() + body)
        self._linger(deadline)
        return False

    def _linger(self, deadline: float | None) -> None:
        """Read and drop what the client still sends (bounded), so closing does not reset the connection.

        A client such as urllib sends its whole body before it reads the answer; closing
        with unread data would make the kernel send a reset, and the client would see a
        broken pipe instead of the 413.
        """
        try:
            self.request.shutdown(socket.SHUT_WR)
            now = time.monotonic()
            end = max(min(deadline, now + 5), now + 1) if deadline else now + 1
            drained = 0
            while drained < _MAX_DRAIN_BYTES:
                remaining = end - time.monotonic()
                if remaining <= 0:
                    return
                self.request.settimeout(remaining)
                data = self.request.recv(_CHUNK)
                if not data:
                    return
                drained += len(data)
        except OSError:
            return

    # -- answering -------------------------------------------------------------------------------

    def _answer(self, request: h11.Request, body: bytes) -> tuple[int, bytes, dict[str, str]]:
        method = request.method.decode("ascii")
        target = request.target.decode("ascii")
        path = target.split("?", 1)[0].rstrip("/")
        if method == "POST" and path != "/query":
            return _text(403, "this SPARQL endpoint is read-only: updates and uploads are refused "
                              "(POST queries to /query)")
        if method not in ("GET", "HEAD", "POST"):
            return _text(405, "this SPARQL endpoint is read-only: GET, HEAD or POST a query to /query",
                         {"Allow": "GET, HEAD, POST"})
        headers = {name.decode("latin-1"): value.decode("latin-1") for name, value in request.headers
                   if name.decode("latin-1") in _FORWARDED_REQUEST_HEADERS}
        for text in _query_texts(target, headers.get("content-type", ""), body):
            try:
                check_query_limits(text)
            except QueryError as exc:
                return _text(400, str(exc))
            if uses_federation(text):
                return _text(403, "federated queries (SERVICE) are refused: this endpoint answers from its own "
                                  "graph only")
        return self._forward("GET" if method == "HEAD" else method, target, headers, body)

    def _forward(self, method: str, target: str, headers: dict[str, str], body: bytes) -> tuple[int, bytes, dict[str, str]]:
        limit, cap = self.server.timeout_s, self.server.max_bytes
        deadline = time.monotonic() + limit
        if method == "POST":
            headers["Content-Length"] = str(len(body))
        engine = self.server.engine
        try:
            host, port, generation = engine.address(wait_s=limit)
        except OSError as exc:
            return _text(503, f"the SPARQL engine behind this endpoint is not running: {exc}; retry later")
        conn = http.client.HTTPConnection(host, port, timeout=limit)
        try:
            conn.request(method, target, body=body if method == "POST" else None, headers=headers)
            resp = conn.getresponse()
            chunks, size = [], 0
            while True:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError
                conn.sock.settimeout(remaining)
                chunk = resp.read1(_CHUNK)
                if not chunk:
                    break
                size += len(chunk)
                if size > cap:
                    return _text(500, f"the answer is larger than this endpoint's cap of {cap} bytes; "
                                      f"narrow the query or add LIMIT")
                chunks.append(chunk)
            if time.monotonic() > deadline:
                raise TimeoutError
        except TimeoutError:
            return _text(500, f"the query did not finish within this endpoint's time limit of {limit:g} s")
        except (OSError, http.client.HTTPException) as exc:
            reason = engine.death_reason(generation, wait_s=limit)
            if reason is not None:
                return _text(503, f"the SPARQL engine stopped while answering this query ({reason}); it has been "
                                  "restarted: narrow the query, or retry if another query caused it",
                             {"Retry-After": "1"})
            return _text(502, f"the SPARQL engine behind this endpoint did not answer: {exc}")
        finally:
            conn.close()
        out = {k: resp.headers[k] for k in _FORWARDED_RESPONSE_HEADERS if resp.headers.get(k)}
        return resp.status, b"".join(chunks), out


def _text(status: int, message: str, extra: dict[str, str] | None = None) -> tuple[int, bytes, dict[str, str]]:
    return status, (message + "\n").encode("utf-8"), {"Content-Type": "text/plain; charset=utf-8", **(extra or {})}


def _query_texts(target: str, content_type: str, body: bytes) -> list[str]:
    """Every ``query`` a request carries: URL parameters, a form body, or a sparql-query body."""
    texts = parse_qs(urlsplit(target).query).get("query", [])
    ctype = content_type.split(";", 1)[0].strip().lower()
    if body and ctype == "application/x-www-form-urlencoded":
        texts += parse_qs(body.decode("utf-8", "replace")).get("query", [])
    elif body:
        texts.append(body.decode("utf-8", "replace"))  # a sparql-query body, or what the engine will refuse
    return texts
