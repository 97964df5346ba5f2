"""The entity registry (mappings/entities/*.yaml) and its reviewed Wikidata links (SSSOM TSV)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .fields import Reader, suggest
from .limits import current
from .problems import Problems, reading
from .yamlfile import YList, YMap, load_yaml, read_utf8

QID = re.compile(r"^Q[1-9][0-9]*$")
ENTITY_KEYS = {"id", "type", "label", "aliases", "description", "part_of", "country", "member_of", "series", "government_of"}
# what each reference key must name, and which entity types may have it
REFERENCES = {"part_of": ("Organization", None), "country": ("Place", None),
              "member_of": ("Organization", None), "series": ("Event", ("Event",)),
              "government_of": ("Place", ("Organization",))}
SSSOM_COLUMNS = [
    "subject_id", "subject_label", "predicate_id", "object_id", "object_label",
    "mapping_justification", "author_id", "mapping_date", "comment",
]
NO_TERM = "sssom:NoTermFound"
# Words that judge rather than describe: they belong in Statements, attributed, not in a registry
# label or description (mappings/README.md: descriptions are neutral).
NOT_NEUTRAL = re.compile(r"\b(cult|notorious|regime|genocide|fascist|extremist|militant)\b", re.I)
UNREAD_NOTE = ("could not be read, so references to entity ids are not checked "
               "until it is fixed")


@dataclass
class Entity:
    id: str
    type: str
    label: str
    aliases: list[str]
    description: str | None
    part_of: str | None
    country: str | None
    member_of: list[str]
    file: str
    line: int
    series: str | None = None  # an Event: the recurring event it is an edition of
    government_of: str | None = None  # an Organization: the country whose public authorities it stands for


@dataclass
class Link:
    """One SSSOM row: an entity's Wikidata QID (or an explicit 'none found') and how it was confirmed."""

    subject: str
    qid: str | None
    object_label: str
    justification: str
    author: str
    date: str
    comment: str
    line: int


@dataclass
class Registry:
    entities: dict[str, Entity] = field(default_factory=dict)
    links: dict[str, Link] = field(default_factory=dict)
    sssom_file: str = ""
    governments: dict[str, str] = field(default_factory=dict)  # country id -> id of its government
    unread: list[str] = field(default_factory=list)  # registry files that could not be read

    def unknown(self, name: str, problems: Problems) -> bool:
        """Whether an unknown id ``name`` should be reported; if not, note once that references are unchecked.

        With a registry file unread, an id may be unknown only because its file was: reporting each
        reference would bury the one real error under follow-on ones. The note is the same Problem
        wherever it is added, so a run shows it once.
        """
        if name in self.entities or not self.unread:
            return name not in self.entities
        for file in self.unread:
            problems.add(file, 0, "", UNREAD_NOTE)
        return False

    def acting_for(self, eid: str) -> str | None:
        """The government a country stands for when named as an actor (shorthand), or None."""
        return self.governments.get(eid)

    def government_above(self, eid: str) -> str | None:
        """The government an organization is part of (itself included), following part_of."""
        seen: set[str] = set()
        while eid and eid not in seen:
            seen.add(eid)
            e = self.entities.get(eid)
            if e is None:
                return None
            if e.government_of:
                return eid
            eid = e.part_of
        return None


def load_registry(root: Path, types: set[str], problems: Problems) -> Registry:
    """Read every registry file and the SSSOM table; report duplicates, unknown references and bad QIDs."""
    reg = Registry()
    folder = root / "mappings" / "entities"
    for path in sorted(folder.glob("*.yaml")):
        display = path.relative_to(root).as_posix()
        data = load_yaml(path, display, problems)
        if data is None:
            reg.unread.append(display)
            continue
        if not isinstance(data, YList):
            problems.add(display, getattr(data, "line", 1), "", "a registry file is a list of entity records")
            reg.unread.append(display)
            continue
        with reading(display):
            for rec in data:
                if not isinstance(rec, YMap):
                    problems.add(display, rec.line, "", "each entity is a mapping with id, type, label...")
                    continue
                _read_entity(rec, display, types, reg, problems)
    for e in reg.entities.values():
        bad = set()
        refs_of = {"part_of": [e.part_of], "country": [e.country], "member_of": e.member_of,
                   "series": [e.series], "government_of": [e.government_of]}
        for key, refs in refs_of.items():
            want, holders = REFERENCES[key]
            for ref in refs:
                if not ref:
                    continue
                if holders and e.type not in holders:
                    problems.add(e.file, e.line, e.id, f"{key} is for {' or '.join(holders)} records, not a {e.type}")
                    bad.add((key, ref))
                elif ref not in reg.entities:
                    if reg.unknown(ref, problems):  # else its file was unread: said once
                        problems.add(e.file, e.line, e.id, f"{key} '{ref}' is not a registry id{suggest(ref, reg.entities)}")
                    bad.add((key, ref))
                elif reg.entities[ref].type != want:
                    article = "an" if want[0] in "AEIOU" else "a"
                    problems.add(e.file, e.line, e.id, f"{key} '{ref}' is a {reg.entities[ref].type}; {key} must name {article} {want}")
                    bad.add((key, ref))
        # a reported reference is dropped, so the shapes do not report it a second time
        for key in ("part_of", "country", "series", "government_of"):
            if (key, getattr(e, key)) in bad:
                setattr(e, key, None)
        e.member_of = [m for m in e.member_of if ("member_of", m) not in bad]
        if e.government_of:
            other = reg.governments.setdefault(e.government_of, e.id)
            if other != e.id:
                problems.add(e.file, e.line, e.id, f"'{e.government_of}' already has a government, '{other}': "
                                                   "one Organization per country stands for it (name bodies with part_of)")
    _read_sssom(root, reg, problems)
    for e in reg.entities.values():
        if (root / reg.sssom_file).is_file() and e.id not in reg.links:
            problems.add(e.file, e.line, e.id, f"no row in {reg.sssom_file}: add one with its confirmed QID, or with "
                                               f"{NO_TERM} while none is confirmed (`dossier link` proposes candidates)")
        for key, text in (("label", e.label), ("description", e.description or "")):
            m = NOT_NEUTRAL.search(text)
            if m:
                problems.add(e.file, e.line, e.id, f"'{m.group(0)}' in the {key} is a judgement, not a description: "
                                                   "say it in a Statement attributed to whoever makes it")
    return reg


def _read_entity(rec: YMap, file: str, types: set[str], reg: Registry, problems: Problems) -> None:
    name = str(rec.get("id", f"entity at line {rec.line}"))
    r = Reader(rec, file, name, problems)
    r.check_keys(ENTITY_KEYS, {"id", "type", "label"})
    eid, etype, label = r.slug("id"), r.text("type"), r.text("label")
    if etype is not None and etype not in types:
        r.err("type", f"type '{etype}' is not one of {', '.join(sorted(types))}{suggest(etype, types)}")
        etype = None
    if eid is None or etype is None or label is None:
        return
    if eid in reg.entities:
        first = reg.entities[eid]
        r.err("id", f"duplicate entity id '{eid}', already defined at {first.file}:{first.line}; ids are unique across all registry files")
        return
    aliases = r.texts("aliases")  # texts() reports an alias given twice
    if label in aliases:
        r.err("aliases", f"alias '{label}' repeats the label: remove it from aliases")
    reg.entities[eid] = Entity(
        eid, etype, label, aliases, r.text("description"), r.slug("part_of"), r.slug("country"),
        r.texts("member_of"), file, rec.line, r.slug("series"), r.slug("government_of")
    )


def _read_sssom(root: Path, reg: Registry, problems: Problems) -> None:
    path = root / "mappings" / "wikidata.sssom.tsv"
    display = path.relative_to(root).as_posix()
    reg.sssom_file = display
    if not path.exists():
        problems.add(display, 0, "", "the Wikidata link table is missing")
        return
    with reading(display):
        _read_rows(display, read_utf8(path, display, problems, current().file_bytes), reg, problems)


def _read_rows(display: str, text: str | None, reg: Registry, problems: Problems) -> None:
    """Check each row of the link table's ``text`` (None: it could not be read, already reported)."""
    if text is None:
        return
    lines = text.splitlines()
    body = [(i + 1, line) for i, line in enumerate(lines) if line and not line.startswith("#")]
    if not body:
        problems.add(display, 0, "", "no header row")
        return
    header_line, header = body[0]
    columns = header.split("\t")
    if columns != SSSOM_COLUMNS:
        problems.add(display, header_line, "", f"columns must be exactly: {' '.join(SSSOM_COLUMNS)}")
        return
    for lineno, line in body[1:]:
        cells = line.split("\t")  # plain TSV, no quoting: a quote character in a comment stays text
        if len(cells) != len(columns):  # zip() would silently drop extra cells
            problems.add(display, lineno, "", f"expected {len(columns)} tab-separated columns, found {len(cells)}")
            continue
        row = dict(zip(columns, cells))
        subject = row["subject_id"].removeprefix("dossier:")
        if not row["subject_id"].startswith("dossier:") or (subject not in reg.entities and reg.unknown(subject, problems)):
            problems.add(display, lineno, row["subject_id"], f"subject is not a registry id (write dossier:<id>){suggest(subject, reg.entities)}")
            continue
        if subject not in reg.entities:  # its registry file was not read
            continue
        if subject in reg.links:
            problems.add(display, lineno, subject, f"second row for this entity (first on line {reg.links[subject].line})")
            continue
        if row["predicate_id"] != "skos:exactMatch":
            problems.add(display, lineno, subject, "predicate_id must be skos:exactMatch")
            continue
        obj = row["object_id"]
        if obj == NO_TERM:
            qid = None
        else:
            qid = obj.removeprefix("wikidata:")
            if not obj.startswith("wikidata:") or not QID.match(qid):
                problems.add(display, lineno, subject, f"object_id '{obj}' must be wikidata:Q<digits> (no leading zero) or {NO_TERM}")
                continue
        if not row["mapping_justification"].startswith("semapv:"):
            problems.add(display, lineno, subject, "mapping_justification must be a semapv: term, e.g. semapv:ManualMappingCuration")
        if not row["comment"].strip():
            problems.add(display, lineno, subject, "comment must say how the link was confirmed (the evidence)")
        reg.links[subject] = Link(subject, qid, row["object_label"], row["mapping_justification"],
                                  row["author_id"], row["mapping_date"], row["comment"], lineno)
