"""Dates in a text: written-out dates at the precision given, and relative ones resolved.

A relative date ("on Wednesday", "yesterday", "last month", "earlier this year", "in
September") is resolved against the publication date, and the resolution is written as the
date note the claim model carries (`date_note:`), so a reader can check how it was worked out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from ..dates import DateError, parse_date

MONTH_NAMES = ["january", "february", "march", "april", "may", "june", "july", "august", "september",
               "october", "november", "december"]
MONTHS = {m: i for i, m in enumerate(MONTH_NAMES, start=1)}
MONTHS |= {m[:3]: i for m, i in list(MONTHS.items())} | {"sept": 9}
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_MONTH = r"(January|February|March|April|May|June|July|August|September|October|November|December|" \
         r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.?"
_ORD = r"(?:st|nd|rd|th)?"
DATE_PATTERNS = [
    ("mdy", re.compile(rf"\b{_MONTH}\s+(\d{{1,2}}){_ORD},?\s+(\d{{4}})\b")),
    ("dmy", re.compile(rf"\b(\d{{1,2}}){_ORD}\s+(?:of\s+)?{_MONTH},?\s+(\d{{4}})\b")),
    ("iso", re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")),
    ("my", re.compile(rf"\b{_MONTH}\s+(?:of\s+)?(\d{{4}})\b")),
    ("md", re.compile(rf"\b{_MONTH}\s+(\d{{1,2}}){_ORD}\b(?!,?\s+\d{{4}})")),
    ("y", re.compile(r"(?<![\d,.\-])\b(19\d{2}|20\d{2})\b(?![\d,]\d)")),
]
_WEEKDAY = r"(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
RELATIVE_PATTERNS = [
    ("day", re.compile(r"\b(today|yesterday|tomorrow|tonight|this morning|this afternoon|this evening)\b", re.I)),
    ("weekday", re.compile(rf"\b(?:(on|last|this past|next|this)\s+)?{_WEEKDAY}\b(?!,?\s+(?:\d|{_MONTH}))")),
    ("month", re.compile(r"\b(last|this|next|earlier this|later this|early this|late last|earlier last)\s+month\b", re.I)),
    ("year", re.compile(r"\b(last|this|next|earlier this|later this|early this|late last|earlier last)\s+year\b", re.I)),
    ("bare-month", re.compile(rf"\b(?i:in|since|until|by|early|late|last|this|next)\s+{_MONTH}\b(?!\s+\d)")),
]
FUTURE = re.compile(r"\b(will|shall|is to|are to|to be|plans? to|expected to|scheduled)\b", re.I)


@dataclass
class FoundDate:
    value: str       # YYYY, YYYY-MM, YYYY-MM-DD, or --MM-DD when the year is neither given nor resolved
    start: int
    end: int
    text: str
    note: str = ""   # for a date worked out from relative words: how (the mapping's date_note)


def find_dates(text: str, published: str | None = None) -> list[FoundDate]:
    """Every date phrase in text order; relative ones resolved when ``published`` is a full date."""
    taken: list[tuple[int, int]] = []
    out = []
    for kind, pattern in DATE_PATTERNS:
        for m in pattern.finditer(text):
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue
            value = _absolute(kind, m.groups())
            if value is None:
                continue
            taken.append((m.start(), m.end()))
            out.append(FoundDate(value, m.start(), m.end(), m.group(0)))
    pub = _day(published)
    for f in out:
        if f.value.startswith("--") and pub:
            f.value, f.note = _year_for(f.value, pub, f.text)
    for kind, pattern in RELATIVE_PATTERNS:
        for m in pattern.finditer(text):
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue
            found = _relative(kind, m, text, published)
            if found:
                taken.append((m.start(), m.end()))
                out.append(found)
    return sorted(out, key=lambda f: f.start)


def _absolute(kind: str, g: tuple) -> str | None:
    if kind == "mdy":
        y, mo, d = g[2], MONTHS[g[0].lower().rstrip(".")], g[1]
    elif kind == "dmy":
        y, mo, d = g[2], MONTHS[g[1].lower().rstrip(".")], g[0]
    elif kind == "iso":
        y, mo, d = g
    elif kind == "my":
        y, mo, d = g[1], MONTHS[g[0].lower().rstrip(".")], None
    elif kind == "md":
        y, mo, d = None, MONTHS[g[0].lower().rstrip(".")], g[1]
    else:
        y, mo, d = g[0], None, None
    value = (y or "-") + (f"-{int(mo):02d}" if mo else "") + (f"-{int(d):02d}" if d else "")
    if y:
        try:
            parse_date(value)
        except DateError:
            return None
    elif not 1 <= int(d) <= 31:
        return None
    return value


def _day(published: str | None) -> date | None:
    """The publication date when known to the day, else None."""
    try:
        p = parse_date(published) if published else None
    except DateError:
        return None
    return p.first if p and p.datatype == "date" else None


def _pub_text(pub: date) -> str:
    return f"{pub.strftime('%A')} {pub.day} {pub.strftime('%B %Y')}"


def _year_for(value: str, pub: date, phrase: str) -> tuple[str, str]:
    """A month and day without a year: the last such day on or before publication."""
    mo, d = int(value[2:4]), int(value[5:7])
    year = pub.year if (mo, d) <= (pub.month, pub.day) else pub.year - 1
    full = f"{year}-{mo:02d}-{d:02d}"
    try:
        parse_date(full)
    except DateError:
        return value, ""
    return full, f"'{phrase}' in a text dated {_pub_text(pub)}: the last such day before it"


def _relative(kind: str, m: re.Match, text: str, published: str | None) -> FoundDate | None:
    """One relative phrase resolved against the publication date (None when it cannot be)."""
    try:
        pub_partial = parse_date(published) if published else None
    except DateError:
        pub_partial = None
    if pub_partial is None:
        return None
    pub = pub_partial.first
    day_known = pub_partial.datatype == "date"
    month_known = pub_partial.datatype in ("date", "gYearMonth")
    phrase = m.group(0)
    words = phrase.lower()
    line_start = text.rfind("\n", 0, m.start()) + 1
    future = bool(FUTURE.search(text[max(line_start, m.start() - 60):m.start()]))
    dated = f"in a text dated {_pub_text(pub) if day_known else pub_partial.text}"
    if kind == "day":
        if not day_known:
            return None
        shift = {"yesterday": -1, "tomorrow": 1}.get(words, 0)
        value = (pub + timedelta(days=shift)).isoformat()
    elif kind == "weekday":
        if not day_known:
            return None
        lead = (m.group(1) or "").lower()
        target = WEEKDAYS.index(m.group(2).lower())
        if lead == "next" or (future and lead in ("", "on", "this")):
            delta = (target - pub.weekday()) % 7 or 7
            value = (pub + timedelta(days=delta)).isoformat()
        else:
            delta = (pub.weekday() - target) % 7
            if lead in ("last", "this past") and delta == 0:
                delta = 7
            value = (pub - timedelta(days=delta)).isoformat()
        if not lead and m.start() > 0 and text[m.start() - 1] not in " \t":
            return None  # a weekday starting a line or after punctuation: a dateline or heading
    elif kind == "month":
        if not month_known:
            return None
        step = -1 if words.startswith(("last", "late last", "earlier last")) else 1 if words.startswith("next") else 0
        y, mo = divmod(pub.year * 12 + pub.month - 1 + step, 12)
        value = f"{y}-{mo + 1:02d}"
    elif kind == "year":
        step = -1 if words.startswith(("last", "late last", "earlier last")) else 1 if words.startswith("next") else 0
        value = str(pub.year + step)
    else:
        if not month_known:
            return None
        mo = MONTHS[m.group(1).lower().rstrip(".")]
        lead = words.split()[0]
        if lead == "next" or future:
            year = pub.year if mo > pub.month else pub.year + 1
        else:
            year = pub.year if mo <= pub.month else pub.year - 1
        value = f"{year}-{mo:02d}"
    return FoundDate(value, m.start(), m.end(), phrase, f"'{phrase}' {dated}")


DATELINE_WORDS = re.compile(r"\b(published|posted|updated|date|dated|released?)\b", re.I)


def publication_date(text: str, dates: list[FoundDate], head_lines: int = 8) -> FoundDate | None:
    """The date a reader takes as the publication date: a full date opening one of the first lines.

    A line naming it ("Published", "Date:", a dateline "TIRANA, June 21, 2023 (Reuters) - ...")
    wins over other dates up there; else the first full date of the head. A date further than 80
    characters into its line is prose, not a head's. None when the head gives no full date (then
    ask the contributor).
    """
    lines = [m for m in re.finditer(r"[^\n]*\S[^\n]*", text)][:head_lines]
    if not lines:
        return None
    full = [(f, ln) for f in dates if len(f.value) == 10 and not f.note
            for ln in lines if ln.start() <= f.start < ln.end() and f.end - ln.start() <= 80]
    if not full:
        return None
    for f, line in full:
        if DATELINE_WORDS.search(line.group(0)) or re.match(r"\s*[A-Z][A-Z .'-]+,", line.group(0)):
            return f
    return full[0][0]
