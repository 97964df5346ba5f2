"""Full-text search over entities, sources and facts: an SQLite FTS5 index with folding and typo tolerance.

The index is built from the search documents the build writes (graph/search.jsonl, sorted by
IRI: see dossier/searchdocs.py), on first use and again when a rebuilt graph/ is swapped in; a
server on a remote store (--store) derives the same documents from one simple query per field.
Text is folded before it is indexed and before it is looked up, so case,
diacritics, straight or curly apostrophes, dashes and other scripts (transliterated to ASCII
by anyascii) do not matter. A query word the index does not hold is replaced by the indexed
words within one or two edits of it (rapidfuzz), and results are ranked by how well the
query matches their names, then by FTS5's bm25 over all their text.
"""

from __future__ import annotations

import asyncio
import bisect
import hashlib
import json
import sqlite3
from dataclasses import asdict, dataclass, field
from pathlib import Path

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from .. import searchdocs
from ..graphdir import search_file
from ..namespace import BASE
from ..textfold import fold, transliterate

ENTITY_KINDS = ("Organization", "Person", "Place", "Event")
#: Every kind a result can have, in the order the type filter lists them.
KINDS = ENTITY_KINDS + ("Source", "Statement", "Designation", "Participation")
#: FTS5 column weights for bm25: names count most, then aliases, descriptions, contents and quotes.
WEIGHTS = (10.0, 8.0, 3.0, 2.0, 1.0)
CANDIDATES = 400


@dataclass
class Document:
    """One findable item, as the index holds it."""

    iri: str
    kind: str
    names: list[str]
    aliases: list[str] = field(default_factory=list)
    descriptions: list[str] = field(default_factory=list)
    contents: list[str] = field(default_factory=list)
    quotes: list[str] = field(default_factory=list)

    @classmethod
    def from_record(cls, record: dict) -> "Document":
        """From a record of searchdocs (a line of graph/search.jsonl)."""
        return cls(record["iri"], record["kind"], *(list(record.get(f, [])) for f in searchdocs.TEXT_FIELDS))

    @property
    def label(self) -> str:
        return self.names[0] if self.names else self.iri.rsplit("/", 1)[-1]


@dataclass
class Hit:
    """One result: what it is, where its page is, and the passage that matched."""

    iri: str
    href: str
    label: str
    type: str
    description: str | None
    match_field: str | None
    match: str | None
    score: float

    def as_json(self) -> dict:
        return asdict(self)


@dataclass
class Results:
    query: str
    type: str | None
    total: int
    types: dict[str, int]
    hits: list[Hit]
    corrected: dict[str, list[str]]


def href_of(iri: str) -> str:
    """This server's path for a Dossier IRI."""
    return "/" + iri[len(BASE):] if iri.startswith(BASE) else iri


def excerpt(text: str, words: list[str], width: int = 180) -> str:
    """A passage of ``text`` (its own characters) around the first of ``words`` found in it, folded."""
    haystack, positions = transliterate(text)
    at = min((p for p in (haystack.find(w) for w in words) if p >= 0), default=-1)
    if len(text) <= width:
        return text
    start = max(0, positions[at] - width // 3) if at >= 0 else 0
    piece = text[start:start + width]
    return ("…" if start else "") + piece + ("…" if start + width < len(text) else "")


class SearchIndex:
    """An in-memory FTS5 index of Documents; ``search`` answers a query in a few milliseconds."""

    def __init__(self, documents: list[Document]):
        self.documents = sorted(documents, key=lambda d: d.iri)
        self.position = {d.iri: n for n, d in enumerate(self.documents)}
        self.db = sqlite3.connect(":memory:", check_same_thread=False)
        self.db.execute(
            "CREATE VIRTUAL TABLE docs USING fts5(names, aliases, descriptions, contents, quotes, kind UNINDEXED, "
            "tokenize = 'unicode61 remove_diacritics 0', prefix = '2 3')"
        )
        self.db.executemany(
            "INSERT INTO docs(rowid, names, aliases, descriptions, contents, quotes, kind) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                (n, *(" \n".join(fold(v) for v in values) for values in (d.names, d.aliases, d.descriptions, d.contents, d.quotes)), d.kind)
                for n, d in enumerate(self.documents)
            ],
        )
        self.db.execute("CREATE VIRTUAL TABLE words USING fts5vocab(docs, 'row')")
        self.vocabulary = [w for (w,) in self.db.execute("SELECT term FROM words ORDER BY term")]
        self.known = set(self.vocabulary)
        self.names = [[fold(n) for n in d.names + d.aliases] for d in self.documents]

    def __len__(self) -> int:
        return len(self.documents)

    def _alternatives(self, word: str) -> list[str]:
        """Indexed words within one edit (two for words of 6+ letters) of a word the index lacks."""
        if word in self.known or len(word) < 3:
            return []
        limit = 1 if len(word) < 6 else 2
        found = process.extract(word, self.vocabulary, scorer=Levenshtein.distance, score_cutoff=limit, limit=8)
        return sorted(w for w, _, _ in found)

    def _is_prefix(self, word: str) -> bool:
        """Whether some indexed word starts with ``word``."""
        at = bisect.bisect_left(self.vocabulary, word)
        return at < len(self.vocabulary) and self.vocabulary[at].startswith(word)

    def _match_expression(self, words: list[str], joiner: str) -> tuple[str, dict[str, list[str]]]:
        """An FTS5 query: each word as a prefix (the last may be unfinished), or its near spellings."""
        parts, corrected = [], {}
        for i, word in enumerate(words):
            last = i == len(words) - 1
            options = [f'"{word}"*' if last or len(word) >= 3 else f'"{word}"']
            alternatives = [] if last and self._is_prefix(word) else self._alternatives(word)
            if alternatives:
                corrected[word] = alternatives
                options += [f'"{a}"' for a in alternatives]
            parts.append("(" + " OR ".join(options) + ")")
        return joiner.join(parts), corrected

    def _candidates(self, expression: str) -> list[tuple[int, float]]:
        weights = ", ".join(f"{w:g}" for w in WEIGHTS)
        return self.db.execute(
            f"SELECT rowid, bm25(docs, {weights}) AS rank FROM docs WHERE docs MATCH ? ORDER BY rank, rowid LIMIT {CANDIDATES}",
            (expression,),
        ).fetchall()

    def search(self, query: str, kind: str | None = None, limit: int = 20, names_only: bool = False) -> Results:
        """Documents matching ``query`` (all its words, else any), best first; ``kind`` filters by type.

        ``names_only`` (autocomplete) matches the last word as a prefix and ranks by names alone.
        """
        words = fold(query).split()[:12]
        if not words:
            return Results(query, kind, 0, {}, [], {})
        rows: list[tuple[int, float]] = []
        for joiner in (" AND ", " OR "):  # every word, else any word
            expression, corrected = self._match_expression(words, joiner)
            rows = self._candidates("{names aliases} : (" + expression + ")" if names_only else expression)
            if rows:
                break
        phrase = " ".join(words)
        scored = []
        types: dict[str, int] = {}
        for rowid, rank in rows:
            doc = self.documents[rowid]
            types[doc.kind] = types.get(doc.kind, 0) + 1
            if kind and doc.kind != kind:
                continue
            name_score = max((fuzz.WRatio(phrase, n) for n in self.names[rowid]), default=0.0)
            weight = 1.0 if doc.kind in ENTITY_KINDS or doc.kind == "Source" else 0.7
            score = name_score * weight + min(30.0, -rank)
            scored.append((-score, doc.iri, doc))
        scored.sort(key=lambda s: (s[0], s[1]))
        wanted = words + [a for alts in corrected.values() for a in alts]
        hits = [self._hit(doc, wanted, -neg) for neg, _, doc in scored[:limit]]
        total = len(scored)
        return Results(query, kind, total, dict(sorted(types.items(), key=lambda kv: KINDS.index(kv[0]) if kv[0] in KINDS else 99)), hits, corrected)

    @staticmethod
    def _hit(doc: Document, wanted: list[str], score: float) -> Hit:
        """The result for ``doc``, with the first alias, description, content or quote holding a query word."""
        significant = [w for w in wanted if len(w) > 1] or wanted

        def holds(value: str) -> bool:
            return any(token.startswith(w) for token in fold(value).split() for w in significant)

        match_field, match = None, None
        if not any(holds(name) for name in doc.names):
            fields = (("alias", doc.aliases), ("description", doc.descriptions), ("content", doc.contents), ("quote", doc.quotes))
            match_field, match = next(((f, excerpt(v, significant)) for f, values in fields for v in values if holds(v)), (None, None))
        description = (doc.descriptions or doc.contents or [None])[0]
        return Hit(doc.iri, href_of(doc.iri), doc.label, doc.kind, description, match_field, match, round(score, 3))


class StaleSearchFile(Exception):
    """graph/search.jsonl is missing or is not the one graph/manifest.json names (graph/ changed while it was read)."""


def read_index(graph_dir: Path) -> SearchIndex:
    """The index of graph/search.jsonl, checked against the sha256 the manifest gives it."""
    named = search_file(graph_dir)
    if named is None:
        raise StaleSearchFile(f"{graph_dir}/manifest.json names no search file: run `dossier build`")
    path, sha = named
    try:
        data = path.read_bytes()
    except FileNotFoundError as e:
        raise StaleSearchFile(f"{path} is missing: run `dossier build`") from e
    if hashlib.sha256(data).hexdigest() != sha:
        raise StaleSearchFile(f"{path} is not the file graph/manifest.json names")
    return SearchIndex([Document.from_record(json.loads(line)) for line in data.decode("utf-8").splitlines()])


async def query_index(backend, timeout: float, page_size: int) -> SearchIndex:
    """The index from a store's own triples: one simple query per field, read in pages of ``page_size`` rows."""
    from .backend import select

    rows: dict[str, list[tuple[str, str]]] = {}
    for name, query in searchdocs.field_queries().items():
        rows[name] = []
        offset = 0
        while True:
            # Paging is the only change to the query text: two integers of ours, never request input.
            page = await select(backend, f"{query}LIMIT {page_size} OFFSET {offset}", timeout)
            rows[name].extend((r["item"]["value"], r["value"]["value"]) for r in page)
            if len(page) < page_size:
                break
            offset += page_size
    return SearchIndex([Document.from_record(d) for d in searchdocs.from_rows(rows)])


async def load_index(site) -> SearchIndex:
    """The index of the graph the server serves: from graph/search.jsonl for the embedded store (checked to
    belong to the served graph/, read again if a rebuild swapped it meanwhile), else queried from the store."""
    if site.settings.store is None:
        graph_dir = site.settings.graph_dir
        for _ in range(3):
            try:
                return await asyncio.to_thread(read_index, graph_dir)
            except StaleSearchFile:
                await asyncio.sleep(0.5)  # a build is swapping graph/ in: its files come together
    return await query_index(site.backend, site.derive_timeout, min(site.settings.max_rows, 5000))


async def shared_index(site) -> SearchIndex:
    """The server's one index (site.shared), loaded on first use and after graph/ is swapped."""
    async with site.lock:
        site.forget_if_swapped()
        if "search" not in site.shared:
            site.shared["search"] = await load_index(site)
    return site.shared["search"]
