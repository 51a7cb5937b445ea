"""A small HTTP client for stores: urllib, authentication, and errors that say what happened.

Only the standard library: one request at a time, a timeout on each, basic or
digest authentication or a bearer token. A store that answers with an HTTP
error gives :class:`HttpStatusError` (status and the start of its body); a store
that cannot be reached, or drops the connection, gives :class:`TransportError`.
"""

from __future__ import annotations

import base64
import http.client
import socket
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from ..errors import InputError

__all__ = ["Auth", "HttpClient", "HttpStatusError", "TransportError", "check_url"]


class TransportError(Exception):
    """The store could not be reached, or the connection broke."""


class HttpStatusError(Exception):
    """The store answered with an HTTP error status."""

    def __init__(self, url: str, status: int, body: str):
        self.url, self.status, self.body = url, status, body
        super().__init__(f"{url} answered HTTP {status}: {body}")


@dataclass(frozen=True)
class Auth:
    """Credentials: ``user``/``password`` with ``scheme`` basic or digest, or a bearer ``token``."""

    user: str | None = None
    password: str | None = None
    token: str | None = None
    scheme: str = "basic"

    def __post_init__(self):
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


class HttpClient:
    """Requests with the configured credentials and timeout."""

    def __init__(self, auth: Auth | None = None, timeout: float = 60.0):
        self.auth = auth or Auth()
        self.timeout = timeout
        handlers = []
        if self.auth.user and self.auth.scheme == "digest":
            manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            manager.add_password(None, "http://", self.auth.user, self.auth.password or "")
            manager.add_password(None, "https://", self.auth.user, self.auth.password or "")
            handlers.append(urllib.request.HTTPDigestAuthHandler(manager))
        self._opener = urllib.request.build_opener(*handlers)

    def _headers(self, headers: dict[str, str]) -> dict[str, str]:
        out = dict(headers)
        if self.auth.token:
            out["Authorization"] = f"Bearer {self.auth.token}"
        elif self.auth.user and self.auth.scheme == "basic":
            raw = f"{self.auth.user}:{self.auth.password or ''}".encode("utf-8")
            out["Authorization"] = "Basic " + base64.b64encode(raw).decode("ascii")
        return out

    def request(self, method: str, url: str, body: bytes | None = None, headers: dict[str, str] | None = None,
                timeout: float | None = None) -> bytes:
        req = urllib.request.Request(url, data=body, method=method, headers=self._headers(headers or {}))
        try:
            with self._opener.open(req, timeout=timeout or self.timeout) as resp:
                return resp.read()
        except urllib.error.HTTPError as exc:
            try:
                text = exc.read(2000).decode("utf-8", errors="replace").strip()
            except (OSError, http.client.HTTPException):
                text = ""
            raise HttpStatusError(url, exc.code, " ".join(text.split())[:500] or exc.reason) from exc
        except urllib.error.URLError as exc:
            raise TransportError(f"cannot reach {url}: {exc.reason}") from exc
        except (OSError, http.client.HTTPException, socket.timeout) as exc:
            raise TransportError(f"connection to {url} failed: {exc or type(exc).__name__}") from exc
