"""Curated background (mappings/curated/memberships.yaml): dated offices and memberships that are common
knowledge but that no document of the corpus states, each with a reference, in its own named graph.

They are never a source's statement: each is a dos:CuratedMembership attributed to the project
(prov:wasAttributedTo), with its reference as a plain schema:citation pointer and no quote. The
fields and their predicates are those of a mapping's ``memberships`` section (records.py), plus
``citation``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS

from .dates import DateError, definitely_before, parse_date
from .fields import Reader, suggest
from .namespace import BASE, DOS, SCHEMA, entity_iri, graph_iri
from .problems import Problems, reading
from .records import SECTIONS
from .registry import Registry
from .yamlfile import YList, YMap, load_yaml

FILE = Path("mappings") / "curated" / "memberships.yaml"
GRAPH = graph_iri("curated")
#: Who curates the background: the project, never a source.
PROJECT = URIRef(BASE + "project")
FIELDS = SECTIONS["memberships"].fields
KEYS = {"id", "citation", *FIELDS}


def curated_iri(slug: str) -> URIRef:
    return URIRef(f"{BASE}curated/{slug}")


@dataclass
class Curated:
    graph: Graph = field(default_factory=Graph)
    locations: dict = field(default_factory=dict)  # node -> (file, line)


def load_curated(root: Path, reg: Registry, concepts: dict, problems: Problems) -> Curated:
    """Read the curated memberships (none when the file is absent); each defect goes to ``problems`` at file:line."""
    out = Curated()
    path = root / FILE
    if not path.is_file():
        return out
    display = FILE.as_posix()
    data = load_yaml(path, display, problems)
    if data is None:
        return out
    if not isinstance(data, YList):
        problems.add(display, getattr(data, "line", 1), "", "the curated memberships file is a list of records")
        return out
    g = out.graph
    g.add((PROJECT, RDF.type, PROV.Organization))
    g.add((PROJECT, RDFS.label, Literal("Dossier project", lang="en")))
    seen: dict[str, int] = {}
    with reading(display):
        for rec in data:
            if not isinstance(rec, YMap):
                problems.add(display, rec.line, "", "each curated membership is a mapping with id, member, organization...")
                continue
            node = _record(rec, display, reg, concepts, seen, g, problems)
            if node is not None:
                out.locations[node] = (display, rec.line)
    return out


def _record(rec: YMap, file: str, reg: Registry, concepts: dict, seen: dict, g: Graph, problems: Problems):
    rid = rec.get("id")
    r = Reader(rec, file, f"curated membership {rid}" if rid else "curated membership", problems)
    before = len(problems)
    r.check_keys(KEYS, {"id", "citation"} | {k for k, f in FIELDS.items() if f.required})
    rid = r.slug("id")
    if rid is not None and rid in seen:
        r.err("id", f"duplicate id '{rid}' (first at line {seen[rid]})")
    elif rid is not None:
        seen[rid] = rec.line
    citation = r.iri("citation")
    values: dict[str, list] = {}
    dates = {}
    for key, f in FIELDS.items():
        if key not in rec:
            continue
        if f.kind == "entity":
            name = r.text(key)
            e = reg.entities.get(name) if name else None
            if name and e is None:
                r.err(key, f"unknown entity id '{name}'{suggest(name, reg.entities)}; add it to mappings/entities/ first")
            elif e is not None and e.type not in f.types:
                r.err(key, f"'{name}' is a {e.type}; {key} must be a {' or '.join(f.types)}")
            elif e is not None:
                values[key] = [entity_iri(name)]
        elif f.kind == "concept":
            v = r.text(key)
            known = concepts.get(f.scheme, {})
            if v is not None and v not in known:
                r.err(key, f"{key} '{v}' is not one of: {', '.join(known)}{suggest(v, known)}")
            elif v is not None:
                values[key] = [known[v]]
        elif f.kind == "date":
            v = r.text(key)
            try:
                dates[key] = parse_date(v) if v is not None else None
            except DateError as exc:
                r.err(key, str(exc))
            if dates.get(key):
                values[key] = [dates[key].literal()]
        else:
            v = r.text(key)
            if v is not None:
                values[key] = [Literal(v)]
    if dates.get("start") and dates.get("end") and definitely_before(dates["end"], dates["start"]):
        r.err("end", f"end {dates['end'].text} is before start {dates['start'].text}")
    if len(problems) > before or rid is None or citation is None:
        return None
    node = curated_iri(rid)
    g.add((node, RDF.type, DOS.CuratedMembership))
    names = {k: reg.entities[str(v[0]).rsplit("/", 1)[1]].label for k, v in values.items() if k in ("member", "organization")}
    role = f", {values['role'][0]}" if "role" in values else ""
    g.add((node, RDFS.label, Literal(f"{names['member']}{role}, {names['organization']} (curated background)")))
    for key, objs in values.items():
        for obj in objs:
            g.add((node, FIELDS[key].predicate, obj))
    g.add((node, SCHEMA.citation, URIRef(citation)))
    g.add((node, PROV.wasAttributedTo, PROJECT))
    return node
