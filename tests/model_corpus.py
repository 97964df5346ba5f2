"""The test documents of tests/data/model/ (short texts written for the tests, not corpus): add them to a project copy.

Each is mapped through the documented path (a text in documents/, a mapping, registry records
and a Wikidata row per new entity), so building a copy with them exercises what a contributor does.
"""

from __future__ import annotations

import shutil
from pathlib import Path

MODEL = Path(__file__).resolve().parent / "data" / "model"


def add_model_documents(root: Path, slugs: list[str] | None = None) -> list[str]:
    """Copy the model documents (all, or ``slugs``) with their mappings, registry and Wikidata rows into ``root``."""
    chosen = slugs or sorted(p.stem for p in (MODEL / "mappings").glob("*.yaml"))
    for slug in chosen:
        shutil.copy(MODEL / "documents" / f"{slug}.txt", root / "documents" / f"{slug}.txt")
        shutil.copy(MODEL / "mappings" / f"{slug}.yaml", root / "mappings" / f"{slug}.yaml")
    shutil.copy(MODEL / "mappings" / "entities" / "model.yaml", root / "mappings" / "entities" / "model.yaml")
    with open(root / "mappings" / "wikidata.sssom.tsv", "a", encoding="utf-8") as out:
        out.write((MODEL / "mappings" / "wikidata.sssom.tsv").read_text(encoding="utf-8"))
    return chosen
