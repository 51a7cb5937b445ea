"""A real Virtuoso server (Debian's ``virtuoso-opensource``) on 127.0.0.1, started and stopped by the tests.

Self-contained: a temporary database folder, a generated ``virtuoso.ini`` with
free ports, a user ``loader`` allowed to update, and beside Virtuoso's own
digest-protected ``/sparql-auth`` and ``/sparql-graph-crud-auth`` two twins
protected by *basic* authentication (``/sparql-basic``,
``/sparql-graph-crud-basic``), because the stock ``-auth`` endpoints accept
digest only. ``ResultSetMaxRows`` is raised so a whole graph can be read back.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

__all__ = ["VirtuosoServer", "virtuoso_server", "VIRTUOSO_USER", "VIRTUOSO_PASSWORD"]

VIRTUOSO_USER = "loader"
VIRTUOSO_PASSWORD = "s3cret-for-tests"

_INI = """[Database]
DatabaseFile = {db}/virtuoso.db
ErrorLogFile = {db}/virtuoso.log
LockFile = {db}/virtuoso.lck
TransactionFile = {db}/virtuoso.trx
xa_persistent_file = {db}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
Striping = 0
TempStorage = TempDatabase
[TempDatabase]
DatabaseFile = {db}/virtuoso-temp.db
TransactionFile = {db}/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
CheckpointInterval = 0
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
DirsAllowed = ., {db}
[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {db}
ServerThreads = 10
MaxClientConnections = 10
Charset = UTF-8
[SPARQL]
ResultSetMaxRows = {max_rows}
MaxQueryExecutionTime = 120
"""

_SETUP = (
    "DB.DBA.USER_CREATE('{user}', '{password}');",
    'GRANT SPARQL_UPDATE TO "{user}";',
    "DB.DBA.RDF_DEFAULT_USER_PERMS_SET('{user}', 7);",
    "DB.DBA.VHOST_DEFINE(lpath=>'/sparql-basic', ppath=>'/!sparql/', is_dav=>1, vsp_user=>'dba', sec=>'basic', "
    "realm=>'SPARQL', auth_fn=>'DB.DBA.HP_AUTH_SPARQL_USER', opts=>vector('noinherit', 1));",
    "DB.DBA.VHOST_DEFINE(lpath=>'/sparql-graph-crud-basic', ppath=>'/!sparql-graph-crud/', is_dav=>1, "
    "vsp_user=>'dba', sec=>'basic', realm=>'SPARQL', auth_fn=>'DB.DBA.HP_AUTH_SPARQL_USER', "
    "opts=>vector('noinherit', 1, 'exec_as_get', 1));",
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def virtuoso_binaries() -> tuple[str, str]:
    """``(virtuoso-t, isql)``; a test failure (not a skip) that says how to install them when absent."""
    server, isql = shutil.which("virtuoso-t"), shutil.which("isql-vt") or shutil.which("isql")
    if not server or not isql:
        pytest.fail("Virtuoso is not installed: `apt-get install -y virtuoso-opensource` (.ci/run does this)")
    return server, isql


class VirtuosoServer:
    """A Virtuoso 7 server with a fresh database in ``location``."""

    def __init__(self, location: Path, max_rows: int = 1_000_000):
        self.location = Path(location)
        self.max_rows = max_rows  # ResultSetMaxRows: Debian's virtuoso.ini has 10000
        self.http_port, self.sql_port = _free_port(), _free_port()
        self.url = f"http://127.0.0.1:{self.http_port}"
        self.user, self.password = VIRTUOSO_USER, VIRTUOSO_PASSWORD
        self.proc: subprocess.Popen | None = None

    # endpoints
    @property
    def sparql(self) -> str:
        return f"{self.url}/sparql"

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

    def start(self) -> VirtuosoServer:
        server, isql = virtuoso_binaries()
        self.location.mkdir(parents=True, exist_ok=True)
        ini = self.location / "virtuoso.ini"
        ini.write_text(_INI.format(db=self.location, sql_port=self.sql_port, http_port=self.http_port,
                                   max_rows=self.max_rows))
        self.proc = subprocess.Popen([server, "-f", "-c", str(ini)], cwd=self.location, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                log = (self.location / "virtuoso.log")
                raise RuntimeError(f"virtuoso exited: {log.read_text(errors='replace')[-2000:] if log.exists() else ''}")
            try:
                urllib.request.urlopen(f"{self.sparql}?query=ASK%7B%7D", timeout=2).read()
                break
            except OSError:
                time.sleep(0.2)
        else:
            self.stop()
            raise RuntimeError("virtuoso did not answer within 60 s")
        script = " ".join(s.format(user=self.user, password=self.password) for s in _SETUP)
        done = subprocess.run([isql, f"127.0.0.1:{self.sql_port}", "dba", "dba", f"exec={script}"],
                              capture_output=True, text=True, timeout=60)
        if done.returncode != 0 or "Error" in done.stdout + done.stderr:
            self.stop()
            raise RuntimeError(f"virtuoso set-up failed: {done.stdout[-1000:]} {done.stderr[-1000:]}")
        return self

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        self.proc = None


@pytest.fixture(scope="module")
def virtuoso_server(tmp_path_factory):
    """A running Virtuoso with an empty database, for one test module."""
    server = VirtuosoServer(tmp_path_factory.mktemp("virtuoso") / "db").start()
    try:
        yield server
    finally:
        server.stop()
