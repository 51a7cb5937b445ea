"""Real SPARQL servers for the parity suite: Virtuoso 7 and Apache Jena, on 127.0.0.1.

Each server is started by the tests in a temporary directory on free ports,
loaded with the built graph (one named graph per part, as the embedded store
holds it) or left empty for the load tests, and stopped afterwards. Nothing here is a mock: Virtuoso is
Debian's ``virtuoso-opensource`` (``virtuoso-t``, loaded with its bulk loader
through ``isql-vt``); Jena is Debian's ``libapache-jena-java`` (ARQ 4.5), served
over the SPARQL protocol by ``tests/jena/JenaEndpoint.java``, a one-file HTTP
front end on the JDK's own ``com.sun.net.httpserver`` (Debian packages no
Fuseki). The Oxigraph server lives in ``conftest.py``.

:func:`missing` says why a server cannot run on this machine (``None`` when it
can); the parity suite skips with that reason locally and fails under ``CI=true``.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest

from conftest import free_port

__all__ = ["VirtuosoServer", "JenaServer", "missing", "JENA_JARS", "virtuoso_server", "VIRTUOSO_USER",
           "VIRTUOSO_PASSWORD"]

HERE = Path(__file__).resolve().parent
JENA_SOURCE = HERE / "jena" / "JenaEndpoint.java"
JENA_JARS = "/usr/share/java"
_JENA_NEEDS = ("jena-arq.jar", "jena-core.jar", "jena-base.jar", "jena-iri.jar")


def missing(kind: str) -> str | None:
    """Why the ``kind`` server ("virtuoso" or "jena") cannot start here, or ``None``."""
    if kind == "virtuoso":
        for exe in ("virtuoso-t", "isql-vt"):
            if shutil.which(exe) is None:
                return f"`{exe}` not found: apt-get install virtuoso-opensource"
        return None
    if kind == "jena":
        if shutil.which("java") is None:
            return "`java` not found: apt-get install default-jdk-headless"
        absent = [j for j in _JENA_NEEDS if not Path(JENA_JARS, j).is_file()]
        if absent:
            return f"{', '.join(absent)} not in {JENA_JARS}: apt-get install libapache-jena-java"
        modules = subprocess.run(["java", "--list-modules"], capture_output=True, text=True).stdout
        if "jdk.compiler" not in modules or "jdk.httpserver" not in modules:
            return "this Java runtime cannot run a source file (no jdk.compiler): apt-get install default-jdk-headless"
        return None
    raise ValueError(kind)


def _wait_http(url: str, proc: subprocess.Popen, what: str, log: Path, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{what} exited with status {proc.returncode}: {_tail(log)}")
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except urllib.error.HTTPError:
            return  # it answers HTTP: it is up
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{what} did not answer at {url} within {seconds:g} s: {_tail(log)}")


def _tail(log: Path, n: int = 2000) -> str:
    try:
        return log.read_text(errors="replace")[-n:]
    except OSError:
        return "(no log)"


def _stop(proc: subprocess.Popen | None) -> None:
    if proc is not None and proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


#: The user that the authenticated endpoints accept (allowed to update), and its password.
VIRTUOSO_USER = "loader"
VIRTUOSO_PASSWORD = "s3cret-for-tests"

# Run once the server answers: the user above, and beside Virtuoso's own digest-protected /sparql-auth and
# /sparql-graph-crud-auth two twins protected by *basic* authentication (the stock -auth endpoints accept
# digest only).
_VIRTUOSO_SETUP = (
    "DB.DBA.USER_CREATE('{user}', '{password}');",
    'GRANT SPARQL_UPDATE TO "{user}";',
    "DB.DBA.RDF_DEFAULT_USER_PERMS_SET('{user}', 7);",
    "DB.DBA.VHOST_DEFINE(lpath=>'/sparql-basic', ppath=>'/!sparql/', is_dav=>1, vsp_user=>'dba', sec=>'basic', "
    "realm=>'SPARQL', auth_fn=>'DB.DBA.HP_AUTH_SPARQL_USER', opts=>vector('noinherit', 1));",
    "DB.DBA.VHOST_DEFINE(lpath=>'/sparql-graph-crud-basic', ppath=>'/!sparql-graph-crud/', is_dav=>1, "
    "vsp_user=>'dba', sec=>'basic', realm=>'SPARQL', auth_fn=>'DB.DBA.HP_AUTH_SPARQL_USER', "
    "opts=>vector('noinherit', 1, 'exec_as_get', 1));",
)


class VirtuosoServer:
    """Virtuoso 7 (``virtuoso-t``) with a fresh database and a generated ``virtuoso.ini`` in ``directory``.

    :meth:`start` bulk-loads the given files (none: an empty store) and sets up a user ``loader``
    allowed to update, with digest (``/sparql-auth``, ``/sparql-graph-crud-auth``) and basic
    (``/sparql-basic``, ``/sparql-graph-crud-basic``) endpoints. ``max_rows`` is ``ResultSetMaxRows``
    (Debian's ``virtuoso.ini`` has 10000; raised so a whole graph can be read back).
    """

    name = "virtuoso"

    def __init__(self, directory: Path, max_rows: int = 1_000_000):
        self.dir = Path(directory)
        self.max_rows = max_rows
        self.sql_port = free_port()
        self.http_port = free_port()
        self.url = f"http://127.0.0.1:{self.http_port}"
        self.user, self.password = VIRTUOSO_USER, VIRTUOSO_PASSWORD
        self.proc: subprocess.Popen | None = None
        self.log = self.dir / "virtuoso.log"

    # endpoints
    @property
    def query_url(self) -> str:
        return f"{self.url}/sparql"

    sparql = query_url

    @property
    def sparql_auth(self) -> str:  # digest
        return f"{self.url}/sparql-auth"

    @property
    def graph_crud_auth(self) -> str:  # digest
        return f"{self.url}/sparql-graph-crud-auth"

    @property
    def sparql_basic(self) -> str:
        return f"{self.url}/sparql-basic"

    @property
    def graph_crud_basic(self) -> str:
        return f"{self.url}/sparql-graph-crud-basic"

    def ini(self, data_dir: Path) -> str:
        d = self.dir
        return f"""[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{self.sql_port}
DisableUnixSocket = 1
CheckpointInterval = 0
DirsAllowed = ., {data_dir}
NumberOfBuffers = 20000
MaxDirtyBuffers = 15000
MaxQueryMem = 500M
ThreadsPerQuery = 2

[HTTPServer]
ServerPort = 127.0.0.1:{self.http_port}
ServerRoot = {d}
ServerThreads = 10
MaxClientConnections = 10
Charset = UTF-8

[SPARQL]
ResultSetMaxRows = {self.max_rows}
MaxQueryExecutionTime = 120
MaxQueryCostEstimationTime = 400
"""

    def start(self, files: Mapping[str, Path] | None = None) -> VirtuosoServer:
        """Write the ini, start the server, set up the user and its endpoints, and bulk-load each file into its
        named graph (``{graph IRI: file}``; none: the store stays empty)."""
        data_dir = self.dir / "load"
        data_dir.mkdir(parents=True, exist_ok=True)
        loads = []
        for i, (graph, path) in enumerate((files or {}).items()):
            target = data_dir / f"part{i}{''.join(Path(path).suffixes)}"
            shutil.copyfile(path, target)
            loads.append(f"ld_dir('{data_dir}', '{target.name}', '{graph}');")
        (self.dir / "virtuoso.ini").write_text(self.ini(data_dir), encoding="utf-8")
        self.proc = subprocess.Popen(["virtuoso-t", "+foreground", "+configfile", str(self.dir / "virtuoso.ini")],
                                     cwd=self.dir, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        try:
            _wait_http(self.query_url + "?query=ASK%7B%7D", self.proc, "virtuoso-t", self.log, 90)
            setup = " ".join(s.format(user=self.user, password=self.password) for s in _VIRTUOSO_SETUP)
            self.isql(setup + (" " + " ".join(loads) + " rdf_loader_run(); checkpoint;" if loads else ""))
            if loads:
                errors = self.isql("SELECT ll_file, ll_error FROM DB.DBA.load_list WHERE ll_error IS NOT NULL;")
                if "0 Rows" not in errors:
                    raise RuntimeError(f"Virtuoso's bulk loader reported errors: {errors}")
        except BaseException:
            self.stop()
            raise
        return self

    def isql(self, sql: str) -> str:
        r = subprocess.run(["isql-vt", f"127.0.0.1:{self.sql_port}", "dba", "dba", f"exec={sql}"],
                           capture_output=True, text=True, timeout=300)
        out = r.stdout + r.stderr
        if r.returncode != 0 or "*** Error" in out:
            raise RuntimeError(f"isql-vt failed ({r.returncode}): {out[-2000:]}")
        return out

    def stop(self) -> None:
        _stop(self.proc)
        self.proc = None


@pytest.fixture(scope="module")
def virtuoso_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[VirtuosoServer]:
    """A running Virtuoso with an empty store and its authenticated endpoints, for one test module; a failure
    (not a skip) that says how to install it when absent."""
    reason = missing("virtuoso")
    if reason:
        pytest.fail(f"Virtuoso is not installed: {reason} (.ci/run does this)")
    server = VirtuosoServer(tmp_path_factory.mktemp("virtuoso")).start()
    try:
        yield server
    finally:
        server.stop()


class JenaServer:
    """Jena ARQ over an in-memory dataset (union default graph), served by ``JenaEndpoint.java``."""

    name = "jena"

    def __init__(self, directory: Path):
        self.dir = Path(directory)
        self.port = free_port()
        self.proc: subprocess.Popen | None = None
        self.log = self.dir / "jena.log"

    @property
    def query_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/sparql"

    def classpath(self) -> str:
        # Debian's Jena 4.5 jars reach Xerces' regex code, which needs a message bundle that Debian's
        # package lacks (a packaging bug); an empty one on the classpath lets it start.
        bundle = self.dir / "xerces-fix" / "xerces" / "impl" / "xpath" / "regex"
        bundle.mkdir(parents=True, exist_ok=True)
        (bundle / "message.properties").write_text("", encoding="utf-8")
        jars = sorted(glob.glob(os.path.join(JENA_JARS, "*.jar")))
        return os.pathsep.join([str(self.dir / "xerces-fix"), *jars])

    def start(self, files: dict[str, Path]) -> JenaServer:
        """Start the endpoint, loading each Turtle file into its named graph (``{graph IRI: file}``)."""
        args = []
        for graph, path in files.items():
            args += [graph, str(path)]
        with open(self.log, "wb") as log:
            self.proc = subprocess.Popen(
                ["java", "-Xmx1g", "-cp", self.classpath(), str(JENA_SOURCE), "127.0.0.1", str(self.port), *args],
                cwd=self.dir, stdout=log, stderr=subprocess.STDOUT)
        try:
            _wait_http(self.query_url + "?query=ASK%7B%7D", self.proc, "the Jena endpoint", self.log, 120)
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        _stop(self.proc)
        self.proc = None
