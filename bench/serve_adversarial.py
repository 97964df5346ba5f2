"""Run each attack of the outside review against the real server and print what it cost in memory.

    .venv/bin/python bench/serve_adversarial.py [--duration 60] [--workers 2] [--attacks slow-readers,...]

Starts the real server (serve.py, default limits) on a free 127.0.0.1 port over a scratch copy
of the project, then runs each attack for ``--duration`` seconds while sampling, five times a
second, the resident memory of the server process and of its workers (every process below it,
from /proc), and timing /health every 0.1 s:

- slow-readers: clients that ask for an 8 MiB result and read nothing, reconnecting when dropped;
- header-hoarders: connections that send a header byte a second, reopened when cut off;
- host-flood: requests for the service description, each with a new Host header;
- burst-50, burst-200: that many concurrent LIMIT 10 queries at once, again and again;
- accept-flood: requests with a 30 KiB Accept header (and some of 1 MiB) from 12 clients.

Prints one row per attack (peak memory above the resting size, per client where the attack holds
clients, 503 count, /health p50/p95) and writes bench/out/serve_adversarial.json. Timings depend on
the machine and its load; the script says which server limits were in force. Traffic goes to
127.0.0.1 only, and every loop ends at its deadline.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from serve_support import Server  # noqa: E402

LIMIT_10 = "SELECT ?s WHERE { ?s ?p ?o } LIMIT 10"
ATTACKS = ("slow-readers", "header-hoarders", "host-flood", "burst-50", "burst-200", "accept-flood")
MIB = 1 << 20


def rss(pid: int) -> int:
    """Resident memory of a process in bytes (0 once it is gone)."""
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def descendants(pid: int) -> list[int]:
    """Every process below ``pid`` (the fork server and the query workers)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    ppid = int(stat.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry))
    out, stack = [], [pid]
    while stack:
        for child in children.get(stack.pop(), []):
            out.append(child)
            stack.append(child)
    return out


class Sampler:
    """Peak memory of the server process and its workers, and /health latencies, while an attack runs."""

    def __init__(self, server: Server):
        self.server, self.pid = server, server.process.pid
        self.stop = threading.Event()
        self.main_peak = self.workers_peak = self.worker_max = 0
        self.health: list[float] = []
        self.health_failed = 0

    def _memory(self) -> None:
        while not self.stop.is_set():
            self.main_peak = max(self.main_peak, rss(self.pid))
            sizes = [rss(p) for p in descendants(self.pid)]
            self.workers_peak = max(self.workers_peak, sum(sizes))
            self.worker_max = max(self.worker_max, max(sizes, default=0))
            time.sleep(0.2)

    def _health(self) -> None:
        with httpx.Client(timeout=10) as client:
            while not self.stop.is_set():
                start = time.monotonic()
                try:
                    ok = client.get(self.server.url + "/health").status_code == 200
                except httpx.HTTPError:
                    ok = False
                if ok:
                    self.health.append(time.monotonic() - start)
                else:
                    self.health_failed += 1
                time.sleep(0.1)

    def __enter__(self) -> "Sampler":
        self.threads = [threading.Thread(target=self._memory, daemon=True), threading.Thread(target=self._health, daemon=True)]
        for t in self.threads:
            t.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        for t in self.threads:
            t.join(timeout=15)


def big_term_query(size: int) -> str:
    levels = 14
    binds = " ".join(f"BIND(CONCAT(?v{i}, ?v{i}) AS ?v{i + 1})" for i in range(levels))
    return f'SELECT ?v{levels} WHERE {{ BIND("{"x" * -(-size >> levels)}" AS ?v0) {binds} }}'


def connect(server: Server, rcvbuf: int | None = None) -> socket.socket:
    sock = socket.socket()
    if rcvbuf:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    sock.settimeout(5)
    sock.connect(("127.0.0.1", server.port))
    return sock


def closed(sock: socket.socket, answered: bool = False) -> bool:
    """Whether the server has closed or dropped the connection (reads nothing of a live one);
    with ``answered``, an answer counts as closing it too (a 408 to a hoarder)."""
    try:
        sock.setblocking(False)
        data = sock.recv(1, socket.MSG_PEEK)
        return data == b"" or answered
    except BlockingIOError:
        return False
    except OSError:
        return True
    finally:
        sock.setblocking(True)


def hold(server: Server, deadline: float, count: int, opener, trickle: bool = False) -> dict:
    """Keep ``count`` connections opened by ``opener`` alive until ``deadline``, replacing dropped ones
    (and, with ``trickle``, sending each one more header byte a second)."""
    socks: list[socket.socket] = []
    opened = dropped = 0
    while time.monotonic() < deadline:
        for sock in [s for s in socks if closed(s, answered=trickle)]:
            socks.remove(sock)
            sock.close()
            dropped += 1
        while len(socks) < count and time.monotonic() < deadline:
            try:
                socks.append(opener())
                opened += 1
            except OSError:
                dropped += 1
                break
        for sock in socks if trickle else ():
            try:
                sock.send(b"x")
            except OSError:
                pass
        time.sleep(1.0)
    for sock in socks:
        sock.close()
    return {"clients": count, "connections opened": opened, "closed by the server": dropped}


def slow_readers(server: Server, deadline: float, clients: int = 20) -> dict:
    request = (f"GET /sparql?query={quote(big_term_query(8 * MIB))} HTTP/1.1\r\nHost: bench\r\n"
               "Accept: text/tab-separated-values\r\n\r\n").encode()

    def opener():
        sock = connect(server, rcvbuf=16384)
        sock.sendall(request)
        return sock

    logged = server.log.read_text(errors="replace").count("read nothing of its response")
    held = hold(server, deadline, clients, opener)
    held["dropped at the write timeout"] = server.log.read_text(errors="replace").count("read nothing of its response") - logged
    return held


def header_hoarders(server: Server, deadline: float, clients: int = 400) -> dict:
    def opener():
        sock = connect(server)
        sock.sendall(b"GET /health HTTP/1.1\r\nHost: bench\r\nX-Hoard: " + b"x" * (24 << 10))
        return sock

    return hold(server, deadline, clients, opener, trickle=True)


def host_flood(server: Server, deadline: float) -> dict:
    sent, statuses = 0, {}
    with httpx.Client(timeout=30) as client:
        while time.monotonic() < deadline:
            r = client.get(server.url + "/sparql", headers={"Host": f"h{sent}.example", "Accept": "text/turtle"})
            statuses[r.status_code] = statuses.get(r.status_code, 0) + 1
            sent += 1
    return {"requests": sent, "statuses": statuses}


def bursts(server: Server, deadline: float, size: int) -> dict:
    statuses: dict[int, int] = {}
    rounds = 0
    limits = httpx.Limits(max_connections=size, max_keepalive_connections=size)
    def one(_) -> int | str:
        try:
            return client.get(server.url + "/sparql", params={"query": LIMIT_10}).status_code
        except httpx.HTTPError as exc:  # counted, not fatal: the table says how many
            return type(exc).__name__

    with httpx.Client(timeout=60, limits=limits) as client, ThreadPoolExecutor(size) as pool:
        while time.monotonic() < deadline:
            for status in pool.map(one, range(size)):
                statuses[status] = statuses.get(status, 0) + 1
            rounds += 1
    return {"rounds": rounds, "queries": rounds * size, "503": statuses.get(503, 0), "statuses": statuses}


def accept_flood(server: Server, deadline: float, clients: int = 12) -> dict:
    counts = {"requests": 0, "huge": 0}
    accept = ", ".join(["a/b;q=0.5"] * 3000)  # 30 KiB: under the header cap, over the Accept cap

    def one(i: int) -> None:
        with httpx.Client(timeout=30) as client:
            while time.monotonic() < deadline:
                if i == 0:  # one client sends 1 MiB Accepts, over the header cap
                    try:
                        sock = connect(server)
                        sock.sendall(b"GET /health HTTP/1.1\r\nHost: bench\r\nAccept: " + b"a/b, " * 200_000 + b"a/b\r\n\r\n")
                        sock.recv(4096)
                        sock.close()
                    except OSError:
                        pass
                    counts["huge"] += 1
                else:
                    client.get(server.url + "/health", headers={"Accept": accept})
                    counts["requests"] += 1

    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(one, range(clients)))
    return counts


RUNNERS = {
    "slow-readers": (slow_readers, 20),
    "header-hoarders": (header_hoarders, 400),
    "host-flood": (host_flood, None),
    "burst-50": (lambda s, d: bursts(s, d, 50), 50),
    "burst-200": (lambda s, d: bursts(s, d, 200), 200),
    "accept-flood": (accept_flood, 12),
}


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=60.0, help="seconds each attack runs (default: 60)")
    parser.add_argument("--workers", type=int, default=2, help="query worker processes (default: 2)")
    parser.add_argument("--attacks", default=",".join(ATTACKS), help=f"comma-separated, of: {', '.join(ATTACKS)}")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "serve_adversarial.json")
    args = parser.parse_args()
    attacks = [a for a in args.attacks.split(",") if a]
    unknown = set(attacks) - set(ATTACKS)
    if unknown:
        parser.error(f"unknown attack(s): {', '.join(sorted(unknown))}")

    scratch = Path(tempfile.mkdtemp(prefix="dossier-bench-"))
    try:
        for name in ("documents", "mappings", "ontology", "queries", "graph"):
            if (ROOT / name).exists():
                shutil.copytree(ROOT / name, scratch / name)
        server = Server(scratch, "--no-build", "--workers", str(args.workers)).start()
        results = {"duration": args.duration, "workers": args.workers, "cpus": os.cpu_count(), "attacks": {}}
        try:
            with httpx.Client(timeout=30) as client:
                for _ in range(32):  # a resting server: parsers warm, description made
                    client.get(server.url + "/sparql", params={"query": LIMIT_10})
                client.get(server.url + "/sparql", headers={"Accept": "text/turtle"})
            for attack in attacks:
                server.wait_idle(wait=120)
                time.sleep(1)
                base_main = rss(server.process.pid)
                base_workers = sum(rss(p) for p in descendants(server.process.pid))
                run, clients = RUNNERS[attack]
                with Sampler(server) as sampler:
                    detail = run(server, time.monotonic() + args.duration)
                grown = max(0, sampler.main_peak - base_main)
                health = sorted(sampler.health)
                results["attacks"][attack] = row = {
                    "main_rss_rest_mib": base_main / MIB,
                    "main_rss_peak_mib": sampler.main_peak / MIB,
                    "main_grown_mib": grown / MIB,
                    "per_client_kib": (grown / clients / 1024) if clients else None,
                    "workers_rss_rest_mib": base_workers / MIB,
                    "workers_rss_peak_mib": sampler.workers_peak / MIB,
                    "largest_worker_mib": sampler.worker_max / MIB,
                    "health_p50_ms": statistics.median(health) * 1000 if health else None,
                    "health_p95_ms": health[min(len(health) - 1, int(0.95 * (len(health) - 1)))] * 1000 if health else None,
                    "health_failed": sampler.health_failed,
                    **detail,
                }
                print(f"{attack}: {json.dumps(row, default=str)}", file=sys.stderr)
        finally:
            server.stop()
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"\n{args.duration:g} s per attack, {args.workers} workers, {os.cpu_count()} cores; server limits at their defaults\n")
    print("| attack | server process: rest -> peak MiB | grown per client KiB | workers: rest -> peak MiB (largest) | 503 | /health p50 / p95 ms (failed) |")
    print("|---|---|---|---|---|---|")
    for attack, row in results["attacks"].items():
        per = f"{row['per_client_kib']:.0f}" if row["per_client_kib"] is not None else ""
        p50 = ms(row["health_p50_ms"] / 1000) if row["health_p50_ms"] is not None else "-"
        p95 = ms(row["health_p95_ms"] / 1000) if row["health_p95_ms"] is not None else "-"
        print(
            f"| {attack} | {row['main_rss_rest_mib']:.0f} -> {row['main_rss_peak_mib']:.0f} | {per} | "
            f"{row['workers_rss_rest_mib']:.0f} -> {row['workers_rss_peak_mib']:.0f} ({row['largest_worker_mib']:.0f}) | "
            f"{row.get('503', '')} | {p50} / {p95} ({row['health_failed']}) |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
