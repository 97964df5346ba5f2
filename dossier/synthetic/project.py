"""A whole synthetic project folder: the repository's ontology and queries, the registry, N documents."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from .document import document
from .registry import REPO, real_registry, synthetic_registry, write_registry

COPIED = ("ontology", "queries")


def generate(root: Path, n: int, seed: int = 0) -> list[str]:
    """Write a project of ``n`` synthetic documents into ``root`` (emptied first); returns the slugs."""
    if root.exists():
        shutil.rmtree(root)
    (root / "documents").mkdir(parents=True)
    (root / "mappings").mkdir()
    for name in COPIED:
        if (REPO / name).exists():
            shutil.copytree(REPO / name, root / name)
    reg, new = synthetic_registry(n, seed)
    write_registry(root, new)
    docs = [document(reg, seed, i) for i in range(n)]
    # Every registry entity must be named by some document (dossier validate): those no document
    # happened to name are named once each, in the last document. A country named as an
    # authority is not named by it: the build puts its government in its place.
    named = {word for _, _, mapping in docs for line in mapping.splitlines()
             if not line.lstrip().startswith("authority:") for word in re.findall(r"[a-z0-9][a-z0-9-]*", line)}
    unnamed = [e for e in real_registry() + new if e.id not in named]
    if n and unnamed:
        docs[-1] = document(reg, seed, n - 1, unnamed)
    slugs = []
    for slug, text, mapping in docs:
        (root / "documents" / f"{slug}.txt").write_bytes(text.encode("utf-8"))
        (root / "mappings" / f"{slug}.yaml").write_bytes(mapping.encode("utf-8"))
        slugs.append(slug)
    return slugs


def add_copy(root: Path, slug: str) -> Path:
    """Add a copy of the project's first synthetic document as ``slug``; returns its mapping. Removing the
    copy later leaves every registry entity still named by some document, as `dossier validate` requires."""
    original = sorted((root / "mappings").glob("synthetic-*.yaml"))[0]
    mapping = root / "mappings" / f"{slug}.yaml"
    mapping.write_text(original.read_text(encoding="utf-8").replace(original.stem, slug), encoding="utf-8")
    shutil.copyfile(root / "documents" / f"{original.stem}.txt", root / "documents" / f"{slug}.txt")
    return mapping
