"""What graph/ holds for a store to load: the N-Quads files, in a fixed order.

Every reader of graph/ (the server, push, downloads, tests) asks here, so the layout of
graph/ is decided in one place.
"""

from __future__ import annotations

from pathlib import Path


def quad_files(graph_dir: Path) -> list[Path]:
    """The N-Quads files that together hold every named graph of the built graph."""
    return [Path(graph_dir) / "dossier.nq"]
