"""The SPARQL 1.1 Protocol over HTTP: reading a query operation from a request, answering it.

Replaces rdflib-endpoint's request handler, which decodes bodies without checking them (a
non-UTF-8 body is a 500), accepts any body size, runs Update when enabled and runs the query
on the event loop. Here: query by GET or POST (form or application/sparql-query), the dataset
parameters default-graph-uri / named-graph-uri, Update refused with 403, bodies that are not
UTF-8 refused with 400 (declared in another charset: 415), parameters read strictly (``&``
separates, ``;`` does not), and the query itself handed to the backend with the timeout.
"""

from __future__ import annotations

from urllib.parse import parse_qsl

from fastapi import Request
from fastapi.responses import Response

from . import formats
from .backend import QueryBackend, QueryFailed
from .errors import error_body
from .spool import result_response

UPDATE_REFUSED = "SPARQL Update is not allowed: this endpoint is read-only"


class ProtocolError(Exception):
    def __init__(self, status: int, code: str, message: str, headers: dict | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.headers = status, code, message, headers or {}


def error_response(status: int, code: str, message: str, headers: dict | None = None, **extra) -> Response:
    """An error answer with the one JSON error body (errors.error_body)."""
    return Response(error_body(code, message, **extra), status_code=status, media_type="application/json", headers=headers)


MAX_FIELDS = 1000


def decode_params(raw: bytes) -> list[tuple[str, str]]:
    """Form or URL parameters, read strictly: ``&`` separates fields (``;`` does not), each field is
    ``name=value``, and percent-escapes must decode to UTF-8; anything else is a 400.

    A ``;`` inside a query is common (``?s ?p ?o ; ?q ?r``) and clients do not always escape it, so
    treating it as a separator, as old CGI conventions did, would cut such queries in two.
    """
    if not raw:
        return []
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ProtocolError(400, "not-utf8", f"the request's parameters are not UTF-8 (byte {exc.start})") from exc
    try:
        return parse_qsl(text, keep_blank_values=True, strict_parsing=True, encoding="utf-8", errors="strict",
                         max_num_fields=MAX_FIELDS, separator="&")
    except UnicodeDecodeError as exc:
        raise ProtocolError(400, "not-utf8", f"the request's parameters are not UTF-8 once unescaped ({exc.reason})") from exc
    except ValueError as exc:
        if "Max number of fields" in str(exc):
            raise ProtocolError(400, "bad-request", f"more than {MAX_FIELDS} parameters") from exc
        raise ProtocolError(400, "bad-request", f"the request's parameters are malformed: {exc}") from exc


def content_type(request: Request) -> tuple[str, str | None]:
    """The body's media type (lower case) and its declared charset, if any, from Content-Type."""
    media, *params = request.headers.get("content-type", "").split(";")
    charset = None
    for param in params:
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset":
            charset = value.strip().strip('"').lower()
    return media.strip().lower(), charset


def check_charset(charset: str | None) -> None:
    """Refuse a body declared in a charset other than UTF-8, with 415.

    The protocol sends queries as UTF-8 and defines no other encoding. A body labelled otherwise
    is not decoded as UTF-8 regardless: that would run a text other than the one the client meant
    whenever the label is true (and ignore a client's statement when it is not). Nor is it
    transcoded: one encoding means one meaning for the bytes; 415 says which one to send.
    """
    if charset is not None and charset not in ("utf-8", "utf8"):
        raise ProtocolError(415, "unsupported-charset", f"the body is declared as charset={charset}; send it as UTF-8 (charset=utf-8 or no charset)")


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
        media, charset = content_type(request)
        body = await request.body()
        if media == "application/sparql-update":
            raise ProtocolError(403, "update-refused", UPDATE_REFUSED)
        if media in ("application/sparql-query", "application/x-www-form-urlencoded"):
            check_charset(charset)
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
        return error_response(406, "not-acceptable", f"no result format here matches the Accept header; offered: {offered}")
    try:
        media, body = await backend.run_query(query, accept, timeout, defaults, named)
    except QueryFailed as failed:
        reply = failed.reply
        return Response(reply.body, status_code=reply.status, media_type=reply.content_type, headers=reply.headers)
    return result_response(media, body, {"Vary": "Accept"})
