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

Sources are independent when they come from different origins: a source's origin is the agency
it credits (dos:credit), else its publisher. The graph is derived, never mapped by hand.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from .dates import DateError, PartialDate, parse_date
from .namespace import BASE, DOS, OA, SCHEMA, graph_iri, slug_of

AGREEMENT = graph_iri("agreement")
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


def document_claims(g: Graph) -> list[Claim]:
    """The claims one document's graph makes about shared nodes (evidence with dos:supportsProperty)."""
    source = g.value(predicate=RDF.type, object=DOS.Source)
    if source is None:
        return []
    origin = g.value(source, DOS.credit) or g.value(source, SCHEMA.publisher) or source
    out = []
    for ann, prop in g.subject_objects(DOS.supportsProperty):
        entity, value = g.value(ann, OA.hasBody), g.value(ann, DOS.supportsValue)
        if entity is None or value is None:
            continue
        claimants = tuple(sorted(g.objects(ann, DOS.claimedBy)))
        out.append(Claim(entity, prop, value, source, origin, claimants, ann))
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
    out = {}
    for place in parent:
        seen, todo = set(), list(parent[place])
        while todo:
            x = todo.pop()
            if x not in seen:
                seen.add(x)
                todo.extend(parent.get(x, ()))
        out[place] = seen
    return out


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
    elif _SAFE.fullmatch(text):
        return text
    return "h" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def derive(claims: Iterable[Claim], within: dict | None = None) -> list[tuple]:
    """The triples of the agreement graph for all documents' claims, in a deterministic order.

    A disagreement needs two values that cannot both be true, given by different sources or by
    different claimants in one source: one author naming two places of a recurring event is not a
    disagreement (and one claimant in
    one source giving two values of a single-valued property is refused by the shapes).
    """
    groups: dict[tuple, dict] = {}
    for c in claims:
        groups.setdefault((c.entity, c.prop), {}).setdefault(c.value, []).append(c)
    out: set[tuple] = set()
    for (entity, prop), by_value in sorted(groups.items()):
        base = f"{BASE}agreement/{_part(entity)}/{_part(prop)}"
        nodes = {}
        for value, found in sorted(by_value.items(), key=lambda kv: (str(kv[0]), kv[0].__class__.__name__)):
            node = nodes[value] = URIRef(f"{base}/{_part(value)}")
            sources = {c.source for c in found}
            origins = {c.origin for c in found}
            out.update({(node, RDF.type, DOS.SourcedValue), (node, DOS.onEntity, entity), (node, DOS.onProperty, prop),
                        (node, DOS.value, value),
                        (node, RDFS.label, Literal(f"{_part(prop)} {value} of {_part(entity)}")),
                        (node, DOS.sourceCount, Literal(len(sources))),
                        (node, DOS.independentSourceCount, Literal(len(origins)))})
            if len(origins) > 1:
                out.add((node, RDF.type, DOS.CorroboratedValue))
            for c in found:
                out.update({(node, DOS.statedIn, c.source), (node, DOS.evidence, c.evidence)})
                out.update((node, DOS.statedBy, who) for who in c.claimants)
        values = list(nodes)
        pairs = [(a, b) for i, a in enumerate(values) for b in values[i + 1:]]
        for a, b in pairs:
            if consistent(a, b, within):
                out.update({(nodes[a], DOS.consistentWith, nodes[b]), (nodes[b], DOS.consistentWith, nodes[a])})
        if any(not consistent(a, b, within) and _apart(by_value[a], by_value[b]) for a, b in pairs):
            d = URIRef(base)
            out.update({(d, RDF.type, DOS.Disagreement), (d, DOS.onEntity, entity), (d, DOS.onProperty, prop),
                        (d, RDFS.label, Literal(f"sources disagree on {_part(prop)} of {_part(entity)}"))})
            out.update((d, DOS.statedValue, n) for n in nodes.values())
    return sorted(out)


def _apart(xs: list[Claim], ys: list[Claim]) -> bool:
    """Whether two values come from more than one source or claimant between them (not both from the same one)."""
    return len({(c.source, c.claimants) for c in xs + ys}) > 1
