"""Sentences and quotes that are exact, unique spans of a document's text."""

from __future__ import annotations

import re

from ..quotes import DocumentText

ABBREVIATIONS = {"mr", "mrs", "ms", "dr", "st", "jr", "sr", "hon", "gen", "lt", "col", "sen", "rep",
                 "prof", "no", "vs", "e.g", "i.e", "u.s", "u.k", "u.n", "inc", "ltd", "co", "corp", "mt"}


# a line break inside a sentence: the next line goes on in lower case (a wrapped line)
LINE = re.compile(r"[^\n]+(?:\n(?=[ \t]*[a-z])[^\n]+)*")


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence: split at line breaks (not a wrapped line's) and at . ! ? then space."""
    spans = []
    for line in LINE.finditer(text):
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


def sentence_of(sents: list[tuple[int, int]], pos: int) -> int:
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

