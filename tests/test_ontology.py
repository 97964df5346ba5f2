"""The ontology is the single source of truth for terms: every term labelled and defined, the code's namespace closed over it."""

from __future__ import annotations

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from conftest import ROOT
from dossier.namespace import DOS

ONT = Graph().parse(ROOT / "ontology" / "dossier.ttl")
DOS_NS = str(DOS._NS)
TERMS = sorted({s for s in ONT.subjects() if isinstance(s, URIRef) and str(s).startswith(DOS_NS)})


@pytest.mark.parametrize("term", TERMS, ids=[t.removeprefix(DOS_NS) for t in TERMS])
def test_every_term_has_label_and_definition(term):
    assert ONT.value(term, RDFS.label) is not None, f"{term} lacks rdfs:label in ontology/dossier.ttl"
    assert ONT.value(term, SKOS.definition) is not None, f"{term} lacks skos:definition in ontology/dossier.ttl"


def test_code_namespace_matches_ontology():
    declared = {str(DOS_NS) + name for name in DOS.__annotations__}
    assert declared == {str(t) for t in TERMS}, "dossier/namespace.py DOS and ontology/dossier.ttl disagree"


def test_namespace_is_closed():
    with pytest.raises(AttributeError):
        DOS.Organisation  # noqa: B018 - a typo must raise, not mint a term


def test_own_classes_align_to_shared_vocabularies():
    for cls in ONT.subjects(RDF.type, OWL.Class):
        supers = set(ONT.objects(cls, RDFS.subClassOf))
        assert supers, f"{cls} is aligned to no other class"


def test_concepts_have_notation_label_definition():
    for c in ONT.subjects(RDF.type, SKOS.Concept):
        assert ONT.value(c, SKOS.notation) and ONT.value(c, SKOS.prefLabel) and ONT.value(c, SKOS.definition), c
