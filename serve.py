"""Serve graph/ over HTTP: `python serve.py [--host H] [--port P] ...` (see --help).

The same as `dossier serve`: builds graph/ first when it is missing or older than its inputs,
then serves the SPARQL endpoint (/sparql), the query page (/) and the entity and source pages.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from dossier.serve import serve
from dossier.serve.settings import add_arguments, from_arguments


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="serve.py", description=__doc__.splitlines()[0])
    parser.add_argument("--root", default=str(Path(__file__).resolve().parent), help="project folder (default: this file's folder)")
    add_arguments(parser)
    args = parser.parse_args(argv)
    return serve(from_arguments(args, Path(args.root).resolve()))


if __name__ == "__main__":
    sys.exit(main())
