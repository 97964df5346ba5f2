"""Starting real servers for tests (serve.py, `oxigraph serve`, Virtuoso) on free 127.0.0.1 ports; polling; a loopback spy."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent

#: One client for all requests: creating an httpx client costs ~0.1 s (it loads CA certificates),
#: which would otherwise be measured as server latency.
HTTP = httpx.Client(timeout=60)

RUNAWAYS = {
    # Three kinds of query that would run for hours here; each must be stopped at the timeout.
    "cartesian product": "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }",
    "(p|!p)* path": (
        "SELECT (COUNT(*) AS ?n) WHERE { ?a (<urn:p>|!<urn:p>)* ?b . ?c (<urn:p>|!<urn:p>)* ?d . ?e (<urn:p>|!<urn:p>)* ?f }"
    ),
    "backtracking regex": (
        'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o . ?a ?b ?c . ?d ?e ?f '
        'FILTER(REGEX(CONCAT(STR(?o), STR(?c), STR(?f)), "^(a+)+(b|c|d)*(x+x+)+y$")) }'
    ),
}


def poll(check, wait: float = 30.0, every: float = 0.05, what: str = "the condition"):
    """Call ``check`` until it returns something true (and return that); fail after ``wait`` seconds.

    Tests wait for what they need this way rather than sleeping a fixed time: as fast as the
    machine allows, and no flake when it is slow.
    """
    deadline = time.monotonic() + wait
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {wait:g} s for {what}")
        time.sleep(every)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Started:
    """A server process a test started on 127.0.0.1: ``start()`` waits until ``ready()`` holds, ``stop()`` ends it.

    The one way tests start servers (serve.py, `oxigraph serve`, Virtuoso); each is in its own
    session, so stopping it ends every process it started.
    """

    name = "server"

    def __init__(self, command: list[str], log: Path, cwd: Path = ROOT):
        self.command, self.log, self.cwd = command, log, cwd
        self.process: subprocess.Popen | None = None

    def ready(self) -> bool:
        raise NotImplementedError

    def start(self, wait: float = 120.0):
        self.log.parent.mkdir(parents=True, exist_ok=True)
        with open(self.log, "wb") as out:
            self.process = subprocess.Popen(self.command, cwd=self.cwd, stdout=out, stderr=subprocess.STDOUT,
                                            start_new_session=True)

        def up() -> bool:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.process.returncode}:\n{self.log.read_text(errors='replace')[-3000:]}")
            try:
                return self.ready()
            except httpx.HTTPError:
                return False

        try:
            poll(up, wait=wait, every=0.1, what=f"{self.name} to answer")
        except AssertionError:
            self.stop()
            raise RuntimeError(f"{self.name} did not answer within {wait} s:\n{self.log.read_text(errors='replace')[-3000:]}")
        return self

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


class Server(Started):
    """`python serve.py` in a subprocess, serving ``root`` on 127.0.0.1; stops on ``stop()``."""

    name = "serve.py"

    def __init__(self, root: Path, *args: str, log: Path | None = None):
        self.root = root
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.args = ["--root", str(root), "--port", str(self.port), *args]
        super().__init__([sys.executable, str(ROOT / "serve.py"), *self.args], log or (root / "serve.log"))

    def ready(self) -> bool:
        return HTTP.get(self.url + "/health", timeout=1).status_code == 200

    def wait_idle(self, wait: float = 30.0) -> None:
        """Until every worker is idle again (after runaways, replacements take a moment)."""

        def idle() -> bool:
            workers = HTTP.get(self.url + "/health", timeout=5).json()["workers"]
            return workers["busy"] == 0 and workers["starting"] == 0

        poll(idle, wait=wait, what="every worker to be idle")


def oxigraph_binary() -> str | None:
    """The `oxigraph` command the oxigraph package installs beside this Python, else on PATH."""
    local = Path(sys.executable).parent / "oxigraph"
    return str(local) if local.exists() else shutil.which("oxigraph")


class Oxigraph(Started):
    """`oxigraph serve`, in memory; ``union`` makes its default graph the union of the named graphs."""

    name = "oxigraph serve"

    def __init__(self, log: Path, union: bool = False):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.query_url, self.store_url = f"{self.url}/query", f"{self.url}/store"
        command = [oxigraph_binary() or "oxigraph", "serve", "--bind", f"127.0.0.1:{self.port}"]
        super().__init__(command + (["--union-default-graph"] if union else []), log)

    def ready(self) -> bool:
        return HTTP.get(self.query_url, params={"query": "ASK {}"}, timeout=2).status_code == 200


#: Virtuoso's configuration for a test: its own database folder, ports on 127.0.0.1, nothing else
#: reachable. Its default graph, when a query names none, is the union of every graph it holds.
VIRTUOSO_INI = """\
[Database]
DatabaseFile = {db}/virtuoso.db
ErrorLogFile = {db}/virtuoso.log
LockFile = {db}/virtuoso.lck
TransactionFile = {db}/virtuoso.trx
xa_persistent_file = {db}/virtuoso.pxa
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {db}/virtuoso-temp.db
TransactionFile = {db}/virtuoso-temp.trx

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
CaseMode = 2
DirsAllowed = .
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {db}/www
ServerThreads = 4

[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 120
"""


class Virtuoso(Started):
    """Virtuoso Open Source (Debian's virtuoso-opensource) on a fresh database in ``folder``.

    Graph Store Protocol writes go to /sparql-graph-crud-auth, with HTTP digest authentication
    as the database administrator (user and password ``dba`` in a new database); queries to /sparql.
    """

    name = "virtuoso-t"
    USER = PASSWORD = "dba"

    def __init__(self, folder: Path):
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "www").mkdir(exist_ok=True)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.query_url, self.store_url = f"{self.url}/sparql", f"{self.url}/sparql-graph-crud-auth"
        ini = folder / "virtuoso.ini"
        ini.write_text(VIRTUOSO_INI.format(db=folder, sql_port=free_port(), http_port=self.port), encoding="utf-8")
        super().__init__([shutil.which("virtuoso-t") or "virtuoso-t", "+foreground", "+configfile", str(ini)],
                         folder / "console.log", cwd=folder)

    def ready(self) -> bool:
        return HTTP.get(self.query_url, params={"query": "ASK {}"}, timeout=2).status_code == 200


class Spy:
    """A loopback TCP listener that records every connection (and answers like a SPARQL endpoint)."""

    ANSWER = (
        b'{"head":{"vars":["x"]},"results":{"bindings":[{"x":{"type":"literal","value":"from the spy"}}]}}'
    )

    STATUS = "200 OK"
    CONTENT_TYPE = "application/sparql-results+json"
    HEADERS = ""  # more header lines, each ending in CRLF

    def __init__(self):
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.requests: list[bytes] = []
        self._stop = False
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        self.sock.settimeout(0.2)
        while not self._stop:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            with conn:
                conn.settimeout(2)
                try:
                    data = conn.recv(65536)
                except OSError:
                    data = b""
                self.requests.append(data)
                head = (
                    f"HTTP/1.1 {self.STATUS}\r\nContent-Type: {self.CONTENT_TYPE}\r\n{self.HEADERS}"
                    f"Content-Length: {len(self.ANSWER)}\r\nConnection: close\r\n\r\n"
                ).encode()
                try:
                    conn.sendall(head + self.ANSWER)
                except OSError:
                    pass

    MARK = b"MARK / HTTP/1.0\r\n\r\n"

    def settle(self) -> list[bytes]:
        """The requests recorded so far, once every connection already made has been seen.

        Connections are accepted in the order they were made, so once a mark sent now is
        recorded, nothing made before it is still waiting: no fixed wait is needed to say that
        nothing came.
        """
        with socket.create_connection(("127.0.0.1", self.port), timeout=5) as conn:
            conn.sendall(self.MARK)
        poll(lambda: self.MARK in self.requests, wait=10, every=0.01, what="the spy to see its own mark")
        self.requests = [r for r in self.requests if r != self.MARK]
        return self.requests

    def close(self) -> None:
        self._stop = True
        self.thread.join(timeout=2)
        self.sock.close()
