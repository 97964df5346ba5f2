"""The simpler SHACL shapes, checked in plain Python instead of by pyshacl.

pyshacl spends most of a document's validation walking its generic machinery for constraints as
simple as "one rdfs:label" or "a value of class dos:Agent". A property shape whose path is an
IRI or a sequence of IRIs, whose constraints are only sh:minCount, sh:maxCount, sh:class,
sh:datatype, sh:pattern (with sh:flags), sh:nodeKind sh:IRI, sh:minLength and the value ranges
(sh:minInclusive...), and which has its own sh:message, (and sh:node, sh:qualifiedValueShape with
counts, where the shape named is itself made of these, of sh:or / sh:not of them, or of property
shapes with such constraints; paths may be inverse) is checked here with pyshacl's semantics
(value nodes, rdf:type/rdfs:subClassOf* for sh:class, ill-typed literals failing sh:datatype,
pattern matched on the value's string, ranges compared as pyshacl compares literals). So are a
node shape's own constraints on its focus node (sh:or, sh:not, sh:class...) when it has its own
sh:message. It gives one violation per focus node and shape, as validate.Violation keeps them.
Everything else stays with pyshacl, and tests compare the two on every shapes example and on
the corpus.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal

from pyshacl.rdfutil.compare import compare_literal
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SH, XSD

_DOC = {RDF.type, SH.message, SH.name, SH.description, RDFS.comment, RDFS.label}
#: The value ranges, each with what pyshacl's comparison of a value with the bound must give.
_RANGES = {SH.minInclusive: lambda c: c >= 0, SH.minExclusive: lambda c: c > 0,
           SH.maxInclusive: lambda c: c <= 0, SH.maxExclusive: lambda c: c < 0}
_VALUE = {SH["class"], SH.datatype, SH.pattern, SH.flags, SH.nodeKind, SH.minLength, SH.node, SH["or"],
          SH["not"]} | set(_RANGES) | _DOC
_COUNTS = {SH.path, SH.minCount, SH.maxCount}
_SIMPLE = _COUNTS | {SH.qualifiedValueShape, SH.qualifiedMinCount, SH.qualifiedMaxCount} | _VALUE
_NODE_OK = {RDF.type, SH.targetClass, SH.property, SH.sparql, SH.message, SH.name, SH.description, RDFS.comment,
            RDFS.label, SH["or"], SH["not"], SH["and"], SH.xone}
_TYPE, _SUBCLASS = RDF.type, RDFS.subClassOf  # (rdflib's namespace attributes are slow to look up in a loop)
#: What a node shape may hold beside the constraints on its focus node that this module checks.
_NODE_FRAME = {SH.targetClass, SH.property, SH.sparql}
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
        check = _compile_node(shapes, node)
        if check is not None:
            out.append(check)
    return out


def node_constraints(shapes: Graph, node) -> list[tuple]:
    """A node shape's own constraints on its focus node: its triples with a constraint parameter."""
    return sorted((t for t in shapes.triples((node, None, None)) if t[1] in _VALUE - _DOC), key=str)


def _compile_node(g: Graph, node: URIRef) -> "PropertyCheck | None":
    """The check of a node shape's own constraints (path: the focus node itself), if it has some."""
    messages = list(g.objects(node, SH.message))
    if not node_constraints(g, node) or not messages \
            or not all(isinstance(m, Literal) and "{" not in str(m) for m in messages):
        return None
    try:
        value = _value_test(g, node, 0, _NODE_FRAME | _VALUE)
    except _Unsupported:
        return None
    return PropertyCheck(node_shape=node, shape=node, name=path_text(g, node), path=(), path_text="",
                         message="; ".join(sorted(str(m) for m in messages)), min_count=None, max_count=None,
                         value=value, qualified=None)


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
    """The constraints one value must satisfy (a property shape's, or a shape's given by sh:node, sh:or, sh:not).

    With a ``path`` (a property shape inside sh:node, sh:or or sh:not), the value is the focus node
    of that shape: its values along the path are counted and must each satisfy the constraints.
    """

    classes: tuple = ()
    datatype: URIRef | None = None
    pattern: re.Pattern | None = None
    iri_only: bool = False
    min_length: int | None = None
    ranges: tuple = ()  # (bound, test of pyshacl's comparison) per sh:minInclusive...
    all_of: tuple = ()  # ValueTests (sh:node)
    any_of: tuple = ()  # ValueTests (sh:or)
    none_of: tuple = ()  # ValueTests (sh:not)
    path: tuple | None = None  # (IRI, inverse?) steps
    min_count: int | None = None
    max_count: int | None = None


def _value_test(g: Graph, shape, depth: int = 0, allowed: set | None = None) -> ValueTest:
    nested_path = depth > 0 and (shape, SH.path, None) in g
    allowed = allowed or ((_VALUE | _COUNTS) if nested_path else _VALUE if depth else _SIMPLE)
    if depth > 8 or any(p not in allowed for p, _ in g.predicate_objects(shape)):
        raise _Unsupported
    if g.value(shape, SH.deactivated) is not None or (depth and (shape, SH.property, None) in g):
        raise _Unsupported
    kind = _one(g, shape, SH.nodeKind)
    if kind not in (None, SH.IRI) or len(list(g.objects(shape, SH["or"]))) > 1:
        raise _Unsupported
    pattern, length, flags = _one(g, shape, SH.pattern), _one(g, shape, SH.minLength), _one(g, shape, SH.flags)
    ranges = []
    for p, accept in _RANGES.items():
        for bound in sorted(g.objects(shape, p), key=str):
            if not isinstance(bound, Literal):
                raise _Unsupported
            ranges.append((bound, accept))
    path, min_count, max_count = None, None, None
    if nested_path:
        path = _steps(g, g.value(shape, SH.path))
        if path is None:
            raise _Unsupported
        low, high = _one(g, shape, SH.minCount), _one(g, shape, SH.maxCount)
        min_count, max_count = (int(low) if low is not None else None), (int(high) if high is not None else None)
    return ValueTest(
        classes=tuple(sorted(g.objects(shape, SH["class"]), key=str)),
        datatype=_one(g, shape, SH.datatype), pattern=_pattern(pattern, flags),
        iri_only=kind is not None, min_length=int(length) if length is not None else None, ranges=tuple(ranges),
        all_of=tuple(_value_test(g, s, depth + 1) for s in sorted(g.objects(shape, SH.node), key=str)),
        any_of=tuple(_value_test(g, s, depth + 1) for lst in g.objects(shape, SH["or"]) for s in g.items(lst)),
        none_of=tuple(_value_test(g, s, depth + 1) for s in g.objects(shape, SH["not"])),
        path=path, min_count=min_count, max_count=max_count,
    )


def _pattern(pattern, flags) -> re.Pattern | None:
    """sh:pattern compiled as pyshacl compiles it: of sh:flags, only "i" and "m" count."""
    if pattern is None:
        return None
    if flags is not None and not isinstance(flags, Literal):
        raise _Unsupported
    text = str(flags.value if flags is not None else "").lower()
    return re.compile(str(pattern), (re.I if "i" in text else 0) | (re.M if "m" in text else 0))


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


_NOTHING: frozenset = frozenset()


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
            if p == _TYPE:
                self.types.setdefault(s, set()).add(o)
            elif p == _SUBCLASS:
                self.supers.setdefault(s, set()).add(o)
        self._closure: dict = {}
        self._instances: dict | None = None

    def _get(self, table: str, key) -> set:
        """What ``table`` holds for ``key`` here and in the base (not to be changed: it may be either's own set)."""
        mine = getattr(self, table).get(key)
        theirs = getattr(self.base, table).get(key) if self.base is not None else None
        if not theirs:
            return mine or _NOTHING
        return theirs if not mine else mine | theirs

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
    if test.path is not None:
        values = index.values(v, test.path)
        if (test.min_count is not None and len(values) < test.min_count) \
                or (test.max_count is not None and len(values) > test.max_count):
            return False
        return all(_satisfies(test, index, x) for x in values)
    return _satisfies(test, index, v)


def _satisfies(test: ValueTest, index: Index, v) -> bool:
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
    if not all(_in_range(v, bound, accept) for bound, accept in test.ranges):
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


def _in_range(v, bound: Literal, accept) -> bool:
    """pyshacl's value range test: only a literal compares, and never a string with a non-string."""
    if not isinstance(v, Literal) or isinstance(v.value, str) != isinstance(bound.value, str):
        return False
    try:
        return accept(compare_literal(v, bound))
    except (TypeError, NotImplementedError):
        return False


def _string(v) -> str:
    if isinstance(v, Literal) and v.value is not None and v.datatype in (None, RDF.langString, XSD.string):
        return str(v.value)
    return str(v)
