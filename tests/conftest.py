"""Shared test fixtures (the project root, a scratch copy of the project, running the CLI) and the test tiers.

Every test gets one tier marker, chosen here from what it uses, so a new test needs no marker:

- browser: it uses the ``browser`` fixture (Chromium through playwright);
- bench:   it lives in a module named for benchmarks (``test_bench_*``);
- server:  it uses the ``served`` fixture, or its module uses a helper that starts a server
           (anything from serve_support or w3c_support: serve.py, `oxigraph serve`, Virtuoso);
- unit:    everything else: real stores and files, no server process.

On top of its tier, a unit test that runs the real build or the command line (the
``built_graph`` fixture, ``run_dossier``, or anything from ``dossier.build``) is also marked
``builds``: ``make check``, the fast tier for the edit loop, runs ``unit and not builds``.
A marker written on a test by hand wins.
"""

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


#: The tiers, each with what it holds (pytest --markers lists them).
TIERS = {
    "unit": "no server process: real stores and files; the fast tier (make check)",
    "server": "starts a real server on 127.0.0.1 (serve.py, oxigraph serve, Virtuoso)",
    "browser": "drives real Chromium against a real server",
    "bench": "runs the benchmark harness, small",
}
#: Modules whose helpers start server processes: a test module using any of them is in the server tier.
SERVER_SUPPORT = {"serve_support", "w3c_support"}
#: What runs the real build: the fixture, and the modules whose functions a test may call.
BUILD_FIXTURES = {"built_graph"}
BUILD_MODULES = ("dossier.build", "dossier.pipeline")


def pytest_configure(config) -> None:
    for name, what in TIERS.items():
        config.addinivalue_line("markers", f"{name}: {what}")
    config.addinivalue_line("markers", "builds: a unit test that runs the real build or command line (not in make check)")


def _helpers(item) -> list:
    module = getattr(item, "module", None)
    return [v for v in vars(module).values() if callable(v)] if module is not None else []


def builds(item) -> bool:
    """Does a test run the real build or the command line (slower: a build takes seconds)?"""
    if BUILD_FIXTURES & set(getattr(item, "fixturenames", ())):
        return True
    return any(v is run_dossier or (getattr(v, "__module__", None) or "").startswith(BUILD_MODULES) for v in _helpers(item))


def tier(item) -> str:
    """The tier of a collected test, from the fixtures it uses and the helpers its module uses."""
    fixtures = set(getattr(item, "fixturenames", ()))
    if "browser" in fixtures:
        return "browser"
    module = getattr(item, "module", None)
    if module is not None and module.__name__.split(".")[-1].startswith("test_bench"):
        return "bench"
    if "served" in fixtures:
        return "server"
    if any(getattr(v, "__module__", None) in SERVER_SUPPORT for v in _helpers(item)):
        return "server"
    return "unit"


def pytest_collection_modifyitems(config, items) -> None:
    for item in items:
        if not any(item.get_closest_marker(name) for name in TIERS):
            item.add_marker(getattr(pytest.mark, tier(item)))
        if item.get_closest_marker("unit") and not item.get_closest_marker("builds") and builds(item):
            item.add_marker(pytest.mark.builds)


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
