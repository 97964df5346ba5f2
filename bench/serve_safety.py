"""Measure the server under the issue's safety scenario and print a table.

    .venv/bin/python bench/serve_safety.py [--timeout 10] [--workers 3]

Starts the real server (serve.py) on a free 127.0.0.1 port over a scratch copy of the project,
then measures: /health latency while three runaway queries run at once; how long each
runaway took to be answered (503) and how far past the timeout it was stopped; how long until
the killed workers were replaced; and the latency of each example query (queries/*.rq), cold
(first run: the query checks parse it) and warm (median of five). Writes bench/out/serve_safety.json.
Traffic goes to 127.0.0.1 only, and every loop is bounded.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from serve_support import HTTP, RUNAWAYS, Server  # noqa: E402


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def runaway_scenario(server: Server, timeout: float) -> dict:
    replies: dict[str, tuple[int, float, str]] = {}

    def run(name: str, query: str) -> None:
        start = time.monotonic()
        r = HTTP.post(server.url + "/sparql", data={"query": query}, timeout=timeout + 60)
        replies[name] = (r.status_code, time.monotonic() - start, r.json().get("error", ""))

    threads = [threading.Thread(target=run, args=item) for item in RUNAWAYS.items()]
    started = time.monotonic()
    for t in threads:
        t.start()
    latencies: list[float] = []
    busy_seen = 0
    while any(t.is_alive() for t in threads) and time.monotonic() - started < timeout + 60:
        t0 = time.monotonic()
        health = HTTP.get(server.url + "/health", timeout=10)
        latencies.append(time.monotonic() - t0)
        busy_seen = max(busy_seen, health.json()["workers"]["busy"])
        time.sleep(0.05)
    for t in threads:
        t.join()
    answered = time.monotonic()
    server.wait_idle(wait=120)
    return {
        "health_ms": {
            "probes": len(latencies),
            "min": 1000 * min(latencies),
            "median": 1000 * statistics.median(latencies),
            "p95": 1000 * percentile(latencies, 0.95),
            "max": 1000 * max(latencies),
        },
        "workers_busy_at_once": busy_seen,
        "runaways": {
            name: {"status": status, "error": error, "answered_after_s": took, "past_timeout_s": took - timeout}
            for name, (status, took, error) in replies.items()
        },
        "workers_replaced_after_s": time.monotonic() - answered,
    }


def example_latencies(server: Server) -> list[dict]:
    out = []
    for path in sorted((server.root / "queries").glob("*.rq")):
        query = path.read_text(encoding="utf-8")
        times, status, rows = [], None, None
        for _ in range(6):
            t0 = time.monotonic()
            r = HTTP.post(server.url + "/sparql", data={"query": query}, headers={"Accept": "application/sparql-results+json"})
            times.append(time.monotonic() - t0)
            status = r.status_code
            rows = len(r.json()["results"]["bindings"]) if status == 200 else None
        out.append({"query": path.name, "status": status, "rows": rows, "cold_ms": 1000 * times[0], "warm_ms": 1000 * statistics.median(times[1:])})
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--timeout", type=float, default=10.0, help="the server's query timeout (default: 10, the server's default)")
    parser.add_argument("--workers", type=int, default=3, help="worker processes (default 3, so that three runaways run at once)")
    parser.add_argument("--project", type=Path, default=ROOT, help="project folder whose graph/ and queries/ to serve (default: this one)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "project"
        for name in ("graph", "queries"):
            shutil.copytree(args.project / name, root / name)
        server = Server(root, "--no-build", "--timeout", str(args.timeout), "--workers", str(args.workers)).start()
        try:
            server.wait_idle()
            examples = example_latencies(server)
            scenario = runaway_scenario(server, args.timeout)
        finally:
            server.stop()
    h = scenario["health_ms"]
    print(f"server: timeout {args.timeout:g} s, {args.workers} workers")
    print(f"\n/health during three runaway queries ({h['probes']} probes, {scenario['workers_busy_at_once']} workers busy at once)")
    print(f"  min {h['min']:.1f} ms   median {h['median']:.1f} ms   p95 {h['p95']:.1f} ms   max {h['max']:.1f} ms")
    print("\nrunaway                 status  error     answered after  past the timeout")
    for name, r in scenario["runaways"].items():
        print(f"  {name:<22}{r['status']:>5}  {r['error']:<9}{r['answered_after_s']:>10.2f} s {r['past_timeout_s']:>13.2f} s")
    print(f"  killed workers replaced (all idle again) {scenario['workers_replaced_after_s']:.2f} s after the last answer")
    print("\nexample query                              status  rows   cold ms   warm ms")
    for e in examples:
        print(f"  {e['query']:<40}{e['status']:>5}{e['rows'] if e['rows'] is not None else '-':>6}{e['cold_ms']:>10.1f}{e['warm_ms']:>10.1f}")
    out = ROOT / "bench" / "out"
    out.mkdir(parents=True, exist_ok=True)
    (out / "serve_safety.json").write_text(json.dumps({"settings": vars(args), **scenario, "examples": examples}, indent=2, default=str) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
