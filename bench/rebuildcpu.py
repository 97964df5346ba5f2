"""CPU time of one-document rebuilds, in all and per stage of the assembly, one process.

    python -m bench.rebuildcpu ROOT [--edits 3]

Edits one statement's wording in each of --edits documents of the project at ROOT (a built
synthetic corpus: `python -m dossier.synthetic ROOT --n 1000`, then `dossier --root ROOT build`),
rebuilding after each, and prints the CPU seconds (time.process_time, which load on a shared
machine changes far less than wall time) of the rebuild and of each stage it passes through:
reading the shared inputs, the cache entries' outlines, the cross-document check, the shared graphs, the
agreement graph, the search documents, the whole assembly and writing graph/. The edits stay in
the mappings: run it on a scratch copy. Set DOSSIER_JOBS=1 to keep the build in one process.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import time
from collections import defaultdict
from pathlib import Path

from dossier.build import run_build

#: (module, function) of the stages timed; a stage the code does not have is left out.
STAGES = [("dossier.build", "load_shared"), ("dossier.build", "_outlines"), ("dossier.build", "check_across_documents"),
          ("dossier.build.assemble", "shared_parts"), ("dossier.build.assemble", "agreement_triples"),
          ("dossier.build.assemble", "agreement_parts"),
          ("dossier.build.assemble", "search_part"), ("dossier.build", "assemble"), ("dossier.build", "write_graph")]


def timed(spent: dict) -> None:
    """Wrap each stage's function so that its CPU seconds add up in ``spent``."""
    for module, name in STAGES:
        mod = importlib.import_module(module)
        f = getattr(mod, name, None)
        if not callable(f):
            continue

        def wrapper(*args, _f=f, _name=name, **kwargs):
            t = time.process_time()
            try:
                return _f(*args, **kwargs)
            finally:
                spent[_name] += time.process_time() - t

        setattr(mod, name, wrapper)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("root", type=Path)
    ap.add_argument("--edits", type=int, default=3)
    args = ap.parse_args(argv)
    spent: dict = defaultdict(float)
    timed(spent)
    mappings = sorted((args.root / "mappings").glob("*.yaml"))
    stamp = time.strftime("%H%M%S")
    for i in range(args.edits):
        mapping = mappings[(i + 1) * len(mappings) // (args.edits + 1)]
        text = mapping.read_text(encoding="utf-8")
        if 'content: "' not in text:
            print(f"{mapping.name}: no statement to reword", file=sys.stderr)
            return 1
        mapping.write_text(text.replace('content: "', f'content: "Reworded {stamp}-{i}: ', 1), encoding="utf-8")
        spent.clear()
        start = time.process_time()
        report = run_build(args.root, args.root / "graph", progress=False)
        total = time.process_time() - start
        parts = ", ".join(f"{name} {spent[name]:.2f}" for _, name in STAGES if name in spent)
        print(f"{mapping.name}: {report.processed} document redone, {total:.2f} s CPU ({parts})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
