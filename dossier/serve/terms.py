"""What a page shows for an RDF term: a label (the ontology's rdfs:label for its own terms), a local link.

Pages never show a raw IRI or a typed literal: entities, sources and facts link to this server's
page, ontology terms and concepts read as their English label, Wikidata items link to Wikidata,
and literals show their text alone ("Canada", not "Canada"@en; 2012, not its xsd:gYear type).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable

from rdflib import Literal, URIRef

from ..namespace import BASE
from ..serialize import PREFIXES
from .backend import QueryBackend, select
from .bound import bound

WIKIDATA = "http://www.wikidata.org/entity/"
XSD = PREFIXES["xsd"]
DATE_TYPES = {XSD + "date", XSD + "gYear", XSD + "gYearMonth", XSD + "dateTime"}

#: What may stand between < and > in a SPARQL IRI (SPARQL 1.1 grammar, IRIREF).
IRI_REF = re.compile(r'^[^<>"{}|^`\\\x00-\x20]+$')


def sparql(name: str, limit: int | None = None, offset: int = 0, **values: str | Literal | Iterable[str]) -> str:
    """The query sparql/<name>.rq with each keyword bound to one IRI or several, through ``bound``'s VALUES clause.

    An IRI that could not be written between angle brackets is refused first, so nothing from a
    request can change the query. ``limit`` and ``offset`` ask for one page of its rows.
    """
    iris: dict[str, URIRef | Literal | list[URIRef]] = {}
    for key, value in values.items():
        if isinstance(value, Literal):  # a constant of the code (a section's name), written escaped
            iris[key] = value
            continue
        column = [value] if isinstance(value, str) else list(value)
        for iri in column:
            if not IRI_REF.match(iri):
                raise ValueError(f"not an IRI that can be bound in a query: {iri!r}")
        iris[key] = URIRef(value) if isinstance(value, str) else [URIRef(i) for i in column]
    return bound(name, limit, offset, **iris)


def local_name(iri: str) -> str:
    return re.split(r"[#/]", iri.rstrip("/#"))[-1]


def humanize(name: str) -> str:
    """'startDate' -> 'start date', 'in-force' -> 'in force': a readable stand-in for a term with no label."""
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", name).replace("-", " ").replace("_", " ")
    return spaced if spaced.isupper() else spaced.lower()


class Labels(dict):
    """IRI -> English label of the ontology's terms and concepts; ``labels(iri)`` falls back to the local name."""

    def __call__(self, iri: str) -> str:
        return self.get(iri) or humanize(local_name(iri))


async def ontology_labels(backend: QueryBackend, timeout: float) -> Labels:
    labels = Labels()
    for row in await select(backend, sparql("labels"), timeout):
        labels.setdefault(row["term"]["value"], row["label"]["value"])
    return labels


def local_href(iri: str) -> str | None:
    """The path on this server of a Dossier IRI (entities, sources, facts, ontology terms and concepts, graphs), or None."""
    if not iri.startswith(BASE):
        return None
    rest = iri[len(BASE):]
    if rest.startswith(("id/", "source/", "fact/", "ontology", "graph/")):
        return "/" + rest
    return None


def value_of(binding: dict | None) -> str | None:
    return binding["value"] if binding else None


@dataclass
class Term:
    """A value to show: its text, an optional link (``external`` when it leaves this server), and its IRI."""

    text: str
    href: str | None = None
    external: bool = False
    iri: str | None = None
    date: str | None = field(default=None, compare=False)

    @classmethod
    def of(cls, binding: dict, label: dict | None = None, labels: Labels | None = None) -> "Term":
        value = binding["value"]
        if binding["type"] != "uri":
            return cls(value, date=value if binding.get("datatype") in DATE_TYPES else None)
        href = local_href(value)
        text = value_of(label) or (labels(value) if labels is not None else humanize(local_name(value)))
        if href:
            return cls(text, href, iri=value)
        if value.startswith(WIKIDATA):
            return cls(text, "https://www.wikidata.org/wiki/" + value[len(WIKIDATA):], True, iri=value)
        return cls(text, value if value.startswith(("http://", "https://")) else None, True, iri=value)
