"""The search documents: one record per findable item (entity, source, fact) with its names, aliases,
descriptions, contents and quotes, derived in one linear pass over triples.

The build summarizes each document's files once (``summarize``, cached by their sha256) and
merges the summaries into graph/search.jsonl (sorted by IRI, so the same graph gives the same
bytes), and the server builds its full-text index from that file at start, which takes seconds
where a SPARQL aggregate over the whole graph took minutes. A server on a remote store asks it
one simple query per field (``field_queries``) and merges the rows with the same ``Collector``.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib.namespace import RDF, RDFS, SKOS

from .namespace import DOS, OA, SCHEMA

FILE = "search.jsonl"
#: The classes whose instances are findable; an item's kind is the first of its classes by IRI.
KIND_CLASSES = tuple(str(DOS[c]) for c in (
    "Organization", "Person", "Place", "Event", "Legislation", "Source",
    "Statement", "Designation", "Participation", "Quantity", "Membership"))
#: Field -> the predicates whose literal values fill it. ``labels`` (rdfs:label) count as names
#: only for an item that has no skos:prefLabel or schema:name.
FIELDS = {
    "names": (str(SKOS.prefLabel), str(SCHEMA.name)),
    "labels": (str(RDFS.label),),
    "aliases": (str(SKOS.altLabel),),
    "descriptions": (str(SCHEMA.description),),
    "contents": (str(DOS.content),),
}
TEXT_FIELDS = ("names", "aliases", "descriptions", "contents", "quotes")
_TYPE = str(RDF.type)
_BY_PREDICATE = {p: f for f, ps in FIELDS.items() for p in ps}
# The quote of a fact: an annotation (oa:motivatedBy oa:describing) whose body is the fact and whose
# target's selector is an oa:TextQuoteSelector with oa:exact.
_BODY, _MOTIVE, _DESCRIBING = str(OA.hasBody), str(OA.motivatedBy), str(OA.describing)
_TARGET, _SELECTOR, _QUOTE_SELECTOR, _EXACT = str(OA.hasTarget), str(OA.hasSelector), str(OA.TextQuoteSelector), str(OA.exact)
_ANNOTATION_PREDICATES = {_BODY, _MOTIVE, _TARGET, _SELECTOR, _EXACT}


class Collector:
    """Field values gathered per item, from any number of triple sources, merged into documents."""

    def __init__(self):
        self.kinds: dict[str, set[str]] = defaultdict(set)
        self.values: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        self.quotes: dict[str, set[str]] = defaultdict(set)
        # the annotation chain, by node: body, describing, target, selector, quote-selector, exact
        self._bodies: dict = defaultdict(set)
        self._describing: set = set()
        self._targets: dict = defaultdict(set)
        self._selectors: dict = defaultdict(set)
        self._quote_selectors: set = set()
        self._exact: dict = defaultdict(set)

    def add_kind(self, item: str, cls: str) -> None:
        if cls in KIND_CLASSES:
            self.kinds[item].add(cls)

    def add_value(self, field: str, item: str, value: str) -> None:
        if field == "quotes":
            self.quotes[item].add(value)
        else:
            self.values[item][field].add(value)

    def add(self, s, p: str, o, o_value: str | None) -> None:
        """One triple: ``s`` and ``o`` are hashable node keys, ``o_value`` the object's text (a literal's or an IRI's)."""
        if p == _TYPE:
            if o_value in KIND_CLASSES and isinstance(s, str):
                self.kinds[s].add(o_value)
            elif o_value == _QUOTE_SELECTOR:
                self._quote_selectors.add(s)
        elif p in _BY_PREDICATE:
            if isinstance(s, str):
                self.values[s][_BY_PREDICATE[p]].add(o_value)
        elif p in _ANNOTATION_PREDICATES:
            if p == _BODY:
                self._bodies[s].add(o)
            elif p == _MOTIVE:
                if o_value == _DESCRIBING:
                    self._describing.add(s)
            elif p == _TARGET:
                self._targets[s].add(o)
            elif p == _SELECTOR:
                self._selectors[s].add(o)
            else:
                self._exact[s].add(o_value)

    def _chain_quotes(self) -> None:
        for annotation in self._describing:
            exact = {q for t in self._targets.get(annotation, ()) for sel in self._selectors.get(t, ())
                     if sel in self._quote_selectors for q in self._exact.get(sel, ())}
            if exact:
                for body in self._bodies.get(annotation, ()):
                    if isinstance(body, str):
                        self.quotes[body].update(exact)

    def documents(self) -> list[dict]:
        """One dict per item that has a kind and some text, sorted by IRI; every list sorted, blanks dropped."""
        self._chain_quotes()
        return [d for d in (self.document(item) for item in sorted(self.kinds)) if d is not None]

    def document(self, item: str) -> dict | None:
        """The item's search document, or None when it has no kind or no text."""
        if item not in self.kinds:
            return None
        fields = self.values.get(item, {})
        names = fields.get("names") or fields.get("labels") or set()
        doc = {"iri": item, "kind": min(self.kinds[item]).rsplit("#", 1)[-1],
               "names": names, "aliases": fields.get("aliases", set()),
               "descriptions": fields.get("descriptions", set()), "contents": fields.get("contents", set()),
               "quotes": self.quotes.get(item, set())}
        for f in TEXT_FIELDS:
            doc[f] = sorted(v for v in doc[f] if v and v.strip())
        return doc if any(doc[f] for f in TEXT_FIELDS) else None


def _key(term, part: int):
    """A node's key: an IRI's string; a blank node's label within its file (labels are file-local)."""
    if isinstance(term, ox.NamedNode):
        return term.value
    return (part, term.value)


def _collect(collector: Collector, data: bytes, n: int) -> None:
    """Add the wanted triples of one N-Quads file, the ``n``-th (its blank nodes are its own)."""
    for quad in ox.parse(data, format=ox.RdfFormat.N_QUADS):
        p = quad.predicate.value
        if p in _WANTED:
            o = quad.object
            collector.add(_key(quad.subject, n), p, _key(o, n) if not isinstance(o, ox.Literal) else None, o.value)


_WANTED = {_TYPE, *_BY_PREDICATE, *_ANNOTATION_PREDICATES}


@dataclass(frozen=True)
class Summary:
    """Some N-Quads files' part of the search documents (``summarize``): their items' classes, field
    values and the quotes their own annotations give; the finished line of each item, good as long as
    no other file names the item; and the IRIs their annotation chains pass through (where another
    file's chain could join them). The build caches it by the files' sha256, so a rebuild reads only
    the files that changed."""

    kinds: dict
    values: dict
    quotes: dict
    items: frozenset
    lines: list  # (IRI, its search document as a JSON line), sorted
    joins: frozenset


def summarize(*files: bytes) -> Summary:
    """The search documents' part of ``files`` read together (a document's own two files, say)."""
    c = Collector()
    for n, data in enumerate(files):
        _collect(c, data, n)
    joins = {x for x in (*c._bodies, *c._describing, *c._targets, *c._selectors, *c._quote_selectors, *c._exact,
                         *(t for ts in c._targets.values() for t in ts),
                         *(s for ss in c._selectors.values() for s in ss)) if isinstance(x, str)}
    c._chain_quotes()
    kinds, values, quotes = dict(c.kinds), {i: dict(f) for i, f in c.values.items()}, dict(c.quotes)
    lines = [(d["iri"], _line(d)) for d in c.documents()]
    return Summary(kinds, values, quotes, frozenset(kinds) | frozenset(values) | frozenset(quotes), lines, frozenset(joins))


def _union(into: dict, part: dict) -> None:
    """Merge item -> set ``part`` into ``into``; sets are replaced, never changed (they may be cached)."""
    for item, values in part.items():
        old = into.get(item)
        into[item] = values if old is None else old | values


def merged_lines(summaries: list[Summary], files) -> list[bytes]:
    """The lines of ``merged_pairs``."""
    return [line for _, line in merged_pairs(summaries, files)]


def merged_pairs(summaries: list[Summary], files) -> list[tuple[str, bytes]]:
    """(IRI, line) of the search documents, one JSON line each sorted by IRI, of all the files ``summaries`` were
    made from, the same as one pass over them all would give. An item named by several summaries is
    merged anew; an annotation chain through an IRI that several summaries' chains name may join
    across them, so those are read again together (``files(i)``: the files of the i-th summary)."""
    seen: set = set()
    shared: set = set()
    for s in summaries:
        shared |= s.items & seen
        seen |= s.items
    merged = Collector()
    _, quotes = crossing(summaries, files)
    _union(merged.quotes, quotes)
    shared |= set(quotes)
    lines = []
    for s in summaries:
        mine = s.items & shared
        if not mine:
            lines += s.lines
            continue
        lines += [pair for pair in s.lines if pair[0] not in mine]
        for item in mine:
            if item in s.kinds:
                _union(merged.kinds, {item: s.kinds[item]})
            if item in s.quotes:
                _union(merged.quotes, {item: s.quotes[item]})
            fields = s.values.get(item)
            if fields is not None:
                old = merged.values.get(item)
                merged.values[item] = fields if old is None else {
                    f: old.get(f, set()) | fields.get(f, set()) for f in old.keys() | fields.keys()}
    for item in shared:
        doc = merged.document(item)
        if doc is not None:
            lines.append((item, _line(doc)))
    lines.sort()
    return lines


def crossing(summaries: list[Summary], files) -> tuple[set[int], dict]:
    """The summaries whose annotation chains pass through an IRI another's chains name too (their
    indices), and the quotes their files give when read together (``files(i)``: the i-th's files)."""
    chained: set = set()
    through: set = set()
    for s in summaries:
        if s.joins:
            through |= s.joins & chained
            chained |= s.joins
    if not through:
        return set(), {}
    across = Collector()
    joined = set()
    for i, s in enumerate(summaries):
        if s.joins & through:
            joined.add(i)
            for n, data in enumerate(files(i)):
                _collect(across, data, (i, n))
    across._chain_quotes()
    return joined, dict(across.quotes)


def contributions(summary: Summary, item: str) -> set:
    """What ``summary`` gives ``item``: ("kind", class), (field, value) and ("quotes", quote) pairs."""
    out = {("kind", c) for c in summary.kinds.get(item, ())}
    out |= {(f, v) for f, vs in summary.values.get(item, {}).items() for v in vs}
    out |= {("quotes", q) for q in summary.quotes.get(item, ())}
    return out


def line_of(item: str, given: Iterable[tuple]) -> bytes | None:
    """The search document line of ``item`` from the (field, value) pairs of ``contributions``, or None."""
    c = Collector()
    for f, v in given:
        if f == "kind":
            c.kinds[item].add(v)
        elif f == "quotes":
            c.quotes[item].add(v)
        else:
            c.values[item][f].add(v)
    doc = c.document(item)
    return None if doc is None else _line(doc)


def from_nquads(chunks: Iterable[bytes]) -> list[dict]:
    """The search documents of the graph held by ``chunks`` (N-Quads, one file each)."""
    chunks = list(chunks)
    return [json.loads(line) for line in merged_lines([summarize(c) for c in chunks], lambda i: [chunks[i]])]


def _line(document: dict) -> bytes:
    return (json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n").encode("utf-8")


def to_jsonl(documents: list[dict]) -> bytes:
    """One JSON object a line, keys sorted, in the order given (the build gives them sorted by IRI)."""
    return b"".join(_line(d) for d in documents)


def field_queries() -> dict[str, str]:
    """Field -> a SELECT of (?item ?value) rows for a remote store; each is one triple pattern, linear in its size."""
    def select(pattern: str) -> str:
        return f"SELECT DISTINCT ?item ?value WHERE {{ {pattern} FILTER(isIRI(?item)) }} ORDER BY ?item ?value\n"

    queries = {"kinds": select(f"?item <{_TYPE}> ?value . VALUES ?value {{ {' '.join(f'<{c}>' for c in KIND_CLASSES)} }}")}
    for name, predicates in FIELDS.items():
        queries[name] = select(f"?item {'|'.join(f'<{p}>' for p in predicates)} ?value .")
    queries["quotes"] = select(
        f"?a <{_BODY}> ?item ; <{_MOTIVE}> <{_DESCRIBING}> ; <{_TARGET}>/<{_SELECTOR}> ?s . "
        f"?s a <{_QUOTE_SELECTOR}> ; <{_EXACT}> ?value .")
    return queries


def from_rows(rows_by_field: dict[str, Iterable[tuple[str, str]]]) -> list[dict]:
    """The search documents from ``field_queries``' rows, (item, value) pairs per field."""
    collector = Collector()
    for name, rows in rows_by_field.items():
        for item, value in rows:
            if name == "kinds":
                collector.add_kind(item, value)
            else:
                collector.add_value(name, item, value)
    return collector.documents()
