"""The synthetic registry: the real entities plus made-up ones that grow with N, and its files."""

from __future__ import annotations

import json
import random
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[2]

SYLLABLES = [
    "var", "nel", "tor", "ka", "mi", "lo", "sen", "dra", "vik", "ostr", "al", "ben", "cor", "dun", "el",
    "fa", "gar", "hol", "is", "jor", "kel", "lun", "mar", "nor", "ol", "pen", "quil", "ros", "sta", "tal",
    "ur", "val", "wes", "yor", "zan", "bri", "cal", "dor", "eth", "fin",
]
ORG_KINDS = ["Union", "Council", "Front", "Party", "Institute", "Foundation", "Agency", "Network", "Alliance",
             "Committee", "Movement", "Guard", "Ministry", "Press", "Association"]
EVENT_KINDS = ["rally", "summit", "convention", "protest", "attack", "vote", "conference", "raid", "march"]


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


def quoted(text: str) -> str:
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
        lines = [f"# Synthetic {kind.lower()}s for benchmarks and tests (dossier/synthetic/); not real entities."]
        for e in (x for x in new if x.type == kind):
            parts = [f"id: {e.id}", f"type: {e.type}", f"label: {quoted(e.label)}"]
            if e.aliases:
                parts.append(f"aliases: [{', '.join(quoted(a) for a in e.aliases)}]")
            parts.append(f"description: {quoted(f'Synthetic {kind.lower()} made up for benchmarks.')}")
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
