"""The per-document step: map one document, reason over it, validate it, and write its two graph files.

Each document yields its own named graph (what it says) and the named graph of its OWL-RL
inferences, as sorted N-Quads; both go into its cache entry (entry.py), so an unchanged document
is never read again, and their search summary (searchdocs.summarize) goes into the cache beside it. Documents are processed in forked worker processes, which inherit the
shared inputs instead of reading them again.
"""

from __future__ import annotations

import hashlib
import os
import sys
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from rdflib import URIRef
from rdflib.namespace import RDF

from .. import agreement, searchdocs, serialize
from ..cache import Cache, digest
from ..graphdir import file_of
from ..mapping import read_document
from ..namespace import BASE, graph_iri, source_iri
from ..problems import Problem, Problems, reading
from ..validate import locate
from . import entry
from .plan import ENTITY_PREFIX, Shared

_CLASS_MARK = "dossier/ontology#"


def inferred_graph(name: str) -> URIRef:
    """The named graph of the OWL-RL inferences from a source (its slug) or from the registry ('entities')."""
    return graph_iri(f"inferred/{name}")


@dataclass
class DocResult:
    """A document's part of the build; its files' bytes live in the cache entry after this header."""

    slug: str
    file: str  # its mapping, relative to the project
    counts: dict
    parts: list  # (graph IRI, triples, sha256, offset, length) of each of its graph files in the entry
    shared_asserted: list  # its triples about shared nodes (registry entities)
    shared_inferred: list  # its inferences about shared nodes
    types: dict  # class local name -> rdf:type triples about its own nodes
    claims: list  # agreement.Claim: its values for shared nodes, with sources
    entities: list  # the registry entity IRIs its own graph names (build/usage.py)


_TYPE = RDF.type  # (rdflib's namespace attributes are slow to look up in a loop)


def count_type(t, types: Counter) -> None:
    if t[1] == _TYPE and _CLASS_MARK in str(t[2]):
        types[str(t[2]).rsplit("#", 1)[-1]] += 1


def process_document(shared: Shared, path: Path) -> tuple[DocResult | None, bytes, list[Problem]]:
    """Map, reason, validate and serialize one document; (None, b"", problems) when it has defects."""
    problems = Problems()
    doc = read_document(shared.root, path, shared.ctx, problems)
    if doc is None:
        return None, b"", sorted(set(problems.items))
    own = owner(doc.slug)
    # iterated once (rdflib is slow at it), and not through list(graph), which asks the graph's
    # length first: SimpleMemory counts its triples one by one for that
    asserted = list(doc.graph.triples((None, None, None)))
    inferred = list(shared.reasoner.infer_document(asserted, shared.registry_triples, shared.registry_inferred))
    inferred += sorted(rule_inferences(shared, asserted + inferred, own) - set(inferred))
    violations, texts = check_document(shared, doc.slug, asserted, inferred)
    if violations:
        return None, b"", locate(violations, {**shared.registry_locations, **doc.locations})

    types: Counter = Counter()
    for t in asserted + inferred:
        if own(t[0]):
            count_type(t, types)
    blob, parts = bytearray(), []
    for graph, text in texts:
        parts.append((str(graph), text.count(b"\n"), hashlib.sha256(text).hexdigest(), len(blob), len(text)))
        blob += text
    result = DocResult(
        slug=doc.slug, file=path.relative_to(shared.root).as_posix(), counts=dict(doc.counts), parts=parts,
        shared_asserted=sorted(t for t in asserted if not own(t[0])),
        shared_inferred=sorted(t for t in inferred if not own(t[0])), types=dict(types),
        claims=agreement.document_claims(doc.graph),
        entities=sorted({x for t in asserted for x in (t[0], t[2])
                         if isinstance(x, URIRef) and str(x).startswith(ENTITY_PREFIX)}),
    )
    return result, bytes(blob), []


def check_document(shared: Shared, slug: str, asserted: list, inferred: list) -> tuple[list, list]:
    """A document's violations, and its two graph files: (graph IRI, sorted N-Quads) of what it
    says and of its inferences. The SPARQL constraints' store is loaded from those same lines."""
    texts = [(graph, serialize.nquads(graph, triples))
             for graph, triples in ((graph_iri(slug), asserted), (inferred_graph(slug), inferred))]
    data = asserted + inferred  # in no particular order: what is made of it is sorted
    checked, focus, named = _validation_input(shared, data, owner(slug))
    lines = [serialize.as_ntriples(text, graph) for graph, text in texts]
    for e in named:
        if e not in shared.lines:
            shared.lines[e] = serialize.ntriples(shared.by_subject.get(e, ()))
        lines.append(shared.lines[e])
    return shared.validator.validate(checked, focus, b"".join(lines)), texts


def rule_inferences(shared: Shared, data: list, own) -> set:
    """What ontology/rules.ttl gives from a document's triples joined with the registry entities they name,
    less what the registry gives already (rules.py)."""
    if not any(rule.focus(data) for rule in shared.rules.rules):
        return set()
    context = validation_input(shared, data, own)[0][len(data):]
    return shared.rules.infer_with(shared.reasoner, data, context) - shared.registry_inferred


def validation_input(shared: Shared, data: list, own) -> tuple[list, set]:
    """What a document is validated on: its triples and inferences, with the registry entities it
    names (and those they name); and its focus nodes, the subjects of its triples and its own nodes."""
    checked, focus, _ = _validation_input(shared, data, own)
    return checked, focus


def _validation_input(shared: Shared, data: list, own) -> tuple[list, set, list]:
    named = {x for t in data for x in (t[0], t[2]) if isinstance(x, URIRef) and str(x).startswith(ENTITY_PREFIX)}
    todo = list(named)
    while todo:
        for e in shared.links.get(todo.pop(), ()):
            if e not in named:
                named.add(e)
                todo.append(e)
    named = sorted(named)
    context = [t for e in named for t in shared.by_subject.get(e, ())]
    return data + context, {t[0] for t in data} | {t[2] for t in data if own(t[2])}, named


def owner(slug: str):
    """Whether a node is the document's own: its source, or a fact minted under it."""
    source, fact_prefix = source_iri(slug), f"{BASE}fact/{slug}/"
    return lambda node: isinstance(node, URIRef) and (node == source or str(node).startswith(fact_prefix))


_STATE: Shared | None = None  # the shared inputs, inherited by forked workers


def _work(args: tuple[str, str]) -> tuple[str, list[Problem], dict]:
    path, key = args
    shared = _STATE
    assert shared is not None
    with reading(Path(path).relative_to(shared.root).as_posix()):  # an internal error names the document
        result, blob, problems = process_document(shared, Path(path))
    if result is not None:
        cache = Cache(shared.root)
        cache.write("doc", key, entry.pack(result, blob))
        _store_summary(shared, cache, result, blob)
    new = dict(shared.reasoner.new_templates)
    shared.reasoner.new_templates.clear()
    return key, problems, new


def search_name(key: str, shas: list[str]) -> str:
    """The cache name of the search summary of the files with these sha256s, in file name order
    (shared inputs' ``key``): a document's two files are summarized together."""
    return digest(key, "search", *shas)


def _store_summary(shared: Shared, cache: Cache, result: DocResult, blob: bytes) -> None:
    """The document's part of the search documents (searchdocs.summarize), made here, in the worker
    that has its files at hand, rather than one document after another in the assembly."""
    ordered = sorted(result.parts, key=lambda part: file_of(part[0]))
    files = [blob[offset:offset + length] for *_, offset, length in ordered]
    cache.store("search", search_name(shared.key, [part[2] for part in ordered]), searchdocs.summarize(*files))


def _jobs(n_todo: int) -> int:
    wanted = int(os.environ.get("DOSSIER_JOBS", "0") or 0) or (os.cpu_count() or 1)
    return max(1, min(wanted, n_todo // 4 or 1))


def process_all(shared: Shared, cache: Cache, todo: list[tuple[Path, str]],
                progress: bool | None) -> tuple[list[Problem], set[str]]:
    """Run the per-document step for the documents not in the cache; writes their cache entries.

    Returns the defects found and the keys of the documents that have them.
    """
    global _STATE
    problems: list[Problem] = []
    failed: set[str] = set()
    if not todo:
        return problems, failed
    from tqdm import tqdm

    bar = tqdm(total=len(todo), unit="doc", desc="documents", disable=_no_bar(progress, len(todo)), file=sys.stderr)
    args = [(str(p), k) for p, k in todo]
    jobs = _jobs(len(todo))
    _STATE = shared
    new_templates: dict = {}
    try:
        if jobs == 1:
            results: Iterable = map(_work, args)
            pool = None
        else:
            import multiprocessing

            pool = multiprocessing.get_context("fork").Pool(jobs)
            results = pool.imap_unordered(_work, args, chunksize=4)
        for key, found, new in results:
            problems.extend(found)
            if found:
                failed.add(key)
            new_templates.update(new)
            bar.update(1)
        if pool is not None:
            pool.close()
            pool.join()
    finally:
        _STATE = None
        bar.close()
    if new_templates:
        shared.reasoner.templates.update(new_templates)
        cache.store("templates", shared.templates_key, shared.reasoner.templates)
    return problems, failed


def _no_bar(progress: bool | None, n: int) -> bool | None:
    if progress is None:
        return None if n >= 50 else True  # tqdm's None: only on a terminal
    return not progress
