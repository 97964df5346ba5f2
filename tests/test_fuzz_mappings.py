"""A seeded fuzzer of the mapping reader: mutated copies of the real mappings, registry files and link table.

Each case mutates one input file (deleted, duplicated, re-indented or swapped lines, swapped
values, control and bidi characters raw or escaped, invalid UTF-8, truncation, huge numbers,
deep nesting, alias bombs, long values) and reads the project again. Every case must end in
problems that name an input file and a line within it, or in a clean read; never an exception
or a hang. Most cases run in this process through the same functions the build reads with
(dossier.registry.load_registry, dossier.mapping.read_document); a few run the real
`dossier build` end to end, which must also leave graph/ byte-identical when it fails.

Default: a fixed seed and a few hundred cases. A longer run:
    DOSSIER_FUZZ_CASES=5000 DOSSIER_FUZZ_SEED=7 .venv/bin/python -m pytest tests/test_fuzz_mappings.py
"""

from __future__ import annotations

import os
import random
import re
import signal
import traceback
from dataclasses import dataclass
from pathlib import Path

import pytest
from rdflib.namespace import RDF, SKOS

from conftest import copy_project, run_dossier
from dossier.curated import load_curated
from dossier.mapping import Context, read_document
from dossier.problems import Problems
from dossier.registry import load_registry
from dossier.turtle import parse_turtle
from dossier.vocab import concepts, entity_classes

SEED = int(os.environ.get("DOSSIER_FUZZ_SEED", "20261129"))
CASES = int(os.environ.get("DOSSIER_FUZZ_CASES", "200"))
CLI_CASES = int(os.environ.get("DOSSIER_FUZZ_CLI_CASES", "3"))
HANG = 20  # seconds one in-process case may take before it counts as a hang (a loaded machine included)

#: Problems that concern a whole file and so carry no line.
WHOLE_FILE = re.compile(r"^(is larger than|could not be read|the Wikidata link table is missing|no header row)")
LINE = re.compile(r"^(?P<file>[^:\s]+)(:(?P<line>\d+))?: ")

CHARACTERS = ["\x00", "\x07", "\x0c", "\x1b", "\x7f", "\x85", "\u202e", "\u2066", "\u200b", "\u200d", "\u2028",
              "\ufeff", "\ufffe", "\uffff", "\U000e0041", "\u0301", "\t", "\r"]
ESCAPES = ["\\0", "\\e", "\\a", "\\u202E", "\\u200B", "\\uFEFF", "\\uD800", "\\x7f", "\\N", "\\L"]
BAD_BYTES = [b"\xff", b"\xc3", b"\xed\xa0\x80", b"\xe2\x82", b"\xf4\x90\x80\x80", b"\xc0\xaf"]


# ---------------------------------------------------------------------------- mutations


def _lines(data: bytes) -> list[bytes]:
    return data.split(b"\n")


def delete_line(rng: random.Random, data: bytes) -> bytes:
    lines = _lines(data)
    del lines[rng.randrange(len(lines))]
    return b"\n".join(lines)


def duplicate_line(rng: random.Random, data: bytes) -> bytes:
    lines = _lines(data)
    i = rng.randrange(len(lines))
    lines.insert(i, lines[i])
    return b"\n".join(lines)


def reindent_line(rng: random.Random, data: bytes) -> bytes:
    lines = _lines(data)
    i = rng.randrange(len(lines))
    body = lines[i].lstrip(b" ")
    lines[i] = b" " * max(0, len(lines[i]) - len(body) + rng.choice([-4, -2, -1, 1, 2, 3, 8])) + body
    return b"\n".join(lines)


def swap_lines(rng: random.Random, data: bytes) -> bytes:
    lines = _lines(data)
    i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
    lines[i], lines[j] = lines[j], lines[i]
    return b"\n".join(lines)


_VALUE = re.compile(rb"^(\s*-?\s*[A-Za-z_]+:\s)(.+)$")


def swap_values(rng: random.Random, data: bytes) -> bytes:
    lines = _lines(data)
    keyed = [i for i, line in enumerate(lines) if _VALUE.match(line)]
    if len(keyed) < 2:
        return swap_lines(rng, data)
    i, j = rng.sample(keyed, 2)
    a, b = _VALUE.match(lines[i]), _VALUE.match(lines[j])
    lines[i], lines[j] = a.group(1) + b.group(2), b.group(1) + a.group(2)
    return b"\n".join(lines)


def insert_character(rng: random.Random, data: bytes) -> bytes:
    text = data.decode("utf-8", "surrogateescape")
    i = rng.randrange(len(text) + 1)
    return (text[:i] + rng.choice(CHARACTERS) + text[i:]).encode("utf-8", "surrogateescape")


def escaped_value(rng: random.Random, data: bytes) -> bytes:
    lines = _lines(data)
    keyed = [i for i, line in enumerate(lines) if _VALUE.match(line)]
    if not keyed:
        return insert_character(rng, data)
    i = rng.choice(keyed)
    head = _VALUE.match(lines[i]).group(1)
    lines[i] = head + b'"text ' + rng.choice(ESCAPES).encode() + b' more"'
    return b"\n".join(lines)


def invalid_utf8(rng: random.Random, data: bytes) -> bytes:
    i = rng.randrange(len(data) + 1)
    return data[:i] + rng.choice(BAD_BYTES) + data[i:]


def truncate(rng: random.Random, data: bytes) -> bytes:
    return data[:rng.randrange(len(data) + 1)]


def huge_number(rng: random.Random, data: bytes) -> bytes:
    digits = rng.choice([16, 20, 400, 4301, 6000])
    number = str(rng.randrange(1, 10)).encode() + b"0" * (digits - 1)
    runs = list(re.finditer(rb"\d+", data))
    if runs:
        m = rng.choice(runs)
        return data[:m.start()] + number + data[m.end():]
    return data + b"\n" + number + b"\n"


def deep_nesting(rng: random.Random, data: bytes) -> bytes:
    n = rng.choice([17, 50, 400, 3000])
    nest = b"[" * n + b"x" + b"]" * n if rng.random() < 0.7 else b"{a: " * n + b"x" + b"}" * n
    lines = _lines(data)
    keyed = [i for i, line in enumerate(lines) if _VALUE.match(line)]
    if not keyed:
        return data + b"\n" + nest + b"\n"
    i = rng.choice(keyed)
    lines[i] = _VALUE.match(lines[i]).group(1) + nest
    return b"\n".join(lines)


def alias_bomb(rng: random.Random, data: bytes) -> bytes:
    levels = rng.choice([3, 9, 12])
    rows = [b"bomb0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    rows += [f"bomb{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]".encode() for i in range(1, levels + 1)]
    if data.lstrip().startswith(b"-"):  # a registry file is a list
        rows = [b"- " + r.replace(b": ", b": {x: ", 1) + b"}" for r in rows]
    lines = _lines(data)
    i = rng.randrange(len(lines) + 1)
    return b"\n".join(lines[:i] + rows + lines[i:])


def long_value(rng: random.Random, data: bytes) -> bytes:
    lines = _lines(data)
    keyed = [i for i, line in enumerate(lines) if _VALUE.match(line)]
    if not keyed:
        return data + b"x" * 20_000
    i = rng.choice(keyed)
    lines[i] = _VALUE.match(lines[i]).group(1) + b"x" * rng.choice([10_001, 100_000])
    return b"\n".join(lines)


def flip_byte(rng: random.Random, data: bytes) -> bytes:
    if not data:
        return b"\x00"
    i = rng.randrange(len(data))
    return data[:i] + bytes([rng.randrange(256)]) + data[i + 1:]


MUTATIONS = [delete_line, duplicate_line, reindent_line, swap_lines, swap_values, insert_character,
             escaped_value, invalid_utf8, truncate, huge_number, deep_nesting, alias_bomb, long_value, flip_byte]


@dataclass
class Case:
    number: int
    target: str  # the mutated file, relative to the project
    steps: list[str]
    data: bytes

    def __str__(self) -> str:
        return f"case {self.number} (seed {SEED}): {' + '.join(self.steps)} on {self.target}"


def make_case(rng: random.Random, number: int, root: Path, targets: list[str]) -> Case:
    target = rng.choice(targets)
    data = (root / target).read_bytes()
    steps = []
    for _ in range(rng.choice([1, 1, 1, 2, 3])):
        mutation = rng.choice(MUTATIONS)
        data = mutation(rng, data)
        steps.append(mutation.__name__)
    return Case(number, target, steps, data)


# ---------------------------------------------------------------------------- checking a case


def check_problems(problems: list, root: Path, case: Case) -> None:
    """Each problem names an input file and, unless it concerns the whole file, a line within it."""
    for p in problems:
        assert p.file, f"{case}: a problem without a file: {p}"
        path = root / p.file
        assert path.is_file(), f"{case}: a problem names {p.file}, which is no input file: {p.human()}"
        if p.line == 0:
            assert WHOLE_FILE.match(p.message), f"{case}: a problem without a line: {p.human()}"
            continue
        n_lines = path.read_bytes().count(b"\n") + 1
        assert 1 <= p.line <= n_lines, f"{case}: line {p.line} is outside {p.file} ({n_lines} lines): {p.human()}"


class _Hang(Exception):
    pass


def _alarm(signum, frame):
    raise _Hang


@pytest.fixture(scope="module")
def fuzz_root(tmp_path_factory) -> Path:
    return copy_project(tmp_path_factory.mktemp("fuzz"))


def context(root: Path, ontology, classes, problems: Problems) -> Context:
    """What a mapping is read against, as the build makes it: the registry and the controlled values."""
    reg = load_registry(root, set(classes), problems)
    schemes = set(ontology.subjects(RDF.type, SKOS.ConceptScheme))
    return Context(reg, {s: concepts(ontology, s) for s in schemes},
                   {c: str(label) for c, label in ontology.subject_objects(SKOS.prefLabel)})


def read_all(root: Path, target: str, ontology, classes, clean: Context) -> list:
    """Read what the mutated file touches as the build does (a mapping against the clean registry; a
    registry file, the curated background or the link table, then the smallest mapping against it); the problems found."""
    problems = Problems()
    if re.fullmatch(r"mappings/[^/]+\.yaml", target):
        read_document(root, root / target, clean, problems)
    else:
        ctx = context(root, ontology, classes, problems)
        load_curated(root, ctx.registry, ctx.concepts, problems)
        smallest = min((root / "mappings").glob("*.yaml"), key=lambda p: (p.stat().st_size, p.name))
        read_document(root, smallest, ctx, problems)
    return problems.items


def test_fuzz_the_reader_in_process(fuzz_root: Path):
    root = fuzz_root
    ontology = parse_turtle(root / "ontology" / "dossier.ttl")
    classes = entity_classes(ontology)
    targets = sorted(p.relative_to(root).as_posix() for p in (root / "mappings").rglob("*")
                     if p.suffix in (".yaml", ".tsv"))
    found = Problems()
    clean = context(root, ontology, classes, found)
    assert not found and not read_all(root, targets[0], ontology, classes, clean), "the unmutated project must read cleanly"
    rng = random.Random(SEED)
    failures = []
    old = signal.signal(signal.SIGALRM, _alarm)
    try:
        for number in range(CASES):
            case = make_case(rng, number, root, targets)
            original = (root / case.target).read_bytes()
            (root / case.target).write_bytes(case.data)
            signal.alarm(HANG)
            try:
                check_problems(read_all(root, case.target, ontology, classes, clean), root, case)
            except _Hang:
                failures.append(f"{case}: no answer within {HANG} s")
            except AssertionError as exc:
                failures.append(str(exc))
            except Exception:
                failures.append(f"{case}: {traceback.format_exc(limit=-3)}")
            finally:
                signal.alarm(0)
                (root / case.target).write_bytes(original)
            if len(failures) >= 5:
                break
    finally:
        signal.signal(signal.SIGALRM, old)
    assert not failures, "\n\n".join(failures)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_fuzz_the_build_end_to_end(tmp_path: Path):
    """A few cases through the real `dossier build`: problems as file:line lines, or a valid build."""
    root = copy_project(tmp_path / "project")
    targets = sorted(p.relative_to(root).as_posix() for p in (root / "mappings").rglob("*")
                     if p.suffix in (".yaml", ".tsv"))
    rng = random.Random(SEED + 1)
    for number in range(CLI_CASES):
        case = make_case(rng, number, root, targets)
        original = (root / case.target).read_bytes()
        before = snapshot(root / "graph")
        (root / case.target).write_bytes(case.data)
        try:
            run = run_dossier("build", cwd=root)
        finally:
            (root / case.target).write_bytes(original)
        assert run.returncode in (0, 1), f"{case}: exit status {run.returncode}\n{run.stderr[-3000:]}"
        assert "Traceback" not in run.stderr, f"{case}:\n{run.stderr[-3000:]}"
        if run.returncode == 1:
            lines = run.stderr.splitlines()
            assert re.match(r"^\d+ problem\(s\); graph/ left unchanged$", lines[-1]), f"{case}:\n{run.stderr[-3000:]}"
            for line in lines[:-1]:
                assert LINE.match(line), f"{case}: not a file:line problem: {line[:300]}"
            assert snapshot(root / "graph") == before, f"{case}: a failed build changed graph/"
