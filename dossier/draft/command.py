"""The `dossier draft` command: what it needs from the project, and writing or merging the draft."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..namespace import SLUG
from ..problems import Problems
from ..registry import Registry, load_registry


@dataclass
class Project:
    """What drafting needs from the project: the registry (and its defects) and the controlled values."""

    registry: Registry
    problems: Problems
    genres: list[str]
    statement_types: list[str]


def load_project(root: Path) -> Project:
    from ..namespace import DOS
    from ..vocab import concepts, entity_classes, load_ontology

    path = root / "ontology" / "dossier.ttl"
    if not path.exists():
        raise SystemExit(f"{root}: not a Dossier project (no ontology/dossier.ttl); run in the project folder or pass --root")
    ontology = load_ontology(path)
    problems = Problems()
    reg = load_registry(root, set(entity_classes(ontology)), problems)
    return Project(reg, problems, list(concepts(ontology, DOS.Genres)), list(concepts(ontology, DOS.StatementTypes)))


def draft_file(root: Path, text_path: Path, project: Project, published: str | None = None):
    """Draft the mapping of one text file; returns the Draft and its YAML."""
    from . import draft
    from .render import render

    raw = text_path.read_bytes()
    d = draft(raw, text_path.stem, project.registry, received_as=text_path.name, published=published)
    shown = text_path.relative_to(root).as_posix() if text_path.is_relative_to(root) else text_path.name
    return d, render(d, project.registry, project.genres, project.statement_types, shown)


def run(root: Path, text_path: Path, out: Path | None, to_stdout: bool, force: bool, say,
        update: Path | None = None, published: str | None = None) -> int:
    """The `dossier draft` command; returns the exit status."""
    from .newnames import slugify
    from .render import summary
    from .update import merge, published_in

    if not text_path.is_file():
        say(f"{text_path}: no such file")
        return 1
    slug = text_path.stem
    if not SLUG.match(slug) or text_path.suffix != ".txt":
        say(f"{text_path.name}: the file name is the document's id: rename it to {slugify(slug)}.txt "
            "(lowercase letters, digits and hyphens, ending in .txt)")
        return 1
    try:
        text_path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        say(f"{text_path.name}: not UTF-8 (byte {exc.start}); save the text as UTF-8 first")
        return 1
    if published is not None:
        from ..dates import DateError, parse_date
        try:
            if parse_date(published).datatype != "date":
                raise DateError(f"'{published}' is not a full date: write YYYY-MM-DD")
        except DateError as exc:
            say(f"--published: {exc}")
            return 1
    project = load_project(root)
    for p in project.problems.items:
        say(f"warning: {p.human()}")
    if update is not None:
        return _update(root, text_path, update, project, published, say, merge, published_in)
    d, text = draft_file(root, text_path, project, published)
    if to_stdout:
        print(text, end="")
        return 0
    out = out or root / "mappings" / f"{slug}.yaml"
    shown = out.relative_to(root).as_posix() if out.is_relative_to(root) else str(out)
    if out.exists() and not force:
        say(f"{shown} exists: not overwritten (use --update {shown} to add new suggestions to it, --force to "
            "replace it, or --out another file)")
        return 1
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    say(f"wrote {shown}: {summary(d)}")
    expected = root / "documents" / f"{slug}.txt"
    if text_path.resolve() != expected.resolve():
        say(f"note: the build reads the text from documents/{slug}.txt: copy it there unchanged")
    say(f"next: complete {shown} (every TODO, REQUIRED and DRAFT mark), then run `dossier validate`")
    return 0


def _update(root, text_path, target: Path, project: Project, published, say, merge, published_in) -> int:
    shown = target.relative_to(root).as_posix() if target.is_relative_to(root) else str(target)
    if not target.is_file():
        say(f"{shown}: no such file to update; draft it first without --update")
        return 1
    try:
        mapping = target.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        say(f"{shown}: not UTF-8 (byte {exc.start})")
        return 1
    d, _ = draft_file(root, text_path, project, published or published_in(mapping))
    merged, count = merge(mapping, d, project.registry, project.statement_types)
    if not count:
        say(f"{shown}: nothing new to suggest; file unchanged")
        return 0
    target.write_bytes(merged.encode("utf-8"))
    say(f"{shown}: {count} new suggestion(s) appended as comments at the end; every line you wrote is unchanged")
    return 0
