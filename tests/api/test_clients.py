"""Real SPARQL clients against a real server (issue 9, item 8): SPARQLWrapper and rdflib's SPARQLStore
send SELECT, ASK, CONSTRUCT and DESCRIBE with their own default formats and parameters.

SPARQLWrapper adds ``format=<its return format>`` (and ``output=``, ``results=``) to every request:
``format=xml`` means SPARQL-results XML for SELECT/ASK and RDF/XML for CONSTRUCT/DESCRIBE, and
``format=n3`` / ``turtle`` / ``json-ld`` name graph formats. The server is uvicorn with the options of
``policykg serve`` on a loopback port (tests/live_server.py), over tests/data/sparql/small.trig.
"""

from __future__ import annotations

import io
import json
import urllib.error
import urllib.parse
import urllib.request
import warnings

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, SKOS
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, JSONLD, N3, RDFXML, TSV, TURTLE, XML, SPARQLWrapper

from live_server import live_server

PK = Namespace("https://w3id.org/policykg/ontology#")
T = Namespace("https://w3id.org/policykg/id/test/")

PREFIXES = "PREFIX pk: <https://w3id.org/policykg/ontology#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
SELECT = PREFIXES + "SELECT ?a WHERE { ?a a pk:PolicyArea } ORDER BY ?a"
ASK = PREFIXES + "ASK { ?a a pk:PolicyArea }"
CONSTRUCT = PREFIXES + "CONSTRUCT { ?a a pk:PolicyArea ; skos:prefLabel ?l } WHERE { ?a a pk:PolicyArea ; skos:prefLabel ?l }"
DESCRIBE = "DESCRIBE <https://w3id.org/policykg/id/test/area-2>"

# SPARQLWrapper 2.0 and rdflib's own parsers use rdflib APIs that rdflib 7 deprecates.
pytestmark = [
    pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning"),
    pytest.mark.filterwarnings("ignore:Dataset.default_context is deprecated:DeprecationWarning"),
]

AREAS = [T["area-1"], T["area-2"]]
CONSTRUCTED = {
    (T["area-1"], RDF.type, PK.PolicyArea), (T["area-2"], RDF.type, PK.PolicyArea),
    (T["area-1"], SKOS.prefLabel, Literal("暮らし", lang="ja")),
    (T["area-1"], SKOS.prefLabel, Literal("Living", lang="en")),
    (T["area-2"], SKOS.prefLabel, Literal("産業", lang="ja")),
}
DESCRIBED = {(T["area-2"], RDF.type, PK.PolicyArea), (T["area-2"], SKOS.prefLabel, Literal("産業", lang="ja"))}


@pytest.fixture(scope="module")
def endpoint() -> str:
    with live_server() as url:
        yield url + "/sparql"


def _wrapper(endpoint: str, query: str, method: str, return_format: str | None = None) -> SPARQLWrapper:
    client = SPARQLWrapper(endpoint)
    client.setMethod(method)
    client.setQuery(query)
    if return_format is not None:
        client.setReturnFormat(return_format)
    return client


def _select_values(converted, return_format: str) -> list[str]:
    """The ?a values of a converted SPARQLWrapper SELECT result, in order."""
    if return_format == XML:
        return [b.getElementsByTagName("uri")[0].firstChild.data for b in converted.getElementsByTagName("result")]
    if return_format == JSON:
        return [b["a"]["value"] for b in converted["results"]["bindings"]]
    text = converted.decode("utf-8") if isinstance(converted, bytes) else converted
    rows = text.strip().splitlines()[1:]
    return [row.strip("<>") for row in rows]


def _graph(converted, return_format: str) -> Graph:
    """A SPARQLWrapper CONSTRUCT/DESCRIBE result as a Graph (it converts some formats itself)."""
    if isinstance(converted, Graph):
        return converted
    fmt = {TURTLE: "turtle", N3: "n3"}[return_format]
    return Graph().parse(data=converted.decode("utf-8") if isinstance(converted, bytes) else converted, format=fmt)


def _triples(graph: Graph) -> set:
    return set(graph)


def test_sparqlwrapper_defaults_for_every_query_form(endpoint):
    """No setReturnFormat: SPARQLWrapper sends ``format=xml`` (in the URL for GET, in the form for
    POST) and expects SPARQL-results XML for SELECT/ASK, RDF/XML for CONSTRUCT/DESCRIBE."""
    for method in ("GET", "POST"):
        converted = _wrapper(endpoint, SELECT, method).query().convert()
        assert _select_values(converted, XML) == [str(a) for a in AREAS], method
        doc = _wrapper(endpoint, ASK, method).query().convert()
        assert doc.getElementsByTagName("boolean")[0].firstChild.data == "true", method
        for query, expected in ((CONSTRUCT, CONSTRUCTED), (DESCRIBE, DESCRIBED)):
            try:
                result = _wrapper(endpoint, query, method).query()
            except Exception as exc:  # SPARQLWrapper raises its own errors for 4xx answers
                pytest.fail(f"{query} by {method}: {exc!r}")
            assert result.response.headers["Content-Type"].startswith("application/rdf+xml"), (query, method)
            graph = result.convert()
            assert isinstance(graph, Graph), f"SPARQLWrapper could not read the answer to {query} by {method}"
            assert _triples(graph) >= expected, f"{query} by {method}: missing {expected - _triples(graph)}"


GRAPH_FORMATS = [
    (XML, "application/rdf+xml"), (RDFXML, "application/rdf+xml"), (TURTLE, "text/turtle"),
    (N3, "text/turtle"), (JSONLD, "application/ld+json"),
]
"""SPARQLWrapper's graph return formats and the media type each must get (N3 clients read Turtle)."""


def test_sparqlwrapper_every_graph_format_by_get_and_post(endpoint):
    for method in ("GET", "POST"):
        for return_format, media in GRAPH_FORMATS:
            for query, expected in ((CONSTRUCT, CONSTRUCTED), (DESCRIBE, DESCRIBED)):
                case = f"{query} as {return_format} by {method}"
                with warnings.catch_warnings():
                    warnings.simplefilter("error", RuntimeWarning)  # SPARQLWrapper: not the format it asked for
                    try:
                        result = _wrapper(endpoint, query, method, return_format).query()
                    except Exception as exc:  # SPARQLWrapper raises its own errors for 4xx answers
                        pytest.fail(f"{case}: {exc!r}")
                    assert result.response.headers["Content-Type"].split(";")[0] == media, case
                    graph = _graph(result.convert(), return_format)
                assert _triples(graph) >= expected, f"{case}: missing {expected - _triples(graph)}"


def test_sparqlwrapper_select_and_ask_formats_and_format_words_by_kind(endpoint):
    """Every SELECT/ASK format by GET and POST; ``format=n3`` is Turtle for a graph and 406 for a SELECT."""
    for method in ("GET", "POST"):
        for return_format in (XML, JSON, CSV, TSV):
            with warnings.catch_warnings():
                warnings.simplefilter("error", RuntimeWarning)
                converted = _wrapper(endpoint, SELECT, method, return_format).query().convert()
            assert _select_values(converted, return_format) == [str(a) for a in AREAS], (return_format, method)
        assert _wrapper(endpoint, ASK, method, JSON).query().convert()["boolean"] is True, method
    url = endpoint + "?" + urllib.parse.urlencode({"query": SELECT, "format": "n3"})
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(url, timeout=30)
    assert caught.value.code == 406
    assert json.loads(caught.value.read())["status"] == 406
    with urllib.request.urlopen(endpoint + "?" + urllib.parse.urlencode({"query": CONSTRUCT, "format": "n3"}), timeout=30) as r:
        assert r.headers["Content-Type"].startswith("text/turtle")
        assert _triples(Graph().parse(io.BytesIO(r.read()), format="n3")) >= CONSTRUCTED


@pytest.mark.parametrize("method", ["GET", "POST", "POST_FORM"])
def test_rdflib_sparqlstore_and_sparqlwrapper_defaults_agree(endpoint, method):
    """rdflib's SPARQLStore (default returnFormat ``xml``, negotiating by Accept only) reads all four
    forms, and SPARQLWrapper's default GET (``format=xml`` on a CONSTRUCT) gets the same graph."""
    store = SPARQLStore(endpoint, method=method)
    graph = Graph(store=store)
    assert [row.a for row in graph.query(SELECT)] == AREAS
    assert graph.query(ASK).askAnswer is True
    assert _triples(graph.query(CONSTRUCT).graph) >= CONSTRUCTED
    assert _triples(graph.query(DESCRIBE).graph) >= DESCRIBED
    assert (T["area-1"], SKOS.prefLabel, Literal("Living", lang="en")) in graph
    assert URIRef(T["area-2"]) in set(graph.subjects(RDF.type, PK.PolicyArea))
    graph_via_wrapper = _wrapper(endpoint, CONSTRUCT, "GET").query().convert()
    assert _triples(graph_via_wrapper) == _triples(graph.query(CONSTRUCT).graph)
