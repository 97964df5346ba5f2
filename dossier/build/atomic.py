"""Writing graph/ atomically: a complete new folder is made beside it, then exchanged with it.

The new folder ``.graph.new-<pid>-<random>`` gets every file (a file the previous graph/ already
holds with the same bytes is hard-linked, not written again), then the manifest last. On Linux
the two folders are swapped in one step (renameat2 with RENAME_EXCHANGE), so graph/ is never
absent, even if the build is killed. Where that is not available, the old folder is renamed to
``.graph.old-<pid>`` and the new one into place; a kill between the two renames leaves no
graph/, so every build and every server start first calls ``recover``, which puts the complete
copy back and removes the leftovers of builds that died.

Fault injection, for tests: DOSSIER_FAULT_PAUSE=swap makes the build print ``paused before
swap`` to stderr and wait there (between the two renames when falling back);
DOSSIER_NO_EXCHANGE=1 forces the fallback.
"""

from __future__ import annotations

import ctypes
import errno
import os
import secrets
import shutil
import sys
import time
from pathlib import Path

from ..graphdir import MANIFEST

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _renameat2():
    try:
        return ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return None


def _can_exchange() -> bool:
    return not os.environ.get("DOSSIER_NO_EXCHANGE") and sys.platform.startswith("linux") and _renameat2() is not None


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step (Linux renameat2); False where the system or file system cannot."""
    renameat2 = _renameat2()
    if renameat2 is None:
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):
        return False
    raise OSError(err, f"exchanging {a} and {b}: {os.strerror(err)}")


def _pause(point: str) -> None:
    if os.environ.get("DOSSIER_FAULT_PAUSE") == point:
        print(f"paused before {point}", file=sys.stderr, flush=True)
        while True:
            time.sleep(60)


def _siblings(out_dir: Path, kind: str) -> list[Path]:
    return sorted(out_dir.parent.glob(f".{out_dir.name}.{kind}-*"))


def _owner_alive(path: Path) -> bool:
    pid = path.name.rsplit(".", 1)[-1].split("-")[1]
    if not pid.isdigit() or int(pid) == os.getpid():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def recover(out_dir: Path) -> str | None:
    """Put back graph/ if a build died between its two renames, and remove dead builds' leftovers.

    Returns what was put back, or None.
    """
    out_dir = Path(out_dir).absolute()
    restored = None
    dead = [p for kind in ("new", "old") for p in _siblings(out_dir, kind) if not _owner_alive(p)]
    if not out_dir.exists():
        # a complete new copy (its manifest is written last) was about to replace the old one
        for p in [p for p in dead if ".new-" in p.name] + [p for p in dead if ".old-" in p.name]:
            if (p / MANIFEST).is_file():
                os.rename(p, out_dir)
                restored = p.name
                break
    for p in dead:
        if p.exists():
            shutil.rmtree(p, ignore_errors=True)
    return restored


def write_graph(out_dir: Path, parts: list, manifest: str, reuse: dict[str, str]) -> set[str]:
    """Write ``parts`` (assemble.Part) and the manifest as the new graph/; on failure graph/ is untouched.

    ``reuse`` gives the sha256 of files of the current graph/ known to be intact: a part with the
    same name and sha256 is hard-linked from there instead of written. Returns the names linked.
    """
    out_dir = Path(out_dir).absolute()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = out_dir.with_name(f".{out_dir.name}.new-{os.getpid()}-{secrets.token_hex(4)}")
    tmp.mkdir(mode=0o755)
    try:
        new, old = os.fspath(tmp), os.fspath(out_dir)  # strings: pathlib costs more than the link
        made, linked = {new}, set()
        for part in parts:
            name = part.info.file
            dest = f"{new}/{name}"
            parent = os.path.dirname(dest)
            if parent not in made:
                os.makedirs(parent, exist_ok=True)
                made.add(parent)
            if reuse.get(name) == part.info.sha256 and _link(f"{old}/{name}", dest):
                linked.add(name)
                continue
            with open(dest, "wb") as fh:
                if part.data is not None:
                    fh.write(part.data)
                else:
                    _copy_slice(part.entry, part.offset, part.length, fh)
                fh.flush()
                os.fsync(fh.fileno())
        with open(tmp / MANIFEST, "w", encoding="utf-8") as fh:
            fh.write(manifest)
            fh.flush()
            os.fsync(fh.fileno())
        _swap(tmp, out_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return linked


def _swap(tmp: Path, out_dir: Path) -> None:
    if not out_dir.exists():
        _pause("swap")
        os.rename(tmp, out_dir)
        return
    exchange = _can_exchange()
    if exchange:
        _pause("swap")
        if _exchange(tmp, out_dir):  # tmp now holds the old graph/
            shutil.rmtree(tmp)
            return
    old = out_dir.with_name(f".{out_dir.name}.old-{os.getpid()}")
    os.rename(out_dir, old)
    if not exchange:
        _pause("swap")
    try:
        os.rename(tmp, out_dir)
    except BaseException:
        os.rename(old, out_dir)
        raise
    shutil.rmtree(old)


def _link(src: str, dest: str) -> bool:
    try:
        os.link(src, dest)
        return True
    except OSError:
        return False


def _copy_slice(entry: Path, offset: int, length: int, out) -> None:
    """Copy ``length`` bytes at ``offset`` of ``entry`` to the file ``out`` (in the kernel where it can)."""
    with open(entry, "rb") as src:
        try:
            while length > 0:
                done = os.copy_file_range(src.fileno(), out.fileno(), length, offset)
                if done <= 0:
                    break
                offset, length = offset + done, length - done
        except (OSError, AttributeError):
            pass
        if length > 0:  # no copy_file_range here (or it stopped short): copy through memory
            src.seek(offset)
            data = src.read(length)
            if len(data) != length:
                raise OSError(f"{entry} is shorter than its header says: delete it and build again")
            out.write(data)
