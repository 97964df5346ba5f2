"""A document's cache entry: 8 bytes giving the header's length, the pickled header (DocResult),
then the bytes of the document's graph files, which the header locates by offset and length.

Reading the header alone tells the assembly what a document contributes; its files' bytes are
copied straight from the entry into graph/ only when they changed.
"""

from __future__ import annotations

import pickle
from pathlib import Path


def pack(head, blob: bytes) -> bytes:
    data = pickle.dumps(head, protocol=pickle.HIGHEST_PROTOCOL)
    return len(data).to_bytes(8, "little") + data + blob


def read_head(path: Path) -> tuple[object, int] | None:
    """(header, where the bytes after it start), or None when the entry is missing or damaged."""
    try:
        with open(path, "rb") as fh:
            n = int.from_bytes(fh.read(8), "little")
            head = pickle.loads(fh.read(n))
            size = fh.seek(0, 2)
    except Exception:  # missing or damaged: recompute
        return None
    parts = getattr(head, "parts", None)
    if parts is None or any(8 + n + off + length > size for *_, off, length in parts):
        return None  # cut short
    return head, 8 + n
