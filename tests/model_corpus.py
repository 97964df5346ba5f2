"""The test documents of tests/data/model/ (short texts written for the tests, not corpus): add them to a project copy.

Each is mapped through the documented path (a text in documents/, a mapping, registry records
and a Wikidata row per new entity), so building a copy with them exercises what a contributor does.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pyoxigraph as ox
import yaml

from dossier.graphdir import quad_files

MODEL = Path(__file__).resolve().parent / "data" / "model"
#: Names the fictional country, its government and bodies that the other documents' records point to.
BASE_DOCUMENT = "wire-northland-listing-2024"
_REFERENCES = ("part_of", "country", "government_of", "series", "member_of")


def add_model_documents(root: Path, slugs: list[str] | None = None) -> list[str]:
    """Copy the model documents (all, or ``slugs`` and the base document) with their mappings, and the
    registry records and Wikidata rows they need, into ``root``.

    As a contributor would, only the entities the copied documents name are added (with those their
    records point to), since `dossier validate` refuses a registry entity no document names.
    """
    chosen = slugs or sorted(p.stem for p in (MODEL / "mappings").glob("*.yaml"))
    copied = sorted(set(chosen) | {BASE_DOCUMENT})
    for slug in copied:
        shutil.copy(MODEL / "documents" / f"{slug}.txt", root / "documents" / f"{slug}.txt")
        shutil.copy(MODEL / "mappings" / f"{slug}.yaml", root / "mappings" / f"{slug}.yaml")
    records = yaml.safe_load((MODEL / "mappings" / "entities" / "model.yaml").read_text(encoding="utf-8"))
    texts = "\n".join((MODEL / "mappings" / f"{slug}.yaml").read_text(encoding="utf-8") for slug in copied)
    needed = {r["id"] for r in records if re.search(rf"(?<![\w-]){re.escape(r['id'])}(?![\w-])", texts)}
    by_id = {r["id"]: r for r in records}
    todo = list(needed)
    while todo:
        record = by_id[todo.pop()]
        for key in _REFERENCES:
            refs = record.get(key) or []
            for ref in [refs] if isinstance(refs, str) else refs:
                if ref in by_id and ref not in needed:
                    needed.add(ref)
                    todo.append(ref)
    kept = [r for r in records if r["id"] in needed]
    (root / "mappings" / "entities" / "model.yaml").write_text(
        yaml.safe_dump(kept, sort_keys=False, allow_unicode=True), encoding="utf-8")
    rows = (MODEL / "mappings" / "wikidata.sssom.tsv").read_text(encoding="utf-8").splitlines(keepends=True)
    with open(root / "mappings" / "wikidata.sssom.tsv", "a", encoding="utf-8") as out:
        out.write("".join(row for row in rows if row.split("\t", 1)[0].removeprefix("dossier:") in needed))
    return copied


def built_model_store(root: Path, slugs: list[str]) -> ox.Store:
    """``root`` (a project copy) with the model documents ``slugs`` added, built, and loaded into an Oxigraph store."""
    from conftest import run_dossier

    add_model_documents(root, slugs)
    run_dossier("build", cwd=root, check=True)
    store = ox.Store()
    for f in quad_files(root / "graph"):
        store.bulk_load(path=str(f), format=ox.RdfFormat.N_QUADS)
    return store


def answers(store: ox.Store, query: str) -> list[tuple]:
    """A SELECT's rows over the union of the store's graphs, as sorted tuples of plain values (None where unbound)."""
    return sorted((tuple(None if v is None else v.value for v in r) for r in store.query(query, use_default_graph_as_union=True)),
                  key=lambda row: tuple((v is None, v or "") for v in row))
