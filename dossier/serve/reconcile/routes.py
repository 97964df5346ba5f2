"""The /reconcile endpoints: JSON or JSONP replies, form-encoded parameters, the preview card."""

from __future__ import annotations

import json
import re

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from .. import pages, protocol, search
from ..backend import QueryFailed
from ..site import Site
from .entities import ID_SPACE, TYPES, BadRequest, entity_facts, type_of
from .extend import EXTEND, extend
from .manifest import manifest
from .query import CONDITIONS, MAX_LIMIT, MAX_QUERIES, reconcile_one
from .suggest import suggest_entities, suggest_named

CALLBACK = re.compile(r"^[A-Za-z_$][A-Za-z0-9_$.]{0,63}$")


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
