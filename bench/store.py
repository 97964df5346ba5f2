"""The shared on-disk store: server memory against `oxigraph serve`, start time, worker replacement.

    python -m bench.store                      # the corpus (graph/ of this repository) and N = 1,000
    python -m bench.store --sizes corpus,10000 # what the lead runs on a quiet machine

For each graph: the time to build its store once (a cold start), the time to start when the
store is current, the resident memory of the whole server (workers included) after every
example query ran once, against `oxigraph serve` loaded with the same N-Quads and asked the
same queries (and against `oxigraph serve-read-only` on Dossier's own store folder), and the time from a query stopped at the timeout to its worker's replacement
answering again. Synthetic corpora are generated and built under OUT/corpora/ as bench.run
does (kept for the next run). Results: OUT/store.json and OUT/store.md.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import time
from pathlib import Path

import httpx

from dossier.graphdir import read_manifest

from . import harness
from .run import build_once, corpus

REPO = harness.REPO
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def project(size: str, out: Path, seed: int) -> Path:
    """The project folder of a size: this repository for 'corpus', else a generated corpus, built if needed."""
    if size == "corpus":
        root = out / "corpora" / "corpus"
        if not (root / "graph").is_dir():
            for name in ("documents", "mappings", "ontology", "queries", "graph"):
                shutil.copytree(REPO / name, root / name, dirs_exist_ok=True)
        return root
    root = corpus(out / "corpora", int(size), seed, reuse=True)
    if not (root / "graph" / "manifest.json").is_file():
        build_once(root, clean=False)
    return root


def run_queries(endpoint: str) -> int:
    """Every example query once; how many answered 200."""
    ok = 0
    with httpx.Client(timeout=600) as client:
        for path in sorted((REPO / "queries").glob("*.rq")):
            r = client.post(endpoint, data={"query": path.read_text(encoding="utf-8")},
                            headers={"Accept": harness.SPARQL_JSON})
            ok += r.status_code == 200
    return ok


def health(base: str) -> dict:
    return httpx.get(base + "/health", timeout=10).json()


def replacement(base: str, endpoint: str, workers: int, repeat: int) -> list[float]:
    """Seconds from a runaway's 503 (its worker killed at the timeout) to every worker idle again."""
    out = []
    for _ in range(repeat):
        r = httpx.post(endpoint, data={"query": RUNAWAY}, timeout=600)
        stopped = time.perf_counter()
        assert r.status_code == 503, r.text[:200]
        while health(base)["workers"]["idle"] < workers:
            time.sleep(0.005)
        out.append(time.perf_counter() - stopped)
    return out


def measure(size: str, out: Path, seed: int, workers: int, timeout: float, repeat: int) -> dict:
    root = project(size, out, seed)
    logs = out / "logs" / f"store-{size}"
    logs.mkdir(parents=True, exist_ok=True)
    quads = sum(f.triples for f in read_manifest(root / "graph"))
    result: dict = {"size": size, "quads": quads, "workers": workers}

    shutil.rmtree(root / ".cache" / "store", ignore_errors=True)  # cold: the store is built at start
    server = harness.start_dossier(root, logs, workers=workers)
    result["start_cold_s"] = round(server.load_seconds, 3)
    server.stop()
    starts = []
    for _ in range(repeat):  # warm: the store is current
        server = harness.start_dossier(root, logs, workers=workers)
        starts.append(server.load_seconds)
        if len(starts) < repeat:
            server.stop()
    result["start_current_s"] = round(statistics.median(starts), 3)
    result["queries_ok"] = run_queries(server.endpoint)  # the harness's long timeout: every query answers
    result["dossier_rss_mb"] = round(harness.tree_rss(server.proc.pid) / 2**20, 1)
    result["dossier_pss_mb"] = round(harness.tree_pss(server.proc.pid) / 2**20, 1)
    server.stop()
    # a short timeout, for a runaway to be stopped soon and its worker replaced
    server = harness.start_dossier(root, logs, workers=workers, args=("--timeout", f"{timeout:g}"))
    base = server.endpoint.rsplit("/", 1)[0]
    times = replacement(base, server.endpoint, workers, repeat)
    result["replacement_s"] = [round(t, 3) for t in times]
    result["store_mb"] = round(sum(p.stat().st_size for p in (root / ".cache" / "store").rglob("*") if p.is_file()) / 2**20, 1)
    server.stop()

    oxigraph = harness.start_oxigraph(root / "graph", logs)
    try:
        run_queries(oxigraph.endpoint)
        result["oxigraph_rss_mb"] = round(harness.tree_rss(oxigraph.proc.pid) / 2**20, 1)
        result["oxigraph_pss_mb"] = round(harness.tree_pss(oxigraph.proc.pid) / 2**20, 1)
        result["oxigraph_load_s"] = round(oxigraph.load_seconds, 3)
    finally:
        oxigraph.stop()
    # the same on-disk store Dossier serves, under `oxigraph serve-read-only`: what the storage alone holds
    disk = harness.start_oxigraph_disk(root, logs)
    try:
        run_queries(disk.endpoint)
        result["oxigraph_disk_rss_mb"] = round(harness.tree_rss(disk.proc.pid) / 2**20, 1)
        result["oxigraph_disk_pss_mb"] = round(harness.tree_pss(disk.proc.pid) / 2**20, 1)
    finally:
        disk.stop()
    result["rss_ratio"] = round(result["dossier_rss_mb"] / result["oxigraph_rss_mb"], 2)
    result["pss_ratio"] = round(result["dossier_pss_mb"] / result["oxigraph_pss_mb"], 2)
    return result


def table(results: list[dict]) -> str:
    head = ("| graph | quads | workers | start, store current | start, store built | worker replaced (median) "
            "| Dossier RSS (PSS) | `oxigraph serve` RSS (PSS) | ratio RSS (PSS) | `oxigraph serve-read-only`, same store, RSS (PSS) "
            "| store on disk |\n|---|---|---|---|---|---|---|---|---|---|---|\n")
    rows = [
        f"| {r['size']} | {r['quads']:,} | {r['workers']} | {r['start_current_s']:.2f} s | {r['start_cold_s']:.2f} s "
        f"| {statistics.median(r['replacement_s']):.3f} s | {r['dossier_rss_mb']:.0f} ({r['dossier_pss_mb']:.0f}) MB "
        f"| {r['oxigraph_rss_mb']:.0f} ({r['oxigraph_pss_mb']:.0f}) MB | {r['rss_ratio']:.2f}x ({r['pss_ratio']:.2f}x) "
        f"| {r['oxigraph_disk_rss_mb']:.0f} ({r['oxigraph_disk_pss_mb']:.0f}) MB | {r['store_mb']:.0f} MB |"
        for r in results
    ]
    return head + "\n".join(rows) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.store", description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="corpus,1000", help="'corpus' and/or corpus sizes N (comma-separated)")
    ap.add_argument("--workers", type=int, default=2, help="query workers of the Dossier server")
    ap.add_argument("--timeout", type=float, default=1.0, help="query timeout: how soon the runaway's worker is killed")
    ap.add_argument("--repeat", type=int, default=3, help="starts and replacements measured per graph")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", type=Path, default=REPO / "bench" / "out")
    args = ap.parse_args(argv)
    results = []
    for size in args.sizes.split(","):
        results.append(measure(size.strip(), args.out, args.seed, args.workers, args.timeout, args.repeat))
        print(json.dumps(results[-1]), flush=True)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "store.json").write_text(json.dumps({"command": " ".join(sys.argv), "results": results}, indent=1))
    (args.out / "store.md").write_text(table(results))
    print(table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
