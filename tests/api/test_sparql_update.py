"""SPARQL Update over /sparql: token rules, visibility to later queries, generation bumps."""

from __future__ import annotations

import pytest

TOKEN = "correct-horse-battery-staple"
INSERT = (
    "PREFIX pk: <https://w3id.org/policykg/ontology#> "
    "INSERT DATA { GRAPH <https://w3id.org/policykg/graph/test-a> { <https://w3id.org/policykg/id/test/m-9> a pk:Measure } }"
)
COUNT = "PREFIX pk: <https://w3id.org/policykg/ontology#> SELECT (COUNT(?m) AS ?n) WHERE { ?m a pk:Measure }"


def measures(client) -> int:
    r = client.get("/sparql", params={"query": COUNT})
    assert r.status_code == 200, r.text
    return int(r.json()["results"]["bindings"][0]["n"]["value"])


def test_no_token_configured_is_read_only_403(make_client, small_store):
    client = make_client(small_store)
    r = client.post("/sparql", data={"update": INSERT}, headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 403
    assert "read-only" in r.json()["error"]
    assert small_store.generation == 0


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Bearer wrong"}, {"Authorization": f"Basic {TOKEN}"}, {"Authorization": TOKEN},
     {"Authorization": f"Bearer {TOKEN}x"}, {"Authorization": "Bearer "}],
    ids=["missing", "wrong", "basic-scheme", "no-scheme", "longer", "empty"],
)
def test_bad_bearer_is_401_with_challenge(make_client, small_store, headers):
    client = make_client(small_store, api_token=TOKEN)
    r = client.post("/sparql", content=INSERT, headers={"Content-Type": "application/sparql-update", **headers})
    assert r.status_code == 401
    assert r.headers["www-authenticate"].startswith("Bearer")
    assert r.json()["status"] == 401
    assert small_store.generation == 0


@pytest.mark.parametrize("form", [True, False], ids=["form", "direct"])
def test_accepted_update_is_visible_to_later_queries(make_client, small_store, form):
    client = make_client(small_store, api_token=TOKEN)
    assert measures(client) == 2  # the worker now holds generation 0
    auth = {"Authorization": f"Bearer {TOKEN}"}
    if form:
        r = client.post("/sparql", data={"update": INSERT}, headers=auth)
    else:
        r = client.post("/sparql", content=INSERT, headers={"Content-Type": "application/sparql-update", **auth})
    assert r.status_code == 204, r.text
    assert small_store.generation == 1
    assert r.headers["x-policykg-generation"] == "1"
    assert measures(client) == 3


def test_update_syntax_error_position(make_client, small_store):
    client = make_client(small_store, api_token=TOKEN)
    r = client.post("/sparql", data={"update": "CLEAR XYZ"}, headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 400
    (detail,) = r.json()["errors"]
    assert (detail["line"], detail["column"]) == (1, 10) and "..=" not in detail["reason"]
    assert small_store.generation == 0


def test_load_is_forbidden_even_with_token(make_client, small_store):
    client = make_client(small_store, api_token=TOKEN)
    r = client.post("/sparql", data={"update": "LOAD <http://127.0.0.1:9/data.ttl>"}, headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 403
    assert "LOAD" in r.json()["error"]


def test_using_graph_uri_conflicts_with_with_clause(make_client, small_store):
    client = make_client(small_store, api_token=TOKEN)
    update = "WITH <http://x/g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }"
    r = client.post(
        "/sparql", content=update, params={"using-graph-uri": "http://x/g"},
        headers={"Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}"},
    )
    assert r.status_code == 400
    assert small_store.generation == 0



def test_cached_answer_is_dropped_by_a_write(make_client, small_store):
    client = make_client(small_store, api_token=TOKEN, result_cache_size=8)
    first, second = measures(client), measures(client)
    cache = client.app.state.sparql_cache
    assert (first, second, cache.hits) == (2, 2, 1), "the repeat is answered from the cache"
    assert client.post("/sparql", data={"update": INSERT}, headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 204
    assert measures(client) == 3
    assert cache.hits == 1, "after a write the old answer is never served"


def test_cache_can_be_switched_off(make_client, small_store):
    client = make_client(small_store, result_cache_size=0)
    measures(client), measures(client)
    assert client.app.state.sparql_cache.hits == 0


@pytest.mark.parametrize(
    ("update", "params", "status"),
    [("DELETE { ?s ?p ?o } USING <http://127.0.0.1:9/g> WHERE { ?s ?p ?o }", {}, 403),
     ("DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", {"using-graph-uri": "http://127.0.0.1:9/g"}, 403),
     ("WITH <https://w3id.org/policykg/graph/test-b> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", {}, 204)],
)
def test_rdflib_backend_refuses_using(make_client, small_store, update, params, status):
    from app_support import rdflib_copy

    client = make_client(rdflib_copy(small_store), api_token=TOKEN, backend="rdflib")
    r = client.post("/sparql", content=update, params=params,
                    headers={"Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == status, r.text
    assert measures(client) == (1 if status == 204 else 2)
