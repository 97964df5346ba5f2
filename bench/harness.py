"""What the benchmark runs: measured processes, the SPARQL servers it compares, and the load generator."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from dossier.graphdir import quad_files

REPO = Path(__file__).resolve().parent.parent
SPARQL_JSON = "application/sparql-results+json"


# ---------------------------------------------------------------------------- measured processes


def tree_pids(pid: int) -> list[int]:
    """A process and all its descendants."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        if p in out:
            continue
        out.append(p)
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as fh:
                    todo += [int(c) for c in fh.read().split()]
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
    return out


def _field_kb(path: str, name: str) -> int:
    try:
        with open(path) as fh:
            for line in fh:
                if line.startswith(name):
                    return int(line.split()[1])
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        pass
    return 0


def tree_rss(pid: int) -> int:
    """Resident memory of a process and all its descendants, in bytes."""
    return sum(_field_kb(f"/proc/{p}/status", "VmRSS:") for p in tree_pids(pid)) * 1024


def tree_pss(pid: int) -> int:
    """Proportional memory of a process and its descendants, in bytes: a page shared by k processes counts 1/k in each.

    Resident memory counts the pages a fork server's children share once per child; the sum
    of PSS counts them once, which is what the machine actually spends.
    """
    return sum(_field_kb(f"/proc/{p}/smaps_rollup", "Pss:") for p in tree_pids(pid)) * 1024


class PeakMemory:
    """Samples a process tree's resident memory every 50 ms; ``peak`` is the largest sum seen."""

    def __init__(self, pid: int, every: float = 0.05):
        self.pid, self.every, self.peak = pid, every, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, tree_rss(self.pid))
            self._stop.wait(self.every)

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return self.peak


@dataclass
class Run:
    wall: float
    peak_rss: int
    returncode: int
    stdout: str
    stderr: str


def run_measured(cmd: list[str], cwd: Path | None = None, env: dict | None = None, timeout: float | None = None) -> Run:
    """Run a command; its wall time and the peak resident memory of its process tree."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    mem = PeakMemory(proc.pid)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
    wall = time.perf_counter() - t0
    return Run(wall, mem.stop(), proc.returncode, out, err)


def median(xs: list[float]) -> float:
    return statistics.median(xs) if xs else float("nan")


def percentile(xs: list[float], q: float) -> float:
    """The q-th percentile (0-100), nearest-rank."""
    if not xs:
        return float("nan")
    s = sorted(xs)
    k = max(0, min(len(s) - 1, int(round(q / 100 * len(s) + 0.5)) - 1))
    return s[k]


# ---------------------------------------------------------------------------- servers


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    """A SPARQL server the harness started; ``endpoint`` takes SPARQL protocol queries."""

    name: str
    endpoint: str
    proc: subprocess.Popen
    load_seconds: float = 0.0
    rss: int = 0
    log: Path | None = None
    restart: Callable[[], None] | None = None  # start afresh after a query it is still working on

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def _wait(url: str, proc: subprocess.Popen, timeout: float, ok: Callable[[httpx.Response], bool], log: Path) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}: {log.read_text(errors='replace')[-2000:]}")
        try:
            if ok(httpx.get(url, timeout=5)):
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise TimeoutError(f"{url} did not answer within {timeout:.0f} s")


def _spawn(cmd: list[str], log: Path, cwd: Path | None = None) -> subprocess.Popen:
    log.parent.mkdir(parents=True, exist_ok=True)
    fh = open(log, "wb")
    return subprocess.Popen(cmd, cwd=cwd, stdout=fh, stderr=subprocess.STDOUT, start_new_session=True)


def oxigraph_binary() -> str:
    local = Path(sys.executable).parent / "oxigraph"
    found = str(local) if local.exists() else shutil.which("oxigraph")
    if not found:
        raise FileNotFoundError("the `oxigraph` command is missing: pip install oxigraph")
    return found


def _chunks(paths: list[Path]):
    for path in paths:
        with open(path, "rb") as fh:
            yield from iter(lambda: fh.read(1 << 20), b"")


def start_oxigraph(graph_dir: Path, logs: Path, timeout: float = 3600) -> Server:
    """`oxigraph serve` (in memory, union default graph), loaded over HTTP with graph/'s N-Quads files."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = logs / "oxigraph.log"
    proc = _spawn([oxigraph_binary(), "serve", "--bind", f"127.0.0.1:{port}", "--union-default-graph"], log)
    _wait(f"{base}/query?query=ASK%7B%7D", proc, 60, lambda r: r.status_code == 200, log)
    t0 = time.perf_counter()
    r = httpx.post(f"{base}/store", content=_chunks(quad_files(graph_dir)),
                   headers={"Content-Type": "application/n-quads"}, timeout=timeout)
    r.raise_for_status()
    load = time.perf_counter() - t0
    return Server("oxigraph serve", f"{base}/query", proc, load, tree_rss(proc.pid), log=log)


def start_oxigraph_disk(root: Path, logs: Path, timeout: float = 3600) -> Server:
    """`oxigraph serve-read-only` (union default graph) on Dossier's own on-disk store of root/graph/: the same
    files Dossier's workers open, built first as Dossier builds it when there is none. So the two servers
    differ only in what runs around the store (Dossier's checks, worker processes, result conversion)."""
    from dossier.serve.store import ensure_store

    t0 = time.perf_counter()
    handle = ensure_store(root / "graph", root / ".cache" / "store")  # held: no Dossier server removes it meanwhile
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = logs / "oxigraph-disk.log"
    proc = _spawn([oxigraph_binary(), "serve-read-only", "--location", str(handle.path), "--bind", f"127.0.0.1:{port}",
                   "--union-default-graph"], log)
    _wait(f"{base}/query?query=ASK%7B%7D", proc, 120, lambda r: r.status_code == 200, log)
    return Server("oxigraph serve-read-only (Dossier's on-disk store)", f"{base}/query", proc, time.perf_counter() - t0,
                  tree_rss(proc.pid), log=log)


def start_rdflib(graph_dir: Path, logs: Path, timeout: float = 7200) -> Server:
    """rdflib-endpoint over an rdflib Dataset (Memory store) holding graph/'s N-Quads, union default graph."""
    port = free_port()
    ready = logs / "rdflib.ready"
    ready.unlink(missing_ok=True)
    log = logs / "rdflib.log"
    proc = _spawn([sys.executable, "-m", "bench.rdflib_server", str(graph_dir), str(port), str(ready)], log, cwd=REPO)
    _wait(f"http://127.0.0.1:{port}/sparql?query=ASK%7B%7D", proc, timeout, lambda r: r.status_code == 200, log)
    info = json.loads(ready.read_text())
    url = f"http://127.0.0.1:{port}/sparql"

    def restart() -> None:
        os.kill(info["pid"], signal.SIGUSR1)
        time.sleep(0.5)
        _wait(f"{url}?query=ASK%7B%7D", proc, 120, lambda r: r.status_code == 200, log)

    return Server("rdflib-endpoint (rdflib Memory)", url, proc, info["load_seconds"], tree_rss(proc.pid), log=log,
                  restart=restart)


def dossier_server_available() -> bool:
    return (REPO / "serve.py").is_file() and (REPO / "dossier" / "serve" / "__init__.py").is_file()


def start_dossier(root: Path, logs: Path, timeout: float = 3600, workers: int | None = None, args: tuple = ()) -> Server:
    """Dossier's own server (serve.py) over root/graph/, as an operator runs it, without rebuilding; ``args`` override."""
    port = free_port()
    log = logs / "dossier-serve.log"
    cmd = [sys.executable, str(REPO / "serve.py"), "--root", str(root), "--host", "127.0.0.1", "--port", str(port),
           "--no-build", "--timeout", "300", "--max-rows", "1000000", "--memory-mb", "16384", "--max-result-mb", "4096"]
    if workers:
        cmd += ["--workers", str(workers)]
    cmd += list(args)
    t0 = time.perf_counter()
    proc = _spawn(cmd, log, cwd=REPO)
    _wait(f"http://127.0.0.1:{port}/sparql?query=ASK%7B%7D", proc, timeout, lambda r: r.status_code == 200, log)
    return Server("Dossier serve.py", f"http://127.0.0.1:{port}/sparql", proc, time.perf_counter() - t0,
                  tree_rss(proc.pid), log=log)


# ---------------------------------------------------------------------------- load


@dataclass
class Load:
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    wall: float = 0.0
    rows: int | None = None

    @property
    def p50(self) -> float:
        return median(self.latencies)

    @property
    def p95(self) -> float:
        return percentile(self.latencies, 95)

    @property
    def throughput(self) -> float:
        return len(self.latencies) / self.wall if self.wall else float("nan")


def ask(client: httpx.Client, endpoint: str, query: str, timeout: float) -> tuple[float, int | None, str | None]:
    t0 = time.perf_counter()
    try:
        r = client.post(endpoint, data={"query": query}, headers={"Accept": SPARQL_JSON}, timeout=timeout)
    except httpx.TimeoutException:
        return time.perf_counter() - t0, None, f"timeout after {timeout:.0f} s"
    except httpx.HTTPError as exc:
        return time.perf_counter() - t0, None, f"{type(exc).__name__}: {exc}"
    elapsed = time.perf_counter() - t0
    if r.status_code != 200:
        return elapsed, None, f"HTTP {r.status_code}: {r.text[:200]}"
    try:
        body = r.json()
        rows = len(body["results"]["bindings"]) if "results" in body else 1
    except (ValueError, KeyError):
        return elapsed, None, f"not SPARQL JSON: {r.text[:200]}"
    return elapsed, rows, None


def run_load(endpoint: str, query: str, clients: int, requests: int, timeout: float) -> Load:
    """``requests`` queries spread over ``clients`` concurrent clients; each client waits for its answer."""
    out = Load()
    lock = threading.Lock()
    todo = list(range(requests))

    def worker() -> None:
        with httpx.Client() as client:
            while True:
                with lock:
                    if not todo:
                        return
                    todo.pop()
                elapsed, rows, error = ask(client, endpoint, query, timeout)
                with lock:
                    if error:
                        out.errors.append(error)
                    else:
                        out.latencies.append(elapsed)
                        out.rows = rows

    t0 = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        for f in [pool.submit(worker) for _ in range(clients)]:
            f.result()
    out.wall = time.perf_counter() - t0
    return out
