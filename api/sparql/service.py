"""The SPARQL 1.1 Service Description of this endpoint (returned by GET /sparql without a query).

It tells clients what the endpoint accepts: languages (Update only when a token is configured),
result formats, the union default graph, and the named graphs the store holds.
"""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF

from policykg.graph import results

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")

_FORMAT_IRIS = {
    results.SPARQL_JSON: FORMATS["SPARQL_Results_JSON"],
    results.SPARQL_XML: FORMATS["SPARQL_Results_XML"],
    results.CSV: FORMATS["SPARQL_Results_CSV"],
    results.TSV: FORMATS["SPARQL_Results_TSV"],
    results.TURTLE: FORMATS["Turtle"],
    results.NTRIPLES: FORMATS["N-Triples"],
    results.JSONLD: FORMATS["JSON-LD"],
    results.RDFXML: FORMATS["RDF_XML"],
}


def service_description(endpoint: str, graph_names: Iterable[str], *, updates: bool) -> Graph:
    """The description graph for the endpoint at ``endpoint``.

    >>> g = service_description("http://localhost/sparql", ["http://x/g"], updates=False)
    >>> (URIRef("http://localhost/sparql"), SD.endpoint, URIRef("http://localhost/sparql")) in g
    True
    """
    g = Graph()
    g.bind("sd", SD)
    g.bind("formats", FORMATS)
    service = URIRef(endpoint)
    g.add((service, RDF.type, SD.Service))
    g.add((service, SD.endpoint, service))
    g.add((service, DCTERMS.title, Literal("policykg SPARQL エンドポイント", lang="ja")))
    g.add((service, DCTERMS.title, Literal("policykg SPARQL endpoint", lang="en")))
    g.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    if updates:
        g.add((service, SD.supportedLanguage, SD.SPARQL11Update))
    g.add((service, SD.feature, SD.UnionDefaultGraph))
    for fmt in _FORMAT_IRIS.values():
        g.add((service, SD.resultFormat, fmt))
    dataset = BNode()
    g.add((service, SD.defaultDataset, dataset))
    g.add((dataset, RDF.type, SD.Dataset))
    default_graph = BNode()
    g.add((dataset, SD.defaultGraph, default_graph))
    g.add((default_graph, RDF.type, SD.Graph))
    for name in graph_names:
        node = BNode()
        g.add((dataset, SD.namedGraph, node))
        g.add((node, RDF.type, SD.NamedGraph))
        g.add((node, SD.name, URIRef(name)))
    return g
