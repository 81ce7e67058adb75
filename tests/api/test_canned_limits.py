"""Canned queries (/api/queries/{name}) run like /sparql: guarded, in a killable worker with the
query_timeout limit (504 in the one error shape), with the max_rows cap and its headers."""

from __future__ import annotations

import time

import pytest

from policykg.api.catalog import canned
from policykg.graph.queries import CannedQuery, parse_params

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n1 ?o . ?p ?q ?r . ?s ?t ?u . ?v ?w ?x }"
ALL = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
CONSTRUCT_ALL = "CONSTRUCT WHERE { ?s ?p ?o }"
SERVICE = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
FROM_UNKNOWN = "SELECT * FROM <http://elsewhere.example/g> WHERE { ?s ?p ?o }"
WITH_PARAM = "SELECT ?o WHERE { ?s ?p ?o }"

TEST_QUERIES = {
    "slow-test": CannedQuery("slow-test", "遅い", "slow", "", "", [], RUNAWAY),
    "all-test": CannedQuery("all-test", "全部", "all", "", "", [], ALL),
    "construct-test": CannedQuery("construct-test", "構築", "construct", "", "", [], CONSTRUCT_ALL),
    "service-test": CannedQuery("service-test", "連合", "service", "", "", [], SERVICE),
    "from-test": CannedQuery("from-test", "FROM", "from", "", "", [], FROM_UNKNOWN),
    "param-test": CannedQuery("param-test", "引数", "param", "", "", parse_params("?s (iri)"), WITH_PARAM),
}


@pytest.fixture(autouse=True)
def with_test_queries(monkeypatch):
    real = canned.get_canned
    monkeypatch.setattr(canned, "get_canned", lambda name: TEST_QUERIES.get(name) or real(name))


def test_slow_canned_query_times_out_and_server_answers_next(make_client):
    # 2 s: short enough to show the cut, long enough for the next query's parse and run on a loaded CI machine
    client = make_client(query_timeout=2.0, query_workers=1, result_cache_size=0)
    start = time.monotonic()
    r = client.get("/api/queries/slow-test")
    elapsed = time.monotonic() - start
    assert r.status_code == 504
    assert r.json() == {
        "ok": False, "status": 504, "errors": [],
        "error": "問い合わせが制限時間 2 秒を超えたため中止しました / the query ran longer than 2 s and was stopped",
    }
    assert elapsed < 6.0, f"the timeout took {elapsed:.1f}s"
    assert client.app.state.sparql_pool.killed == 1
    nxt = client.get("/api/queries/entity-counts")
    assert nxt.status_code == 200 and nxt.json()["head"]["vars"]
    assert client.get("/api/areas").status_code == 200


@pytest.mark.parametrize(("max_rows", "rows", "truncated"), [(3, 3, "true"), (100, 11, "false")])
def test_canned_query_row_cap(make_client, max_rows, rows, truncated):
    client = make_client(max_rows=max_rows)
    r = client.get("/api/queries/all-test")
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/json"
    assert len(r.json()["results"]["bindings"]) == rows
    assert r.headers["x-policykg-truncated"] == truncated
    assert r.headers["x-policykg-row-limit"] == str(max_rows)
    assert set(r.json()) == {"head", "results"}


def test_canned_construct_comes_back_as_rows_and_capped(make_client):
    r = make_client(max_rows=4).get("/api/queries/construct-test")
    body = r.json()
    assert body["head"]["vars"] == ["subject", "predicate", "object"]
    assert len(body["results"]["bindings"]) == 4 and r.headers["x-policykg-truncated"] == "true"


def test_canned_query_is_guarded(make_client):
    client = make_client()
    r = client.get("/api/queries/service-test")
    assert r.status_code == 403 and r.json()["ok"] is False
    assert client.get("/api/queries/from-test").json()["results"]["bindings"] == []


def test_canned_parameter_is_bound_in_the_worker(make_client):
    client = make_client()
    r = client.get("/api/queries/param-test", params={"s": "https://w3id.org/policykg/id/test/area-2"})
    assert r.status_code == 200
    values = {b["o"]["value"] for b in r.json()["results"]["bindings"]}
    assert "産業" in values and "暮らし" not in values
