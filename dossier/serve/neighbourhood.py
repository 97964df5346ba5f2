"""The timeline of an entity's dated facts and the network of its neighbourhood, as data for the page's scripts.

Both are built from every fact that refers to the entity, plus the events it took part in (their
dates as each source gives them, and their other participants: the second hop). Every item and
edge carries its quotes, so that the page can open them; the network is capped at MAX_NODES.
They are served apart from the page (/id/<slug>/views), each quote once.
"""

from __future__ import annotations

import json

from ..namespace import DOS
from .backend import QueryBackend, select
from .facts import Fact, facts_about, quote_of
from .terms import DATE_TYPES, Labels, Term, sparql

#: The network view shows at most this many nodes (the entity and its nearest neighbours first).
MAX_NODES = 40


def _quotes(fact: Fact) -> list[dict]:
    return [
        {
            "exact": q.exact,
            "prefix": q.prefix,
            "suffix": q.suffix,
            "source": fact.source.text,
            "sourceHref": fact.source.href,
            "claimant": q.claimant.text if q.claimant else None,
            "fact": fact.label,
            "factHref": fact.href,
        }
        for q in fact.quotes
    ]


def date_span(value: str) -> tuple[str, str | None]:
    """(start, end) ISO dates for a date as stated: a year or a month covers its whole span, a day is a point."""
    parts = value.split("-")
    if len(parts) == 1:
        return f"{value}-01-01", f"{int(value) + 1:04d}-01-01"
    if len(parts) == 2:
        year, month = int(parts[0]), int(parts[1])
        nxt = f"{year + 1:04d}-01-01" if month == 12 else f"{year:04d}-{month + 1:02d}-01"
        return f"{value}-01", nxt
    return value[:10], None


def _item(n: int, date: str, text: str, kind: str, quotes: list[dict], href: str | None) -> dict:
    start, end = date_span(date)
    return {"id": n, "start": start, "end": end, "date": date, "content": text, "kind": kind, "quotes": quotes, "href": href}


async def _event_dates(backend: QueryBackend, events: list[str], labels: Labels, timeout: float) -> dict[str, list[dict]]:
    """For each event, every date a source gives for it, with that source's quote."""
    out: dict[str, list[dict]] = {e: [] for e in events}
    if not events:
        return out
    for row in await select(backend, sparql("entity-evidence", this=events), timeout):
        if "value" not in row or row["value"].get("datatype") not in DATE_TYPES:
            continue
        quote = quote_of(row, labels)
        out[row["this"]["value"]].append(
            {
                "property": labels(row["property"]["value"]),
                "date": row["value"]["value"],
                "quote": {
                    "exact": quote.exact, "prefix": quote.prefix, "suffix": quote.suffix,
                    "source": row["sourceName"]["value"], "sourceHref": Term.of(row["source"]).href,
                    "claimant": quote.claimant.text if quote.claimant else None, "fact": None, "factHref": None,
                },
            }
        )
    return out


def timeline(iri: str, facts: list[Fact], event_dates: dict[str, list[dict]], labels: Labels) -> dict:
    """Items for vis-timeline: every dated value of the entity's facts, the dates of its events, its own dates."""
    items: list[dict] = []
    for fact in facts:
        for prop, terms in fact.values.items():
            for t in terms:
                if t.date:
                    items.append(_item(len(items) + 1, t.date, f"{fact.label} ({labels(prop)})", fact.kind, _quotes(fact), fact.href))
        event = fact.one(DOS.inEvent)
        if event is None or event.iri not in event_dates or event.iri == iri:
            continue
        role = fact.one(DOS.role)
        for d in event_dates[event.iri]:
            text = f"{event.text}: {role.text if role else 'took part'} ({d['property']}, per {d['quote']['source']})"
            quotes = [d["quote"]] + [q for q in _quotes(fact) if (q["exact"], q["source"]) != (d["quote"]["exact"], d["quote"]["source"])]
            items.append(_item(len(items) + 1, d["date"], text, "Event", quotes, event.href))
    for d in event_dates.get(iri, []):
        items.append(_item(len(items) + 1, d["date"], f"{d['property']} per {d['quote']['source']}", "Event", [d["quote"]], None))
    merged: dict[tuple, dict] = {}
    for item in items:  # one item per date and text: two facts saying the same thing share it, with both quotes
        kept = merged.setdefault((item["date"], item["content"], item["kind"]), item)
        if kept is not item:
            kept["quotes"].extend(q for q in item["quotes"] if q not in kept["quotes"])
    items = sorted(merged.values(), key=lambda i: (i["start"], i["content"]))
    for n, item in enumerate(items, 1):
        item["id"] = n
    return {"items": items}


def _edges(fact: Fact, reported: dict[str, Fact]) -> list[tuple[Term, Term, str, str]]:
    """(from, to, label, kind) edges a fact draws between entities; a reported statement adds a claim edge."""
    out = []
    kind = fact.cls
    if kind == str(DOS.Participation):
        role = fact.one(DOS.role)
        for who in fact.all(DOS.participant):
            for event in fact.all(DOS.inEvent):
                out.append((who, event, role.text if role else "took part", "participation"))
    elif kind == str(DOS.Designation):
        what = fact.one(DOS.designationType)
        for by in fact.all(DOS.authority):
            for whom in fact.all(DOS.designee):
                out.append((by, whom, what.text if what else "designation", "designation"))
    elif kind == str(DOS.Statement):
        what = fact.one(DOS.statementType)
        for speaker in fact.all(DOS.speaker):
            for about in fact.all(DOS.about):
                out.append((speaker, about, what.text if what else "statement", "statement"))
            for to in fact.all(DOS.addressee):
                out.append((speaker, to, "addressed to", "statement"))
            for r in fact.all(DOS.reports):
                other = reported.get(r.iri or "")
                for original in other.all(DOS.speaker) if other else []:
                    out.append((speaker, original, "reports", "claim"))
    else:
        entities = [t for terms in fact.values.values() for t in terms if t.href and t.href.startswith("/id/")]
        for a, b in zip(entities, entities[1:]):
            out.append((a, b, fact.kind, "other"))
    return out


def network(iri: str, label: str, hops: list[list[Fact]], reported: dict[str, Fact], classes: dict[str, str]) -> dict:
    """Nodes and edges for cytoscape: the entity, what its facts link it to (hop 1), then its events' participants."""
    nodes: dict[str, dict] = {iri: {"id": iri, "label": label, "kind": classes.get(iri, "Entity"), "href": None, "hop": 0}}
    edges: dict[tuple, dict] = {}
    for hop, facts in enumerate(hops, 1):
        for fact in facts:
            for a, b, text, kind in _edges(fact, reported):
                if not (a.iri and b.iri) or a.iri == b.iri:
                    continue
                for t in (a, b):
                    nodes.setdefault(t.iri, {"id": t.iri, "label": t.text, "kind": classes.get(t.iri, "Entity"), "href": t.href, "hop": hop})
                key = (a.iri, b.iri, text, kind)
                edge = edges.setdefault(key, {"id": f"e{len(edges) + 1}", "source": a.iri, "target": b.iri, "label": text, "kind": kind, "quotes": []})
                edge["quotes"].extend(q for q in _quotes(fact) if q not in edge["quotes"])
    total = len(nodes)
    if total > MAX_NODES:
        degree: dict[str, int] = {}
        for e in edges.values():
            for end in (e["source"], e["target"]):
                degree[end] = degree.get(end, 0) + 1
        keep = sorted(nodes, key=lambda n: (nodes[n]["hop"], -degree.get(n, 0), nodes[n]["label"]))[:MAX_NODES]
        nodes = {n: nodes[n] for n in keep}
    shown = [e for e in edges.values() if e["source"] in nodes and e["target"] in nodes]
    message = None
    if total > len(nodes):
        message = f"Showing the {len(nodes)} nearest of {total} connected entities (the view is capped at {MAX_NODES})."
    return {"nodes": list(nodes.values()), "edges": shown, "total": total, "message": message}


async def entity_views(backend: QueryBackend, iri: str, label: str, labels: Labels, timeout: float) -> dict:
    """The timeline and network data of an entity: from every fact that refers to it, and its events' (three to six queries)."""
    facts = list((await facts_about(backend, [iri], labels, timeout))[iri].values())
    events = sorted(
        {
            e.iri
            for f in facts
            if f.cls == str(DOS.Participation) and set(f.roles) - {str(DOS.inEvent)}
            for e in f.all(DOS.inEvent)
            if e.iri
        }
    )
    event_dates = await _event_dates(backend, [iri, *events], labels, timeout)
    second = await facts_about(backend, events, labels, timeout) if events else {}
    seen = {f.iri for f in facts}
    hop2 = [f for e in events for f in second.get(e, {}).values() if f.iri not in seen]
    wanted = sorted({r.iri for f in facts + hop2 for r in f.all(DOS.reports) if r.iri})
    reported: dict[str, Fact] = {}
    if wanted:
        for row in await select(backend, sparql("fact-properties", fact=wanted), timeout):
            fact = reported.setdefault(row["fact"]["value"], Fact(row["fact"]["value"], "", "", "", Term("")))
            fact.values.setdefault(row["property"]["value"], []).append(Term.of(row["value"], row.get("valueLabel"), labels))
    ids = sorted({iri} | {t.iri for f in facts + hop2 for ts in f.values.values() for t in ts if t.href and t.href.startswith("/id/")})
    classes = {r["this"]["value"]: labels(r["class"]["value"]) for r in await select(backend, sparql("entity-classes", this=ids), timeout)}
    return {"timeline": timeline(iri, facts, event_dates, labels), "network": network(iri, label, [facts, hop2], reported, classes)}


def shared_quotes(view: dict) -> dict:
    """The views with each distinct quote once, in ``quotes``; timeline items and network edges name theirs by number."""
    quotes: list[dict] = []
    number: dict[str, int] = {}

    def numbered(these: list[dict]) -> list[int]:
        out = []
        for quote in these:
            key = json.dumps(quote, sort_keys=True)
            if key not in number:
                number[key] = len(quotes)
                quotes.append(quote)
            out.append(number[key])
        return out

    for item in view["timeline"]["items"]:
        item["quotes"] = numbered(item["quotes"])
    for edge in view["network"]["edges"]:
        edge["quotes"] = numbered(edge["quotes"])
    return {"quotes": quotes, **view}
