"""A build killed (SIGKILL) while swapping its new graph/ in never leaves the project without graph/.

The build pauses at the swap when DOSSIER_FAULT_PAUSE=swap (dossier/build/atomic.py), so the
test can kill the real `dossier build` process exactly there.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import copy_project, run_dossier
from dossier.build import recover


def files(graph: Path) -> dict[str, bytes]:
    return {p.relative_to(graph).as_posix(): p.read_bytes() for p in sorted(graph.rglob("*")) if p.is_file()}


def leftovers(root: Path) -> list[str]:
    return sorted(p.name for p in root.glob(".graph.*"))


def change_a_document(root: Path) -> None:
    mapping = sorted((root / "mappings").glob("*.yaml"))[0]
    text = mapping.read_text(encoding="utf-8")
    marker = "\n    content: "
    assert marker in text
    mapping.write_text(text.replace(marker, marker + "Rephrased, ", 1), encoding="utf-8")


def kill_at_swap(root: Path, **env: str) -> None:
    """Run `dossier build` until it pauses at the swap, then SIGKILL it."""
    proc = subprocess.Popen([sys.executable, "-m", "dossier.cli", "build"], cwd=root, stderr=subprocess.PIPE,
                            stdout=subprocess.DEVNULL, text=True, env=dict(os.environ, DOSSIER_FAULT_PAUSE="swap", **env))
    try:
        seen = []
        for line in proc.stderr:
            seen.append(line)
            if line.startswith("paused before swap"):
                break
        else:
            pytest.fail(f"the build ended without reaching the swap:\n{''.join(seen)}")
        os.kill(proc.pid, signal.SIGKILL)
        assert proc.wait(timeout=60) == -signal.SIGKILL
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.stderr.close()


@pytest.fixture
def changed(tmp_path) -> tuple[Path, dict[str, bytes]]:
    """A project whose graph/ is current, then a document changed (so a build has something to swap in)."""
    root = copy_project(tmp_path / "p")
    before = files(root / "graph")
    change_a_document(root)
    return root, before


def test_killed_during_the_exchange_leaves_the_old_graph(changed):
    root, before = changed
    kill_at_swap(root)
    assert files(root / "graph") == before  # the old graph/, whole
    assert [n for n in leftovers(root) if n.startswith(".graph.new-")]
    run_dossier("build", cwd=root, check=True)
    assert leftovers(root) == []  # the dead build's copy is removed
    assert files(root / "graph") != before


def test_killed_between_the_two_renames_is_put_back_by_the_next_build(changed, tmp_path):
    root, before = changed
    kill_at_swap(root, DOSSIER_NO_EXCHANGE="1")
    assert not (root / "graph").exists()  # the finding: the fallback's window
    assert any(n.startswith(".graph.old-") for n in leftovers(root))
    assert any(n.startswith(".graph.new-") for n in leftovers(root))
    run_dossier("build", cwd=root, check=True)
    assert leftovers(root) == []
    expected = copy_project(tmp_path / "fresh")
    change_a_document(expected)
    run_dossier("build", cwd=expected, check=True)
    assert files(root / "graph") == files(expected / "graph")


def test_recover_prefers_the_complete_new_copy_and_cleans_up(changed):
    """What every server start does (dossier.serve): the copy the dead build was swapping in comes back."""
    root, before = changed
    kill_at_swap(root, DOSSIER_NO_EXCHANGE="1")
    new = next(p for p in root.glob(".graph.new-*"))
    expected = files(new)
    assert recover(root / "graph") == new.name
    assert files(root / "graph") == expected != before
    assert leftovers(root) == []
    assert recover(root / "graph") is None  # nothing more to do
