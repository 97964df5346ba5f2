"""Which HTTP methods a path answers: HEAD wherever GET works, 404 for unknown paths, 405 with a true Allow.

- HEAD is answered as GET without the body (RFC 9110 section 9.3.2), for every route, those added
  later included, by rewriting the method before routing rather than listing HEAD on each route.
- A path no route knows is 404, whatever the method (except writes, refused with 403 on every path
  by the read-only rule in app.py).
- A known path asked with a method it does not take is 405, and Allow lists the methods some
  route takes at that path (RFC 9110 section 15.5.6), computed from the routes themselves.
"""

from __future__ import annotations

from starlette.routing import Match, Mount


class HeadAsGet:
    """ASGI middleware: a HEAD request is routed and answered as GET, and the body is dropped."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] != "HEAD":
            return await self.app(scope, receive, send)

        async def without_body(event):
            if event["type"] == "http.response.body":
                event = {**event, "body": b""}
            await send(event)

        await self.app({**scope, "method": "GET"}, receive, without_body)


def allowed_methods(routes, scope) -> set[str]:
    """The methods some route of ``routes`` answers at the path of ``scope`` (empty: no route knows the path)."""
    # Routing rewrites root_path as it enters a Mount, so ask with the request's path as it came in.
    probe = {"type": "http", "path": scope["path"], "root_path": scope.get("app_root_path", ""), "method": scope["method"]}
    methods: set[str] = set()
    for route in routes:
        match, _ = route.matches(probe)
        if match == Match.NONE:
            continue
        if isinstance(route, Mount):
            methods |= {"GET", "HEAD"}  # static files
        else:
            methods |= set(getattr(route, "methods", None) or ())
    if "GET" in methods:
        methods.add("HEAD")
    return methods
