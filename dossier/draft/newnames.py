"""Names no registry entity has: capitalized runs, typed (person, organization, place) for review.

Each unresolved name is listed once with its count, its first sentence and a likely type, so
a contributor can add the real ones to mappings/entities/ in one pass. The type is a guess
from the name's words and its surroundings, marked as such where it is written out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..namespace import SLUG
from .dates import MONTHS
from .names import Mention, fold, tokens
from .text import sentences

TITLES = {
    "mr", "mrs", "ms", "dr", "prof", "professor", "prime", "minister", "president", "senator", "sen",
    "leader", "hon", "honourable", "honorable", "former", "sir", "premier", "secretary", "general",
    "chief", "commander", "mp", "ambassador", "deputy", "vice", "king", "queen", "ayatollah", "the",
    "dear", "subject", "to", "from", "re", "cc",
}
STOP_CANDIDATES = {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "i", "we", "you",
    "he", "she", "it", "they", "this", "that", "these", "those", "a", "an", "in", "on", "at", "but",
    "and", "or", "if", "as", "for", "of", "by", "with", "however", "also", "yet", "so", "there", "then",
    "when", "while", "after", "before", "since", "although", "though", "our", "their", "his", "her",
    "its", "my", "your", "thank", "thanks", "sincerely", "regards", "yours", "today", "yesterday",
}
ORG_WORDS = {
    "ministry", "department", "council", "association", "party", "corps", "force", "forces", "guards",
    "agency", "committee", "congress", "office", "police", "army", "university", "union", "organization",
    "organisation", "center", "centre", "foundation", "government", "court", "house", "senate", "commons",
    "bank", "news", "press", "times", "post", "institute", "commission", "board", "group", "network",
    "society", "federation", "league", "front", "brigades", "movement", "service", "services", "command",
    "media", "embassy", "mission", "parliament", "assembly", "company", "inc", "ltd", "radio", "tv",
    "airlines", "airways", "bureau", "authority", "secretariat", "cabinet",
}
PLACE_WORDS = {"city", "province", "county", "state", "island", "islands", "river", "valley", "region",
               "street", "square", "camp", "airport", "district", "mountains", "gulf", "sea"}
LAW_WORDS = {"code", "act", "bill", "law", "charter", "treaty", "convention", "regulations", "order"}
PERSON_CUES = re.compile(
    r"\b(Mr|Mrs|Ms|Dr|Prof|Minister|President|Senator|Leader|Ambassador|MP|Premier|Secretary|Commander|"
    r"General|Chief|spokesperson|spokesman|spokeswoman|chair|director|professor)\.?\s+$")
PLACE_CUES = re.compile(r"\b(in|near|from|to|at|outside|across)\s+$")
SPEECH_AFTER = re.compile(r"^,?\s+(said|says|told|wrote|argued|added|stated|noted|who)\b")


@dataclass
class NewName:
    name: str
    slug: str
    count: int
    start: int
    end: int
    kind: str = "unknown"   # person | organization | place | legislation | unknown: a guess, for review


def name_kind(text: str, start: int, end: int) -> str:
    """A likely type for the name at [start, end) from its words and what stands around it."""
    words = [w.lower() for w in re.findall(r"[^\W\d_]+", text[start:end])]
    before, after = text[max(0, start - 40):start], text[end:end + 20]
    if any(w in ORG_WORDS for w in words):
        return "organization"
    if words and words[-1] in PLACE_WORDS:
        return "place"
    if PERSON_CUES.search(before):
        return "person"
    if words and words[-1] in LAW_WORDS:
        return "legislation"
    if len(words) in (2, 3) and SPEECH_AFTER.match(after):
        return "person"
    if len(words) == 1 and PLACE_CUES.search(before):
        return "place"
    return "unknown"


def find_new_names(text: str, mentions: list[Mention]) -> list[NewName]:
    """Runs of capitalized words that no registry name covers: candidate new entities."""
    covered = [(m.start, m.end) for m in mentions]
    words = [(m.group(0), m.start(), m.end()) for m in re.finditer(r"[^\W_][\w’'.\-]*", text)]
    lower_words = {w for w, _, _ in words if w[:1].islower()}
    runs: list[list[tuple[str, int, int]]] = []
    run: list[tuple[str, int, int]] = []
    connectors = {"of", "the", "de", "du", "for", "and", "al", "el", "e", "la", "von", "van", "bin"}

    def flush():
        while run and run[-1][0].lower() in connectors:
            run.pop()
        if run:
            runs.append(list(run))
        run.clear()

    for w, a, b in words:
        w = re.sub(r"(['’]s|[.’'\-])$", "", w)
        b = a + len(w)
        gap = text[run[-1][2]:a] if run else ""
        if run and (not re.fullmatch(r"[ \t]+", gap)):
            flush()
        in_mention = any(s < b and a < e for s, e in covered)
        is_cap = bool(w) and w[0].isupper() and not in_mention
        if is_cap and w.lower() in TITLES:
            flush()
            continue
        if is_cap:
            run.append((w, a, b))
        elif run and w.lower() in connectors and not in_mention:
            run.append((w, a, b))
        else:
            flush()
    flush()
    starts = {a for a, _ in sentences(text)}
    mid_caps = {w for w, a, _ in words if w[:1].isupper() and a not in starts}
    found: dict[str, NewName] = {}
    for r in runs:
        while r and (r[0][0].lower() in STOP_CANDIDATES or r[0][0].lower() in MONTHS or r[0][0].lower() in connectors):
            r = r[1:]
        while r and (r[-1][0].lower() in MONTHS or r[-1][0].lower() in connectors):
            r = r[:-1]
        if not r:
            continue
        if len(r) == 1 and r[0][1] in starts and r[0][0] not in mid_caps:
            continue  # a capital only because it starts the sentence
        name = text[r[0][1]:r[-1][2]]
        first = r[0][0]
        if len(r) == 1:
            low = first.lower()
            if (low in STOP_CANDIDATES or low in lower_words or low in MONTHS or len(first) < 2
                    or re.fullmatch(r"[A-Z]\)?|[IVX]+", first) or first.isdigit()
                    or low.endswith(("ian", "ians", "ean", "eans"))):  # demonyms: Iranian, European
                continue
        if any(c.isdigit() for c in name) and not any(c.isalpha() for c in name):
            continue
        key = " ".join(t for t, _, _ in tokens(name))
        if key in found:
            found[key].count += 1
            continue
        found[key] = NewName(name, slugify(name), 1, r[0][1], r[-1][2], name_kind(text, r[0][1], r[-1][2]))
    return sorted(found.values(), key=lambda n: n.start)


def slugify(name: str) -> str:
    folded, _ = fold(name)
    slug = "-".join(folded.split())
    if not slug or not slug[0].isalpha():
        slug = "x-" + slug
    return slug if SLUG.match(slug) else re.sub(r"[^a-z0-9-]", "", slug.encode("ascii", "ignore").decode()) or "x"

