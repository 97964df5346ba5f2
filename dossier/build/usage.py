"""The registry rule that needs every document: each registry entity is named by at least one document.

An entity no mapping mentions or states anything about is either a leftover or a missing mention;
either way a contributor fixes it at the registry entry's line (mappings/README.md, "The registry").
"""

from __future__ import annotations

from ..namespace import entity_iri
from ..problems import Problem
from .plan import Shared


def unused_entities(shared: Shared, named: set) -> list[Problem]:
    """A problem at its file:line for each registry entity that no document's graph names (``named``: IRIs, as strings)."""
    out = []
    for eid, e in sorted(shared.ctx.registry.entities.items()):
        if str(entity_iri(eid)) not in named:
            out.append(Problem(e.file, e.line, eid, "no document names this entity: mention it in the mapping "
                                                    "of a document that names it (mentions:) or remove it"))
    return out
