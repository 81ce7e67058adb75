"""Limits: query time (killed worker → 504, server stays responsive), row cap, request body size."""

from __future__ import annotations

import threading
import time

import pytest
from rdflib import Graph

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n1 ?o . ?p ?q ?r . ?s ?t ?u . ?v ?w ?x }"
QUICK = "SELECT ?s WHERE { ?s a <https://w3id.org/policykg/ontology#PolicyArea> }"


def test_runaway_query_is_cut_and_server_stays_responsive(make_client):
    client = make_client(query_timeout=1.5, query_workers=2, result_cache_size=0)
    assert client.get("/sparql", params={"query": QUICK}).status_code == 200  # workers up
    outcome: dict = {}

    def runaway() -> None:
        start = time.monotonic()
        outcome["response"] = client.get("/sparql", params={"query": RUNAWAY})
        outcome["elapsed"] = time.monotonic() - start

    thread = threading.Thread(target=runaway)
    thread.start()
    time.sleep(0.3)
    # While the runaway query holds one worker, another query and a non-query request still answer.
    start = time.monotonic()
    quick = client.get("/sparql", params={"query": QUICK})
    described = client.get("/sparql")
    quick_elapsed = time.monotonic() - start
    assert thread.is_alive(), "the runaway query should still be running"
    thread.join(timeout=10)

    assert quick.status_code == 200 and len(quick.json()["results"]["bindings"]) == 2
    assert described.status_code == 200
    assert quick_elapsed < 1.0, f"server blocked for {quick_elapsed:.2f}s"

    response = outcome["response"]
    assert response.status_code == 504
    assert response.json() == {
        "ok": False, "status": 504, "errors": [],
        "error": "問い合わせが制限時間 1.5 秒を超えたため中止しました / the query ran longer than 1.5 s and was stopped",
    }
    assert 1.4 < outcome["elapsed"] < 4.0
    pool = client.app.state.sparql_pool
    assert pool.killed == 1
    # The killed worker was replaced: queries keep working on a full pool.
    for _ in range(3):
        assert client.get("/sparql", params={"query": QUICK}).status_code == 200


def test_single_worker_recovers_after_timeout(make_client):
    client = make_client(query_timeout=1.0, query_workers=1, result_cache_size=0)
    assert client.get("/sparql", params={"query": RUNAWAY}).status_code == 504
    r = client.get("/sparql", params={"query": QUICK})
    assert r.status_code == 200 and len(r.json()["results"]["bindings"]) == 2


# --- row cap -------------------------------------------------------------------------------------

ALL = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
CONSTRUCT_ALL = "CONSTRUCT WHERE { ?s ?p ?o }"


@pytest.mark.parametrize(("max_rows", "rows", "truncated"), [(3, 3, "true"), (11, 11, "false"), (100, 11, "false")])
def test_row_cap_select(make_client, max_rows, rows, truncated):
    client = make_client(max_rows=max_rows)
    r = client.get("/sparql", params={"query": ALL})
    body = r.json()
    assert len(body["results"]["bindings"]) == rows  # the fixture holds 11 triples
    assert r.headers["x-policykg-truncated"] == truncated
    assert r.headers["x-policykg-row-limit"] == str(max_rows)
    assert set(body) == {"head", "results"}, "the W3C JSON body stays standard"


@pytest.mark.parametrize(("accept", "fmt"), [("text/turtle", "turtle"), ("application/n-triples", "nt")])
def test_row_cap_construct(make_client, accept, fmt):
    client = make_client(max_rows=4)
    r = client.get("/sparql", params={"query": CONSTRUCT_ALL}, headers={"Accept": accept})
    assert r.headers["x-policykg-truncated"] == "true"
    assert len(Graph().parse(data=r.content, format=fmt)) == 4


# --- body size -----------------------------------------------------------------------------------

LIMIT = 1000


def padded_query(size: int) -> str:
    q = "ASK {}"
    return q + " " * (size - len(q))


def chunks(data: bytes, size: int = 100):
    for i in range(0, len(data), size):
        yield data[i:i + size]


@pytest.mark.parametrize("size", [LIMIT - 200, LIMIT + 1, 50 * LIMIT])
@pytest.mark.parametrize("how", ["form", "direct", "chunked-direct", "chunked-form"])
def test_body_limit(make_client, how, size):
    client = make_client(max_body_bytes=LIMIT)
    text = padded_query(size)
    if how == "form":
        r = client.post("/sparql", data={"query": text})
    elif how == "direct":
        r = client.post("/sparql", content=text.encode(), headers={"Content-Type": "application/sparql-query"})
    else:
        ctype = "application/sparql-query" if how == "chunked-direct" else "application/x-www-form-urlencoded"
        body = text.encode() if how == "chunked-direct" else ("query=" + text.replace(" ", "+")).encode()
        r = client.post("/sparql", content=chunks(body), headers={"Content-Type": ctype})
        assert "content-length" not in {k.lower() for k in r.request.headers}, "must really be chunked"
    wire = len(r.request.content) if not how.startswith("chunked") else len(text) + (0 if how == "chunked-direct" else 6)
    if wire > LIMIT:
        assert r.status_code == 413, r.text
        assert r.json()["status"] == 413 and str(LIMIT) in r.json()["error"]
        assert r.headers["content-security-policy"] == "default-src 'self'"
    else:
        assert r.status_code == 200, r.text
        assert r.json()["boolean"] is True


# --- failures never leak --------------------------------------------------------------------------


def test_worker_killed_from_outside_gives_500_then_recovers(make_client):
    client = make_client(result_cache_size=0, query_timeout=8)
    assert client.get("/sparql", params={"query": QUICK}).status_code == 200
    pool = client.app.state.sparql_pool
    outcome: dict = {}
    thread = threading.Thread(target=lambda: outcome.setdefault("r", client.get("/sparql", params={"query": RUNAWAY})))
    thread.start()
    time.sleep(0.5)  # the runaway query is now running in the only worker
    victim = next(iter(pool._workers))
    victim.process.kill()
    thread.join(timeout=10)
    r = outcome["r"]
    assert r.status_code == 500
    assert r.json() == {"ok": False, "status": 500, "errors": [],
                        "error": "問い合わせの実行プロセスが異常終了しました / the query worker stopped unexpectedly"}
    assert r.headers["content-security-policy"] == "default-src 'self'"
    r = client.get("/sparql", params={"query": QUICK})  # a new worker is started for the next job
    assert r.status_code == 200


def test_unexpected_exception_is_a_bare_500_with_security_headers(small_store):
    from fastapi.testclient import TestClient

    from policykg.api.app import create_app

    from app_support import api_settings

    app = create_app(api_settings(), store=small_store)

    def boom() -> None:
        raise RuntimeError("secret engine detail at /work/main/x.py")

    app.add_api_route("/boom", boom)
    r = TestClient(app, raise_server_exceptions=False).get("/boom")
    assert r.status_code == 500
    assert "secret" not in r.text and "/work" not in r.text
    assert r.headers["content-security-policy"] == "default-src 'self'"
