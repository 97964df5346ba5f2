"""Locating verbatim quotes in a document text, tolerant of typography only.

One documented normalisation, applied to both text and quote before matching:
- curly single quotes and primes (‘ ’ ‚ ‛ ′) equal ', curly double quotes (“ ” „ ‟ ″) equal ";
- the dashes ‐ ‑ ‒ – — ― equal -;
- soft hyphens and zero-width characters are ignored;
- any run of whitespace, no-break spaces included, equals one space.
Offsets returned are into the original text, so the stored quote is the source's own characters.
"""

from __future__ import annotations

_MAP = {c: "'" for c in "‘’‚‛′"} | {c: '"' for c in "“”„‟″"} | {c: "-" for c in "‐‑‒–—―"}
_DROP = set("\u00ad\u200b\u200c\u200d\u2060\ufeff")


def normalise(text: str) -> tuple[str, list[int]]:
    """Normalised text and, for each of its characters, the index it came from in ``text``."""
    out: list[str] = []
    index: list[int] = []
    in_space = False
    for i, ch in enumerate(text):
        if ch in _DROP:
            continue
        if ch.isspace():
            if not in_space:
                out.append(" ")
                index.append(i)
            in_space = True
            continue
        in_space = False
        out.append(_MAP.get(ch, ch))
        index.append(i)
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

    def closest_hint(self, quote: str) -> str:
        """A hint for a quote that is absent: the longest leading part that does occur."""
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
