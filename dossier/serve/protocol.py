"""The SPARQL 1.1 Protocol over HTTP: reading a query operation from a request, answering it.

Replaces rdflib-endpoint's request handler, which decodes bodies without checking them (a
non-UTF-8 body is a 500), accepts any body size, runs Update when enabled and runs the query
on the event loop. Here: query by GET or POST (form or application/sparql-query), the dataset
parameters default-graph-uri / named-graph-uri, Update refused with 403, bodies that are not
UTF-8 refused with 400, and the query itself handed to the backend with the timeout.
"""

from __future__ import annotations

import json
from urllib.parse import unquote_to_bytes

from fastapi import Request
from fastapi.responses import Response

from . import formats
from .backend import QueryBackend, QueryFailed

UPDATE_REFUSED = "SPARQL Update is not allowed: this endpoint is read-only"


class ProtocolError(Exception):
    def __init__(self, status: int, code: str, message: str, headers: dict | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.headers = status, code, message, headers or {}


def error_response(status: int, code: str, message: str, headers: dict | None = None, **extra) -> Response:
    """The JSON error body every failure gets (never a stack trace)."""
    body = json.dumps({"error": code, "message": message, **extra}, ensure_ascii=False)
    return Response(body, status_code=status, media_type="application/json", headers=headers)


MAX_FIELDS = 1000


def decode_params(raw: bytes) -> list[tuple[str, str]]:
    """Form or URL parameters, percent-decoded to bytes and then read strictly as UTF-8 (400 otherwise).

    (urllib's parse_qsl would put U+FFFD in place of bytes that are not UTF-8, silently.)
    """
    fields = [f for f in raw.replace(b";", b"&").split(b"&") if f]
    if len(fields) > MAX_FIELDS:
        raise ProtocolError(400, "bad-request", f"more than {MAX_FIELDS} parameters")
    out = []
    for f in fields:
        key, _, value = f.partition(b"=")
        try:
            out.append(tuple(unquote_to_bytes(part.replace(b"+", b" ")).decode("utf-8") for part in (key, value)))
        except UnicodeDecodeError as exc:
            raise ProtocolError(400, "not-utf8", f"the request's parameters are not UTF-8 (byte {exc.start})") from exc
    return out


def _one(params: list[tuple[str, str]], name: str) -> str | None:
    values = [v for k, v in params if k == name]
    if len(values) > 1:
        raise ProtocolError(400, "bad-request", f"give the '{name}' parameter once, not {len(values)} times")
    return values[0] if values else None


async def read_operation(request: Request) -> tuple[str | None, tuple[str, ...], tuple[str, ...]]:
    """(query, default-graph-uris, named-graph-uris) of a protocol request; None when it holds no query."""
    url_params = decode_params(request.scope.get("query_string", b""))
    params = list(url_params)
    query = None
    if request.method == "POST":
        media = request.headers.get("content-type", "").split(";")[0].strip().lower()
        body = await request.body()
        if media == "application/sparql-update":
            raise ProtocolError(403, "update-refused", UPDATE_REFUSED)
        if media == "application/sparql-query":
            try:
                query = body.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise ProtocolError(400, "not-utf8", f"the query is not UTF-8 (byte {exc.start})") from exc
        elif media == "application/x-www-form-urlencoded":
            params += decode_params(body)
        elif body or media:
            raise ProtocolError(
                415, "unsupported-media-type", "POST a query as application/sparql-query or application/x-www-form-urlencoded"
            )
    if any(k == "update" for k, _ in params):
        raise ProtocolError(403, "update-refused", UPDATE_REFUSED)
    if query is None:
        query = _one(params, "query")
    elif _one(url_params, "query") is not None:
        raise ProtocolError(400, "bad-request", "give the query either in the body or as a parameter, not both")
    defaults = tuple(v for k, v in params if k == "default-graph-uri")
    named = tuple(v for k, v in params if k == "named-graph-uri")
    return query, defaults, named


async def answer(request: Request, backend: QueryBackend, timeout: float) -> Response | None:
    """The response to a SPARQL protocol request, or None when it holds no query (the caller describes the service)."""
    try:
        query, defaults, named = await read_operation(request)
    except ProtocolError as exc:
        return error_response(exc.status, exc.code, exc.message, exc.headers)
    if query is None:
        if request.method == "POST":
            return error_response(400, "bad-request", "the request holds no query")
        return None
    accept = request.headers.get("accept")
    if not formats.acceptable_at_all(accept):
        offered = ", ".join(sorted(set(formats.SOLUTIONS) | set(formats.TRIPLES)))
        return error_response(406, "not-acceptable", f"no result format here matches Accept: {accept}; offered: {offered}")
    try:
        content_type, body = await backend.run_query(query, accept, timeout, defaults, named)
    except QueryFailed as failed:
        reply = failed.reply
        return Response(reply.body, status_code=reply.status, media_type=reply.content_type, headers=reply.headers)
    return Response(body, media_type=content_type, headers={"Vary": "Accept"})
