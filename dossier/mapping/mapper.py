"""The mapping reader's state and its walk over the source record and the fact sections."""

from __future__ import annotations

import hashlib
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS

from ..dates import definitely_before
from ..fields import Reader, suggest
from ..limits import current
from ..namespace import DOS, OA, SCHEMA, SLUG, fact_iri, source_iri
from ..problems import Problems
from ..quotes import DocumentText
from ..records import EVIDENCE_KEYS, SECTIONS, SOURCE_FIELDS, Field
from ..yamlfile import YList, YMap, read_utf8
from .context import Context
from .evidence import Evidence
from .values import Values


class Mapper(Values, Evidence):
    """One mapping being read: the graph it yields, where each node was stated, its record ids."""

    def __init__(self, root: Path, display: str, path: Path, ctx: Context, problems: Problems):
        self.root, self.file, self.path, self.ctx, self.problems = root, display, path, ctx, problems
        self.g = Graph(store="SimpleMemory")  # rdflib's store without named graphs: twice as fast to fill and read
        self.locations: dict[URIRef, tuple[str, int]] = {}
        self.counts: dict[str, int] = {name: 0 for name in SECTIONS}
        self.ids: dict[str, tuple[str, int]] = {}  # record id -> (section, line)
        self.refs: list[tuple[Reader, str, URIRef, Field, str]] = []
        self.mentioned: set[str] = set()
        self.mention_seq: dict[str, int] = {}
        self.described: dict[URIRef, str] = {}  # described agents: node -> the source's description

    # ---------------------------------------------------------------- source

    def read_source(self, rec: YMap) -> bool:
        """Read the source record; False only when the rest cannot be checked (no id, no text).

        Other defects (a bad date, url or checksum) are reported and reading goes on, so one run
        lists every defect of the mapping; read_document then emits nothing for it.
        """
        r = Reader(rec, self.file, "source", self.problems)
        r.check_keys(set(SOURCE_FIELDS), {k for k, f in SOURCE_FIELDS.items() if f.required})
        slug = r.slug("id")
        if slug is None:
            return False
        if slug != self.path.stem:
            r.err("id", f"source id '{slug}' must equal the mapping's file name '{self.path.stem}'")
            return False
        self.slug = slug
        self.src = source_iri(slug)
        text_path = self.root / "documents" / f"{slug}.txt"
        if not text_path.exists():
            r.err("id", f"documents/{slug}.txt is missing: add the document's text under that name")
            return False
        # a strict UTF-8 decoding gives back the very bytes when encoded again: the checksum is the file's
        text = read_utf8(text_path, f"documents/{slug}.txt", self.problems, current().document_bytes, hidden=False)
        if text is None:
            return False
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        recorded = r.text("sha256")
        if recorded is not None and recorded != digest:
            r.err("sha256", f"documents/{slug}.txt has sha256 {digest}, not the recorded {recorded}: "
                            "the text changed since it was mapped; restore it, or re-check every quote and record the new checksum")
        self.doc = DocumentText(text)
        g, s = self.g, self.src
        g.add((s, RDF.type, DOS.Source))
        g.add((s, SCHEMA.text, Literal(text)))
        g.add((s, SCHEMA.sha256, Literal(digest)))
        g.add((s, SCHEMA.identifier, Literal(slug)))
        self.locations[s] = (self.file, rec.line)
        self.authors: list[URIRef] = []
        for key, f in SOURCE_FIELDS.items():
            if f.predicate is None or key not in rec:
                continue
            for obj in self._values(r, key, f):
                g.add((s, f.predicate, obj))
                if key == "author":
                    self.authors.append(obj)
        title = r.text("title")
        if title:
            g.add((s, RDFS.label, Literal(title)))
        return True

    # ---------------------------------------------------------------- sections

    def read_section(self, name: str, section, records: YList) -> None:
        for rec in records:
            if not isinstance(rec, YMap):
                self.problems.add(self.file, rec.line, name, "each record is a mapping of keys to values")
                continue
            if name == "mentions":
                self._mention(rec)
            else:
                self._record(name, section, rec)

    def _mention(self, rec: YMap) -> None:
        ename = str(rec.get("entity", "?"))
        r = Reader(rec, self.file, f"mention of {ename}", self.problems)
        r.check_keys({"entity"} | EVIDENCE_KEYS, {"entity"})
        objs = self._values(r, "entity", SECTIONS["mentions"].fields["entity"])
        if not objs:
            return
        seq = self.mention_seq[ename] = self.mention_seq.get(ename, 0) + 1
        node = fact_iri(self.slug, f"mention-{ename}" + (f"-{seq}" if seq > 1 else ""))
        if self._evidence(r, node, objs[0], OA.identifying):
            self.mentioned.add(ename)
            self.counts["mentions"] += 1

    def _record(self, name: str, section, rec: YMap) -> None:
        rid = rec.get("id")
        r = Reader(rec, self.file, f"{name[:-1]} {rid}" if rid else name[:-1], self.problems)
        before = len(self.problems)
        r.check_keys({"id"} | set(section.fields) | EVIDENCE_KEYS,
                     {"id"} | {k for k, f in section.fields.items() if f.required})
        rid = r.slug("id")
        if rid is None:
            return
        if rid in self.ids:
            r.err("id", f"duplicate id '{rid}' in this document (first at line {self.ids[rid][1]})")
            return
        self.ids[rid] = (name, rec.line)
        node = fact_iri(self.slug, rid)
        values: dict[str, list] = {}
        for key, f in section.fields.items():
            if key in rec and f.kind == "described":
                r.text(key)  # checked here, made into a node once the record is known to be sound
            elif key in rec and f.kind not in ("ref", "refs"):
                values[key] = self._values(r, key, f)
        if name in ("designations", "memberships"):
            self._check_interval(r)
        if name == "statements" and ("speaker" in rec) == ("speaker_described" in rec):
            r.err(None, "give the speaker as a registry id (speaker) or, for an unnamed or collective one, "
                        "describe it (speaker_described), exactly one of the two")
        if name == "events" and not (set(rec) & {"date", "end_date", "place", "deaths"}):
            r.err(None, "an events record states at least one of date, end_date, place, deaths")
        if len(self.problems) > before:
            return
        if name == "events":
            self._event_values(r, node, values)
            return
        g = self.g
        g.add((node, RDF.type, section.cls))
        g.add((node, PROV.wasDerivedFrom, self.src))
        for key, f in section.fields.items():
            if f.kind == "described" and key in rec:
                values[key.split("_")[0]] = [self._described(r, key, node)]
        labels = {k: self._label(v[0]) for k, v in values.items() if v and isinstance(v[0], URIRef)}
        g.add((node, RDFS.label, Literal(section.label.format_map(_Default(labels)))))
        for key, objs in values.items():
            for obj in objs:
                g.add((node, section.fields[key].predicate, obj))
        if name == "quantities":
            self._bounds(node, values)
        for key, f in section.fields.items():
            if f.kind in ("ref", "refs") and key in rec:
                if f.kind == "ref" and isinstance(rec.get(key), YList):
                    r.err(key, f"'{key}' takes one record id, not a list")
                    continue
                for target in r.texts(key):
                    if SLUG.fullmatch(target):
                        self.refs.append((r, key, node, f, target))
                    else:
                        r.err(key, f"'{target}' is not a record id: use lowercase letters, digits and single hyphens")
        if self._evidence(r, node, node, OA.describing):
            self.counts[name] += 1
            self.locations[node] = (self.file, rec.line)

    def _event_values(self, r: Reader, node: URIRef, values: dict[str, list]) -> None:
        """An event's date, place or toll as this source gives it: each value gets its own evidence."""
        event = values["event"][0]
        fields = SECTIONS["events"].fields
        ok = True
        for key, objs in values.items():
            if key == "event":
                continue
            for obj in objs:
                self.g.add((event, fields[key].predicate, obj))
                ann = URIRef(f"{node}/{key}")
                ok &= self._evidence(r, ann, event, OA.describing, fields[key].predicate, obj)
        if ok:
            self.counts["events"] += 1
            self.locations[node] = (self.file, r.rec.line)

    def _check_interval(self, r: Reader) -> None:
        dates = {k: self._date(r, k) for k in ("listed", "start", "end") if k in r.rec}
        start, end, listed = dates.get("start"), dates.get("end"), dates.get("listed")
        if start and end and definitely_before(end, start):
            r.err("end", f"end {end.text} is before start {start.text}")
        if listed and end and definitely_before(end, listed):
            r.err("end", f"end {end.text} is before the listing date {listed.text}")

    def resolve_refs(self) -> None:
        for r, key, node, f, target in self.refs:
            if target not in self.ids:
                r.err(key, f"'{target}' is not a record id in this document{suggest(target, self.ids)}")
            elif self.ids[target][0] != f.section:
                r.err(key, f"'{target}' is a {self.ids[target][0][:-1]}; {key} must name a {f.section[:-1]}")
            else:
                self.g.add((node, f.predicate, fact_iri(self.slug, target)))


class _Default(dict):
    def __missing__(self, key):
        return "?"
