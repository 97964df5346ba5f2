"""A record field's RDF objects: text, numbers, dates, controlled values, registry entities."""

from __future__ import annotations

from rdflib import Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, XSD

from ..dates import DateError, PartialDate, parse_date
from ..fields import Reader, suggest
from ..namespace import DOS, SCHEMA, entity_iri
from ..records import Field
from ..yamlfile import YList


class Values:
    """Field values for the Mapper: reads ``ctx``, ``g``, ``src`` and ``described`` of the instance."""

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
