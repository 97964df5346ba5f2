"""Triples of the entity registry graph: types, labels, aliases, descriptions and Wikidata links."""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from .namespace import DOS, ORG, SCHEMA, WD, entity_iri
from .registry import Registry

NO_QID = "no Wikidata QID confirmed with evidence yet; awaiting an online check"


def registry_graph(reg: Registry, classes: dict[str, URIRef]) -> tuple[Graph, dict[URIRef, tuple[str, int]]]:
    triples, locations = registry_triples(reg, classes)
    g = Graph()
    for t in triples:
        g.add(t)
    return g, locations


def registry_triples(reg: Registry, classes: dict[str, URIRef]) -> tuple[list[tuple], dict[URIRef, tuple[str, int]]]:
    """The registry's triples, each once, and each entity's file and line. (Adding them to an rdflib
    graph costs more than making them: the build makes the graph only where it needs one.)"""
    out: list = []
    add = out.append
    locations = {}
    for e in reg.entities.values():
        s = entity_iri(e.id)
        locations[s] = (e.file, e.line)
        add((s, RDF.type, classes[e.type]))
        add((s, RDFS.label, Literal(e.label, lang="en")))
        add((s, SKOS.prefLabel, Literal(e.label, lang="en")))
        add((s, SCHEMA.name, Literal(e.label, lang="en")))
        add((s, SCHEMA.identifier, Literal(e.id)))
        for a in e.aliases:
            add((s, SKOS.altLabel, Literal(a, lang="en")))
        if e.description:
            add((s, SCHEMA.description, Literal(e.description, lang="en")))
        if e.part_of:
            add((s, ORG.subOrganizationOf, entity_iri(e.part_of)))
        if e.country:  # a person's country is their nationality; anything else's, where it is
            add((s, SCHEMA.nationality if e.type == "Person" else SCHEMA.location, entity_iri(e.country)))
        for org in e.member_of:
            add((s, ORG.memberOf, entity_iri(org)))
        if e.series:
            add((s, SCHEMA.superEvent, entity_iri(e.series)))
        if e.government_of:
            add((s, DOS.governmentOf, entity_iri(e.government_of)))
        link = reg.links.get(e.id)
        if link and link.qid:
            add((s, SKOS.exactMatch, WD[link.qid]))
        else:
            reason = link.comment if link else NO_QID
            add((s, DOS.wikidataStatus, Literal(reason)))
    return list(dict.fromkeys(out)), locations

