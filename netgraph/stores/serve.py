"""`netgraph serve`: a read-only SPARQL 1.1 Protocol endpoint over the built graph.

The engine is the Oxigraph server (the ``oxigraph`` package): the built parts
are bulk-loaded into a temporary on-disk store, one named graph each, and
``oxigraph serve-read-only --union-default-graph`` answers on an internal port
of 127.0.0.1. In front of it :class:`~netgraph.stores.proxy.CappedProxy` adds
what Oxigraph lacks: a cap on result size and a time limit that never lets a
truncated answer through. Both listen on 127.0.0.1 unless another host is
given. Stopping the server removes the temporary store::

    with SparqlServer(port=0) as server:      # 0: any free port
        print(server.query_url)               # http://127.0.0.1:<port>/query
"""

from __future__ import annotations

import ipaddress
import math
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from ..errors import InputError, NetgraphError
from ..graphs import load_store
from .proxy import CappedProxy

__all__ = ["SparqlServer", "serve", "oxigraph_executable", "free_port", "is_loopback", "DEFAULT_PORT",
           "DEFAULT_TIMEOUT_S", "DEFAULT_MAX_RESULT_BYTES"]

DEFAULT_PORT = 7878
DEFAULT_TIMEOUT_S = 30.0
DEFAULT_MAX_RESULT_BYTES = 16 * 2**20


def oxigraph_executable() -> str:
    """Path of the ``oxigraph`` server program (PyPI package ``oxigraph``)."""
    exe = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
    if not Path(exe).exists():
        raise NetgraphError("`netgraph serve` needs the Oxigraph server: pip install 'oxigraph>=0.5,<0.6' "
                            "(or pip install 'netgraph-kg[serve]')")
    return exe


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def is_loopback(host: str) -> bool:
    """Whether ``host`` is a loopback address (reachable only from this machine)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class SparqlServer:
    """The endpoint: ``start()``, ``stop()``, or use as a context manager."""

    def __init__(self, root=None, *, host: str = "127.0.0.1", port: int = DEFAULT_PORT,
                 timeout_s: float = DEFAULT_TIMEOUT_S, max_result_bytes: int = DEFAULT_MAX_RESULT_BYTES):
        if timeout_s <= 0:
            raise InputError(f"the time limit must be positive, not {timeout_s}")
        if max_result_bytes < 1:
            raise InputError(f"the result cap must be at least 1 byte, not {max_result_bytes}")
        if not 0 <= port <= 65535:
            raise InputError(f"port {port} is out of range (0-65535; 0 picks a free port)")
        self.root = root
        self.host = host
        self.port = port
        self.timeout_s = timeout_s
        self.max_result_bytes = max_result_bytes
        self.triples = 0
        self._dir: Path | None = None
        self._engine: subprocess.Popen | None = None
        self._proxy: CappedProxy | None = None

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def query_url(self) -> str:
        """The SPARQL endpoint (GET ``?query=`` or POST)."""
        return f"{self.url}/query"

    def __enter__(self) -> "SparqlServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def start(self) -> "SparqlServer":
        engine_port = free_port()
        try:  # listen first, so a busy port fails before any work
            self._proxy = CappedProxy((self.host, self.port), ("127.0.0.1", engine_port),
                                      timeout_s=self.timeout_s, max_bytes=self.max_result_bytes)
        except OSError as exc:
            raise InputError(f"cannot listen on {self.host}:{self.port}: {exc.strerror or exc}") from exc
        self.port = self._proxy.server_address[1]
        try:
            self._dir = Path(tempfile.mkdtemp(prefix="netgraph-serve-"))
            self.triples = self._load(self._dir / "store")
            self._start_engine(self._dir / "store", engine_port)
            self._proxy.start()
        except BaseException:
            self.stop()
            raise
        return self

    def _load(self, location: Path) -> int:
        store = load_store(self.root, location=location)
        try:
            store.flush()
            return len(store)
        finally:
            del store  # close the store: the server opens it next

    def _start_engine(self, location: Path, port: int) -> None:
        cmd = [oxigraph_executable(), "serve-read-only", "--location", str(location), "--bind", f"127.0.0.1:{port}",
               "--union-default-graph", "--timeout-s", str(math.ceil(self.timeout_s) + 1)]
        self._engine = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                        start_new_session=True)  # Ctrl-C reaches us, and we stop it
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self._engine.poll() is not None:
                err = self._engine.stderr.read().decode(errors="replace").strip() if self._engine.stderr else ""
                raise NetgraphError(f"the Oxigraph server exited at start: {err or 'no message'}")
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/query?query=ASK%7B%7D", timeout=1).read()
                return
            except OSError:
                time.sleep(0.05)
        raise NetgraphError("the Oxigraph server did not answer within 20 s")

    def stop(self) -> None:
        if self._proxy is not None:
            self._proxy.stop()
            self._proxy = None
        if self._engine is not None:
            if self._engine.poll() is None:
                self._engine.terminate()
                try:
                    self._engine.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    self._engine.kill()
                    self._engine.wait()
            if self._engine.stderr:
                self._engine.stderr.close()
            self._engine = None
        if self._dir is not None:
            shutil.rmtree(self._dir, ignore_errors=True)
            self._dir = None

    def wait(self) -> None:
        """Block until interrupted (Ctrl-C or SIGTERM), then stop."""
        import signal

        def _term(signum, frame):
            raise KeyboardInterrupt

        previous = signal.signal(signal.SIGTERM, _term)
        try:
            while self._engine is not None and self._engine.poll() is None:
                time.sleep(0.5)
            if self._engine is not None:
                raise NetgraphError("the Oxigraph server stopped unexpectedly")
        except KeyboardInterrupt:
            pass
        finally:
            signal.signal(signal.SIGTERM, previous)
            self.stop()


def serve(root=None, *, host: str = "127.0.0.1", port: int = DEFAULT_PORT, timeout_s: float = DEFAULT_TIMEOUT_S,
          max_result_bytes: int = DEFAULT_MAX_RESULT_BYTES) -> SparqlServer:
    """Start the endpoint and return it (call ``stop()``, or use ``with``)."""
    return SparqlServer(root, host=host, port=port, timeout_s=timeout_s, max_result_bytes=max_result_bytes).start()
