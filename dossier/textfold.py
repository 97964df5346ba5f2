"""Text folding: the one place that says which spellings of a name count as the same.

Two foldings, for two jobs. ``fold`` is the comparison key of search, reconciliation and Wikidata
labels: transliterated to ASCII (anyascii: 'Mojāhedin' -> 'mojahedin', Cyrillic and Arabic
script too), lowercase, apostrophes dropped so "People's", "People’s" and "Peoples" meet, every
other run of punctuation or space one space. ``fold_words`` is for finding registry names in a
document: accents dropped (NFKD), casefold, soft hyphens and zero-width characters removed, and
every apostrophe a word break, so the name stays a word in "Canada's"; it keeps, per folded
character, its offset in the text, so a match maps back to the document's own characters.
"""

from __future__ import annotations

import re
import unicodedata

from anyascii import anyascii

APOSTROPHES = set("\'’‘‛ʼ`´′")
_DROPPED = re.compile(r"['`]")
_NON_WORD = re.compile(r"[^a-z0-9]+")


def fold(text: str) -> str:
    """Text reduced to lowercase ASCII words: 'Mojāhedin-e Khalq’s' -> 'mojahedin e khalqs'."""
    return _NON_WORD.sub(" ", _DROPPED.sub("", anyascii(text).lower())).strip()


def transliterate(text: str) -> tuple[str, list[int]]:
    """``fold``'s first steps (ASCII, lowercase, apostrophes dropped), punctuation kept, with each
    output character's offset in ``text``: where a folded word found in it starts in the original."""
    out: list[str] = []
    positions: list[int] = []
    for i, ch in enumerate(text):
        f = _DROPPED.sub("", anyascii(ch).lower())
        out.append(f)
        positions.extend([i] * len(f))
    return "".join(out), positions


def fold_words(text: str) -> tuple[str, list[int]]:
    """Text folded for finding names in it, and per folded character its index in ``text``."""
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
