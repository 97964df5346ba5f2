"""Turn one document mapping (mappings/<slug>.yaml) into the triples of its named graph.

Each record is checked against records.SECTIONS; each quote is located in the document text
and becomes a Web Annotation (oa:TextQuoteSelector + oa:TextPositionSelector) on the fact.
Every defect is reported with file and line; nothing is emitted for a defective record.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, XSD

from .dates import DateError, PartialDate, definitely_before, parse_date
from .fields import Reader, suggest
from .limits import current
from .namespace import DOS, OA, SCHEMA, SLUG, entity_iri, fact_iri, source_iri
from .problems import Problems, reading
from .quotes import DocumentText
from .records import EVIDENCE_KEYS, EXPECT_KEYS, SECTIONS, SOURCE_FIELDS, TOP_KEYS, Field
from .registry import Registry
from .yamlfile import YList, YMap, load_yaml, read_utf8

CONTEXT = 32  # characters of oa:prefix / oa:suffix kept around each quote


@dataclass
class Context:
    """What a mapping is read against: the registry and the ontology's controlled values."""

    registry: Registry
    concepts: dict[URIRef, dict[str, URIRef]]  # scheme -> notation -> concept
    concept_labels: dict[URIRef, str]


@dataclass
class MappedDocument:
    slug: str
    graph: Graph
    locations: dict[URIRef, tuple[str, int]] = field(default_factory=dict)  # node -> (file, line)
    counts: dict[str, int] = field(default_factory=dict)


def read_document(root: Path, path: Path, ctx: Context, problems: Problems) -> MappedDocument | None:
    """Read, check and map one document; returns None when it has defects (all added to ``problems``)."""
    display = path.relative_to(root).as_posix()
    with reading(display):
        return _read(root, path, display, ctx, problems)


def _read(root: Path, path: Path, display: str, ctx: Context, problems: Problems) -> MappedDocument | None:
    before = len(problems)
    data = load_yaml(path, display, problems)
    if data is None:
        return None
    if not isinstance(data, YMap):
        problems.add(display, 1, "", "a document mapping is a mapping with 'source:' and fact sections")
        return None
    top = Reader(data, display, "", problems)
    top.check_keys(TOP_KEYS, {"source"})
    src = data.get("source")
    if not isinstance(src, YMap):
        if "source" in data:
            problems.add(display, data.line_of("source"), "source", "'source' must be a mapping")
        return None
    m = _Mapper(root, display, path, ctx, problems)
    if not m.read_source(src):
        return None
    for name, section in SECTIONS.items():
        records = data.get(name)
        if records is None:
            continue
        if not isinstance(records, YList):
            problems.add(display, data.line_of(name), name, f"'{name}' must be a list of records")
            continue
        m.read_section(name, section, records)
    m.resolve_refs()
    if "expect" in data:
        # a defective record yields nothing; counting it short would only repeat its own error
        m.check_expectations(data["expect"], compare=len(problems) == before)
    if len(problems) > before:
        return None
    return MappedDocument(m.slug, m.g, m.locations, m.counts)


class _Mapper:
    def __init__(self, root: Path, display: str, path: Path, ctx: Context, problems: Problems):
        self.root, self.file, self.path, self.ctx, self.problems = root, display, path, ctx, problems
        self.g = Graph()
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

    # ---------------------------------------------------------------- values

    def _values(self, r: Reader, key: str, f: Field) -> list:
        """The RDF objects for field ``key`` of the record, or [] after reporting a defect."""
        reg = self.ctx.registry.entities
        if f.kind == "text":
            v = r.text(key)
            return [Literal(v)] if v else []
        if f.kind == "int":
            n = r.whole(key)
            return [] if n is None else [Literal(n)]
        if f.kind == "url":
            v = r.iri(key)
            return [Literal(v, datatype=XSD.anyURI)] if v else []
        if f.kind == "bool":
            v = r.text(key)
            if v is None:
                return []
            if v not in ("true", "false"):
                r.err(key, f"{key} '{v}' is not true or false")
                return []
            return [Literal(v == "true")]
        if f.kind == "date":
            d = self._date(r, key)
            return [d.literal()] if d else []
        if f.kind == "concept":
            v = r.text(key)
            if v is None:
                return []
            known = self.ctx.concepts.get(f.scheme, {})
            if v not in known:
                r.err(key, f"{key} '{v}' is not one of: {', '.join(known)}{suggest(v, known)}")
                return []
            return [known[v]]
        if f.kind in ("entity", "entities"):
            names = r.texts(key) if f.kind == "entities" else ([r.text(key)] if r.text(key) else [])
            if f.kind == "entity" and isinstance(r.rec.get(key), YList):
                r.err(key, f"'{key}' takes one registry id, not a list")
                return []
            out = []
            for name in names:
                e = reg.get(name)
                if e is None and not self.ctx.registry.unknown(name, self.problems):
                    continue  # its registry file was not read: said once, not per reference
                if e is None:
                    r.err(key, f"unknown entity id '{name}'{suggest(name, reg)}; add it to mappings/entities/ first")
                elif e.type not in f.types:
                    r.err(key, f"'{name}' is a {e.type}; {key} must be a {' or '.join(f.types)}")
                elif f.acting:
                    actor = self._actor(r, key, f, name)
                    if actor:
                        out.append(entity_iri(actor))
                else:
                    out.append(entity_iri(name))
            return out
        raise ValueError(f"field kind {f.kind}")

    def _actor(self, r: Reader, key: str, f: Field, name: str) -> str | None:
        """Who acts when the mapping names ``name``: a country stands for its government (mappings/README.md)."""
        reg = self.ctx.registry
        e = reg.entities[name]
        if e.type == "Place":
            gov = reg.acting_for(name)
            if gov is None:
                r.err(key, f"'{name}' is a place, which cannot act: name the government or body that did, or register "
                           f"the government of '{name}' (government_of: {name}) so the name stands for it")
            return gov
        if f.acting == "authority" and e.type == "Organization" and e.country in reg.governments:
            gov = reg.governments[e.country]
            if reg.government_above(name) != gov:
                r.err(key, f"'{name}' acts for {e.country} but is not part of '{gov}': give it part_of {gov} "
                           "(or a body of it) in the registry, so designations by that state find it")
                return None
        return name

    def _date(self, r: Reader, key: str) -> PartialDate | None:
        v = r.text(key)
        if v is None:
            return None
        try:
            return parse_date(v)
        except DateError as exc:
            r.err(key, str(exc))
            return None

    def _described(self, r: Reader, key: str, node: URIRef) -> URIRef:
        """An unnamed or collective agent ('families of the victims'), known only by the source's description."""
        agent = URIRef(f"{node}/{key.split('_')[0]}")
        self.g.add((agent, RDF.type, DOS.DescribedAgent))
        self.g.add((agent, RDFS.label, Literal(r.text(key))))
        self.g.add((agent, PROV.wasDerivedFrom, self.src))
        self.described[agent] = r.text(key)
        return agent

    def _bounds(self, node: URIRef, values: dict) -> None:
        """schema.org's reading of the qualifier: 'at least N' and 'more than N' bound from below, 'up to N' from above."""
        n, q = values.get("value"), values.get("qualifier")
        if not n or not q:
            return
        notation = str(q[0]).rsplit("/", 1)[-1]
        if notation in ("at-least", "more-than"):
            self.g.add((node, SCHEMA.minValue, Literal(int(n[0]) + (notation == "more-than"))))
        elif notation == "up-to":
            self.g.add((node, SCHEMA.maxValue, n[0]))

    def _label(self, iri: URIRef) -> str:
        if iri in self.described:
            return self.described[iri]
        slug = str(iri).rsplit("/", 1)[1]
        e = self.ctx.registry.entities.get(slug)
        return e.label if e else self.ctx.concept_labels.get(iri, slug)

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

    # ---------------------------------------------------------------- evidence

    def _evidence(self, r: Reader, node: URIRef, body: URIRef, motivation: URIRef,
                  prop: URIRef | None = None, value=None) -> bool:
        """Locate the record's quote(s) and attach one annotation per quote to ``body``."""
        quotes = r.texts("quotes") if "quotes" in r.rec else r.texts("quote")
        if "quote" in r.rec and "quotes" in r.rec:
            r.err("quotes", "give either 'quote' or 'quotes', not both")
            return False
        if not quotes:
            if "quote" not in r.rec and "quotes" not in r.rec:
                r.err(None, "missing 'quote': every fact needs the verbatim words of the document that support it")
            return False
        occurrence = None
        if "occurrence" in r.rec:
            occurrence = r.whole("occurrence")
            if occurrence is None:
                return False
            if occurrence < 1:
                r.err("occurrence", "occurrence counts from 1 (the first time the quote occurs)")
                return False
        claimants = self.authors
        if "claimed_by" in r.rec:
            claimants = self._values(r, "claimed_by", Field("entities", types=("Organization", "Person")))
            if not claimants:
                return False
        note = r.text("date_note") if "date_note" in r.rec else None
        ok = True
        key = "quotes" if "quotes" in r.rec else "quote"
        for i, quote in enumerate(quotes, start=1):
            spans = self.doc.find_all(quote)
            if not spans:
                r.err(key, f"quote not found in documents/{self.slug}.txt: '{_short(quote)}' ({self.doc.closest_hint(quote)})")
                ok = False
                continue
            if occurrence is not None:
                if occurrence > len(spans):
                    r.err("occurrence", f"the quote occurs {len(spans)} time(s), not {occurrence}")
                    ok = False
                    continue
                spans = [spans[occurrence - 1]]
            elif len(spans) > 1:
                where = ", ".join(str(s) for s, _ in spans)
                r.err(key, f"quote occurs {len(spans)} times (at characters {where}): lengthen it or add 'occurrence: N'")
                ok = False
                continue
            start, end = spans[0]
            split = self.doc.split_cluster(start, end)
            if split:
                r.err(key, f"quote '{_short(quote)}' cuts a character of documents/{self.slug}.txt in two: {split}")
                ok = False
                continue
            ann = node if node != body or prop else URIRef(f"{node}/evidence")
            if len(quotes) > 1:
                ann = URIRef(f"{ann}-{i}")
            self._annotation(ann, body, motivation, start, end, claimants, prop, value, note)
            self.locations[ann] = (self.file, r.line(key))
        return ok

    def _annotation(self, ann, body, motivation, start, end, claimants, prop, value, note=None) -> None:
        g, text = self.g, self.doc.text
        target, qsel, psel = URIRef(f"{ann}#target"), URIRef(f"{ann}#quote"), URIRef(f"{ann}#position")
        g.add((ann, RDF.type, DOS.Evidence))
        g.add((ann, RDF.type, OA.Annotation))
        g.add((ann, OA.hasBody, body))
        g.add((ann, OA.motivatedBy, motivation))
        g.add((ann, OA.hasTarget, target))
        for c in claimants:
            g.add((ann, DOS.claimedBy, c))
        if note:
            g.add((ann, DOS.dateNote, Literal(note)))
        if prop is not None:
            g.add((ann, DOS.supportsProperty, prop))
            g.add((ann, DOS.supportsValue, value))
        g.add((target, RDF.type, OA.SpecificResource))
        g.add((target, OA.hasSource, self.src))
        g.add((target, OA.hasSelector, qsel))
        g.add((target, OA.hasSelector, psel))
        g.add((qsel, RDF.type, OA.TextQuoteSelector))
        g.add((qsel, OA.exact, Literal(text[start:end])))
        g.add((qsel, OA.prefix, Literal(text[max(0, start - CONTEXT):start])))
        g.add((qsel, OA.suffix, Literal(text[end:end + CONTEXT])))
        g.add((psel, RDF.type, OA.TextPositionSelector))
        g.add((psel, OA.start, Literal(start, datatype=XSD.nonNegativeInteger)))
        g.add((psel, OA.end, Literal(end, datatype=XSD.nonNegativeInteger)))

    # ---------------------------------------------------------------- expectations

    def check_expectations(self, exp, compare: bool = True) -> None:
        """Check the expect: block's form; with ``compare``, check the mapping yields what it states."""
        if not isinstance(exp, YMap):
            self.problems.add(self.file, exp.line, "expect", "'expect' must be a mapping")
            return
        r = Reader(exp, self.file, "expect", self.problems)
        r.check_keys(EXPECT_KEYS, set())
        for key in sorted(exp):
            if key.startswith("min_") and key in EXPECT_KEYS:
                want = r.whole(key)
                if want is None or not compare:
                    continue
                got = self.counts[key[4:]]
                if got < want:
                    r.err(key, f"expected at least {want} {key[4:]}, the mapping yields {got}")
        for name in r.texts("entities"):
            if compare and name not in self.mentioned:
                r.err("entities", f"expected entity '{name}' is not among this document's mentions")


class _Default(dict):
    def __missing__(self, key):
        return "?"


def _short(text: str, n: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"
