"""The simplest SHACL property shapes, checked in plain Python instead of by pyshacl.

pyshacl spends most of a document's validation walking its generic machinery for constraints as
simple as "one rdfs:label" or "a value of class dos:Agent". A property shape whose path is an
IRI or a sequence of IRIs, whose constraints are only sh:minCount, sh:maxCount, sh:class,
sh:datatype, sh:pattern, sh:nodeKind sh:IRI and sh:minLength, and which has its own sh:message,
(and sh:node, sh:qualifiedValueShape with counts, where the shape named is itself made of these
and sh:or / sh:not of them; paths may be inverse) is checked here with pyshacl's semantics (value nodes, rdf:type/rdfs:subClassOf* for sh:class,
ill-typed literals failing sh:datatype, pattern matched on the value's string). It gives one
violation per focus node and shape, as validate.Violation keeps them. Everything else stays with
pyshacl, and tests compare the two on every shapes example and on the corpus.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SH, XSD

_DOC = {RDF.type, SH.message, SH.name, SH.description, RDFS.comment, RDFS.label}
_VALUE = {SH["class"], SH.datatype, SH.pattern, SH.nodeKind, SH.minLength, SH.node, SH["or"], SH["not"]} | _DOC
_SIMPLE = {SH.path, SH.minCount, SH.maxCount, SH.qualifiedValueShape, SH.qualifiedMinCount, SH.qualifiedMaxCount} | _VALUE
_NODE_OK = {RDF.type, SH.targetClass, SH.property, SH.sparql, SH.message, SH.name, SH.description, RDFS.comment,
            RDFS.label, SH["or"], SH["not"], SH["and"], SH.xone}
#: Predicates through which one shape is used inside another: such shapes stay whole with pyshacl.
REFERENCING = {SH.node, SH["not"], SH["and"], SH["or"], SH.xone, SH.qualifiedValueShape, RDF.first}
_PYTHON_TYPES = {XSD.string: (str, bytes), RDF.langString: (str, bytes), XSD.integer: (int,), XSD.float: (float,),
                 XSD.decimal: (Decimal,), XSD.boolean: (bool,), XSD.date: (date,), XSD.time: (time,),
                 XSD.dateTime: (datetime,)}


def path_text(g: Graph, path) -> str:
    """A shape path as short text: ``label``, ``hasTarget/hasSource``, ``^hasBody``."""
    if isinstance(path, URIRef):
        s = str(path)
        for sep in ("#", "/"):
            if sep in s:
                return s.rsplit(sep, 1)[1]
        return s
    if path is None:
        return ""
    if (path, RDF.first, None) in g:
        return "/".join(path_text(g, p) for p in g.items(path))
    inverse = g.value(path, SH.inversePath)
    if inverse is not None:
        return "^" + path_text(g, inverse)
    return str(path)


@dataclass(frozen=True)
class PropertyCheck:
    """One property shape of one node shape, checked here."""

    node_shape: URIRef
    shape: URIRef | BNode
    name: str  # the shape as violations name it
    path: tuple  # (IRI, inverse?) steps, followed in order
    path_text: str
    message: str
    min_count: int | None
    max_count: int | None
    value: "ValueTest"  # what each value must satisfy
    qualified: tuple | None  # (ValueTest, min, max): how many values must satisfy it


def compile_checks(shapes: Graph) -> list[PropertyCheck]:
    """The property shapes (with their node shapes) this module can check, in a fixed order."""
    referenced = {o for _, p, o in shapes if p in REFERENCING}
    out = []
    for node in sorted(set(shapes.subjects(SH.targetClass, None)), key=str):
        if node in referenced or not isinstance(node, URIRef) or (node, RDF.type, RDFS.Class) in shapes \
                or (node, RDF.type, OWL.Class) in shapes or any(p not in _NODE_OK for p, _ in shapes.predicate_objects(node)):
            continue
        for ps in sorted(shapes.objects(node, SH.property), key=str):
            check = _compile(shapes, node, ps, referenced)
            if check is not None:
                out.append(check)
    return out


def _steps(g: Graph, path) -> tuple | None:
    if isinstance(path, URIRef):
        return ((path, False),)
    inverse = g.value(path, SH.inversePath) if isinstance(path, BNode) else None
    if isinstance(inverse, URIRef) and len(list(g.predicate_objects(path))) == 1:
        return ((inverse, True),)
    if isinstance(path, BNode) and (path, RDF.first, None) in g:
        items = list(g.items(path))
        if all(isinstance(s, URIRef) for s in items):
            return tuple((s, False) for s in items)
    return None


def _one(g: Graph, shape, p):
    found = list(g.objects(shape, p))
    if len(found) > 1:
        raise _Unsupported
    return found[0] if found else None


class _Unsupported(Exception):
    """A shape uses something this module does not check: pyshacl keeps it."""


@dataclass(frozen=True)
class ValueTest:
    """The constraints one value must satisfy (a property shape's, or a shape's given by sh:node, sh:or, sh:not)."""

    classes: tuple = ()
    datatype: URIRef | None = None
    pattern: re.Pattern | None = None
    iri_only: bool = False
    min_length: int | None = None
    all_of: tuple = ()  # ValueTests (sh:node)
    any_of: tuple = ()  # ValueTests (sh:or)
    none_of: tuple = ()  # ValueTests (sh:not)


def _value_test(g: Graph, shape, depth: int = 0) -> ValueTest:
    if depth > 8 or any(p not in (_VALUE if depth else _SIMPLE) for p, _ in g.predicate_objects(shape)):
        raise _Unsupported
    if g.value(shape, SH.deactivated) is not None or (depth and (shape, SH.property, None) in g):
        raise _Unsupported
    kind = _one(g, shape, SH.nodeKind)
    if kind not in (None, SH.IRI) or len(list(g.objects(shape, SH["or"]))) > 1:
        raise _Unsupported
    pattern, length = _one(g, shape, SH.pattern), _one(g, shape, SH.minLength)
    return ValueTest(
        classes=tuple(sorted(g.objects(shape, SH["class"]), key=str)),
        datatype=_one(g, shape, SH.datatype), pattern=re.compile(str(pattern)) if pattern is not None else None,
        iri_only=kind is not None, min_length=int(length) if length is not None else None,
        all_of=tuple(_value_test(g, s, depth + 1) for s in sorted(g.objects(shape, SH.node), key=str)),
        any_of=tuple(_value_test(g, s, depth + 1) for lst in g.objects(shape, SH["or"]) for s in g.items(lst)),
        none_of=tuple(_value_test(g, s, depth + 1) for s in g.objects(shape, SH["not"])),
    )


def _compile(g: Graph, node: URIRef, ps, referenced: set) -> PropertyCheck | None:
    if ps in referenced:
        return None
    steps = _steps(g, g.value(ps, SH.path))
    messages = list(g.objects(ps, SH.message))
    if steps is None or not messages or not all(isinstance(m, Literal) and "{" not in str(m) for m in messages):
        return None
    try:
        value = _value_test(g, ps)
        min_count, max_count = _one(g, ps, SH.minCount), _one(g, ps, SH.maxCount)
        qshape = _one(g, ps, SH.qualifiedValueShape)
        qmin, qmax = _one(g, ps, SH.qualifiedMinCount), _one(g, ps, SH.qualifiedMaxCount)
        qualified = None
        if qshape is not None:
            qualified = (_value_test(g, qshape, 1), int(qmin) if qmin is not None else None,
                         int(qmax) if qmax is not None else None)
        elif qmin is not None or qmax is not None:
            return None
    except _Unsupported:
        return None
    name = path_text(g, ps) if isinstance(ps, URIRef) else path_text(g, node)
    return PropertyCheck(
        node_shape=node, shape=ps, name=name, path=steps, path_text=path_text(g, g.value(ps, SH.path)),
        message="; ".join(sorted(str(m) for m in messages)),
        min_count=int(min_count) if min_count is not None else None,
        max_count=int(max_count) if max_count is not None else None,
        value=value, qualified=qualified,
    )


class Index:
    """Triples by subject and predicate, with each node's types and each class's superclasses;
    over ``triples`` and, beneath them, a ``base`` index (the ontology's, made once)."""

    def __init__(self, triples, base: "Index | None" = None):
        self.out: dict = {}
        self.inn: dict = {}
        self.types: dict = {}
        self.supers: dict = {}
        self.base = base
        for s, p, o in triples:
            self.out.setdefault((s, p), set()).add(o)
            self.inn.setdefault((o, p), set()).add(s)
            if p == RDF.type:
                self.types.setdefault(s, set()).add(o)
            elif p == RDFS.subClassOf:
                self.supers.setdefault(s, set()).add(o)
        self._closure: dict = {}
        self._instances: dict | None = None

    def _get(self, table: str, key) -> set:
        mine = getattr(self, table).get(key, set())
        return mine | getattr(self.base, table).get(key, set()) if self.base is not None else mine

    def values(self, node, steps: tuple) -> set:
        current = {node}
        for p, inverse in steps:
            current = {v for n in current for v in self._get("inn" if inverse else "out", (n, p))}
        return current

    def ancestors(self, cls) -> set:
        """``cls`` and every class it is a subclass of, through rdfs:subClassOf*."""
        found = self._closure.get(cls)
        if found is None:
            found, todo = {cls}, [cls]
            while todo:
                for sup in self._get("supers", todo.pop()):
                    if sup not in found:
                        found.add(sup)
                        todo.append(sup)
            self._closure[cls] = found
        return found

    def is_a(self, node, cls) -> bool:
        return any(cls in self.ancestors(t) for t in self._get("types", node))

    def instances(self, cls) -> set:
        """The nodes with a type that is ``cls`` or a subclass of it."""
        if self._instances is None:
            self._instances = {}
            nodes = set(self.types) | (set(self.base.types) if self.base is not None else set())
            for n in nodes:
                for a in {a for t in self._get("types", n) for a in self.ancestors(t)}:
                    self._instances.setdefault(a, set()).add(n)
        return self._instances.get(cls, set())


def failing(check: PropertyCheck, index: Index, node) -> bool:
    """Whether ``node`` violates ``check``."""
    values = index.values(node, check.path)
    if check.min_count is not None and len(values) < check.min_count:
        return True
    if check.max_count is not None and len(values) > check.max_count:
        return True
    if check.qualified is not None:
        test, low, high = check.qualified
        n = sum(1 for v in values if conforms(test, index, v))
        if (low is not None and n < low) or (high is not None and n > high):
            return True
    return not all(conforms(check.value, index, v) for v in values)


def conforms(test: ValueTest, index: Index, v) -> bool:
    """Whether value ``v`` satisfies ``test``."""
    if any(isinstance(v, Literal) or not index.is_a(v, c) for c in test.classes):
        return False
    if test.datatype is not None and not _has_datatype(v, test.datatype):
        return False
    if test.iri_only and not isinstance(v, URIRef):
        return False
    if test.pattern is not None and (isinstance(v, BNode) or not test.pattern.search(_string(v))):
        return False
    if test.min_length is not None and (isinstance(v, BNode) or len(_string(v)) < test.min_length):
        return False
    if not all(conforms(t, index, v) for t in test.all_of):
        return False
    if test.any_of and not any(conforms(t, index, v) for t in test.any_of):
        return False
    return not any(conforms(t, index, v) for t in test.none_of)


def _has_datatype(v, datatype) -> bool:
    """pyshacl's sh:datatype: a literal of that datatype, not ill-typed, whose value has the expected Python type."""
    if not isinstance(v, Literal):
        return False
    if v.datatype == datatype:
        if getattr(v, "ill_typed", None) is True:
            return False
    elif datatype == RDFS.Literal or (datatype == RDFS.Datatype and v.datatype):
        return True
    elif not ((v.datatype is None and v.language is None and datatype == XSD.string)
              or (datatype == RDF.langString and v.language)):
        return False
    kinds = _PYTHON_TYPES.get(datatype)
    if kinds is None:
        return True
    return isinstance(v.value, kinds)


def _string(v) -> str:
    if isinstance(v, Literal) and v.value is not None and v.datatype in (None, RDF.langString, XSD.string):
        return str(v.value)
    return str(v)
