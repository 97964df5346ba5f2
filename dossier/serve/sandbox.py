"""Limits a worker process puts on itself before it loads the store: no network, bounded memory.

The query checks (policy.py) already refuse SERVICE; taking the network away from the worker
is the second wall, so that even a query the checks misread cannot reach any host, the local
one included. It needs Linux network namespaces (root, or unprivileged user namespaces); where
they are not available the worker says so and the server prints it at start.
"""

from __future__ import annotations

import ctypes
import os
import sys

CLONE_NEWUSER = 0x10000000
CLONE_NEWNET = 0x40000000


def isolate_network() -> str:
    """Move this (single-threaded) process into a new, empty network namespace; say how it went."""
    if not sys.platform.startswith("linux"):
        return f"not isolated (network namespaces need Linux, this is {sys.platform})"
    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError as exc:  # pragma: no cover - no libc
        return f"not isolated ({exc})"
    errors = []
    for flags in (CLONE_NEWNET, CLONE_NEWUSER | CLONE_NEWNET):
        if libc.unshare(flags) == 0:
            return "isolated (own empty network namespace)"
        errors.append(os.strerror(ctypes.get_errno()))
    return f"not isolated (unshare: {'; '.join(errors)})"


def limit_memory(megabytes: int) -> None:
    """Cap this process's address space; a query that needs more ends the process, not the server."""
    try:
        import resource
    except ImportError:  # pragma: no cover - not POSIX
        return
    limit = megabytes << 20
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
