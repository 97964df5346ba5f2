"""The one JSON error body every failure gets, wherever it is written: a worker, a middleware or a route.

``{"error": <short code>, "message": <what went wrong, for a person>, ...details}``, UTF-8, never a
stack trace.
"""

from __future__ import annotations

import json


def error_body(code: str, message: str, **extra) -> bytes:
    """The JSON body of an error answer (``extra`` adds details such as line and column)."""
    return json.dumps({"error": code, "message": message, **extra}, ensure_ascii=False).encode("utf-8")
