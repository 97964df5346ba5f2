"""What the feature routers (search, citation, reconciliation, downloads) share with the app."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Callable

from fastapi import Request
from fastapi.responses import Response

from .backend import QueryBackend, QueryFailed
from .settings import Settings


@dataclass
class Site:
    """The settings, the backend and the app's two error answers (HTML for browsers, JSON otherwise)."""

    settings: Settings
    backend: QueryBackend
    error_page: Callable[..., Response]
    failed_page: Callable[[Request, QueryFailed], Response]
    shared: dict = field(default_factory=dict)
    """What is derived once from the graph and kept (the search index), filled under ``lock``."""
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    @property
    def timeout(self) -> float:
        return self.settings.timeout

    def forget_if_swapped(self) -> None:
        """Drop what was derived from the graph once the backend serves another one (a rebuilt graph/
        swapped in without a restart: /health's ``graph`` key changes). Call with ``lock`` held."""
        status = self.backend.status()
        served = status.get("graph") if isinstance(status, dict) else None
        if self.shared.get("graph") != served:
            self.shared.clear()
            self.shared["graph"] = served

    @property
    def derive_timeout(self) -> float:
        """Seconds for the server's own one-off queries that derive data from the whole graph (the search
        index, the facts table): at least a minute, whatever --timeout gives users' queries, so a loaded
        machine or a large graph slows them rather than leaving the server without search."""
        return max(self.settings.timeout, 60.0)
