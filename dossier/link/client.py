"""A small read-only client for Wikidata's API, every answer kept in a cache folder for offline use."""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

import httpx

DEFAULT_ENDPOINT = "https://www.wikidata.org/w/api.php"
ENDPOINT_ENV = "DOSSIER_WIKIDATA_API"
USER_AGENT = "dossier-link/0.1 (https://w3id.org/dossier; knowledge graph curation)"


class Unreachable(Exception):
    """Wikidata (or the configured endpoint) did not answer."""


@dataclass
class WikidataClient:
    """A tiny client for the two read-only API actions we use, with a response cache.

    ``offline`` starts in cache-only mode; the first network failure switches to it and
    ``notices`` records the message once.
    """

    cache_dir: Path
    endpoint: str = DEFAULT_ENDPOINT
    offline: bool = False
    timeout: float = 10.0
    notices: list[str] = field(default_factory=list)
    fetched: int = 0
    from_cache: int = 0
    missing: int = 0
    _http: httpx.Client | None = None

    def get(self, params: dict[str, str]) -> dict | None:
        """The JSON answer to one API request: from the cache, else from the endpoint (then cached).

        Returns None when the answer is neither cached nor obtainable (offline).
        """
        query = {**params, "format": "json"}
        path = self.cache_dir / cache_key(query)
        if path.exists():
            self.from_cache += 1
            return json.loads(path.read_text(encoding="utf-8"))["response"]
        if self.offline:
            self.missing += 1
            return None
        try:
            data = self._fetch(query)
        except Unreachable as exc:
            self.offline = True
            self.notices.append(f"cannot reach Wikidata ({exc}); using cache only")
            self.missing += 1
            return None
        self.fetched += 1
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        record = {"request": dict(sorted(query.items())), "response": data}
        path.write_text(json.dumps(record, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        return data

    def _fetch(self, query: dict[str, str]) -> dict:
        if self._http is None:
            self._http = httpx.Client(timeout=self.timeout, headers={"User-Agent": USER_AGENT})
        try:
            resp = self._http.get(self.endpoint, params=query)
            resp.raise_for_status()
            data = resp.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise Unreachable(f"{self.endpoint}: {type(exc).__name__}: {exc}".strip().rstrip(":")) from exc
        if not isinstance(data, dict) or "error" in data:
            info = data.get("error", {}).get("info", "unexpected answer") if isinstance(data, dict) else "not JSON"
            raise Unreachable(f"{self.endpoint}: {info}")
        return data

    def close(self) -> None:
        if self._http is not None:
            self._http.close()
            self._http = None

    # ------------------------------------------------------------------ API actions

    def search(self, text: str, limit: int = 5) -> list[dict] | None:
        """``wbsearchentities`` hits for ``text`` (English, items only), or None if unavailable."""
        data = self.get({"action": "wbsearchentities", "search": text, "language": "en",
                         "uselang": "en", "type": "item", "limit": str(limit)})
        return None if data is None else list(data.get("search", []))

    def entities(self, qids: list[str]) -> dict[str, dict] | None:
        """``wbgetentities`` records (labels, aliases, descriptions, claims) by QID, or None if unavailable."""
        if not qids:
            return {}
        data = self.get({"action": "wbgetentities", "ids": "|".join(sorted(set(qids))),
                         "props": "labels|aliases|descriptions|claims", "languages": "en"})
        return None if data is None else dict(data.get("entities", {}))


def cache_key(query: dict[str, str]) -> str:
    """File name of a cached answer: the action, then a hash of the canonical query string."""
    canonical = "&".join(f"{k}={query[k]}" for k in sorted(query))
    digest = hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:20]
    return f"{query.get('action', 'query')}-{digest}.json"


def endpoint_from_env(explicit: str | None) -> str:
    return explicit or os.environ.get(ENDPOINT_ENV) or DEFAULT_ENDPOINT
