"""ASGI middleware for limits every request meets: body size, Accept length, and security headers
on every response. (Header size, read and write time and the number of connections are bounded
below the application: connections.py.)"""

from __future__ import annotations

from .errors import error_body

#: Bytes an Accept header may hold. Real clients send well under 1 KiB; a longer one is refused
#: before anything parses it (parsing a 1 MiB one took 0.3 s of the event loop) and never echoed.
MAX_ACCEPT = 4096

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)


class BodyTooLarge(Exception):
    pass


async def _send_json(send, status: int, code: str, message: str) -> None:
    body = error_body(code, message)
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()), (b"connection", b"close")],
        }
    )
    await send({"type": "http.response.body", "body": body})


class BodyLimit:
    """413 for a body over ``max_body`` bytes: at once when Content-Length says so, else as soon as it is read."""

    def __init__(self, app, max_body: int):
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        message = f"the request body is larger than {self.max_body} bytes, the limit here"
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        if declared is not None:
            try:
                too_big = int(declared) > self.max_body
            except ValueError:
                return await _send_json(send, 400, "bad-request", "Content-Length is not a number")
            if too_big:
                return await _send_json(send, 413, "body-too-large", message)
        seen = 0
        started = False

        async def limited_receive():
            nonlocal seen
            event = await receive()
            if event["type"] == "http.request":
                seen += len(event.get("body", b""))
                if seen > self.max_body:
                    raise BodyTooLarge
            return event

        async def tracking_send(event):
            nonlocal started
            if event["type"] == "http.response.start":
                started = True
            await send(event)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except BodyTooLarge:
            if not started:
                await _send_json(send, 413, "body-too-large", message)


class SecurityHeaders:
    """nosniff on every response; on HTML, a Content-Security-Policy that lets a page reach this server only."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def with_headers(event):
            if event["type"] == "http.response.start":
                headers = list(event.get("headers") or [])
                names = {k.lower() for k, _ in headers}
                content_type = next((v for k, v in headers if k.lower() == b"content-type"), b"")
                if b"x-content-type-options" not in names:
                    headers.append((b"x-content-type-options", b"nosniff"))
                if content_type.startswith(b"text/html") and b"content-security-policy" not in names:
                    headers.append((b"content-security-policy", CSP.encode()))
                    headers.append((b"referrer-policy", b"no-referrer"))
                event = {**event, "headers": headers}
            await send(event)

        await self.app(scope, receive, with_headers)


class AcceptLimit:
    """400 for an Accept header over MAX_ACCEPT bytes, before any route parses it; the value is not echoed."""

    def __init__(self, app, max_accept: int = MAX_ACCEPT):
        self.app = app
        self.max_accept = max_accept

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http":
            for name, value in scope.get("headers") or ():
                if name == b"accept" and len(value) > self.max_accept:
                    return await _send_json(
                        send, 400, "header-too-long", f"the Accept header is longer than {self.max_accept} bytes, the limit here"
                    )
        await self.app(scope, receive, send)

