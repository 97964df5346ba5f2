"""Bad input: the build reads strictly, reports every defect in one run, and changes nothing in graph/.

Each pitfall of the stock tools (PyYAML's YAML 1.1 typing and duplicate keys, rdflib's quiet
merging, ill-typed literals and relative IRIs, SHACL's mixed date types, quotes that differ only
in typography, texts that changed after mapping) has a case under tests/data/bad-input/: a
small valid corpus (base/) with one defect planted in a copy. The tests run the real command
line in a copy of the project that holds only that corpus, so other documents being written
at the same time cannot break them.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import warnings
from pathlib import Path

import pytest
import yaml
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF, SKOS

from conftest import run_dossier
from dossier.dates import DateError, parse_date
from dossier.entities import registry_graph
from dossier.fields import Reader
from dossier.mapping import Context, read_document
from dossier.namespace import DOS, OA, SCHEMA, entity_iri, fact_iri, source_iri
from dossier.problems import Problems
from dossier.registry import load_registry
from dossier.graphdir import quad_files
from dossier.turtle import RelativeIRIError, parse_turtle
from dossier.validate import locate, shacl
from dossier.vocab import concepts, entity_classes
from dossier.yamlfile import load_yaml

BAD = Path(__file__).resolve().parent / "data" / "bad-input"
SLUG = "sample-gazette-2012"
MAPPING = f"mappings/{SLUG}.yaml"
FAILING = sorted(p.parent.name for p in BAD.glob("*/expected.txt"))
SUCCEEDING = ["base", "yaml-implicit-typing", "mixed-precision-ok"]
XSD = "http://www.w3.org/2001/XMLSchema#"  # as text: pytest's collection trips rdflib's XSD namespace warnings
SUMMARY = re.compile(r"^\d+ problem\(s\); graph/ left unchanged$")


# ---------------------------------------------------------------------------- helpers


def plant(project: Path, case: str | None = None) -> Path:
    """Make ``project`` hold only the small corpus of bad-input/base, with ``case`` laid over it."""
    for name in ("mappings", "documents"):
        shutil.rmtree(project / name, ignore_errors=True)
    shutil.copytree(BAD / "base", project, dirs_exist_ok=True)
    if case and case != "base":
        folder = BAD / case
        for src in sorted(folder.rglob("*")):
            if src.is_file() and src.name != "expected.txt":
                dest = project / src.relative_to(folder)
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(src, dest)
    return project


def snapshot(folder: Path) -> dict[str, str] | None:
    """Every file under ``folder`` with the sha256 of its bytes (None if there is no folder)."""
    if not folder.exists():
        return None
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def expected(case: str) -> list[str]:
    lines = (BAD / case / "expected.txt").read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip() and not line.startswith("#")]


def json_line(obj: dict) -> str:
    """A JSON error written as the human line: file:line: record: message."""
    assert set(obj) >= {"file", "line", "record", "message"}, obj
    where = f"{obj['file']}:{obj['line']}" if obj["line"] else obj["file"]
    record = f" {obj['record']}:" if obj["record"] else ""
    return f"{where}:{record} {obj['message']}"


def assert_reports(reported: list[str], want: list[str], what: str) -> None:
    """Each wanted line begins exactly one reported line, and nothing else is reported."""
    missing = [w for w in want if sum(r.startswith(w) for r in reported) != 1]
    extra = [r for r in reported if not any(r.startswith(w) for w in want)]
    assert not missing and not extra, (
        f"{what}\nmissing:\n  " + "\n  ".join(missing) + "\nunexpected:\n  " + "\n  ".join(extra)
    )


def built(project: Path) -> Graph:
    """The union of graph/'s named graphs."""
    ds = Dataset()
    g = Graph()
    with warnings.catch_warnings():  # rdflib's own N-Quads parser uses its deprecated default_context
        warnings.simplefilter("ignore", DeprecationWarning)
        for path in quad_files(project / "graph"):
            ds.parse(path, format="nquads")
        for s, p, o, _ in ds.quads():
            g.add((s, p, o))
    return g


def evidence_spans(ds: Graph, body: URIRef, motivation: URIRef = OA.describing) -> list[tuple[str, int, int]]:
    rows = ds.query(
        """SELECT ?exact ?start ?end WHERE {
               ?ann oa:hasBody ?body ; oa:motivatedBy ?why ; oa:hasTarget ?t .
               ?t oa:hasSelector ?q, ?p .
               ?q oa:exact ?exact . ?p oa:start ?start ; oa:end ?end .
           }""",
        initNs={"oa": OA}, initBindings={"body": body, "why": motivation},
    )
    return sorted((str(r.exact), int(r.start), int(r.end)) for r in rows)


# ---------------------------------------------------------------------------- the cases


def test_every_case_is_tested():
    folders = sorted(p.name for p in BAD.iterdir() if p.is_dir())
    assert folders == sorted(FAILING + SUCCEEDING), "a case folder needs an expected.txt or a place in SUCCEEDING"


@pytest.mark.parametrize("case", FAILING)
def test_bad_input_is_reported_and_graph_untouched(project: Path, case: str):
    plant(project, case)
    want = expected(case)
    before = snapshot(project / "graph")

    human = run_dossier("build", cwd=project)
    assert human.returncode != 0, f"{case}: the build should fail\n{human.stdout}{human.stderr}"
    lines = human.stderr.splitlines()
    assert lines and SUMMARY.match(lines[-1]), human.stderr
    assert lines[-1].startswith(f"{len(want)} problem(s)"), human.stderr
    assert_reports(lines[:-1], want, f"dossier build, case {case}:\n{human.stderr}")
    assert snapshot(project / "graph") == before, f"{case}: a failed build changed graph/"

    as_json = run_dossier("build", "--json", cwd=project)
    assert as_json.returncode != 0
    objects = [json.loads(line) for line in as_json.stdout.splitlines() if line.strip()]
    assert_reports([json_line(o) for o in objects], want, f"dossier build --json, case {case}:\n{as_json.stdout}")
    assert snapshot(project / "graph") == before, f"{case}: a failed build changed graph/"


def test_many_defects_cover_every_single_defect():
    """The combined case plants every single-defect case's defect (in three files, so lines differ)."""
    def shape(line: str) -> str:
        return re.sub(r"[0-9a-f]{64}|\d+", "N", line.split(":", 2)[2])  # no file, line or checksum

    combined = {shape(line) for line in expected("many-defects")}
    assert {line.split(":", 1)[0] for line in expected("many-defects")} == {"mappings/entities/publishers.yaml", MAPPING}
    for case in FAILING:
        for line in expected(case):
            assert shape(line) in combined, f"many-defects does not plant the defect of {case}: {line}"


def test_typographic_quote_stores_the_source_characters(project: Path):
    """The mapping quotes with straight quotes and plain spaces; the text has curly quotes, a
    no-break space and a soft hyphen. The quote matches after the one documented normalisation
    (dossier/quotes.py) and the graph stores the text's own characters at the right offsets."""
    plant(project)
    run_dossier("build", cwd=project, check=True)
    text = (project / "documents" / f"{SLUG}.txt").read_text(encoding="utf-8")
    ds = built(project)

    spans = evidence_spans(ds, fact_iri(SLUG, "eca-rejects-listing"))
    assert len(spans) == 1
    exact, start, end = spans[0]
    assert exact == "\u201cWe reject this listing,\u201d Ana\u00a0Example said"
    assert text[start:end] == exact
    mapping = (project / MAPPING).read_text(encoding="utf-8")
    assert "'\"We reject this listing,\" Ana Example said'" in mapping  # what the mapper typed

    spans = evidence_spans(ds, entity_iri("example-rally-2012"), OA.identifying)
    assert len(spans) == 1
    exact, start, end = spans[0]
    assert exact == "The rally was the associ\u00adation\u2019s first since the ban"
    assert text[start:end] == exact


def test_yaml_implicit_typing_does_not_apply(project: Path):
    """Unquoted no, NO, 2012-06-11, 2012-06, 2012 and 3 are read as text, then typed by their field:
    not false, not a date object, not an integer where a year is meant."""
    plant(project, "yaml-implicit-typing")
    run_dossier("build", cwd=project, check=True)
    ds = built(project)
    src = source_iri(SLUG)
    assert set(ds.objects(src, SCHEMA.inLanguage)) == {Literal("no")}
    assert set(ds.objects(src, SCHEMA.datePublished)) == {Literal("2012-06-11", datatype=XSD + "date")}
    assert Literal("NO", lang="en") in set(ds.objects(entity_iri("northland"), SKOS.altLabel))
    assert set(ds.objects(fact_iri(SLUG, "northland-lists-eca"), SCHEMA.startDate)) == {Literal("2012", datatype=XSD + "gYear")}
    assert set(ds.objects(entity_iri("example-rally-2012"), DOS.deathToll)) == {Literal(3)}
    assert not [o for o in ds.objects() if isinstance(o, Literal) and o.datatype == URIRef(XSD + "boolean")]


def test_mixed_precision_interval_that_overlaps_passes(project: Path):
    """Start 2012 (a year) and end 2012-06-11 (a day within it): compared as intervals, not an error."""
    plant(project, "mixed-precision-ok")
    run_dossier("build", cwd=project, check=True)
    ds = built(project)
    node = fact_iri(SLUG, "northland-lists-eca")
    assert set(ds.objects(node, SCHEMA.startDate)) == {Literal("2012", datatype=XSD + "gYear")}
    assert set(ds.objects(node, SCHEMA.endDate)) == {Literal("2012-06-11", datatype=XSD + "date")}


# ---------------------------------------------------------------------------- SHACL violations, located

TEST_SHAPES = """
# Rules added by the test only, which the small corpus breaks: the three kinds of check the
# build runs (a property shape, a SPARQL constraint, a shape on registry entities).
dsh:TestOnlyAddressee a sh:NodeShape ;
    sh:targetClass dos:Statement ;
    sh:property [ sh:path dos:addressee ; sh:minCount 1 ; sh:message "names no addressee (a rule of the test)" ] .

dsh:TestOnlyStartAfter2012 a sh:NodeShape ;
    sh:targetClass dos:Designation ;
    sh:sparql [
        a sh:SPARQLConstraint ;
        sh:message "starts in {?start}, before 2013 (a rule of the test)" ;
        sh:prefixes dsh: ;
        sh:select "SELECT $this ?start WHERE { $this schema:startDate ?start . FILTER (STR(?start) < '2013') }" ] .

dsh:TestOnlyPersonLinked a sh:NodeShape ;
    sh:targetClass dos:Person ;
    sh:property [ sh:path skos:exactMatch ; sh:minCount 1 ; sh:message "has no Wikidata link (a rule of the test)" ] .
"""


def test_validate_prints_shacl_violations_at_mapping_lines(project: Path):
    """`dossier validate` names the mapping or registry file and line that produced the violating node."""
    plant(project)
    with open(project / "ontology" / "shapes.ttl", "a", encoding="utf-8") as fh:
        fh.write(TEST_SHAPES)
    before = snapshot(project / "graph")
    want = [
        "mappings/entities/others.yaml:2: ana-example: exactMatch: has no Wikidata link (a rule of the test)",
        f"{MAPPING}:41: northland-lists-eca: starts in 2012, before 2013 (a rule of the test)",
        f"{MAPPING}:50: eca-rejects-listing: addressee: names no addressee (a rule of the test)",
    ]
    human = run_dossier("validate", cwd=project)
    assert human.returncode != 0, human.stdout
    lines = human.stderr.splitlines()
    assert_reports(lines[:-1], want, f"dossier validate:\n{human.stderr}")
    assert SUMMARY.match(lines[-1])

    as_json = run_dossier("validate", "--json", cwd=project)
    assert as_json.returncode != 0
    objects = [json.loads(line) for line in as_json.stdout.splitlines() if line.strip()]
    assert_reports([json_line(o) for o in objects], want, f"dossier validate --json:\n{as_json.stdout}")
    assert snapshot(project / "graph") == before


def test_locate_maps_a_violation_to_its_mapping_line(project: Path):
    """dossier.validate.locate on a mapped document whose participation lost its role."""
    root = plant(project)
    ontology = parse_turtle(root / "ontology" / "dossier.ttl")
    classes = entity_classes(ontology)
    problems = Problems()
    reg = load_registry(root, set(classes), problems)
    schemes = set(ontology.subjects(RDF.type, SKOS.ConceptScheme))
    ctx = Context(reg, {s: concepts(ontology, s) for s in schemes},
                  {c: str(label) for c, label in ontology.subject_objects(SKOS.prefLabel)})
    doc = read_document(root, root / MAPPING, ctx, problems)
    assert doc is not None and not problems, [p.human() for p in problems.items]
    entities, entity_locations = registry_graph(reg, classes)
    data = Graph()
    for t in (*doc.graph, *entities):
        data.add(t)
    assert shacl(data, root / "ontology" / "shapes.ttl", ontology) == []

    data.remove((fact_iri(SLUG, "ana-speaks"), DOS.role, None))
    found = locate(shacl(data, root / "ontology" / "shapes.ttl", ontology), {**entity_locations, **doc.locations})
    assert [p.human() for p in found] == [
        f"{MAPPING}:34: ana-speaks: role: a role from dos:ParticipationRoles [ParticipationShape]"
    ]


# ---------------------------------------------------------------------------- relative IRIs in Turtle


def test_plain_rdflib_resolves_relative_iris_against_the_working_directory(tmp_path: Path, monkeypatch):
    """The pitfall itself: the same Turtle gives a different graph in another folder."""
    monkeypatch.chdir(tmp_path)
    g = Graph().parse(data=(BAD / "relative-iri.ttl").read_text(encoding="utf-8"), format="turtle")
    subjects = {str(s) for s in g.subjects()}
    assert any(s.startswith("file://") and tmp_path.name in s for s in subjects), subjects


def test_turtle_with_relative_iris_is_refused():
    with pytest.raises(RelativeIRIError) as err:
        parse_turtle(BAD / "relative-iri.ttl", "tests/data/bad-input/relative-iri.ttl")
    assert err.value.problems == [
        "tests/data/bad-input/relative-iri.ttl:6: relative IRI <sample-gazette-2012> would be resolved against "
        "the folder the parser runs in: write an absolute IRI (or declare @base)",
        "tests/data/bad-input/relative-iri.ttl:7: relative IRI <#page> would be resolved against "
        "the folder the parser runs in: write an absolute IRI (or declare @base)",
    ]


def test_turtle_with_a_declared_base_is_read(tmp_path: Path):
    path = tmp_path / "based.ttl"
    path.write_text("@base <https://example.org/> .\n<a> <p> <#b> .\n", encoding="utf-8")
    assert set(parse_turtle(path)) == {
        (URIRef("https://example.org/a"), URIRef("https://example.org/p"), URIRef("https://example.org/#b"))
    }


# ---------------------------------------------------------------------------- the strict reader, directly


def test_strict_yaml_keeps_every_scalar_as_text(tmp_path: Path):
    path = tmp_path / "typed.yaml"
    path.write_text("a: NO\nb: 012\nc: 2012-06-11\nd: yes\ne: ~\nf: 1e3\ng: 0x1F\nh: 12:30\n", encoding="utf-8")
    assert yaml.safe_load(path.read_text()) == {  # what the stock loader makes of it
        "a": False, "b": 10, "c": __import__("datetime").date(2012, 6, 11), "d": True, "e": None,
        "f": "1e3", "g": 31, "h": 750,
    }
    problems = Problems()
    data = load_yaml(path, "typed.yaml", problems)
    assert not problems
    assert data == {"a": "NO", "b": "012", "c": "2012-06-11", "d": "yes", "e": "~", "f": "1e3", "g": "0x1F", "h": "12:30"}
    assert data.line_of("h") == 8


ANCHOR = "anchor '&x' is not allowed: aliases are refused, so write each value out where it applies"


@pytest.mark.parametrize("text, problems_found", [
    ("a: &x 1\nb: *x\n", [f"y.yaml:1: {ANCHOR}", "y.yaml:2: alias '*x' is not allowed: write the value out where it applies"]),
    ("a: &x [1, *x]\n", [f"y.yaml:1: {ANCHOR}",
                         "y.yaml:1: alias '*x' is not allowed: write the value out where it applies"]),  # no endless loop
    ("deaths: !!int 012\n", ["y.yaml:1: explicit YAML tag '!!int' is not allowed: values are plain text, "
                              "and the field's type decides how it is read"]),
    ("statements:\n  - id: s\n    date: '2012'\n    date: '2013'\n",
     ["y.yaml:4: statement s: duplicate key 'date' (first given on line 3); YAML would silently keep the last one: "
      "remove one of them"]),
])
def test_yaml_aliases_tags_and_duplicate_keys_are_refused(tmp_path: Path, text: str, problems_found: list[str]):
    path = tmp_path / "y.yaml"
    path.write_text(text, encoding="utf-8")
    problems = Problems()
    load_yaml(path, "y.yaml", problems)
    assert [p.human() for p in problems.items] == problems_found


@pytest.mark.parametrize("text, message", [
    ("2012-13-45", "'2012-13-45' has month 13: months run 01 to 12"),
    ("2012-02-30", "'2012-02-30' has day 30: 2012-02 has 29 days"),
    ("2011-02-29", "'2011-02-29' has day 29: 2011-02 has 28 days"),
    ("0000", "'0000' has year 0000"),
    ("\u0662\u0660\u0661\u0662", "is not a date"),  # Arabic-Indic digits: \d would take them
    ("2012-6", "is not a date"),
    ("12 June 2012", "is not a date"),
    ("2012-06-11T10:00", "is not a date"),
])
def test_ill_typed_dates_are_refused(text: str, message: str):
    with pytest.raises(DateError, match=re.escape(message)):
        parse_date(text)


@pytest.mark.parametrize("text, datatype", [("2012", "gYear"), ("2012-06", "gYearMonth"), ("2012-06-11", "date")])
def test_dates_keep_their_precision(text: str, datatype: str):
    d = parse_date(text)
    assert (d.text, d.datatype) == (text, datatype)
    assert d.literal() == Literal(text, datatype=XSD + datatype)


@pytest.mark.parametrize("value, result, message", [
    ("176", 176, None),
    ("0", 0, None),
    ("012", None, "'012' has a leading zero (YAML 1.1 would read it as octal 10): write 12"),
    ("\u0661\u0662", None, "is not a whole number"),  # Arabic-Indic digits pass str.isdigit()
    ("\u00b2", None, "is not a whole number"),  # superscript two passes str.isdigit(), int() fails
    ("1,500", None, "is not a whole number"),
    ("-3", None, "is not a whole number"),
])
def test_whole_numbers(tmp_path: Path, value: str, result, message):
    path = tmp_path / "n.yaml"
    path.write_text(f"deaths: '{value}'\n", encoding="utf-8")
    problems = Problems()
    rec = load_yaml(path, "n.yaml", problems)
    assert Reader(rec, "n.yaml", "event x", problems).whole("deaths") == result
    if message is None:
        assert not problems
    else:
        assert [p.human() for p in problems.items] and message in problems.items[0].human()
        assert problems.items[0].human().startswith("n.yaml:1: event x: ")


@pytest.mark.parametrize("url, ok", [
    ("https://example.org/a?b=c#d", True),
    ("http://example.org", True),
    ("example.org/page", False),
    ("//example.org/page", False),
    ("../page.html", False),
    ("file:///home/someone/page.html", False),
    ("https://exa mple.org/", False),
    ("mailto:someone@example.org", False),
])
def test_urls_must_be_absolute_http(tmp_path: Path, url: str, ok: bool):
    path = tmp_path / "u.yaml"
    path.write_text(f"url: '{url}'\n", encoding="utf-8")
    problems = Problems()
    rec = load_yaml(path, "u.yaml", problems)
    assert (Reader(rec, "u.yaml", "source", problems).iri("url") is not None) == ok
    assert bool(problems) != ok


# ---------------------------------------------------------------------------- hostile input, written by the test
#
# Each case below writes its defect into a copy of base/ (bytes a fixture file could not hold
# well: control characters, invalid UTF-8, megabytes) and runs the real `dossier build` and
# `dossier validate`: exactly the lines given, exit status 1, no traceback, graph/ unchanged.

DOC = f"documents/{SLUG}.txt"
OTHERS = "mappings/entities/others.yaml"
UNREAD = "could not be read, so references to entity ids are not checked until it is fixed"
CONTROL = "it is a control character, which RDF/XML cannot carry and no published text needs; remove it"


def replace(old: bytes, new: bytes):
    """An edit replacing the one occurrence of ``old``."""
    def edit(data: bytes) -> bytes:
        assert data.count(old) == 1, old
        return data.replace(old, new)
    return edit


def alias_bomb(levels: int, width: int = 9) -> bytes:
    """A few hundred bytes that expand to width**levels values if aliases are followed."""
    rows = [f"a0: &a0 [{', '.join(['lol'] * width)}]"]
    rows += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * width)}]" for i in range(1, levels + 1)]
    return ("\n".join(rows) + "\n").encode()


def with_text(text: str, *mapping_edits):
    """Edits giving the document ``text`` (its checksum recorded to match) and changing its mapping."""
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    old_digest = b"sha256: b379adc7961ee47056c82b396634dcd6b4dcdf7f76d5b0138a14807002a35a99"
    return {DOC: lambda _: text.encode("utf-8"),
            MAPPING: lambda data: _chain(data, replace(old_digest, f"sha256: {digest}".encode()), *mapping_edits)}


def _chain(data: bytes, *edits) -> bytes:
    for e in edits:
        data = e(data)
    return data


BASE_TEXT = (BAD / "base" / "documents" / f"{SLUG}.txt").read_text(encoding="utf-8")
MENTIONS = b"mentions:\n"

HOSTILE = {
    # finding 4: refused as parser events, never expanded (9 levels would be 387 million values)
    "alias-bomb-in-registry": (
        {OTHERS: lambda _: alias_bomb(9)},
        [f"{OTHERS}:1: anchor '&a0' is not allowed"]
        + [f"{OTHERS}:{i + 1}: anchor '&a{i}' is not allowed" for i in range(1, 10)]
        + [f"{OTHERS}:{i + 1}: alias '*a{i - 1}' is not allowed" for i in range(1, 10)]
        + [f"{OTHERS}: {UNREAD}"]),
    "deep-flow-nesting": (
        {MAPPING: replace(b"about: [example-civic-association, northland]",
                          b"about: " + b"[" * 500 + b"x" + b"]" * 500)},
        [f"{MAPPING}:54: nested more than 16 levels deep: a mapping never needs that many (docs/security.md)"]),
    "second-document": (
        {MAPPING: lambda data: data + b"---\nsource: {}\n"},
        [f"{MAPPING}:57: a second YAML document ('---'): a file holds exactly one"]),
    "long-value": (
        {MAPPING: replace(b"content: Rejects", b"content: " + b"x" * 10_001 + b" Rejects")},
        [f"{MAPPING}:55: a value of 10,049 characters, over the limit of 10,000: shorten it (docs/security.md)"]),
    "large-mapping-file": (
        {MAPPING: lambda data: data + b"#" * (1 << 20)},
        [f"{MAPPING}: is larger than 1,048,576 bytes, the limit for such a file"]),
    # finding 5: control characters, huge integers, a huge document: file:line, not a traceback
    "control-characters": (
        {MAPPING: lambda data: _chain(
            data,
            replace(b"title: Northland", b"title: \x07Northland"),
            replace(b"date_inferred: Dateline", b"date_inferred: Date\x0cline"),
            replace(b"content: Rejects", b"content: Rej\x00ects"),
            replace(b"list_name" if b"list_name" in data else b"status: in-force", b"status: in-\x1bforce"),
            replace(b"role: speaker", b"role: speaker\x7f"),
            replace(b"genre: news", "genre: news\ufffe".encode()),
            replace(b"place: springfield", "place: spring\u0085field".encode()))},
        [f"{MAPPING}:4: character U+0007 at column 10 is not allowed: {CONTROL}",
         f"{MAPPING}:5: character U+FFFE at column 14 is not allowed: it is a non-character",
         f"{MAPPING}:9: character U+000C at column 22 is not allowed: {CONTROL}",
         f"{MAPPING}:29: character U+0085 at column 18 is not allowed: {CONTROL}",
         f"{MAPPING}:37: character U+007F at column 18 is not allowed: {CONTROL}",
         f"{MAPPING}:45: character U+001B at column 16 is not allowed: {CONTROL}",
         f"{MAPPING}:55: character U+0000 at column 17 is not allowed: {CONTROL}"]),
    "huge-integers": (
        {MAPPING: lambda data: _chain(
            data,
            replace(b'deaths: "3"', b"deaths: " + b"7" * 4301),
            replace(b"min_statements: 1", b"min_statements: " + b"1" * 20),
            replace(b"{entity: springfield, quote: in Springfield}",
                    b"{entity: springfield, quote: in Springfield, occurrence: 1" + b"0" * 30 + b"}"))},
        [f"{MAPPING}:15: expect: '11111111111111111111' is 20 characters long: a whole number here has at most 15 digits",
         f"{MAPPING}:22: mention of springfield: '1000000000000000000000000000000' is 31 characters long",
         f"{MAPPING}:30: event rally-toll: '77777777777777777777…77777777' is 4,301 characters long"]),
    "large-document": (
        {DOC: lambda data: data + b" " * (4 << 20)},
        [f"{DOC}: is larger than 4,194,304 bytes, the limit for such a file"]),
    # finding 14: escapes and hidden characters in labels, aliases and descriptions
    "escaped-control-characters": (
        {MAPPING: lambda data: _chain(
            data,
            replace(b"content: Rejects Northland's listing of the association.",
                    b'content: "Rejects Northland\'s listing\\0 of the association."'),
            replace(b"date_inferred: Dateline of the article, to the day.",
                    b'date_inferred: "Dateline\\e of the article, to the day."'))},
        [f"{MAPPING}:9: a value holds character U+001B (written as an escape): it is a control character",
         f"{MAPPING}:55: a value holds character U+0000 (written as an escape): it is a control character"]),
    "hidden-characters-in-registry": (
        {OTHERS: lambda data: _chain(
            data,
            replace(b"label: Ana Example,", "label: Ana \u202eelpmaxE,".encode()),
            replace(b"label: Northland,", "label: North\u200bland,".encode()),
            replace(b"description: Fictional city", "description: Fictional\u2028city".encode()),
            replace(b"label: Example Rally 2012,", "label: Example \ufeffRally 2012,".encode()))},
        [f"{OTHERS}:2: character U+202E RIGHT-TO-LEFT OVERRIDE at column 46 is not allowed: it is a bidirectional control",
         f"{OTHERS}:3: character U+200B ZERO WIDTH SPACE at column 44 is not allowed: it is an invisible character",
         f"{OTHERS}:4: character U+2028 LINE SEPARATOR at column 76 is not allowed: it is a Unicode line separator",
         f"{OTHERS}:5: character U+FEFF ZERO WIDTH NO-BREAK SPACE at column 56 is not allowed: it is a byte order mark",
         f"{OTHERS}: {UNREAD}"]),
    "escaped-bidi-control": (
        {OTHERS: replace(b"label: Ana Example,", b'label: "Ana \\u202Eelpmaxe",')},
        [f"{OTHERS}:2: a value holds character U+202E RIGHT-TO-LEFT OVERRIDE (written as an escape)",
         f"{OTHERS}: {UNREAD}"]),
    "language-not-a-tag": (
        {MAPPING: replace(b"language: en", b"language: en\"><script>")},
        [f"{MAPPING}:3: sample-gazette-2012: inLanguage: a Source's language is one well-formed BCP 47 language tag"]),
    # finding 15: quotes and grapheme clusters, Unicode normal forms
    "quote-splits-a-character": (
        with_text(BASE_TEXT + " The cafe\u0301 was closed.",
                  replace(MENTIONS, MENTIONS + b"  - {entity: springfield, quote: The cafe}\n"
                                             + "  - {entity: northland, quote: \"\u0301 was closed\"}\n".encode())),
        [f"{MAPPING}:19: mention of springfield: quote 'The cafe' cuts a character of {DOC} in two: it ends inside "
         f"a character: the text goes on with U+0301 COMBINING ACUTE ACCENT at character {len(BASE_TEXT) + 9}, which belongs to the "
         "quote's last letter; end the quote after it",
         f"{MAPPING}:20: mention of northland: quote '\u0301 was closed' cuts a character of {DOC} in two: it begins "
         f"inside a character: U+0301 COMBINING ACUTE ACCENT at character {len(BASE_TEXT) + 9} belongs to the 'e' before it; begin "
         "the quote one character earlier"]),
    "quote-in-another-normal-form": (
        with_text(BASE_TEXT + " The caf\u00e9 was closed.",
                  replace(MENTIONS, MENTIONS + "  - {entity: springfield, quote: The cafe\u0301 was closed}\n".encode())),
        [f"{MAPPING}:19: mention of springfield: quote not found in {DOC}: 'The cafe\u0301 was closed' (it differs "
         "from the text only in Unicode normal form: the quote is NFD, the text is NFC; copy the characters from "
         "the text)"]),
    # finding 16: invalid UTF-8 at its real line; an unreadable registry file reported once
    "invalid-utf8-in-mapping": (
        {MAPPING: replace(b"content: Rejects", b"content: Rej\xffects")},
        [f"{MAPPING}:55: not valid UTF-8: invalid start byte (byte 0xff) at column 17, byte offset "]),
    "invalid-utf8-in-registry": (
        {OTHERS: replace(b"label: Northland,", b"label: North\xe9land,")},
        [f"{OTHERS}:3: not valid UTF-8: invalid continuation byte (byte 0xe9) at column 44, byte offset ",
         f"{OTHERS}: {UNREAD}"]),
    "invalid-utf8-in-document": (
        {DOC: replace(b"Rally in Springfield", b"Rally in Spr\xc3ingfield")},
        [f"{DOC}:5: not valid UTF-8: invalid continuation byte (byte 0xc3) at column 71, byte offset "]),
}


def apply(project: Path, edits: dict) -> None:
    for rel, edit in edits.items():
        path = project / rel
        path.write_bytes(edit(path.read_bytes()))


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_input_is_reported_at_its_line(project: Path, case: str):
    edits, want = HOSTILE[case]
    plant(project)
    apply(project, edits)
    before = snapshot(project / "graph")
    for command in ("build", "validate"):
        run = run_dossier(command, cwd=project)
        assert run.returncode == 1, f"{case}: dossier {command} exit status {run.returncode}\n{run.stderr}"
        assert "Traceback" not in run.stderr + run.stdout, run.stderr
        lines = run.stderr.splitlines()
        assert lines and SUMMARY.match(lines[-1]), run.stderr
        assert_reports(lines[:-1], want, f"dossier {command}, case {case}:\n{run.stderr[:5000]}")
        assert snapshot(project / "graph") == before, f"{case}: a failed {command} changed graph/"


def test_an_internal_error_is_one_line_naming_the_file(project: Path, monkeypatch, capsys):
    """A defect of dossier itself (injected here into the quote finder) ends in one line naming the
    mapping being read and exit status 3, not a traceback; --debug adds the traceback."""
    from dossier import cli
    from dossier.quotes import DocumentText

    def broken(self, quote):
        raise ValueError("injected fault")

    plant(project)
    monkeypatch.setenv("DOSSIER_JOBS", "1")  # map in this process, where the fault is injected
    monkeypatch.setattr(DocumentText, "find_all", broken)
    before = snapshot(project / "graph")
    line = (f"internal error while reading {MAPPING}: ValueError: injected fault (a defect of dossier, "
            "not of the input: please report it")
    for command in ("validate", "build"):
        assert cli.main(["--root", str(project), command]) == cli.EXIT_INTERNAL == 3
        err = capsys.readouterr().err
        assert "Traceback" not in err
        assert [x for x in err.splitlines() if x.strip()] == [line + "; --debug prints the traceback)"]
    assert cli.main(["--root", str(project), "build", "--debug"]) == 3
    err = capsys.readouterr().err
    assert "Traceback (most recent call last)" in err and "in broken" in err
    assert err.splitlines()[-1] == line + ")"
    assert snapshot(project / "graph") == before


def test_a_limit_set_wrongly_is_reported(project: Path):
    """A bound set to something that is no number is a clear error, not a traceback or a silent default."""
    plant(project)
    run = subprocess.run([sys.executable, "-m", "dossier.cli", "validate"], cwd=project, capture_output=True,
                         text=True, timeout=600, env={**os.environ, "DOSSIER_MAX_DEPTH": "deep"})
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert run.stderr.splitlines()[0] == ("DOSSIER_MAX_DEPTH: 'deep' is not a positive whole number: set it to "
                                          "digits only, or unset it for the default 16")


@pytest.mark.parametrize("text, refused", [
    ("Ana Example", []),
    ("\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645", []),  # a Persian word: the non-joiner between letters stays
    ("IRGC\u200c", ["U+200C ZERO WIDTH NON-JOINER"]),  # but not after Latin letters, nor at an end
    ("a\u200db", ["U+200D ZERO WIDTH JOINER"]),
    ("x\u2066y\u2069", ["U+2066 LEFT-TO-RIGHT ISOLATE", "U+2069 POP DIRECTIONAL ISOLATE"]),
    ("\ud800", ["U+D800"]),  # a lone surrogate, as a YAML escape can make one
    ("tag\U000e0041", ["U+E0041 TAG LATIN CAPITAL LETTER A"]),
])
def test_refused_characters(text: str, refused: list[str]):
    from dossier.characters import describe, refused as find

    assert [describe(ch) for _, ch in sorted(find(text))] == refused


def test_a_file_of_many_aliases_gives_a_screenful(tmp_path: Path):
    """The event scan stops after 50 distinct problems (an alias repeated on one line counts once)."""
    path = tmp_path / "many.yaml"
    path.write_text("a: &a x\n" + "".join(f"k{i}: [*a, *a, *a]\n" for i in range(20_000)), encoding="utf-8")
    problems = Problems()
    assert load_yaml(path, "many.yaml", problems) is None
    lines = sorted({p.human() for p in problems.items})
    assert len(lines) == 51
    assert lines.count("many.yaml:50: reading stopped here after 50 problems: fix those first") == 1


def test_an_internal_error_after_reading_names_the_document(project: Path, monkeypatch, capsys):
    """A fault in a later stage of one document (here its reasoning) still names that document's mapping."""
    from dossier import cli
    from dossier.reason import Reasoner

    def broken(self, *args, **kwargs):
        raise RuntimeError("injected fault")

    plant(project)
    monkeypatch.setenv("DOSSIER_JOBS", "1")
    monkeypatch.setattr(Reasoner, "infer_document", broken)
    assert cli.main(["--root", str(project), "validate"]) == 3
    assert capsys.readouterr().err.splitlines() == [
        f"internal error while reading {MAPPING}: RuntimeError: injected fault (a defect of dossier, not of the "
        "input: please report it; --debug prints the traceback)"]
