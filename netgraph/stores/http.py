"""netgraph's one HTTP layer: loads, remote queries and the checks share its auth, timeout and retries.

Only the standard library (``http.client``), one request at a time:

- **authentication**: ``basic`` (sent with every request), ``digest`` (RFC 7616,
  MD5 or SHA-256, ``qop=auth``) or a bearer ``token``. A digest challenge is
  obtained *before* a body is streamed (a ``HEAD`` preflight, then the challenge
  is reused with a counting ``nc``), so a store that answers 401 and closes the
  socket mid-upload (Virtuoso) never costs a body; a stale or new challenge in a
  401 makes the request go again once with the new nonce;
- **timeout**: a deadline for the *whole* request (connect, upload, headers,
  body). A watchdog shuts the socket down when it passes, so a peer that
  trickles one byte every few seconds cannot hold the client;
- **retries**: connection refused/reset/aborted, a dropped connection and HTTP
  429/502/503/504 are retried ``retries`` times with exponential backoff (or the
  server's ``Retry-After``, at most 10 s). A timeout is not retried;
- **redirects** (301/302/307/308 keep method and body, 303 becomes a ``GET``;
  credentials are not sent to another host);
- **proxies** from ``http_proxy``/``https_proxy`` (``no_proxy`` honoured), as
  urllib and SPARQLWrapper did; proxy credentials are not supported.

Errors: an HTTP error status is :class:`HttpStatusError` (status, reason, the
start of the body); a store that cannot be reached or drops the connection is
:class:`TransportError`; a request past its deadline is :class:`RequestTimeout`.
"""

from __future__ import annotations

import base64
import hashlib
import http.client
import os
import socket
import threading
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from collections.abc import Mapping

from .._version import __version__
from ..errors import HttpStatusError, InputError, RequestTimeout, TransportError

__all__ = ["Auth", "HttpClient", "HttpResponse", "HttpStatusError", "TransportError", "RequestTimeout",
           "TRANSIENT_STATUS", "check_url"]

#: HTTP statuses worth retrying.
TRANSIENT_STATUS = frozenset({429, 502, 503, 504})
_MAX_REDIRECTS = 5
_MAX_BACKOFF = 10.0
_BLOCK = 1 << 16


@dataclass(frozen=True)
class HttpResponse:
    """A successful (2xx) answer."""

    status: int
    headers: Mapping[str, str]
    body: bytes


@dataclass(frozen=True)
class Auth:
    """Credentials: ``user``/``password`` with ``scheme`` basic or digest, or a bearer ``token``."""

    user: str | None = None
    password: str | None = None
    token: str | None = None
    scheme: str = "basic"

    def __post_init__(self) -> None:
        if self.scheme not in ("basic", "digest"):
            raise InputError(f"unknown authentication scheme {self.scheme!r}; use basic or digest")
        if self.token and self.user:
            raise InputError("give either a user (and password) or a token, not both")
        if self.password is not None and not self.user:
            raise InputError("a password needs a user (--user)")


def check_url(url: str, what: str = "endpoint") -> str:
    """``url`` if it is an absolute http(s) URL; otherwise a clear :class:`InputError`."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise InputError(f"{what} {url!r} is not an http(s) URL (for example http://127.0.0.1:7878/query)")
    return url


@dataclass
class _Digest:
    """A digest challenge from one origin, reused with a counting nonce count."""

    params: dict[str, str]
    count: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def header(self, user: str, password: str, method: str, target: str) -> str:
        p = self.params
        algorithm = p.get("algorithm", "MD5")
        base = algorithm.upper().removesuffix("-SESS")
        if base not in ("MD5", "SHA-256"):
            raise TransportError(f"the store asks for digest algorithm {algorithm}, which netgraph does not support")
        h = (lambda s: hashlib.md5(s.encode()).hexdigest()) if base == "MD5" else \
            (lambda s: hashlib.sha256(s.encode()).hexdigest())
        with self.lock:
            self.count += 1
            nc = f"{self.count:08x}"
        cnonce = os.urandom(8).hex()
        realm, nonce = p.get("realm", ""), p.get("nonce", "")
        ha1 = h(f"{user}:{realm}:{password}")
        if algorithm.upper().endswith("-SESS"):
            ha1 = h(f"{ha1}:{nonce}:{cnonce}")
        ha2 = h(f"{method}:{target}")
        qops = [q.strip() for q in p.get("qop", "").split(",") if q.strip()]
        fields = {"username": user, "realm": realm, "nonce": nonce, "uri": target}
        if "auth" in qops:
            fields["response"] = h(f"{ha1}:{nonce}:{nc}:{cnonce}:auth:{ha2}")
            extra = f", qop=auth, nc={nc}, cnonce=\"{cnonce}\""
        elif qops:
            raise TransportError(f"the store asks for digest qop {p['qop']}, which netgraph does not support")
        else:
            fields["response"] = h(f"{ha1}:{nonce}:{ha2}")
            extra = ""
        quoted = ", ".join(f'{k}="{_quote(v)}"' for k, v in fields.items())
        opaque = f', opaque="{_quote(p["opaque"])}"' if "opaque" in p else ""
        return f"Digest {quoted}, algorithm={algorithm}{extra}{opaque}"


def _quote(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"')


def _challenges(headers: http.client.HTTPMessage) -> dict[str, dict[str, str]]:
    """``{"digest": {...}, "basic": {...}}`` from the WWW-Authenticate headers of a 401."""
    out: dict[str, dict[str, str]] = {}
    for value in headers.get_all("WWW-Authenticate") or ():
        scheme, _, rest = value.strip().partition(" ")
        items = urllib.request.parse_http_list(rest)
        try:
            params = urllib.request.parse_keqv_list([i for i in items if "=" in i])
        except ValueError:
            params = {}
        out.setdefault(scheme.lower(), {k.lower(): v for k, v in params.items()})
    return out


#: status, reason, headers, body, and the error met while sending (the peer may have answered anyway)
_Answer = tuple[int, str, http.client.HTTPMessage, bytes, OSError | None]


class _Exchange:
    """One request on one connection, under a watchdog that aborts it at the deadline."""

    def __init__(self, url: str, deadline: float):
        self.url, self.deadline, self.aborted = url, deadline, False
        self.conn: http.client.HTTPConnection | None = None

    def _abort(self) -> None:
        self.aborted = True
        sock = self.conn.sock if self.conn is not None else None
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def run(self, method: str, body: bytes | None, headers: dict[str, str]) -> _Answer:
        parts = urllib.parse.urlsplit(self.url)
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError("deadline passed")
        cls = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
        target = urllib.parse.urlunsplit(("", "", parts.path or "/", parts.query, ""))
        proxy = _proxy_for(parts)
        if proxy is None:
            self.conn = cls(parts.hostname or "", parts.port, timeout=remaining)
        elif parts.scheme == "https":  # a CONNECT tunnel through the proxy
            self.conn = cls(proxy.hostname or "", proxy.port or 8080, timeout=remaining)
            self.conn.set_tunnel(parts.hostname or "", parts.port or 443)
        else:  # a plain proxy takes the absolute URL
            self.conn = http.client.HTTPConnection(proxy.hostname or "", proxy.port or 8080, timeout=remaining)
            target = urllib.parse.urlunsplit((parts.scheme, parts.netloc, parts.path or "/", parts.query, ""))
        timer = threading.Timer(remaining, self._abort)
        timer.daemon = True
        timer.start()
        try:
            sent_error: OSError | None = None
            try:
                self.conn.request(method, target, body=body, headers=headers)
            except (BrokenPipeError, ConnectionResetError) as exc:
                sent_error = exc  # the peer may have answered (a 401) before it stopped reading
            try:
                resp = self.conn.getresponse()
            except (OSError, http.client.HTTPException):
                if sent_error is not None:
                    raise sent_error from None
                raise
            chunks = []
            read = getattr(resp, "read1", None) or resp.read
            while method != "HEAD":
                chunk = read(_BLOCK)
                if not chunk:
                    break
                chunks.append(chunk)
            if self.aborted:
                raise TimeoutError("deadline passed")
            return resp.status, resp.reason, resp.headers, b"".join(chunks), sent_error
        finally:
            timer.cancel()
            self.conn.close()


class HttpClient:
    """Requests with the configured credentials, whole-request timeout and retries."""

    def __init__(self, auth: Auth | None = None, timeout: float = 60.0, retries: int = 2, backoff: float = 0.5):
        if timeout <= 0:
            raise InputError("the timeout must be a positive number of seconds")
        self.auth = auth or Auth()
        self.timeout = timeout
        self.retries = max(0, int(retries))
        self.backoff = backoff
        self._digests: dict[tuple[str, str], _Digest] = {}
        self._preflighted: set[tuple[str, str]] = set()

    def request(self, method: str, url: str, body: bytes | None = None, headers: dict[str, str] | None = None,
                timeout: float | None = None) -> bytes:
        """The body of a 2xx answer (see :meth:`send`)."""
        return self.send(method, url, body, headers, timeout=timeout).body

    def post_query(self, url: str, query: str, accept: str, timeout: float | None = None) -> HttpResponse:
        """A SPARQL query by the protocol's URL-encoded ``POST``, asking for ``accept``."""
        body = urllib.parse.urlencode({"query": query}).encode("utf-8")
        return self.send("POST", url, body, {"Content-Type": "application/x-www-form-urlencoded", "Accept": accept},
                         timeout=timeout)

    def send(self, method: str, url: str, body: bytes | None = None, headers: dict[str, str] | None = None,
             timeout: float | None = None, retries: int | None = None) -> HttpResponse:
        """Send, retrying transient failures; a 2xx :class:`HttpResponse` or an exception."""
        retries = self.retries if retries is None else retries
        timeout = timeout or self.timeout
        attempt = 0
        while True:
            try:
                return self._once(method, url, body, headers or {}, timeout)
            except HttpStatusError as exc:
                if exc.status not in TRANSIENT_STATUS or attempt >= retries:
                    exc.attempts = attempt + 1
                    raise
                delay = getattr(exc, "retry_after", None)
            except RequestTimeout:
                raise
            except TransportError as exc:
                if attempt >= retries:
                    exc.attempts = attempt + 1
                    raise
                delay = None
            time.sleep(min(delay if delay is not None else self.backoff * (2 ** attempt), _MAX_BACKOFF))
            attempt += 1

    # -- one request, with authentication and redirects ----------------------------------------

    def _once(self, method: str, url: str, body: bytes | None, headers: dict[str, str],
              timeout: float) -> HttpResponse:
        deadline = time.monotonic() + timeout
        origin = _origin(url)
        rechallenged = False
        for _ in range(_MAX_REDIRECTS + 1):
            if self._wants_digest() and body and _origin(url) not in self._preflighted:
                self._preflight(url, deadline, timeout)
            status, reason, resp_headers, data, sent_error = self._exchange(
                method, url, body, self._headers(headers, method, url, same_origin=_origin(url) == origin),
                deadline, timeout)
            if status == 401 and self._wants_digest() and not rechallenged:
                challenge = _challenges(resp_headers).get("digest")
                if challenge is not None:  # a first, stale or new nonce: go once more with it
                    self._digests[_origin(url)] = _Digest(challenge)
                    rechallenged = True
                    status, reason, resp_headers, data, sent_error = self._exchange(
                        method, url, body, self._headers(headers, method, url, same_origin=_origin(url) == origin),
                        deadline, timeout)
            if status in (301, 302, 303, 307, 308) and resp_headers.get("Location"):
                url = urllib.parse.urljoin(url, resp_headers["Location"])
                check_url(url, "redirect target")
                if status == 303:
                    method, body = "GET", None
                continue
            if sent_error is not None and status < 400:
                raise TransportError(f"connection to {url} broke while sending ({sent_error})")
            if status >= 400:
                raise self._status_error(url, status, reason, resp_headers, data)
            return HttpResponse(status, dict(resp_headers.items()), data)
        raise TransportError(f"{url}: more than {_MAX_REDIRECTS} redirects")

    def _status_error(self, url: str, status: int, reason: str, headers: http.client.HTTPMessage,
                      data: bytes) -> HttpStatusError:
        text = " ".join(data[:4000].decode("utf-8", "replace").split())
        text = text[:600] + ("…" if len(text) > 600 else "")
        if status == 401:
            offered = sorted(_challenges(headers))
            if self.auth.user is None and self.auth.token is None:
                text = f"{text} (the store wants credentials: give --user and --password, or --token)".strip()
            elif offered and self.auth.token is None and self.auth.scheme not in offered:
                text = f"{text} (the store offers {', '.join(offered)} authentication; try --auth {offered[0]})".strip()
            elif not offered and self.auth.user and self.auth.scheme == "basic":
                text = f"{text} (wrong credentials, or the store wants digest authentication: try --auth digest)".strip()
        err = HttpStatusError(url, status, text, reason)
        retry_after = headers.get("Retry-After")
        try:
            err.retry_after = max(0.0, float(retry_after)) if retry_after else None
        except ValueError:
            err.retry_after = None
        return err

    def _wants_digest(self) -> bool:
        return bool(self.auth.user) and self.auth.scheme == "digest"

    def _preflight(self, url: str, deadline: float, timeout: float) -> None:
        """Obtain the digest challenge with a bodiless HEAD, so the body is sent once, authenticated."""
        status, _, headers, _, _ = self._exchange("HEAD", url, None, {"User-Agent": _AGENT}, deadline, timeout)
        self._preflighted.add(_origin(url))
        challenge = _challenges(headers).get("digest") if status == 401 else None
        if challenge is not None and _origin(url) not in self._digests:
            self._digests[_origin(url)] = _Digest(challenge)

    def _headers(self, headers: dict[str, str], method: str, url: str, same_origin: bool) -> dict[str, str]:
        out = {"User-Agent": _AGENT, **headers}
        if not same_origin:
            return out
        if self.auth.token:
            out["Authorization"] = f"Bearer {self.auth.token}"
        elif self.auth.user and self.auth.scheme == "basic":
            raw = f"{self.auth.user}:{self.auth.password or ''}".encode()
            out["Authorization"] = "Basic " + base64.b64encode(raw).decode("ascii")
        elif self._wants_digest() and _origin(url) in self._digests:
            parts = urllib.parse.urlsplit(url)
            target = urllib.parse.urlunsplit(("", "", parts.path or "/", parts.query, ""))
            out["Authorization"] = self._digests[_origin(url)].header(self.auth.user or "", self.auth.password or "",
                                                                      method, target)
        return out

    def _exchange(self, method: str, url: str, body: bytes | None, headers: dict[str, str], deadline: float,
                  timeout: float) -> _Answer:
        try:
            return _Exchange(url, deadline).run(method, body, headers)
        except TimeoutError:
            raise RequestTimeout(url, timeout) from None
        except (ConnectionRefusedError, ConnectionResetError, ConnectionAbortedError, BrokenPipeError,
                http.client.RemoteDisconnected, http.client.IncompleteRead) as exc:
            if time.monotonic() >= deadline:
                raise RequestTimeout(url, timeout) from None
            refused = isinstance(exc, ConnectionRefusedError)
            what = "cannot connect" if refused else "the connection broke"
            raise TransportError(f"{url}: {what} ({type(exc).__name__}: {exc})", refused=refused) from None
        except (OSError, http.client.HTTPException) as exc:
            if time.monotonic() >= deadline:
                raise RequestTimeout(url, timeout) from None
            raise TransportError(f"cannot reach {url}: {exc or type(exc).__name__}") from None


_AGENT = f"netgraph/{__version__}"


def _proxy_for(parts: urllib.parse.SplitResult) -> urllib.parse.SplitResult | None:
    """The proxy from ``http_proxy``/``https_proxy`` for this URL, unless ``no_proxy`` exempts its host."""
    proxy = urllib.request.getproxies().get(parts.scheme)
    if not proxy or urllib.request.proxy_bypass(parts.hostname or ""):
        return None
    found = urllib.parse.urlsplit(proxy if "://" in proxy else f"http://{proxy}")
    return found if found.hostname else None


def _origin(url: str) -> tuple[str, str]:
    parts = urllib.parse.urlsplit(url)
    return parts.scheme, parts.netloc.lower()
