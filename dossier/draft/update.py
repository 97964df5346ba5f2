"""`dossier draft --update FILE`: new suggestions added to a mapping someone has already edited.

The edited file is never rewritten: every byte the contributor wrote stays as it was, and the
suggestions the file does not hold yet (an entity it does not mention, a statement, event or
listing whose sentence no quote of the file covers, an alias to review) are appended as one
commented block to move up or delete. Running it again adds only what is still new; since
the file is the only memory, a suggestion deleted from it is offered again (a commented line
left in place turns it down for good).
"""

from __future__ import annotations

import dataclasses
import re
from typing import TYPE_CHECKING

from ..quotes import DocumentText
from ..registry import Registry
from .render import designation_lines, event_lines, mention_lines, statement_lines

if TYPE_CHECKING:
    from . import Draft

QUOTE_LINE = re.compile(r"""\bquotes?:\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^']|'')*)'|([^#\n{}\[\],][^#\n]*?))\s*(?:[,}#]|$)""")
MARK = "# ---- `dossier draft --update`"


def published_in(mapping: str) -> str | None:
    """The full publication date an edited mapping gives, to resolve relative dates against."""
    m = re.search(r"""^\s*published:\s*["']?(\d{4}-\d{2}-\d{2})\b""", mapping, re.M)
    return m.group(1) if m else None


def _quoted_spans(mapping: str, doc: DocumentText) -> list[tuple[int, int]]:
    spans = []
    for m in QUOTE_LINE.finditer(mapping):
        raw = m.group(1) if m.group(1) is not None else m.group(2) if m.group(2) is not None else m.group(3)
        if raw is None:
            continue
        value = raw.encode().decode("unicode_escape").encode("latin-1").decode("utf-8") if m.group(1) is not None \
            else raw.replace("''", "'")
        spans.extend(doc.find_all(value.strip()))
    return spans


def new_suggestions(mapping: str, d: Draft) -> Draft:
    """The part of a draft that the edited mapping does not hold yet."""
    doc = DocumentText(d.text)
    covered = _quoted_spans(mapping, doc)

    def new(a: int, b: int) -> bool:
        return not any(x < b and a < y for x, y in covered)

    named = set(re.findall(r"\bentity:\s*([a-z][a-z0-9-]*)", mapping))
    return dataclasses.replace(
        d,
        first_mentions=[(m, ev) for m, ev in d.first_mentions if m.entity not in named],
        near=[n for n in d.near if f"add alias {n.name!r}" not in mapping and n.name not in mapping],
        speech=[s for s in d.speech if new(s.start, s.end) and new(*s.evidence)],
        events=[e for e in d.events if new(e.start, e.end)],
        listings=[x for x in d.listings if new(x.start, x.end)],
    )


def merge(mapping: str, d: Draft, reg: Registry, statement_types: list[str]) -> tuple[str, int]:
    """The edited mapping, unchanged, followed by a commented block of new suggestions; and their count."""
    fresh = new_suggestions(mapping, d)
    doc = DocumentText(d.text)
    count = len(fresh.first_mentions) + len(fresh.speech) + len(fresh.events) + len(fresh.listings) + len(fresh.near)
    if not count:
        return mapping, 0
    body: list[str] = []
    if fresh.first_mentions:
        body += mention_lines(fresh)
    if fresh.speech:
        lines = statement_lines(fresh, doc, statement_types)
        body += [re.sub(r"^(\s*- id: )statement-", r"\1new-statement-", ln) for ln in lines]
    body += event_lines(fresh, doc) + designation_lines(fresh, doc)
    for n in fresh.near:
        body.append(f"# add alias {n.name!r} to {n.entity}? near miss of '{n.spelling}': {n.how}")
    block = [f"{MARK}: {count} new suggestion(s). Move what is right into the sections above",
             "# (without the leading '# '), delete the rest; nothing above this line was changed."]
    block += [ln if ln.startswith("#") else f"# {ln}" for ln in body]
    sep = "" if mapping.endswith("\n") or not mapping else "\n"
    return mapping + sep + "\n" + "\n".join(block) + "\n", count
