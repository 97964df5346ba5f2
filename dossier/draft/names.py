"""Registry names in a text: folding, the name index, and whole-word matches mapped back to the text.

Name matching (labels and aliases from mappings/entities/) folds both the text and the names
with ``textfold.fold_words``: accents dropped, casefold, every apostrophe, hyphen or other
punctuation mark a word break. Matches are whole words, the longest name wins, and offsets
map back to the original characters. So "Mujahedin-e Khalj", "Mojahedin e-Khalq" and "MEK" all
find the MEK, while "MEK" never fires inside another word. Two guards keep common words out:
a name spelled with a capital matches only text that starts with one ("Trump", not "trump"),
and a name of four letters or fewer matches only in capitals or exactly as the registry spells
it ("US" is not "us").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..registry import Registry
from ..textfold import fold_words as fold

AGENT_TYPES = ("Organization", "Person")




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

