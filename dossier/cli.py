"""The `dossier` command: build, validate, and the rest; thin wiring over the package's functions."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .problems import InputError, Problem


def _root(args) -> Path:
    return Path(args.root).resolve()


def _report(problems: list[Problem], as_json: bool) -> None:
    for p in problems:
        print(p.as_json() if as_json else p.human(), file=sys.stdout if as_json else sys.stderr)
    if not as_json:
        print(f"{len(problems)} problem(s); graph/ left unchanged", file=sys.stderr)


def cmd_build(args) -> int:
    from .pipeline import build

    try:
        summary = build(_root(args), check_only=False)
    except InputError as exc:
        _report(exc.problems, args.json)
        return 1
    print(summary)
    return 0


def cmd_validate(args) -> int:
    from .pipeline import build

    try:
        summary = build(_root(args), check_only=True)
    except InputError as exc:
        _report(exc.problems, args.json)
        return 1
    print(summary)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="dossier", description=__doc__)
    parser.add_argument("--root", default=".", help="project folder (default: current folder)")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("build", help="map, reason, validate and write graph/ (atomically)")
    p.add_argument("--json", action="store_true", help="print errors as one JSON object per line")
    p.set_defaults(func=cmd_build)

    p = sub.add_parser("validate", help="check mappings and SHACL shapes without writing graph/")
    p.add_argument("--json", action="store_true", help="print errors as one JSON object per line")
    p.set_defaults(func=cmd_validate)

    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
