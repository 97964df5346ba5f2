"""A document's cache entry: 8 bytes giving the header's length, the pickled header (DocResult),
then the bytes of the document's graph files, which the header locates by offset and length.

Reading the header alone tells the assembly what a document contributes; its files' bytes are
copied straight from the entry into graph/ only when they changed. The build keeps an outline of
every entry's header in index files (outline.py), so that a rebuild stats the entries instead of opening them.
"""

from __future__ import annotations

import pickle
from pathlib import Path


def pack(head, blob: bytes) -> bytes:
    data = pickle.dumps(head, protocol=pickle.HIGHEST_PROTOCOL)
    return len(data).to_bytes(8, "little") + data + blob


def read_head(path: Path) -> tuple[object, int] | None:
    """(header, where the bytes after it start), or None when the entry is missing or damaged."""
    raw = read_raw(path)
    return None if raw is None else load_head(*raw)


def read_raw(path: Path) -> tuple[bytes, int, int] | None:
    """(the pickled header, where the bytes after it start, the entry's size), or None when it is missing."""
    try:
        with open(path, "rb") as fh:
            n = int.from_bytes(fh.read(8), "little")
            data = fh.read(n)
            size = fh.seek(0, 2)
    except OSError:
        return None
    return data, 8 + n, size


def load_head(data: bytes, start: int, size: int) -> tuple[object, int] | None:
    """(header, start) from a pickled header, or None when it does not unpickle or the entry (``size``
    bytes) is too short for the files it locates."""
    try:
        head = pickle.loads(data)
    except Exception:  # damaged: recompute
        return None
    parts = getattr(head, "parts", None)
    if parts is None or any(start + off + length > size for *_, off, length in parts):
        return None  # cut short
    return head, start
