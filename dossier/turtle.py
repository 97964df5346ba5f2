"""Reading Turtle without letting a relative IRI through.

rdflib resolves a relative IRI (``<foo>``, ``<#bar>``, ``<../x>``) against the location it
parsed from: the file's path, or the process's working directory for a string. The result
(``file:///home/someone/foo``) depends on the machine and silently enters the graph. We parse
with a fixed base that no real IRI uses and refuse any IRI that resolved against it; a file
that wants relative IRIs declares ``@base`` itself.
"""

from __future__ import annotations

import re
from pathlib import Path

from rdflib import Graph, Literal, URIRef

GUARD_BASE = "https://relative-iri.invalid/"


class RelativeIRIError(ValueError):
    """A Turtle file used relative IRIs without declaring @base; ``problems`` are 'file:line: ...' lines."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


def parse_turtle(path: Path, display: str | None = None, graph: Graph | None = None) -> Graph:
    """Parse one Turtle file into ``graph`` (a new one by default); raise RelativeIRIError on a relative IRI."""
    text = Path(path).read_text(encoding="utf-8")
    return parse_turtle_text(text, display or Path(path).as_posix(), graph)


def parse_turtle_text(text: str, display: str, graph: Graph | None = None) -> Graph:
    """Parse Turtle given as text (``display`` names it in errors); see parse_turtle."""
    g = Graph() if graph is None else graph
    part = Graph().parse(data=text, format="turtle", publicID=GUARD_BASE)
    if any(str(iri).startswith(GUARD_BASE) for iri in _iris(part)):
        written = _relative_refs(text)
        raise RelativeIRIError([
            f"{display}:{line}: relative IRI <{ref}> would be resolved against the folder the parser runs in: "
            "write an absolute IRI (or declare @base)"
            for line, ref in written
        ] or [f"{display}: an IRI resolved against the parser's base: write absolute IRIs (or declare @base)"])
    for t in part:
        g.add(t)
    for prefix, ns in part.namespaces():
        g.bind(prefix, ns, override=False)
    return g


def _iris(g: Graph):
    for triple in g:
        for term in triple:
            if isinstance(term, URIRef):
                yield term
            elif isinstance(term, Literal) and term.datatype is not None:
                yield term.datatype


_IRIREF = re.compile(r"<([^<>\"{}|^`\\\x00-\x20]*)>")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")


def _relative_refs(text: str) -> list[tuple[int, str]]:
    """(line, reference) for every IRI reference written without a scheme, outside comments."""
    out = []
    for lineno, line in enumerate(text.splitlines(), start=1):
        if line.lstrip().startswith("#"):
            continue
        for m in _IRIREF.finditer(line):
            if not _SCHEME.match(m.group(1)):
                out.append((lineno, m.group(1)))
    return out
