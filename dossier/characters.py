"""Which characters an input may hold: the one list of refused characters, and why each is refused.

Two sets. UNSAFE characters may appear nowhere, not even in a document text: control characters
and non-characters make the RDF/XML output ill-formed and are never part of a published text.
HIDDEN characters are also refused in mapping and registry files, whose labels, aliases and
descriptions people read: they change how text looks (bidi overrides, zero-width characters,
line separators, stray byte order marks) without changing what it says. A zero-width joiner or
non-joiner stays allowed between two non-ASCII letters, where scripts such as Persian need it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]")
_HIDDEN = re.compile(
    "[\u200b\u200c\u200d\u2060-\u2064\u180e\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff\ufff9-\ufffb"
    "\U000e0000-\U000e007f]"
)
_JOINERS = "\u200c\u200d"

_WHY = [
    ("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069",
     "a bidirectional control, which makes text display in another order than it is stored"),
    ("\u200b\u200c\u200d\u2060\u2061\u2062\u2063\u2064\u180e", "an invisible character, which hides a difference between two texts"),
    ("\u2028\u2029", "a Unicode line separator, which some readers take for a line break and others do not"),
    ("\ufeff", "a byte order mark, allowed only as the first character of a file"),
]


def describe(ch: str) -> str:
    """``U+202E RIGHT-TO-LEFT OVERRIDE``: the code point and, where Unicode gives one, its name."""
    name = unicodedata.name(ch, "")
    return f"U+{ord(ch):04X} {name}".rstrip()


def why(ch: str) -> str:
    """Why ``ch`` is refused, in a phrase."""
    for chars, reason in _WHY:
        if ch in chars:
            return reason
    if "\ud800" <= ch <= "\udfff":
        return "a lone surrogate, which is not a character and cannot be written as UTF-8"
    if ch in "\ufffe\uffff" or "\ufdd0" <= ch <= "\ufdef":
        return "a non-character, reserved by Unicode for internal use"
    if "\U000e0000" <= ch <= "\U000e007f":
        return "an invisible tag character, which hides text from the reader"
    return "a control character, which RDF/XML cannot carry and no published text needs"


def _joined_letters(text: str, i: int) -> bool:
    """A joiner at ``i`` between two non-ASCII letters or marks (as in Persian or Devanagari words)."""
    if i == 0 or i + 1 >= len(text):
        return False
    return all(not c.isascii() and unicodedata.category(c)[0] in "LM" for c in (text[i - 1], text[i + 1]))


def refused(text: str, hidden: bool = True, start: int = 0) -> Iterator[tuple[int, str]]:
    """(index, character) of each refused character of ``text`` from ``start``: UNSAFE ones, and HIDDEN ones if ``hidden``."""
    for m in _UNSAFE.finditer(text, start):
        yield m.start(), m.group()
    if hidden:
        for m in _HIDDEN.finditer(text, start):
            if m.group() in _JOINERS and _joined_letters(text, m.start()):
                continue
            yield m.start(), m.group()


def first_refused(text: str, hidden: bool = True) -> tuple[int, str] | None:
    """The first refused character of ``text`` (by position) with its index, or None."""
    found = sorted(refused(text, hidden))
    return found[0] if found else None
