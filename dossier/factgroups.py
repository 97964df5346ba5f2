"""Facts reported by several sources, grouped: the same listing, or the same count, as each source gives it.

A dos:Designation or dos:Quantity node belongs to one source (its IRI is minted under the source),
so two sources reporting one listing make two nodes. The agreement graph groups them into one
dos:FactGroup whose IRI is minted from what identifies the real-world fact, never from a source:

- a listing, ``agreement/designation/<authority>/<designee>/<type>``: the same designee and
  designation type, and the same authority once the states rule is applied (a body whose
  org:subOrganizationOf chain reaches a government, dos:governmentOf, counts as that government;
  the build already records a country named as authority as its government). The list's name
  (dos:listName) is the source's wording and is not compared.
- a count, ``agreement/quantity/<of>/<counts>[/<group>]``: the same event or organization, the same
  measure and the same subset group, compared as worded after folding case and spaces; a part of a
  count (dos:subsetOf) that does not say which group it is is not grouped.

Each group's dates, status or number are then compared by agreement.py like an event's date.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS

from .namespace import BASE, DOS, OA, ORG, SCHEMA, slug_of

GROUPS = f"{BASE}agreement/"
#: What a source says of a listing that other sources may say differently.
DESIGNATION_PROPERTIES = (DOS.listingDate, SCHEMA.startDate, SCHEMA.endDate, DOS.status)
_SAFE = re.compile(r"^[a-z0-9][a-z0-9-]{0,40}$")


def notation(concept) -> str:
    """A concept's notation, the last segment of its IRI (``.../status/in-force`` -> ``in-force``)."""
    return str(concept).rsplit("/", 1)[-1]


def fold(text) -> str:
    """A group as worded, folded for comparison: case and runs of spaces do not count."""
    return " ".join(str(text).casefold().split()) if text is not None else ""


def fact_values(g: Graph) -> Iterable[tuple]:
    """(fact, group key, property, value, qualifier, evidence) for each value of each designation and quantity in ``g``.

    The key says what identifies the fact across sources, before the states rule is applied:
    ("designation", authority, designee, type) or ("quantity", of, counts, folded group).
    """
    for d in sorted(g.subjects(RDF.type, DOS.Designation)):
        key = ("designation", g.value(d, DOS.authority), g.value(d, DOS.designee), g.value(d, DOS.designationType))
        if None in key:
            continue
        for prop in DESIGNATION_PROPERTIES:
            for value in sorted(g.objects(d, prop)):
                for ann in _evidence(g, d):
                    yield d, key, prop, value, "", ann
    for q in sorted(g.subjects(RDF.type, DOS.Quantity)):
        group = g.value(q, DOS.group)
        if group is None and g.value(q, DOS.subsetOf) is not None:
            continue  # a part of a count that does not say which part cannot be compared
        key = ("quantity", g.value(q, DOS.quantityOf), g.value(q, DOS.counts), fold(group))
        qualifier = g.value(q, DOS.qualifier)
        if None in key or qualifier is None:
            continue
        for value in sorted(g.objects(q, SCHEMA.value)):
            for ann in _evidence(g, q):
                yield q, key, SCHEMA.value, value, qualifier, ann


def _evidence(g: Graph, fact: URIRef) -> list:
    return sorted(a for a in g.subjects(OA.hasBody, fact) if (a, RDF.type, DOS.Evidence) in g)


def authorities(triples: Iterable[tuple]) -> dict:
    """The states rule: organization -> the government (dos:governmentOf) its org:subOrganizationOf chain reaches."""
    parent: dict = {}
    governments = set()
    for s, p, o in triples:
        if p == ORG.subOrganizationOf:
            parent.setdefault(s, set()).add(o)
        elif p == DOS.governmentOf:
            governments.add(s)
    out = {}
    for org, above in ancestors(parent).items():
        found = sorted(above & governments)
        if found:
            out[org] = found[0]
    return out


def ancestors(parent: dict) -> dict:
    """node -> every node above it, given each node's direct parents."""
    out = {}
    for node in parent:
        seen, todo = set(), list(parent[node])
        while todo:
            x = todo.pop()
            if x not in seen:
                seen.add(x)
                todo.extend(parent.get(x, ()))
        out[node] = seen
    return out


def group_node(key: tuple, fact: URIRef, authority_of: dict) -> tuple[URIRef, list[tuple]]:
    """The group a fact with ``key`` belongs to, and the triples that say so."""
    if key[0] == "designation":
        _, authority, designee, kind = key
        authority = authority_of.get(authority, authority)
        node = URIRef(f"{GROUPS}designation/{part(authority)}/{part(designee)}/{notation(kind)}")
        cls, label = DOS.DesignationGroup, f"{notation(kind)} of {part(designee)} by {part(authority)}, as sources report it"
    else:
        _, of, counts, group = key
        tail = f"/{part(group)}" if group else ""
        node = URIRef(f"{GROUPS}quantity/{part(of)}/{notation(counts)}{tail}")
        among = f" ({group})" if group else ""
        cls, label = DOS.QuantityGroup, f"{notation(counts)}{among} of {part(of)}, as sources report it"
    return node, [(node, RDF.type, cls), (node, RDFS.label, Literal(label)), (node, DOS.groupsFact, fact)]


def part(term) -> str:
    """A readable, stable IRI segment for an entity or a folded group: its slug, else a hash."""
    text = str(term)
    slug = slug_of(text)
    if slug:
        return slug
    words = re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")
    if _SAFE.fullmatch(words):
        return words
    return "h" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
