"""The suggest services: entities by name prefix, and the types and properties a client may use."""

from __future__ import annotations

from .. import search
from .entities import ID_SPACE, TYPES, slug


def suggest_entities(index: search.SearchIndex, prefix: str, kind: str | None, limit: int) -> list[dict]:
    hits = [h for h in index.search(prefix, kind, limit=limit * 3, names_only=True).hits if h.type in TYPES and h.iri.startswith(ID_SPACE)]
    return [{"id": slug(h.iri), "name": h.label, "description": h.description or "", "notable": [{"id": h.type, "name": h.type}]}
            for h in hits[:limit]]


def suggest_named(options: dict[str, str], prefix: str) -> list[dict]:
    folded = search.fold(prefix)
    return [{"id": k, "name": v} for k, v in options.items() if not folded or folded in search.fold(k + " " + v)]
