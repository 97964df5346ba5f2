"""Candidates for one reconciliation query: names through the search index, then the conditions."""

from __future__ import annotations

import re

from rapidfuzz import fuzz

from .. import search
from .entities import ID_SPACE, TYPES, BadRequest, Facts, slug, type_of

QID = re.compile(r"^Q[1-9][0-9]*$")
MAX_QUERIES = 200
MAX_LIMIT = 50

#: Properties a query may state as conditions.
CONDITIONS = {"wikidata": "Wikidata QID", "country": "country or nationality"}


def _condition_values(value) -> list[str]:
    values = value if isinstance(value, list) else [value]
    out = []
    for v in values:
        if isinstance(v, dict):
            v = v.get("id") or v.get("name") or ""
        out.append(str(v).strip())
    return [v for v in out if v]


def _qid(value: str) -> str:
    value = value.rsplit("/", 1)[-1]
    return value if QID.match(value) else ""


def reconcile_one(index: search.SearchIndex, facts: dict[str, Facts], query: dict) -> list[dict]:
    """Candidates for one query object: {query, type?, limit?, properties?: [{pid, v}]}."""
    if not isinstance(query, dict) or not isinstance(query.get("query", ""), str):
        raise BadRequest("each query must be an object with a string 'query'")
    text = query.get("query", "").strip()
    kind = type_of(query.get("type") if isinstance(query.get("type"), str) else None)
    limit = query.get("limit", 10)
    if not isinstance(limit, int) or not 0 < limit <= MAX_LIMIT:
        raise BadRequest(f"limit must be an integer from 1 to {MAX_LIMIT}")
    conditions = []
    for prop in query.get("properties") or []:
        pid = prop.get("pid") if isinstance(prop, dict) else None
        if pid not in CONDITIONS:
            raise BadRequest(f"unknown property {pid!r}: one of {', '.join(CONDITIONS)}")
        conditions.append((pid, _condition_values(prop.get("v"))))

    by_slug: dict[str, tuple[search.Document, float]] = {}
    if text:
        for hit in index.search(text, kind, limit=MAX_LIMIT * 2, names_only=True).hits:
            if hit.type in TYPES and hit.iri.startswith(ID_SPACE):
                doc = index.documents[index.position[hit.iri]]
                name_score = max((fuzz.WRatio(search.fold(text), n) for n in index.names[index.position[hit.iri]]), default=0.0)
                by_slug[slug(hit.iri)] = (doc, name_score)
    wanted_qids = {_qid(v) for pid, values in conditions if pid == "wikidata" for v in values} - {""}
    for s, f in facts.items():  # an entity whose QID is asked for is a candidate whatever its names
        if f.wikidata & wanted_qids and s not in by_slug and (kind is None or f.kind == kind):
            by_slug[s] = (index.documents[index.position[ID_SPACE + s]], 0.0)

    folded = search.fold(text)
    candidates = []
    for s, (doc, name_score) in by_slug.items():
        f = facts.get(s, Facts(doc.kind))
        score, failed, proven = name_score, False, False
        for pid, values in conditions:
            if pid == "wikidata":
                qids = {_qid(v) for v in values} - {""}
                if f.wikidata & qids:
                    proven = True
                elif f.wikidata and qids:
                    failed = True
            elif pid == "country":
                wanted = {search.fold(v) for v in values}
                have = {search.fold(x) for pair in f.countries.items() for x in pair}
                if wanted & have:
                    score = min(100.0, score + 10)
                elif have:
                    failed = True
        if proven:
            score = 100.0
        if failed:
            score *= 0.5
        exact = folded and folded in {search.fold(n) for n in doc.names + doc.aliases}
        candidates.append({
            "id": s,
            "name": doc.label,
            "type": [{"id": doc.kind, "name": doc.kind}],
            "score": round(score, 2),
            "match": False,
            "description": (doc.descriptions or [""])[0],
            "_exact": bool(exact) or proven,
            "_failed": failed,
        })
    candidates.sort(key=lambda c: (-c["score"], c["id"]))
    candidates = candidates[:limit]
    sure = [c for c in candidates if c["_exact"] and not c["_failed"]]
    if len(sure) == 1 and sure[0] is candidates[0]:
        candidates[0]["match"] = True
    for c in candidates:
        del c["_exact"], c["_failed"]
    return candidates
