"""Candidate links for entities without a confirmed QID, and the SSSOM review file they go to."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date

from ..registry import Registry
from ..textfold import fold
from .client import WikidataClient
from .items import aliases_of, description_of, instance_of, label_of, type_check

REVIEW_COLUMNS = [
    "subject_id", "subject_label", "predicate_id", "object_id", "object_label",
    "mapping_justification", "confidence", "author_id", "mapping_date", "mapping_tool", "comment",
]


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
