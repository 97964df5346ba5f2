"""Rebuilds from the cache (.cache/build/) write exactly what a clean build writes, and redo only what changed."""

from __future__ import annotations

import importlib
import shutil
from pathlib import Path

import pytest

from dossier.build import run_build
from dossier.problems import InputError
from dossier.synthetic import add_copy, generate


def outputs(root: Path) -> dict[str, bytes]:
    graph = root / "graph"
    return {p.relative_to(graph).as_posix(): p.read_bytes() for p in sorted(graph.rglob("*")) if p.is_file()}


def clean_build(root: Path, scratch: Path) -> dict[str, bytes]:
    """Build a copy of the project's inputs with no cache."""
    if scratch.exists():
        shutil.rmtree(scratch)
    shutil.copytree(root, scratch, ignore=shutil.ignore_patterns(".cache", "graph"))
    run_build(scratch, scratch / "graph", progress=False)
    return outputs(scratch)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("incremental") / "project"
    generate(root, 8, seed=7)
    report = run_build(root, root / "graph", progress=False)
    assert report.processed == 8
    return root


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_unchanged_inputs_reuse_everything(corpus):
    before = outputs(corpus)
    report = run_build(corpus, corpus / "graph", progress=False)
    assert report.redone == []
    assert outputs(corpus) == before


def test_a_deleted_search_file_is_written_again(corpus):
    """graph/search.jsonl counts as part of graph/: without it the build does not call graph/ current."""
    before = outputs(corpus)
    (corpus / "graph" / "search.jsonl").unlink()
    run_build(corpus, corpus / "graph", progress=False)
    assert outputs(corpus) == before


def inodes(root: Path) -> dict[str, int]:
    graph = root / "graph"
    return {p.relative_to(graph).as_posix(): p.stat().st_ino for p in graph.rglob("*") if p.is_file()}


def test_one_changed_document_is_the_only_one_redone(corpus, tmp_path):
    mapping = sorted((corpus / "mappings").glob("synthetic-*.yaml"))[3]
    before = inodes(corpus)
    _edit(mapping, "content: \"", "content: \"Rephrased: ")
    report = run_build(corpus, corpus / "graph", progress=False)
    assert report.processed == 1
    assert outputs(corpus) == clean_build(corpus, tmp_path / "clean")
    # only its own two files, the search documents (its content changed) and the manifest were written;
    # the others are the same files as before
    rewritten = {name for name, ino in inodes(corpus).items() if before.get(name) != ino}
    assert rewritten == {f"{mapping.stem}.nq", f"inferred/{mapping.stem}.nq", "search.jsonl", "manifest.json"}


def test_search_parts_are_derived_only_for_changed_files(corpus, tmp_path, monkeypatch):
    """Each graph file's part of the search documents is cached by its sha256: after a one-document
    change only that document's changed files are read for them, and search.jsonl is a clean build's."""
    from dossier import searchdocs

    read: list[bytes] = []
    real = searchdocs.summarize
    monkeypatch.setattr(searchdocs, "summarize", lambda *files: read.extend(files) or real(*files))
    mapping = sorted((corpus / "mappings").glob("synthetic-*.yaml"))[4]
    _edit(mapping, "content: \"", "content: \"Reworded: ")
    run_build(corpus, corpus / "graph", progress=False)
    own = {(corpus / "graph" / name).read_bytes() for name in (f"{mapping.stem}.nq", f"inferred/{mapping.stem}.nq")}
    assert read and set(read) <= own
    monkeypatch.undo()
    assert outputs(corpus) == clean_build(corpus, tmp_path / "clean")


def test_shared_graphs_and_agreement_are_reused_until_their_inputs_change(corpus, tmp_path, monkeypatch):
    """The shared graphs' files are cached under the shared inputs' key and the agreement graph's under a
    key of every document's claims: a change to a statement's wording serializes neither again, a new
    source's claims derive the agreement graph again; both give a clean build's graph/."""
    assembly = importlib.import_module("dossier.build.assemble")  # (the package exports a function of that name)
    derived: list[int] = []
    serialized: list[str] = []
    derive, part = assembly.agreement_triples, assembly._part
    monkeypatch.setattr(assembly, "agreement_triples", lambda *args: derived.append(1) or derive(*args))
    monkeypatch.setattr(assembly, "_part", lambda graph, triples: serialized.append(str(graph)) or part(graph, triples))
    mapping = sorted((corpus / "mappings").glob("synthetic-*.yaml"))[5]
    _edit(mapping, "content: \"", "content: \"Put otherwise: ")
    assert run_build(corpus, corpus / "graph", progress=False).processed == 1
    assert derived == [] and serialized == []
    witness = add_copy(corpus, "synthetic-second-witness")
    run_build(corpus, corpus / "graph", progress=False)
    assert derived == [1]
    assert sorted(serialized) == ["https://w3id.org/dossier/graph/agreement", "https://w3id.org/dossier/graph/inferred/agreement"]
    monkeypatch.undo()
    assert outputs(corpus) == clean_build(corpus, tmp_path / "clean")
    witness.unlink()
    (corpus / "documents" / f"{witness.stem}.txt").unlink()
    run_build(corpus, corpus / "graph", progress=False)


def test_a_rebuild_reads_only_the_changed_documents_cache_entry(corpus, monkeypatch):
    """Every entry's header is kept in one index: the other documents' entries are not opened again."""
    from dossier.build import entry

    opened: list = []
    real = entry.read_raw
    monkeypatch.setattr(entry, "read_raw", lambda path: opened.append(path) or real(path))
    mapping = sorted((corpus / "mappings").glob("synthetic-*.yaml"))[6]
    _edit(mapping, "content: \"", "content: \"Said again: ")
    report = run_build(corpus, corpus / "graph", progress=False)
    assert report.processed == 1 and len(opened) == 1


def test_damaged_cache_entries_are_made_again(corpus, tmp_path):
    before = outputs(corpus)
    # every entry, since earlier edits left entries no document uses now (pruned only when an hour old)
    entries = sorted(p for p in (corpus / ".cache" / "build" / "doc").rglob("*") if p.is_file())
    for entry in entries:
        entry.write_bytes(entry.read_bytes()[:20])  # cut short: its header no longer reads
    shutil.rmtree(corpus / "graph")  # so the build cannot skip writing graph/
    report = run_build(corpus, corpus / "graph", progress=False)
    assert outputs(corpus) == before
    assert sum(entry.stat().st_size > 20 for entry in entries) == report.documents


def test_removed_document_leaves_no_trace(corpus, tmp_path):
    # The victim is a copy of another document under its own name, so that without it every registry
    # entity is still named by some document (dossier validate requires it).
    victim = add_copy(corpus, "synthetic-victim")
    assert run_build(corpus, corpus / "graph", progress=False).documents == 9
    victim.unlink()
    (corpus / "documents" / f"{victim.stem}.txt").unlink()
    report = run_build(corpus, corpus / "graph", progress=False)
    assert report.processed == 0 and report.documents == 8
    built = outputs(corpus)
    assert not any(victim.stem in name for name in built)
    assert victim.stem.encode() not in built["manifest.json"]
    assert built == clean_build(corpus, tmp_path / "clean")


def test_registry_change_redoes_every_document(corpus, tmp_path):
    registry = corpus / "mappings" / "entities" / "synthetic-places.yaml"
    _edit(registry, "Synthetic place made up for benchmarks.", "Synthetic place, made up for benchmarks.")
    report = run_build(corpus, corpus / "graph", progress=False)
    assert report.processed == report.documents
    assert outputs(corpus) == clean_build(corpus, tmp_path / "clean")


def test_defective_change_leaves_graph_and_cache_as_they_were(corpus):
    before = outputs(corpus)
    mapping = sorted((corpus / "mappings").glob("synthetic-*.yaml"))[2]
    original = mapping.read_text(encoding="utf-8")
    _edit(mapping, "quote: \"", "quote: \"Words the text never says ")
    with pytest.raises(InputError) as err:
        run_build(corpus, corpus / "graph", progress=False)
    assert any(p.file == f"mappings/{mapping.name}" and "quote not found" in p.message for p in err.value.problems)
    assert outputs(corpus) == before
    mapping.write_text(original, encoding="utf-8")
    report = run_build(corpus, corpus / "graph", progress=False)
    assert report.redone == []
    assert outputs(corpus) == before


def test_search_lines_are_spliced_not_merged_again(corpus, tmp_path, monkeypatch):
    """A one-document change makes again only the search lines of the items its files name
    (build/searchindex.py); the other lines are the last build's, and search.jsonl is a clean build's."""
    from dossier.build import searchindex

    merged: list[int] = []
    real = searchindex.full
    monkeypatch.setattr(searchindex, "full", lambda *args: merged.append(1) or real(*args))
    mapping = sorted((corpus / "mappings").glob("synthetic-*.yaml"))[1]
    _edit(mapping, "content: \"", "content: \"Told again: ")
    assert run_build(corpus, corpus / "graph", progress=False).processed == 1
    assert merged == []
    monkeypatch.undo()
    assert outputs(corpus) == clean_build(corpus, tmp_path / "clean")


def _search_index(root: Path) -> Path:
    (found,) = (root / ".cache" / "build" / "searchindex").rglob("index")
    return found


@pytest.mark.parametrize("damage", ["cut", "missing"])
def test_a_damaged_search_index_is_made_again(corpus, tmp_path, monkeypatch, damage):
    from dossier.build import searchindex

    index = _search_index(corpus)
    if damage == "cut":
        index.write_bytes(index.read_bytes()[:100])
    else:
        index.unlink()
    merged: list[int] = []
    real = searchindex.full
    monkeypatch.setattr(searchindex, "full", lambda *args: merged.append(1) or real(*args))
    mapping = sorted((corpus / "mappings").glob("synthetic-*.yaml"))[2]
    _edit(mapping, "content: \"", f"content: \"Once more ({damage}): ")
    run_build(corpus, corpus / "graph", progress=False)
    assert merged == [1]
    monkeypatch.undo()
    assert outputs(corpus) == clean_build(corpus, tmp_path / "clean")


def test_a_damaged_outline_index_is_read_again_from_the_entries(corpus, tmp_path):
    """The index of the entries' outlines (build/outline.py) is a copy: a damaged one is made again
    from the entries, an outline whose entry changed size since is read again."""
    indexes = [p for p in (corpus / ".cache" / "build" / "outlines").rglob("*") if p.is_file()]
    assert indexes
    for index in indexes[::2]:
        index.write_bytes(b"not a pickle")
    for index in indexes[1::2]:
        index.unlink()
    mapping = sorted((corpus / "mappings").glob("synthetic-*.yaml"))[3]
    _edit(mapping, "content: \"", "content: \"Yet again: ")
    assert run_build(corpus, corpus / "graph", progress=False).processed == 1
    assert outputs(corpus) == clean_build(corpus, tmp_path / "clean")


def test_a_changed_claim_gives_a_clean_builds_graph(corpus, tmp_path, monkeypatch):
    """An edit that takes a dated event out of one document changes its claims: the agreement graph
    is derived again, and graph/ (search documents included) is what a clean build writes."""
    import re

    assembly = importlib.import_module("dossier.build.assemble")
    derived: list[int] = []
    derive = assembly.agreement_triples
    monkeypatch.setattr(assembly, "agreement_triples", lambda *args: derived.append(1) or derive(*args))
    for mapping in sorted((corpus / "mappings").glob("synthetic-*.yaml")):
        text = mapping.read_text(encoding="utf-8")
        event = re.search(r"  - id: \S+-date\n    event: \S+\n    date: \"[^\"]+\"\n    quote: \"[^\"]+\"\n", text)
        if event:
            mapping.write_text(text.replace(event.group(0), "", 1), encoding="utf-8")
            break
    else:
        pytest.fail("no dated event in the corpus")
    assert run_build(corpus, corpus / "graph", progress=False).processed == 1
    assert derived == [1]
    monkeypatch.undo()
    assert outputs(corpus) == clean_build(corpus, tmp_path / "clean")


def test_search_summaries_are_made_in_the_per_document_step(tmp_path, monkeypatch):
    """Each document's search summary is made with its graph files, in the (parallel) per-document
    step: the assembly then summarizes only the shared files, and writes a clean build's search.jsonl."""
    from dossier import searchdocs

    root = tmp_path / "project"
    generate(root, 6, seed=11)
    run_build(root, None, progress=False, shard=(1, 1))  # the per-document step alone, into the cache
    read: list[bytes] = []
    real = searchdocs.summarize
    monkeypatch.setattr(searchdocs, "summarize", lambda *files: read.extend(files) or real(*files))
    run_build(root, root / "graph", progress=False)
    own = {p.read_bytes() for p in (root / "graph").rglob("*.nq") if p.stem.startswith("synthetic-")}
    assert len(own) == 12 and read and not own & set(read)
    monkeypatch.undo()
    assert outputs(root) == clean_build(root, tmp_path / "clean")
