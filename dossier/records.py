"""What each section of a document mapping may say: its fields, their types, and the RDF they become.

This table is the single description of the mapping format (mappings/README.md explains it);
the reader in mapping/ checks records against it and emits triples from it.
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import URIRef
from rdflib.namespace import DCTERMS

from .namespace import DOS, ORG, SCHEMA

AGENTS = ("Organization", "Person")
ANY = ("Organization", "Person", "Place", "Event", "Legislation")


@dataclass(frozen=True)
class Field:
    kind: str  # text | entity | entities | date | concept | int | ref | refs | url | bool | described
    predicate: URIRef | None = None
    required: bool = False
    types: tuple[str, ...] = ANY  # for entity fields: allowed registry types
    scheme: URIRef | None = None  # for concept fields
    section: str = "statements"  # for ref fields: the section whose record ids they name
    acting: str = ""  # entity fields naming who acts: "country" maps a country to its government (shorthand),
    #                   "authority" also requires a state body to be part of its country's government


@dataclass(frozen=True)
class Section:
    cls: URIRef | None
    fields: dict[str, Field]
    label: str  # how to name a record of it in labels: format string over field labels


EVIDENCE_KEYS = {"quote", "quotes", "occurrence", "claimed_by", "date_note"}

SECTIONS: dict[str, Section] = {
    "mentions": Section(None, {
        "entity": Field("entity", required=True),
    }, "{entity}"),
    "events": Section(None, {
        "event": Field("entity", required=True, types=("Event", "Legislation")),  # a law's adoption date too
        "date": Field("date", SCHEMA.startDate),
        "end_date": Field("date", SCHEMA.endDate),
        "place": Field("entity", SCHEMA.location, types=("Place",)),
        "deaths": Field("int", DOS.deathToll),
    }, "{event}"),
    "participations": Section(DOS.Participation, {
        "participant": Field("entity", DOS.participant, True, AGENTS),
        "event": Field("entity", DOS.inEvent, True, ("Event", "Legislation")),  # a bill's sponsor too
        "role": Field("concept", DOS.role, True, scheme=DOS.ParticipationRoles),
    }, "{participant} as {role} at {event}"),
    "designations": Section(DOS.Designation, {
        "authority": Field("entity", DOS.authority, True, ("Organization", "Place"), acting="authority"),
        "designee": Field("entity", DOS.designee, True, AGENTS),
        "type": Field("concept", DOS.designationType, True, scheme=DOS.DesignationTypes),
        "status": Field("concept", DOS.status, True, scheme=DOS.DesignationStatuses),
        "listed": Field("date", DOS.listingDate),
        "start": Field("date", SCHEMA.startDate),
        "end": Field("date", SCHEMA.endDate),
        "list_name": Field("text", DOS.listName),
        "legal_basis": Field("entities", DOS.legalBasis, types=("Legislation",)),
        "called_for_in": Field("entities", DOS.calledForIn, types=("Event", "Legislation")),
    }, "{type} of {designee} by {authority}"),
    "statements": Section(DOS.Statement, {
        "type": Field("concept", DOS.statementType, True, scheme=DOS.StatementTypes),
        "speaker": Field("entity", DOS.speaker, False, AGENTS),  # or speaker_described; one of them
        "speaker_described": Field("described", DOS.speaker),
        "addressee": Field("entity", DOS.addressee, False, ("Organization", "Person", "Place"), acting="country"),
        "date": Field("date", DCTERMS.date),
        "about": Field("entities", DOS.about),
        "content": Field("text", DOS.content, True),
        "in_response_to": Field("ref", DOS.inResponseTo),
        "reports": Field("refs", DOS.reports),
        "calls_for": Field("refs", DOS.callsFor, section="designations"),
    }, "{type} by {speaker}"),
    "quantities": Section(DOS.Quantity, {
        "of": Field("entity", DOS.quantityOf, True),
        "counts": Field("concept", DOS.counts, True, scheme=DOS.Measures),
        "value": Field("int", SCHEMA.value, True),
        "qualifier": Field("concept", DOS.qualifier, True, scheme=DOS.Qualifiers),
        "group": Field("text", DOS.group),
        "subset_of": Field("ref", DOS.subsetOf, section="quantities"),
    }, "{counts}, {of}"),
    "memberships": Section(DOS.Membership, {
        "member": Field("entity", ORG.member, True, AGENTS),
        "organization": Field("entity", ORG.organization, True, ("Organization",)),
        "kind": Field("concept", DOS.membershipType, True, scheme=DOS.MembershipTypes),
        "role": Field("text", DOS.roleName),
        "start": Field("date", SCHEMA.startDate),
        "end": Field("date", SCHEMA.endDate),
        "held_on": Field("date", DOS.heldOn),  # a date the source says the office was held on ("in 2012, then-Secretary")
    }, "{member} in {organization}"),
}

SOURCE_FIELDS: dict[str, Field] = {
    "id": Field("text", required=True),
    "title": Field("text", SCHEMA.name, True),
    "genre": Field("concept", DOS.genre, True, scheme=DOS.Genres),
    "author": Field("entities", SCHEMA.author, True, AGENTS),
    "publisher": Field("entity", SCHEMA.publisher, True, AGENTS),
    "credit": Field("entity", DOS.credit, False, AGENTS),  # the agency whose copy it is, apart from byline and publisher
    "published": Field("date", SCHEMA.datePublished, True),
    "date_inferred": Field("text", DOS.dateInference, True),
    "sha256": Field("text", required=True),
    "received_as": Field("text", DOS.seedFile),
    "language": Field("text", SCHEMA.inLanguage, True),
    "url": Field("url", SCHEMA.url),  # an absolute http(s) IRI, never a relative one
    "excerpt": Field("bool", DOS.excerpt),  # true: the stored text is a part of the document, not all of it
}

EXPECT_KEYS = {"entities"} | {f"min_{name}" for name in SECTIONS}
TOP_KEYS = {"source", "expect"} | set(SECTIONS)
