"""The build: read registry and mappings, map, reason, validate, and write graph/ atomically.

It runs in stages, so that its cost grows with the number of documents and a rebuild redoes
only what changed; each stage is a module:

- plan: the shared inputs (ontology, shapes, registry and links) and each document's cache key;
- document: each document on its own (in worker processes): map it, reason over it, validate it
  with the registry and the ontology, and serialize its graph and its inferences; the result is
  cached under its key (entry: the cache entry's format), so an unchanged document is not read
  again, and ``--shard I/N`` can fill the cache from several machines; what the later stages need
  of each entry is kept in one index of outlines (outline.py), read instead of every entry;
- across: the check that needs several documents at once; usage: every registry entity is named
  by some document;
- assemble: one N-Quads file per named graph and the manifest (graphdir.py describes graph/);
  searchindex: graph/search.jsonl spliced with the changed documents' search lines;
- atomic: the new graph/ swapped in whole; unchanged files are hard-linked, not rewritten.

A document's nodes (its source and fact IRIs) are its own: no other document's triples name them.
"""

from __future__ import annotations

import os
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ..cache import Cache, digest
from ..graphdir import MANIFEST, read_manifest, search_file
from ..problems import InputError, Problems
from . import entry
from .across import check_across_documents
from .assemble import assemble
from .atomic import recover, write_graph
from .document import process_all
from .outline import Outline, outline
from .plan import document_key, in_shard, load_shared, mapping_files
from .usage import unused_entities


@dataclass
class BuildReport:
    documents: int
    triples: int
    types: Counter
    processed: int  # documents mapped this time (not found in the cache)
    redone: list = field(default_factory=list)  # their mapping files
    timings: dict = field(default_factory=dict)  # stage -> seconds


def run_build(root: Path, out_dir: Path | None, progress: bool | None = None,
              shard: tuple[int, int] | None = None) -> BuildReport:
    """Build (and, given ``out_dir``, write) the graph; raises InputError listing every defect.

    With ``shard`` = (i, n), only the i-th of n shares of the documents is built, into the cache:
    nothing is written to ``out_dir``; a later build without ``shard`` assembles graph/ from the cache.
    """
    clock = _Clock()
    if out_dir is not None:
        recover(out_dir)
    cache = Cache(root)
    found = Problems()
    shared = load_shared(root, cache, found)
    if shared is None:
        raise InputError(sorted(set(found.items)))
    problems = list(found.items)
    clock.lap("shared inputs")
    paths = [p for p in mapping_files(root) if in_shard(p, shard)]
    keys = [document_key(shared, cache, p) for p in paths]
    cache.save_hashes()
    todo = [(p, k) for p, k in zip(paths, keys) if not cache.path("doc", k).is_file()]
    redone = [p.relative_to(root).as_posix() for p, _ in todo]
    clock.lap("input hashes")
    record_key = digest("graph", str(out_dir))
    output_key = digest(shared.key, *keys)
    last = cache.load("outputs", record_key) if out_dir is not None else None
    if shard is None and last and not todo and not problems and last["key"] == output_key \
            and last["stamps"] == _stamps(out_dir):
        clock.lap("nothing changed")  # graph/ is what these inputs give: leave it
        return BuildReport(last["documents"], last["triples"], Counter(last["types"]), 0, [], clock.laps)
    more, failed = process_all(shared, cache, todo, progress)
    problems += more
    clock.lap("documents")
    if shard is not None:
        if problems:
            raise InputError(sorted(set(problems)))
        return BuildReport(len(paths), 0, Counter(), len(todo), redone, clock.laps)
    outlines = _outlines(shared, cache, paths, keys, failed, problems)
    across_keys = None  # the joint validation's cache names, when it ran
    if not problems:
        joint_problems, across_keys = check_across_documents(shared, outlines, cache)
        problems += joint_problems
        problems += unused_entities(shared, {e for _, o in outlines for e in o.entities})
    if problems:
        raise InputError(sorted(set(problems)))
    clock.lap("cross-document checks")
    assembled = assemble(shared, outlines, cache)
    if out_dir is not None:
        intact = _unchanged(out_dir, last)
        linked = write_graph(out_dir, assembled.parts, assembled.manifest, {n: st[0] for n, st in intact.items()})
        cache.store("outputs", record_key, {
            "key": output_key, "stamps": _new_stamps(out_dir, assembled, intact, linked), "documents": assembled.documents,
            "triples": assembled.triples, "types": dict(assembled.types)})
    clock.lap("assemble and write")
    cache.prune("doc", keep=set(keys))
    if across_keys is not None:
        cache.prune("across", keep=across_keys)
    for kind, used in assembled.cache_keys.items():
        cache.prune(kind, keep=used)
    return BuildReport(assembled.documents, assembled.triples, assembled.types, len(todo), redone, clock.laps)


def _outlines(shared, cache: Cache, paths: list[Path], keys: list[str], failed: set[str], problems: list) -> list:
    """(key, Outline) of each document that built, redoing entries removed or damaged since."""
    found = _read_outlines(cache, [k for k in keys if k not in failed])
    vanished = [(p, k) for p, k in zip(paths, keys) if k in found and found[k] is None]
    if vanished:
        more, bad = process_all(shared, cache, vanished, False)
        problems += more
        for _, k in vanished:
            found[k] = None if k in bad else _read_entry(cache.path("doc", k))
            if found[k] is None and k not in bad:
                raise RuntimeError(f"the build cache ({cache.dir}) cannot be written or read back")
        _store_outlines(cache, found, {k[:2] for _, k in vanished})
    return [(k, found[k]) for k in keys if found.get(k) is not None]


def _read_outlines(cache: Cache, keys: list[str]) -> dict:
    """Key -> Outline of each entry, None when it is missing or damaged. The outlines are kept in
    index files, one per first two hex digits of the key, so a rebuild stats the entries rather
    than opening each one and writes again only the index files whose entries changed; an entry
    whose size changed since (or that its index file lacks) is read again."""
    by_shard: dict = {}
    for k in keys:
        by_shard.setdefault(k[:2], []).append(k)
    found, changed = {}, set()
    folder = os.fspath(cache.dir / "doc")
    for shard, wanted in by_shard.items():
        index = cache.load("outlines", shard)
        if not isinstance(index, dict) or len(index) != len(wanted):
            index = index if isinstance(index, dict) else {}
            changed.add(shard)
        for k in wanted:
            known = index.get(k)
            path = f"{folder}/{shard}/{k}"
            try:
                size = os.stat(path).st_size
            except OSError:
                size = None
            if isinstance(known, Outline) and known.size == size:
                found[k] = known
            else:
                found[k] = None if size is None else _read_entry(Path(path))
                changed.add(shard)
    _store_outlines(cache, found, changed)
    return found


def _store_outlines(cache: Cache, outlines: dict, shards: set) -> None:
    """Write the index files ``shards`` with the outlines of ``outlines`` (key -> Outline or None) in them."""
    grouped: dict = {shard: {} for shard in shards}
    for k, o in outlines.items():
        if o is not None and k[:2] in grouped:
            grouped[k[:2]][k] = o
    for shard, index in sorted(grouped.items()):
        cache.store("outlines", shard, index)


def _read_entry(path: Path) -> Outline | None:
    """The outline of the cache entry at ``path``, None when it is missing or damaged."""
    raw = entry.read_raw(path)
    head = None if raw is None else entry.load_head(*raw)
    return None if head is None else outline(head[0], head[1], raw[2])


def _stamps(out_dir: Path) -> dict | None:
    """File -> (sha256, size, mtime, inode) for every file of graph/, to tell it is still what the build wrote."""
    try:
        files = read_manifest(out_dir)
        out = {}
        named = [(f.file, f.sha256) for f in files]
        search = search_file(out_dir)
        if search is not None:
            named.append((search[0].relative_to(out_dir).as_posix(), search[1]))
        named.append((MANIFEST, ""))
        base = os.fspath(out_dir)
        for name, sha in named:
            st = os.stat(f"{base}/{name}")
            out[name] = (sha, st.st_size, st.st_mtime_ns, st.st_ino)
        return out
    except (OSError, ValueError, KeyError):
        return None


def _unchanged(out_dir: Path, last: dict | None) -> dict[str, tuple]:
    """File -> stamp for the files of the current graph/ still exactly as the last build wrote them."""
    if not last or not last.get("stamps"):
        return {}
    now = _stamps(out_dir) or {}
    return {name: stamp for name, stamp in last["stamps"].items() if name != MANIFEST and now.get(name) == stamp}


def _new_stamps(out_dir: Path, assembled, intact: dict, linked: set) -> dict | None:
    """What _stamps(out_dir) gives after write_graph, without reading the manifest again: a linked
    file keeps its stamp (a hard link has the inode, size and mtime of the file it links)."""
    base, out = os.fspath(out_dir), {}
    try:
        for part in assembled.parts:
            name = part.info.file
            if name in linked:
                out[name] = intact[name]
            else:
                st = os.stat(f"{base}/{name}")
                out[name] = (part.info.sha256, st.st_size, st.st_mtime_ns, st.st_ino)
        st = os.stat(f"{base}/{MANIFEST}")
    except OSError:
        return None
    out[MANIFEST] = ("", st.st_size, st.st_mtime_ns, st.st_ino)
    return out


class _Clock:
    def __init__(self):
        self.laps: dict[str, float] = {}
        self.t = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.laps[name] = round(now - self.t, 4)
        self.t = now


__all__ = ["BuildReport", "recover", "run_build"]
