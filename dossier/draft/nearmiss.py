"""Near misses of registry names: spellings the registry lacks, proposed as "add alias X to Y?".

An unresolved name is compared with every registry label and alias after a second, looser
folding: transliterated to ASCII (anyascii), possessive "s" and "the" dropped, each word made
singular. Three kinds of near miss are proposed, never applied: the same words in another
inflection or order ("Conservative" for "Conservatives", "Guard's Corps"), a spelling within a
few letters (rapidfuzz ratio: "Qods Force" for "Quds Force"), and a name whose words are most of
a longer registry name ("Revolutionary Guards", "Department of State"). A lone surname is taken
for the registry person whose full name the same text gives ("Lieberman" after "Joe Lieberman").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from anyascii import anyascii
from rapidfuzz import fuzz

from ..registry import Registry
from .names import Mention, tokens
from .newnames import NewName

MIN_RATIO = 85        # a spelling this close (0-100) is a likely variant
MIN_WORD_RATIO = 80   # a word this close counts as present in the longer name
SKIP_WORDS = {"s", "the"}
POSSESSIVE_GAP = re.compile(r"['’]s\s+")


@dataclass
class NearMiss:
    name: str          # as the text spells it
    start: int
    end: int
    entity: str
    spelling: str      # the registry spelling it resembles
    how: str           # why it is proposed, for the reviewer


def loose_key(name: str) -> list[str]:
    """The looser folding of the module doc, as a list of words."""
    out = []
    for word, _, _ in tokens(anyascii(name)):
        if word in SKIP_WORDS:
            continue
        if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
            word = word[:-1]
        out.append(word)
    return out


def _spellings(reg: Registry) -> list[tuple[str, str, list[str]]]:
    return [(e.id, s, loose_key(s)) for e in reg.entities.values() for s in [e.label, *e.aliases] if loose_key(s)]


def _word_in(word: str, words: list[str]) -> bool:
    return any(w == word or (len(word) > 3 and fuzz.ratio(word, w) >= MIN_WORD_RATIO) for w in words)


def match(name: str, spellings: list[tuple[str, str, list[str]]]) -> tuple[str, str, str] | None:
    """The best (entity, spelling, how) for one unresolved name, or None."""
    key = loose_key(name)
    if not key:
        return None
    joined = " ".join(key)
    best: tuple[float, str, str, str] | None = None
    for eid, spelling, words in spellings:
        other = " ".join(words)
        if key == words or sorted(key) == sorted(words):
            score, how = 100.0, "the same words in another form or order"
        elif len(joined) >= 6 and (r := fuzz.ratio(joined, other)) >= MIN_RATIO and len(key) == len(words):
            score, how = r, f"spelt within a few letters ({r:.0f}/100)"
        elif (len(key) >= 2 and len(key) < len(words) and 2 * len(key) >= len(words)
              and all(_word_in(w, words) for w in key)):
            score, how = 80.0 + len(key), f"{len(key)} of its {len(words)} words"
        else:
            continue
        if best is None or score > best[0]:
            best = (score, eid, spelling, how)
    return (best[1], best[2], best[3]) if best else None


def near_misses(text: str, new_names: list[NewName], mentions: list[Mention], reg: Registry) -> list[NearMiss]:
    """A proposal per unresolved name that resembles a registry name (see the module doc)."""
    spellings = _spellings(reg)
    persons = {m.entity for m in mentions if reg.entities[m.entity].type == "Person"}
    out = []
    # "Guard's Corps": a possessive splits a name in two; try the two halves as one first
    joined = [NewName(text[a.start:b.end], a.slug, 1, a.start, b.end)
              for a, b in zip(new_names, new_names[1:]) if POSSESSIVE_GAP.fullmatch(text[a.end:b.start])]
    taken: list[tuple[int, int]] = []
    for nn in joined + new_names:
        if any(a < nn.end and nn.start < b for a, b in taken):
            continue
        found = match(nn.name, spellings)
        if found is None and " " not in nn.name.strip():
            surname = nn.name.strip().lower()
            owner = sorted(p for p in persons
                           if reg.entities[p].label.split()[-1].lower() == surname and len(reg.entities[p].label.split()) > 1)
            if len(owner) == 1:
                found = (owner[0], reg.entities[owner[0]].label, "the surname of a person the text names in full")
        if found:
            out.append(NearMiss(nn.name, nn.start, nn.end, *found))
            taken.append((nn.start, nn.end))
    return sorted(out, key=lambda n: n.start)
