"""Data extension: an entity's labels, Wikidata and designations with their evidence, as columns."""

from __future__ import annotations

from rdflib import URIRef

from .. import search
from ..backend import select
from ..bound import bound
from ..site import Site
from .entities import ID_SPACE, BadRequest, Facts, slug

#: Properties data extension offers, in the order it proposes them.
EXTEND = {
    "label": "label",
    "type": "type",
    "description": "description",
    "aliases": "also known as",
    "wikidata": "Wikidata QID",
    "country": "country or nationality",
    "designation": "designation",
    "designation_authority": "designation: authority",
    "designation_type": "designation: type",
    "designation_list": "designation: list",
    "designation_status": "designation: status",
    "designation_start": "designation: start date",
    "designation_end": "designation: end date",
    "designation_quote": "designation: quote",
    "designation_source": "designation: source",
    "designation_claimant": "designation: claimed by",
}


def _value(v) -> dict:
    return {"str": v} if isinstance(v, str) else v


async def extend(site: Site, index: search.SearchIndex, facts: dict[str, Facts], request_body: dict) -> dict:
    """The data extension response for {ids: [...], properties: [{id}, ...]}."""
    ids = request_body.get("ids") if isinstance(request_body, dict) else None
    props = request_body.get("properties") if isinstance(request_body, dict) else None
    if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids) or not isinstance(props, list):
        raise BadRequest("extend must be an object with 'ids' (strings) and 'properties' (objects with 'id')")
    pids = [p.get("id") if isinstance(p, dict) else None for p in props]
    unknown = [p for p in pids if p not in EXTEND]
    if unknown:
        raise BadRequest(f"unknown properties {unknown}: one of {', '.join(EXTEND)}")
    known = [i for i in ids if i in facts]
    designations: dict[str, list[dict]] = {}
    if known and any(p.startswith("designation") for p in pids):
        rows = await select(site.backend, bound("designations", entity=[URIRef(ID_SPACE + i) for i in known]), site.timeout)
        per: dict[tuple[str, str], dict] = {}
        for row in rows:
            get = lambda name: row[name]["value"] if name in row else None  # noqa: E731
            key = (slug(get("entity")), get("designation"))
            d = per.setdefault(key, {"iri": get("designation"), "label": get("label"), "authority": get("authority"),
                                     "authorityLabel": get("authorityLabel"), "status": get("status"), "type": get("type"),
                                     "list": get("listName"), "start": get("start"), "end": get("end"),
                                     "source": get("source"), "sourceTitle": get("sourceTitle"), "quotes": [], "claimants": []})
            if get("exact") and get("exact") not in d["quotes"]:
                d["quotes"].append(get("exact"))
            if get("claimant") and get("claimant") not in d["claimants"]:
                d["claimants"].append(get("claimant"))
        for (s, _), d in per.items():
            designations.setdefault(s, []).append(d)

    rows_out: dict[str, dict] = {}
    for i in ids:
        f = facts.get(i)
        row: dict[str, list] = {}
        doc = index.documents[index.position[ID_SPACE + i]] if f and ID_SPACE + i in index.position else None
        ds = designations.get(i, [])
        for pid in pids:
            if doc is None:
                row[pid] = []
            elif pid == "label":
                row[pid] = [{"str": doc.label}]
            elif pid == "type":
                row[pid] = [{"id": doc.kind, "name": doc.kind}]
            elif pid == "description":
                row[pid] = [{"str": d} for d in doc.descriptions[:1]]
            elif pid == "aliases":
                row[pid] = [{"str": a} for a in doc.aliases]
            elif pid == "wikidata":
                row[pid] = [{"str": q} for q in sorted(f.wikidata)]
            elif pid == "country":
                row[pid] = [{"id": s, "name": label} for s, label in sorted(f.countries.items())]
            else:
                column = pid[len("designation"):].lstrip("_")
                row[pid] = [_value(_designation_value(d, column)) for d in ds]
        rows_out[i] = row
    return {"meta": [{"id": p, "name": EXTEND[p]} for p in pids], "rows": rows_out}


def _designation_value(d: dict, column: str):
    """One designation's value for one designation column ('' when the source gives none)."""
    if column == "":
        return {"id": d["iri"][len("https://w3id.org/dossier/"):], "name": d["label"]}
    if column == "authority":
        return {"id": slug(d["authority"]), "name": d["authorityLabel"]} if d["authority"] else ""
    if column == "source":
        return {"id": d["source"].rsplit("/", 1)[-1], "name": d["sourceTitle"]}
    if column == "quote":
        return " / ".join(d["quotes"])
    if column == "claimant":
        return ", ".join(d["claimants"])
    return d[column] or ""
