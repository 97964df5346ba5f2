"""How sources compare on the listings and counts an entity's facts report, for its page.

A designation or quantity is one source's node; the build groups those reporting one listing or
one count (dos:FactGroup, dossier/factgroups.py) and compares their values. This reads, for each
fact naming the entity, the comparison of each property its own evidence gives a value for.
"""

from __future__ import annotations

from .backend import QueryBackend, select
from .facts import Fact
from .terms import Labels, sparql


async def fact_agreement(backend: QueryBackend, iri: str, labels: Labels, timeout: float) -> dict[str, list[dict]]:
    """fact IRI -> per property compared: its label, how many sources (and independent ones) state the
    fact's own value, and whether sources disagree on the property; in property-label order."""
    found: dict[str, dict[str, dict]] = {}
    for row in await select(backend, sparql("entity-fact-agreement", this=iri), timeout):
        prop = row["property"]["value"]
        entry = found.setdefault(row["fact"]["value"], {}).setdefault(
            prop, {"property": labels(prop), "count": 0, "independent": None, "disagreement": False})
        entry["count"] = max(entry["count"], int(row["count"]["value"]))
        if "independent" in row:
            entry["independent"] = max(entry["independent"] or 0, int(row["independent"]["value"]))
        entry["disagreement"] |= "disagreement" in row
    return {fact: sorted(props.values(), key=lambda e: e["property"]) for fact, props in found.items()}


def disputed_facts(agreement: dict[str, list[dict]], facts: list[Fact]) -> list[str]:
    """'the listing date of a Designation' for each property of the entity's facts on which sources disagree."""
    kinds = {f.iri: f.kind for f in facts}
    return sorted({f"the {e['property']} of a {kinds.get(fact, 'fact')}"
                   for fact, entries in agreement.items() for e in entries if e["disagreement"]})
