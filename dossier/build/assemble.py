"""Assembly: the files of the new graph/ (one per named graph) and its manifest, from the shared
inputs and the documents' cache entries.

Each document's two files are its cache entry's bytes; the shared graphs (ontology, registry,
the registry's inferences, and the agreement between sources, derived from every document's
claims by agreement.py, with its own OWL-RL inferences) are serialized here. So a changed document
changes its own two files, the manifest and, when its claims about shared nodes changed, the
agreement graph (cached under a key of every document's claims' digest, so it is derived again only then).
The search documents (searchdocs.py) are summarized per document, cached by its files' sha256
(so only changed files are read), spliced into the last build's lines (searchindex.py) and
written beside them as graph/search.jsonl, which the manifest names with its sha256.
"""

from __future__ import annotations

import hashlib
import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph
from rdflib.namespace import RDF

from .. import agreement, factgroups, searchdocs, serialize
from ..cache import Cache, digest
from ..graphdir import GraphFile, file_of, manifest_text
from ..namespace import BASE, graph_iri
from ..problems import InputError, Problem
from . import entry, searchindex
from .document import DocResult, count_type, inferred_graph, search_name
from .outline import CLASS_MARK, node_text, type_count
from .plan import Shared


@dataclass(frozen=True)
class Part:
    """A file of the new graph/: its manifest row, and its bytes or the slice of a cache entry holding them."""

    info: GraphFile
    data: bytes | None = None
    entry: Path | str | None = None  # the cache file holding its bytes
    offset: int = 0
    length: int = 0
    slug: str = ""  # the document whose file it is ("" for a shared file)


@dataclass
class Assembled:
    parts: list[Part]
    manifest: str
    documents: int
    triples: int
    types: Counter
    cache_keys: dict = field(default_factory=dict)  # kind -> the cache entries it used (what a build keeps)


def _part(graph, triples) -> Part:
    data = serialize.nquads(graph, triples)
    info = GraphFile(file_of(str(graph)), str(graph), data.count(b"\n"), hashlib.sha256(data).hexdigest())
    return Part(info, data=data)


def shared_parts(shared: Shared, cache: Cache | None = None) -> list[Part]:
    """The ontology, the registry, the curated background and their inferences, one file each;
    cached under the shared inputs' key, so a rebuild that changed none of them does not serialize them."""
    found = cache.load("shared", shared.key) if cache is not None else None
    if found is None:
        found = [_part(graph_iri("ontology"), shared.ontology), _part(graph_iri("entities"), shared.registry),
                 _part(inferred_graph("entities"), sorted(shared.registry_inferred))]
        if len(shared.curated):  # a project without mappings/curated/ has no such graph
            found += [_part(graph_iri("curated"), shared.curated),
                      _part(inferred_graph("curated"), sorted(shared.curated_inferred))]
        if cache is not None:
            cache.store("shared", shared.key, found)
    return found


def agreement_triples(shared: Shared, heads: list[DocResult]) -> tuple[list, list]:
    """The agreement graph derived from every document's claims, and its OWL-RL inferences about its own
    nodes, drawn by the same reasoner as the documents' (the entities it names keep theirs elsewhere)."""
    agreed = agreement.derive((c for h in heads for c in h.claims), agreement.places_within(shared.registry_triples),
                              factgroups.authorities(shared.registry_triples))
    g = Graph()
    for t in agreed:
        g.add(t)
    own = f"{BASE}agreement/"
    inferred = sorted(t for t in shared.reasoner.infer_registry(g) if str(t[0]).startswith(own))
    return agreed, inferred


def agreement_parts(shared: Shared, outlines: list, cache: Cache) -> tuple[list[str], list[Part], Counter]:
    """The agreement graph's two files and the classes they count, under a key of every document's
    claims (and the shared inputs): a change that leaves all claims as they were reuses them from
    the cache instead of reading every document's claims, deriving and reasoning again. The files'
    bytes are cache files of their own, read only when graph/ does not hold them already.
    ``outlines``: (cache key, Outline) of each document. Returns (cache names, parts, class counts)."""
    key = digest(shared.key, "agreement", *(o.claims for _, o in outlines))
    names = [key, digest(key, "file", "0"), digest(key, "file", "1")]
    found = cache.load("agreement", key)
    if found is not None:
        parts = [Part(info, entry=cache.path("agreement", name), length=length)
                 for (info, length), name in zip(found[0], names[1:])]
        if all(_size(p.entry) == p.length for p in parts):
            return names, parts, found[1]
    heads = []
    for k, _ in outlines:
        head = entry.read_head(cache.path("doc", k))
        if head is None:
            raise RuntimeError(f"the build cache ({cache.dir}) changed during the build: build again")
        heads.append(head[0])
    agreed, agreed_inferred = agreement_triples(shared, heads)
    types: Counter = Counter()
    for t in [*agreed, *agreed_inferred]:
        count_type(t, types)
    parts = [_part(agreement.AGREEMENT, agreed), _part(inferred_graph("agreement"), agreed_inferred)]
    for part, name in zip(parts, names[1:]):
        cache.write("agreement", name, part.data)
    cache.store("agreement", key, ([(p.info, len(p.data)) for p in parts], types))
    return names, parts, types


def _size(path: Path) -> int | None:
    try:
        return os.stat(path).st_size
    except OSError:
        return None


def _bytes(part: Part) -> bytes:
    if part.data is not None:
        return part.data
    with open(part.entry, "rb") as fh:
        fh.seek(part.offset)
        return fh.read(part.length)


def search_part(parts: list[Part], cache: Cache, key: str = "") -> Part:
    """graph/search.jsonl: the search documents of every file in ``parts``, sorted by IRI.

    A document's files are summarized together (searchdocs.summarize) and each summary is cached
    under ``key`` and the files' sha256, so a rebuild reads only the files that changed; the merged
    lines are spliced with the changed summaries' (searchindex.py) rather than merged again."""
    units = _units(parts)
    names = [_unit_key(unit, key) for unit in units]
    slugs = [_slug(unit) for unit in units]
    by_name = dict(zip(names, units))
    made: dict = {}

    def summary(name: str):
        found = made.get(name)
        if found is None:
            found = cache.load("search", name)
            if found is None and name in by_name:
                found = searchdocs.summarize(*(_bytes(p) for p in by_name[name]))
                cache.store("search", name, found)
            made[name] = found
        return found

    index = searchindex.load(cache, key)
    if index is None or not searchindex.splice(index, names, slugs, summary):
        summaries = [summary(n) for n in names]
        index = searchindex.full(key, names, slugs, summaries, lambda i: [_bytes(p) for p in units[i]])
    searchindex.store(cache, index)
    data = b"".join(index.lines)
    return Part(GraphFile(searchdocs.FILE, "", len(index.lines), hashlib.sha256(data).hexdigest()), data=data)


def _slug(unit: list[Part]) -> str:
    """The document whose files ``unit`` holds ("" for a shared file)."""
    return unit[0].slug


def _units(parts: list[Part]) -> list[list[Part]]:
    """The files read together for the search documents: a document's (one cache entry's), or one shared file."""
    by_entry: dict = {}
    for p in parts:
        by_entry.setdefault(p.entry if p.slug else id(p), []).append(p)
    return list(by_entry.values())


def _unit_key(unit: list[Part], key: str) -> str:
    return search_name(key, [p.info.sha256 for p in unit])


def search_keys(parts: list[Part], key: str) -> set[str]:
    """The cache names of the search summaries of ``parts`` (what a build keeps when it prunes)."""
    return {_unit_key(unit, key) for unit in _units(parts)}


def assemble(shared: Shared, outlines: list, cache: Cache) -> Assembled:
    """Every file of graph/ with its manifest; ``outlines`` gives each document's cache key and Outline.
    What is derived (each file's search part, the agreement graph) is kept in ``cache`` and reused."""
    agreement_keys, agreed, agreed_types = agreement_parts(shared, outlines, cache)
    parts = shared_parts(shared, cache) + agreed
    taken = {p.info.file: "the build" for p in parts}
    clashes = []
    folder = os.fspath(cache.dir / "doc")
    for key, o in outlines:
        path = f"{folder}/{key[:2]}/{key}"
        for graph, n, sha, offset, length in o.parts:
            name = file_of(graph)
            if name in taken:
                clashes.append(Problem(o.file, 0, o.slug, f"slug '{o.slug}' gives graph/{name}, which "
                                       f"{taken[name]} already writes: rename the document"))
                continue
            taken[name] = o.file
            parts.append(Part(GraphFile(name, graph, n, sha), entry=path, offset=o.start + offset, length=length,
                              slug=o.slug))
    if clashes:
        raise InputError(sorted(clashes))
    types: Counter = Counter()
    for _, o in outlines:
        types.update(o.types)
    registry = (t for triples in shared.by_subject.values() for t in triples)  # the registry's triples and inferences
    about_shared = {(node_text(t[0]), str(t[2])) for g in (registry, shared.curated, shared.curated_inferred)
                    for t in g if t[1] == RDF.type and CLASS_MARK in str(t[2])}
    for _, o in outlines:
        about_shared.update(o.shared_types)
    type_count(about_shared, types)
    types.update(agreed_types)
    infos = [p.info for p in parts]
    parts.sort(key=lambda p: p.info.file)
    search = search_part(parts, cache, shared.key)
    return Assembled(parts + [search], manifest_text(infos, search.info), len(outlines),
                     sum(i.triples for i in infos), types, {"search": search_keys(parts, shared.key), "agreement": set(agreement_keys),
                                                            "shared": {shared.key}})
