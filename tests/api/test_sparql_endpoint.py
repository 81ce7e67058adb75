"""/sparql queries over the small fixture graph: protocol forms, negotiation, datasets, errors."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, SKOS

from policykg.api.negotiation import choose, parse_accept

T = Namespace("https://w3id.org/policykg/id/test/")
PK = Namespace("https://w3id.org/policykg/ontology#")
GRAPH_A = "https://w3id.org/policykg/graph/test-a"
GRAPH_B = "https://w3id.org/policykg/graph/test-b"
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")

AREAS = "PREFIX pk: <https://w3id.org/policykg/ontology#> SELECT ?a WHERE { ?a a pk:PolicyArea } ORDER BY ?a"
CONSTRUCT_LABELS = (
    "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
    "CONSTRUCT { ?s skos:prefLabel ?l } WHERE { ?s skos:prefLabel ?l FILTER(lang(?l) = 'ja') }"
)


def bindings(response) -> list[dict]:
    return response.json()["results"]["bindings"]


@pytest.fixture()
def client(make_client):
    return make_client()


# --- the three ways to send a query --------------------------------------------------------------


def test_get_query(client):
    r = client.get("/sparql", params={"query": AREAS})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("application/sparql-results+json")
    assert [b["a"]["value"] for b in bindings(r)] == [str(T["area-1"]), str(T["area-2"])]


def test_post_form_query(client):
    r = client.post("/sparql", data={"query": AREAS})
    assert r.status_code == 200, r.text
    assert len(bindings(r)) == 2


def test_post_direct_query(client):
    r = client.post("/sparql", content=AREAS.encode(), headers={"Content-Type": "application/sparql-query"})
    assert r.status_code == 200, r.text
    assert len(bindings(r)) == 2


def test_trailing_slash_path_is_the_same_endpoint(client):
    assert bindings(client.get("/sparql/", params={"query": AREAS})) == bindings(client.get("/sparql", params={"query": AREAS}))


# --- content negotiation -------------------------------------------------------------------------

SELECT_ACCEPT = [
    (None, "application/sparql-results+json"),
    ("*/*", "application/sparql-results+json"),
    ("application/json", "application/sparql-results+json"),
    ("application/sparql-results+xml", "application/sparql-results+xml"),
    ("text/xml", "application/sparql-results+xml"),
    ("text/csv", "text/csv"),
    ("text/tab-separated-values", "text/tab-separated-values"),
    ("text/csv;q=0.5, text/tab-separated-values;q=0.9", "text/tab-separated-values"),
    ("text/*;q=0.3, application/sparql-results+xml;q=0.2", "text/csv"),
    ("text/html, */*;q=0.1", "application/sparql-results+json"),
]


@pytest.mark.parametrize(("accept", "expected"), SELECT_ACCEPT)
def test_select_accept_table(client, accept, expected):
    headers = {"Accept": accept} if accept else {}
    r = client.get("/sparql", params={"query": AREAS}, headers=headers)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].split(";")[0] == expected
    assert r.headers["vary"] == "Accept"


def _area_values(media: str, body: bytes) -> list[str]:
    """Parse each SELECT format back and return the ?a values."""
    text = body.decode("utf-8")
    if media == "application/sparql-results+json":
        return [b["a"]["value"] for b in json.loads(text)["results"]["bindings"]]
    if media == "application/sparql-results+xml":
        ns = {"r": "http://www.w3.org/2005/sparql-results#"}
        return [u.text for u in ET.fromstring(text).findall(".//r:binding[@name='a']/r:uri", ns)]
    if media == "text/csv":
        rows = list(csv.reader(io.StringIO(text)))
        assert rows[0] == ["a"]
        return [row[0] for row in rows[1:]]
    lines = text.splitlines()
    assert lines[0] == "?a"
    return [line.strip("<>") for line in lines[1:]]


@pytest.mark.parametrize("media", sorted({m for _, m in SELECT_ACCEPT}))
def test_select_formats_parse_back(client, media):
    r = client.get("/sparql", params={"query": AREAS}, headers={"Accept": media})
    assert _area_values(media, r.content) == [str(T["area-1"]), str(T["area-2"])]


GRAPH_ACCEPT = [
    (None, "text/turtle", "turtle"),
    ("text/turtle", "text/turtle", "turtle"),
    ("application/n-triples", "application/n-triples", "nt"),
    ("text/plain", "application/n-triples", "nt"),
    ("application/ld+json", "application/ld+json", "json-ld"),
    ("application/rdf+xml", "application/rdf+xml", "xml"),
    ("application/rdf+xml;q=0.4, text/turtle;q=0.8", "text/turtle", "turtle"),
]


@pytest.mark.parametrize(("accept", "expected", "rdflib_format"), GRAPH_ACCEPT)
def test_construct_accept_table_parses_back(client, accept, expected, rdflib_format):
    headers = {"Accept": accept} if accept else {}
    r = client.get("/sparql", params={"query": CONSTRUCT_LABELS}, headers=headers)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].split(";")[0] == expected
    g = Graph().parse(data=r.content, format=rdflib_format)
    assert (T["area-1"], SKOS.prefLabel, Literal("暮らし", lang="ja")) in g
    assert (T["m-2"], SKOS.prefLabel, Literal("遠隔医療", lang="ja")) in g
    assert (T["area-1"], SKOS.prefLabel, Literal("Living", lang="en")) not in g, "FILTER ignored"
    assert len(g) == 4


def test_describe_defaults_to_turtle(client):
    r = client.get("/sparql", params={"query": f"DESCRIBE <{T['m-2']}>"})
    assert r.headers["content-type"].startswith("text/turtle")
    g = Graph().parse(data=r.text, format="turtle")
    assert (T["m-2"], PK.area, T["area-2"]) in g


@pytest.mark.parametrize(
    ("query", "accept"),
    [(AREAS, "image/png"), (AREAS, "text/turtle"), (CONSTRUCT_LABELS, "application/sparql-results+json"),
     (AREAS, "application/sparql-results+json;q=0")],
)
def test_not_acceptable_is_406_in_error_shape(client, query, accept):
    r = client.get("/sparql", params={"query": query}, headers={"Accept": accept})
    assert r.status_code == 406
    body = r.json()
    assert body["ok"] is False and body["status"] == 406
    assert body["errors"][0]["available"], "406 should list what is available"


def test_format_parameter_overrides_accept(client):
    r = client.get("/sparql", params={"query": AREAS, "format": "csv"}, headers={"Accept": "application/json"})
    assert r.headers["content-type"].startswith("text/csv")


@pytest.mark.parametrize(
    ("header", "expected"),
    [("", [("*", "*", 1.0)]), ("text/csv;q=0.2,text/*", [("text", "csv", 0.2), ("text", "*", 1.0)]),
     ("bogus, a/b;q=x", [("a", "b", 0.0)])],
)
def test_parse_accept(header, expected):
    assert [(r.type, r.subtype, r.q) for r in parse_accept(header)] == expected


def test_choose_prefers_more_specific_range():
    assert choose("text/*;q=0.9, text/csv;q=0.1", "select") == "text/tab-separated-values"


# --- datasets ------------------------------------------------------------------------------------

COUNT_MEASURES = "PREFIX pk: <https://w3id.org/policykg/ontology#> SELECT (COUNT(?m) AS ?n) WHERE { ?m a pk:Measure }"


def count(response) -> int:
    assert response.status_code == 200, response.text
    return int(bindings(response)[0]["n"]["value"])


def test_default_graph_is_union_of_all_graphs(client):
    assert count(client.get("/sparql", params={"query": COUNT_MEASURES})) == 2


@pytest.mark.parametrize(
    ("graphs", "expected"),
    [([GRAPH_A], 1), ([GRAPH_B], 1), ([GRAPH_A, GRAPH_B], 2), (["http://unknown.example/g"], 0),
     (["file:///etc/passwd", GRAPH_B], 1)],
)
def test_default_graph_uri_restricts_to_known_graphs(client, graphs, expected):
    params = [("query", COUNT_MEASURES)] + [("default-graph-uri", g) for g in graphs]
    assert count(client.get("/sparql", params=params)) == expected


@pytest.mark.parametrize(("graph", "expected"), [(GRAPH_A, 1), (GRAPH_B, 1), ("http://127.0.0.1:9/x", 0)])
def test_from_clause_is_a_store_graph_never_fetched(client, graph, expected):
    q = COUNT_MEASURES.replace("WHERE", f"FROM <{graph}> WHERE")
    assert count(client.get("/sparql", params={"query": q})) == expected


def test_protocol_dataset_overrides_from_clause(client):
    q = COUNT_MEASURES.replace("WHERE", f"FROM <{GRAPH_A}> WHERE")
    r = client.get("/sparql", params=[("query", q), ("default-graph-uri", GRAPH_A), ("default-graph-uri", GRAPH_B)])
    assert count(r) == 2


def test_named_graph_uri(client):
    q = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    r = client.get("/sparql", params=[("query", q), ("named-graph-uri", GRAPH_B), ("named-graph-uri", "http://nope/")])
    assert [b["g"]["value"] for b in bindings(r)] == [GRAPH_B]


# --- service description -------------------------------------------------------------------------


@pytest.mark.parametrize(("accept", "fmt"), [(None, "turtle"), ("application/rdf+xml", "xml"), ("application/n-triples", "nt")])
def test_service_description(client, accept, fmt):
    r = client.get("/sparql", headers={"Accept": accept} if accept else {})
    assert r.status_code == 200
    g = Graph().parse(data=r.content, format=fmt)
    service = URIRef("http://testserver/sparql")
    assert (service, RDF.type, SD.Service) in g
    assert (service, SD.supportedLanguage, SD.SPARQL11Query) in g
    assert (service, SD.supportedLanguage, SD.SPARQL11Update) not in g, "no token configured → no update"
    names = set(g.objects(None, SD.name))
    assert names == {URIRef(GRAPH_A), URIRef(GRAPH_B)}


def test_service_description_announces_update_with_token(make_client):
    g = Graph().parse(data=make_client(api_token="s3cret").get("/sparql").text, format="turtle")
    assert (URIRef("http://testserver/sparql"), SD.supportedLanguage, SD.SPARQL11Update) in g


# --- protocol errors -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "kwargs"),
    [
        ("GET", {"params": [("query", "ASK {}"), ("query", "ASK {}")]}),
        ("GET", {"params": {"update": "CLEAR ALL"}}),
        ("POST", {"content": b"ASK {}", "headers": {"Content-Type": "text/plain"}}),
        ("POST", {"content": b"ASK {}"}),
        ("POST", {"data": {"query": "ASK {}", "update": "CLEAR ALL"}}),
        ("POST", {"data": {"nothing": "here"}}),
        ("POST", {"content": "ASK {}".encode("utf-16"), "headers": {"Content-Type": "application/sparql-query; charset=UTF-16"}}),
        ("POST", {"content": b"ASK { \xff }", "headers": {"Content-Type": "application/sparql-query"}}),
        ("GET", {"params": {"query": "   "}}),
        ("POST", {"data": {"query": "ASK {}"}, "params": {"query": "ASK {}"}}),
    ],
    ids=["two-queries", "update-via-get", "text-plain", "no-content-type", "query-and-update", "empty-form",
         "utf16", "bad-utf8", "blank-query", "query-in-url-and-body"],
)
def test_protocol_errors_are_400(client, method, kwargs):
    r = client.request(method, "/sparql", **kwargs)
    assert r.status_code == 400, r.text
    body = r.json()
    assert body["ok"] is False and body["status"] == 400 and body["error"]


def test_other_methods_are_405(client):
    assert client.put("/sparql", params={"query": "ASK {}"}).status_code == 405


@pytest.mark.parametrize(
    ("query", "line", "column"),
    [("SELECT * WHERE { ?s ?p }", 1, 25), ("SELECT *\nWHERE {\n  ?s ?p ?o . FILTER( }", 3, 23), ("ASK {", 1, 6)],
)
def test_syntax_error_reports_position_and_short_reason(client, query, line, column):
    """Positions are the engine's (Oxigraph points just past the token it stopped at); the reason is short:
    no Unicode-range lists, no trace, no paths."""
    r = client.get("/sparql", params={"query": query})
    assert r.status_code == 400
    body = r.json()
    assert body["error"].startswith(f"SPARQL の構文エラー（{line} 行 {column} 列） / SPARQL syntax error at line {line}")
    (detail,) = body["errors"]
    assert (detail["line"], detail["column"]) == (line, column)
    assert detail["reason"] and len(detail["reason"]) < 200
    assert "..=" not in r.text and "Traceback" not in r.text and "/work" not in r.text


def test_unknown_prefix_is_a_clean_400(client):
    r = client.get("/sparql", params={"query": "SELECT * WHERE { ?s nope:p ?o }"})
    assert r.status_code == 400
    assert "nope" not in r.json()["error"]


@pytest.mark.parametrize(
    "query",
    ["SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
     "select * where { service <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"],
)
def test_service_is_forbidden_403(client, query):
    r = client.get("/sparql", params={"query": query})
    assert r.status_code == 403
    assert "SERVICE" in r.json()["error"]


# --- output safety -------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/sparql", "/sparql?query=ASK%20%7B%7D", "/no-such-page"])
def test_security_headers_on_every_response(client, path):
    r = client.get(path)
    assert r.headers["content-security-policy"] == "default-src 'self'"
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["referrer-policy"] == "no-referrer"


def test_markup_in_labels_is_escaped_in_xml(client):
    q = "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> SELECT ?l WHERE { ?s skos:prefLabel ?l FILTER(CONTAINS(?l, 'script')) }"
    r = client.get("/sparql", params={"query": q}, headers={"Accept": "application/sparql-results+xml"})
    assert "<script>" not in r.text
    assert "&lt;script&gt;" in r.text


def test_large_query_is_checked_off_the_event_loop(make_client):
    client = make_client(max_body_bytes=2_000_000)
    padding = "# " + "x" * 200_000 + "\n"
    r = client.post("/sparql", content=(padding + AREAS).encode(), headers={"Content-Type": "application/sparql-query"})
    assert r.status_code == 200 and len(bindings(r)) == 2
    bad = padding + "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"
    r = client.post("/sparql", content=bad.encode(), headers={"Content-Type": "application/sparql-query"})
    assert r.status_code == 403
