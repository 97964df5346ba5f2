"""Read one mapping file: its form, its source, its sections, its references, its expectations."""

from __future__ import annotations

from pathlib import Path

from ..fields import Reader
from ..problems import Problems, reading
from ..records import SECTIONS, TOP_KEYS
from ..yamlfile import YList, YMap, load_yaml
from .context import Context, MappedDocument
from .expect import check_expectations
from .mapper import Mapper


def read_document(root: Path, path: Path, ctx: Context, problems: Problems) -> MappedDocument | None:
    """Read, check and map one document; returns None when it has defects (all added to ``problems``)."""
    display = path.relative_to(root).as_posix()
    with reading(display):
        return _read(root, path, display, ctx, problems)


def _read(root: Path, path: Path, display: str, ctx: Context, problems: Problems) -> MappedDocument | None:
    before = len(problems)
    data = load_yaml(path, display, problems)
    if data is None:
        return None
    if not isinstance(data, YMap):
        problems.add(display, 1, "", "a document mapping is a mapping with 'source:' and fact sections")
        return None
    top = Reader(data, display, "", problems)
    top.check_keys(TOP_KEYS, {"source"})
    src = data.get("source")
    if not isinstance(src, YMap):
        if "source" in data:
            problems.add(display, data.line_of("source"), "source", "'source' must be a mapping")
        return None
    m = Mapper(root, display, path, ctx, problems)
    if not m.read_source(src):
        return None
    for name, section in SECTIONS.items():
        records = data.get(name)
        if records is None:
            continue
        if not isinstance(records, YList):
            problems.add(display, data.line_of(name), name, f"'{name}' must be a list of records")
            continue
        m.read_section(name, section, records)
    m.resolve_refs()
    if "expect" in data:
        # a defective record yields nothing; counting it short would only repeat its own error
        check_expectations(data["expect"], display, problems, m.counts, m.mentioned, compare=len(problems) == before)
    if len(problems) > before:
        return None
    return MappedDocument(m.slug, m.g, m.locations, m.counts)
