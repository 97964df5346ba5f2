"""LOCAL STAND-IN FOR TESTS -- THIS IS NOT WIKIDATA.

A small HTTP server on 127.0.0.1 that answers the two read-only API actions `dossier link`
uses, ``wbsearchentities`` and ``wbgetentities``, in the same JSON shape as
https://www.wikidata.org/w/api.php, from canned data. Tests point `dossier link --endpoint` at
it so that every line of network code runs without the internet.

Its data proves nothing about the real Wikidata:
- the canned items use obviously fake identifiers (Q999000001 and up, which are not real
  Wikidata items) for entities whose QID the project has not confirmed;
- tests that need the QIDs of confirmed links build the stand-in's items from
  mappings/wikidata.sssom.tsv itself (its object_label as the label), so nothing here asserts
  a real link;
- the only real identifiers are the well-known class items used as "instance of" (P31)
  values: Q5 (human), Q43229 (organization), Q4167410 (Wikimedia disambiguation page).
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse


@dataclass
class Item:
    label: str
    description: str = ""
    aliases: list[str] = field(default_factory=list)
    p31: list[str] = field(default_factory=list)


# Canned items: FAKE identifiers, NOT Wikidata's. Labels are the registry's own names.
CANNED: dict[str, Item] = {
    "Q999000001": Item("People's Mojahedin Organization of Iran", "FAKE stand-in item (an organization)",
                       ["MEK", "Mujahedin-e Khalq"], ["Q43229"]),
    "Q999000002": Item("People's Mojahedin Organization of Iran (disambiguation)", "FAKE stand-in item (a disambiguation page)", [], ["Q4167410"]),
    "Q999000003": Item("Islamic Revolutionary Guard Corps", "FAKE stand-in item", ["IRGC"], ["Q43229"]),
    "Q999000004": Item("Maryam Rajavi", "FAKE stand-in item (a person)", [], ["Q5"]),
    "Q999000005": Item("Maryam Rajavi Street", "FAKE stand-in item (a street, wrong type)", [], ["Q79007"]),
}


class WikidataStandIn:
    """Serve ``items`` at ``self.url`` (…/w/api.php) until ``stop()``; usable as a context manager."""

    def __init__(self, items: dict[str, Item] | None = None):
        self.items = dict(CANNED if items is None else items)
        self.requests: list[dict[str, str]] = []
        standin = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server's naming)
                url = urlparse(self.path)
                query = {k: v[0] for k, v in parse_qs(url.query).items()}
                standin.requests.append(query)
                if url.path != "/w/api.php":
                    self._send(404, {"error": {"code": "notfound", "info": "stand-in serves /w/api.php only"}})
                    return
                self._send(200, standin.answer(query))

            def _send(self, status: int, body: dict) -> None:
                data = json.dumps(body).encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):  # keep test output quiet
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/w/api.php"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> WikidataStandIn:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    # ------------------------------------------------------------------ the API's answers

    def answer(self, q: dict[str, str]) -> dict:
        action = q.get("action")
        if action == "wbsearchentities":
            return self.search(q.get("search", ""), int(q.get("limit", "7")))
        if action == "wbgetentities":
            return self.get_entities(q.get("ids", "").split("|"))
        return {"error": {"code": "badvalue", "info": f"Unrecognized value for parameter \"action\": {action}."}}

    def search(self, text: str, limit: int) -> dict:
        """wbsearchentities: items whose label or an alias starts with ``text`` (case-insensitive)."""
        needle = text.casefold()
        hits = []
        for qid, item in self.items.items():
            names = [("label", item.label)] + [("alias", a) for a in item.aliases]
            match = next(((kind, n) for kind, n in names if n.casefold().startswith(needle)), None)
            if match is None:
                continue
            hits.append({
                "id": qid, "title": qid, "pageid": int(qid[1:]) % 100000000,
                "concepturi": f"http://www.wikidata.org/entity/{qid}", "repository": "wikidata",
                "url": f"//www.wikidata.org/wiki/{qid}",
                "display": {"label": {"value": item.label, "language": "en"},
                            "description": {"value": item.description, "language": "en"}},
                "label": item.label, "description": item.description,
                "match": {"type": match[0], "language": "en", "text": match[1]},
                **({"aliases": [match[1]]} if match[0] == "alias" else {}),
            })
        return {"searchinfo": {"search": text}, "search": hits[:limit], "success": 1}

    def get_entities(self, ids: list[str]) -> dict:
        entities = {}
        for qid in ids:
            item = self.items.get(qid)
            if item is None:
                entities[qid] = {"id": qid, "missing": ""}
                continue
            entities[qid] = {
                "type": "item", "id": qid,
                "labels": {"en": {"language": "en", "value": item.label}},
                "descriptions": {"en": {"language": "en", "value": item.description}} if item.description else {},
                "aliases": {"en": [{"language": "en", "value": a} for a in item.aliases]} if item.aliases else {},
                "claims": {"P31": [{
                    "mainsnak": {"snaktype": "value", "property": "P31", "datatype": "wikibase-item",
                                 "datavalue": {"value": {"entity-type": "item", "numeric-id": int(c[1:]), "id": c},
                                               "type": "wikibase-entityid"}},
                    "type": "statement", "id": f"{qid}$stand-in-{n}", "rank": "normal",
                } for n, c in enumerate(item.p31)]} if item.p31 else {},
            }
        return {"entities": entities, "success": 1}
