"""A thin read-only front for the Oxigraph server: a result-size cap and a hard time limit.

Oxigraph answers the SPARQL 1.1 Protocol (GET and POST, content negotiation,
every standard result format) and refuses updates when read-only, but it has
no cap on result size, and its ``--timeout-s`` cancels a query *while its
results stream*, so a client receives ``200 OK`` and a silently truncated
answer. This front, built on the standard library's ``ThreadingHTTPServer``
and ``http.client``, forwards each request to Oxigraph and buffers the answer:

- an answer larger than ``max_bytes`` becomes ``500`` with a message saying so
  (nothing truncated reaches the client);
- an answer not complete within ``timeout_s`` becomes ``500`` saying the time
  limit was reached (the upstream connection is closed, which stops Oxigraph;
  Oxigraph's own timeout, set one second later, is the backstop);
- ``POST`` goes only to ``/query``; updates (``/update``) get ``403``, and
  ``PUT``/``DELETE``/``PATCH`` get ``405``: the endpoint is read-only whatever
  the engine behind it allows;
- a query with a ``SERVICE`` clause gets ``403``: the endpoint answers from its
  own graph and never fetches another address on a client's behalf (no
  server-side request forgery, and no engine error streamed inside a ``200``);
- a malformed ``Content-Length`` gets ``400``; a client that stalls is dropped
  after the socket timeout.

Everything else (status, ``Content-Type``, body) is Oxigraph's.
"""

from __future__ import annotations

import http.client
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from ..sparqltext import uses_federation

__all__ = ["CappedProxy", "MAX_REQUEST_BYTES"]

#: the largest request body (a query) accepted
MAX_REQUEST_BYTES = 1 << 20
_FORWARDED_REQUEST_HEADERS = ("Accept", "Content-Type", "Accept-Language")
_FORWARDED_RESPONSE_HEADERS = ("Content-Type", "Content-Disposition", "Vary", "Allow")
_CHUNK = 1 << 16


class CappedProxy(ThreadingHTTPServer):
    """Serve ``(host, port)``; forward reads to Oxigraph at ``upstream``."""

    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128  # the listen backlog: socketserver's default of 5 resets bursts of concurrent clients

    def __init__(self, address: tuple[str, int], upstream: tuple[str, int], *, timeout_s: float, max_bytes: int):
        self.upstream = upstream
        self.timeout_s = timeout_s
        self.max_bytes = max_bytes
        super().__init__(address, _Handler)
        self._thread: threading.Thread | None = None

    def start(self) -> "CappedProxy":
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


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "netgraph-serve"
    timeout = 60  # seconds a client may stall while sending its request
    server: CappedProxy

    def log_message(self, format, *args):  # noqa: A002 - the base class's signature
        pass  # quiet: the CLI prints the address; errors go to the client

    def _reply(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        headers = headers or {"Content-Type": "text/plain; charset=utf-8"}
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _refuse(self, status: int, message: str) -> None:
        self._reply(status, (message + "\n").encode("utf-8"))

    def do_GET(self) -> None:
        self._forward(b"")

    def do_HEAD(self) -> None:
        self._forward(b"")

    def do_POST(self) -> None:
        path = self.path.split("?", 1)[0].rstrip("/")
        if path != "/query":
            self._drain()
            self._refuse(403, "this SPARQL endpoint is read-only: updates and uploads are refused "
                              "(POST queries to /query)")
            return
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            self.close_connection = True
            self._refuse(411, "send the query with a Content-Length")
            return
        length = self._content_length()
        if length is None:
            self.close_connection = True
            self._refuse(400, "Content-Length must be a non-negative integer")
            return
        if length > MAX_REQUEST_BYTES:
            self.close_connection = True
            self._refuse(413, f"the request body is larger than {MAX_REQUEST_BYTES} bytes")
            return
        self._forward(self.rfile.read(length))

    def _read_only(self) -> None:
        self._drain()
        self._refuse(405, "this SPARQL endpoint is read-only")

    do_PUT = do_DELETE = do_PATCH = _read_only

    def _content_length(self) -> int | None:
        """The declared body length; None when the header is not a non-negative integer."""
        raw = (self.headers.get("Content-Length") or "0").strip()
        return int(raw) if raw.isdigit() else None

    def _query_texts(self, body: bytes) -> list[str]:
        """Every ``query`` the request carries: URL parameters, a form body, or a sparql-query body."""
        texts = parse_qs(urlsplit(self.path).query).get("query", [])
        ctype = (self.headers.get("Content-Type") or "").split(";", 1)[0].strip().lower()
        if body and ctype == "application/x-www-form-urlencoded":
            texts += parse_qs(body.decode("utf-8", "replace")).get("query", [])
        elif body and ctype == "application/sparql-query":
            texts.append(body.decode("utf-8", "replace"))
        return texts

    def _drain(self) -> None:
        length = self._content_length()
        if length is None:
            self.close_connection = True
            return
        if 0 < length <= MAX_REQUEST_BYTES:
            self.rfile.read(length)
        elif length:
            self.close_connection = True

    def _forward(self, body: bytes) -> None:
        if any(uses_federation(text) for text in self._query_texts(body)):
            self._refuse(403, "federated queries (SERVICE) are refused: this endpoint answers from its own graph only")
            return
        limit, cap = self.server.timeout_s, self.server.max_bytes
        deadline = time.monotonic() + limit
        headers = {k: self.headers[k] for k in _FORWARDED_REQUEST_HEADERS if self.headers.get(k)}
        if body or self.command == "POST":
            headers["Content-Length"] = str(len(body))
        conn = http.client.HTTPConnection(*self.server.upstream, timeout=limit)
        try:
            conn.request(self.command, self.path, body=body or None, headers=headers)
            resp = conn.getresponse()
            chunks, size = [], 0
            while True:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise socket.timeout
                conn.sock.settimeout(remaining)
                chunk = resp.read1(_CHUNK) if self.command != "HEAD" else b""
                if not chunk:
                    break
                size += len(chunk)
                if size > cap:
                    self._refuse(500, f"the answer is larger than this endpoint's cap of {cap} bytes; "
                                      f"narrow the query or add LIMIT")
                    return
                chunks.append(chunk)
            if time.monotonic() > deadline:
                raise socket.timeout
        except socket.timeout:
            self._refuse(500, f"the query did not finish within this endpoint's time limit of {limit:g} s")
            return
        except (OSError, http.client.HTTPException) as exc:
            self._refuse(502, f"the SPARQL engine behind this endpoint did not answer: {exc}")
            return
        finally:
            conn.close()
        out = {k: resp.headers[k] for k in _FORWARDED_RESPONSE_HEADERS if resp.headers.get(k)}
        self._reply(resp.status, b"".join(chunks), out)
