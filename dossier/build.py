"""The build: read registry and mappings, map, reason, validate, and write graph/ atomically."""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import SKOS

from . import serialize
from .entities import registry_graph
from .mapping import Context, MappedDocument, read_document
from .namespace import DOS, graph_iri
from .problems import Problems
from .reason import infer
from .registry import load_registry
from .vocab import concepts, entity_classes, load_ontology

OUTPUTS = ("dossier.nq", "dossier.trig", "ontology.ttl")


@dataclass
class Corpus:
    """Everything read from the inputs, mapped, before reasoning and serialization."""

    root: Path
    ontology: Graph
    graphs: dict[URIRef, Graph] = field(default_factory=dict)  # named graph -> triples
    locations: dict[URIRef, tuple[str, int]] = field(default_factory=dict)
    documents: list[MappedDocument] = field(default_factory=list)


def mapping_files(root: Path) -> list[Path]:
    return sorted(p for p in (root / "mappings").glob("*.yaml"))


def read_corpus(root: Path) -> Corpus:
    """Read and map every input; raises InputError listing every defect found."""
    problems = Problems()
    ontology = load_ontology(root / "ontology" / "dossier.ttl")
    classes = entity_classes(ontology)
    reg = load_registry(root, set(classes), problems)
    schemes = [DOS.ParticipationRoles, DOS.DesignationTypes, DOS.DesignationStatuses, DOS.StatementTypes, DOS.Genres]
    ctx = Context(
        registry=reg,
        concepts={s: concepts(ontology, s) for s in schemes},
        concept_labels={c: str(lbl) for c, lbl in ontology.subject_objects(SKOS.prefLabel)},
    )
    corpus = Corpus(root, ontology)
    egraph, elocs = registry_graph(reg, classes)
    corpus.graphs[graph_iri("entities")] = egraph
    corpus.locations.update(elocs)
    seen: dict[URIRef, str] = {}
    for path in mapping_files(root):
        doc = read_document(root, path, ctx, problems)
        if doc is None:
            continue
        for node, (file, line) in doc.locations.items():
            if node in seen and seen[node] != file:
                problems.add(file, line, str(node), f"node also defined by {seen[node]}")
            seen[node] = file
        corpus.documents.append(doc)
        corpus.graphs[graph_iri(doc.slug)] = doc.graph
        corpus.locations.update(doc.locations)
    problems.raise_if_any()
    return corpus


def union(graphs: dict[URIRef, Graph]) -> Graph:
    g = Graph()
    for part in graphs.values():
        for t in part:
            g.add(t)
    return g


def reason(corpus: Corpus) -> None:
    """Add the named graph of OWL-RL inferences."""
    corpus.graphs[graph_iri("inferred")] = infer(corpus.ontology, union(corpus.graphs))


def render(corpus: Corpus) -> dict[str, str]:
    """The text of every file in graph/."""
    graphs = dict(corpus.graphs)
    graphs[graph_iri("ontology")] = corpus.ontology
    return {
        "dossier.nq": serialize.nquads(graphs),
        "dossier.trig": serialize.trig(graphs),
        "ontology.ttl": serialize.turtle(corpus.ontology),
    }


def write_atomically(out_dir: Path, files: dict[str, str]) -> None:
    """Write all files into a fresh sibling folder, then swap it in; on failure graph/ is untouched."""
    out_dir = out_dir.resolve()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.new-", dir=out_dir.parent))
    tmp.chmod(0o755)
    try:
        for name, text in sorted(files.items()):
            with open(tmp / name, "w", encoding="utf-8", newline="\n") as fh:
                fh.write(text)
                fh.flush()
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
