"""Shared test fixtures: the project root, a scratch copy of the project, and running the CLI."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
INPUTS = ("documents", "mappings", "ontology", "queries")


def copy_project(dest: Path) -> Path:
    """A scratch copy of the project's inputs (and graph/), to break or extend without touching the real one."""
    for name in INPUTS + ("graph",):
        src = ROOT / name
        if src.exists():
            shutil.copytree(src, dest / name)
    return dest


def run_dossier(*args: str, cwd: Path = ROOT, check: bool = False) -> subprocess.CompletedProcess:
    """Run the real `dossier` command line as a user would, in ``cwd``."""
    proc = subprocess.run(
        [sys.executable, "-m", "dossier.cli", *args], cwd=cwd, capture_output=True, text=True, timeout=600
    )
    if check and proc.returncode != 0:
        raise AssertionError(f"dossier {' '.join(args)} failed:\n{proc.stdout}\n{proc.stderr}")
    return proc


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "project")


@pytest.fixture(scope="session")
def built_graph(tmp_path_factory) -> Path:
    """graph/ as the build writes it now, from a scratch copy (so tests never rewrite the committed graph/)."""
    root = copy_project(tmp_path_factory.mktemp("built"))
    run_dossier("build", cwd=root, check=True)
    return root / "graph"


@pytest.fixture(scope="session")
def served(tmp_path_factory):
    """The real server (`serve.py`) on a free 127.0.0.1 port over a scratch copy, with short limits for tests."""
    from serve_support import Server

    root = copy_project(tmp_path_factory.mktemp("served"))
    server = Server(root, "--no-build", "--timeout", "2", "--workers", "3", "--queue", "1", "--max-rows", "5000").start()
    yield server
    server.stop()
