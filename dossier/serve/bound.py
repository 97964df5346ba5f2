"""SPARQL from sparql/*.rq with values bound by a VALUES clause, never spliced into the text.

A query file is left as written; ``bound("fact-citation", fact=iri)`` opens its outer WHERE
group with ``VALUES (?fact) { (<iri>) }``, each value written by rdflib's own N-Triples
escaping. (A trailing VALUES block after the query would mean the same, but Oxigraph then
evaluates the whole pattern before joining: slower as the graph grows.)
"""

from __future__ import annotations

from pathlib import Path

from rdflib import Literal, URIRef

SPARQL = Path(__file__).parent / "sparql"


def term(value: URIRef | Literal | str) -> str:
    """A value as a SPARQL term: an IRI for URIRef, else an escaped literal."""
    if isinstance(value, (URIRef, Literal)):
        return value.n3()
    return Literal(str(value)).n3()


def page_clause(limit: int | None, offset: int) -> str:
    """`` LIMIT n OFFSET m`` for a page of results: two non-negative ints, checked, so no text can pass."""
    for number in (limit, offset):
        if number is not None and (type(number) is not int or number < 0):
            raise ValueError(f"a page's LIMIT and OFFSET are non-negative integers, not {number!r}")
    if limit is None:
        return f"\nOFFSET {offset}\n" if offset else ""
    return f"\nLIMIT {limit} OFFSET {offset}\n"


def bound(name: str, limit: int | None = None, offset: int = 0, **values: URIRef | Literal | str | list) -> str:
    """The text of sparql/<name>.rq with each keyword bound (a list binds several rows of one variable).

    ``limit`` and ``offset`` ask for one page of the results: the query must end with its ORDER BY,
    which the LIMIT and OFFSET (integers, never text) follow.
    """
    text = (SPARQL / f"{name}.rq").read_text(encoding="utf-8")
    text = text.rstrip("\n") + "\n" + page_clause(limit, offset) if (limit is not None or offset) else text
    if not values:
        return text
    names = list(values)
    rows: list[list] = [[]]
    for key in names:
        options = values[key] if isinstance(values[key], list) else [values[key]]
        rows = [row + [option] for row in rows for option in options]
    head = " ".join(f"?{n}" for n in names)
    body = " ".join("(" + " ".join(term(v) for v in row) + ")" for row in rows)
    at = text.index("WHERE {") + len("WHERE {")
    return f"{text[:at]}\n  VALUES ({head}) {{ {body} }}{text[at:]}"
