"""graph/ is generated: it must be exactly what `dossier build` makes from the committed inputs."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import ROOT, copy_project, run_dossier


def files(graph: Path) -> dict[str, bytes]:
    """Every file under graph/ by its path relative to graph/."""
    return {p.relative_to(graph).as_posix(): p.read_bytes() for p in sorted(graph.rglob("*")) if p.is_file()}


def test_committed_graph_is_current(built_graph):
    committed, fresh = files(ROOT / "graph"), files(built_graph)
    stale = [name for name, data in fresh.items() if committed.get(name) != data]
    extra = sorted(set(committed) - set(fresh))
    assert not stale and not extra, (
        f"graph/ is stale ({', '.join(stale + extra)} differ from a fresh build): "
        "run `dossier build` and commit graph/"
    )


def test_build_is_byte_identical_across_runs_and_hash_seeds(tmp_path):
    outputs = []
    for seed in ("1", "4242"):
        root = copy_project(tmp_path / f"seed-{seed}")
        env = dict(os.environ, PYTHONHASHSEED=seed)
        proc = subprocess.run([sys.executable, "-m", "dossier.cli", "build"], cwd=root, env=env,
                              capture_output=True, text=True, timeout=600)
        assert proc.returncode == 0, proc.stderr
        outputs.append(files(root / "graph"))
    assert outputs[0] == outputs[1]


def test_validate_passes_on_the_corpus():
    proc = run_dossier("validate")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("valid:")
