"""Shared fixtures: the project paths, the built graph, and a real Oxigraph server.

The emitted Turtle files are committed; tests read them as a user's checkout
has them (``test_build.py`` checks they are fresh).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from netgraph.graphs import GRAPH_IRIS, part_files
from netgraph.paths import project_paths

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session", autouse=True)
def _private_store_cache(tmp_path_factory):
    """Prebuilt query stores go to a scratch cache, never the user's ~/.cache (CLI subprocesses inherit it)."""
    from netgraph.storecache import CACHE_DIR_ENV

    old = os.environ.get(CACHE_DIR_ENV)
    os.environ[CACHE_DIR_ENV] = str(tmp_path_factory.mktemp("store-cache"))
    yield
    if old is None:
        os.environ.pop(CACHE_DIR_ENV, None)
    else:
        os.environ[CACHE_DIR_ENV] = old


@pytest.fixture(scope="session")
def paths():
    return project_paths(ROOT)


@pytest.fixture(scope="session")
def shared_dir(paths):
    """The shared curation folder; tests that need it skip (saying why) when it is absent."""
    shared = paths.shared_dir()
    if shared is None and os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail("CI must run with the shared curation folder (../shared or NETGRAPH_SHARED): the quote "
                    "and identifier checks may not skip there")
    if shared is None:
        pytest.skip("the shared curation folder (../shared with sources/ and reference/) is not beside this "
                    "checkout; set NETGRAPH_SHARED to run the curation checks (CI always has it)")
    return shared


@pytest.fixture(scope="session")
def root(paths):
    """The checkout's root; fails (never skips) when the graph has not been built."""
    from netgraph.errors import InputError
    from netgraph.graphs import check_built

    try:
        check_built(part_files(paths.root))
    except InputError as exc:
        pytest.fail(str(exc))
    return paths.root


@pytest.fixture(scope="session")
def built(root):
    """The built graph as netgraph.stores loads it (read-only use, please)."""
    from netgraph.stores.canonical import load_built_graph

    return load_built_graph(root)


@pytest.fixture(scope="session")
def release_dir(tmp_path_factory, built):
    """One release of the built graph (every format, void.ttl, SHA256SUMS) and its result, for the tests that
    only read it (test_release.py, test_owl_tools.py); read-only use, please."""
    from netgraph.stores.release import release

    out = tmp_path_factory.mktemp("release")
    return out, release(out, built=built)


@pytest.fixture(scope="session")
def store(paths):
    """A pyoxigraph Store with the three named graphs (read-only use, please)."""
    from netgraph.graphs import load_store

    return load_store(paths.root)


@pytest.fixture(scope="session")
def dataset(paths):
    """An rdflib Dataset with the three named graphs (read-only use, please)."""
    from netgraph.graphs import load_dataset

    return load_dataset(paths.root)


@pytest.fixture(scope="session")
def union_graph(paths):
    """An rdflib Graph with the union of the three parts."""
    from rdflib import Graph

    g = Graph()
    for f in part_files(paths.root).values():
        if f.is_file():
            g.parse(f, format="turtle")
    return g


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _oxigraph_binary() -> str:
    exe = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
    if not Path(exe).exists():
        pytest.fail("the `oxigraph` server (PyPI package 'oxigraph', in the test extra) is not installed")
    return exe


class OxigraphServer:
    """A real Oxigraph SPARQL server on 127.0.0.1, started and stopped by the tests."""

    def __init__(self, location: Path, read_only: bool = False, union_default_graph: bool = True):
        self.location = location
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.read_only = read_only
        self.union = union_default_graph
        self.proc: subprocess.Popen | None = None

    @property
    def query_url(self) -> str:
        return f"{self.url}/query"

    @property
    def update_url(self) -> str:
        return f"{self.url}/update"

    @property
    def store_url(self) -> str:
        return f"{self.url}/store"

    def load(self, files: dict[str, Path]) -> None:
        """Load files into named graphs with `oxigraph load` (server must be stopped)."""
        exe = _oxigraph_binary()
        for part, path in files.items():
            subprocess.run([exe, "load", "--location", str(self.location), "--file", str(path),
                            "--graph", GRAPH_IRIS[part]], check=True, capture_output=True)

    def start(self) -> OxigraphServer:
        exe = _oxigraph_binary()
        cmd = [exe, "serve-read-only" if self.read_only else "serve", "--location", str(self.location),
               "--bind", f"127.0.0.1:{self.port}"]
        if self.union:
            cmd.append("--union-default-graph")
        self.proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"oxigraph exited: {self.proc.stderr.read().decode(errors='replace')}")
            try:
                urllib.request.urlopen(f"{self.url}/query?query=ASK%7B%7D", timeout=1).read()
                return self
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError("oxigraph server did not start within 20 s")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory, paths):
    """A read-write Oxigraph server on 127.0.0.1 holding the built graph (union default graph)."""
    server = OxigraphServer(tmp_path_factory.mktemp("oxigraph-db"))
    server.load({part: f for part, f in part_files(paths.root).items() if f.is_file()})
    server.start()
    yield server
    server.stop()


@pytest.fixture()
def empty_oxigraph_server(tmp_path):
    """A fresh, empty read-write Oxigraph server (for load tests); stopped after the test."""
    server = OxigraphServer(tmp_path / "db").start()
    yield server
    server.stop()
