"""``/id/<path>``: entity IRIs dereference to HTML, Turtle, JSON-LD, N-Triples or RDF/XML by Accept
(a table) or by suffix; the description is the entity's triples both ways plus its blank-node closure."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic

from policykg.graph.store import open_store
from policykg.namespaces import GRAPH, PK, SKOS

from app_support import load_catalog
from project_paths import CATALOG_DATA

MAAS = URIRef("https://w3id.org/policykg/id/hokkaido/measure/m-maas")
DIR_1D = URIRef("https://w3id.org/policykg/id/hokkaido/direction/hokkaido-dir-1d")
PATH = "/id/hokkaido/measure/m-maas"


@pytest.fixture()
def mini(make_client):
    return make_client(store=load_catalog("mini.ttl"))


ACCEPT_TABLE = [
    ("text/html", "text/html", None),
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "text/html", None),
    ("*/*", "text/html", None),
    (None, "text/html", None),
    ("text/turtle", "text/turtle", "turtle"),
    ("application/x-turtle", "text/turtle", "turtle"),
    ("application/ld+json", "application/ld+json", "json-ld"),
    ("application/json", "application/ld+json", "json-ld"),
    ("application/n-triples", "application/n-triples", "nt"),
    ("text/plain", "application/n-triples", "nt"),
    ("application/rdf+xml", "application/rdf+xml", "xml"),
    ("text/turtle;q=0.2, application/ld+json;q=0.9", "application/ld+json", "json-ld"),
    ("image/png, text/turtle;q=0.1", "text/turtle", "turtle"),
]


@pytest.mark.parametrize(("accept", "media", "rdf_format"), ACCEPT_TABLE)
def test_accept_negotiation(mini, accept, media, rdf_format):
    headers = {"accept": accept} if accept is not None else {"accept": ""}
    response = mini.get(PATH, headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith(media)
    if rdf_format:
        graph = Graph().parse(data=response.content, format=rdf_format)
        assert (MAAS, SKOS.prefLabel, Literal("北海道型のMaaSの展開", lang="ja")) in graph, f"{media}: label missing"
    else:
        assert "北海道型のMaaSの展開" in response.text


@pytest.mark.parametrize(("suffix", "media", "rdf_format"), [
    (".ttl", "text/turtle", "turtle"),
    (".jsonld", "application/ld+json", "json-ld"),
    (".nt", "application/n-triples", "nt"),
    (".rdf", "application/rdf+xml", "xml"),
])
def test_suffix_overrides_accept(mini, suffix, media, rdf_format):
    response = mini.get(PATH + suffix, headers={"accept": "text/html"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(media)
    graph = Graph().parse(data=response.content, format=rdf_format)
    assert (MAAS, PK.direction, DIR_1D) in graph


def test_description_has_both_directions_and_blank_node_closure(mini):
    graph = Graph().parse(data=mini.get(PATH + ".ttl").content, format="turtle")
    assert (MAAS, PK.direction, DIR_1D) in graph, "outgoing triple missing"
    lines = sorted(int(o) for o in graph.objects(None, PK.line))
    assert lines == [378, 390], "source locations (blank nodes) must come with the entity"
    area_graph = Graph().parse(data=mini.get("/id/hokkaido/direction/hokkaido-dir-1d.ttl").content, format="turtle")
    assert (MAAS, PK.direction, DIR_1D) in area_graph, "incoming triple missing"


def test_nested_blank_nodes_are_included(mini):
    graph = Graph().parse(data=mini.get("/id/hokkaido/plan.nt").content, format="nt")
    dates = sorted(str(o) for o in graph.objects(None, URIRef("http://www.w3.org/2006/time#inXSDDate")))
    assert dates == ["2021-04-01", "2031-03-31"], "interval → instant (two levels of blank nodes)"


@pytest.mark.parametrize(("path", "headers", "status"), [
    ("/id/hokkaido/measure/m-nothing", {}, 404),
    ("/id/hokkaido/measure/m-nothing.ttl", {}, 404),
    ("/id/", {}, 404),
    ("/id/%3Cscript%3E", {}, 404),            # characters no entity path may hold never reach a query
    ("/id/x%3E%20%3Fp%20%3Fo", {}, 404),
    ("/id/a%20b", {}, 404),
    ("/id/%00", {}, 404),
    ("/id/%E3%81%82", {}, 404),
    ("/id/hokkaido/measure/m-maas.ttl.ttl", {}, 404),
    (PATH, {"accept": "image/png"}, 406),
    (PATH, {"accept": "text/turtle;q=0"}, 406),
    (PATH, {"accept": "text/turtle;q=abc"}, 406),
    (PATH + "?lang=xx", {}, 422),
])
def test_errors_in_the_one_shape(mini, path, headers, status):
    response = mini.get(path, headers=headers)
    assert response.status_code == status
    body = response.json()
    assert body["ok"] is False and body["status"] == status and body["error"]


def test_jsonld_is_compacted_without_remote_context(mini):
    doc = mini.get(PATH + ".jsonld").json()
    assert isinstance(doc["@context"], dict), "context must be inline, never a URL to fetch"
    assert doc["@context"]["pk"] == str(PK)


def test_rdflib_backend_gives_the_same_description(mini, make_client):
    store = open_store(backend="rdflib")
    store.replace_graphs({GRAPH["mini"]: list(Graph().parse(CATALOG_DATA / "mini.ttl", format="turtle"))})
    fallback = make_client(store=store)
    for path in (PATH, "/id/hokkaido/plan", "/id/hokkaido/direction/hokkaido-dir-1d"):
        expected = Graph().parse(data=mini.get(path + ".nt").content, format="nt")
        actual = Graph().parse(data=fallback.get(path + ".nt").content, format="nt")
        assert isomorphic(expected, actual), path


def test_rdf_responses_vary_on_accept(mini):
    assert "accept" in mini.get(PATH, headers={"accept": "text/turtle"}).headers["vary"].lower()


@settings(max_examples=60, derandomize=True, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(path=st.text(min_size=1, max_size=40), accept=st.sampled_from(["text/html", "text/turtle", "*/*", "x/y"]))
def test_any_path_is_answered_without_server_error(mini, path, accept):
    response = mini.get("/id/" + quote(path, safe="/"), headers={"accept": accept})
    assert response.status_code in (200, 404, 406, 422), (path, response.status_code)
    if response.status_code != 200:
        assert response.json()["status"] == response.status_code
