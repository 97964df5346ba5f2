"""SHACL validation (pyshacl) of the built graph, with each violation traced back to file:line."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pyshacl import validate as shacl_validate
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SH

from .problems import Problem


@dataclass(frozen=True)
class Violation:
    focus: str
    path: str
    message: str
    shape: str


def shacl(data: Graph, shapes_path: Path, ontology: Graph) -> list[Violation]:
    """Run the shapes over ``data`` (with the ontology for class hierarchy); return every violation."""
    shapes = Graph().parse(shapes_path, format="turtle")
    full = Graph()
    for g in (data, ontology):  # the ontology holds the class hierarchy and the SKOS concepts
        for t in g:
            full.add(t)
    conforms, report, _ = shacl_validate(
        full, shacl_graph=shapes, inference="none",
        advanced=True, allow_warnings=False, abort_on_first=False,
    )
    if conforms:
        return []
    if not isinstance(report, Graph):
        raise RuntimeError(f"{shapes_path}: the shapes could not be run: {report}")
    out = []
    for res in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(res, SH.focusNode)
        path = report.value(res, SH.resultPath)
        msgs = sorted(str(m) for m in report.objects(res, SH.resultMessage))
        shape = report.value(res, SH.sourceShape)
        if not isinstance(shape, URIRef):  # an anonymous property shape: name its node shape
            shape = next(iter(shapes.subjects(SH.property, shape)), None) or next(iter(shapes.subjects(SH.sparql, shape)), None)
        out.append(Violation(str(focus), _short(path), "; ".join(msgs) or "violates a shape", _short(shape)))
    return sorted(set(out), key=lambda v: (v.focus, v.path, v.message))


def _short(term) -> str:
    if term is None:
        return ""
    s = str(term)
    for sep in ("#", "/"):
        if sep in s and isinstance(term, URIRef):
            return s.rsplit(sep, 1)[1]
    return s


def locate(violations: list[Violation], locations: dict[URIRef, tuple[str, int]]) -> list[Problem]:
    """Map each violation's focus node to the mapping file and line that produced it."""
    problems = []
    for v in violations:
        node = URIRef(v.focus.split("#", 1)[0])
        file, line = locations.get(node, locations.get(URIRef(v.focus), ("graph", 0)))
        what = f"{v.path}: {v.message}" if v.path else v.message
        shape = f" [{v.shape}]" if v.shape else ""
        problems.append(Problem(file, line, v.focus.rsplit("/", 1)[-1], f"{what}{shape}"))
    return sorted(set(problems))
