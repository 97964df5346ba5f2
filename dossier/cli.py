"""The `dossier` command: build, validate, and the rest; thin wiring over the package's functions."""

from __future__ import annotations

import argparse
import sys
import traceback
from pathlib import Path

from .problems import InputError, Problem

#: Exit statuses: 1 for defects in the inputs (each reported as file:line), 2 for a wrong command
#: line (argparse's), 3 for an internal error, a defect of Dossier itself rather than of the inputs.
EXIT_INPUT, EXIT_INTERNAL = 1, 3


def _root(args) -> Path:
    return Path(args.root).resolve()


def _report(problems: list[Problem], as_json: bool) -> None:
    for p in problems:
        print(p.as_json() if as_json else p.human(), file=sys.stdout if as_json else sys.stderr)
    if not as_json:
        print(f"{len(problems)} problem(s); graph/ left unchanged", file=sys.stderr)


def _shard(text: str | None) -> tuple[int, int] | None:
    if text is None:
        return None
    i, sep, n = text.partition("/")
    if not (sep and i.isdigit() and n.isdigit() and 1 <= int(i) <= int(n)):
        raise argparse.ArgumentTypeError(f"--shard {text}: write I/N with 1 <= I <= N, e.g. 2/4")
    return int(i), int(n)


def _internal_error(exc: Exception, debug: bool) -> int:
    """One line for an unexpected exception, naming the input file being read; the traceback only with --debug."""
    if debug:
        traceback.print_exception(exc, file=sys.stderr)
    where = getattr(exc, "dossier_file", None)
    detail = " ".join(str(exc).split())[:200] or "no message"
    print(f"internal error{f' while reading {where}' if where else ''}: {type(exc).__name__}: {detail} "
          f"(a defect of dossier, not of the input: please report it{'' if debug else '; --debug prints the traceback'})",
          file=sys.stderr)
    return EXIT_INTERNAL


def cmd_build(args) -> int:
    from .pipeline import build

    try:
        summary = build(_root(args), check_only=False, shard=args.shard)
    except InputError as exc:
        _report(exc.problems, args.json)
        return EXIT_INPUT
    print(summary)
    return 0


def cmd_validate(args) -> int:
    from .pipeline import build

    try:
        summary = build(_root(args), check_only=True)
    except InputError as exc:
        _report(exc.problems, args.json)
        return EXIT_INPUT
    print(summary)
    return 0


def cmd_link(args) -> int:
    from .draft import load_project
    from .link import DEFAULT_CACHE, DEFAULT_REVIEW, endpoint_from_env, run

    root = _root(args)
    project = load_project(root)
    if project.problems:
        for p in project.problems.items:
            print(p.human(), file=sys.stderr)
        print(f"{len(project.problems)} problem(s) in the registry or link table; fix them first", file=sys.stderr)
        return 1
    return run(root, project.registry, endpoint=endpoint_from_env(args.endpoint),
               cache_dir=root / (args.cache or DEFAULT_CACHE), offline=args.offline, do_check=args.check,
               out=Path(args.out).resolve() if args.out else root / DEFAULT_REVIEW, only=args.entity, say=print,
               strict=args.strict)


def cmd_draft(args) -> int:
    from .draft import run

    out = Path(args.out).resolve() if args.out else None
    return run(_root(args), Path(args.text).resolve(), out, args.stdout, args.force,
               say=lambda msg: print(msg, file=sys.stderr),
               update=Path(args.update).resolve() if args.update else None, published=args.published)


def cmd_serve(args) -> int:
    from .serve import serve
    from .serve.settings import from_arguments

    return serve(from_arguments(args, _root(args)))


def cmd_push(args) -> int:
    from .push import PushError, push

    try:
        push(_root(args), args.endpoint, everything=args.all, jobs=args.jobs, say=print)
    except (PushError, FileNotFoundError, OSError) as exc:
        print(f"push failed: {exc}", file=sys.stderr)
        return 1
    return 0


def main(argv: list[str] | None = None) -> int:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--debug", action="store_true", default=argparse.SUPPRESS,
                        help="on an internal error, print the Python traceback too")
    parser = argparse.ArgumentParser(prog="dossier", description=__doc__, parents=[common])
    parser.add_argument("--root", default=".", help="project folder (default: current folder)")
    sub = parser.add_subparsers(dest="command", required=True)
    add_parser = sub.add_parser

    def with_common(*a, **k):  # every command takes --debug too, after its name
        return add_parser(*a, parents=[common], **k)

    sub.add_parser = with_common

    p = sub.add_parser("build", help="map, reason, validate and write graph/ (atomically)")
    p.add_argument("--json", action="store_true", help="print errors as one JSON object per line")
    p.add_argument("--shard", type=_shard, metavar="I/N",
                   help="build only the I-th of N shares of the documents into the cache (.cache/build/), "
                        "not graph/; a plain `dossier build` then assembles graph/ from the cache")
    p.set_defaults(func=cmd_build)

    p = sub.add_parser("validate", help="check mappings and SHACL shapes without writing graph/")
    p.add_argument("--json", action="store_true", help="print errors as one JSON object per line")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("link", help="propose Wikidata candidates for unlinked entities into a review file "
                                    "(never into mappings/wikidata.sssom.tsv); --check re-checks confirmed links")
    p.add_argument("--check", action="store_true", help="check confirmed links' labels against Wikidata (or the cache)")
    p.add_argument("--strict", action="store_true",
                   help="with --check: exit 1 when any confirmed link could not be checked (not cached, unreachable)")
    p.add_argument("--offline", action="store_true", help="use the response cache only")
    p.add_argument("--endpoint", help="API URL (default: $DOSSIER_WIKIDATA_API or https://www.wikidata.org/w/api.php)")
    p.add_argument("--cache", help="response cache folder, relative to the project (default: .cache/wikidata)")
    p.add_argument("--out", help="review file to write (default: review/wikidata-candidates.sssom.tsv)")
    p.add_argument("--entity", action="append", help="only this registry id (repeatable)")
    p.set_defaults(func=cmd_link)

    p = sub.add_parser("draft", help="draft mappings/<slug>.yaml from a new document's text (documents/<slug>.txt)")
    p.add_argument("text", help="the document's text file, UTF-8, named <slug>.txt")
    p.add_argument("--out", help="write the draft here instead of mappings/<slug>.yaml")
    p.add_argument("--stdout", action="store_true", help="print the draft instead of writing a file")
    p.add_argument("--update", metavar="FILE",
                   help="add new suggestions to this already edited mapping, as comments at its end; "
                        "every line already in it is kept byte for byte")
    p.add_argument("--published", metavar="YYYY-MM-DD",
                   help="the publication date, to resolve relative dates ('on Wednesday', 'last month'); "
                        "default: the date in the text's first lines, or with --update the mapping's published")
    p.add_argument("--force", action="store_true", help="overwrite an existing mapping file")
    p.set_defaults(func=cmd_draft)

    p = sub.add_parser("serve", help="serve graph/: SPARQL endpoint, query page, entity and source pages")
    from .serve.settings import add_arguments as add_serve_arguments

    add_serve_arguments(p)
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("push", help="load graph/ into a SPARQL Graph Store Protocol server, one named graph per source")
    p.add_argument("endpoint", help="the store's Graph Store Protocol URL, e.g. http://127.0.0.1:7878/store")
    p.add_argument("--all", action="store_true", help="send every graph, not only those changed since the last push")
    p.add_argument("--jobs", type=int, default=4, help="requests in flight at once (default: 4)")
    p.set_defaults(func=cmd_push)

    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except InputError as exc:  # e.g. a limit set wrongly in the environment, met outside build and validate
        _report(exc.problems, getattr(args, "json", False))
        return EXIT_INPUT
    except Exception as exc:
        return _internal_error(exc, getattr(args, "debug", False))


if __name__ == "__main__":
    sys.exit(main())
