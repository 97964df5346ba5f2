"""A first draft of a document's mapping: every registry entity it names, its dates and quoted words.

`dossier draft documents/<slug>.txt` writes mappings/<slug>.yaml in the mappings/README.md
format for a person to finish. Every drafted item carries a verbatim quote that occurs exactly
once in the text (or an ``occurrence:``), with its character offsets in a comment, so once the
remaining fields are filled in `dossier validate` accepts it. Nothing drafted is trusted: fields
only a reader can decide are left as TODO (or as a commented REQUIRED line), and guesses are
marked ``# DRAFT``.

Name matching (labels and aliases from mappings/entities/) folds both the text and the names:
Unicode NFKD with accents dropped, casefold, every apostrophe, hyphen or other punctuation mark a
word break, runs of spaces collapsed. Matches are whole words, the longest name wins, and offsets
map back to the original characters. So "Mujahedin-e Khalj", "Mojahedin e-Khalq" and "MEK" all
find the MEK, while "MEK" never fires inside another word. Two guards keep common words out:
a name spelled with a capital matches only text that starts with one ("Trump", not "trump"),
and a name of four letters or fewer matches only in capitals or exactly as the registry spells
it ("US" is not "us").
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from .dates import DateError, parse_date
from .namespace import SLUG
from .problems import Problems
from .quotes import DocumentText
from .registry import Registry, load_registry

AGENT_TYPES = ("Organization", "Person")
MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december"], start=1)}
MONTHS |= {m[:3]: i for m, i in list(MONTHS.items())} | {"sept": 9}
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
ATTRIBUTION = re.compile(
    r"\b(said|says|say|told|tells|wrote|writes|write|stated|states|added|adds|declared|declares|"
    r"announced|announces|mentioned|mentions|argued|argues|noted|notes|claimed|claims|warned|warns|"
    r"insisted|explained|asked|asks|urged|urges|called|calls|according to|tweeted|posted|replied|"
    r"responded|testified|remarked|concluded)\b", re.I)
DESIGNATION = re.compile(r"\b(terror\w*|sanction\w*|designat\w*|proscri\w*)\b", re.I)
LISTING = re.compile(r"\b(list|listed|listing|lists|designat\w*|sanction\w*|proscri\w*)\b", re.I)
APOSTROPHES = set("'’‘‛ʼ`´′")
QUOTE_PAIRS = [("“", "”"), ('"', '"'), ("«", "»")]
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
ABBREVIATIONS = {"mr", "mrs", "ms", "dr", "st", "jr", "sr", "hon", "gen", "lt", "col", "sen", "rep",
                 "prof", "no", "vs", "e.g", "i.e", "u.s", "u.k", "u.n", "inc", "ltd", "co", "corp", "mt"}


# ---------------------------------------------------------------------- folding and names

def fold(text: str) -> tuple[str, list[int]]:
    """The folded text (see the module doc) and, per folded character, its index in ``text``."""
    out: list[str] = []
    index: list[int] = []
    space = True
    for i, ch in enumerate(text):
        if unicodedata.category(ch) == "Cf":  # soft hyphen, zero-width characters
            continue
        if ch in APOSTROPHES:
            parts = " "
        else:
            parts = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c)).casefold()
        for c in parts:
            if c.isalnum():
                out.append(c)
                index.append(i)
                space = False
            elif not space:
                out.append(" ")
                index.append(i)
                space = True
    if out and out[-1] == " ":
        out.pop()
        index.pop()
    return "".join(out), index


def tokens(text: str) -> list[tuple[str, int, int]]:
    """Folded words of ``text`` with the (start, end) of each in the original characters."""
    folded, index = fold(text)
    out = []
    for m in re.finditer(r"\S+", folded):
        out.append((m.group(0), index[m.start()], index[m.end() - 1] + 1))
    return out


def name_key(name: str) -> tuple[str, ...]:
    return tuple(t for t, _, _ in tokens(name))


@dataclass
class NameIndex:
    """Folded name -> the registry spellings and entity ids that have it."""

    names: dict[tuple[str, ...], list[tuple[str, str]]] = field(default_factory=dict)  # key -> [(entity, spelling)]
    longest: int = 1

    @classmethod
    def of(cls, reg: Registry) -> NameIndex:
        idx = cls()
        for e in reg.entities.values():
            for spelling in [e.label, *e.aliases]:
                key = name_key(spelling)
                if not key:
                    continue
                idx.names.setdefault(key, [])
                if (e.id, spelling) not in idx.names[key]:
                    idx.names[key].append((e.id, spelling))
                idx.longest = max(idx.longest, len(key))
        return idx


def _case_ok(span: str, spellings: list[str]) -> bool:
    """The capitalisation guards of the module doc, for one matched span."""
    letters = "".join(c for c in span if c.isalnum())
    for spelling in spellings:
        s_letters = "".join(c for c in spelling if c.isalnum())
        first = next((c for c in spelling if c.isalpha()), "")
        span_first = next((c for c in span if c.isalpha()), "")
        if len(s_letters) <= 4:
            if letters == s_letters or (letters.isupper() and any(c.isalpha() for c in letters)):
                return True
            continue
        if first.isupper() and not span_first.isupper():
            continue
        return True
    return False


@dataclass
class Mention:
    entity: str
    candidates: list[str]  # every entity with this name (more than one: ambiguous)
    start: int
    end: int
    text: str


def find_mentions(text: str, index: NameIndex, types: dict[str, str] | None = None) -> list[Mention]:
    """Every whole-word occurrence of a registry name, longest first, in text order.

    Matches do not overlap, with one exception: a person or organization named inside an
    event's name ("the Mahsa Amini protests") is a mention of its own. ``types`` maps entity ids
    to registry types (needed for that exception).
    """
    toks = tokens(text)
    out = _match(text, toks, 0, len(toks), index)
    if types:
        for m in list(out):
            if types.get(m.entity) != "Event":
                continue
            lo = next(k for k, t in enumerate(toks) if t[1] == m.start)
            hi = max(k for k, t in enumerate(toks) if t[2] <= m.end) + 1
            for inner in _match(text, toks, lo, hi, index, skip_full=True):
                if inner.entity != m.entity and types.get(inner.entity) in AGENT_TYPES:
                    out.append(inner)
        out.sort(key=lambda m: (m.start, -m.end))
    return out


def _match(text: str, toks, lo: int, hi: int, index: NameIndex, skip_full: bool = False) -> list[Mention]:
    out: list[Mention] = []
    i = lo
    while i < hi:
        for n in range(min(index.longest, hi - i), 0, -1):
            if skip_full and i == lo and n == hi - lo:
                continue
            key = tuple(t for t, _, _ in toks[i:i + n])
            hits = index.names.get(key)
            if not hits:
                continue
            start, end = toks[i][1], toks[i + n - 1][2]
            span = text[start:end]
            if not _case_ok(span, [s for _, s in hits]):
                continue
            if text[end:end + 1] == "." and any(sp.endswith(".") for _, sp in hits):
                end += 1  # "U.S." keeps its final point
                span = text[start:end]
            ids = list(dict.fromkeys(e for e, _ in hits))
            out.append(Mention(ids[0], ids, start, end, span))
            i += n
            break
        else:
            i += 1
    return out


# ---------------------------------------------------------------------- text structure

def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence: split at line breaks and at . ! ? followed by space."""
    spans = []
    for line in re.finditer(r"[^\n]+", text):
        s = line.start()
        for m in re.finditer(r"[.!?][\"”’')\]]*(?=\s+\S)", line.group(0)):
            before = re.search(r"([\w.]+)[.!?]$", line.group(0)[: m.start() + 1])
            word = before.group(1).lower().rstrip(".") if before else ""
            if word in ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
                continue
            spans.append((s, line.start() + m.end()))
            s = line.start() + m.end()
        spans.append((s, line.end()))
    out = []
    for a, b in spans:
        seg = text[a:b]
        lead = len(seg) - len(seg.lstrip())
        trail = len(seg) - len(seg.rstrip())
        if seg.strip():
            out.append((a + lead, b - trail))
    return out


def _sentence_of(sents: list[tuple[int, int]], pos: int) -> int:
    for i, (a, b) in enumerate(sents):
        if a <= pos < b:
            return i
    return max((i for i, (a, _) in enumerate(sents) if a <= pos), default=0)


def unique_quote(doc: DocumentText, start: int, end: int, bounds: tuple[int, int] | None = None,
                 max_words: int = 14) -> tuple[int, int, int | None]:
    """The shortest widening of [start, end), word by word (left, then right), that occurs once.

    Returns (start, end, occurrence). When no widening inside ``bounds`` is unique (a repeated
    sentence), the original span is kept with its 1-based ``occurrence`` among identical spans.
    """
    text = doc.text
    lo, hi = bounds or (0, len(text))
    lo, hi = min(lo, start), max(hi, end)
    a, b = start, end
    for step in range(max_words + 1):
        if len(doc.find_all(text[a:b])) == 1:
            trimmed = b - len(text[a:b]) + len(text[a:b].rstrip(",;:"))
            if trimmed > a and trimmed != b and len(doc.find_all(text[a:trimmed])) == 1:
                b = trimmed
            return a, b, None
        right = re.match(r"\s*\S+", text[b:hi]) if b < hi else None
        left = re.search(r"\S+\s*$", text[lo:a]) if a > lo else None
        order = ["left", "right"] if step % 2 == 0 else ["right", "left"]
        if left and not re.search(r"[^\W\d_]", left.group(0)) and right:
            order = ["right", "left"]  # a word, not a bare number or sign, reads better
        side = next((s for s in order if (left if s == "left" else right)), None)
        if side is None:
            break
        if side == "right":
            b += right.end()
        else:
            a = lo + left.start()
    spans = doc.find_all(text[start:end])
    nth = next((k for k, (x, _) in enumerate(spans, start=1) if x == start), None)
    return start, end, nth


@dataclass
class Quoted:
    """A passage in quotation marks, the sentence(s) around it, and who likely said it."""

    start: int              # the passage, quotation marks included
    end: int
    evidence: tuple[int, int, int | None]  # the drafted quote: start, end, occurrence
    speaker: str | None
    speaker_reason: str
    about: list[str]
    dates: list[str]


def find_quoted(text: str, min_words: int = 4) -> list[tuple[int, int]]:
    """(start, end) of each passage of ``min_words`` words or more inside quotation marks."""
    found = []
    for left, right in QUOTE_PAIRS:
        body = f"[^{re.escape(right)}\\n]" if left == right else f"[^{re.escape(right)}{re.escape(left)}]"
        for m in re.finditer(f"{re.escape(left)}({body}{{3,3000}}?){re.escape(right)}", text):
            if len(m.group(1).split()) >= min_words:
                found.append((m.start(), m.end()))
    return sorted(found)


@dataclass
class FoundDate:
    value: str       # YYYY, YYYY-MM, YYYY-MM-DD, or --MM-DD when the year is not in the phrase
    start: int
    end: int
    text: str


def find_dates(text: str) -> list[FoundDate]:
    taken: list[tuple[int, int]] = []
    out = []
    for kind, pattern in DATE_PATTERNS:
        for m in pattern.finditer(text):
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue
            g = m.groups()
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
                    continue
            elif not 1 <= int(d) <= 31:
                continue
            taken.append((m.start(), m.end()))
            out.append(FoundDate(value, m.start(), m.end(), m.group(0)))
    return sorted(out, key=lambda f: f.start)


@dataclass
class NewName:
    name: str
    slug: str
    count: int
    start: int
    end: int


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
        found[key] = NewName(name, slugify(name), 1, r[0][1], r[-1][2])
    return sorted(found.values(), key=lambda n: n.start)


def slugify(name: str) -> str:
    folded, _ = fold(name)
    slug = "-".join(folded.split())
    if not slug or not slug[0].isalpha():
        slug = "x-" + slug
    return slug if SLUG.match(slug) else re.sub(r"[^a-z0-9-]", "", slug.encode("ascii", "ignore").decode()) or "x"


# ---------------------------------------------------------------------- the draft

@dataclass
class Draft:
    slug: str
    text: str
    sha256: str
    received_as: str
    mentions: list[Mention]                       # every occurrence found
    first_mentions: list[tuple[Mention, tuple[int, int, int | None]]]  # one per entity, with its quote
    quoted: list[Quoted]
    dates: list[FoundDate]
    new_names: list[NewName]
    listings: list[tuple[tuple[int, int, int | None], list[str]]]  # sentences that may state a designation
    sentences: list[tuple[int, int]]
    short_quoted: list[tuple[int, int]] = field(default_factory=list)  # 1-3 words in quotation marks


def draft(raw: bytes, slug: str, reg: Registry, received_as: str = "") -> Draft:
    """Everything `dossier draft` finds in a document's text (UTF-8 bytes, as committed)."""
    text = raw.decode("utf-8")
    doc = DocumentText(text)
    sents = sentences(text)
    mentions = find_mentions(text, NameIndex.of(reg), {e.id: e.type for e in reg.entities.values()})

    by_entity: dict[str, list[Mention]] = {}
    for m in mentions:
        by_entity.setdefault(m.entity, []).append(m)
    first_mentions = []
    for occurrences in by_entity.values():  # the first occurrence that a short quote pins down
        chosen = None
        for m in occurrences:
            s = sents[_sentence_of(sents, m.start)] if sents else (0, len(text))
            ev = unique_quote(doc, m.start, m.end, s)
            chosen = chosen or (m, ev)
            if ev[2] is None:
                chosen = (m, ev)
                break
        first_mentions.append(chosen)

    dates = find_dates(text)
    quoted = []
    for qs, qe in find_quoted(text):
        i, j = _sentence_of(sents, qs), _sentence_of(sents, max(qs, qe - 1))
        a, b = sents[i][0], max(sents[j][1], qe)
        inside = [m for m in mentions if a <= m.start and m.end <= b]
        speaker, reason = _speaker(text, sents, i, qs, qe, inside, mentions, reg)
        about = list(dict.fromkeys(m.entity for m in inside if m.entity != speaker))
        in_dates = [d.value for d in dates if a <= d.start < b and not d.value.startswith("--")]
        quoted.append(Quoted(qs, qe, unique_quote(doc, a, b, (a, b)), speaker, reason, about, in_dates))

    listings = []
    for a, b in sents:
        sentence = text[a:b]
        if DESIGNATION.search(sentence) and LISTING.search(sentence):
            named = list(dict.fromkeys(m.entity for m in mentions if a <= m.start and m.end <= b))
            listings.append((unique_quote(doc, a, b, (a, b)), named))

    long = set(find_quoted(text))
    short = [s for s in find_quoted(text, min_words=1) if s not in long]
    return Draft(slug, text, hashlib.sha256(raw).hexdigest(), received_as, mentions, first_mentions,
                 quoted, dates, find_new_names(text, mentions), listings, sents, short)


def _speaker(text, sents, i, qs, qe, inside, mentions, reg) -> tuple[str | None, str]:
    """The likely speaker of a quoted passage and why: an agent named near an attribution verb."""
    def agent(m: Mention) -> bool:
        e = reg.entities.get(m.entity)
        return bool(e and e.type in AGENT_TYPES)

    outside = [m for m in inside if agent(m) and not (qs <= m.start < qe)]
    a, b = sents[i][0], sents[_sentence_of(sents, max(qs, qe - 1))][1]
    verbs = [v for v in ATTRIBUTION.finditer(text, a, max(b, qe)) if not (qs <= v.start() < qe)]
    if outside and verbs:
        verb = verbs[0]
        before = [m for m in outside if m.end <= verb.start() and verb.start() - m.end < 120]
        after = [m for m in outside if m.start >= verb.end()]
        if verb.group(0).lower() == "according to" and after:
            return after[0].entity, "named after 'according to'"
        if before:
            return before[-1].entity, f"the last name before '{verb.group(0)}'"
        if after:
            return after[0].entity, f"the first name after '{verb.group(0)}'"
    before = [m for m in outside if m.end <= qs]
    if before:
        return before[-1].entity, "the last name before the quotation marks"
    if outside:
        return outside[0].entity, "the first name after the quotation marks"
    prev = [m for m in mentions if agent(m) and i > 0 and sents[i - 1][0] <= m.start < sents[i - 1][1]]
    if prev:
        return prev[-1].entity, "named in the previous sentence"
    return None, "no name found near the quotation"


# ---------------------------------------------------------------------- writing YAML

def _q(s: str) -> str:
    """A YAML double-quoted scalar that reads back to exactly ``s``."""
    out = json.dumps(s, ensure_ascii=False)
    for ch in ("\u2028", "\u2029", "\u0085", "\ufeff"):
        out = out.replace(ch, f"\\u{ord(ch):04x}")
    return out


def _evidence(text: str, ev: tuple[int, int, int | None]) -> str:
    a, b, occ = ev
    return f"quote: {_q(text[a:b])}" + (f", occurrence: {occ}" if occ else "")


def render(d: Draft, reg: Registry, genres: list[str] | None = None, statement_types: list[str] | None = None,
           text_path: str | None = None) -> str:
    """The draft mapping as YAML text, with DRAFT/TODO/REQUIRED marks for the person finishing it."""
    text = d.text
    genres = genres or ["open-letter", "opinion", "analysis", "news", "advocacy-statement"]
    statement_types = statement_types or ["letter", "speech", "quote", "claim", "allegation", "demand", "opinion", "report"]
    text_path = text_path or f"documents/{d.slug}.txt"
    lines = [
        f"# DRAFT mapping of {text_path}, written by `dossier draft`. Nothing in it is checked yet.",
        "# To finish it: fill every TODO and every commented REQUIRED field, check each line marked",
        "# DRAFT against the text (fix or delete it), then run `dossier validate`, which names the",
        "# file, line and fix of anything still missing. Format: mappings/README.md.",
        "source:",
        f"  id: {d.slug}",
    ]
    first_line = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")
    lines.append(f"  title: {_q(first_line[:300])}  # DRAFT: the text's first line; check it is the title")
    lines.append(f"  genre: TODO  # REQUIRED: one of {' | '.join(genres)}")
    agents = [m.entity for m, _ in d.first_mentions if reg.entities[m.entity].type in AGENT_TYPES]
    hint = f"; named in the text: {', '.join(agents[:8])}" if agents else ""
    lines.append(f"  author: [TODO]  # REQUIRED: registry ids of the author(s){hint}")
    lines.append("  publisher: TODO  # REQUIRED: registry id of the publisher")
    full = sorted({f.value for f in d.dates if not f.value.startswith("--")})
    dhint = f"; dates in the text: {', '.join(full[-6:])}" if full else ""
    lines.append(f"  published: TODO  # REQUIRED: YYYY, YYYY-MM or YYYY-MM-DD, as precise as the evidence{dhint}")
    lines.append("  # date_inferred: REQUIRED: how the date was worked out (dateline, byline, internal evidence)")
    lines.append(f"  sha256: {d.sha256}")
    if d.received_as and d.received_as != f"{d.slug}.txt":
        lines.append(f"  received_as: {_q(d.received_as)}")
    else:
        lines.append("  # received_as: optional, the file name the text arrived as")
    lines.append("  language: en  # DRAFT: check")
    lines.append("  # url: optional, where the text was published")
    lines.append("")

    lines.append("mentions:  # one per registry entity found in the text; delete any that is a false hit")
    for m, ev in d.first_mentions:
        count = sum(1 for x in d.mentions if x.entity == m.entity)
        note = f"  # chars {ev[0]}-{ev[1]}; {count} occurrence(s)"
        if len(m.candidates) > 1:
            note += f"; DRAFT: ambiguous name, could be {' or '.join(m.candidates)}"
        lines.append(f"  - {{entity: {m.entity}, {_evidence(text, ev)}}}{note}")
    if not d.first_mentions:
        lines[-1] = "mentions: []  # no registry name found: add entities to mappings/entities/ first"
    lines.append("")

    if d.quoted:
        lines.append("statements:  # DRAFT: one per quoted passage; check the speaker and type, write content, or delete")
        for n, q in enumerate(d.quoted, start=1):
            lines.append(f"  - id: quote-{n}")
            lines.append(f"    type: quote  # DRAFT: check type ({' | '.join(statement_types)})")
            if q.speaker:
                lines.append(f"    speaker: {q.speaker}  # DRAFT: check speaker ({q.speaker_reason})")
            else:
                lines.append(f"    speaker: TODO  # DRAFT: check speaker ({q.speaker_reason}); a registry id")
            if q.about:
                lines.append(f"    about: [{', '.join(q.about)}]  # DRAFT: entities named in the passage")
            for value in q.dates[:1]:
                lines.append(f"    # date: \"{value}\"  # DRAFT: a date in the same sentence; is it the statement's?")
            lines.append("    # content: REQUIRED: a neutral paraphrase of what is said")
            words = _q(text[q.start:q.end])
            lines.append(f"    {_evidence(text, q.evidence)}  # chars {q.evidence[0]}-{q.evidence[1]}; quoted: {words[:80]}")
    else:
        lines.append("# statements: none drafted (no passage of four or more words in quotation marks)")
    lines.append("")

    if d.short_quoted:
        lines.append("# Short phrases in quotation marks (names, titles or scare quotes): a statement only if someone is quoted.")
        for a, b in d.short_quoted:
            lines.append(f"#   {_q(text[a:b])}  chars {a}-{b}")
        lines.append("")

    if d.listings:
        lines.append("# Sentences that may state a listing or sanctions: uncomment as `designations:` and complete.")
        lines.append("# designations:")
        for n, (ev, named) in enumerate(d.listings, start=1):
            lines.append(f"#   - id: TODO-designation-{n}  # named here: {', '.join(named) or 'no registry entity'}")
            lines.append("#     authority: TODO  # registry id of the listing state or body")
            lines.append("#     designee: TODO")
            lines.append("#     type: terrorist-listing  # terrorist-listing | sanctions")
            lines.append("#     status: TODO  # in-force | ended | proposed | unknown")
            lines.append(f"#     {_evidence(text, ev)}  # chars {ev[0]}-{ev[1]}")
        lines.append("")

    if d.dates:
        lines.append("# Dates found (attach each to an event, designation or statement if the text supports it):")
        for f in d.dates:
            lines.append(f"#   {f.value:<10}  {_q(f.text)}  chars {f.start}-{f.end}")
        lines.append("")

    if d.new_names:
        lines.append("# Capitalized names that match no registry entity: candidate new entities. Add the real ones")
        lines.append("# to mappings/entities/*.yaml (id, type, label, description), then mention them above.")
        for nn in d.new_names:
            lines.append(f"#   {_q(nn.name):<45} {nn.count}x, first at chars {nn.start}-{nn.end}; id: {nn.slug}")
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def summary(d: Draft) -> str:
    return (f"{len(d.first_mentions)} entities ({len(d.mentions)} mentions), {len(d.quoted)} quoted passage(s), "
            f"{len(d.dates)} date(s), {len(d.listings)} possible listing sentence(s), "
            f"{len(d.new_names)} unresolved name(s)")


@dataclass
class Project:
    """What drafting needs from the project: the registry (and its defects) and the controlled values."""

    registry: Registry
    problems: Problems
    genres: list[str]
    statement_types: list[str]


def load_project(root: Path) -> Project:
    from .namespace import DOS
    from .vocab import concepts, entity_classes, load_ontology

    path = root / "ontology" / "dossier.ttl"
    if not path.exists():
        raise SystemExit(f"{root}: not a Dossier project (no ontology/dossier.ttl); run in the project folder or pass --root")
    ontology = load_ontology(path)
    problems = Problems()
    reg = load_registry(root, set(entity_classes(ontology)), problems)
    return Project(reg, problems, list(concepts(ontology, DOS.Genres)), list(concepts(ontology, DOS.StatementTypes)))


def draft_file(root: Path, text_path: Path, project: Project) -> tuple[Draft, str]:
    """Draft the mapping of one text file; returns the Draft and its YAML."""
    raw = text_path.read_bytes()
    d = draft(raw, text_path.stem, project.registry, received_as=text_path.name)
    shown = text_path.relative_to(root).as_posix() if text_path.is_relative_to(root) else text_path.name
    return d, render(d, project.registry, project.genres, project.statement_types, shown)


def run(root: Path, text_path: Path, out: Path | None, to_stdout: bool, force: bool, say) -> int:
    """The `dossier draft` command; returns the exit status."""
    if not text_path.is_file():
        say(f"{text_path}: no such file")
        return 1
    slug = text_path.stem
    if not SLUG.match(slug) or text_path.suffix != ".txt":
        say(f"{text_path.name}: the file name is the document's id: rename it to {slugify(slug)}.txt "
            "(lowercase letters, digits and hyphens, ending in .txt)")
        return 1
    try:
        text_path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        say(f"{text_path.name}: not UTF-8 (byte {exc.start}); save the text as UTF-8 first")
        return 1
    project = load_project(root)
    for p in project.problems.items:
        say(f"warning: {p.human()}")
    d, text = draft_file(root, text_path, project)
    if to_stdout:
        print(text, end="")
        return 0
    out = out or root / "mappings" / f"{slug}.yaml"
    shown = out.relative_to(root).as_posix() if out.is_relative_to(root) else str(out)
    if out.exists() and not force:
        say(f"{shown} exists: not overwritten (use --force, or --out another file)")
        return 1
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    say(f"wrote {shown}: {summary(d)}")
    expected = root / "documents" / f"{slug}.txt"
    if text_path.resolve() != expected.resolve():
        say(f"note: the build reads the text from documents/{slug}.txt: copy it there unchanged")
    say(f"next: complete {shown} (every TODO, REQUIRED and DRAFT mark), then run `dossier validate`")
    return 0
