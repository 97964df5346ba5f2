"""The SPARQL service description (https://www.w3.org/TR/sparql11-service-description/) of /sparql.

Written by rdflib-endpoint's SparqlRouter.prepare_sd_graph, given the dataset we describe
(the named graphs and their sizes, asked of the backend). The router is built only for that
method and never mounted. Its output is then corrected for what this server does: no
federated query unless SERVICE endpoints are allowed, no Update input formats, and every
result format the endpoint actually writes.
"""

from __future__ import annotations

from rdflib import RDF, BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDFS, VOID, XSD
from rdflib_endpoint import SparqlRouter
from rdflib_endpoint.utils import FORMATS, SD

from .backend import QueryBackend, select

GRAPH_SIZES = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"

RESULT_FORMATS = (
    FORMATS.SPARQL_Results_JSON,
    FORMATS.SPARQL_Results_XML,
    FORMATS.SPARQL_Results_CSV,
    FORMATS.SPARQL_Results_TSV,
    FORMATS.Turtle,
    FORMATS["JSON-LD"],
    FORMATS["N-Triples"],
    FORMATS.RDF_XML,
    FORMATS["N-Quads"],
    FORMATS.TriG,
    FORMATS.N3,
)

#: What each Accept value gets the description in (rdflib serializer names).
SERIALIZERS = {
    "text/turtle": "turtle",
    "application/ld+json": "json-ld",
    "application/n-triples": "nt",
    "application/rdf+xml": "xml",
    "application/xml": "xml",
}


async def service_description(backend: QueryBackend, endpoint: str, title: str, about: str, allow_services, timeout: float) -> Graph:
    """The description graph of the endpoint at ``endpoint`` and the dataset it serves."""
    sizes = await select(backend, GRAPH_SIZES, timeout)
    sd = Graph()
    service = BNode()
    sd.add((service, SD.endpoint, URIRef(endpoint)))
    dataset, default = BNode(), BNode()
    sd.add((service, SD.defaultDataset, dataset))
    sd.add((dataset, RDF.type, SD.Dataset))
    sd.add((dataset, SD.defaultGraph, default))
    sd.add((default, RDF.type, SD.Graph))
    sd.add((default, RDFS.comment, Literal("the union of all named graphs")))
    total = 0
    for row in sizes:
        named, graph = BNode(), BNode()
        count = int(row["n"]["value"])
        total += count
        sd.add((dataset, SD.namedGraph, named))
        sd.add((named, RDF.type, SD.NamedGraph))
        sd.add((named, SD.name, URIRef(row["g"]["value"])))
        sd.add((named, SD.graph, graph))
        sd.add((graph, RDF.type, SD.Graph))
        sd.add((graph, VOID.triples, Literal(count, datatype=XSD.integer)))
    sd.add((default, VOID.triples, Literal(total, datatype=XSD.integer)))

    router = SparqlRouter(
        path="/sparql",
        title=title,
        description=about,
        graph=Dataset(default_union=True),
        service_description=sd,
        public_url=endpoint,
        enable_update=False,
    )
    out = router.service_description
    out.bind("void", VOID)
    if not allow_services:
        out.remove((service, SD.feature, SD.BasicFederatedQuery))
    out.remove((service, SD.inputFormat, None))
    for fmt in RESULT_FORMATS:
        out.add((service, SD.resultFormat, fmt))
    return out
