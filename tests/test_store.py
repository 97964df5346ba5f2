"""The on-disk store on its own: named by graph/'s content, built once, shared read-only, removed when nobody holds it."""

from __future__ import annotations

import hashlib
import shutil

import pyoxigraph as ox
import pytest

from conftest import ROOT
from dossier.graphdir import MANIFEST, GraphFile, manifest_text, quad_files
from dossier.serve.store import GraphChanged, ensure_store, graph_key, open_read_only, remove_unused, write_store

QUAD = '<urn:s> <urn:p> "{}" <https://w3id.org/dossier/graph/test> .\n'


def small_graph(root, *values: str):
    """A graph/ of one file and its manifest, as the build writes them."""
    graph = root / "graph"
    graph.mkdir(parents=True, exist_ok=True)
    body = "".join(QUAD.format(v) for v in values).encode()
    (graph / "test.nq").write_bytes(body)
    entry = GraphFile("test.nq", "https://w3id.org/dossier/graph/test", len(values), hashlib.sha256(body).hexdigest())
    (graph / MANIFEST).write_text(manifest_text([entry]), encoding="utf-8")
    return graph


def test_the_key_follows_the_content_not_the_file_times(tmp_path):
    graph = small_graph(tmp_path, "a")
    key = graph_key(graph)
    small_graph(tmp_path, "a")  # same bytes, new times
    assert graph_key(graph) == key
    small_graph(tmp_path, "b")
    assert graph_key(graph) != key


def test_a_store_whose_graph_changed_while_loading_is_never_named(tmp_path):
    graph, cache = small_graph(tmp_path, "a"), tmp_path / "cache"
    stale = graph_key(graph)
    small_graph(tmp_path, "b")
    with pytest.raises(GraphChanged):
        write_store(str(graph), stale, str(cache / stale))
    assert not (cache / stale).exists()


def test_a_store_is_built_once_and_every_reader_sees_the_graph(tmp_path):
    graph, cache = small_graph(tmp_path, "a", "b"), tmp_path / "cache"
    first = ensure_store(graph, cache)
    again = ensure_store(graph, cache)
    try:
        assert first.path == again.path and first.path.parent == cache
        readers = [open_read_only(first.path) for _ in range(3)]
        for store in readers:
            values = sorted(q.object.value for q in store.quads_for_pattern(None, None, None, None))
            assert values == ["a", "b"]
    finally:
        first.release()
        again.release()


def test_a_held_store_is_kept_and_a_released_one_removed(tmp_path):
    graph, cache = small_graph(tmp_path, "a"), tmp_path / "cache"
    old = ensure_store(graph, cache)
    small_graph(tmp_path, "b")
    new = ensure_store(graph, cache)
    assert remove_unused(cache, keep=new.key) == []  # the old one is still held
    old.release()
    assert remove_unused(cache, keep=new.key) == [old.key]
    assert not old.path.exists() and new.path.is_dir()
    new.release()


def test_the_corpus_store_holds_what_an_in_memory_store_of_its_files_holds(tmp_path):
    """The same quads as the in-memory store workers used to load (Oxigraph normalizes some integer types alike in both)."""
    graph = tmp_path / "graph"
    shutil.copytree(ROOT / "graph", graph)
    handle = ensure_store(graph, tmp_path / "cache")
    try:
        memory = ox.Store()
        for path in quad_files(graph):
            memory.bulk_load(path=str(path), format=ox.RdfFormat.N_QUADS)
        on_disk = set(open_read_only(handle.path))
        assert len(on_disk) > 10_000 and on_disk == set(memory)
    finally:
        handle.release()
