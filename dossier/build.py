"""The build: read registry and mappings, map, reason, validate, and write graph/ atomically.

It runs in three stages, so that its cost grows with the number of documents and a rebuild
redoes only what changed:

1. Shared inputs, read every time: the ontology, the shapes, the entity registry and its links.
   The registry's inferences and its validation are cached under a key of all of them.
2. Each document, on its own (in worker processes): map it, reason over it (reason.Reasoner),
   validate it with the registry and the ontology (validate.Validator), and write its part of the
   output: its N-Quads lines, its TriG block, its inferred triples. The result is cached under
   a key of the document's inputs and the shared inputs (cache.py); an unchanged document is
   not read again.
3. Assembly: merge the documents' parts with the shared ones, in the order a whole-graph
   serialization would give, straight into a fresh graph/ that replaces the old one at once.

A document's nodes (its source and fact IRIs) are its own: no other document's triples name
them. What documents say about shared nodes (registry entities: an event's date, toll or place)
is merged, and checked, in stage 3.
"""

from __future__ import annotations

import heapq
import os
import pickle
import shutil
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import PROV, RDF, RDFS, SKOS
from rdflib.plugins.serializers.nquads import _nq_row

from . import agreement, serialize
from .cache import Cache, code_version, digest
from .entities import registry_graph
from .mapping import Context, read_document
from .namespace import BASE, DOS, OA, SCHEMA, graph_iri, source_iri
from .problems import InputError, Problem, Problems
from .reason import Reasoner, _is_instance
from .records import SECTIONS, SOURCE_FIELDS
from .registry import load_registry
from .validate import Validator, cross_document_paths, locate
from .vocab import concepts, entity_classes, load_ontology

OUTPUTS = ("dossier.nq", "dossier.trig", "ontology.ttl")
ENTITIES, INFERRED, ONTOLOGY = graph_iri("entities"), graph_iri("inferred"), graph_iri("ontology")
_ENTITY_PREFIX = f"{BASE}id/"
_CLASS_MARK = "dossier/ontology#"
SCHEMES = ("ParticipationRoles", "DesignationTypes", "DesignationStatuses", "StatementTypes", "Genres")


def mapping_files(root: Path) -> list[Path]:
    return sorted(p for p in (root / "mappings").glob("*.yaml"))


# ---------------------------------------------------------------------------- stage 1: shared inputs


@dataclass
class Shared:
    """What every document is read, reasoned and validated against."""

    root: Path
    key: str
    ontology: Graph
    ctx: Context
    registry: Graph
    registry_locations: dict
    registry_inferred: set
    reasoner: Reasoner
    validator: Validator
    bounded: list  # (predicate, classes) a shape bounds from above (validate.cross_document_paths)
    templates_key: str = ""  # where the reasoner's templates are cached
    by_subject: dict = field(default_factory=dict)  # entity -> its registry and inferred triples
    links: dict = field(default_factory=dict)  # entity -> the entities its registry triples name


def shared_inputs(root: Path) -> list[Path]:
    """Files every document depends on: the ontology folder and everything under mappings/ but the mappings."""
    out = [p for p in (root / "ontology").rglob("*") if p.is_file()]
    mappings = root / "mappings"
    out += [p for p in mappings.rglob("*") if p.is_file() and not (p.parent == mappings and p.suffix == ".yaml")]
    return sorted(out)


def load_shared(root: Path, cache: Cache, problems: Problems) -> Shared:
    """Read the ontology, shapes and registry; their defects go to ``problems``."""
    key = digest(code_version(), *(x for p in shared_inputs(root) for x in (p.relative_to(root).as_posix(), cache.file_hash(p))))
    ontology = load_ontology.__wrapped__(root / "ontology" / "dossier.ttl")  # uncached: the file may have changed
    classes = entity_classes(ontology)
    reg = load_registry(root, set(classes), problems)
    ctx = Context(
        registry=reg,
        concepts={DOS[s]: concepts(ontology, DOS[s]) for s in SCHEMES},
        concept_labels={c: str(lbl) for c, lbl in ontology.subject_objects(SKOS.prefLabel)},
    )
    egraph, elocs = registry_graph(reg, classes)
    templates_key = _templates_key(root, cache)
    reasoner = Reasoner(ontology, cache.load("templates", templates_key))
    reasoner.prepare(_likely_keys(ontology, egraph))
    cached = cache.load("registry", key)
    if cached is None:
        inferred = reasoner.infer_registry(egraph)
        validator = Validator(root / "ontology" / "shapes.ttl", ontology)
        violations = validator.validate(list(egraph) + sorted(inferred))
        cached = (inferred, locate(violations, elocs))
        cache.store("registry", key, cached)
    else:
        validator = Validator(root / "ontology" / "shapes.ttl", ontology)
    inferred, registry_problems = cached
    for p in registry_problems:
        problems.add(p.file, p.line, p.record, p.message)
    if reasoner.new_templates:
        cache.store("templates", templates_key, reasoner.templates)
        reasoner.new_templates.clear()
    shared = Shared(root, key, ontology, ctx, egraph, elocs, inferred, reasoner, validator,
                    cross_document_paths(validator.shapes), templates_key)
    for t in list(egraph) + sorted(inferred):
        shared.by_subject.setdefault(t[0], []).append(t)
        if isinstance(t[2], URIRef) and str(t[2]).startswith(_ENTITY_PREFIX):
            shared.links.setdefault(t[0], set()).add(t[2])
    return shared


def _templates_key(root: Path, cache: Cache) -> str:
    return digest(code_version(), "templates", cache.file_hash(root / "ontology" / "dossier.ttl"))


def _likely_keys(ontology: Graph, registry: Graph) -> set:
    """The reasoner's template keys documents will need (others are made when first met)."""
    terms = {x for t in ontology for x in t if isinstance(x, URIRef)}
    terms |= {p for p in (RDF.type, RDFS.label, PROV.wasDerivedFrom, DOS.claimedBy, DOS.supportsProperty,
                          DOS.supportsValue, SCHEMA.text, SCHEMA.sha256, SCHEMA.identifier, SCHEMA.url)}
    terms |= {OA[n] for n in ("hasBody", "motivatedBy", "hasTarget", "hasSource", "hasSelector", "exact", "prefix",
                              "suffix", "start", "end", "Annotation", "SpecificResource", "TextQuoteSelector",
                              "TextPositionSelector")}
    for spec in list(SECTIONS.values()):
        terms |= {f.predicate for f in spec.fields.values() if f.predicate is not None}
        if spec.cls is not None:
            terms.add(spec.cls)
    terms |= {f.predicate for f in SOURCE_FIELDS.values() if f.predicate is not None}
    keys = {("type", t) for t in terms} | {("property", t) for t in terms}
    return keys | {Reasoner.key(t) for t in registry}


# ---------------------------------------------------------------------------- stage 2: one document


@dataclass
class DocResult:
    """A document's part of the build; the bulky text lives in the cache entry after this header."""

    slug: str
    file: str
    counts: dict
    nq_runs: list  # (first line, last line, offset, length) of sorted N-Quads lines, own nodes only
    trig: tuple  # (offset, length) of the document graph's TriG block
    inferred_runs: list  # (first key, last key, offset, length, blocks) of inferred-graph subject blocks
    inferred_refs: dict  # shared node -> references to it by this document's inferred triples
    shared_lines: list  # N-Quads lines of its triples about shared nodes
    shared_asserted: list  # those triples
    shared_inferred: list  # inferences about shared nodes
    n_own: int  # triples about its own nodes, asserted and inferred
    types: dict  # class local name -> rdf:type triples about its own nodes
    claims: list = field(default_factory=list)  # agreement.Claim: its values for shared nodes, with sources


class _Own:
    """Which nodes are a document's own: its source and the facts minted under it."""

    def __init__(self, slug: str):
        self.source = source_iri(slug)
        self.fact = f"{BASE}fact/{slug}/"
        self.prefixes = (f"<{self.fact}", f"<{self.source}>")

    def __call__(self, node) -> bool:
        return isinstance(node, URIRef) and (node == self.source or str(node).startswith(self.fact))

    def family(self, line: str) -> int:
        return 0 if line.startswith(self.prefixes[0]) else 1


def document_key(shared: Shared, cache: Cache, path: Path) -> str:
    text = shared.root / "documents" / f"{path.stem}.txt"
    text_hash = cache.file_hash(text) if text.is_file() else "-"
    return digest(shared.key, path.name, cache.file_hash(path), text_hash)


def process_document(shared: Shared, path: Path) -> tuple[DocResult | None, bytes, list[Problem]]:
    """Map, reason, validate and serialize one document; (None, b"", problems) when it has defects."""
    problems = Problems()
    doc = read_document(shared.root, path, shared.ctx, problems)
    if doc is None:
        return None, b"", sorted(set(problems.items))
    own = _Own(doc.slug)
    inferred = shared.reasoner.infer_document(doc.graph, shared.registry, shared.registry_inferred)

    # validate with the registry entities it names (and those they name), the ontology for the rest
    data = list(doc.graph) + sorted(inferred)
    named = {x for t in data for x in (t[0], t[2]) if isinstance(x, URIRef) and str(x).startswith(_ENTITY_PREFIX)}
    todo = list(named)
    while todo:
        for e in shared.links.get(todo.pop(), ()):
            if e not in named:
                named.add(e)
                todo.append(e)
    context = [t for e in sorted(named) for t in shared.by_subject.get(e, ())]
    focus = {t[0] for t in data} | {t[2] for t in data if own(t[2])}
    violations = shared.validator.validate(data + context, focus)
    if violations:
        return None, b"", locate(violations, {**shared.registry_locations, **doc.locations})

    gname = graph_iri(doc.slug)
    own_lines, shared_lines, shared_asserted = [], [], []
    n_own, types = 0, Counter()
    for t in doc.graph:
        if own(t[0]):
            own_lines.append(_nq_row(t, gname))
            n_own += 1
            _count_type(t, types)
        else:
            shared_lines.append(_nq_row(t, gname))
            shared_asserted.append(t)
    own_inferred = [t for t in inferred if own(t[0])]
    shared_inferred = sorted(t for t in inferred if not own(t[0]))
    for t in own_inferred:
        own_lines.append(_nq_row(t, INFERRED))
        n_own += 1
        _count_type(t, types)
    own_lines.sort()

    blob = bytearray()
    nq_runs = []
    for family, lines in _runs(own_lines, own.family):
        chunk = "".join(lines).encode("utf-8")
        nq_runs.append((lines[0], lines[-1], len(blob), len(chunk)))
        blob += chunk
    writer = serialize.TermWriter()
    block = serialize.graph_block(gname, doc.graph, writer).encode("utf-8")
    trig = (len(blob), len(block))
    blob += block

    refs = Counter(t[2] for t in own_inferred)
    props: dict = {}
    for s, p, o in own_inferred:
        props.setdefault(s, {}).setdefault(p, []).append(o)
    keyed = sorted((serialize.block_key(s, refs[s], (s, RDF.type, RDFS.Class) in inferred), s) for s in props)
    inferred_runs = []
    for family, items in _runs(keyed, lambda kv: (kv[0][:3], own.family(f"<{kv[1]}"))):
        text = "\n\n".join(writer.subject_block(s, props[s]) for _, s in items).encode("utf-8")
        inferred_runs.append((_plain_key(items[0][0]), _plain_key(items[-1][0]), len(blob), len(text), len(items)))
        blob += text
    inferred_refs = {str(o): n for o, n in refs.items() if not own(o) and _is_instance(o)}

    result = DocResult(
        slug=doc.slug, file=path.relative_to(shared.root).as_posix(), counts=dict(doc.counts),
        nq_runs=nq_runs, trig=trig, inferred_runs=inferred_runs, inferred_refs=inferred_refs,
        shared_lines=sorted(shared_lines), shared_asserted=sorted(shared_asserted), shared_inferred=shared_inferred,
        n_own=n_own, types=dict(types), claims=agreement.document_claims(doc.graph),
    )
    return result, bytes(blob), []


def _count_type(t, types: Counter) -> None:
    if t[1] == RDF.type and _CLASS_MARK in str(t[2]):
        types[str(t[2]).rsplit("#", 1)[-1]] += 1


def _plain_key(key: tuple) -> tuple:
    """A block's sort key with plain strings (pickles small, compares as rdflib terms would)."""
    return key[:-1] + (str(key[-1]),)


def _runs(items: list, family: Callable) -> Iterator[tuple[object, list]]:
    """Consecutive items with the same family()."""
    run: list = []
    current = None
    for item in items:
        f = family(item)
        if run and f != current:
            yield current, run
            run = []
        current = f
        run.append(item)
    if run:
        yield current, run


# The entry: 8 bytes of header length, the pickled DocResult, then the text the offsets refer to.

def _entry(result: DocResult, blob: bytes) -> bytes:
    head = pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
    return len(head).to_bytes(8, "little") + head + blob


def _read_head(path: Path) -> tuple[DocResult, int] | None:
    try:
        with open(path, "rb") as fh:
            n = int.from_bytes(fh.read(8), "little")
            return pickle.loads(fh.read(n)), 8 + n
    except Exception:  # missing or damaged: recompute
        return None


_STATE: Shared | None = None  # the shared inputs, inherited by forked workers


def _work(args: tuple[str, str]) -> tuple[str, list[Problem], dict]:
    path, key = args
    shared = _STATE
    assert shared is not None
    result, blob, problems = process_document(shared, Path(path))
    if result is not None:
        Cache(shared.root).write("doc", key, _entry(result, blob))
    new = dict(shared.reasoner.new_templates)
    shared.reasoner.new_templates.clear()
    return key, problems, new


def _jobs(n_todo: int) -> int:
    wanted = int(os.environ.get("DOSSIER_JOBS", "0") or 0) or (os.cpu_count() or 1)
    return max(1, min(wanted, n_todo // 4 or 1))


def process_all(shared: Shared, cache: Cache, todo: list[tuple[Path, str]],
                progress: bool | None) -> tuple[list[Problem], set[str]]:
    """Run stage 2 for the documents not in the cache; writes their cache entries.

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
    try:
        if jobs == 1:
            results: Iterable = map(_work, args)
            pool = None
        else:
            import multiprocessing

            pool = multiprocessing.get_context("fork").Pool(jobs)
            results = pool.imap_unordered(_work, args, chunksize=4)
        new_templates: dict = {}
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


# ---------------------------------------------------------------------------- stage 3: assembly


@dataclass
class Assembled:
    files: dict  # name -> callable writing the file's bytes to a binary stream
    documents: int
    triples: int
    types: Counter


class _Entries:
    """Reads slices of the documents' cache entries, keeping a few files open."""

    def __init__(self, paths: list[Path], starts: list[int]):
        self.paths, self.starts = paths, starts
        self.open: dict[int, object] = {}

    def _file(self, i: int):
        fh = self.open.get(i)
        if fh is None:
            if len(self.open) >= 64:
                self.open.pop(next(iter(self.open))).close()
            fh = self.open[i] = open(self.paths[i], "rb", buffering=0)
        return fh

    def read(self, i: int, offset: int, length: int) -> bytes:
        fh = self._file(i)
        fh.seek(self.starts[i] + offset)
        return fh.read(length)

    def copy(self, out: "_Sink", i: int, offset: int, length: int) -> None:
        """Copy a slice of entry ``i`` to ``out`` (in the kernel where it can)."""
        out.copy_from(self._file(i), self.starts[i] + offset, length)

    def close(self) -> None:
        for fh in self.open.values():
            fh.close()
        self.open.clear()


def assemble(shared: Shared, results: list[DocResult], entries: _Entries) -> Assembled:
    """Merge the documents' parts with the shared graphs into the files of graph/."""
    asserted_shared = set(shared.registry)
    for r in results:
        asserted_shared.update(r.shared_asserted)
    inferred_shared = set(shared.registry_inferred)
    for r in results:
        inferred_shared.update(r.shared_inferred)
    inferred_shared -= asserted_shared
    inferred_shared = {t for t in inferred_shared if t not in shared.ontology}

    agreed = agreement.derive((c for r in results for c in r.claims), agreement.places_within(shared.registry))

    types: Counter = Counter()
    for r in results:
        types.update(r.types)
    for t in [*asserted_shared, *inferred_shared, *agreed]:
        _count_type(t, types)
    n_triples = sum(r.n_own for r in results) + len(asserted_shared) + len(inferred_shared) + len(agreed)

    def write_nquads(out) -> None:
        pool = [_nq_row(t, ENTITIES) for t in shared.registry]
        pool += [_nq_row(t, INFERRED) for t in inferred_shared]
        pool += [_nq_row(t, ONTOLOGY) for t in shared.ontology]
        pool += [_nq_row(t, agreement.AGREEMENT) for t in agreed]
        for r in results:
            pool += r.shared_lines
        pool.sort()
        runs = sorted((first, last, i, off, n) for i, r in enumerate(results) for first, last, off, n in r.nq_runs)
        last = ""
        for item in heapq.merge(((line, line, -1, 0, 0) for line in pool), runs):
            first, end, i, off, n = item
            if first <= last:
                raise RuntimeError(f"N-Quads of two documents interleave at {first.strip()}: a node is not its document's own")
            if i < 0:
                out.write(first.encode("utf-8"))
            else:
                entries.copy(out, i, off, n)
            last = end

    def inferred_blocks() -> Iterator[bytes]:
        refs: Counter = Counter()
        for r in results:
            refs.update(r.inferred_refs)
        for t in inferred_shared:
            refs[str(t[2])] += 1
            if isinstance(t[2], URIRef) and not str(t[2]).startswith(_ENTITY_PREFIX) and _is_instance(t[2]):
                raise RuntimeError(f"an inference about a shared node names a document's own node: {t}")
        own_runs = sorted((first, last, i, off, n) for i, r in enumerate(results)
                          for first, last, off, n, _ in r.inferred_runs)
        writer = serialize.TermWriter()
        props: dict = {}
        for s, p, o in inferred_shared:
            props.setdefault(s, {}).setdefault(p, []).append(o)
        shared_blocks = sorted(
            (_plain_key(serialize.block_key(s, refs.get(str(s), 0), (s, RDF.type, RDFS.Class) in inferred_shared)), s)
            for s in props
        )
        last = None
        for first, end, i, off, n in heapq.merge(((k, k, -1, s, 0) for k, s in shared_blocks), own_runs):
            if last is not None and first <= last:
                raise RuntimeError(f"inferred triples of two documents interleave at {first}")
            yield writer.subject_block(off, props[off]).encode("utf-8") if i < 0 else entries.read(i, off, n)
            last = end

    def write_trig(out) -> None:
        writer = serialize.TermWriter()
        names = sorted([(str(graph_iri(r.slug)), i) for i, r in enumerate(results)]
                       + [(str(g), -1) for g in (ENTITIES, INFERRED, ONTOLOGY, agreement.AGREEMENT)])
        out.write(serialize.TRIG_HEAD.encode("utf-8"))
        for k, (name, i) in enumerate(names):
            if k:
                out.write(b"\n")
            if i >= 0:
                entries.copy(out, i, *results[i].trig)
            elif name == str(INFERRED):
                out.write(f"<{name}> {{\n".encode("utf-8"))
                for j, chunk in enumerate(inferred_blocks()):
                    out.write(b"\n\n" + chunk if j else chunk)
                out.write(b"\n}\n")
            else:
                triples = {str(ENTITIES): shared.registry, str(ONTOLOGY): shared.ontology}.get(name, agreed)
                out.write(serialize.graph_block(URIRef(name), triples, writer).encode("utf-8"))

    def write_ontology(out) -> None:
        out.write(serialize.turtle(shared.ontology).encode("utf-8"))

    serialize._no_blank_nodes(ONTOLOGY, shared.ontology)
    serialize._no_blank_nodes(ENTITIES, shared.registry)
    files = {"dossier.nq": write_nquads, "dossier.trig": write_trig, "ontology.ttl": write_ontology}
    return Assembled(files, len(results), n_triples, types)


def check_across_documents(shared: Shared, results: list[DocResult]) -> list[Problem]:
    """Validate together the documents that give one shared node values a shape bounds (see validate.py)."""
    givers: dict = {}
    for i, r in enumerate(results):
        for s, p, _ in r.shared_asserted + r.shared_inferred:
            givers.setdefault((s, p), set()).add(i)
    types: dict = {}
    for s, p, o in list(shared.registry) + list(shared.registry_inferred):
        if p == RDF.type:
            types.setdefault(s, set()).add(o)

    def bounded(s, p) -> bool:
        return any((bp is None or bp == p) and (classes is None or classes & types.get(s, set()))
                   for bp, classes in shared.bounded)

    joint_nodes: dict = {}
    for (s, p), docs in givers.items():
        if len(docs) > 1 and bounded(s, p):
            joint_nodes.setdefault(s, set()).update(docs)
    joint = {i for docs in joint_nodes.values() for i in docs}
    if not joint:
        return []
    problems = Problems()
    data: list = list(shared.registry) + sorted(shared.registry_inferred)
    locations = dict(shared.registry_locations)
    for i in sorted(joint):
        doc = read_document(shared.root, shared.root / results[i].file, shared.ctx, problems)
        if doc is None:
            continue
        data += list(doc.graph)
        data += sorted(shared.reasoner.infer_document(doc.graph, shared.registry, shared.registry_inferred))
        locations.update(doc.locations)
    return sorted(set(problems.items) | set(locate(shared.validator.validate(data, set(joint_nodes)), locations)))


# ---------------------------------------------------------------------------- the whole build


@dataclass
class BuildReport:
    documents: int
    triples: int
    types: Counter
    processed: int  # documents mapped this time (not found in the cache)
    redone: list = field(default_factory=list)  # their mapping files
    timings: dict = field(default_factory=dict)  # stage -> seconds


def run_build(root: Path, out_dir: Path | None, progress: bool | None = None) -> BuildReport:
    """Build (and, given ``out_dir``, write) the graph; raises InputError listing every defect."""
    clock = _Clock()
    cache = Cache(root)
    found = Problems()
    shared = load_shared(root, cache, found)
    problems = list(found.items)
    clock.lap("shared inputs")
    paths = mapping_files(root)
    keys = [document_key(shared, cache, p) for p in paths]
    cache.save_hashes()
    todo = [(p, k) for p, k in zip(paths, keys) if not cache.path("doc", k).is_file()]
    redone = [p.relative_to(root).as_posix() for p, _ in todo]
    clock.lap("input hashes")
    output_key = digest(shared.key, *keys)
    manifest = digest("graph", str(out_dir))
    last = cache.load("outputs", manifest) if out_dir is not None and not todo and not problems else None
    if last and last["key"] == output_key and last["stamps"] == _stamps(out_dir):
        clock.lap("nothing changed")  # graph/ is what these inputs give: leave it
        return BuildReport(last["documents"], last["triples"], Counter(last["types"]), 0, [], clock.laps)
    more, failed = process_all(shared, cache, todo, progress)
    problems += more
    clock.lap("documents")
    found = {k: _read_head(cache.path("doc", k)) for k in keys if k not in failed}
    vanished = [(p, k) for p, k in zip(paths, keys) if k in found and found[k] is None]
    if vanished:  # removed or damaged since they were checked: make them again
        more, bad = process_all(shared, cache, vanished, False)
        problems += more
        for _, k in vanished:
            found[k] = None if k in bad else _read_head(cache.path("doc", k))
            if found[k] is None and k not in bad:
                raise RuntimeError(f"the build cache ({cache.dir}) cannot be written or read back")
    heads: list[DocResult] = []
    entry_paths, starts = [], []
    for k in keys:
        if found.get(k) is not None:
            heads.append(found[k][0])
            entry_paths.append(cache.path("doc", k))
            starts.append(found[k][1])
    if not problems:
        problems += check_across_documents(shared, heads)
    if problems:
        raise InputError(sorted(set(problems)))
    clock.lap("cross-document checks")
    entries = _Entries(entry_paths, starts)
    try:
        assembled = assemble(shared, heads, entries)
        if out_dir is not None:
            write_atomically(out_dir, assembled.files)
            cache.store("outputs", manifest, {
                "key": output_key, "stamps": _stamps(out_dir), "documents": assembled.documents,
                "triples": assembled.triples, "types": dict(assembled.types)})
    finally:
        entries.close()
    clock.lap("assemble and write")
    cache.prune("doc", keep=set(keys))
    return BuildReport(assembled.documents, assembled.triples, assembled.types, len(todo), redone, clock.laps)


def _stamps(out_dir: Path) -> dict | None:
    """(size, mtime, inode) of each output file, to tell that graph/ is still what the build wrote."""
    try:
        return {name: (st.st_size, st.st_mtime_ns, st.st_ino) for name in OUTPUTS for st in [(out_dir / name).stat()]}
    except OSError:
        return None


class _Clock:
    def __init__(self):
        self.laps: dict[str, float] = {}
        self.t = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.laps[name] = round(now - self.t, 4)
        self.t = now


def write_atomically(out_dir: Path, files: dict[str, str | bytes | Callable]) -> None:
    """Write all files into a fresh sibling folder, then swap it in; on failure graph/ is untouched.

    A file is given as its text, its bytes, or a function writing its bytes to a binary stream.
    """
    out_dir = out_dir.resolve()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.new-", dir=out_dir.parent))
    tmp.chmod(0o755)
    try:
        for name, content in sorted(files.items()):
            with open(tmp / name, "wb", buffering=0) as fh:
                sink = _Sink(fh)
                if callable(content):
                    content(sink)
                else:
                    sink.write(content.encode("utf-8") if isinstance(content, str) else content)
                sink.flush()
                os.fsync(fh.fileno())
        old = None
        if out_dir.exists():
            old = out_dir.with_name(f".{out_dir.name}.old-{os.getpid()}")
            os.replace(out_dir, old)
        try:
            os.replace(tmp, out_dir)
        except BaseException:
            if old is not None:
                os.replace(old, out_dir)
            raise
        if old is not None:
            shutil.rmtree(old)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


class _Sink:
    """A file being written: small writes gathered into 1 MiB ones, slices of other files copied in."""

    def __init__(self, fh, size: int = 1 << 20):
        self.fh, self.size, self.parts, self.n = fh, size, [], 0

    def write(self, data: bytes) -> None:
        self.parts.append(data)
        self.n += len(data)
        if self.n >= self.size:
            self.flush()

    def flush(self) -> None:
        if self.parts:
            data = b"".join(self.parts)
            self.parts, self.n = [], 0
            view = memoryview(data)
            while view:
                view = view[self.fh.write(view):]

    def copy_from(self, src, offset: int, length: int) -> None:
        if length < 65536:
            src.seek(offset)
            self.write(src.read(length))
            return
        self.flush()
        try:
            while length > 0:
                done = os.copy_file_range(src.fileno(), self.fh.fileno(), length, offset)
                if done <= 0:
                    break
                offset, length = offset + done, length - done
        except OSError:
            pass
        if length > 0:  # no copy_file_range here (or it stopped short): copy through memory
            src.seek(offset)
            self.write(src.read(length))
