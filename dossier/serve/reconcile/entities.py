"""What reconciliation knows of each registry entity besides its names: kind, QIDs, countries."""

from __future__ import annotations

from dataclasses import dataclass, field

from .. import search
from ..backend import select
from ..bound import bound
from ..site import Site

ID_SPACE = "https://w3id.org/dossier/id/"
SCHEMA_SPACE = "https://w3id.org/dossier/ontology#"
WIKIDATA = "http://www.wikidata.org/entity/"
TYPES = search.ENTITY_KINDS


class BadRequest(Exception):
    """A reconciliation request that cannot be read: answered 400 with the reason."""


@dataclass
class Facts:
    """What reconciliation compares besides names, per entity."""

    kind: str
    wikidata: set[str] = field(default_factory=set)
    countries: dict[str, str] = field(default_factory=dict)  # slug -> label


def slug(iri: str) -> str:
    return iri[len(ID_SPACE):] if iri.startswith(ID_SPACE) else iri


def type_of(value: str | None) -> str | None:
    """A type id as clients send it ('Organization' or its full IRI) -> 'Organization'; BadRequest if unknown."""
    if not value:
        return None
    name = value[len(SCHEMA_SPACE):] if value.startswith(SCHEMA_SPACE) else value
    if name not in TYPES:
        raise BadRequest(f"unknown type {value!r}: one of {', '.join(TYPES)}")
    return name


async def entity_facts(site: Site) -> dict[str, Facts]:
    """Every registry entity's kind, QIDs and countries (site.shared, loaded once)."""
    async with site.lock:
        site.forget_if_swapped()
        if "reconcile" not in site.shared:
            facts: dict[str, Facts] = {}
            for row in await select(site.backend, bound("reconcile-entities"), site.derive_timeout):
                entry = facts.setdefault(slug(row["entity"]["value"]), Facts(row["class"]["value"].rsplit("#", 1)[-1]))
                if "wikidata" in row:
                    entry.wikidata.add(row["wikidata"]["value"][len(WIKIDATA):])
                if "country" in row:
                    entry.countries[slug(row["country"]["value"])] = row["countryLabel"]["value"]
            site.shared["reconcile"] = facts
    return site.shared["reconcile"]
