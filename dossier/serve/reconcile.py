"""The W3C Reconciliation Service API (version 0.2) at /reconcile, for OpenRefine and similar clients.

- GET /reconcile: the service manifest (JSONP with ``callback=``, as older OpenRefine asks);
- GET or POST /reconcile with ``queries=``: batch reconciliation of names to registry entities,
  with a type and property conditions (``wikidata`` takes a QID, ``country`` a name or entity id);
- /reconcile/suggest/{entity,type,property}?prefix=: suggest services;
- /reconcile/preview?id=: a small HTML card;
- /reconcile/extend/propose?type= and ``extend=``: data extension. Besides labels and Wikidata,
  it returns an entity's designations (authority, status, list, dates) with their evidence
  columns: the quote, the source and who in the source claims it, one value per designation in
  every designation column so that rows line up.

Candidates come from the search index (search.py), so reconciliation folds and tolerates typos
exactly as search does.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from rapidfuzz import fuzz
from rdflib import URIRef

from . import pages, protocol, search
from .backend import QueryFailed, select
from .bound import bound
from .site import Site

ID_SPACE = "https://w3id.org/dossier/id/"
SCHEMA_SPACE = "https://w3id.org/dossier/ontology#"
WIKIDATA = "http://www.wikidata.org/entity/"
TYPES = search.ENTITY_KINDS
CALLBACK = re.compile(r"^[A-Za-z_$][A-Za-z0-9_$.]{0,63}$")
QID = re.compile(r"^Q[1-9][0-9]*$")
MAX_QUERIES = 200
MAX_LIMIT = 50

#: Properties a query may state as conditions.
CONDITIONS = {"wikidata": "Wikidata QID", "country": "country or nationality"}
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


class BadRequest(Exception):
    """A reconciliation request that cannot be read: answered 400 with the reason."""


@dataclass
class Facts:
    """What reconciliation compares besides names, per entity."""

    kind: str
    wikidata: set[str] = field(default_factory=set)
    countries: dict[str, str] = field(default_factory=dict)  # slug -> label


def slug(iri: str) -> str:
    return iri[len(ID_SPACE):] if iri.startswith(ID_SPACE) else iri


def type_of(value: str | None) -> str | None:
    """A type id as clients send it ('Organization' or its full IRI) -> 'Organization'; BadRequest if unknown."""
    if not value:
        return None
    name = value[len(SCHEMA_SPACE):] if value.startswith(SCHEMA_SPACE) else value
    if name not in TYPES:
        raise BadRequest(f"unknown type {value!r}: one of {', '.join(TYPES)}")
    return name


async def entity_facts(site: Site) -> dict[str, Facts]:
    """Every registry entity's kind, QIDs and countries (site.shared, loaded once)."""
    async with site.lock:
        site.forget_if_swapped()
        if "reconcile" not in site.shared:
            facts: dict[str, Facts] = {}
            for row in await select(site.backend, bound("reconcile-entities"), site.derive_timeout):
                entry = facts.setdefault(slug(row["entity"]["value"]), Facts(row["class"]["value"].rsplit("#", 1)[-1]))
                if "wikidata" in row:
                    entry.wikidata.add(row["wikidata"]["value"][len(WIKIDATA):])
                if "country" in row:
                    entry.countries[slug(row["country"]["value"])] = row["countryLabel"]["value"]
            site.shared["reconcile"] = facts
    return site.shared["reconcile"]


def manifest(base: str) -> dict:
    """The service manifest; ``base`` is this server's URL, ending in '/'."""
    service = base + "reconcile"
    return {
        "versions": ["0.2"],
        "name": "Dossier entities (organizations, people, places, events)",
        "identifierSpace": ID_SPACE,
        "schemaSpace": SCHEMA_SPACE,
        "documentation": base + "search",
        "defaultTypes": [{"id": t, "name": t} for t in TYPES],
        "view": {"url": base + "id/{{id}}"},
        "preview": {"url": service + "/preview?id={{id}}", "width": 420, "height": 140},
        "suggest": {
            "entity": {"service_url": service, "service_path": "/suggest/entity"},
            "type": {"service_url": service, "service_path": "/suggest/type"},
            "property": {"service_url": service, "service_path": "/suggest/property"},
        },
        "extend": {
            "propose_properties": {"service_url": service, "service_path": "/extend/propose"},
            "property_settings": [],
        },
    }


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


def suggest_entities(index: search.SearchIndex, prefix: str, kind: str | None, limit: int) -> list[dict]:
    hits = [h for h in index.search(prefix, kind, limit=limit * 3, names_only=True).hits if h.type in TYPES and h.iri.startswith(ID_SPACE)]
    return [{"id": slug(h.iri), "name": h.label, "description": h.description or "", "notable": [{"id": h.type, "name": h.type}]}
            for h in hits[:limit]]


def suggest_named(options: dict[str, str], prefix: str) -> list[dict]:
    folded = search.fold(prefix)
    return [{"id": k, "name": v} for k, v in options.items() if not folded or folded in search.fold(k + " " + v)]


def router(site: Site) -> APIRouter:
    routes = APIRouter()

    def reply(request: Request, body, status: int = 200) -> Response:
        """JSON, or JSONP when a valid ``callback`` is given (GET only, as OpenRefine uses it)."""
        callback = request.query_params.get("callback")
        if callback is not None and request.method in ("GET", "HEAD"):
            if not CALLBACK.match(callback):
                return protocol.error_response(400, "bad-request", "callback must be a JavaScript identifier")
            text = f"/**/{callback}({json.dumps(body, ensure_ascii=False)});"
            return Response(text, status_code=status, media_type="application/javascript; charset=utf-8")
        return JSONResponse(body, status_code=status)

    async def params(request: Request) -> dict[str, str]:
        fields = dict(protocol.decode_params(request.scope.get("query_string", b"")))
        if request.method == "POST":
            kind, _ = protocol.content_type(request)
            body = await request.body()
            if kind == "application/x-www-form-urlencoded":
                fields.update(protocol.decode_params(body))
            elif body:
                raise BadRequest("POST the parameters form-encoded (application/x-www-form-urlencoded)")
        return fields

    def parse_json(name: str, text: str):
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise BadRequest(f"{name} is not JSON: {exc.msg} at character {exc.pos}") from exc

    @routes.api_route("/reconcile", methods=["GET", "POST"])
    async def service(request: Request) -> Response:
        try:
            fields = await params(request)
            if "queries" in fields or "query" in fields or "extend" in fields:
                index = await search.shared_index(site)
                facts = await entity_facts(site)
            if "queries" in fields:
                batch = parse_json("queries", fields["queries"])
                if not isinstance(batch, dict) or len(batch) > MAX_QUERIES:
                    raise BadRequest(f"queries must be an object of at most {MAX_QUERIES} queries")
                return reply(request, {key: {"result": reconcile_one(index, facts, q)} for key, q in batch.items()})
            if "query" in fields:  # the single-query form: a JSON object or a plain string
                text = fields["query"]
                query = parse_json("query", text) if text.lstrip().startswith("{") else {"query": text}
                return reply(request, {"result": reconcile_one(index, facts, query)})
            if "extend" in fields:
                return reply(request, await extend(site, index, facts, parse_json("extend", fields["extend"])))
        except BadRequest as exc:
            return protocol.error_response(400, "bad-request", str(exc))
        except protocol.ProtocolError as exc:
            return protocol.error_response(exc.status, exc.code, exc.message)
        except QueryFailed as failed:
            return site.failed_page(request, failed)
        return reply(request, manifest(site.settings.base_url))

    @routes.get("/reconcile/suggest/{kind}")
    async def suggest(request: Request, kind: str) -> Response:
        prefix = request.query_params.get("prefix", "")
        try:
            if kind == "entity":
                limit = min(MAX_LIMIT, int(request.query_params.get("limit", "10") or 10))
                index = await search.shared_index(site)
                result = suggest_entities(index, prefix, type_of(request.query_params.get("type")), limit)
            elif kind == "type":
                result = suggest_named({t: t for t in TYPES}, prefix)
            elif kind == "property":
                result = suggest_named({**CONDITIONS, **EXTEND}, prefix)
            else:
                return protocol.error_response(404, "not-found", "suggest services: entity, type, property")
        except (BadRequest, ValueError) as exc:
            return protocol.error_response(400, "bad-request", str(exc))
        except QueryFailed as failed:
            return site.failed_page(request, failed)
        return reply(request, {"result": result})

    @routes.get("/reconcile/preview")
    async def preview(request: Request) -> Response:
        wanted = request.query_params.get("id", "")
        try:
            index = await search.shared_index(site)
            facts = await entity_facts(site)
        except QueryFailed as failed:
            return site.failed_page(request, failed)
        if wanted not in facts or ID_SPACE + wanted not in index.position:
            return site.error_page(request, 404, "not-found", f"no entity {wanted!r}")
        doc = index.documents[index.position[ID_SPACE + wanted]]
        html = pages.render("reconcile-preview.html", doc=doc, slug=wanted, facts=facts[wanted])
        return HTMLResponse(html)

    @routes.get("/reconcile/extend/propose")
    async def propose(request: Request) -> Response:
        try:
            kind = type_of(request.query_params.get("type"))
        except BadRequest as exc:
            return protocol.error_response(400, "bad-request", str(exc))
        names = EXTEND if kind in (None, "Organization", "Person") else {k: v for k, v in EXTEND.items() if not k.startswith("designation")}
        return reply(request, {"type": kind or "", "properties": [{"id": k, "name": v} for k, v in names.items()]})

    return routes

