"""What a mapping is read against (the registry, the controlled values) and what it yields."""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import Graph, URIRef

from ..registry import Registry


@dataclass
class Context:
    """What a mapping is read against: the registry and the ontology's controlled values."""

    registry: Registry
    concepts: dict[URIRef, dict[str, URIRef]]  # scheme -> notation -> concept
    concept_labels: dict[URIRef, str]


@dataclass
class MappedDocument:
    slug: str
    graph: Graph
    locations: dict[URIRef, tuple[str, int]] = field(default_factory=dict)  # node -> (file, line)
    counts: dict[str, int] = field(default_factory=dict)
