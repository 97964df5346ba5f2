"""IRIs: the project's closed vocabulary and the one helper that mints instance IRIs from slugs."""

from __future__ import annotations

import re

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace

BASE = "https://w3id.org/dossier/"
SLUG = re.compile(r"\A[a-z][a-z0-9]*(-[a-z0-9]+)*\Z")  # \Z: "$" would also match before a final newline

SCHEMA = Namespace("https://schema.org/")
OA = Namespace("http://www.w3.org/ns/oa#")
ORG = Namespace("http://www.w3.org/ns/org#")
WD = Namespace("http://www.wikidata.org/entity/")


class DOS(DefinedNamespace):
    """The Dossier ontology (ontology/dossier.ttl); closed, so a typo raises instead of minting."""

    _fail = True
    _NS = Namespace(BASE + "ontology#")

    Source: URIRef
    Agent: URIRef
    Organization: URIRef
    Person: URIRef
    Place: URIRef
    Event: URIRef
    Fact: URIRef
    Participation: URIRef
    Designation: URIRef
    Statement: URIRef
    Evidence: URIRef
    participant: URIRef
    inEvent: URIRef
    role: URIRef
    authority: URIRef
    designee: URIRef
    designationType: URIRef
    status: URIRef
    listName: URIRef
    listingDate: URIRef
    statementType: URIRef
    speaker: URIRef
    addressee: URIRef
    about: URIRef
    content: URIRef
    reports: URIRef
    inResponseTo: URIRef
    claimedBy: URIRef
    supportsProperty: URIRef
    supportsValue: URIRef
    deathToll: URIRef
    genre: URIRef
    dateInference: URIRef
    seedFile: URIRef
    wikidataStatus: URIRef
    credit: URIRef
    SingleValuedProperty: URIRef
    SourcedValue: URIRef
    CorroboratedValue: URIRef
    Disagreement: URIRef
    onEntity: URIRef
    onProperty: URIRef
    value: URIRef
    statedIn: URIRef
    statedBy: URIRef
    evidence: URIRef
    sourceCount: URIRef
    independentSourceCount: URIRef
    consistentWith: URIRef
    statedValue: URIRef
    FactGroup: URIRef
    DesignationGroup: URIRef
    QuantityGroup: URIRef
    groupsFact: URIRef
    valueQualifier: URIRef
    ParticipationRoles: URIRef
    DesignationTypes: URIRef
    DesignationStatuses: URIRef
    StatementTypes: URIRef
    Genres: URIRef
    excerpt: URIRef
    dateNote: URIRef
    governmentOf: URIRef
    Legislation: URIRef
    legalBasis: URIRef
    calledForIn: URIRef
    callsFor: URIRef
    DescribedAgent: URIRef
    Quantity: URIRef
    quantityOf: URIRef
    counts: URIRef
    qualifier: URIRef
    group: URIRef
    subsetOf: URIRef
    Membership: URIRef
    membershipType: URIRef
    roleName: URIRef
    heldOn: URIRef
    Measures: URIRef
    Qualifiers: URIRef
    MembershipTypes: URIRef
    CuratedMembership: URIRef
    Politician: URIRef
    politicalAffiliation: URIRef


def entity_iri(slug: str) -> URIRef:
    """IRI of a registry entity (organization, person, place, event)."""
    return URIRef(f"{BASE}id/{slug}")


def source_iri(slug: str) -> URIRef:
    return URIRef(f"{BASE}source/{slug}")


def fact_iri(source: str, fact: str) -> URIRef:
    return URIRef(f"{BASE}fact/{source}/{fact}")


def graph_iri(name: str) -> URIRef:
    """Named graph: a source's slug, 'entities', 'curated', 'ontology', 'agreement', or 'inferred/<slug, entities, curated or agreement>'."""
    return URIRef(f"{BASE}graph/{name}")


def slug_of(iri: str) -> str | None:
    """The slug of an entity IRI, or None if it is not one."""
    prefix = f"{BASE}id/"
    return iri[len(prefix):] if iri.startswith(prefix) else None
