"""Quote matching's normalisation and grapheme boundaries, against their plain definitions.

quotes.normalise works on runs of characters and DocumentText.is_boundary skips the grapheme
segmentation between two ASCII characters; both must give what the definitions give: one
character at a time (the module's docstring), and UAX #29 over the whole text (the regex
module's \\X).
"""

from __future__ import annotations

import random

import regex

from dossier.quotes import _DROP, _MAP, DocumentText, normalise


def by_character(text: str) -> tuple[str, list[int]]:
    """The normalisation as the module's docstring defines it, one character at a time."""
    out, index, in_space = [], [], False
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


#: Letters, every character the normalisation maps or drops, whitespace of several kinds, CR LF,
#: combining accents, a zero-width joiner sequence, regional indicators and an Arabic prepend mark.
ALPHABET = (list("ab Z.,'\"-") + list(_MAP) + sorted(_DROP) + ["\t", "\n", "\r", "\r\n", "\u00a0", "\u2003",
            "\u3000", "\x1c", "\u0301", "e\u0301", "\U0001F469\u200d\U0001F4BB", "\U0001F1E8\U0001F1E6", "\u0600"])


def samples(n: int = 400) -> list[str]:
    rng = random.Random(10)
    return ["".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 40))) for _ in range(n)]


def test_whitespace_is_what_str_isspace_says():
    """The runs are found with re's \\s: it must agree with str.isspace on every code point."""
    differ = [hex(c) for c in range(0x110000) if (normalise(chr(c))[0] == " ") != chr(c).isspace()]
    assert not differ


def test_normalise_is_the_character_by_character_definition():
    for text in samples():
        assert normalise(text) == by_character(text), repr(text)


def test_boundaries_are_those_of_uax29():
    for text in samples():
        clusters = {0} | {m.end() for m in regex.finditer(r"\X", text)}
        doc = DocumentText(text)
        assert [i for i in range(len(text) + 1) if doc.is_boundary(i)] == sorted(clusters), repr(text)
