"""Downloads and description: graph files, a CSV of every fact, VoID/DCAT, the JSON-LD context, ontology pages.

- /download: what can be downloaded (HTML, or JSON by Accept / ?format=json);
- /download/graph/<file>: one N-Quads file of graph/ (the files are those of graph/manifest.json);
- /download/facts.csv: every fact with each quote it rests on, its claimant and its source;
- /download/notice: the data notice (the documents are third-party texts, not licensed by the project);
- /.well-known/void: VoID and DCAT description (sizes, triples, SHA-256 checksums, licences);
- /context.jsonld: the JSON-LD @context, read from the ontology (every dos: term, its prefixes);
- /ontology: human documentation of the ontology made by pyLODE (HTML), or the ontology as RDF;
- /ontology/<scheme>/<concept> and /graph/<name>: the concept and named-graph IRIs resolve here.
"""

from __future__ import annotations

import asyncio
import csv
import io
import json
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, OWL, RDF, RDFS, SKOS, VOID, XSD

from ..namespace import BASE, SLUG
from ..serialize import PREFIXES
from . import dataset, formats, pages
from .backend import QueryFailed, select
from .bound import bound
from .site import Site
from .terms import local_name

SPDX = Namespace("http://spdx.org/rdf/terms#")
DOS = PREFIXES["dos"]
ONTOLOGY_IRI = BASE + "ontology"
GRAPH_BASE = BASE + "graph/"
#: RDF the description, the ontology and concepts are offered in (the first for */*), and ?format= names.
RDF_TYPES = {"text/turtle": "turtle", "application/ld+json": "json-ld", "application/n-triples": "nt"}
RDF_FORMATS = {"turtle": "text/turtle", "jsonld": "application/ld+json", "ntriples": "application/n-triples"}
CSV_COLUMNS = ["fact", "type", "label", "content", "quote", "quote_start", "claimed_by", "claimed_by_label",
               "source", "source_title", "publisher", "date_published", "source_url", "dataset_version"]
NOTICE = "DATA-NOTICE.md"
#: Where the notice is when the served folder (--root) has none: the repository holding this package.
REPOSITORY = Path(__file__).resolve().parent.parent.parent


def chosen_rdf(request: Request, html_first: bool = True) -> str | None:
    """'html' or an RDF media type, from ?format= or Accept; None when nothing offered is acceptable.

    ``html_first``: whether */* gets the HTML page (for pages) or Turtle (for data descriptions).
    """
    asked = request.query_params.get("format")
    if asked:
        return "html" if asked == "html" else RDF_FORMATS.get(asked)
    offered = ["text/html", *RDF_TYPES] if html_first else [*RDF_TYPES, "text/html"]
    media = formats.negotiate(request.headers.get("accept"), offered)
    return "html" if media == "text/html" else media


def rdf_response(graph: Graph, media: str, context: dict | None = None) -> Response:
    if media == "application/ld+json":
        body = graph.serialize(format="json-ld", context=context, auto_compact=bool(context))
    else:
        body = graph.serialize(format=RDF_TYPES[media])
    return Response(body, media_type=formats.with_charset(media), headers={"Vary": "Accept"})


def json_ld_context(ontology: Graph) -> dict:
    """The @context: the project's prefixes, and one term per dos: class and property of the ontology."""
    context: dict = {prefix: ns for prefix, ns in sorted(PREFIXES.items())}
    for cls in sorted(set(ontology.subjects(RDF.type, OWL.Class))):
        if str(cls).startswith(DOS):
            context[str(cls)[len(DOS):]] = str(cls)
    for kind in (OWL.ObjectProperty, OWL.DatatypeProperty):
        for prop in sorted(set(ontology.subjects(RDF.type, kind))):
            if not str(prop).startswith(DOS):
                continue
            term: dict = {"@id": str(prop)}
            if kind == OWL.ObjectProperty:
                term["@type"] = "@id"
            else:
                ranges = [r for r in ontology.objects(prop, RDFS.range) if str(r).startswith(str(XSD))]
                if len(ranges) == 1:
                    term["@type"] = str(ranges[0])
            context[str(prop)[len(DOS):]] = term
    return {"@context": context}


def ontology_graph(site: Site) -> Graph:
    """The ontology (ontology/dossier.ttl of the served folder), parsed once."""
    if "ontology" not in site.shared:
        site.shared["ontology"] = Graph().parse(site.settings.root / "ontology" / "dossier.ttl", format="turtle")
    return site.shared["ontology"]


def ontology_html(path: Path) -> str:
    """The ontology's documentation page, written by pyLODE (offline: it reads only the file)."""
    from pylode import OntPub  # imported here: it takes a second, and only this page needs it

    return OntPub(ontology=str(path)).make_html()


def compact(body: bytes, context_url: str, ontology: Graph) -> bytes:
    """JSON-LD from the store, compacted with the published @context and pointing to it by URL."""
    graph = Graph().parse(data=body, format="json-ld")
    context = json_ld_context(ontology)["@context"]
    document = json.loads(graph.serialize(format="json-ld", context=context, auto_compact=True))
    document["@context"] = context_url
    return (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def void_graph(site: Site, base: str, facts_csv: bytes | None) -> Graph:
    """VoID and DCAT for the dataset: one distribution per graph file, the CSV, and the SPARQL endpoint."""
    files = dataset.graph_files(site.settings.graph_dir)
    g = Graph()
    for prefix, ns in (("void", VOID), ("dcat", DCAT), ("dcterms", DCTERMS), ("spdx", SPDX), ("xsd", XSD)):
        g.bind(prefix, ns)
    ds = URIRef(BASE + "dataset")
    version = dataset.version(site.settings.graph_dir)
    for t in (VOID.Dataset, DCAT.Dataset):
        g.add((ds, RDF.type, t))
    g.add((ds, DCTERMS.title, Literal(dataset.TITLE, lang="en")))
    g.add((ds, DCTERMS.description, Literal(dataset.DESCRIPTION, lang="en")))
    g.add((ds, DCTERMS.publisher, Literal(dataset.PUBLISHER)))
    g.add((ds, OWL.versionInfo, Literal(version)))
    g.add((ds, DCTERMS.hasVersion, Literal(version)))
    g.add((ds, DCTERMS.license, URIRef(base + "download/notice")))
    g.add((ds, DCTERMS.rights, Literal(
        "The documents' texts and the quotes taken from them are third-party material, quoted for research and not "
        "licensed by the project (see the data notice); the project's code is under the MIT licence.", lang="en")))
    g.add((ds, VOID.sparqlEndpoint, URIRef(base + "sparql")))
    g.add((ds, VOID.uriSpace, Literal(BASE)))
    g.add((ds, VOID.vocabulary, URIRef(DOS)))
    g.add((ds, DCAT.landingPage, URIRef(base + "download")))
    if files:
        g.add((ds, VOID.triples, Literal(sum(f.triples for f in files))))

    def distribution(node: URIRef, url: str, media: str, size: int, sha256: str, title: str) -> None:
        g.add((ds, DCAT.distribution, node))
        g.add((node, RDF.type, DCAT.Distribution))
        g.add((node, DCTERMS.title, Literal(title, lang="en")))
        g.add((node, DCAT.downloadURL, URIRef(url)))
        g.add((node, DCAT.mediaType, Literal(media)))
        g.add((node, DCAT.byteSize, Literal(size, datatype=XSD.nonNegativeInteger)))
        g.add((node, DCTERMS.license, URIRef(base + "download/notice")))
        checksum = URIRef(f"{node}#sha256")
        g.add((node, SPDX.checksum, checksum))
        g.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
        g.add((checksum, SPDX.checksumValue, Literal(sha256, datatype=XSD.hexBinary)))

    for f in files:
        url = base + "download/graph/" + f.name
        g.add((ds, VOID.dataDump, URIRef(url)))
        distribution(URIRef(BASE + "dataset/" + f.name), url, "application/n-quads", f.bytes, f.sha256, f"named graph {f.graph}")
        subset = URIRef(f.graph)
        g.add((ds, VOID.subset, subset))
        g.add((subset, RDF.type, VOID.Dataset))
        g.add((subset, VOID.triples, Literal(f.triples)))
        g.add((subset, VOID.dataDump, URIRef(url)))
    if facts_csv is not None:
        import hashlib

        distribution(URIRef(BASE + "dataset/facts.csv"), base + "download/facts.csv", "text/csv", len(facts_csv),
                     hashlib.sha256(facts_csv).hexdigest(), "every fact with its quotes and source (CSV)")
    return g


async def facts_table(site: Site) -> bytes:
    """The CSV of every fact and quote (site.shared, made once), paged through the backend under its row cap."""
    async with site.lock:
        site.forget_if_swapped()
        if "facts.csv" not in site.shared:
            query, size, offset, rows = bound("facts-table"), min(site.settings.max_rows, 5000), 0, []
            while True:
                page = await select(site.backend, f"{query}LIMIT {size} OFFSET {offset}", site.derive_timeout)
                rows.extend(page)
                if len(page) < size:
                    break
                offset += size
            version = dataset.version(site.settings.graph_dir)
            out = io.StringIO()
            writer = csv.writer(out, lineterminator="\r\n")
            writer.writerow(CSV_COLUMNS)
            for r in rows:
                get = lambda name: r[name]["value"] if name in r else ""  # noqa: E731
                writer.writerow([get("fact"), get("class").rsplit("#", 1)[-1], get("label"), get("content"), get("exact"),
                                 get("start"), get("claimant"), get("claimantLabel"), get("source"), get("sourceTitle"),
                                 get("publisher"), get("published"), get("url"), version])
            site.shared["facts.csv"] = out.getvalue().encode("utf-8")
    return site.shared["facts.csv"]


def router(site: Site) -> APIRouter:
    routes = APIRouter()
    root = site.settings.root

    def ontology() -> Graph:
        return ontology_graph(site)

    @routes.get("/download")
    async def downloads(request: Request) -> Response:
        files = dataset.graph_files(site.settings.graph_dir)
        version = dataset.version(site.settings.graph_dir)
        listing = {
            "version": version,
            "graphs": [{"graph": f.graph, "file": f.name, "url": f"/download/graph/{f.name}", "triples": f.triples, "bytes": f.bytes,
                        "sha256": f.sha256} for f in files],
            "facts_csv": "/download/facts.csv",
            "description": "/.well-known/void",
            "context": "/context.jsonld",
            "ontology": "/ontology",
            "notice": "/download/notice",
        }
        if request.query_params.get("format") == "json" or formats.negotiate(request.headers.get("accept"), ["text/html", "application/json"]) == "application/json":
            return JSONResponse(listing)
        return HTMLResponse(pages.render("download.html", **listing, total=sum(f.triples for f in files)))

    @routes.get("/download/graph/{name:path}")
    async def graph_file(request: Request, name: str) -> Response:
        for f in dataset.graph_files(site.settings.graph_dir):
            if f.name == name:
                return FileResponse(f.path, media_type="application/n-quads", headers={"Digest": f"sha-256={f.sha256}"},
                                    filename=name.replace("/", "-"))
        return site.error_page(request, 404, "not-found", f"graph/ has no file {name!r}; /download lists them")

    @routes.get("/download/facts.csv")
    async def facts_csv(request: Request) -> Response:
        try:
            body = await facts_table(site)
        except QueryFailed as failed:
            return site.failed_page(request, failed)
        return Response(body, media_type="text/csv; charset=utf-8", headers={"Content-Disposition": 'attachment; filename="dossier-facts.csv"'})

    @routes.get("/download/notice")
    async def notice(request: Request) -> Response:
        path = next((p for p in (root / NOTICE, REPOSITORY / NOTICE) if p.is_file()), root / NOTICE)
        if not path.is_file():
            return site.error_page(request, 404, "not-found", f"{NOTICE} is missing from this installation")
        return Response(path.read_text(encoding="utf-8"), media_type="text/markdown; charset=utf-8")

    @routes.get("/.well-known/void")
    async def void(request: Request) -> Response:
        media = chosen_rdf(request, html_first=False)
        if media == "html":  # a browser: the same description, for people
            return RedirectResponse("/download", status_code=303)
        if media is None:
            return site.error_page(request, 406, "not-acceptable", f"the description can be had as: text/html, {', '.join(RDF_TYPES)}")
        try:
            csv_bytes = await facts_table(site)
        except QueryFailed as failed:
            return site.failed_page(request, failed)
        return rdf_response(void_graph(site, site.settings.base_url, csv_bytes), media)

    @routes.get("/context.jsonld")
    async def context() -> Response:
        return Response(json.dumps(json_ld_context(ontology()), indent=1) + "\n", media_type="application/ld+json")

    @routes.get("/ontology")
    async def ontology_page(request: Request) -> Response:
        media = chosen_rdf(request)
        if media is None:
            return site.error_page(request, 406, "not-acceptable", f"the ontology can be had as: text/html, {', '.join(RDF_TYPES)}")
        if media != "html":
            return rdf_response(ontology(), media, json_ld_context(ontology())["@context"])
        if "ontology.html" not in site.shared:
            site.shared["ontology.html"] = await asyncio.to_thread(ontology_html, root / "ontology" / "dossier.ttl")
        return HTMLResponse(site.shared["ontology.html"], headers={"Vary": "Accept"})

    @routes.get("/ontology/{scheme}/{concept}")
    async def concept_page(request: Request, scheme: str, concept: str) -> Response:
        if not (SLUG.match(scheme) and SLUG.match(concept)):
            return site.error_page(request, 404, "not-found", "not a concept IRI")
        iri = f"{ONTOLOGY_IRI}/{scheme}/{concept}"
        g = Graph()
        for triple in ontology().triples((URIRef(iri), None, None)):
            g.add(triple)
        if not len(g):
            return site.error_page(request, 404, "not-found", f"the ontology defines no {iri}")
        media = chosen_rdf(request)
        if media is None:
            return site.error_page(request, 406, "not-acceptable", f"a concept can be had as: text/html, {', '.join(RDF_TYPES)}")
        if media != "html":
            return rdf_response(g, media, json_ld_context(ontology())["@context"])
        scheme_iri = g.value(URIRef(iri), SKOS.inScheme)
        html = pages.render("concept.html", iri=iri, label=g.value(URIRef(iri), SKOS.prefLabel) or concept,
                            definition=g.value(URIRef(iri), SKOS.definition), notation=g.value(URIRef(iri), SKOS.notation),
                            scheme=local_name(str(scheme_iri)) if scheme_iri else None)
        return HTMLResponse(html, headers={"Vary": "Accept"})

    @routes.get("/graph/{name:path}")
    async def named_graph(request: Request, name: str) -> Response:
        wanted = GRAPH_BASE + name
        for f in dataset.graph_files(site.settings.graph_dir):
            if f.graph == wanted:
                media = formats.negotiate(request.headers.get("accept"), ["text/html", "application/n-quads"])
                if request.query_params.get("format") == "nquads" or media == "application/n-quads":
                    return FileResponse(f.path, media_type="application/n-quads")
                if media is None:
                    return site.error_page(request, 406, "not-acceptable", "a named graph can be had as: text/html, application/n-quads")
                if SLUG.match(name) and name not in ("entities", "ontology", "agreement", "curated"):
                    return RedirectResponse(f"/source/{name}", status_code=303)
                return RedirectResponse(f"/download#graph-{f.name}", status_code=303)
        return site.error_page(request, 404, "not-found", f"no named graph {wanted}")

    return routes
