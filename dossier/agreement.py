"""Agreement and disagreement between sources, as data: which values each source gives for a shared node.

Documents say things about shared nodes (an event's date, place or toll); each value carries
evidence saying which source gives it and who, inside that source, claims it (mapping/evidence.py). This
module reads those claims from every document and writes the `agreement` graph:

- one dos:SourcedValue per (entity, property, value), listing every source that states it, their
  claimants and evidence, with dos:sourceCount and dos:independentSourceCount; a value stated by
  two or more independent sources is also a dos:CorroboratedValue;
- one dos:Disagreement per (entity, property) whose values conflict, listing every value. Dates
  are compared at their precision: 2018 and 2018-06-11 agree (they are dos:consistentWith each
  other), 2018-06-11 and 2018-06-13 do not.

Facts that are per source (a dos:Designation, a dos:Quantity) are first grouped across sources
(factgroups.py): the same listing, or the same count, as every source reports it, is one
dos:FactGroup node, and its dates, status or number are compared like an event's date.

Sources are independent when they come from different origins: a source's origin is the agency
it credits (dos:credit), else its publisher. The graph is derived, never mapped by hand.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from fractions import Fraction
from functools import lru_cache

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from . import factgroups
from .dates import DateError, PartialDate, parse_date
from .namespace import BASE, DOS, OA, SCHEMA, graph_iri, slug_of

AGREEMENT = graph_iri("agreement")
#: "About N" is read as N give or take this fraction (rounded outwards): "about 170" agrees with 153 to 187.
ABOUT_TOLERANCE = Fraction(1, 10)
#: The statuses that cannot both hold at one time; a status is as of its source's publication.
_EXCLUSIVE_STATUSES = {"in-force", "ended"}
_DATE_TYPES = {XSD.date, XSD.gYearMonth, XSD.gYear}
_SAFE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.-]{0,40}$")


@dataclass(frozen=True, order=True)
class Claim:
    """One source's evidence for one value of one property of a shared node."""

    entity: URIRef
    prop: URIRef
    value: object  # Literal or URIRef
    source: URIRef
    origin: URIRef  # the credited agency, else the publisher: what makes two sources independent
    claimants: tuple[URIRef, ...]
    evidence: URIRef
    qualifier: str = ""  # for a number: its qualifier concept (exactly, at least, more than, about, up to)
    group: tuple = ()  # for a per-source fact (a designation, a quantity): what identifies it across sources
    published: str = ""  # the source's publication date: a listing's status is as of then


def document_claims(g: Graph) -> list[Claim]:
    """The claims one document's graph makes about shared nodes (evidence with dos:supportsProperty)."""
    source = g.value(predicate=RDF.type, object=DOS.Source)
    if source is None:
        return []
    origin = g.value(source, DOS.credit) or g.value(source, SCHEMA.publisher) or source
    published = str(g.value(source, SCHEMA.datePublished) or "")
    out = []
    for ann, prop in g.subject_objects(DOS.supportsProperty):
        entity, value = g.value(ann, OA.hasBody), g.value(ann, DOS.supportsValue)
        if entity is None or value is None:
            continue
        claimants = tuple(sorted(g.objects(ann, DOS.claimedBy)))
        out.append(Claim(entity, prop, value, source, origin, claimants, ann))
    for fact, key, prop, value, qualifier, ann in factgroups.fact_values(g):
        claimants = tuple(sorted(g.objects(ann, DOS.claimedBy)))
        out.append(Claim(fact, prop, value, source, origin, claimants, ann, qualifier, key, published))
    return sorted(out)


def _date(value) -> PartialDate | None:
    if isinstance(value, Literal) and value.datatype in _DATE_TYPES:
        try:
            return parse_date(str(value))
        except DateError:
            return None
    return None


def consistent(a, b, within: dict | None = None) -> bool:
    """Whether two values of one property can both be true: equal, dates one of which contains the other,
    or places one of which lies in the other (``within``: place -> every place it lies in)."""
    if a == b:
        return True
    if within and (b in within.get(a, ()) or a in within.get(b, ())):
        return True
    da, db = _date(a), _date(b)
    if da is None or db is None:
        return False
    return (da.first <= db.first and db.last <= da.last) or (db.first <= da.first and da.last <= db.last)


def places_within(triples: Iterable[tuple]) -> dict:
    """place -> every place it lies in, through the registry's schema:location chains."""
    parent: dict = {}
    for s, p, o in triples:
        if p == SCHEMA.location:
            parent.setdefault(s, set()).add(o)
    return factgroups.ancestors(parent)


@lru_cache(maxsize=4096)
def _days(published: str) -> tuple | None:
    """The first and last day a publication date may denote; None when the source gives none."""
    try:
        d = parse_date(published)
    except DateError:
        return None
    return d.first, d.last


def statuses_agree(a, b, xs: list[Claim], ys: list[Claim]) -> bool:
    """Whether two statuses of one listing can both be true, each as of its source's publication date.

    Only 'in force' and 'ended' exclude each other, and only at one time: sources whose publication
    dates are ordered may both be right (in force in 2010, ended by 2013; or listed again after it
    ended). 'proposed' and 'unknown' agree with any status: a listing may be called for again after
    it ended, and 'unknown' says nothing.
    """
    if a == b or not {factgroups.notation(a), factgroups.notation(b)} <= _EXCLUSIVE_STATUSES:
        return True
    return not _overlap({_days(x.published) for x in xs}, {_days(y.published) for y in ys})


def _overlap(xs: set, ys: set) -> bool:
    """Whether an interval of ``xs`` and one of ``ys`` share a day (None, an unknown date, shares every day).

    One sweep in order of first day, so thousands of sources on each side cost no more than sorting them.
    """
    if None in xs or None in ys:
        return True
    reach: list = [None, None]  # the latest last day seen so far on each side
    for first, last, side in sorted([(f, l, 0) for f, l in xs] + [(f, l, 1) for f, l in ys]):
        if reach[1 - side] is not None and reach[1 - side] >= first:
            return True
        reach[side] = last if reach[side] is None else max(reach[side], last)
    return False


def number_range(value, qualifier) -> tuple[float, float]:
    """The whole numbers a qualified number allows: exactly N, at least N, more than N, up to N, about N."""
    n = int(value)
    q = factgroups.notation(qualifier)
    if q == "at-least":
        return n, math.inf
    if q == "more-than":
        return n + 1, math.inf
    if q == "up-to":
        return 0, n
    if q == "about":
        return math.floor(n * (1 - ABOUT_TOLERANCE)), math.ceil(n * (1 + ABOUT_TOLERANCE))
    return n, n


def _agree(prop, a: tuple, b: tuple, xs: list[Claim], ys: list[Claim], within: dict | None) -> bool:
    """Whether two (value, qualifier) of one property of one node can both be true."""
    (va, qa), (vb, qb) = a, b
    if prop == DOS.status:
        return statuses_agree(va, vb, xs, ys)
    if qa or qb:
        (la, ha), (lb, hb) = number_range(va, qa or "exactly"), number_range(vb, qb or "exactly")
        return la <= hb and lb <= ha
    return consistent(va, vb, within)


def _part(term) -> str:
    """A readable, stable IRI segment for a property or value."""
    text = str(term)
    slug = slug_of(text)
    if slug:
        return slug
    if isinstance(term, URIRef):
        tail = re.split(r"[#/]", text.rstrip("/#"))[-1]
        host = "schema" if text.startswith(str(SCHEMA)) else "dos" if text.startswith(str(DOS._NS)) else None
        if host and _SAFE.fullmatch(tail):
            return f"{host}-{tail}"
        if text.startswith(f"{BASE}ontology/") and _SAFE.fullmatch(tail):
            return tail  # a concept (a designation status): its notation
    elif _SAFE.fullmatch(text):
        return text
    return "h" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def derive(claims: Iterable[Claim], within: dict | None = None, authority_of: dict | None = None) -> list[tuple]:
    """The triples of the agreement graph for all documents' claims, in a deterministic order.

    A disagreement needs two values that cannot both be true, given by different sources or by
    different claimants in one source: one author naming two places of a recurring event is not a
    disagreement (and one claimant in
    one source giving two values of a single-valued property is refused by the shapes).
    Per-source facts are compared through their group (factgroups.py; ``authority_of``: the states rule).
    """
    out: set[tuple] = set()
    groups: dict[tuple, dict] = {}
    for c in claims:
        if c.group:
            node, triples = factgroups.group_node(c.group, c.entity, authority_of or {})
            out.update(triples)
            c = replace(c, entity=node)
        groups.setdefault((c.entity, c.prop), {}).setdefault((c.value, c.qualifier), []).append(c)
    for (entity, prop), by_value in sorted(groups.items()):
        base = f"{entity}/{_part(prop)}" if str(entity).startswith(factgroups.GROUPS) else \
            f"{BASE}agreement/{_part(entity)}/{_part(prop)}"
        name = str(entity)[len(factgroups.GROUPS):] if str(entity).startswith(factgroups.GROUPS) else _part(entity)
        nodes = {}
        for key, found in sorted(by_value.items(), key=lambda kv: (str(kv[0][0]), kv[0][0].__class__.__name__, kv[0][1])):
            value, qualifier = key
            stated = factgroups.notation(value) if str(value).startswith(f"{BASE}ontology/") else str(value)
            stated = f"{factgroups.notation(qualifier)} {stated}" if qualifier else stated
            node = nodes[key] = URIRef(f"{base}/{factgroups.notation(qualifier) + '-' if qualifier else ''}{_part(value)}")
            sources = {c.source for c in found}
            origins = {c.origin for c in found}
            out.update({(node, RDF.type, DOS.SourcedValue), (node, DOS.onEntity, entity), (node, DOS.onProperty, prop),
                        (node, DOS.value, value),
                        (node, RDFS.label, Literal(f"{_part(prop)} {stated} of {name}")),
                        (node, DOS.sourceCount, Literal(len(sources))),
                        (node, DOS.independentSourceCount, Literal(len(origins)))})
            if qualifier:
                out.add((node, DOS.valueQualifier, URIRef(qualifier)))
            if len(origins) > 1:
                out.add((node, RDF.type, DOS.CorroboratedValue))
            for c in found:
                out.update({(node, DOS.statedIn, c.source), (node, DOS.evidence, c.evidence)})
                out.update((node, DOS.statedBy, who) for who in c.claimants)
        keys = list(nodes)
        pairs = [(a, b) for i, a in enumerate(keys) for b in keys[i + 1:]]
        agree = {(a, b): _agree(prop, a, b, by_value[a], by_value[b], within) for a, b in pairs}
        for (a, b), ok in agree.items():
            if ok:
                out.update({(nodes[a], DOS.consistentWith, nodes[b]), (nodes[b], DOS.consistentWith, nodes[a])})
        if any(not ok and _apart(by_value[a], by_value[b]) for (a, b), ok in agree.items()):
            d = URIRef(base)
            out.update({(d, RDF.type, DOS.Disagreement), (d, DOS.onEntity, entity), (d, DOS.onProperty, prop),
                        (d, RDFS.label, Literal(f"sources disagree on {_part(prop)} of {name}"))})
            out.update((d, DOS.statedValue, n) for n in nodes.values())
    return sorted(out)


def _apart(xs: list[Claim], ys: list[Claim]) -> bool:
    """Whether two values come from more than one source or claimant between them (not both from the same one)."""
    return len({(c.source, c.claimants) for c in xs + ys}) > 1
