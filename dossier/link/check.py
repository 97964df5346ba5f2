"""Confirmed links checked against the items' current labels: deleted, redirected or relabelled."""

from __future__ import annotations

from dataclasses import dataclass

from ..registry import NO_TERM, Registry
from ..textfold import fold
from .client import WikidataClient
from .items import aliases_of, label_of


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
