"""CPU time of the build's per-document step (map, reason, validate, serialize), one process.

    python -m bench.perdoc ROOT [--every K] [--profile N]

Runs dossier.build.document.process_document on every K-th document of the project at ROOT
(after one warm-up document, which is also counted) and prints the CPU milliseconds per
document, measured with time.process_time: on a shared machine, load changes wall time many
times more than it changes CPU time. With --profile, cProfile's N costliest functions follow
(the profiler's own overhead inflates the total). Nothing is written to the cache but the
registry's and the reasoner's shared entries.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import sys
import time
from pathlib import Path

from dossier.build.document import process_document
from dossier.build.plan import load_shared, mapping_files
from dossier.cache import Cache
from dossier.problems import Problems


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("root", type=Path)
    ap.add_argument("--every", type=int, default=1, help="every K-th document (default: all)")
    ap.add_argument("--profile", type=int, default=0, metavar="N", help="print cProfile's N costliest functions")
    args = ap.parse_args(argv)
    root = args.root.resolve()
    found = Problems()
    shared = load_shared(root, Cache(root), found)
    if shared is None or found:
        print("\n".join(p.human() for p in found.items[:20]), file=sys.stderr)
        return 1
    paths = mapping_files(root)[::max(1, args.every)]
    if not paths:
        print(f"{root}: no mappings", file=sys.stderr)
        return 1
    process_document(shared, paths[0])  # warm-up: imports, the reasoner's first templates
    profiler = cProfile.Profile() if args.profile else None
    start = time.process_time()
    if profiler is not None:
        profiler.enable()
    for path in paths:
        result, _, problems = process_document(shared, path)
        if result is None:
            print("\n".join(p.human() for p in problems[:20]), file=sys.stderr)
            return 1
    if profiler is not None:
        profiler.disable()
    cpu = time.process_time() - start
    print(json.dumps({"documents": len(paths), "cpu_ms_per_document": round(1000 * cpu / len(paths), 1),
                      "profiled": profiler is not None}))
    if profiler is not None:
        pstats.Stats(profiler, stream=sys.stdout).sort_stats("cumulative").print_stats(args.profile)
    return 0


if __name__ == "__main__":
    sys.exit(main())
