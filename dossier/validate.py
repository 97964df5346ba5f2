"""SHACL validation of the built graph, with each violation traced back to file:line.

ontology/shapes.ttl is the one statement of what the data may say. ``shacl`` runs all of it with
pyshacl over a graph; that is the reference. Builds use a ``Validator``, which gives the same
violations faster:

- pyshacl runs a SPARQL-based constraint once per focus node, through rdflib's query engine
  (tens of milliseconds each). The Validator takes out each constraint it can run as one query
  for all focus nodes (an sh:select of a node shape reached only through its targets, with
  $this as a subject in it) and runs it in Oxigraph, keeping the rows whose $this is a focus
  node; messages are filled in as pyshacl does. pyshacl runs the rest of the shapes.
- A build validates each document with the registry and the ontology, not the whole union:
  every shape looks at a document's own nodes, the registry and the ontology. What documents say
  about shared nodes (an event's date or toll) is checked with the document saying it; no shape
  counts such values across documents (``cross_document_paths`` names the shape paths that would,
  and the build validates the documents involved together if one ever appears).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from pyshacl import validate as shacl_validate
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SH
from .problems import Problem
from .shapecheck import Index, compile_checks, failing, node_constraints, path_text
from .serialize import from_oxigraph, ntriples as to_ntriples, triples_to_oxigraph
from .turtle import parse_turtle


@dataclass(frozen=True, order=True)
class Violation:
    focus: str
    path: str
    message: str
    shape: str


def shacl(data: Graph, shapes_path: Path, ontology: Graph) -> list[Violation]:
    """Run the shapes over ``data`` (with the ontology for class hierarchy); return every violation."""
    shapes = parse_turtle(shapes_path)
    return _pyshacl(_union(data, ontology), shapes, shapes, str(shapes_path))


def _union(*graphs: Iterable) -> Graph:
    full = Graph()
    for g in graphs:  # the ontology holds the class hierarchy and the SKOS concepts
        for t in g:
            full.add(t)
    return full


def _pyshacl(full: Graph, shapes: Graph, all_shapes: Graph, where: str) -> list[Violation]:
    # not pyshacl's focus_nodes: it filters the value nodes of nested shapes too (sh:qualifiedValueShape)
    conforms, report, _ = shacl_validate(
        full, shacl_graph=shapes, inference="none", inplace=True,
        advanced=True, allow_warnings=False, abort_on_first=False,
    )
    if conforms:
        return []
    if not isinstance(report, Graph):
        raise RuntimeError(f"{where}: the shapes could not be run: {report}")
    out = []
    for res in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(res, SH.focusNode)
        path = report.value(res, SH.resultPath)
        msgs = sorted(str(m) for m in report.objects(res, SH.resultMessage))
        shape = report.value(res, SH.sourceShape)
        if not isinstance(shape, URIRef):  # an anonymous property shape: name its node shape
            shape = (next(iter(all_shapes.subjects(SH.property, shape)), None)
                     or next(iter(all_shapes.subjects(SH.sparql, shape)), None))
        out.append(Violation(str(focus), path_text(report, path), "; ".join(msgs) or "violates a shape", _short(shape)))
    return sorted(set(out))


@dataclass(frozen=True)
class _SparqlCheck:
    shape: URIRef
    constraint: object
    query: str
    messages: tuple[str, ...]
    targets: tuple[tuple[URIRef, object], ...]  # (target predicate, value)


_THIS_AS_SUBJECT = re.compile(r"(^|[{.;]\s*)\$this\s+[^\s.;,)}]", re.MULTILINE)
_UNSUPPORTED = re.compile(r"\$(shapesGraph|currentShape|PATH|value)\b|\?failure\b|\bSERVICE\b", re.IGNORECASE)
_REFERENCING = {SH.node, SH["not"], SH["and"], SH["or"], SH.xone, SH.qualifiedValueShape, SH.property, RDF.first}
_TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)


class Validator:
    """The shapes, split once into what pyshacl runs and what Oxigraph runs; reused for every document."""

    def __init__(self, shapes_path: Path, ontology: Graph, shapes: Graph | None = None):
        self.path = shapes_path
        self.shapes = shapes if shapes is not None else parse_turtle(shapes_path)
        self.ontology = ontology
        self.checks = [c for c in (self._sparql_check(s, c) for s, c in self.shapes.subject_objects(SH.sparql)) if c]
        self.compiled = compile_checks(self.shapes)
        self.core, self.uncompiled = Graph(), Graph()  # for pyshacl: all but what runs elsewhere
        in_sparql = {(c.shape, SH.sparql, c.constraint) for c in self.checks}
        in_python = {(c.node_shape, SH.property, c.shape) for c in self.compiled if c.shape != c.node_shape}
        in_python |= {t for c in self.compiled if c.shape == c.node_shape for t in node_constraints(self.shapes, c.shape)}
        for t in self.shapes:
            if t not in in_sparql:
                self.uncompiled.add(t)
                if t not in in_python:
                    self.core.add(t)
        self._ontology_index = Index(ontology)
        self.core_classes = _target_classes(self.core)  # whose instances pyshacl must check (None: any node)
        self._ontology_ox = triples_to_oxigraph(ontology)
        self._ontology_nt = to_ntriples(ontology)

    def _sparql_check(self, shape, constraint) -> _SparqlCheck | None:
        g = self.shapes
        if (shape, SH.path, None) in g or any(p in _REFERENCING for _, p in g.subject_predicates(shape)):
            return None
        if (shape, RDF.type, RDFS.Class) in g or (shape, RDF.type, OWL.Class) in g or (shape, SH.target, None) in g:
            return None
        if g.value(shape, SH.deactivated) == Literal(True) or g.value(constraint, SH.deactivated) == Literal(True):
            return None
        selects = list(g.objects(constraint, SH.select))
        messages = [m for m in g.objects(constraint, SH.message) if isinstance(m, Literal)]
        own = [m for m in g.objects(shape, SH.message)]
        if len(selects) != 1 or not messages or own or (constraint, SH.ask, None) in g:
            return None
        select = str(selects[0])
        if _UNSUPPORTED.search(select) or not _THIS_AS_SUBJECT.search(select):
            return None
        prefixes = []
        for node in g.objects(constraint, SH.prefixes):
            for decl in g.objects(node, SH.declare):
                prefixes.append(f"PREFIX {g.value(decl, SH.prefix)}: <{g.value(decl, SH.namespace)}>")
        targets = tuple(sorted(((p, o) for p in _TARGETS for o in g.objects(shape, p)), key=str))
        if not targets:
            return None
        return _SparqlCheck(shape, constraint, "\n".join(sorted(set(prefixes))) + "\n" + select,
                            tuple(str(m.value) for m in messages), targets)

    def validate(self, data: Iterable, focus: set | None = None, ntriples: bytes | None = None) -> list[Violation]:
        """Every violation in ``data`` (triples; the ontology is added), only for ``focus`` nodes if given.

        ``ntriples``, when the caller has them, are the same triples as N-Triples: the SPARQL
        constraints' store is loaded from them, which is cheaper than converting each triple.

        With ``focus`` (the build's case), the simplest property shapes are checked in Python
        (shapecheck.py) on those nodes only, and pyshacl and Oxigraph run only shapes that may
        target one of them. Without it, pyshacl runs every shape but the SPARQL ones, and also
        reports what it finds on nested value nodes (sh:node on a literal), as the reference does.
        """
        data = list(data)
        if focus is not None and not any(isinstance(n, URIRef) for n in focus):
            return []
        only = sorted(n for n in focus if isinstance(n, URIRef)) if focus is not None else None
        index = Index(data, self._ontology_index)
        if only is None:
            found = _pyshacl(_union(data, self.ontology), self.uncompiled, self.shapes, str(self.path))
        else:
            found = self._run_compiled(index, only)
            if self._may_target(self.core_classes, index, only):
                found += _pyshacl(_union(data, self.ontology), self.core, self.shapes, str(self.path))
        checks = [c for c in self.checks if self._may_target(_target_classes_of(c.targets), index, only)]
        if checks:
            store = ox.Store()
            if ntriples is None:
                store.extend([ox.Quad(*t) for t in triples_to_oxigraph(data)] + [ox.Quad(*t) for t in self._ontology_ox])
            else:
                store.load(ntriples + self._ontology_nt, format=ox.RdfFormat.N_TRIPLES)
            for check in checks:
                found.extend(self._run(check, store))
        if focus is not None:
            keep = {str(n) for n in focus}
            found = [v for v in found if v.focus in keep]
        return sorted(set(found))

    @staticmethod
    def _may_target(classes: set | None, index: Index, only: list | None) -> bool:
        """Whether shapes targeting instances of ``classes`` (None: something else too) can have a focus node in ``only``."""
        if classes is None or only is None:
            return True
        return any(not index.instances(c).isdisjoint(only) for c in classes)

    def _run_compiled(self, index: Index, only: list | None) -> list[Violation]:
        """The property shapes shapecheck.py checks, over the data and the ontology ``index`` holds."""
        keep = set(only) if only is not None else None
        out = []
        targets: dict = {}
        for check in self.compiled:
            nodes = targets.get(check.node_shape)
            if nodes is None:
                nodes = set()
                for cls in self.shapes.objects(check.node_shape, SH.targetClass):
                    nodes |= index.instances(cls)
                nodes = {n for n in nodes if isinstance(n, URIRef) or keep is None}
                if keep is not None:
                    nodes &= keep
                nodes = targets[check.node_shape] = sorted(nodes, key=str)
            for node in nodes:
                if failing(check, index, node):
                    out.append(Violation(str(node), check.path_text, check.message, check.name))
        return out

    def _run(self, check: _SparqlCheck, store: ox.Store) -> list[Violation]:
        focus = _focus_nodes(store, check.targets)
        out, seen = [], set()
        solutions = store.query(check.query)
        names = [v.value for v in solutions.variables]
        for row in solutions:
            bound = {}
            for var in names:
                val = row[var]
                if val is not None:
                    bound[var] = from_oxigraph(val)
            this = bound.pop("this", None)
            if this is None or this not in focus:
                continue
            path = bound.pop("path", None)
            value = bound.pop("value", None)
            key = (this, path, value, tuple(sorted(bound.items())))
            if key in seen:
                continue
            seen.add(key)
            fill = dict(bound)
            fill["this"] = this
            if path is not None:
                fill["path"] = path
            fill["value"] = value if value is not None else this
            msgs = sorted(_fill(m, fill) for m in check.messages)
            out.append(Violation(str(this), _short(path), "; ".join(msgs), _short(check.shape)))
        return out


#: A shape's triples that check nothing: with only these beside its targets, it can find no violation.
_NOT_CONSTRAINTS = {RDF.type, SH.message, SH.name, SH.description, RDFS.comment, RDFS.label, SH.target, *_TARGETS}


def _target_classes(shapes: Graph) -> set | None:
    """The classes the targets of the shapes with something to check name, or None when such a
    shape targets nodes otherwise."""
    classes = set()
    for s in sorted(set(shapes.subjects()), key=str):
        predicates = set(shapes.predicates(s, None))
        targets = predicates & {SH.target, *_TARGETS}
        implicit = (s, RDF.type, RDFS.Class) in shapes or (s, RDF.type, OWL.Class) in shapes
        if (not targets and not implicit) or predicates <= _NOT_CONSTRAINTS:
            continue
        if implicit or targets != {SH.targetClass}:
            return None
        classes.update(shapes.objects(s, SH.targetClass))
    return classes


def _target_classes_of(targets: tuple) -> set | None:
    return {o for p, o in targets if p == SH.targetClass} if all(p == SH.targetClass for p, _ in targets) else None


def _focus_nodes(store: ox.Store, targets) -> set:
    out = set()
    for p, o in targets:
        if p == SH.targetNode:
            out.add(o)
            continue
        if p == SH.targetClass:
            q = f"SELECT DISTINCT ?n WHERE {{ ?n a/<{RDFS.subClassOf}>* <{o}> }}"
        elif p == SH.targetSubjectsOf:
            q = f"SELECT DISTINCT ?n WHERE {{ ?n <{o}> ?x }}"
        else:
            q = f"SELECT DISTINCT ?n WHERE {{ ?x <{o}> ?n }}"
        out.update(from_oxigraph(row["n"]) for row in store.query(q))
    return out


def _fill(message: str, bound: dict) -> str:
    """pyshacl's substitution of {?var} and {$var} in a SPARQL constraint's message."""
    for var, val in bound.items():
        message = re.sub("{{[?$]{}}}".format(var), str(val), message)
    return message


_BOUNDING = (SH.maxCount, SH.qualifiedMaxCount, SH.disjoint, SH.equals, SH.lessThan, SH.lessThanOrEquals,
             SH.uniqueLang)


def cross_document_paths(shapes: Graph) -> list[tuple[URIRef | None, frozenset | None]]:
    """Where a shape bounds values from above (sh:maxCount, sh:not, sh:closed...): a node given such
    values by two documents could pass each document's validation and fail the union's.

    Returns (predicate, classes): the predicate bounded (None: any) on instances of the classes
    (None: on any node, e.g. a bound in a shape reached through another shape's values).
    """
    referenced = {o for _, p, o in shapes if p in _REFERENCING and p != SH.property}
    owner = {ps: ns for ns, ps in shapes.subject_objects(SH.property)}

    def applies_to(x, seen=()) -> frozenset | None:
        if x in owner and x not in seen:
            return applies_to(owner[x], seen + (x,))
        if x in referenced:
            return None
        classes = frozenset(shapes.objects(x, SH.targetClass))
        other = any((x, t, None) in shapes for t in (SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target))
        return classes if classes and not other else None

    out = []
    for b in _BOUNDING:
        for x in set(shapes.subjects(b, None)):
            path = shapes.value(x, SH.path)
            out.append((path if isinstance(path, URIRef) else None, applies_to(x)))
    for x, negated in shapes.subject_objects(SH["not"]):
        on_values = (x, SH.path, None) in shapes
        for p in _paths_within(shapes, negated):
            out.append((p, None if on_values else applies_to(x)))
    for x in shapes.subjects(SH.closed, Literal(True)):
        out.append((None, applies_to(x)))
    return sorted(set(out), key=str)


def _paths_within(shapes: Graph, node) -> set:
    """The predicates a shape's constraints read (None for a complex path), rdf:type for sh:class."""
    out, todo, seen = set(), [node], set()
    while todo:
        n = todo.pop()
        if n in seen:
            continue
        seen.add(n)
        for p, o in shapes.predicate_objects(n):
            if p == SH.path:
                out.add(o if isinstance(o, URIRef) else None)
            elif p == SH["class"]:
                out.add(RDF.type)
            if isinstance(o, (BNode, URIRef)) and p != SH.path:
                todo.append(o)
    return out


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
