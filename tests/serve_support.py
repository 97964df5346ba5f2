"""Running the real server for tests and benchmarks: a subprocess on a free 127.0.0.1 port, and a loopback spy."""

from __future__ import annotations

import os
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


class Server:
    """`python serve.py` in a subprocess, serving ``root`` on 127.0.0.1; stops on ``stop()``."""

    def __init__(self, root: Path, *args: str, log: Path | None = None):
        self.root = root
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log or (root / "serve.log")
        self.args = ["--root", str(root), "--port", str(self.port), *args]
        self.process: subprocess.Popen | None = None

    def start(self, wait: float = 120.0) -> "Server":
        out = open(self.log, "wb")
        self.process = subprocess.Popen(
            [sys.executable, str(ROOT / "serve.py"), *self.args], cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server exited with {self.process.returncode}:\n{self.log.read_text()}")
            try:
                if HTTP.get(self.url + "/health", timeout=1).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"the server did not answer /health within {wait} s:\n{self.log.read_text()}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)

    def wait_idle(self, wait: float = 30.0) -> None:
        """Until every worker is idle again (after runaways, replacements take a moment)."""
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            workers = HTTP.get(self.url + "/health", timeout=5).json()["workers"]
            if workers["busy"] == 0 and workers["starting"] == 0:
                return
            time.sleep(0.1)
        raise AssertionError(f"workers not idle after {wait} s: {workers}")


class Spy:
    """A loopback TCP listener that records every connection (and answers like a SPARQL endpoint)."""

    ANSWER = (
        b'{"head":{"vars":["x"]},"results":{"bindings":[{"x":{"type":"literal","value":"from the spy"}}]}}'
    )

    STATUS = "200 OK"
    CONTENT_TYPE = "application/sparql-results+json"

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
                    f"HTTP/1.1 {self.STATUS}\r\nContent-Type: {self.CONTENT_TYPE}\r\n"
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
