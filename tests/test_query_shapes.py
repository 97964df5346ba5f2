"""Every query the project ships (the examples in queries/, the server's own in dossier/serve/sparql/)
is written so that Oxigraph's planner can start from its selective patterns.

Oxigraph does not move a required pattern ahead of an OPTIONAL or a BIND written before it: it
evaluates that pattern on its own, over the whole store, and joins afterwards. At N = 10,000
documents that turned queries of milliseconds into 20-60 s ones. Likewise an EXISTS inside a BIND
was planned from a pattern of its own, not the row's bindings (2 ms a row there): such a flag is
joined from a subquery instead.
BENCHMARKS.md ("Endpoint", under the targets at N = 10,000) gives the figures.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib.plugins.sparql import prepareQuery
from rdflib import Variable
from rdflib.plugins.sparql.parserutils import CompValue

from conftest import ROOT

SHIPPED = sorted((ROOT / "queries").glob("*.rq")) + sorted((ROOT / "dossier" / "serve" / "sparql").glob("*.rq"))

pytestmark = pytest.mark.unit


def _nodes(node):
    """Every algebra node under ``node`` (expressions included), depth first."""
    if isinstance(node, CompValue):
        yield node
        for value in node.values():
            yield from _nodes(value)
    elif isinstance(node, (list, tuple)):
        for value in node:
            yield from _nodes(value)


def _has_triples(node) -> bool:
    return any(n.name == "BGP" and n.triples for n in _nodes(node))


def _unwrap(node):
    while isinstance(node, CompValue) and node.name == "Filter":
        node = node.p
    return node


def plan_problems(text: str) -> list[str]:
    """What in ``text`` keeps Oxigraph from planning it well, one line each; none means fine."""
    problems = []
    for node in _nodes(prepareQuery(text).algebra):
        if node.name == "Join":
            left = _unwrap(node.p1)
            if isinstance(left, CompValue) and left.name in ("LeftJoin", "Extend") and _has_triples(node.p2):
                kind = "an OPTIONAL" if left.name == "LeftJoin" else "a BIND"
                problems.append(f"a required triple pattern follows {kind} in its group: move it before {kind[2:].strip()}")
        if node.name == "Extend":
            for exists in (n for n in _nodes(node.expr) if n.name == "Builtin_EXISTS"):
                if _own_start(exists.graph, _variables(node.p)):
                    problems.append(f"BIND (EXISTS ...) AS ?{node.var} joins patterns through a variable of its own: "
                                    "join the flag from a SELECT DISTINCT subquery instead")
    return problems


def _variables(node) -> set:
    return {t for n in _nodes(node) if n.name == "BGP" for triple in n.triples for t in triple if isinstance(t, Variable)}


def _own_start(pattern, outer: set) -> bool:
    """Whether an EXISTS pattern of two or more triple patterns has one that binds none of the row's
    variables (``outer``): Oxigraph may start there and scan the store once per row, e.g.
    ``?d a dos:Disagreement ; dos:statedValue ?v`` with only ?v from the row."""
    triples = [t for n in _nodes(pattern) if n.name == "BGP" for t in n.triples]
    return len(triples) > 1 and any(not ({x for x in t if isinstance(x, Variable)} & outer) for t in triples)


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_query_puts_required_patterns_first(path: Path):
    problems = plan_problems(path.read_text(encoding="utf-8"))
    assert not problems, f"{path.relative_to(ROOT)}: " + "; ".join(problems)


@pytest.mark.parametrize("text, expected", [
    ("SELECT * { ?s ?p ?o OPTIONAL { ?s <urn:a> ?a } ?o <urn:b> ?b }", "follows an OPTIONAL"),
    ("SELECT * { ?s ?p ?o BIND (1 AS ?one) ?o <urn:b> ?b }", "follows a BIND"),
    ("SELECT * { ?s ?p ?o BIND (EXISTS { ?d a <urn:C> ; <urn:a> ?o } AS ?flag) }", "BIND (EXISTS ...) AS ?flag"),
])
def test_the_check_finds_each_shape_it_names(text, expected):
    assert any(expected in p for p in plan_problems(text))


def test_the_check_allows_required_patterns_first():
    assert plan_problems("SELECT * { ?s ?p ?o ; <urn:b> ?b OPTIONAL { ?s <urn:a> ?a } BIND (STR(?o) AS ?x) FILTER (?x != '') }") == []
