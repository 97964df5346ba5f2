"""HTML pages for entities, events, sources and the index, built from SPARQL queries on the backend.

Each page runs the .rq files in sparql/ (their variables bound by a VALUES clause to IRIs minted
from a checked slug) through the same backend and limits as /sparql, and renders the Jinja2
templates of templates/ (autoescaped). Properties, roles and concepts are named by their ontology
labels; the facts about an entity are grouped by kind into sections, each counted in SPARQL and
read one page at a time (sections.py).
"""

from __future__ import annotations

import re
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

import jinja2

from ..namespace import BASE, DOS, SLUG, entity_iri, fact_iri, graph_iri, source_iri
from ..serialize import PREFIXES
from . import neighbourhood, sections
from .backend import QueryBackend, select
from .terms import WIKIDATA, Term, ontology_labels, sparql, value_of

HERE = Path(__file__).parent
FACT_PATH = re.compile(r"\A[a-z][a-z0-9]*(-[a-z0-9]+)*\Z")

RDF_TYPE = PREFIXES["rdf"] + "type"
SKOS = PREFIXES["skos"]
SCHEMA = PREFIXES["schema"]
RDFS = PREFIXES["rdfs"]
OA = PREFIXES["oa"]
GRAPH = BASE + "graph/"
INFERRED = GRAPH + "inferred/"  # each source's and the registry's OWL-RL inferences: graph/inferred/<name>


def _derived(graph: str) -> bool:
    """Whether a named graph holds inferences or the ontology rather than what a source says."""
    return graph.startswith(INFERRED) or graph == GRAPH + "ontology"


#: Properties the entity page shows in its summary card, not among its background statements.
HEADER_PROPERTIES = {
    RDFS + "label", SKOS + "prefLabel", SKOS + "altLabel", SCHEMA + "name", SCHEMA + "identifier",
    SCHEMA + "description", SKOS + "exactMatch", str(DOS.wikidataStatus), SCHEMA + "text", RDF_TYPE,
}
templates = jinja2.Environment(
    loader=jinja2.FileSystemLoader(str(HERE / "templates")),
    autoescape=True,
    trim_blocks=True,
    lstrip_blocks=True,
)
templates.globals["dos"] = DOS
#: Characters of a quote a page shows before cutting it, with a link to the whole (the longest are 300 and more).
QUOTE_CHARS = 200
templates.globals["quote_chars"] = QUOTE_CHARS
#: Properties a fact card shows as its heading and first line, so not again in its list of properties.
templates.globals["card_heading"] = {str(DOS.content), str(DOS.statementType)}


async def entity_context(backend: QueryBackend, slug: str, timeout: float, pages: dict[str, int] | None = None) -> dict | None:
    """Everything the entity page shows, or None if the graph says nothing of the entity.

    ``pages`` gives, per section key, which page of that section to show (1 when absent; one
    beyond the last shows the last). Each section reads only its page from the store.
    """
    iri = str(entity_iri(slug))
    rows = await select(backend, sparql("entity", this=iri), timeout)
    if not rows:
        return None
    labels = await ontology_labels(backend, timeout)
    by_property: dict[str, list[dict]] = {}
    for row in rows:
        by_property.setdefault(row["property"]["value"], []).append(row)

    def first(prop: str) -> str | None:
        return next((r["value"]["value"] for r in by_property.get(prop, [])), None)

    classes = sorted(
        {
            labels(r["value"]["value"])
            for r in by_property.get(RDF_TYPE, [])
            if r["value"]["value"].startswith(str(DOS)) and not _derived(r["graph"]["value"])
        }
    )
    background, seen = [], set()
    for row in rows:
        prop, graph = row["property"]["value"], row["graph"]["value"]
        if prop in HEADER_PROPERTIES or _derived(graph) or (prop, row["value"]["value"], graph) in seen:
            continue
        seen.add((prop, row["value"]["value"], graph))
        source = graph[len(GRAPH):] if graph.startswith(GRAPH) else graph
        source_term = Term(source, f"/source/{source}") if SLUG.match(source) and source != "entities" else None
        background.append(
            {
                "property": labels(prop),
                "value": Term.of(row["value"], row.get("valueLabel"), labels),
                "source": source_term,
                "key": (prop, row["value"]["value"], str(source_iri(source)) if source_term else None),
            }
        )
    background.sort(key=lambda o: (o["property"], o["value"].text))

    page = await sections.entity_sections(backend, iri, labels, timeout, pages or {})
    counts = page.counts
    # a value a source gives with its quote is listed there; background keeps what nothing quotes
    quoted = await sections.quoted_values(backend, iri, timeout) if background and counts["values"] else set()
    background = [b for b in background if b["key"] not in quoted]

    label = first(SKOS + "prefLabel") or first(RDFS + "label") or slug
    wikidata = [r["value"]["value"] for r in by_property.get(SKOS + "exactMatch", []) if r["value"]["value"].startswith(WIKIDATA)]
    editions = [Term.of(r["part"], r.get("label"), labels) for r in await select(backend, sparql("entity-editions", this=iri), timeout)]
    return {
        "iri": iri,
        "slug": slug,
        "label": label,
        "classes": classes,
        "description": first(SCHEMA + "description"),
        "aliases": sorted({r["value"]["value"] for r in by_property.get(SKOS + "altLabel", [])}),
        "wikidata": [(w[len(WIKIDATA):], "https://www.wikidata.org/wiki/" + w[len(WIKIDATA):]) for w in wikidata],
        "counts": [(k, title, counts[k]) for k, title in sections.SECTIONS.items() if counts[k]],
        "fact_count": counts["facts"],
        "sources": counts["sources"],
        "sections": page.sections,
        "background": background,
        "editions": editions,
        "disputed": page.disputed,
        "fact_agreement": page.fact_agreement,
        "labels": labels,
    }


async def views_context(backend: QueryBackend, slug: str, timeout: float) -> dict | None:
    """The data of an entity's timeline and network (/id/<slug>/views), or None if the graph says nothing of it.

    Kept out of the entity page, which its script fetches it for: it reads every fact of the
    entity and of its events, and each quote comes once (``quotes``), named by number.
    """
    iri = str(entity_iri(slug))
    rows = await select(backend, sparql("entity", this=iri), timeout)
    if not rows:
        return None
    names = {r["property"]["value"]: r["value"]["value"] for r in rows if r["property"]["value"] in (SKOS + "prefLabel", RDFS + "label")}
    label = names.get(SKOS + "prefLabel") or names.get(RDFS + "label") or slug
    labels = await ontology_labels(backend, timeout)
    return neighbourhood.shared_quotes(await neighbourhood.entity_views(backend, iri, label, labels, timeout))


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
    rows = await select(backend, sparql("entity", this=iri), timeout)
    if not any(r["property"]["value"] == SCHEMA + "text" for r in rows):
        return None
    labels = await ontology_labels(backend, timeout)
    meta: dict[str, list[Term]] = {}
    text = ""
    for row in rows:
        prop = row["property"]["value"]
        if prop == SCHEMA + "text":
            text = row["value"]["value"]
            continue
        if _derived(row["graph"]["value"]) or prop in (RDFS + "label", SCHEMA + "identifier"):
            continue
        term = Term.of(row["value"], row.get("valueLabel"), labels)
        if prop == RDF_TYPE:  # the page's badge says it is a source
            continue
        terms = meta.setdefault(labels(prop), [])
        if term not in terms:
            terms.append(term)
    title = meta.pop(labels(SCHEMA + "name"), [Term(slug)])[0].text

    evidence: list[Evidence] = []
    seen: set[str] = set()
    for row in await select(backend, sparql("source-evidence", this=iri), timeout):
        key = row["evidence"]["value"]
        if key in seen:
            continue
        seen.add(key)
        cls = row["class"]["value"]
        evidence.append(
            Evidence(
                n=len(evidence) + 1,
                iri=key,
                body=Term.of(row["body"], row.get("bodyLabel"), labels),
                kind=labels(cls),
                exact=row["exact"]["value"],
                start=int(row["start"]["value"]),
                end=int(row["end"]["value"]),
                claimant=Term.of(row["claimant"], row.get("claimantLabel"), labels),
                property=labels(row["property"]["value"]) if "property" in row else None,
                value=Term.of(row["value"], row.get("valueLabel"), labels) if "value" in row else None,
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
    labels = await ontology_labels(backend, timeout)
    entities: OrderedDict[str, list[Term]] = OrderedDict()
    for r in await select(backend, sparql("entities"), timeout):
        entities.setdefault(labels(r["class"]["value"]), []).append(Term.of(r["entity"], r["label"]))
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


def checked_fact_iri(source: str, fact: str) -> str | None:
    """The IRI of the fact at /fact/<source>/<fact>, or None when the path is not one a fact can have."""
    if not (SLUG.match(source) and all(FACT_PATH.match(part) for part in fact.split("/"))):
        return None
    return str(fact_iri(source, fact))
