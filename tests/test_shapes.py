"""Every SHACL shape has a passing and a failing example, and each failing one fails on its own shape.

tests/data/valid/<Class>.ttl (or <Class>-<case>.ttl) must conform; tests/data/invalid/<Class>-<defect>.ttl
must fail, every violation must come from the shape its name names (dsh:<Class>Shape, or dsh:<Class>
itself, e.g. dsh:PartialDate), and one violation message must contain the text of its
"# expect:" line. The examples are parsed with dossier.turtle (no relative IRIs) and merged with
ontology/dossier.ttl, which holds the class hierarchy and the controlled vocabularies.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pytest
from pyshacl import validate
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS, SH

from dossier.turtle import parse_turtle

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
SHAPES_FILE = ROOT / "ontology" / "shapes.ttl"
DSH = "https://w3id.org/dossier/shapes#"

VALID = sorted((DATA / "valid").glob("*.ttl"))
INVALID = sorted((DATA / "invalid").glob("*.ttl"))


@lru_cache(maxsize=1)
def shapes() -> Graph:
    return parse_turtle(SHAPES_FILE, "ontology/shapes.ttl")


@lru_cache(maxsize=1)
def ontology() -> Graph:
    return parse_turtle(ROOT / "ontology" / "dossier.ttl", "ontology/dossier.ttl")


def node_shapes() -> dict[str, URIRef]:
    """Example-file class name -> named NodeShape: dsh:SourceShape -> 'Source', dsh:PartialDate -> 'PartialDate'."""
    out = {}
    for s in shapes().subjects(RDF.type, SH.NodeShape):
        if isinstance(s, URIRef) and str(s).startswith(DSH):
            out[str(s)[len(DSH):].removesuffix("Shape")] = s
    return out


def class_of(path: Path) -> str:
    return path.stem.split("-", 1)[0]


def rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def run(path: Path) -> tuple[bool, Graph, Graph]:
    data = Graph()
    parse_turtle(path, rel(path), data)
    for t in ontology():
        data.add(t)
    conforms, report, text = validate(
        data, shacl_graph=shapes(), inference="none", advanced=True, allow_warnings=False, abort_on_first=False,
    )
    assert isinstance(report, Graph), text
    return conforms, report, data


def owners(report: Graph, result, data: Graph) -> set[URIRef]:
    """The named NodeShapes a validation result comes from.

    A node-level constraint (sh:or, sh:not, sh:sparql) names its NodeShape as sh:sourceShape; a
    property shape belongs to the NodeShapes that list it under sh:property (narrowed to those
    that target the focus node, since dsh:HasEvidence and the like are shared); a value that
    fails sh:node also fails the node shape it names (dsh:PartialDate).
    """
    sg = shapes()
    src = report.value(result, SH.sourceShape)
    found: set[URIRef] = set()
    if (src, RDF.type, SH.NodeShape) in sg:
        found.add(src)
    focus = report.value(result, SH.focusNode)
    for shape in sg.subjects(SH.property, src):
        if targets(shape, focus, data):
            found.add(shape)
    if report.value(result, SH.sourceConstraintComponent) == SH.NodeConstraintComponent:
        found.update(sg.objects(src, SH.node))
    return {s for s in found if isinstance(s, URIRef)}


def targets(shape: URIRef, focus, data: Graph) -> bool:
    classes = set(shapes().objects(shape, SH.targetClass))
    if not classes:
        return True
    types = set(data.objects(focus, RDF.type))
    for t in list(types):
        types.update(data.transitive_objects(t, RDFS.subClassOf))
    return bool(classes & types)


def expected_message(path: Path) -> str:
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# expect:"):
            return line.removeprefix("# expect:").strip()
    raise AssertionError(f"{rel(path)}: add a '# expect: <part of the violation message>' line at the top")


def describe(report: Graph) -> str:
    lines = []
    for res in report.objects(None, SH.result):
        lines.append(f"  focus {report.value(res, SH.focusNode)} path {report.value(res, SH.resultPath)}: "
                     f"{'; '.join(str(m) for m in report.objects(res, SH.resultMessage))} "
                     f"[{report.value(res, SH.sourceConstraintComponent)}]")
    return "\n".join(lines)


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.stem)
def test_valid_example_conforms(path: Path):
    conforms, report, _ = run(path)
    assert conforms, f"{rel(path)} should conform to ontology/shapes.ttl but:\n{describe(report)}"


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.stem)
def test_invalid_example_fails_on_its_shape(path: Path):
    shape = node_shapes().get(class_of(path))
    assert shape is not None, f"{rel(path)}: no NodeShape dsh:{class_of(path)}Shape or dsh:{class_of(path)}; rename the file"
    conforms, report, data = run(path)
    assert not conforms, f"{rel(path)} should fail {shape} but conforms"
    results = list(report.objects(None, SH.result))
    strays = [r for r in results if shape not in owners(report, r, data)]
    assert not strays, (f"{rel(path)} must fail only on {shape} (the shape its name names); "
                        f"it also fails elsewhere:\n{describe(report)}")
    want = expected_message(path)
    messages = [str(m) for r in results for m in report.objects(r, SH.resultMessage)]
    assert any(want in m for m in messages), f"{rel(path)}: no violation message contains '{want}':\n{describe(report)}"


@lru_cache(maxsize=1)
def build_validator():
    from dossier.validate import Validator

    return Validator(SHAPES_FILE, ontology())


@pytest.mark.parametrize("path", VALID + INVALID, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_build_validator_agrees(path: Path):
    """The build's Validator (SPARQL constraints run in Oxigraph) finds what pyshacl finds."""
    data = parse_turtle(path, rel(path))
    violations = build_validator().validate(list(data))
    if path.parent.name == "valid":
        assert violations == [], f"{rel(path)}: the build's Validator reports {violations}"
    else:
        shape = node_shapes()[class_of(path)]
        want = expected_message(path)
        assert any(want in v.message for v in violations), f"{rel(path)}: the build's Validator reports {violations}"
        conforms, report, _ = run(path)
        focus = {str(report.value(r, SH.focusNode)) for r in report.objects(None, SH.result)}
        assert focus <= {v.focus for v in violations}, (shape, violations)


def test_every_shape_has_a_passing_and_a_failing_example():
    names = node_shapes()
    missing = [
        f"dsh:{name}: add tests/data/{kind}/{name}{suffix}.ttl"
        for name in sorted(names)
        for kind, files, suffix in (("valid", VALID, ""), ("invalid", INVALID, "-<defect>"))
        if not any(class_of(p) == name for p in files)
    ]
    assert not missing, "shapes without examples:\n" + "\n".join(missing)


def test_every_example_names_a_shape():
    names = node_shapes()
    orphans = [rel(p) for p in VALID + INVALID if class_of(p) not in names]
    assert not orphans, f"examples named after no shape in ontology/shapes.ttl: {orphans}"


def test_invalid_examples_state_their_defect_in_the_name():
    assert all("-" in p.stem for p in INVALID), "invalid examples are named <Class>-<defect>.ttl"


def test_ontology_and_shapes_have_no_relative_iris():
    """parse_turtle refuses relative IRIs; the project's own Turtle files must parse with it."""
    assert len(shapes()) > 0 and len(ontology()) > 0
