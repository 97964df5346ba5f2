"""HTML and RDF pages for entities, sources and facts, built from SPARQL queries on the backend.

Each page runs the .rq files in sparql/ (with $this replaced by the resource's IRI, minted
from a checked slug, so nothing from the URL reaches a query unchecked) through the same
backend and limits as /sparql, and renders Jinja2 templates from templates/ (autoescaped).
"""

from __future__ import annotations

import re
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from ..namespace import BASE, SLUG, entity_iri, fact_iri, source_iri
from ..serialize import PREFIXES
from .backend import QueryBackend, select

HERE = Path(__file__).parent
SPARQL = HERE / "sparql"
FACT_PATH = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")

DOS = PREFIXES["dos"]
RDF_TYPE = PREFIXES["rdf"] + "type"
SKOS = PREFIXES["skos"]
SCHEMA = PREFIXES["schema"]
RDFS = PREFIXES["rdfs"]
OA = PREFIXES["oa"]
WIKIDATA = "http://www.wikidata.org/entity/"
GRAPH = BASE + "graph/"
INFERRED = GRAPH + "inferred/"  # each source's and the registry's OWL-RL inferences: graph/inferred/<name>


def _derived(graph: str) -> bool:
    """Whether a named graph holds inferences or the ontology rather than what a source says."""
    return graph.startswith(INFERRED) or graph == GRAPH + "ontology"


#: Properties the entity page shows in its header, not in the table of other statements.
HEADER_PROPERTIES = {
    RDFS + "label", SKOS + "prefLabel", SKOS + "altLabel", SCHEMA + "name", SCHEMA + "identifier",
    SCHEMA + "description", SKOS + "exactMatch", DOS + "wikidataStatus", SCHEMA + "text",
}
FACT_CLASSES = {DOS + "Statement": "Statement", DOS + "Designation": "Designation", DOS + "Participation": "Participation"}

templates = jinja2.Environment(
    loader=jinja2.FileSystemLoader(str(HERE / "templates")),
    autoescape=True,
    trim_blocks=True,
    lstrip_blocks=True,
)


def sparql(name: str, this: str | None = None) -> str:
    """The text of sparql/<name>.rq, with $this bound to the IRI ``this``."""
    text = (SPARQL / f"{name}.rq").read_text(encoding="utf-8")
    return text.replace("$this", f"<{this}>") if this else text


def curie(iri: str) -> str:
    """A short name for an IRI using the project's prefixes (the IRI itself when none fits)."""
    for prefix, ns in sorted(PREFIXES.items(), key=lambda kv: -len(kv[1])):
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{prefix}:{iri[len(ns):]}"
    return iri


def local_href(iri: str) -> str | None:
    """The path on this server of a Dossier IRI (entities, sources, facts), or None."""
    if not iri.startswith(BASE):
        return None
    rest = iri[len(BASE):]
    if rest.startswith(("id/", "source/", "fact/")):
        return "/" + rest
    return None


def value_of(binding: dict | None) -> str | None:
    return binding["value"] if binding else None


@dataclass
class Term:
    """A value to show: text, an optional link, and whether it links off this server."""

    text: str
    href: str | None = None
    external: bool = False
    note: str | None = None

    @classmethod
    def of(cls, binding: dict, label: dict | None = None) -> "Term":
        value = binding["value"]
        if binding["type"] != "uri":
            note = binding.get("xml:lang") or (curie(binding["datatype"]) if "datatype" in binding else None)
            return cls(value, note=note)
        href = local_href(value)
        text = value_of(label) or curie(value)
        if href:
            return cls(text, href)
        if value.startswith(WIKIDATA):
            return cls(text, "https://www.wikidata.org/wiki/" + value[len(WIKIDATA):], True)
        return cls(text, value if value.startswith(("http://", "https://")) else None, True)


@dataclass
class Quote:
    exact: str
    prefix: str = ""
    suffix: str = ""
    claimant: Term | None = None
    start: int = 0


@dataclass
class Fact:
    iri: str
    kind: str
    label: str
    role: str = ""
    source: Term | None = None
    quotes: list[Quote] = field(default_factory=list)

    @property
    def href(self) -> str:
        return local_href(self.iri) or self.iri


def _quote(row: dict) -> Quote | None:
    if "exact" not in row:
        return None
    claimant = Term.of(row["claimant"], row.get("claimantLabel")) if "claimant" in row else None
    return Quote(row["exact"]["value"], value_of(row.get("prefix")) or "", value_of(row.get("suffix")) or "", claimant, int(row["start"]["value"]))


def _add_quote(quotes: list[Quote], quote: Quote | None) -> None:
    if quote and not any((q.exact, q.start, q.claimant) == (quote.exact, quote.start, quote.claimant) for q in quotes):
        quotes.append(quote)


async def entity_context(backend: QueryBackend, slug: str, timeout: float) -> dict | None:
    """Everything the entity page shows, or None if the graph says nothing of the entity."""
    iri = str(entity_iri(slug))
    rows = await select(backend, sparql("entity", iri), timeout)
    if not rows:
        return None
    by_property: dict[str, list[dict]] = {}
    for row in rows:
        by_property.setdefault(row["property"]["value"], []).append(row)

    def first(prop: str) -> str | None:
        return next((r["value"]["value"] for r in by_property.get(prop, [])), None)

    aliases = sorted({r["value"]["value"] for r in by_property.get(SKOS + "altLabel", [])})
    wikidata = [r["value"]["value"] for r in by_property.get(SKOS + "exactMatch", []) if r["value"]["value"].startswith(WIKIDATA)]
    classes = sorted(
        {
            curie(r["value"]["value"]).split(":")[-1]
            for r in by_property.get(RDF_TYPE, [])
            if r["value"]["value"].startswith(DOS) and not r["graph"]["value"].startswith(INFERRED)
        }
    )
    others, seen = [], set()
    for row in rows:
        prop, graph = row["property"]["value"], row["graph"]["value"]
        if prop in HEADER_PROPERTIES or prop == RDF_TYPE or _derived(graph):
            continue
        key = (prop, row["value"]["value"], graph)
        if key in seen:
            continue
        seen.add(key)
        source = graph[len(GRAPH):] if graph.startswith(GRAPH) else graph
        source_term = Term(source, f"/source/{source}") if SLUG.match(source) and source != "entities" else None
        others.append({"property": curie(prop), "value": Term.of(row["value"], row.get("valueLabel")), "source": source_term})
    others.sort(key=lambda o: (o["property"], o["value"].text))

    facts: OrderedDict[str, Fact] = OrderedDict()
    for row in await select(backend, sparql("entity-facts", iri), timeout):
        key = row["fact"]["value"]
        fact = facts.get(key)
        if fact is None:
            fact = facts[key] = Fact(
                key,
                FACT_CLASSES.get(row["class"]["value"], curie(row["class"]["value"])),
                row["factLabel"]["value"],
                curie(row["role"]["value"]),
                Term.of(row["source"], row["sourceName"]),
            )
        _add_quote(fact.quotes, _quote(row))

    values: OrderedDict[tuple, dict] = OrderedDict()
    mentions: list[dict] = []
    for row in await select(backend, sparql("entity-evidence", iri), timeout):
        quote = _quote(row)
        source = Term.of(row["source"], row["sourceName"])
        if "property" in row:
            key = (row["property"]["value"], row["value"]["value"], row["source"]["value"])
            entry = values.setdefault(
                key, {"property": curie(row["property"]["value"]), "value": Term.of(row["value"], row.get("valueLabel")), "source": source, "quotes": []}
            )
            _add_quote(entry["quotes"], quote)
        elif row["motivation"]["value"] == OA + "identifying":
            mentions.append({"source": source, "quote": quote})

    label = first(SKOS + "prefLabel") or first(RDFS + "label") or slug
    return {
        "iri": iri,
        "label": label,
        "classes": classes,
        "description": first(SCHEMA + "description"),
        "aliases": aliases,
        "wikidata": [(w[len(WIKIDATA):], "https://www.wikidata.org/wiki/" + w[len(WIKIDATA):]) for w in wikidata],
        "wikidata_status": first(DOS + "wikidataStatus"),
        "others": others,
        "facts": list(facts.values()),
        "values": list(values.values()),
        "mentions": mentions,
    }


@dataclass
class Evidence:
    n: int
    iri: str
    body: Term
    kind: str
    exact: str
    start: int
    end: int
    claimant: Term | None
    property: str | None = None
    value: Term | None = None
    mention: bool = False


def highlight(text: str, spans: list[tuple[int, int, int]]) -> list[tuple[str, list[int]]]:
    """``text`` cut at every span boundary: (piece, numbers of the spans covering it); spans may overlap."""
    cuts = sorted({0, len(text)} | {s for s, _, _ in spans} | {e for _, e, _ in spans})
    out = []
    for a, b in zip(cuts, cuts[1:]):
        if a >= b:
            continue
        covering = [n for s, e, n in spans if s <= a and b <= e]
        out.append((text[a:b], covering))
    return out


async def source_context(backend: QueryBackend, slug: str, timeout: float) -> dict | None:
    """Everything the source page shows, or None if the graph holds no such source."""
    iri = str(source_iri(slug))
    rows = await select(backend, sparql("entity", iri), timeout)
    if not any(r["property"]["value"] == SCHEMA + "text" for r in rows):
        return None
    meta: dict[str, list[Term]] = {}
    text = ""
    for row in rows:
        prop = row["property"]["value"]
        if prop == SCHEMA + "text":
            text = row["value"]["value"]
            continue
        if _derived(row["graph"]["value"]) or prop in (RDFS + "label", SCHEMA + "identifier"):
            continue
        term = Term.of(row["value"], row.get("valueLabel"))
        if prop == RDF_TYPE and not row["value"]["value"].startswith(DOS):
            continue
        terms = meta.setdefault(curie(prop), [])
        if term not in terms:
            terms.append(term)
    title = meta.pop("schema:name", [Term(slug)])[0].text

    evidence: list[Evidence] = []
    seen: set[str] = set()
    for row in await select(backend, sparql("source-evidence", iri), timeout):
        key = row["evidence"]["value"]
        if key in seen:
            continue
        seen.add(key)
        cls = row["class"]["value"]
        evidence.append(
            Evidence(
                n=len(evidence) + 1,
                iri=key,
                body=Term.of(row["body"], row.get("bodyLabel")),
                kind=FACT_CLASSES.get(cls, curie(cls).split(":")[-1]),
                exact=row["exact"]["value"],
                start=int(row["start"]["value"]),
                end=int(row["end"]["value"]),
                claimant=Term.of(row["claimant"], row.get("claimantLabel")),
                property=curie(row["property"]["value"]) if "property" in row else None,
                value=Term.of(row["value"], row.get("valueLabel")) if "value" in row else None,
                mention=row["motivation"]["value"] == OA + "identifying",
            )
        )
    spans = [(e.start, e.end, e.n) for e in evidence if 0 <= e.start < e.end <= len(text)]
    first_piece: dict[int, int] = {}
    pieces = []
    for i, (piece, covering) in enumerate(highlight(text, spans)):
        for n in covering:
            first_piece.setdefault(n, i)
        pieces.append({"text": piece, "covering": covering, "mention_only": all(evidence[n - 1].mention for n in covering)})
    for n, i in first_piece.items():
        pieces[i].setdefault("anchors", []).append(n)
    facts = [e for e in evidence if e.body.href and e.body.href.startswith("/fact/")]
    fact_ids = {}
    for e in facts:
        fact_ids.setdefault(e.body.href.rsplit("/", 1)[-1], e.n)
    return {
        "iri": iri,
        "slug": slug,
        "title": title,
        "meta": sorted(meta.items()),
        "pieces": pieces,
        "facts": facts,
        "values": [e for e in evidence if e.property],
        "mentions": [e for e in evidence if e.mention],
        "fact_ids": fact_ids,
    }


async def index_context(backend: QueryBackend, timeout: float) -> dict:
    """The lists of sources and entities for the index page."""
    sources = [
        {"term": Term.of(r["source"], r["name"]), "date": value_of(r.get("date")), "publisher": value_of(r.get("publisherLabel"))}
        for r in await select(backend, sparql("sources"), timeout)
    ]
    entities: OrderedDict[str, list[Term]] = OrderedDict()
    for r in await select(backend, sparql("entities"), timeout):
        entities.setdefault(curie(r["class"]["value"]).split(":")[-1], []).append(Term.of(r["entity"], r["label"]))
    return {"sources": sources, "entities": list(entities.items())}


def examples(queries_dir: Path) -> list[dict[str, str]]:
    """The example queries (queries/*.rq), each titled by its first line ``# <title>``."""
    out = []
    for path in sorted(queries_dir.glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        first = text.splitlines()[0] if text else ""
        title = first[1:].strip() if first.startswith("#") else path.stem.replace("-", " ")
        out.append({"name": path.stem, "title": title, "query": text})
    return out


def render(template: str, **context) -> str:
    return templates.get_template(template).render(**context)


def fact_redirect(source: str, fact: str) -> str | None:
    """Where a fact's page is: its entry on its source's page; None for a malformed path."""
    if not (SLUG.match(source) and FACT_PATH.match(fact)):
        return None
    return f"/source/{source}#fact-{fact}"


def checked_fact_iri(source: str, fact: str) -> str | None:
    if not (SLUG.match(source) and all(FACT_PATH.match(part) for part in fact.split("/"))):
        return None
    return str(fact_iri(source, fact))
