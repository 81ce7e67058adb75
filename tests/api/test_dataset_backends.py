"""The SPARQL dataset (default-graph-uri / named-graph-uri, FROM / FROM NAMED) reads the same on both
backends, through ``resolve_dataset`` everywhere: ``Store.query``, ``/sparql``, the console and
``policykg query`` (``run_query``)."""

from __future__ import annotations

import json

import pytest

from policykg.api.catalog.console import console_job, console_result
from policykg.cli.graph_commands import run_query
from policykg.graph.evaluation import EMPTY_GRAPH, QueryJob, load_store, resolve_dataset, run_job
from policykg.graph.workers import dump_store

from app_support import rdflib_copy

A = "https://w3id.org/policykg/graph/test-a"
B = "https://w3id.org/policykg/graph/test-b"
UNKNOWN = "http://elsewhere.example/g"
DEFAULT_TRIPLE = "INSERT DATA { <http://d.example/s> <http://d.example/p> \"in the default graph\" }"

QUERIES = {
    "default": "SELECT ?s ?p ?o WHERE { ?s ?p ?o }",
    "named": "SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }",
    "both": "SELECT ?where ?s WHERE { { ?s a ?t BIND('default' AS ?where) } UNION { GRAPH ?g { ?s a ?t } BIND(STR(?g) AS ?where) } }",
    "ask-named-a": f"ASK {{ GRAPH <{A}> {{ ?s ?p ?o }} }}",
}

DATASETS = [
    pytest.param(None, None, id="none"),
    pytest.param([A], None, id="default-a"),
    pytest.param(None, [B], id="named-b"),
    pytest.param([A], [B], id="default-a-named-b"),
    pytest.param([B], [A, B], id="default-b-named-ab"),
    pytest.param([A, B], [A], id="default-ab-named-a"),
    pytest.param([UNKNOWN], [B], id="unknown-default"),
    pytest.param([A], [UNKNOWN], id="unknown-named"),
]


@pytest.fixture()
def stores(small_store):
    """The same data, default-graph triple included, on both backends."""
    rdf = rdflib_copy(small_store)
    small_store.update(DEFAULT_TRIPLE)
    from rdflib import Literal, URIRef

    rdf.dataset.default_graph.add((URIRef("http://d.example/s"), URIRef("http://d.example/p"), Literal("in the default graph")))
    return small_store, rdf


def answer(store, query: str, default, named):
    result = store.query(query, default_graph_uris=default, named_graph_uris=named)
    if hasattr(result, "value"):
        return result.value
    return sorted(tuple(sorted((k, str(v)) for k, v in row.items())) for row in result.rows)


@pytest.mark.parametrize(("default", "named"), DATASETS)
@pytest.mark.parametrize("query", list(QUERIES))
def test_both_backends_read_the_dataset_alike(stores, query, default, named):
    ox_store, rdf_store = stores
    available = {str(g) for g in ox_store.graph_names()}
    if default or named:
        default, named = resolve_dataset(default or [], named or [], available)
    expected = answer(ox_store, QUERIES[query], default, named)
    assert answer(rdf_store, QUERIES[query], default, named) == expected


def test_dataset_semantics_on_the_rdflib_backend(stores):
    _ox, rdf = stores
    rows = answer(rdf, QUERIES["named"], [A], [B])
    assert {dict(r)["g"] for r in rows} == {B}, "GRAPH sees only the named-graph-uri graphs"
    assert answer(rdf, QUERIES["ask-named-a"], [A], [B]) is False
    assert answer(rdf, QUERIES["ask-named-a"], [A], None) is True, "without named-graph-uri every named graph"
    subjects = {dict(r)["s"] for r in answer(rdf, QUERIES["default"], [A], [B])}
    assert "https://w3id.org/policykg/id/test/m-2" not in subjects and "http://d.example/s" not in subjects
    everything = {dict(r)["s"] for r in answer(rdf, QUERIES["default"], None, [B])}
    assert {"http://d.example/s", "https://w3id.org/policykg/id/test/m-2"} <= everything
    assert answer(rdf, QUERIES["default"], [EMPTY_GRAPH], [EMPTY_GRAPH]) == []


@pytest.fixture(params=["oxigraph", "rdflib"])
def backend_client(request, make_client, small_store):
    if request.param == "oxigraph":
        return make_client(small_store)
    return make_client(rdflib_copy(small_store), backend="rdflib")


PROTOCOL_CASES = [
    ([("default-graph-uri", A), ("named-graph-uri", B)], QUERIES["both"]),
    ([("named-graph-uri", B)], QUERIES["named"]),
    ([("default-graph-uri", B)], QUERIES["default"]),
    ([("default-graph-uri", UNKNOWN), ("named-graph-uri", A)], QUERIES["both"]),
]


def protocol_rows(client, params, query):
    r = client.get("/sparql", params=[("query", query), *params])
    assert r.status_code == 200, r.text
    return sorted(json.dumps(b, sort_keys=True) for b in r.json()["results"]["bindings"])


def test_protocol_dataset_answers_match_across_backends(make_client, small_store):
    ox_client = make_client(small_store)
    rdf_client = make_client(rdflib_copy(small_store), backend="rdflib")
    for params, query in PROTOCOL_CASES:
        expected = protocol_rows(ox_client, params, query)
        assert protocol_rows(rdf_client, params, query) == expected, params
    only_b = protocol_rows(rdf_client, [("named-graph-uri", B)], QUERIES["named"])
    assert only_b and all(B in row for row in only_b)


def test_worker_evaluates_the_job_dataset_on_both_backends(small_store):
    data = dump_store(small_store)
    job = QueryJob(text=QUERIES["named"], media_type="application/sparql-results+json", max_rows=100,
                   default_graphs=(A,), named_graphs=(B,))
    bodies = {backend: json.loads(run_job(load_store(backend, data), job)[1]) for backend in ("oxigraph", "rdflib")}
    graphs = {b: {row["g"]["value"] for row in body["results"]["bindings"]} for b, body in bodies.items()}
    assert graphs == {"oxigraph": {B}, "rdflib": {B}}


@pytest.mark.parametrize("backend", ["oxigraph", "rdflib"])
def test_cli_query_from_unknown_graph_is_empty_not_the_whole_store(stores, backend):
    store = stores[0] if backend == "oxigraph" else stores[1]
    result = run_query(store, f"SELECT * FROM <{UNKNOWN}> WHERE {{ ?s ?p ?o }}")
    assert result.rows == []
    named = run_query(store, f"SELECT ?g FROM NAMED <{B}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}")
    assert {str(r["g"]) for r in named.rows} == {B}
    from_a = run_query(store, f"SELECT ?s FROM <{A}> WHERE {{ ?s a ?t }}")
    assert "https://w3id.org/policykg/id/test/m-2" not in {str(r["s"]) for r in from_a.rows}


def test_console_from_selects_among_the_store_graphs(small_store):
    worker_store = load_store("oxigraph", dump_store(small_store))

    def console(text):
        return console_result(run_job(worker_store, console_job(text, max_rows=100)), "ja")

    assert console(f"SELECT * FROM <{UNKNOWN}> WHERE {{ ?s ?p ?o }}")["rows"] == []
    only_b = console(f"SELECT ?g FROM NAMED <{B}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}")
    assert only_b["rows"] and {row[0]["text"] for row in only_b["rows"]} == {B}


def test_console_page_honours_from(make_client, small_store):
    client = make_client(small_store)
    r = client.get("/query", params={"query": f"SELECT ?s FROM <{UNKNOWN}> WHERE {{ ?s ?p ?o }}"})
    assert r.status_code == 200
    assert "test/m-1" not in r.text
    r = client.get("/query", params={"query": f"SELECT ?s FROM <{A}> WHERE {{ ?s ?p ?o }}"})
    assert "test/m-1" in r.text and "test/m-2" not in r.text
