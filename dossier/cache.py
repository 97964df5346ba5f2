"""The build cache (.cache/build/, never committed): per-document results keyed by input hashes.

A document's entry is keyed by the sha256 of everything its result depends on: the text of its
mapping and of its document, the registry and link table, the ontology and the shapes (all
files under ontology/ and mappings/ except the document mappings), the code of this package
and the versions of the libraries that compute the result. Change any of them and the key
changes; an entry is never updated in place, only written whole and renamed into place, so a
crash leaves the cache usable. Delete .cache/build/ at any time: the next build recomputes it.

Input hashes are themselves remembered by (size, mtime, inode), as git's index does, so a
rebuild need not re-read ten thousand unchanged files to find the one that changed.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
import time
from importlib import metadata
from pathlib import Path

CACHE_DIR = Path(".cache") / "build"
_LIBRARIES = ("rdflib", "owlrl", "pyshacl", "pyoxigraph", "regex")
_PACKAGE = Path(__file__).resolve().parent
#: Modules and packages that do not compute the build's output (the rest of the package, new modules included, do).
_NOT_BUILD = ("cli.py", "pipeline.py", "push.py", "draft/", "link/", "serve/", "synthetic/")


def digest(*parts: bytes | str) -> str:
    h = hashlib.sha256()
    for part in parts:
        b = part.encode("utf-8") if isinstance(part, str) else part
        h.update(len(b).to_bytes(8, "little"))
        h.update(b)
    return h.hexdigest()


def code_version() -> str:
    """A hash of the package's modules that compute the build (not the server, not the CLI), of
    the libraries' versions and of the reader's bounds in force."""
    parts: list[bytes | str] = []
    for path in sorted(_PACKAGE.rglob("*.py")):
        name = path.relative_to(_PACKAGE).as_posix()
        if not name.startswith(_NOT_BUILD):
            parts += [name, path.read_bytes()]
    from .limits import current  # a document read under other bounds may pass or fail differently

    parts += ["limits", repr(current())]
    for lib in _LIBRARIES:
        try:
            parts += [lib, metadata.version(lib)]
        except metadata.PackageNotFoundError:
            parts += [lib, "-"]
    return digest(*parts)


class Cache:
    """Whole-file entries under ``root/.cache/build``, named by key."""

    def __init__(self, root: Path):
        self.dir = root / CACHE_DIR
        self._hashes_path = self.dir / "input-hashes.pickle"
        self._hashes: dict[str, tuple] | None = None
        self._hashes_dirty = False

    def path(self, kind: str, key: str) -> Path:
        return self.dir / kind / key[:2] / key

    def read(self, kind: str, key: str) -> bytes | None:
        try:
            return self.path(kind, key).read_bytes()
        except (FileNotFoundError, NotADirectoryError):
            return None

    def write(self, kind: str, key: str, data: bytes) -> Path:
        dest = self.path(kind, key)
        _write_whole(dest, data)
        return dest

    def load(self, kind: str, key: str):
        data = self.read(kind, key)
        if data is None:
            return None
        try:
            return pickle.loads(data)
        except Exception:  # a truncated or foreign entry: recompute it
            return None

    def store(self, kind: str, key: str, obj) -> None:
        self.write(kind, key, pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL))

    def prune(self, kind: str, keep: set[str], older_than: float = 3600) -> int:
        """Delete entries of ``kind`` not in ``keep`` and not touched for ``older_than`` seconds
        (a build running alongside may still want a recent one); returns how many went."""
        gone, now = 0, time.time()
        folder = self.dir / kind
        if not folder.is_dir():
            return 0
        for sub in os.scandir(folder):  # (os.scandir: ten thousand entries are too many for a Path each)
            for entry in os.scandir(sub.path) if sub.is_dir() else ():
                if entry.name in keep or entry.name.startswith(".tmp-"):
                    continue
                try:
                    if now - entry.stat().st_mtime > older_than:
                        os.unlink(entry.path)
                        gone += 1
                except FileNotFoundError:
                    pass
        return gone

    # ------------------------------------------------------------ input hashes

    def file_hash(self, path: Path | str) -> str:
        """sha256 of a file's bytes, remembered by (size, mtime, inode, ctime)."""
        if self._hashes is None:
            self._hashes = {}
            try:
                self._hashes = pickle.loads(self._hashes_path.read_bytes())
            except Exception:
                pass
        st = os.stat(path)
        stamp = (st.st_size, st.st_mtime_ns, st.st_ino, st.st_ctime_ns)
        key = os.fspath(path)
        known = self._hashes.get(key)
        if known is not None and known[0] == stamp:
            return known[1]
        with open(path, "rb") as fh:
            h = hashlib.sha256(fh.read()).hexdigest()
        # A file changed again within the clock's resolution of being hashed would keep its stamp:
        # remember only hashes of files that have been still for a while.
        if time.time_ns() - max(st.st_mtime_ns, st.st_ctime_ns) > 2_000_000_000:
            self._hashes[key] = (stamp, h)
            self._hashes_dirty = True
        return h

    def save_hashes(self) -> None:
        if self._hashes is not None and self._hashes_dirty:
            _write_whole(self._hashes_path, pickle.dumps(self._hashes, protocol=pickle.HIGHEST_PROTOCOL))
            self._hashes_dirty = False


def _write_whole(dest: Path, data: bytes) -> None:
    """Write a file under a temporary name, then rename it into place."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=dest.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, dest)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
