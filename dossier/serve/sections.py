"""The sections of an entity page, each counted and read one page at a time in SPARQL.

One COUNT query sorts the facts that refer to the entity into sections by class and role
(sparql/entity-sections.rq); each non-empty section's query gives the fact IRIs of the page asked
for, in the page's order, with LIMIT and OFFSET (entity-section.rq); two queries then read those
facts' quotes and values. Values sources give for the entity, where they name it, and who took part
in the events it organised are paged the same way.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

from rdflib import Literal

from ..namespace import DOS
from ..serialize import PREFIXES
from .backend import QueryBackend, select
from .fact_agreement import disputed_facts, fact_agreement
from .facts import Fact, Section, add_quote, by_role, columns, facts_about, page_of, quote_of
from .terms import Labels, Term, sparql

OA = PREFIXES["oa"]
SCHEMA = PREFIXES["schema"]

#: How many items one section of an entity page shows at a time.
PAGE_SIZE = 25
#: The sections of an entity page, in order: key (also its ?key=N page parameter) and title.
SECTIONS = OrderedDict(
    [
        ("participants", "Participants by role"),
        ("at-its-events", "Who took part in events it organised"),
        ("events", "Events it took part in"),
        ("designations", "Designations"),
        ("statements-by", "Statements it made"),
        ("statements-to", "Statements addressed to it"),
        ("statements-about", "Statements about it"),
        ("other-facts", "Other facts"),
        ("values", "What sources give for it"),
        ("mentions", "Where sources name it"),
    ]
)
DESIGNATION_COLUMNS = tuple(
    str(p) for p in (DOS.authority, DOS.designee, DOS.designationType, DOS.listName, DOS.status, DOS.listingDate)
) + (SCHEMA + "startDate", SCHEMA + "endDate")


def section_pages(params) -> dict[str, int]:
    """Which page of each section to show, from the query string (``?statements-about=2``); bad numbers mean 1."""
    out = {}
    for key in SECTIONS:
        value = params.get(key)
        if value and value.isdigit() and len(value) < 7:
            out[key] = int(value)
    return out


#: The sections listing facts (the rest list values and mentions); entity-section.rq sorts facts into them.
FACT_SECTIONS = ("participants", "events", "designations", "statements-by", "statements-to", "statements-about", "other-facts")


async def section_counts(backend: QueryBackend, iri: str, timeout: float) -> dict[str, int]:
    """How many items each section of the entity's page has, with ``facts`` (all its facts) and ``sources``."""
    counts = {key: 0 for key in SECTIONS} | {"facts": 0, "sources": 0}
    for name in ("entity-sections", "entity-evidence-sections"):
        for row in await select(backend, sparql(name, this=iri), timeout):
            counts[row["section"]["value"]] = int(row["count"]["value"])
    for row in await select(backend, sparql("entity-organised-count", this=iri), timeout):
        counts["at-its-events"] = int(row["count"]["value"])
    return counts


async def at_its_events(backend: QueryBackend, iri: str, labels: Labels, timeout: float, page: int) -> list[tuple[Term, list[Fact]]]:
    """One page of the participations of others in the events the entity organised or hosted, grouped by event."""
    query = sparql("entity-organised", limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE, this=iri)
    rows = [(r["fact"]["value"], r["event"]["value"], r.get("byEvent")) for r in await select(backend, query, timeout)]
    if not rows:
        return []
    found = await facts_about(backend, sorted({e for _, e, _ in rows}), labels, timeout, only=sorted({f for f, _, _ in rows}))
    groups: OrderedDict[str, tuple[Term, list[Fact]]] = OrderedDict()
    for fact, event, name in rows:
        if fact in found[event]:
            groups.setdefault(event, (Term.of({"type": "uri", "value": event}, name, labels), []))[1].append(found[event][fact])
    return list(groups.values())


async def section_facts(
    backend: QueryBackend, iri: str, labels: Labels, timeout: float, pages: dict[str, tuple[int, int]], counts: dict[str, int]
) -> dict[str, list[Fact]]:
    """The facts of the asked page of each fact section, in the section's order: one query per non-empty
    section for the page's fact IRIs (LIMIT/OFFSET), then two for all their quotes and values."""
    order: dict[str, list[str]] = {}
    for key in FACT_SECTIONS:
        if not counts[key]:
            order[key] = []
            continue
        query = sparql("entity-section", limit=PAGE_SIZE, offset=(pages[key][0] - 1) * PAGE_SIZE, this=iri, section=Literal(key))
        order[key] = [row["fact"]["value"] for row in await select(backend, query, timeout)]
    wanted = sorted({f for facts in order.values() for f in facts})
    found = (await facts_about(backend, [iri], labels, timeout, only=wanted))[iri]
    return {key: [found[f] for f in facts if f in found] for key, facts in order.items()}


async def _agreement(backend: QueryBackend, iri: str, timeout: float) -> dict[tuple[str, str], dict]:
    """How sources relate on each value given for the entity: (property, value) -> count, independent, disagreement."""
    agreement: dict[tuple[str, str], dict] = {}
    for row in await select(backend, sparql("entity-agreement", this=iri), timeout):
        agreement[(row["property"]["value"], row["value"]["value"])] = {
            "count": int(row["count"]["value"]),
            "independent": int(row["independent"]["value"]) if "independent" in row else None,
            "disagreement": "disagreement" in row,
        }
    return agreement


async def _values(backend: QueryBackend, iri: str, labels: Labels, timeout: float, page: int, agreement: dict) -> list[dict]:
    """One page of the values sources give for the entity, each with its quotes and how sources agree on it."""
    keys = [
        (row["property"]["value"], row["value"]["value"], row["source"]["value"])
        for row in await select(backend, sparql("entity-values", limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE, this=iri), timeout)
    ]
    if not keys:
        return []
    values: dict[tuple, dict] = {key: {} for key in keys}
    rows = await select(backend, sparql("entity-evidence", this=iri, property=sorted({k[0] for k in keys})), timeout)
    for row in rows:
        if "value" not in row:  # a mention (the property is bound, the value is not)
            continue
        prop, value = row["property"]["value"], row["value"]["value"]
        entry = values.get((prop, value, row["source"]["value"]))
        if entry is None:
            continue
        if not entry:
            entry.update(
                property=labels(prop),
                value=Term.of(row["value"], row.get("valueLabel"), labels),
                source=Term.of(row["source"], row["sourceName"]),
                quotes=[],
                agreement=agreement.get((prop, value)),
                disputed=any(a["disagreement"] for (p, _), a in agreement.items() if p == prop),
            )
        add_quote(entry["quotes"], quote_of(row, labels))
    return [entry for entry in values.values() if entry]


async def quoted_values(backend: QueryBackend, iri: str, timeout: float) -> set[tuple[str, str, str]]:
    """(property, value, source) of every value a source gives for the entity with a quote."""
    rows = await select(backend, sparql("entity-values", this=iri), timeout)
    return {(r["property"]["value"], r["value"]["value"], r["source"]["value"]) for r in rows}


async def _mentions(backend: QueryBackend, iri: str, labels: Labels, timeout: float, page: int) -> list[dict]:
    """One page of the places where sources name the entity, each with its quote."""
    query = sparql("entity-evidence", limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE, this=iri, motivation=OA + "identifying")
    return [{"source": Term.of(row["source"], row["sourceName"]), "quote": quote_of(row, labels)} for row in await select(backend, query, timeout)]


@dataclass
class EntitySections:
    """What an entity page shows below its summary: its sections (one page each), their counts, disputed properties."""

    sections: list[Section]
    counts: dict[str, int]
    disputed: list[str]
    fact_agreement: dict[str, list[dict]]


async def entity_sections(backend: QueryBackend, iri: str, labels: Labels, timeout: float, asked: dict[str, int]) -> EntitySections:
    """Every section of the entity's page, each at the page ``asked`` gives it (1 when absent; beyond the last, the last)."""
    counts = await section_counts(backend, iri, timeout)
    at = {key: page_of(asked.get(key, 1), counts[key], PAGE_SIZE) for key in SECTIONS}
    groups: dict[str, list] = await section_facts(backend, iri, labels, timeout, at, counts)
    by_event = await at_its_events(backend, iri, labels, timeout, at["at-its-events"][0]) if counts["at-its-events"] else []
    groups["at-its-events"] = [f for _, facts in by_event for f in facts]
    agreement = await _agreement(backend, iri, timeout)
    groups["values"] = await _values(backend, iri, labels, timeout, at["values"][0], agreement) if counts["values"] else []
    groups["mentions"] = await _mentions(backend, iri, labels, timeout, at["mentions"][0]) if counts["mentions"] else []
    sections = {key: Section(key, title, groups[key], counts[key], *at[key]) for key, title in SECTIONS.items()}
    sections["participants"].extra["by_role"] = by_role(sections["participants"].items)
    sections["at-its-events"].extra["by_event"] = by_event
    sections["designations"].extra["columns"] = columns(groups["designations"], iri, labels, DESIGNATION_COLUMNS)
    agreed = await fact_agreement(backend, iri, labels, timeout)
    # the disputed facts named by their kind: those on the page, and the others read for it
    named = {f.iri: f for key in FACT_SECTIONS for f in groups[key]}
    unseen = sorted(f for f in agreed if f not in named)
    if unseen:
        named.update((await facts_about(backend, [iri], labels, timeout, only=unseen))[iri])
    values_disputed = sorted({labels(p) for (p, _), a in agreement.items() if a["disagreement"]})
    disputed = [f"its {p}" for p in values_disputed] + disputed_facts(agreed, list(named.values()))
    return EntitySections([sections[k] for k in SECTIONS], counts, disputed, agreed)
