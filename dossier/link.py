"""Wikidata link candidates and checks: `dossier link` proposes, a person confirms.

Confirmed links live in mappings/wikidata.sssom.tsv and nothing here ever writes to it.
For every registry entity without a confirmed QID, `propose` asks Wikidata's
``wbsearchentities`` API for items matching the entity's label (then its aliases), fetches each
candidate's English label, description and "instance of" (P31) with ``wbgetentities``, and
writes the candidates to a separate SSSOM review file. `check` compares each confirmed link's
recorded ``object_label`` with the item's current label.

Every response is kept as a JSON file in a cache folder, keyed by the request, so the same
commands work offline from the cache. When Wikidata cannot be reached the client says so once
("cannot reach Wikidata (...); using cache only") and carries on with what the cache holds.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Callable

import httpx

from .registry import NO_TERM, Registry

DEFAULT_ENDPOINT = "https://www.wikidata.org/w/api.php"
DEFAULT_CACHE = ".cache/wikidata"
DEFAULT_REVIEW = "review/wikidata-candidates.sssom.tsv"
ENDPOINT_ENV = "DOSSIER_WIKIDATA_API"
USER_AGENT = "dossier-link/0.1 (https://w3id.org/dossier; knowledge graph curation)"
REVIEW_COLUMNS = [
    "subject_id", "subject_label", "predicate_id", "object_id", "object_label",
    "mapping_justification", "confidence", "author_id", "mapping_date", "mapping_tool", "comment",
]

# "instance of" (P31) values that fit each registry type. A candidate whose P31 includes none of
# them is not rejected, only flagged for the reviewer; a human (Q5) for a non-Person, or a
# non-human for a Person, is a mismatch.
HUMAN = "Q5"
DISAMBIGUATION = "Q4167410"
EXPECTED_P31: dict[str, set[str]] = {
    "Person": {HUMAN},
    "Organization": {
        "Q43229", "Q7278", "Q163740", "Q4830453", "Q327333", "Q2659904", "Q7210356", "Q17127659",
        "Q1331793", "Q11032", "Q192283", "Q1002697", "Q484652", "Q245065", "Q31855", "Q6881511",
        "Q15911314", "Q176799", "Q11691", "Q35535", "Q1752346",
    },
    "Place": {"Q6256", "Q3624078", "Q515", "Q5119", "Q1549591", "Q486972", "Q1637706", "Q7930989", "Q2221906"},
    "Event": {"Q1190554", "Q198", "Q178561", "Q645883", "Q2223653", "Q7283", "Q124734", "Q3882219",
              "Q1656682", "Q131569", "Q744913", "Q10931", "Q273120", "Q686822", "Q820655"},
}


class Unreachable(Exception):
    """Wikidata (or the configured endpoint) did not answer."""


@dataclass
class WikidataClient:
    """A tiny client for the two read-only API actions we use, with a response cache.

    ``offline`` starts in cache-only mode; the first network failure switches to it and
    ``notices`` records the message once.
    """

    cache_dir: Path
    endpoint: str = DEFAULT_ENDPOINT
    offline: bool = False
    timeout: float = 10.0
    notices: list[str] = field(default_factory=list)
    fetched: int = 0
    from_cache: int = 0
    missing: int = 0
    _http: httpx.Client | None = None

    def get(self, params: dict[str, str]) -> dict | None:
        """The JSON answer to one API request: from the cache, else from the endpoint (then cached).

        Returns None when the answer is neither cached nor obtainable (offline).
        """
        query = {**params, "format": "json"}
        path = self.cache_dir / cache_key(query)
        if path.exists():
            self.from_cache += 1
            return json.loads(path.read_text(encoding="utf-8"))["response"]
        if self.offline:
            self.missing += 1
            return None
        try:
            data = self._fetch(query)
        except Unreachable as exc:
            self.offline = True
            self.notices.append(f"cannot reach Wikidata ({exc}); using cache only")
            self.missing += 1
            return None
        self.fetched += 1
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        record = {"request": dict(sorted(query.items())), "response": data}
        path.write_text(json.dumps(record, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        return data

    def _fetch(self, query: dict[str, str]) -> dict:
        if self._http is None:
            self._http = httpx.Client(timeout=self.timeout, headers={"User-Agent": USER_AGENT})
        try:
            resp = self._http.get(self.endpoint, params=query)
            resp.raise_for_status()
            data = resp.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise Unreachable(f"{self.endpoint}: {type(exc).__name__}: {exc}".strip().rstrip(":")) from exc
        if not isinstance(data, dict) or "error" in data:
            info = data.get("error", {}).get("info", "unexpected answer") if isinstance(data, dict) else "not JSON"
            raise Unreachable(f"{self.endpoint}: {info}")
        return data

    def close(self) -> None:
        if self._http is not None:
            self._http.close()
            self._http = None

    # ------------------------------------------------------------------ API actions

    def search(self, text: str, limit: int = 5) -> list[dict] | None:
        """``wbsearchentities`` hits for ``text`` (English, items only), or None if unavailable."""
        data = self.get({"action": "wbsearchentities", "search": text, "language": "en",
                         "uselang": "en", "type": "item", "limit": str(limit)})
        return None if data is None else list(data.get("search", []))

    def entities(self, qids: list[str]) -> dict[str, dict] | None:
        """``wbgetentities`` records (labels, aliases, descriptions, claims) by QID, or None if unavailable."""
        if not qids:
            return {}
        data = self.get({"action": "wbgetentities", "ids": "|".join(sorted(set(qids))),
                         "props": "labels|aliases|descriptions|claims", "languages": "en"})
        return None if data is None else dict(data.get("entities", {}))


def cache_key(query: dict[str, str]) -> str:
    """File name of a cached answer: the action, then a hash of the canonical query string."""
    canonical = "&".join(f"{k}={query[k]}" for k in sorted(query))
    digest = hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:20]
    return f"{query.get('action', 'query')}-{digest}.json"


def endpoint_from_env(explicit: str | None) -> str:
    return explicit or os.environ.get(ENDPOINT_ENV) or DEFAULT_ENDPOINT


# ---------------------------------------------------------------------- reading entity records

def label_of(record: dict) -> str:
    return record.get("labels", {}).get("en", {}).get("value", "")


def aliases_of(record: dict) -> list[str]:
    return [a.get("value", "") for a in record.get("aliases", {}).get("en", [])]


def description_of(record: dict) -> str:
    return record.get("descriptions", {}).get("en", {}).get("value", "")


def instance_of(record: dict) -> list[str]:
    """The QIDs of the item's P31 ("instance of") statements."""
    out = []
    for claim in record.get("claims", {}).get("P31", []):
        value = claim.get("mainsnak", {}).get("datavalue", {}).get("value", {})
        if isinstance(value, dict) and value.get("id"):
            out.append(value["id"])
    return out


def fold(text: str) -> str:
    """Label comparison key: accents, case, punctuation and spacing ignored."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = re.sub(r"[\W_]+", " ", text)
    return " ".join(text.split())


def type_check(entity_type: str, p31: list[str]) -> str:
    """'ok', 'mismatch' or 'unverified' for a candidate's P31 against the registry type."""
    if DISAMBIGUATION in p31:
        return "mismatch"
    if entity_type == "Person":
        return "ok" if HUMAN in p31 else "mismatch"
    if HUMAN in p31:
        return "mismatch"
    return "ok" if set(p31) & EXPECTED_P31.get(entity_type, set()) else "unverified"


# ---------------------------------------------------------------------- proposing

@dataclass
class Candidate:
    entity: str
    entity_label: str
    qid: str
    label: str
    description: str
    p31: list[str]
    type_check: str
    label_match: str  # 'label' | 'alias' | 'none'
    searched: str

    @property
    def confidence(self) -> float:
        score = {"label": 0.6, "alias": 0.4, "none": 0.1}[self.label_match]
        score += {"ok": 0.3, "unverified": 0.1, "mismatch": -0.5}[self.type_check]
        return round(max(score, 0.0), 2)


@dataclass
class ProposeResult:
    candidates: list[Candidate]
    searched: list[str]        # entity ids searched (or answered from the cache)
    unavailable: list[str]     # entity ids neither cached nor reachable


def unlinked(reg: Registry) -> list[str]:
    """Registry ids with no confirmed QID: a sssom:NoTermFound row, or no row at all."""
    return sorted(eid for eid in reg.entities if not (reg.links.get(eid) and reg.links[eid].qid))


def propose(reg: Registry, client: WikidataClient, only: list[str] | None = None,
            per_entity: int = 5) -> ProposeResult:
    """Candidates for every entity without a confirmed QID (or the ``only`` ones), best first."""
    todo = [e for e in unlinked(reg) if not only or e in only]
    result = ProposeResult([], [], [])
    for eid in todo:
        e = reg.entities[eid]
        hits: dict[str, str] = {}  # qid -> the name that found it
        answered = False
        for name in [e.label, *e.aliases]:
            found = client.search(name, per_entity)
            if found is None:
                continue
            answered = True
            for hit in found:
                hits.setdefault(hit.get("id", ""), name)
            if hits:
                break
        if not answered:
            result.unavailable.append(eid)
            continue
        result.searched.append(eid)
        hits.pop("", None)
        records = client.entities(list(hits)) if hits else {}
        if records is None:
            result.unavailable.append(eid)
            continue
        names = {fold(n) for n in [e.label, *e.aliases]}
        found_for_entity = []
        for qid, searched in hits.items():
            rec = records.get(qid, {})
            if "missing" in rec:
                continue
            label = label_of(rec)
            p31 = instance_of(rec)
            if fold(label) in names:
                how = "label"
            elif names & {fold(a) for a in aliases_of(rec)}:
                how = "alias"
            else:
                how = "none"
            found_for_entity.append(Candidate(eid, e.label, qid, label, description_of(rec), p31,
                                              type_check(e.type, p31), how, searched))
        found_for_entity.sort(key=lambda c: (-c.confidence, int(c.qid[1:]) if c.qid[1:].isdigit() else 0))
        result.candidates.extend(found_for_entity)
    return result


def review_tsv(candidates: list[Candidate], today: str | None = None) -> str:
    """An SSSOM TSV of candidates for review (never the confirmed table)."""
    today = today or date.today().isoformat()
    out = io.StringIO()
    out.write(
        "# A REVIEW FILE of Wikidata candidates proposed by `dossier link`; nothing here is confirmed.\n"
        "# To confirm one: open the item on wikidata.org, check it is the same real-world thing,\n"
        "# then edit that entity's row in mappings/wikidata.sssom.tsv (object_id, object_label,\n"
        "# mapping_justification semapv:ManualMappingCuration, mapping_date, and a comment saying\n"
        "# how it was confirmed). Do not copy rows from here unchanged.\n"
        "# curie_map:\n"
        "#   dossier: https://w3id.org/dossier/id/\n"
        "#   wikidata: http://www.wikidata.org/entity/\n"
        "#   skos: http://www.w3.org/2004/02/skos/core#\n"
        "#   semapv: https://w3id.org/semapv/vocab/\n"
        "# mapping_set_id: https://w3id.org/dossier/mappings/wikidata-candidates.sssom.tsv\n"
        "# mapping_set_description: Unreviewed candidate links from wbsearchentities.\n"
    )
    w = csv.writer(out, delimiter="\t", lineterminator="\n")
    w.writerow(REVIEW_COLUMNS)
    for c in candidates:
        comment = (f"CANDIDATE, NOT CONFIRMED. type check {c.type_check} (P31: {', '.join(c.p31) or 'none'}); "
                   f"label match: {c.label_match}; searched '{c.searched}'; description: {c.description or '-'}")
        w.writerow([f"dossier:{c.entity}", c.entity_label, "skos:exactMatch", f"wikidata:{c.qid}", c.label,
                    "semapv:LexicalMatching", f"{c.confidence:.2f}", "", today, "dossier link",
                    _clean(comment)])
    return out.getvalue()


def _clean(text: str) -> str:
    return " ".join(text.replace("\t", " ").split())


# ---------------------------------------------------------------------- checking

@dataclass
class CheckResult:
    problems: list[str]
    checked: int
    unchecked: list[str]   # entity ids whose item is neither cached nor reachable


def check(reg: Registry, client: WikidataClient, batch: int = 50) -> CheckResult:
    """Compare every confirmed link's object_label with the item's current English label and aliases."""
    linked = sorted((eid, link) for eid, link in reg.links.items() if link.qid)
    problems, unchecked, checked = [], [], 0
    for i in range(0, len(linked), batch):
        part = linked[i:i + batch]
        records = client.entities([link.qid for _, link in part])
        for eid, link in part:
            where = f"{reg.sssom_file}:{link.line}: dossier:{eid}"
            if records is None:
                unchecked.append(eid)
                continue
            rec = records.get(link.qid) or next(
                (r for r in records.values() if r.get("redirects", {}).get("from") == link.qid), None)
            if rec is None:
                unchecked.append(eid)
                continue
            checked += 1
            if "missing" in rec:
                problems.append(f"{where}: wikidata:{link.qid} does not exist (deleted?); find the right item "
                                f"or set object_id to {NO_TERM}")
                continue
            if rec.get("id") and rec["id"] != link.qid:
                problems.append(f"{where}: wikidata:{link.qid} now redirects to {rec['id']}; write wikidata:{rec['id']}")
                continue
            label = label_of(rec)
            if fold(label) != fold(link.object_label) and fold(link.object_label) not in {fold(a) for a in aliases_of(rec)}:
                problems.append(f"{where}: wikidata:{link.qid} is labelled '{label}' on Wikidata, the table says "
                                f"'{link.object_label}'; re-check that the link is right, then update object_label")
    return CheckResult(problems, checked, unchecked)


def run(root: Path, reg: Registry, *, endpoint: str, cache_dir: Path, offline: bool, do_check: bool,
        out: Path, only: list[str] | None, say: Callable[[str], None], strict: bool = False) -> int:
    """The `dossier link` command; returns the exit status.

    1 when --check finds a bad link, or, with ``strict``, when any confirmed link could not be
    checked (neither cached nor reachable): offline, "0 problems" alone would hide them.
    """
    client = WikidataClient(cache_dir=cache_dir, endpoint=endpoint, offline=offline)
    if offline:
        say("offline: using cache only")
    try:
        if do_check:
            res = check(reg, client)
            for note in client.notices:
                say(note)
            for p in res.problems:
                say(p)
            say(f"checked {res.checked} confirmed link(s) against Wikidata answers "
                f"({client.fetched} fetched, {client.from_cache} from cache); "
                f"{len(res.unchecked)} not checked (not in the cache); {len(res.problems)} problem(s)")
            if res.unchecked:
                shown = ", ".join(res.unchecked[:5]) + (", ..." if len(res.unchecked) > 5 else "")
                say(f"{len(res.unchecked)} of {len(res.unchecked) + res.checked} confirmed link(s) could not be checked "
                    f"({shown}): run where Wikidata can be reached, or fill the cache"
                    + ("" if strict else "; --strict makes this an error"))
            return 1 if res.problems or (strict and res.unchecked) else 0
        res = propose(reg, client, only)
        for note in client.notices:
            say(note)
        rowless = sorted(e for e in reg.entities if e not in reg.links)
        if rowless:
            say(f"{len(rowless)} registry entities have no row in {reg.sssom_file} (e.g. {', '.join(rowless[:3])}): "
                f"add one with object_id {NO_TERM} until a QID is confirmed")
        shown = out.relative_to(root) if out.is_relative_to(root) else out
        total = len(res.searched) + len(res.unavailable)
        if not res.searched:
            say(f"no answers for any of the {total} unlinked entities (none in the cache): "
                f"{shown} not written; run again when Wikidata can be reached")
            return 0
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(review_tsv(res.candidates), encoding="utf-8")
        say(f"{len(res.candidates)} candidate(s) for {len({c.entity for c in res.candidates})} of "
            f"{total} unlinked entities written to {shown} for review "
            f"({client.fetched} answers fetched, {client.from_cache} from cache); "
            f"{len(res.unavailable)} entities not searched (not in the cache). "
            f"{reg.sssom_file} was not changed: confirm a candidate by editing its row there.")
        return 0
    finally:
        client.close()
