"""The ontology is the single source of truth for terms: its contributor rules (every term labelled and defined...)
are checked by `dossier validate`; the code's namespace is closed over it."""

from __future__ import annotations

import pytest
from rdflib import Graph, URIRef

from conftest import ROOT, copy_project, run_dossier
from dossier.namespace import DOS
from dossier.ontology_rules import check_ontology
from dossier.problems import Problems

ONT = Graph().parse(ROOT / "ontology" / "dossier.ttl")
DOS_NS = str(DOS._NS)
TERMS = sorted({s for s in ONT.subjects() if isinstance(s, URIRef) and str(s).startswith(DOS_NS)})


def test_validate_reports_an_undefined_term_and_an_unaligned_class_at_their_lines(tmp_path):
    """The ontology's contributor rules (every term labelled and defined, every class aligned to a shared
    vocabulary, every concept with notation, label and definition) are checked by `dossier validate`."""
    root = copy_project(tmp_path / "p")
    ttl = root / "ontology" / "dossier.ttl"
    text = ttl.read_text(encoding="utf-8")
    agent = ("dos:Agent a owl:Class ;\n    rdfs:subClassOf prov:Agent ;\n    rdfs:label \"Agent\"@en ;\n"
             "    skos:definition \"A person or organization that can act, speak, designate or take part in an event.\"@en .\n")
    assert agent in text
    line = text[:text.index(agent)].count("\n") + 1
    ttl.write_text(text.replace(agent, "dos:Agent a owl:Class ;\n    rdfs:label \"Agent\"@en .\n"), encoding="utf-8")
    proc = run_dossier("validate", cwd=root)
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0
    assert f"ontology/dossier.ttl:{line}: Agent: no skos:definition" in out
    assert f"ontology/dossier.ttl:{line}: Agent: a class aligned to no other one" in out
    assert "rdfs:label" not in out, out


def test_the_ontology_meets_its_rules():
    problems = Problems()
    check_ontology(ONT, ROOT / "ontology" / "dossier.ttl", "ontology/dossier.ttl", problems)
    assert not problems, "\n".join(p.human() for p in problems.items)


def test_code_namespace_matches_ontology():
    declared = {str(DOS_NS) + name for name in DOS.__annotations__}
    assert declared == {str(t) for t in TERMS}, "dossier/namespace.py DOS and ontology/dossier.ttl disagree"


def test_namespace_is_closed():
    with pytest.raises(AttributeError):
        DOS.Organisation  # noqa: B018 - a typo must raise, not mint a term
