"""The benchmark harness, run small (N = 10, one run each) so that it cannot rot; its numbers are not checked."""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import ROOT


def test_bench_smoke_run(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "bench.run", "--smoke", "--out", str(tmp_path)], cwd=ROOT,
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    results = json.loads((tmp_path / "results.json").read_text())
    assert results["machine"]["cpus"] >= 1
    (build,) = results["builds"]
    assert build["n"] == 10 and build["triples"] > 1000 and build["peak_rss_mb"] > 0
    (rebuild,) = results["rebuilds"]
    assert rebuild["edit_wall"] > 0
    engines = results["endpoints"]["engines"]
    assert {"oxigraph", "oxigraph-disk", "dossier", "rdflib"} <= set(engines)
    for engine in engines.values():
        assert engine["queries"], engine
    assert "| N | triples |" in (tmp_path / "results.md").read_text()


def test_per_document_cpu_bench_runs(tmp_path):
    """bench.perdoc, on the corpus (linked, so its cache entries go to tmp_path), every fifth document."""
    for name in ("documents", "mappings", "ontology"):
        (tmp_path / name).symlink_to(ROOT / name)
    proc = subprocess.run([sys.executable, "-m", "bench.perdoc", str(tmp_path), "--every", "5", "--profile", "3"],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    head = json.loads(proc.stdout.splitlines()[0])
    assert head["documents"] == 1 and head["cpu_ms_per_document"] > 0 and head["profiled"]
    assert "process_document" in proc.stdout
