"""graph/search.jsonl kept up to date by splicing: only the items a changed file names are merged again.

Merging every file's search summary (searchdocs.merged_lines) costs time in proportion to the
number of documents. The build keeps, in one cache file, the merged lines by IRI, which summary
(unit: a document's two files, or one shared file) names each item, what the units give each item
named by several, and the annotation-chain IRIs a unit names outside its own document. A rebuild
that changed a few units takes their old summaries out, puts the new ones in, and makes again
only the lines of the items they name; the same lines as a full merge give. Where annotation
chains cross units (searchdocs.crossing) near a change, or the index is missing, damaged or made
under other inputs, the build merges every summary in full and makes the index again.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass, field

from .. import searchdocs
from ..cache import Cache
from ..namespace import BASE

_NAME = "index"
_SOURCE, _FACT = f"{BASE}source/", f"{BASE}fact/"
#: More changed units than this and the full merge is as quick as the splice.
SPLICE_LIMIT = 64


@dataclass
class SearchIndex:
    key: str  # the shared inputs' key it was made under
    units: dict  # unit name -> its document's slug ("" for a shared file)
    owner: dict  # item -> the unit naming it, or a tuple of the units when several do
    given: dict  # item named by several units -> Counter of its (field, value) pairs over them
    foreign: dict  # annotation-chain IRI outside its unit's document -> set of units naming it
    joined: frozenset  # units whose chains cross others' (searchdocs.crossing)
    cross_quotes: dict  # item -> the quotes the crossing chains give it
    iris: list = field(default_factory=list)  # the items of the lines, sorted
    lines: list = field(default_factory=list)  # their search document lines


def _own(slug: str, iri: str) -> bool:
    return bool(slug) and (iri == _SOURCE + slug or iri.startswith(f"{_FACT}{slug}/"))


def _slug_of(iri: str) -> str | None:
    """The document whose own IRI ``iri`` is (its source or one of its facts), if any."""
    if iri.startswith(_SOURCE):
        return iri[len(_SOURCE):]
    if iri.startswith(_FACT):
        return iri[len(_FACT):].split("/", 1)[0]
    return None


def full(key: str, names: list[str], slugs: list[str], summaries: list, files) -> SearchIndex:
    """Merge every summary (the i-th is unit names[i] of document slugs[i]) and index the result."""
    pairs = searchdocs.merged_pairs(summaries, files)
    joined, cross_quotes = searchdocs.crossing(summaries, files)
    owner: dict = {}
    foreign: dict = {}
    for name, slug, s in zip(names, slugs, summaries):
        for item in s.items:
            known = owner.get(item)
            owner[item] = name if known is None else (*(known if isinstance(known, tuple) else (known,)), name)
        for x in s.joins:
            if not _own(slug, x):
                foreign.setdefault(x, set()).add(name)
    by_name = dict(zip(names, summaries))
    given = {item: Counter(pair for u in units for pair in searchdocs.contributions(by_name[u], item))
             for item, units in owner.items() if isinstance(units, tuple)}
    return SearchIndex(key, dict(zip(names, slugs)), owner, given, foreign, frozenset(names[i] for i in joined),
                       cross_quotes, [iri for iri, _ in pairs], [line for _, line in pairs])


def load(cache: Cache, key: str) -> SearchIndex | None:
    found = cache.load("searchindex", _NAME)
    return found if isinstance(found, SearchIndex) and found.key == key else None


def store(cache: Cache, index: SearchIndex) -> None:
    cache.store("searchindex", _NAME, index)


def splice(index: SearchIndex, names: list[str], slugs: list[str], summary) -> bool:
    """Bring ``index`` to the units ``names`` (of documents ``slugs``); ``summary(name)`` gives a
    unit's summary (None when it cannot). False, with ``index`` left in an undefined state, where
    only a full merge can tell: too many changes, crossing chains near them, a summary gone."""
    now = dict(zip(names, slugs))
    gone = [u for u in index.units if u not in now]
    new = [u for u in names if u not in index.units]
    if len(gone) + len(new) > SPLICE_LIMIT or (set(gone) | set(new)) & index.joined:
        return False
    old = {u: summary(u) for u in gone}
    added = {u: summary(u) for u in new}
    if any(s is None for s in (*old.values(), *added.values())):
        return False
    # take the old units out
    touched: set = set()
    for u, s in old.items():
        for x in s.joins:
            if not _own(index.units[u], x):
                units = index.foreign.get(x)
                if units is not None:
                    units.discard(u)
                    if not units:
                        del index.foreign[x]
        for item in s.items:
            touched.add(item)
            known = index.owner.get(item)
            if known == u:
                del index.owner[item]
            elif isinstance(known, tuple):
                rest = tuple(v for v in known if v != u)
                index.given[item].subtract(searchdocs.contributions(s, item))
                if len(rest) == 1:
                    index.owner[item] = rest[0]
                    del index.given[item]
                else:
                    index.owner[item] = rest
        del index.units[u]
    # chains of a new unit must not cross any other unit's
    by_slug = {slug: u for u, slug in now.items() if slug}
    for u, s in added.items():
        slug = now[u]
        for x in s.joins:
            if x in index.foreign:
                return False
            if not _own(slug, x):
                other = by_slug.get(_slug_of(x) or "")
                if other is not None and other != u:
                    theirs = added.get(other) or summary(other)
                    if theirs is None or x in theirs.joins:
                        return False
        for x in s.joins:
            if not _own(slug, x):
                index.foreign.setdefault(x, set()).add(u)
    # put the new units in
    for u, s in added.items():
        for item in s.items:
            touched.add(item)
            known = index.owner.get(item)
            if known is None:
                index.owner[item] = u
                continue
            if not isinstance(known, tuple):
                first = added.get(known) or summary(known)
                if first is None:
                    return False
                index.given[item] = Counter(searchdocs.contributions(first, item))
                known = (known,)
            index.owner[item] = (*known, u)
            index.given[item].update(searchdocs.contributions(s, item))
        index.units[u] = now[u]
    # the lines of the items touched
    for item in sorted(touched):
        known = index.owner.get(item)
        if known is None:
            pairs: set = set()
        elif isinstance(known, tuple):
            pairs = {pair for pair, n in index.given[item].items() if n > 0}
        else:
            s = added.get(known) or summary(known)
            if s is None:
                return False
            pairs = searchdocs.contributions(s, item)
        pairs |= {("quotes", q) for q in index.cross_quotes.get(item, ())}
        line = searchdocs.line_of(item, pairs) if pairs else None
        i = bisect_left(index.iris, item)
        present = i < len(index.iris) and index.iris[i] == item
        if line is None and present:
            del index.iris[i], index.lines[i]
        elif line is not None and present:
            index.lines[i] = line
        elif line is not None:
            index.iris.insert(i, item)
            index.lines.insert(i, line)
    return True
