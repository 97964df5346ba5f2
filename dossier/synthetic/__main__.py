"""The command line: ``python -m dossier.synthetic OUT --n 1000 [--seed 0]``."""

from __future__ import annotations

import argparse
from pathlib import Path

from . import __doc__ as ABOUT
from .project import generate


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m dossier.synthetic", description=ABOUT.split("\n\n")[0])
    ap.add_argument("out", type=Path, help="project folder to (re)create")
    ap.add_argument("--n", type=int, default=100, help="number of documents")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    slugs = generate(args.out, args.n, args.seed)
    print(f"{len(slugs)} synthetic documents in {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
