"""`netgraph serve`: a read-only SPARQL 1.1 Protocol endpoint over the built graph.

The engine is the Oxigraph server (the ``oxigraph`` package): the built parts
are bulk-loaded into a temporary on-disk store, one named graph each, and
``oxigraph serve-read-only --union-default-graph`` answers on an internal port
of 127.0.0.1. In front of it :class:`~netgraph.stores.proxy.CappedProxy` adds
what Oxigraph lacks: strict HTTP, a guard against queries that would crash the
engine, a cap on result size and a time limit that never lets a truncated
answer through. Both listen on 127.0.0.1 unless another host is given.

:class:`Engine` runs the Oxigraph server confined (:mod:`netgraph.stores.sandbox`:
no outbound connections, so no ``SERVICE`` call can reach anything) and watches
it: when its resident memory passes ``max_memory`` it is killed, and when it
dies for any reason it is started again on the same store, so the endpoint
stays up; the request it was answering gets ``503``. Stopping the server
removes the temporary store::

    with SparqlServer(port=0) as server:      # 0: any free port
        print(server.query_url)               # http://127.0.0.1:<port>/query
"""

from __future__ import annotations

import http.client
import ipaddress
import math
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, NoReturn

from ..errors import InputError, MissingDependencyError, NetgraphError, ServerStartError
from ..graphs import load_store
from .sandbox import can_block_outbound, sandboxed_command
from ..paths import Root

if TYPE_CHECKING:
    from .proxy import CappedProxy

__all__ = ["SparqlServer", "Engine", "serve", "oxigraph_executable", "free_port", "is_loopback", "DEFAULT_PORT",
           "DEFAULT_TIMEOUT_S", "DEFAULT_MAX_RESULT_BYTES", "DEFAULT_MAX_MEMORY"]

DEFAULT_PORT = 7878
DEFAULT_TIMEOUT_S = 30.0
DEFAULT_MAX_RESULT_BYTES = 16 * 2**20
#: the engine's resident memory bound (bytes): above it the engine is killed and restarted
DEFAULT_MAX_MEMORY = 2 * 2**30
_WATCH_INTERVAL_S = 0.02
_START_TIMEOUT_S = 20.0


def oxigraph_executable() -> str:
    """Path of the ``oxigraph`` server program (PyPI package ``oxigraph``)."""
    exe = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
    if not Path(exe).exists():
        raise MissingDependencyError("`netgraph serve` needs the Oxigraph server: pip install 'oxigraph>=0.5,<0.6' "
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


class Engine:
    """The Oxigraph server on ``location``: confined, bounded in memory, restarted when it dies.

    A watcher thread reads the engine's resident set size (``/proc``, Linux) every
    20 ms and kills it above ``max_memory``; whenever the process has exited, the
    watcher starts a new one (on a new internal port). :meth:`address` waits for a
    running engine; :meth:`death_reason` tells a request whose connection broke
    whether the engine died meanwhile, and why.
    """

    def __init__(self, location: Path, *, timeout_s: float, max_memory: int | None = DEFAULT_MAX_MEMORY,
                 no_outbound: bool | None = None):
        self.location = location
        self.timeout_s = timeout_s
        self.max_memory = max_memory
        self.no_outbound = can_block_outbound() if no_outbound is None else no_outbound
        self.restarts = 0
        self._proc: subprocess.Popen | None = None
        self._port = 0
        self._generation = 0
        self._deaths: dict[int, str] = {}  # generation -> why it ended
        self._cond = threading.Condition()
        self._stopping = False
        self._watcher: threading.Thread | None = None

    def start(self) -> Engine:
        self._spawn()
        self._watcher = threading.Thread(target=self._watch, name="netgraph-serve-engine", daemon=True)
        self._watcher.start()
        return self

    def _spawn(self) -> None:
        port = free_port()
        cmd = [oxigraph_executable(), "serve-read-only", "--location", str(self.location),
               "--bind", f"127.0.0.1:{port}", "--union-default-graph",
               "--timeout-s", str(math.ceil(self.timeout_s) + 1)]
        log = self.location.parent / "engine.log"  # a file, not a pipe: a full pipe would block the engine
        with open(log, "wb") as err:
            proc = subprocess.Popen(sandboxed_command(cmd, no_outbound=self.no_outbound), stdout=subprocess.DEVNULL,
                                    stderr=err, start_new_session=True)  # Ctrl-C reaches us; we stop it
        deadline = time.monotonic() + _START_TIMEOUT_S
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                message = log.read_text(encoding="utf-8", errors="replace").strip()[-2000:]
                raise ServerStartError(f"the Oxigraph server exited at start: {message or 'no message'}")
            if _answers(port):
                break
            time.sleep(0.02)
        else:
            _end(proc)
            raise ServerStartError(f"the Oxigraph server did not answer within {_START_TIMEOUT_S:g} s")
        with self._cond:
            if self._stopping:  # stop() came while this one started: it would outlive the server
                _end(proc)
                return
            self._proc, self._port = proc, port
            self._generation += 1
            self._cond.notify_all()

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc is not None else None

    def _rss(self, pid: int) -> int:
        try:
            with open(f"/proc/{pid}/statm", "rb") as f:
                return int(f.read().split()[1]) * _PAGE
        except (OSError, ValueError, IndexError):
            return 0

    def _watch(self) -> None:
        while not self._stopping:
            proc = self._proc
            if proc is None:
                return
            why = None
            if proc.poll() is not None:
                why = f"it exited with status {proc.returncode}"
            elif self.max_memory is not None and self._rss(proc.pid) > self.max_memory:
                proc.kill()
                proc.wait()
                why = f"it used more than its memory bound of {self.max_memory / 2**20:g} MiB"
            if why is None:
                time.sleep(_WATCH_INTERVAL_S)
                continue
            _end(proc)
            with self._cond:
                self._deaths[self._generation] = why
                self._proc = None
                self._cond.notify_all()
            if self._stopping:
                return
            try:
                self._spawn()
                self.restarts += 1
            except NetgraphError:
                time.sleep(1)  # a broken store: keep trying, requests meanwhile get 503
                with self._cond:
                    self._proc = proc  # poll() is not None: the next round tries again

    def address(self, wait_s: float) -> tuple[str, int, int]:
        """``(host, port, generation)`` of the running engine, waiting up to ``wait_s`` while it restarts."""
        with self._cond:
            if not self._cond.wait_for(lambda: self._stopping or (self._proc is not None
                                                                   and self._proc.returncode is None), wait_s):
                raise OSError("it is restarting and did not come back in time")
            if self._stopping:
                raise OSError("the endpoint is stopping")
            return "127.0.0.1", self._port, self._generation

    def death_reason(self, generation: int, wait_s: float) -> str | None:
        """Why engine ``generation`` died, or None if it is still running (waits up to 1 s for the watcher)."""
        end = time.monotonic() + min(wait_s, 1.0)
        with self._cond:
            while generation not in self._deaths:
                remaining = end - time.monotonic()
                if remaining <= 0:
                    return None
                self._cond.wait(remaining)
            return self._deaths[generation]

    def stop(self) -> None:
        self._stopping = True
        with self._cond:
            self._cond.notify_all()
        if self._watcher is not None:
            self._watcher.join(timeout=_START_TIMEOUT_S + 5)
        if self._proc is not None:
            _end(self._proc)
            self._proc = None


_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def _answers(port: int) -> bool:
    """Whether the engine on 127.0.0.1:``port`` answers a query. A direct connection: urllib would send it
    through ``http_proxy``, and a proxy cannot reach this machine's loopback (the engine never seemed to start)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
    try:
        conn.request("GET", "/query?query=ASK%7B%7D")
        return conn.getresponse().status == 200
    except (OSError, http.client.HTTPException):
        return False
    finally:
        conn.close()


def _end(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


class SparqlServer:
    """The endpoint: ``start()``, ``stop()``, or use as a context manager."""

    def __init__(self, root: Root = None, *, host: str = "127.0.0.1", port: int = DEFAULT_PORT,
                 timeout_s: float = DEFAULT_TIMEOUT_S, max_result_bytes: int = DEFAULT_MAX_RESULT_BYTES,
                 max_memory: int | None = DEFAULT_MAX_MEMORY):
        if timeout_s <= 0:
            raise InputError(f"the time limit must be positive, not {timeout_s}")
        if max_result_bytes < 1:
            raise InputError(f"the result cap must be at least 1 byte, not {max_result_bytes}")
        if max_memory is not None and max_memory < 2**20:
            raise InputError(f"the engine's memory bound must be at least 1 MiB, not {max_memory} bytes")
        if not 0 <= port <= 65535:
            raise InputError(f"port {port} is out of range (0-65535; 0 picks a free port)")
        self.root = root
        self.host = host
        self.port = port
        self.timeout_s = timeout_s
        self.max_result_bytes = max_result_bytes
        self.max_memory = max_memory
        self.triples = 0
        self._dir: Path | None = None
        self.engine: Engine | None = None
        self._proxy: CappedProxy | None = None

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def query_url(self) -> str:
        """The SPARQL endpoint (GET ``?query=`` or POST)."""
        return f"{self.url}/query"

    @property
    def outbound_blocked(self) -> bool:
        """Whether the engine runs with outbound connections blocked (Linux; see :mod:`.sandbox`)."""
        return self.engine is not None and self.engine.no_outbound

    def __enter__(self) -> SparqlServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> SparqlServer:
        try:  # h11 comes with the [serve] extra: imported only here, so netgraph.stores works without it
            from .proxy import CappedProxy
        except ImportError as exc:
            raise MissingDependencyError(f"`netgraph serve` needs {exc.name}: pip install 'netgraph-kg[serve]'") from None
        try:
            self._dir = Path(tempfile.mkdtemp(prefix="netgraph-serve-"))
            self.engine = Engine(self._dir / "store", timeout_s=self.timeout_s, max_memory=self.max_memory)
            try:  # listen first, so a busy port fails before any work
                self._proxy = CappedProxy((self.host, self.port), self.engine,
                                          timeout_s=self.timeout_s, max_bytes=self.max_result_bytes)
            except OSError as exc:
                raise InputError(f"cannot listen on {self.host}:{self.port}: {exc.strerror or exc}") from exc
            self.port = self._proxy.server_address[1]
            self.triples = self._load(self._dir / "store")
            self.engine.start()
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

    def stop(self) -> None:
        if self._proxy is not None:
            self._proxy.stop()
            self._proxy = None
        if self.engine is not None:
            self.engine.stop()
            self.engine = None
        if self._dir is not None:
            shutil.rmtree(self._dir, ignore_errors=True)
            self._dir = None

    def wait(self) -> None:
        """Block until interrupted (Ctrl-C or SIGTERM), then stop; the engine is restarted whenever it dies."""
        def _term(signum: int, frame: FrameType | None) -> NoReturn:
            raise KeyboardInterrupt

        previous = signal.signal(signal.SIGTERM, _term)
        try:
            while self.engine is not None:
                time.sleep(0.5)
        except KeyboardInterrupt:
            pass
        finally:
            signal.signal(signal.SIGTERM, previous)
            self.stop()


def serve(root: Root = None, *, host: str = "127.0.0.1", port: int = DEFAULT_PORT, timeout_s: float = DEFAULT_TIMEOUT_S,
          max_result_bytes: int = DEFAULT_MAX_RESULT_BYTES, max_memory: int | None = DEFAULT_MAX_MEMORY) -> SparqlServer:
    """Start the endpoint and return it (call ``stop()``, or use ``with``)."""
    return SparqlServer(root, host=host, port=port, timeout_s=timeout_s, max_result_bytes=max_result_bytes,
                        max_memory=max_memory).start()
