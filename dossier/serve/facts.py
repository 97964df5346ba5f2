"""The facts that refer to an entity, read from the graph as its page shows them.

One query gives each fact with its source, one its quotes, another every property of it (for
every fact, or for the facts of one page: sections.py pages them); every property, role and
concept is named by its ontology label.
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


async def facts_about(
    backend: QueryBackend, iris: list[str], labels: Labels, timeout: float, only: list[str] | None = None
) -> dict[str, "OrderedDict[str, Fact]"]:
    """For each IRI of ``iris``, every fact that refers to it (fact IRI -> Fact), with quotes and values.

    ``only`` restricts them to those fact IRIs (one page of a section), bound in the queries.
    """
    out: dict[str, OrderedDict[str, Fact]] = {iri: OrderedDict() for iri in iris}
    if not iris or only == []:
        return out
    bind = {"this": iris} if only is None else {"this": iris, "fact": only}
    every: dict[str, Fact] = {}
    for row in await select(backend, sparql("entity-facts", **bind), timeout):
        key, this = row["fact"]["value"], row["this"]["value"]
        fact = every.get(key)
        if fact is None:
            cls = row["class"]["value"]
            fact = every[key] = Fact(key, cls, labels(cls), row["factLabel"]["value"], Term.of(row["source"], row["sourceName"]))
        out[this].setdefault(key, fact)
        role = row["role"]["value"]
        if role not in fact.roles and this == iris[0]:
            fact.roles.append(role)
    if every:
        for row in await select(backend, sparql("fact-quotes", fact=sorted(every)), timeout):
            add_quote(every[row["fact"]["value"]].quotes, quote_of(row, labels))
    for row in await select(backend, sparql("fact-values", **bind), timeout):
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


def page_of(asked: int, total: int, size: int) -> tuple[int, int]:
    """(page, pages): the page to show of ``total`` items in pages of ``size``; one out of range is the nearest."""
    pages = max(1, -(-total // size))
    return min(max(asked, 1), pages), pages


def by_role(facts: list[Fact]) -> list[tuple[str, list[Fact]]]:
    """Participations of an event grouped by role label, in the order they come (entity-section.rq's)."""
    groups: OrderedDict[str, list[Fact]] = OrderedDict()
    for fact in facts:
        role = fact.one(DOS.role)
        groups.setdefault(role.text if role else "participant", []).append(fact)
    return list(groups.items())
