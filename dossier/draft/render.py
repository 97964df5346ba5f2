"""The draft as mapping YAML, with DRAFT/TODO/REQUIRED marks for the person finishing it.

Records a reader only has to check (mentions, statements) are written live; records that need
registry ids the text may not give (events, designations) and proposals that would change the
registry (aliases, new entities) are written as comments to uncomment or act on.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from ..quotes import DocumentText
from ..registry import Registry
from .names import AGENT_TYPES
from .text import unique_quote

if TYPE_CHECKING:
    from . import Draft

KIND_TITLES = {"person": "people", "organization": "organizations", "place": "places", "legislation": "laws and bills",
               "unknown": "of unknown type"}


def q(s: str) -> str:
    """A YAML double-quoted scalar that reads back to exactly ``s``."""
    out = json.dumps(s, ensure_ascii=False)
    for ch in ("\u2028", "\u2029", "\u0085", "\ufeff"):
        out = out.replace(ch, f"\\u{ord(ch):04x}")
    return out


def evidence(text: str, ev: tuple[int, int, int | None]) -> str:
    a, b, occ = ev
    return f"quote: {q(text[a:b])}" + (f", occurrence: {occ}" if occ else "")


def source_block(d: Draft, reg: Registry, genres: list[str], text_path: str) -> list[str]:
    text = d.text
    lines = ["source:", f"  id: {d.slug}"]
    first_line = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")
    lines.append(f"  title: {q(first_line[:300])}  # DRAFT: the text's first line; check it is the title")
    lines.append(f"  genre: TODO  # REQUIRED: one of {' | '.join(genres)}")
    agents = [m.entity for m, _ in d.first_mentions if reg.entities[m.entity].type in AGENT_TYPES]
    hint = f"; named in the text: {', '.join(agents[:8])}" if agents else ""
    lines.append(f"  author: [TODO]  # REQUIRED: registry ids of the author(s){hint}")
    lines.append("  publisher: TODO  # REQUIRED: registry id of the publisher")
    if d.published:
        lines.append(f"  published: \"{d.published.value}\"  # DRAFT: the date in the text's first lines "
                     f"({q(d.published.text)}, chars {d.published.start}-{d.published.end}); relative dates use it")
        lines.append(f"  # date_inferred: REQUIRED: how the date was worked out, e.g. \"Dated {d.published.text} "
                     "at the head of the text\"")
    else:
        full = sorted({f.value for f in d.dates if not f.value.startswith("--") and not f.note})
        dhint = f"; dates in the text: {', '.join(full[-6:])}" if full else ""
        lines.append(f"  published: TODO  # REQUIRED: YYYY, YYYY-MM or YYYY-MM-DD, as precise as the evidence{dhint}")
        lines.append("  # date_inferred: REQUIRED: how the date was worked out (dateline, byline, internal evidence)")
    lines.append(f"  sha256: {d.sha256}")
    if d.received_as and d.received_as != f"{d.slug}.txt":
        lines.append(f"  received_as: {q(d.received_as)}")
    else:
        lines.append("  # received_as: optional, the file name the text arrived as")
    lines.append("  language: en  # DRAFT: check")
    lines.append("  # url: optional, where the text was published")
    return lines


def mention_lines(d: Draft) -> list[str]:
    near = {(n.start, n.end): n for n in d.near}
    lines = ["mentions:  # one per registry entity found in the text; delete any that is a false hit"]
    for m, ev in d.first_mentions:
        count = sum(1 for x in d.mentions if x.entity == m.entity)
        note = f"  # chars {ev[0]}-{ev[1]}; {count} occurrence(s)"
        if len(m.candidates) > 1:
            note += f"; DRAFT: ambiguous name, could be {' or '.join(m.candidates)}"
        if (m.start, m.end) in near:
            n = near[(m.start, m.end)]
            note += f"; DRAFT: near miss of '{n.spelling}' ({n.how}): see the aliases to review below"
        lines.append(f"  - {{entity: {m.entity}, {evidence(d.text, ev)}}}{note}")
    if not d.first_mentions:
        return ["mentions: []  # no registry name found: add entities to mappings/entities/ first"]
    return lines


def statement_lines(d: Draft, doc: DocumentText, statement_types: list[str]) -> list[str]:
    text = d.text
    if not d.speech:
        return ["# statements: none drafted (no quotation or reported speech found)"]
    lines = ["statements:  # DRAFT: quoted and reported speech; check speaker and type, write content, or delete"]
    for n, s in enumerate(d.speech, start=1):
        a, b = s.evidence
        ev = unique_quote(doc, a, b, (a, b))
        lines.append(f"  - id: statement-{n}")
        lines.append(f"    type: {s.kind}  # DRAFT: check type ({' | '.join(statement_types)})")
        if s.speaker:
            lines.append(f"    speaker: {s.speaker}  # DRAFT: check speaker ({s.reason})")
        elif s.speaker_described:
            lines.append(f"    speaker_described: {q(s.speaker_described)}  # DRAFT: an unnamed or collective speaker "
                         f"({s.reason}); a registry id under speaker: if it has one")
        elif s.speaker_name:
            lines.append(f"    speaker: TODO  # DRAFT: {q(s.speaker_name)} ({s.reason}): add it to "
                         "mappings/entities/, then write its id")
        else:
            lines.append(f"    speaker: TODO  # DRAFT: check speaker ({s.reason}); a registry id")
        if s.second_hand:
            lines.append("    # DRAFT: second-hand: the speaker passes on someone else's words; write those as their "
                         "own statement and join the two with reports:")
        if s.about:
            lines.append(f"    about: [{', '.join(s.about)}]  # DRAFT: entities named in the passage")
        for f in s.dates[:1]:
            lines.append(f"    date: \"{f.value}\"  # DRAFT: {q(f.text)} in the same sentence; is it the statement's?")
            if f.note:
                lines.append(f"    date_note: {q(f.note)}")
        lines.append("    # content: REQUIRED: a neutral paraphrase of what is said")
        what = f"quoted: {q(text[s.start:s.end])[:80]}" if s.quoted else "reported speech"
        lines.append(f"    {evidence(text, ev)}  # chars {ev[0]}-{ev[1]}; {what}")
    return lines


def event_lines(d: Draft, doc: DocumentText) -> list[str]:
    if not d.events:
        return []
    lines = ["# Dated event phrases: uncomment as `events:` records (with a registry Event id) and complete.",
             "# events:"]
    for n, e in enumerate(d.events, start=1):
        ev = unique_quote(doc, e.start, e.end, (e.start, e.end))
        lines.append(f"#   - id: event-{n}")
        lines.append(f"#     event: {e.events[0] if e.events else 'TODO'}  # DRAFT: registry id of the Event"
                     + (f"; named here: {', '.join(e.events)}" if e.events
                        else "; none named here: add one to mappings/entities/ if the text states a new event"))
        lines.append(f"#     date: \"{e.date.value}\"  # {q(e.date.text)}")
        if e.date.note:
            lines.append(f"#     date_note: {q(e.date.note)}")
        if e.places:
            lines.append(f"#     place: {e.places[0]}  # DRAFT: a place named in the sentence")
        lines.append(f"#     {evidence(d.text, ev)}  # chars {ev[0]}-{ev[1]}")
    return lines


def designation_lines(d: Draft, doc: DocumentText) -> list[str]:
    if not d.listings:
        return []
    lines = ["# Sentences that may state a listing or sanctions: uncomment as `designations:` and complete.",
             "# designations:"]
    for n, listing in enumerate(d.listings, start=1):
        f = listing.fields
        ev = unique_quote(doc, listing.start, listing.end, (listing.start, listing.end))
        lines.append(f"#   - id: designation-{n}  # named here: {', '.join(listing.named) or 'no registry entity'}")
        lines.append(f"#     authority: {f.get('authority', 'TODO')}  # DRAFT: the listing state or body")
        lines.append(f"#     designee: {f.get('designee', 'TODO')}  # DRAFT")
        lines.append(f"#     type: {f['type']}  # DRAFT: terrorist-listing | sanctions")
        lines.append(f"#     status: {f['status']}  # DRAFT: in-force | ended | proposed | unknown")
        for key in ("listed", "start", "end"):
            if key in f:
                lines.append(f"#     {key}: \"{f[key]}\"  # DRAFT")
        if "date_note" in f:
            lines.append(f"#     date_note: {q(str(f['date_note']))}")
        if "list_name" in f:
            lines.append(f"#     list_name: {q(str(f['list_name']))}  # DRAFT: as the text names it")
        if "legal_basis" in f:
            lines.append(f"#     legal_basis: [{', '.join(f['legal_basis'])}]  # DRAFT")
        lines.append(f"#     {evidence(d.text, ev)}  # chars {ev[0]}-{ev[1]}")
    return lines


def review_lines(d: Draft, reg: Registry) -> list[str]:
    """Aliases to review, dates found, and unresolved names grouped by likely type."""
    text, lines = d.text, []
    if d.near:
        lines.append("# Aliases to review: the text spells these registry entities in a way the registry lacks.")
        lines.append("# Add the alias to mappings/entities/ if it is the same thing, or delete the mention above.")
        for n in d.near:
            lines.append(f"#   add alias {q(n.name)} to {n.entity} ('{reg.entities[n.entity].label}')?  "
                         f"near miss of '{n.spelling}': {n.how}; chars {n.start}-{n.end}")
        lines.append("")
    if d.dates:
        lines.append("# Dates found (attach each to an event, designation or statement if the text supports it):")
        for f in d.dates:
            note = f"  resolved: {f.note}" if f.note else ""
            lines.append(f"#   {f.value:<10}  {q(f.text)}  chars {f.start}-{f.end}{note}")
        lines.append("")
    if d.new_names:
        lines.append("# Names that match no registry entity, by likely type (a guess): add the real ones to")
        lines.append("# mappings/entities/*.yaml (id, type, label, description), then mention them above.")
        for kind in KIND_TITLES:
            group = [nn for nn in d.new_names if nn.kind == kind]
            if not group:
                continue
            lines.append(f"#  {KIND_TITLES[kind]}:")
            for nn in group:
                sent = next(((a, b) for a, b in d.sentences if a <= nn.start < b), (nn.start, nn.end))
                lines.append(f"#   {q(nn.name):<40} {nn.count}x, id: {nn.slug}; in: {q(text[sent[0]:sent[1]])[:120]}")
        lines.append("")
    return lines


def render(d: Draft, reg: Registry, genres: list[str] | None = None, statement_types: list[str] | None = None,
           text_path: str | None = None) -> str:
    """The draft mapping as YAML text."""
    genres = genres or ["open-letter", "opinion", "analysis", "news", "advocacy-statement"]
    statement_types = statement_types or ["letter", "speech", "quote", "claim", "allegation", "demand", "opinion", "report"]
    text_path = text_path or f"documents/{d.slug}.txt"
    doc = DocumentText(d.text)
    lines = [
        f"# DRAFT mapping of {text_path}, written by `dossier draft`. Nothing in it is checked yet.",
        "# To finish it: fill every TODO and every commented REQUIRED field, check each line marked",
        "# DRAFT against the text (fix or delete it), then run `dossier validate`, which names the",
        "# file, line and fix of anything still missing. Format: mappings/README.md.",
    ]
    for block in (source_block(d, reg, genres, text_path), mention_lines(d), statement_lines(d, doc, statement_types),
                  short_quote_lines(d), event_lines(d, doc), designation_lines(d, doc), review_lines(d, reg)):
        if block:
            lines.extend(block)
            lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def short_quote_lines(d: Draft) -> list[str]:
    if not d.short_quoted:
        return []
    lines = ["# Short phrases in quotation marks (names, titles or scare quotes): a statement only if someone is quoted."]
    lines.extend(f"#   {q(d.text[a:b])}  chars {a}-{b}" for a, b in d.short_quoted)
    return lines


def summary(d: Draft) -> str:
    return (f"{len(d.first_mentions)} entities ({len(d.mentions)} mentions, {len(d.near)} alias(es) to review), "
            f"{len(d.speech)} statement(s), {len(d.dates)} date(s), {len(d.events)} event phrase(s), "
            f"{len(d.listings)} possible listing sentence(s), {len(d.new_names)} unresolved name(s)")
