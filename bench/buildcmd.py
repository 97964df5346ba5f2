"""`dossier build` as the benchmark runs it: the same code path, reporting its stages as JSON.

    python -m bench.buildcmd ROOT
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from pathlib import Path

t0 = time.perf_counter()

from dossier.build import run_build  # noqa: E402
from dossier.problems import InputError  # noqa: E402


def cpu_seconds() -> float:
    """CPU time of this process and of its reaped workers: what load on a shared machine barely changes."""
    own, workers = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + workers.ru_utime + workers.ru_stime


def main(argv: list[str]) -> int:
    root = Path(argv[0]).resolve()
    imported = time.perf_counter() - t0
    try:
        report = run_build(root, root / "graph", progress=False)
    except InputError as exc:
        print("\n".join(p.human() for p in exc.problems[:20]), file=sys.stderr)
        return 1
    print(json.dumps({
        "documents": report.documents, "triples": report.triples, "processed": report.processed,
        "timings": {"imports": round(imported, 4), **report.timings},
        "seconds": round(time.perf_counter() - t0, 4),
        "cpu_seconds": round(cpu_seconds(), 2), "load_average": round(os.getloadavg()[0], 2),
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
