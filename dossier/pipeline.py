"""build(): the whole pipeline, from inputs to a validated, written graph/."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from rdflib.namespace import RDF

from .build import read_corpus, reason, render, union, write_atomically
from .problems import InputError
from .validate import locate, shacl


def build(root: Path, check_only: bool = False) -> str:
    """Read, map, reason and validate; unless ``check_only``, write graph/. Raises InputError."""
    corpus = read_corpus(root)
    reason(corpus)
    data = union(corpus.graphs)
    violations = shacl(data, root / "ontology" / "shapes.ttl", corpus.ontology)
    if violations:
        raise InputError(locate(violations, corpus.locations))
    if not check_only:
        write_atomically(root / "graph", render(corpus))
    counts = Counter(str(o).rsplit("#", 1)[-1] for o in data.objects(None, RDF.type) if "dossier/ontology#" in str(o))
    per_class = ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
    verb = "valid" if check_only else "built graph/"
    return f"{verb}: {len(corpus.documents)} documents, {len(data)} triples ({per_class})"
