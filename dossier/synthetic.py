"""A synthetic corpus shaped like the real one, deterministic from (N, seed).

    python -m dossier.synthetic OUT --n 1000 [--seed 0]

OUT becomes a project folder the real pipeline builds unchanged (`dossier --root OUT build`):
the repository's ontology, shapes, queries and entity registry, plus a synthetic registry that
grows with N, and N documents, each a text and a mapping file like the hand-written ones:
~20 facts (mentions, event values, participations, designations, statements), each with a
verbatim quote located by offset; typographic quotes, dashes and line breaks in the text that
the quotes write plainly; aliases; `occurrence`, `claimed_by`, `quotes:` lists, `reports` and
`in_response_to`; and event dates, places and death tolls on which documents disagree.

Document i depends only on (seed, i) and the registry, so a corpus of N documents is the same
whatever machine or hash seed produced it.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
COPIED = ("ontology", "queries")

SYLLABLES = [
    "var", "nel", "tor", "ka", "mi", "lo", "sen", "dra", "vik", "ostr", "al", "ben", "cor", "dun", "el",
    "fa", "gar", "hol", "is", "jor", "kel", "lun", "mar", "nor", "ol", "pen", "quil", "ros", "sta", "tal",
    "ur", "val", "wes", "yor", "zan", "bri", "cal", "dor", "eth", "fin",
]
WORDS = (
    "amid calm during talks after weeks before dawn under pressure with allies despite warnings in public "
    "at length on record behind doors for years since spring without delay by letter through envoys "
    "again twice openly quietly firmly briefly repeatedly formally jointly separately directly indirectly "
    "northern southern eastern western coastal inland urban rural federal provincial municipal regional "
    "autumn winter summer morning evening midday weekend council harbour valley bridge market station "
    "garden library museum archive courthouse embassy consulate ministry assembly chamber tribunal senate"
).split()
ORG_KINDS = ["Union", "Council", "Front", "Party", "Institute", "Foundation", "Agency", "Network", "Alliance",
             "Committee", "Movement", "Guard", "Ministry", "Press", "Association"]
EVENT_KINDS = ["rally", "summit", "convention", "protest", "attack", "vote", "conference", "raid", "march"]
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


@dataclass
class Entity:
    id: str
    type: str
    label: str
    aliases: list[str] = field(default_factory=list)
    country: str | None = None
    member_of: list[str] = field(default_factory=list)
    part_of: str | None = None
    government_of: str | None = None

    def names(self) -> list[str]:
        return [self.label, *self.aliases]


@dataclass
class Registry:
    by_type: dict[str, list[Entity]]
    events: dict[str, tuple[str, str, int]]  # event id -> (date, place id, deaths): the "true" values

    def actors(self) -> list[Entity]:
        """Who may be a designation's authority (mappings/README.md, "Who acts for a country"): a government,
        a body part of one, an organization of no country, or a country that has a government (shorthand)."""
        orgs = {e.id: e for e in self.by_type["Organization"]}
        governed = {e.government_of for e in orgs.values() if e.government_of}

        def acts(e: Entity) -> bool:
            seen = set()
            while e is not None and e.id not in seen:
                seen.add(e.id)
                if e.government_of:
                    return True
                e = orgs.get(e.part_of) if e.part_of else None
            return False

        return ([e for e in orgs.values() if acts(e) or (e.country is None and not e.part_of)]
                + [p for p in self.by_type["Place"] if p.id in governed])

    def pick(self, rng: random.Random, kind: str, k: int = 1) -> list[Entity]:
        pool = self.by_type[kind]
        # Skewed towards the first entities (the real registry comes first): a few are named often.
        idx = {min(int(rng.paretovariate(1.1)) - 1, len(pool) - 1) if rng.random() < 0.5 else rng.randrange(len(pool))
               for _ in range(k * 3)}
        out = [pool[i] for i in sorted(idx)][:k]
        while len(out) < k:
            e = pool[rng.randrange(len(pool))]
            if e not in out:
                out.append(e)
        rng.shuffle(out)
        return out


def _name(rng: random.Random, parts: int) -> str:
    return " ".join("".join(rng.choice(SYLLABLES) for _ in range(2)).capitalize() for _ in range(parts))


def _q(text: str) -> str:
    """A YAML double-quoted scalar (JSON's string syntax is valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def real_registry() -> list[Entity]:
    out = []
    for path in sorted((REPO / "mappings" / "entities").glob("*.yaml")):
        for rec in yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader) or []:
            out.append(Entity(rec["id"], rec["type"], rec["label"], list(rec.get("aliases") or []),
                              rec.get("country"), list(rec.get("member_of") or []), rec.get("part_of"),
                              rec.get("government_of")))
    return out


def synthetic_registry(n: int, seed: int) -> tuple[Registry, list[Entity]]:
    """The real registry plus synthetic entities: about N/5 of them, never fewer than 60."""
    rng = random.Random(f"registry-{seed}-{n}")
    real = real_registry()
    taken = {e.id for e in real}
    by_type: dict[str, list[Entity]] = {t: [e for e in real if e.type == t] for t in ("Organization", "Person", "Place", "Event")}
    sizes = {"Place": 10 + n // 100, "Organization": 20 + n // 10, "Person": 20 + n // 10, "Event": 10 + n // 20}
    new: list[Entity] = []

    def slug(label: str) -> str:
        base = "-".join(label.lower().replace("’", "").replace("'", "").split())
        s, k = base, 2
        while s in taken:
            s, k = f"{base}-{k}", k + 1
        taken.add(s)
        return s

    countries = [e.id for e in by_type["Place"]]
    for _ in range(sizes["Place"]):
        label = _name(rng, 1) + rng.choice(["", " City", " Province", "ia"])
        e = Entity(slug(label), "Place", label.strip(), country=rng.choice(countries) if rng.random() < 0.5 else None)
        new.append(e)
        by_type["Place"].append(e)
    parties = [e for e in by_type["Organization"] if e.id.endswith("party-of-canada")] or by_type["Organization"][:3]
    for i in range(sizes["Organization"]):
        label = f"{_name(rng, rng.choice([1, 2]))} {rng.choice(ORG_KINDS)}"
        acronym = "".join(w[0] for w in label.split()).upper()
        aliases = [acronym] if rng.random() < 0.6 else []
        if rng.random() < 0.3:
            aliases.append(label.replace(" ", "-", 1) if " " in label else label + " Group")
        parent = rng.choice(by_type["Organization"]) if rng.random() < 0.15 else None
        e = Entity(slug(label), "Organization", label, [a for a in dict.fromkeys(aliases) if a != label],
                   country=rng.choice(countries), part_of=parent.id if parent else None)
        new.append(e)
        by_type["Organization"].append(e)
    for i in range(sizes["Person"]):
        label = _name(rng, 2)
        aliases = [label.split()[-1]] if rng.random() < 0.7 else []
        member = [rng.choice(parties).id] if rng.random() < 0.4 else []
        e = Entity(slug(label), "Person", label, aliases, country=rng.choice(countries[:6]), member_of=member)
        new.append(e)
        by_type["Person"].append(e)
    for i in range(sizes["Event"]):
        label = f"{_name(rng, 1)} {rng.choice(EVENT_KINDS)} of {rng.randrange(1979, 2024)}"
        e = Entity(slug(label), "Event", label, [label.split(" of ")[0]] if rng.random() < 0.5 else [])
        new.append(e)
        by_type["Event"].append(e)
    events = {}
    places = by_type["Place"]
    for e in by_type["Event"]:
        year = rng.randrange(1979, 2024)
        events[e.id] = (f"{year}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}",
                        rng.choice(places).id, rng.randrange(0, 400))
    return Registry(by_type, events), new


def write_registry(root: Path, new: list[Entity]) -> None:
    folder = root / "mappings" / "entities"
    folder.mkdir(parents=True, exist_ok=True)
    for src in sorted((REPO / "mappings" / "entities").glob("*.yaml")):
        shutil.copyfile(src, folder / src.name)
    shutil.copyfile(REPO / "mappings" / "wikidata.sssom.tsv", root / "mappings" / "wikidata.sssom.tsv")
    for kind in ("Organization", "Person", "Place", "Event"):
        lines = [f"# Synthetic {kind.lower()}s for benchmarks and tests (dossier/synthetic.py); not real entities."]
        for e in (x for x in new if x.type == kind):
            parts = [f"id: {e.id}", f"type: {e.type}", f"label: {_q(e.label)}"]
            if e.aliases:
                parts.append(f"aliases: [{', '.join(_q(a) for a in e.aliases)}]")
            parts.append(f"description: {_q(f'Synthetic {kind.lower()} made up for benchmarks.')}")
            if e.part_of:
                parts.append(f"part_of: {e.part_of}")
            if e.country:
                parts.append(f"country: {e.country}")
            if e.member_of:
                parts.append(f"member_of: [{', '.join(e.member_of)}]")
            lines.append("- {" + ", ".join(parts) + "}")
        (folder / f"synthetic-{kind.lower()}s.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with open(root / "mappings" / "wikidata.sssom.tsv", "a", encoding="utf-8") as fh:
        for e in new:
            fh.write("\t".join([f"dossier:{e.id}", e.label, "skos:exactMatch", "sssom:NoTermFound", "",
                                "semapv:ManualMappingCuration", "orcid:0000-0000-0000-0000", "2024-01-01",
                                "synthetic entity for benchmarks: it has no Wikidata item"]) + "\n")


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
            d.sections["mentions"].append(f"  - {{entity: {e.id}, quote: {_q(name)}, occurrence: \"1\"}}")
        else:
            d.say(f"The text refers to {name} {tail}.")
            d.sections["mentions"].append(f"  - {{entity: {e.id}, quote: {_q(f'{name} {tail}')}}}")
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
        d.sections["events"].append(f"  - id: {rid}-date\n    event: {ev.id}\n    date: {_q(date)}\n    quote: {_q(plain)}")
        if k == 0 and rng.random() < 0.6:
            claimant = rng.choice(agents)
            toll = deaths + (rng.randrange(1, 50) if rng.random() < 0.3 else 0)
            cname = _name_of(rng, claimant)
            plain = f"According to {cname}, {toll} people were killed at the {ev.label} {d.tail()}"
            d.say(plain + ".")
            d.sections["events"].append(
                f"  - id: {rid}-toll\n    event: {ev.id}\n    deaths: {_q(str(toll))}\n    claimed_by: {claimant.id}\n    quote: {_q(plain)}")
        if k == 1:
            place_id = place if rng.random() < 0.7 else places[1].id
            pl = next(p for p in reg.by_type["Place"] if p.id == place_id)
            plain = f"It was held in {pl.label} {d.tail()}"
            d.say(plain + ".")
            d.sections["events"].append(f"  - id: {rid}-place\n    event: {ev.id}\n    place: {place_id}\n    quote: {_q(plain)}")

    # participations
    for k in range(2):
        who, ev = (orgs[0], events[0]) if k == 0 else (rng.choice(people), events[0] if rng.random() < 0.5 else events[1])
        role = rng.choice(["organizer", "host"]) if k == 0 and rng.random() < 0.5 else rng.choice(list(ROLES))
        plain = f"{_name_of(rng, who)} {ROLES[role]} the {ev.label} {d.tail()}"
        d.say(plain + ".")
        d.sections["participations"].append(
            f"  - id: part-{k}\n    participant: {who.id}\n    event: {ev.id}\n    role: {role}\n    quote: {_q(plain)}")
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
            f"    list_name: {_q('listed entities')}\n    quote: {_q(plain)}")

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
        lines.append(f"    content: {_q(f'{speaker.label} comments on {about[0].label}.')}")
        if k > 0 and rng.random() < 0.3:
            lines.append(f"    {rng.choice(['reports', 'in_response_to'])}: st-{rng.randrange(k)}")
        d.say(plain + ".")
        if rng.random() < 0.25:
            second = f"{sname} added that the matter was {d.tail()}"
            d.say(second + ".")
            lines.append(f"    quotes:\n      - {_q(plain)}\n      - {_q(second)}")
        else:
            if rng.random() < 0.2:
                lines.append(f"    claimed_by: {rng.choice(agents).id}")
            lines.append(f"    quote: {_q(plain)}")
        d.sections["statements"].append("\n".join(lines))
        if rng.random() < 0.4:
            d.filler()

    for e in also_name:  # after every other draw, so the rest of the document is the same with or without them
        quote = f"{e.label} {d.tail()}"
        d.sentences.append(f"The text also refers to {quote}.")
        d.sections["mentions"].append(f"  - {{entity: {e.id}, quote: {_q(quote)}}}")

    text = "\n\n".join(d.sentences) + "\n"
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    head = [
        "source:",
        f"  id: {slug}",
        f"  title: {_q(title)}",
        f"  genre: {genre}",
        f"  author: [{author.id}]",
        f"  publisher: {publisher.id}",
        f"  published: \"{year}-{month:02d}\"",
        f"  date_inferred: {_q('Synthetic document: its dateline gives the month.')}",
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


def generate(root: Path, n: int, seed: int = 0) -> list[str]:
    """Write a project of ``n`` synthetic documents into ``root`` (emptied first); returns the slugs."""
    if root.exists():
        shutil.rmtree(root)
    (root / "documents").mkdir(parents=True)
    (root / "mappings").mkdir()
    for name in COPIED:
        if (REPO / name).exists():
            shutil.copytree(REPO / name, root / name)
    reg, new = synthetic_registry(n, seed)
    write_registry(root, new)
    docs = [document(reg, seed, i) for i in range(n)]
    # Every registry entity must be named by some document (dossier validate): those no document
    # happened to name are named once each, in the last document. A country named as an
    # authority is not named by it: the build puts its government in its place.
    named = {word for _, _, mapping in docs for line in mapping.splitlines()
             if not line.lstrip().startswith("authority:") for word in re.findall(r"[a-z0-9][a-z0-9-]*", line)}
    unnamed = [e for e in real_registry() + new if e.id not in named]
    if n and unnamed:
        docs[-1] = document(reg, seed, n - 1, unnamed)
    slugs = []
    for slug, text, mapping in docs:
        (root / "documents" / f"{slug}.txt").write_bytes(text.encode("utf-8"))
        (root / "mappings" / f"{slug}.yaml").write_bytes(mapping.encode("utf-8"))
        slugs.append(slug)
    return slugs


def add_copy(root: Path, slug: str) -> Path:
    """Add a copy of the project's first synthetic document as ``slug``; returns its mapping. Removing the
    copy later leaves every registry entity still named by some document, as `dossier validate` requires."""
    original = sorted((root / "mappings").glob("synthetic-*.yaml"))[0]
    mapping = root / "mappings" / f"{slug}.yaml"
    mapping.write_text(original.read_text(encoding="utf-8").replace(original.stem, slug), encoding="utf-8")
    shutil.copyfile(root / "documents" / f"{original.stem}.txt", root / "documents" / f"{slug}.txt")
    return mapping


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out", type=Path, help="project folder to (re)create")
    ap.add_argument("--n", type=int, default=100, help="number of documents")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    slugs = generate(args.out, args.n, args.seed)
    print(f"{len(slugs)} synthetic documents in {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
