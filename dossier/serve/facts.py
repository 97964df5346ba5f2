"""The facts that refer to an entity, read from the graph and grouped the way its page shows them.

One query gives each fact with its source and quotes, another every property of it; the grouping
(designations, participations, statements, others) follows the fact's class, and every property,
role and concept is named by its ontology label.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field

from ..namespace import DOS
from ..serialize import PREFIXES
from .backend import QueryBackend, select
from .terms import Labels, Term, local_href, sparql, value_of

RDF_TYPE = PREFIXES["rdf"] + "type"
RDFS_LABEL = PREFIXES["rdfs"] + "label"
DERIVED_FROM = PREFIXES["prov"] + "wasDerivedFrom"
#: Properties a fact card shows elsewhere (its class, its title, its source).
SHOWN_APART = {RDF_TYPE, RDFS_LABEL, DERIVED_FROM}
#: Participation roles whose holders organised the event: listed first on an event's page.
ORGANISING_ROLES = ("organizer", "host", "sponsor")


@dataclass
class Quote:
    exact: str
    prefix: str = ""
    suffix: str = ""
    claimant: Term | None = None
    start: int = 0


@dataclass
class Fact:
    """One fact: its class, label, source, quotes, the properties it refers to the entity by, and all its values."""

    iri: str
    cls: str
    kind: str
    label: str
    source: Term
    quotes: list[Quote] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    values: dict[str, list[Term]] = field(default_factory=dict)

    @property
    def href(self) -> str:
        return local_href(self.iri) or self.iri

    @property
    def anchor(self) -> str:
        return self.iri.rsplit("/", 1)[-1]

    def one(self, prop: str) -> Term | None:
        return next(iter(self.values.get(str(prop), [])), None)

    def all(self, prop: str) -> list[Term]:
        return self.values.get(str(prop), [])

    def dates(self, labels: Labels) -> list[tuple[str, str]]:
        """(property label, date) for each dated value of the fact, in property order."""
        return [(labels(p), t.text) for p, terms in self.values.items() for t in terms if t.date]


def quote_of(row: dict, labels: Labels | None = None) -> Quote | None:
    if "exact" not in row:
        return None
    claimant = Term.of(row["claimant"], row.get("claimantLabel"), labels) if "claimant" in row else None
    return Quote(
        row["exact"]["value"], value_of(row.get("prefix")) or "", value_of(row.get("suffix")) or "", claimant, int(row["start"]["value"])
    )


def add_quote(quotes: list[Quote], quote: Quote | None) -> None:
    if quote and not any((q.exact, q.start, q.claimant) == (quote.exact, quote.start, quote.claimant) for q in quotes):
        quotes.append(quote)


async def facts_about(backend: QueryBackend, iris: list[str], labels: Labels, timeout: float) -> dict[str, "OrderedDict[str, Fact]"]:
    """For each IRI of ``iris``, every fact that refers to it (fact IRI -> Fact), with quotes and values."""
    out: dict[str, OrderedDict[str, Fact]] = {iri: OrderedDict() for iri in iris}
    if not iris:
        return out
    every: dict[str, Fact] = {}
    for row in await select(backend, sparql("entity-facts", this=iris), timeout):
        key, this = row["fact"]["value"], row["this"]["value"]
        fact = every.get(key)
        if fact is None:
            cls = row["class"]["value"]
            fact = every[key] = Fact(key, cls, labels(cls), row["factLabel"]["value"], Term.of(row["source"], row["sourceName"]))
        out[this].setdefault(key, fact)
        role = row["role"]["value"]
        if role not in fact.roles and this == iris[0]:
            fact.roles.append(role)
        add_quote(fact.quotes, quote_of(row, labels))
    for row in await select(backend, sparql("fact-values", this=iris), timeout):
        fact = every.get(row["fact"]["value"])
        prop = row["property"]["value"]
        if fact is None or prop in SHOWN_APART:
            continue
        term = Term.of(row["value"], row.get("valueLabel"), labels)
        terms = fact.values.setdefault(prop, [])
        if term not in terms:
            terms.append(term)
    for facts in out.values():
        for fact in facts.values():
            fact.values = dict(sorted(fact.values.items(), key=lambda kv: labels(kv[0])))
    return out


def columns(facts: list[Fact], this: str, labels: Labels, first: tuple[str, ...]) -> list[tuple[str, str]]:
    """(property, label) columns for a table of ``facts``: ``first`` in order, then the rest by label.

    A column whose every value is the entity itself (the designee on the designee's own page) is left out.
    """
    present: list[str] = []
    for fact in facts:
        for prop, terms in fact.values.items():
            if prop not in present and not all(t.iri == this for t in terms):
                present.append(prop)
    ordered = [p for p in first if p in present] + sorted((p for p in present if p not in first), key=labels)
    return [(p, labels(p)) for p in ordered]


@dataclass
class Section:
    """One group of an entity page: a title, its items (one page of them) and links to the other pages."""

    key: str
    title: str
    items: list
    total: int
    page: int
    pages: int
    extra: dict = field(default_factory=dict)


def paged(key: str, title: str, items: list, page: int, size: int, **extra) -> Section:
    pages = max(1, -(-len(items) // size))
    page = min(max(page, 1), pages)
    return Section(key, title, items[(page - 1) * size : page * size], len(items), page, pages, extra)


def role_rank(fact: Fact, labels: Labels) -> tuple[int, str, str]:
    """Sort key of a participation: organising roles first, then by role, then by event."""
    role = fact.one(DOS.role)
    notation = (role.iri or "").rsplit("/", 1)[-1] if role else ""
    first = ORGANISING_ROLES.index(notation) if notation in ORGANISING_ROLES else len(ORGANISING_ROLES)
    event = fact.one(DOS.inEvent)
    return (first, role.text if role else "", event.text if event else "")


def by_role(facts: list[Fact], labels: Labels) -> list[tuple[str, list[Fact]]]:
    """Participations of an event grouped by role label, organising roles first."""
    groups: OrderedDict[str, list[Fact]] = OrderedDict()
    for fact in sorted(facts, key=lambda f: role_rank(f, labels)):
        role = fact.one(DOS.role)
        groups.setdefault(role.text if role else "participant", []).append(fact)
    return list(groups.items())
