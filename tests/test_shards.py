"""`dossier build --shard I/N` fills the cache with a share of the documents; a plain build then
assembles graph/ from the cache, byte-identical to a build done in one go."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import run_dossier
from dossier.build import run_build
from dossier.synthetic import generate


def files(graph: Path) -> dict[str, bytes]:
    return {p.relative_to(graph).as_posix(): p.read_bytes() for p in sorted(graph.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("shards") / "inputs"
    generate(root, 10, seed=3)
    shutil.rmtree(root / "graph", ignore_errors=True)
    return root


def test_shards_then_assembly_give_the_single_build(corpus, tmp_path):
    single = tmp_path / "single"
    shutil.copytree(corpus, single)
    run_dossier("build", cwd=single, check=True)

    sharded = tmp_path / "sharded"
    shutil.copytree(corpus, sharded)
    made = 0
    for i in (1, 2):
        proc = run_dossier("build", "--shard", f"{i}/2", cwd=sharded, check=True)
        assert f"built share {i}/2 into the cache" in proc.stdout
        assert not (sharded / "graph").exists(), "a shard writes the cache only"
        made += int(proc.stdout.split(" documents, ")[1].split(" made")[0])
    assert made == 10, "the two shares together are every document, once"
    report = run_build(sharded, sharded / "graph", progress=False)
    assert report.processed == 0, "the assembly found every document in the cache the shards filled"
    assert report.documents == 10
    assert files(sharded / "graph") == files(single / "graph")


def test_shard_argument_is_checked(corpus):
    for bad in ("0/2", "3/2", "1", "a/b"):
        proc = run_dossier("build", "--shard", bad, cwd=corpus)
        assert proc.returncode == 2 and "--shard" in proc.stderr, bad
