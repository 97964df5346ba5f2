"""The contributor rules for ontology/dossier.ttl that SHACL over the data cannot see, each at file:line.

Every term of the project's namespace has a label and a definition; each of its classes is aligned
to a class of a shared vocabulary (rdfs:subClassOf); each SKOS concept has a notation, a preferred
label and a definition. `dossier validate` (and so every build) reports what is missing.
"""

from __future__ import annotations

import re
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from .namespace import DOS
from .problems import Problems


def check_ontology(ontology: Graph, path: Path, display: str, problems: Problems) -> None:
    """Add to ``problems`` each term of ``ontology`` (read from ``path``) that breaks a rule above."""
    lines = _subject_lines(path.read_text(encoding="utf-8"), ontology)
    ns = str(DOS._NS)
    terms = sorted({s for s in ontology.subjects() if isinstance(s, URIRef) and str(s).startswith(ns)})
    for term in terms:
        name = term.removeprefix(ns)
        for prop, what in ((RDFS.label, "rdfs:label"), (SKOS.definition, "skos:definition")):
            if ontology.value(term, prop) is None:
                problems.add(display, lines.get(term, 0), name, f"no {what}: every term is labelled and defined")
        if (term, RDF.type, OWL.Class) in ontology and ontology.value(term, RDFS.subClassOf) is None:
            problems.add(display, lines.get(term, 0), name, "a class aligned to no other one: add rdfs:subClassOf "
                                                            "a class of a shared vocabulary")
    for concept in sorted(ontology.subjects(RDF.type, SKOS.Concept)):
        missing = [w for p, w in ((SKOS.notation, "skos:notation"), (SKOS.prefLabel, "skos:prefLabel"),
                                  (SKOS.definition, "skos:definition")) if ontology.value(concept, p) is None]
        if missing:
            problems.add(display, lines.get(concept, 0), re.split(r"[#/]", str(concept))[-1],
                         f"a concept without {', '.join(missing)}")


def _subject_lines(text: str, g: Graph) -> dict:
    """term -> the line where a statement about it starts (its prefixed name or IRI at a line's start)."""
    prefixes = {p: str(n) for p, n in g.namespaces()}
    out: dict = {}
    for num, line in enumerate(text.splitlines(), 1):
        m = re.match(r"<([^>]+)>|([A-Za-z][\w-]*)?:([\w-]+)", line)
        if not m:
            continue
        term = URIRef(m.group(1)) if m.group(1) else (URIRef(prefixes[m.group(2) or ""] + m.group(3))
                                                        if (m.group(2) or "") in prefixes else None)
        if term is not None:
            out.setdefault(term, num)
    return out

