"""The on-disk Oxigraph store every query worker opens read-only, built once from graph/.

A store lives outside graph/, in a folder named by a hash of graph/'s manifest, which holds
the checksum of every file (``.cache/store/<key>/``): a server that starts on a graph it has served before opens the store
at once instead of loading anything, and a rebuilt graph gets a new folder beside the old one,
so the old store stays whole for the queries still running on it. A store is written by one
child process into a ``.part`` folder and renamed into place when complete; once in place it is
never written again (Oxigraph forbids reading a store while another process writes it).

Each server holds a shared lock on the stores it uses; a store nobody holds is removed when a
server retires it or starts on another one.
"""

from __future__ import annotations

import fcntl
import hashlib
import itertools
import multiprocessing
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from ..graphdir import MANIFEST, quad_files

#: The file of a store folder that is not Oxigraph's: the manifest of the graph/ it was built from.
SOURCE = "dossier-manifest.json"
#: Times a start tries again when graph/ is rebuilt while its store is being loaded.
ATTEMPTS = 3


def signature(graph_dir: Path) -> tuple:
    """What graph/'s manifest looks like on disk now (size, time, inode): cheap, to notice a rebuild.

    The build writes the manifest last, so a changed manifest means a complete new graph/.
    """
    st = (Path(graph_dir) / MANIFEST).stat()
    return (st.st_size, st.st_mtime_ns, st.st_ino)


def graph_key(graph_dir: Path) -> str:
    """A hash of graph/'s content: of its manifest, which holds each file's sha256. Names the store built from it."""
    return hashlib.sha256((Path(graph_dir) / MANIFEST).read_bytes()).hexdigest()[:32]


class GraphChanged(Exception):
    """graph/ was rebuilt while a store was being loaded from it: the store would not match its key."""


def write_store(graph_dir: str, key: str, dest: str) -> None:
    """Load graph/'s files into a new on-disk store at ``dest``, if graph/ is still the one named ``key``.

    Run in a child process, so that the bulk load's memory goes with it. The manifest is checked
    again after the load: a store whose graph/ changed meanwhile is thrown away, never named.
    """
    part = Path(f"{dest}.part-{os.getpid()}")
    shutil.rmtree(part, ignore_errors=True)
    manifest = (Path(graph_dir) / MANIFEST).read_bytes()
    if graph_key(Path(graph_dir)) != key:
        raise GraphChanged(graph_dir)
    store = ox.Store(str(part))
    # one bulk load for every file: a bulk load per file writes a batch of table files each time,
    # which at 1,000 documents took minutes to merge; each file is parsed on its own (blank nodes stay its own)
    store.bulk_extend(itertools.chain.from_iterable(
        ox.parse(path=str(path), format=ox.RdfFormat.N_QUADS) for path in quad_files(Path(graph_dir))))
    store.flush()
    store.optimize()
    del store  # closes the database before anyone may open it read-only
    if (Path(graph_dir) / MANIFEST).read_bytes() != manifest:
        shutil.rmtree(part, ignore_errors=True)
        raise GraphChanged(graph_dir)
    (part / SOURCE).write_bytes(manifest)
    try:
        os.rename(part, dest)
    except OSError:  # another server built the same store meanwhile: it is identical, keep that one
        shutil.rmtree(part, ignore_errors=True)
        if not Path(dest).is_dir():
            raise


@dataclass
class StoreHandle:
    """A complete store folder, held (shared lock) by this server while its workers may read it."""

    path: Path
    key: str
    lock: int | None = None

    def hold(self) -> "StoreHandle":
        self.lock = os.open(self.path.with_name(self.path.name + ".lock"), os.O_RDONLY | os.O_CREAT, 0o644)
        fcntl.flock(self.lock, fcntl.LOCK_SH)
        return self

    def release(self) -> None:
        if self.lock is not None:
            os.close(self.lock)
            self.lock = None


def ensure_store(graph_dir: Path, cache: Path) -> StoreHandle:
    """The store of graph/ as it is, built first if there is none; held by the caller.

    Blocking (a build takes as long as loading graph/ once): the server calls it off its event loop.
    """
    cache.mkdir(parents=True, exist_ok=True)
    for _ in range(ATTEMPTS):
        key = graph_key(graph_dir)
        dest = cache / key
        handle = StoreHandle(dest, key).hold()  # before building, so that no other server removes it once in place
        if dest.is_dir():
            return handle
        ctx = multiprocessing.get_context("spawn")  # not the workers' fork server, which must start with their imports
        child = ctx.Process(target=write_store, args=(str(graph_dir), key, str(dest)), name="dossier-store-build")
        child.start()
        child.join()
        if dest.is_dir():
            return handle
        handle.release()
        if graph_key(graph_dir) == key:  # graph/ did not change: the load itself failed
            break
    raise RuntimeError(f"building the store from {graph_dir} failed (exit status {child.exitcode}); see the messages above")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_unused(cache: Path, keep: str | None = None) -> list[str]:
    """Remove the stores no server holds (and builds left by a process that died), except ``keep``; their keys."""
    removed = []
    if not cache.is_dir():
        return removed
    for path in sorted(cache.iterdir()):
        if not path.is_dir() or path.name == keep:
            continue
        if ".part-" in path.name:
            pid = path.name.rsplit("-", 1)[-1]
            if pid.isdigit() and not _alive(int(pid)):
                shutil.rmtree(path, ignore_errors=True)
            continue
        lock_path = path.with_name(path.name + ".lock")
        fd = os.open(lock_path, os.O_RDONLY | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            continue
        try:
            shutil.rmtree(path, ignore_errors=True)
            lock_path.unlink(missing_ok=True)
            removed.append(path.name)
        finally:
            os.close(fd)
    return removed


def open_read_only(path: Path) -> ox.Store:
    """A worker's view of a complete store: read-only, so any number of processes share one copy on disk."""
    return ox.Store.read_only(str(path))
