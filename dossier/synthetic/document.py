"""One synthetic document: its text, grown sentence by sentence, and the mapping of what it says."""

from __future__ import annotations

import hashlib
import random

from .registry import Entity, Registry, quoted

WORDS = (
    "amid calm during talks after weeks before dawn under pressure with allies despite warnings in public "
    "at length on record behind doors for years since spring without delay by letter through envoys "
    "again twice openly quietly firmly briefly repeatedly formally jointly separately directly indirectly "
    "northern southern eastern western coastal inland urban rural federal provincial municipal regional "
    "autumn winter summer morning evening midday weekend council harbour valley bridge market station "
    "garden library museum archive courthouse embassy consulate ministry assembly chamber tribunal senate"
).split()
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
GENRES = ["open-letter", "opinion", "analysis", "news", "advocacy-statement"]
STATEMENT_TYPES = ["letter", "speech", "quote", "claim", "allegation", "demand", "opinion", "report"]
ROLES = {"speaker": "spoke at", "attendee": "attended", "organizer": "organized", "host": "hosted",
         "sponsor": "sponsored", "participant": "took part in", "virtual-attendee": "joined online"}
#: Real registry entities the example queries (queries/*.rq) ask about: documents name them often.
HUBS = {"Organization": ["mek", "irgc", "iranian-canadian-congress", "reuters"], "Person": ["pierre-poilievre", "stephen-harper"]}
STATUS = {"in-force": "has listed", "ended": "removed from its list", "proposed": "was urged to list",
          "unknown": "at some point listed"}


class _Doc:
    """One document being written: its text, grown sentence by sentence, and its mapping records."""

    def __init__(self, rng: random.Random, slug: str):
        self.rng, self.slug = rng, slug
        self.sentences: list[str] = []
        self.sections: dict[str, list[str]] = {k: [] for k in ("mentions", "events", "participations", "designations", "statements")}
        self.used_tails: set[str] = set()

    def tail(self) -> str:
        while True:
            t = " ".join(self.rng.sample(WORDS, 3))
            if t not in self.used_tails:
                self.used_tails.add(t)
                return t

    def typeset(self, plain: str) -> str:
        """The text's spelling of a plain sentence: curly apostrophes, em dashes, wrapped lines."""
        s = plain.replace("'", "’") if self.rng.random() < 0.5 else plain
        s = s.replace(" - ", " — ") if self.rng.random() < 0.7 else s
        if self.rng.random() < 0.3 and s.count(" ") > 6:
            words = s.split(" ")
            k = self.rng.randrange(2, len(words) - 2)
            s = " ".join(words[:k]) + "\n" + " ".join(words[k:])
        return s

    def say(self, plain: str) -> None:
        self.sentences.append(self.typeset(plain))

    def filler(self) -> None:
        self.sentences.append(f"Observers noted the {self.tail()} context and the {self.tail()} reaction.")


def _name_of(rng: random.Random, e: Entity) -> str:
    return rng.choice(e.names()) if e.aliases and rng.random() < 0.4 else e.label


def document(reg: Registry, seed: int, i: int, also_name: list[Entity] = ()) -> tuple[str, str, str]:
    """(slug, text, mapping YAML) of synthetic document ``i``, also naming the ``also_name`` entities at its end."""
    rng = random.Random(f"doc-{seed}-{i}")
    genre = rng.choice(GENRES)
    slug = f"synthetic-{genre}-{i:05d}"
    d = _Doc(rng, slug)
    year = rng.randrange(2000, 2024)
    month = rng.randrange(1, 13)
    author = reg.pick(rng, rng.choice(["Organization", "Person"]))[0]
    publisher = reg.pick(rng, "Organization")[0]
    orgs = reg.pick(rng, "Organization", 6)
    people = reg.pick(rng, "Person", 5)
    events = reg.pick(rng, "Event", 3)
    places = reg.pick(rng, "Place", 3)
    for kind, picked in (("Organization", orgs), ("Person", people)):
        hubs = [e for e in reg.by_type[kind] if e.id in HUBS[kind]]
        if hubs and rng.random() < 0.5:
            hub = rng.choice(hubs)
            if hub not in picked:
                picked[0] = hub
    agents = orgs + people
    title = f"{_name_of(rng, orgs[0])} and the {events[0].label}: a {genre.replace('-', ' ')}"
    d.sentences.append(title)
    d.say(f"Published in {MONTHS[month - 1]} {year} by {publisher.label}.")

    # mentions: one per named entity, quoting the name with words around it
    mentioned = []
    for e in [author, publisher, *orgs[:3], *people[:2], places[0], events[0]]:
        if e.id in mentioned:
            continue
        mentioned.append(e.id)
        name, tail = _name_of(rng, e), d.tail()
        if rng.random() < 0.15:  # the bare name, first occurrence
            d.say(f"{name} was also discussed - {tail}.")
            d.sections["mentions"].append(f"  - {{entity: {e.id}, quote: {quoted(name)}, occurrence: \"1\"}}")
        else:
            d.say(f"The text refers to {name} {tail}.")
            d.sections["mentions"].append(f"  - {{entity: {e.id}, quote: {quoted(f'{name} {tail}')}}}")
        if rng.random() < 0.5:
            d.filler()

    # event values: dates, places and tolls, sometimes differing from other documents
    for k, ev in enumerate(events):
        date, place, deaths = reg.events[ev.id]
        rid = f"{ev.id}-{k}"
        if rng.random() < 0.25:
            date = date[:4] if rng.random() < 0.5 else f"{int(date[:4]) + rng.choice([-1, 1])}{date[4:7]}"
        else:
            date = date[: rng.choice([4, 7, 10])]
        tail = d.tail()
        plain = f"The {ev.label} took place in {date} {tail}"
        d.say(plain + ".")
        d.sections["events"].append(f"  - id: {rid}-date\n    event: {ev.id}\n    date: {quoted(date)}\n    quote: {quoted(plain)}")
        if k == 0 and rng.random() < 0.6:
            claimant = rng.choice(agents)
            toll = deaths + (rng.randrange(1, 50) if rng.random() < 0.3 else 0)
            cname = _name_of(rng, claimant)
            plain = f"According to {cname}, {toll} people were killed at the {ev.label} {d.tail()}"
            d.say(plain + ".")
            d.sections["events"].append(
                f"  - id: {rid}-toll\n    event: {ev.id}\n    deaths: {quoted(str(toll))}\n    claimed_by: {claimant.id}\n    quote: {quoted(plain)}")
        if k == 1:
            place_id = place if rng.random() < 0.7 else places[1].id
            pl = next(p for p in reg.by_type["Place"] if p.id == place_id)
            plain = f"It was held in {pl.label} {d.tail()}"
            d.say(plain + ".")
            d.sections["events"].append(f"  - id: {rid}-place\n    event: {ev.id}\n    place: {place_id}\n    quote: {quoted(plain)}")

    # participations
    for k in range(2):
        who, ev = (orgs[0], events[0]) if k == 0 else (rng.choice(people), events[0] if rng.random() < 0.5 else events[1])
        role = rng.choice(["organizer", "host"]) if k == 0 and rng.random() < 0.5 else rng.choice(list(ROLES))
        plain = f"{_name_of(rng, who)} {ROLES[role]} the {ev.label} {d.tail()}"
        d.say(plain + ".")
        d.sections["participations"].append(
            f"  - id: part-{k}\n    participant: {who.id}\n    event: {ev.id}\n    role: {role}\n    quote: {quoted(plain)}")
        d.filler()

    # designations: a listing and, in some documents, its end
    for k in range(rng.choice([1, 2])):
        authority = rng.choice(reg.actors())
        designee = rng.choice(orgs[:3] + people[:1])
        status = rng.choice(list(STATUS))
        start = rng.randrange(1990, 2020)
        extra = ""
        plain = f"{_name_of(rng, authority)} {STATUS[status]} {_name_of(rng, designee)} as a terrorist entity {d.tail()}"
        if status == "ended":
            extra = f"\n    start: \"{start}\"\n    end: \"{start + rng.randrange(1, 5)}\""
        elif status == "in-force":
            extra = f"\n    listed: \"{start}\"\n    start: \"{start}\""
        d.say(plain + ".")
        d.sections["designations"].append(
            f"  - id: listing-{k}\n    authority: {authority.id}\n    designee: {designee.id}\n    type: "
            f"{rng.choice(['terrorist-listing', 'sanctions'])}\n    status: {status}{extra}\n"
            f"    list_name: {quoted('listed entities')}\n    quote: {quoted(plain)}")

    # statements: letters, claims, demands...; some report or answer another, some have two quotes
    n_statements = rng.randrange(5, 8)
    for k in range(n_statements):
        stype = rng.choice(STATEMENT_TYPES)
        speaker = rng.choice(agents)
        addressee = rng.choice(agents) if stype in ("letter", "demand") else None
        about = rng.sample(agents + events[:1], rng.choice([1, 2]))
        sname = _name_of(rng, speaker)
        plain = f"In a {stype}, {sname} said that {about[0].label} had acted {d.tail()}"
        lines = [f"  - id: st-{k}", f"    type: {stype}", f"    speaker: {speaker.id}"]
        if addressee is not None:
            plain = f"In a {stype} to {addressee.label}, {sname} said that {about[0].label} had acted {d.tail()}"
            lines.append(f"    addressee: {addressee.id}")
        if rng.random() < 0.5:
            lines.append(f"    date: \"{year}-{month:02d}\"")
        lines.append(f"    about: [{', '.join(e.id for e in about)}]")
        lines.append(f"    content: {quoted(f'{speaker.label} comments on {about[0].label}.')}")
        if k > 0 and rng.random() < 0.3:
            lines.append(f"    {rng.choice(['reports', 'in_response_to'])}: st-{rng.randrange(k)}")
        d.say(plain + ".")
        if rng.random() < 0.25:
            second = f"{sname} added that the matter was {d.tail()}"
            d.say(second + ".")
            lines.append(f"    quotes:\n      - {quoted(plain)}\n      - {quoted(second)}")
        else:
            if rng.random() < 0.2:
                lines.append(f"    claimed_by: {rng.choice(agents).id}")
            lines.append(f"    quote: {quoted(plain)}")
        d.sections["statements"].append("\n".join(lines))
        if rng.random() < 0.4:
            d.filler()

    for e in also_name:  # after every other draw, so the rest of the document is the same with or without them
        quote = f"{e.label} {d.tail()}"
        d.sentences.append(f"The text also refers to {quote}.")
        d.sections["mentions"].append(f"  - {{entity: {e.id}, quote: {quoted(quote)}}}")

    text = "\n\n".join(d.sentences) + "\n"
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    head = [
        "source:",
        f"  id: {slug}",
        f"  title: {quoted(title)}",
        f"  genre: {genre}",
        f"  author: [{author.id}]",
        f"  publisher: {publisher.id}",
        f"  published: \"{year}-{month:02d}\"",
        f"  date_inferred: {quoted('Synthetic document: its dateline gives the month.')}",
        f"  sha256: {digest}",
        f"  received_as: {slug}.txt",
        "  language: en",
        "",
        "expect:",
        f"  min_statements: \"{n_statements}\"",
        f"  entities: [{', '.join(mentioned[:2])}]",
    ]
    body = []
    for name, records in d.sections.items():
        if records:
            body += ["", f"{name}:", *records]
    return slug, text, "\n".join(head + body) + "\n"
