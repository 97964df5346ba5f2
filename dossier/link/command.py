"""The `dossier link` command: propose candidates into a review file, or check confirmed links."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from ..registry import NO_TERM, Registry
from .check import check
from .client import WikidataClient
from .propose import propose, review_tsv

DEFAULT_CACHE = ".cache/wikidata"
DEFAULT_REVIEW = "review/wikidata-candidates.sssom.tsv"


def run(root: Path, reg: Registry, *, endpoint: str, cache_dir: Path, offline: bool, do_check: bool,
        out: Path, only: list[str] | None, say: Callable[[str], None], strict: bool = False) -> int:
    """The `dossier link` command; returns the exit status.

    1 when --check finds a bad link, or, with ``strict``, when any confirmed link could not be
    checked (neither cached nor reachable): offline, "0 problems" alone would hide them.
    """
    client = WikidataClient(cache_dir=cache_dir, endpoint=endpoint, offline=offline)
    if offline:
        say("offline: using cache only")
    try:
        if do_check:
            res = check(reg, client)
            for note in client.notices:
                say(note)
            for p in res.problems:
                say(p)
            say(f"checked {res.checked} confirmed link(s) against Wikidata answers "
                f"({client.fetched} fetched, {client.from_cache} from cache); "
                f"{len(res.unchecked)} not checked (not in the cache); {len(res.problems)} problem(s)")
            if res.unchecked:
                shown = ", ".join(res.unchecked[:5]) + (", ..." if len(res.unchecked) > 5 else "")
                say(f"{len(res.unchecked)} of {len(res.unchecked) + res.checked} confirmed link(s) could not be checked "
                    f"({shown}): run where Wikidata can be reached, or fill the cache"
                    + ("" if strict else "; --strict makes this an error"))
            return 1 if res.problems or (strict and res.unchecked) else 0
        res = propose(reg, client, only)
        for note in client.notices:
            say(note)
        rowless = sorted(e for e in reg.entities if e not in reg.links)
        if rowless:
            say(f"{len(rowless)} registry entities have no row in {reg.sssom_file} (e.g. {', '.join(rowless[:3])}): "
                f"add one with object_id {NO_TERM} until a QID is confirmed")
        shown = out.relative_to(root) if out.is_relative_to(root) else out
        total = len(res.searched) + len(res.unavailable)
        if not res.searched:
            say(f"no answers for any of the {total} unlinked entities (none in the cache): "
                f"{shown} not written; run again when Wikidata can be reached")
            return 0
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(review_tsv(res.candidates), encoding="utf-8")
        say(f"{len(res.candidates)} candidate(s) for {len({c.entity for c in res.candidates})} of "
            f"{total} unlinked entities written to {shown} for review "
            f"({client.fetched} answers fetched, {client.from_cache} from cache); "
            f"{len(res.unavailable)} entities not searched (not in the cache). "
            f"{reg.sssom_file} was not changed: confirm a candidate by editing its row there.")
        return 0
    finally:
        client.close()
