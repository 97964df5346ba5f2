"""Locating verbatim quotes in a document text, tolerant of typography only.

One documented normalisation, applied to both text and quote before matching:
- curly single quotes and primes (‘ ’ ‚ ‛ ′) equal ', curly double quotes (“ ” „ ‟ ″) equal ";
- the dashes ‐ ‑ ‒ – — ― equal -;
- soft hyphens and zero-width characters are ignored;
- any run of whitespace, no-break spaces included, equals one space.
Offsets returned are into the original text, so the stored quote is the source's own characters.
A quote must also begin and end between user-perceived characters (Unicode grapheme clusters),
never between a letter and its combining accent; a quote that differs from the text only in
Unicode normal form (composed é against e + U+0301) is not found, and the hint says why.
"""

from __future__ import annotations

import re
import unicodedata

import regex

from .characters import describe

#: How far before a position the grapheme segmentation starts: far enough for any real cluster.
_WINDOW = 64

_MAP = {c: "'" for c in "‘’‚‛′"} | {c: '"' for c in "“”„‟″"} | {c: "-" for c in "‐‑‒–—―"}
_DROP = set("\u00ad\u200b\u200c\u200d\u2060\ufeff")


_TABLE = str.maketrans(_MAP)
#: What normalise() does not copy character for character: runs of whitespace and of ignored characters.
_RUNS = re.compile(r"(\s+)|[" + "".join(sorted(_DROP)) + "]+")


def normalise(text: str) -> tuple[str, list[int]]:
    """Normalised text and, for each of its characters, the index it came from in ``text``.

    Ignored characters are dropped without ending a run of whitespace; each run of whitespace
    becomes one space, at the index of its first character; every other character maps to one.
    """
    out: list[str] = []
    index: list[int] = []
    in_space = False
    pos = 0
    for m in _RUNS.finditer(text):
        start = m.start()
        if start > pos:
            out.append(text[pos:start].translate(_TABLE))
            index.extend(range(pos, start))
            in_space = False
        if m.group(1) is not None:
            if not in_space:
                out.append(" ")
                index.append(start)
            in_space = True
        pos = m.end()
    if pos < len(text):
        out.append(text[pos:].translate(_TABLE))
        index.extend(range(pos, len(text)))
    return "".join(out), index


class DocumentText:
    """A document's text, normalised once, for repeated quote look-ups."""

    def __init__(self, text: str):
        self.text = text
        self.norm, self.index = normalise(text)

    def find_all(self, quote: str) -> list[tuple[int, int]]:
        """Every (start, end) span of ``quote`` in the original text, by normalised match."""
        needle, _ = normalise(quote.strip())
        if not needle:
            return []
        spans = []
        pos = self.norm.find(needle)
        while pos != -1:
            start = self.index[pos]
            end = self.index[pos + len(needle) - 1] + 1
            spans.append((start, end))
            pos = self.norm.find(needle, pos + 1)
        return spans

    def is_boundary(self, i: int) -> bool:
        """Whether character offset ``i`` lies between two grapheme clusters (UAX #29) of the text."""
        if i <= 0 or i >= len(self.text):
            return True
        before, after = self.text[i - 1], self.text[i]
        if before < "\x80" and after < "\x80" and not (before == "\r" and after == "\n"):
            return True  # UAX #29: two ASCII characters are two clusters, but for CR LF
        lo = max(0, i - _WINDOW)
        for m in regex.finditer(r"\X", self.text, pos=lo, endpos=min(len(self.text), i + _WINDOW)):
            if m.end() >= i:
                return m.end() == i
        return True

    def split_cluster(self, start: int, end: int) -> str | None:
        """Why the span (start, end) cuts a grapheme cluster in two, or None if it does not."""
        if not self.is_boundary(start):
            return (f"it begins inside a character: {describe(self.text[start])} at character {start} belongs "
                    f"to the '{self.text[start - 1]}' before it; begin the quote one character earlier")
        if not self.is_boundary(end):
            return (f"it ends inside a character: the text goes on with {describe(self.text[end])} at character "
                    f"{end}, which belongs to the quote's last letter; end the quote after it")
        return None

    def normal_form_hint(self, quote: str) -> str | None:
        """If ``quote`` occurs once both it and the text are NFC, a message saying they differ in normal form."""
        composed = unicodedata.normalize("NFC", quote.strip())
        if composed == quote.strip() and unicodedata.is_normalized("NFC", self.text):
            return None
        needle, _ = normalise(composed)
        if not needle or normalise(unicodedata.normalize("NFC", self.text))[0].find(needle) == -1:
            return None
        return (f"it differs from the text only in Unicode normal form: the quote is {normal_form(quote.strip())}, "
                f"the text is {normal_form(self.text)}; copy the characters from the text")

    def closest_hint(self, quote: str) -> str:
        """A hint for a quote that is absent: a difference of Unicode normal form, else the longest
        leading part that does occur."""
        form = self.normal_form_hint(quote)
        if form:
            return form
        needle, _ = normalise(quote.strip())
        lo, hi = 0, len(needle)
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self.norm.find(needle[:mid]) != -1:
                lo = mid
            else:
                hi = mid - 1
        if lo < 8:
            return "no part of it occurs in the text"
        return f"the text matches up to '{needle[:lo][-40:]}' then differs at '{needle[lo:lo + 20]}'"


def normal_form(text: str) -> str:
    """NFC, NFD, or 'neither NFC nor NFD' (composed or decomposed accents, or a mix)."""
    for form in ("NFC", "NFD"):
        if unicodedata.is_normalized(form, text):
            return form
    return "neither NFC nor NFD"
