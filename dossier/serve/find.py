"""Search routes: /search (an HTML page or JSON, with a type filter) and its autocomplete (suggest=1).

The index (search.py) is built from the backend on first use and kept for the life of the server.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from . import formats, pages, search
from .backend import QueryFailed
from .site import Site

PAGE_SIZE = 50
SUGGESTIONS = 8
#: How many entries a 404 page's "did you mean" list offers.
DID_YOU_MEAN = 5


#: What search results are offered in; the first is what a client that accepts anything gets.
RESULT_TYPES = ("text/html", "application/json")


def wants_json(request: Request) -> bool:
    """JSON rather than the HTML page: ?format=json, or an Accept that prefers JSON (formats.negotiate)."""
    chosen = request.query_params.get("format")
    if chosen:
        return chosen == "json"
    return formats.negotiate(request.headers.get("accept"), RESULT_TYPES) == "application/json"


def slug_words(slug: str) -> str:
    """The words of a path's last segment, as a search query: '/id/stephen_harper' -> 'stephen harper'.

    Words of one or two letters are left out: alone they match nearly everything.
    """
    return " ".join([w for w in search.fold(slug.rsplit("/", 1)[-1]).split() if len(w) > 2][:6])


async def did_you_mean(site: Site, slug: str) -> tuple[str, list[search.Hit]]:
    """The query made of ``slug``'s words and the best entities and sources it finds, for a 404 page.

    Facts are left out: a mistyped address names a thing. A failure to load the index gives no
    suggestion rather than a second error.
    """
    query = slug_words(slug)
    if not query:
        return "", []
    try:
        index = await search.shared_index(site)
    except (QueryFailed, OSError):
        return query, []
    wanted = set(search.ENTITY_KINDS) | {"Source"}
    hits = [h for h in index.search(query, None, DID_YOU_MEAN * 4).hits if h.type in wanted]
    return query, hits[:DID_YOU_MEAN]


def router(site: Site) -> APIRouter:
    routes = APIRouter()

    async def index() -> search.SearchIndex:
        return await search.shared_index(site)

    @routes.get("/search")
    async def find(request: Request) -> Response:
        params = request.query_params
        query = params.get("q", "").strip()
        kind = params.get("type") or None
        if kind is not None and kind not in search.KINDS:
            return site.error_page(request, 400, "bad-request", f"type must be one of: {', '.join(search.KINDS)}")
        if params.get("format") not in (None, "json", "html"):
            return site.error_page(request, 400, "bad-request", "format must be json or html")
        suggest = params.get("suggest") in ("1", "true")
        try:
            found = (await index()).search(query, kind, SUGGESTIONS if suggest else PAGE_SIZE, names_only=suggest)
        except QueryFailed as failed:
            return site.failed_page(request, failed)
        if suggest or wants_json(request):
            return JSONResponse(
                {
                    "query": found.query,
                    "type": found.type,
                    "total": found.total,
                    "types": found.types,
                    "corrected": found.corrected,
                    "results": [h.as_json() for h in found.hits],
                },
                headers={"Vary": "Accept"},
            )
        html = pages.render("search.html", results=found, kinds=search.KINDS, page_size=PAGE_SIZE)
        return HTMLResponse(html, headers={"Vary": "Accept"})

    return routes
