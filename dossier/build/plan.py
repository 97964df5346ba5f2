"""The build's plan: the shared inputs every document is read against, and each document's cache key.

Shared inputs (the ontology, the shapes, the entity registry and its links) are read every time;
the registry's inferences and validation are cached under a key of all of them. A document's
key covers its mapping, its text and the shared key, so a change to any of them redoes it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import PROV, RDF, RDFS, SKOS

from ..cache import Cache, code_version, digest
from ..curated import load_curated
from ..entities import registry_triples
from ..mapping import Context
from ..namespace import BASE, DOS, OA, SCHEMA
from ..ontology_rules import check_ontology
from ..problems import Problems
from ..reason import Reasoner
from ..rules import Rules
from ..records import SECTIONS, SOURCE_FIELDS
from ..registry import load_registry
from ..turtle import RelativeIRIError, parse_turtle
from ..validate import Validator, cross_document_paths, locate
from ..vocab import concepts, entity_classes

ENTITY_PREFIX = f"{BASE}id/"


def mapping_files(root: Path) -> list[Path]:
    folder = root / "mappings"
    if not folder.is_dir():
        return []
    names = sorted(e.name for e in os.scandir(folder) if e.name.endswith(".yaml") and e.is_file())
    return [folder / n for n in names]  # (sorted by name: the order Path sorting gives, for less)


def in_shard(path: Path, shard: tuple[int, int] | None) -> bool:
    """Whether document ``path`` is in share ``shard`` = (i, n), 1 <= i <= n; by a hash of its file
    name, so a document stays in its share when others are added or removed."""
    if shard is None:
        return True
    i, n = shard
    return int(digest("shard", path.name)[:16], 16) % n == i - 1


@dataclass
class Shared:
    """What every document is read, reasoned and validated against."""

    root: Path
    key: str
    ontology: Graph
    ctx: Context
    registry_triples: frozenset  # the registry's triples (``registry``: as an rdflib graph)
    registry_locations: dict
    registry_inferred: set
    reasoner: Reasoner
    validator: Validator
    bounded: list  # (predicate, classes) a shape bounds from above (validate.cross_document_paths)
    templates_key: str = ""  # where the reasoner's templates are cached
    by_subject: dict = field(default_factory=dict)  # entity -> its registry and inferred triples
    links: dict = field(default_factory=dict)  # entity -> the entities its registry triples name
    lines: dict = field(default_factory=dict)  # entity -> its by_subject triples as N-Triples, made when first needed
    curated: Graph = field(default_factory=Graph)  # curated background (curated.py), its own named graph
    curated_inferred: set = field(default_factory=set)
    rules: Rules = field(default_factory=Rules)  # ontology/rules.ttl (rules.py)

    @cached_property
    def registry(self) -> Graph:
        """The registry as an rdflib graph, made when first asked for: a rebuild that needs none
        (the per-document step takes ``registry_triples``) does not pay for it."""
        return _graph(self.registry_triples)


def shared_inputs(root: Path) -> list[Path]:
    """Files every document depends on: the ontology folder and everything under mappings/ but the mappings."""
    out = [p for p in (root / "ontology").rglob("*") if p.is_file()]
    mappings = root / "mappings"
    if mappings.is_dir():  # the folders under it, and its files but the mappings, without a Path per mapping
        for e in os.scandir(mappings):
            if e.is_dir():
                out += [p for p in Path(e.path).rglob("*") if p.is_file()]
            elif e.is_file() and not e.name.endswith(".yaml"):
                out.append(Path(e.path))
    return sorted(out)


def _turtle(root: Path, name: str, problems: Problems) -> Graph | None:
    """ontology/<name> through the relative-IRI guard; its defects go to ``problems``."""
    path = root / "ontology" / name
    try:
        return parse_turtle(path, path.relative_to(root).as_posix())
    except RelativeIRIError as exc:
        for line in exc.problems:
            where, _, message = line.partition(": ")
            file, _, num = where.partition(":")
            problems.add(file, int(num) if num.isdigit() else 0, "", message)
        return None


def load_shared(root: Path, cache: Cache, problems: Problems) -> Shared | None:
    """Read the ontology, shapes and registry; their defects go to ``problems`` (None if they cannot be read)."""
    key = digest(code_version(), *(x for p in shared_inputs(root) for x in (p.relative_to(root).as_posix(), cache.file_hash(p))))
    ontology = _turtle(root, "dossier.ttl", problems)
    shapes = _turtle(root, "shapes.ttl", problems)
    rules = _turtle(root, "rules.ttl", problems) if (root / "ontology" / "rules.ttl").is_file() else Graph()
    if ontology is None or shapes is None or rules is None:
        return None
    check_ontology(ontology, root / "ontology" / "dossier.ttl", "ontology/dossier.ttl", problems)
    classes = entity_classes(ontology)
    reg = load_registry(root, set(classes), problems)
    ctx = Context(
        registry=reg,
        concepts={s: concepts(ontology, s) for s in ontology.subjects(RDF.type, SKOS.ConceptScheme)},
        concept_labels={c: str(lbl) for c, lbl in ontology.subject_objects(SKOS.prefLabel)},
    )
    etriples, elocs = registry_triples(reg, classes)
    curated = load_curated(root, reg, ctx.concepts, problems)
    templates_key = digest(code_version(), "templates", cache.file_hash(root / "ontology" / "dossier.ttl"))
    reasoner = Reasoner(ontology, cache.load("templates", templates_key))
    reasoner.prepare(_likely_keys(ontology, etriples))
    validator = Validator(root / "ontology" / "shapes.ttl", ontology, shapes)
    cached = cache.load("registry", key)
    shared_rules = Rules(rules)
    if cached is None:
        inferred = reasoner.infer_registry(_graph(etriples))
        inferred |= shared_rules.infer_with(reasoner, etriples + sorted(inferred))
        curated_inferred = reasoner.infer_registry(curated.graph) - inferred
        curated_inferred |= shared_rules.infer_with(reasoner, list(curated.graph) + sorted(curated_inferred),
                                                    etriples + sorted(inferred))
        violations = validator.validate(etriples + sorted(inferred) + list(curated.graph) + sorted(curated_inferred))
        cached = (inferred, curated_inferred, locate(violations, {**elocs, **curated.locations}))
        cache.store("registry", key, cached)
    inferred, curated_inferred, registry_problems = cached
    for p in registry_problems:
        problems.add(p.file, p.line, p.record, p.message)
    if reasoner.new_templates:
        cache.store("templates", templates_key, reasoner.templates)
        reasoner.new_templates.clear()
    shared = Shared(root, key, ontology, ctx, frozenset(etriples), elocs, inferred, reasoner, validator,
                    cross_document_paths(validator.shapes), templates_key,
                    curated=curated.graph, curated_inferred=curated_inferred, rules=shared_rules)
    for t in etriples + sorted(inferred):
        shared.by_subject.setdefault(t[0], []).append(t)
        if isinstance(t[2], URIRef) and str(t[2]).startswith(ENTITY_PREFIX):
            shared.links.setdefault(t[0], set()).add(t[2])
    return shared


def _graph(triples) -> Graph:
    g = Graph()
    for t in triples:
        g.add(t)
    return g


def _likely_keys(ontology: Graph, registry: list) -> set:
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


def document_key(shared: Shared, cache: Cache, path: Path) -> str:
    """The cache key of a document's result: its mapping, its text and the shared inputs."""
    try:
        text_hash = cache.file_hash(f"{shared.root}/documents/{path.stem}.txt")
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        text_hash = "-"
    return digest(shared.key, path.name, cache.file_hash(path), text_hash)
