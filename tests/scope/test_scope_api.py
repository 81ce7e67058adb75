"""The API for one jurisdiction and the national roll-ups: canned queries with ``?jurisdiction=``,
``/api/rollups`` read from the maintained summaries, and the lists scoped without copying."""

from __future__ import annotations

import pytest

from policykg.graph import summaries

KEYS = ("hokkaido", "test-city")


@pytest.fixture(scope="module")
def client(two_store):
    from fastapi.testclient import TestClient

    from app_support import api_settings
    from policykg.api.app import create_app
    from policykg.graph.store import OxigraphStore

    store = OxigraphStore()  # a copy: the roll-ups are written into it
    store.load_nquads("".join(sorted(two_store.nquad_set())).encode("utf-8"))
    with TestClient(create_app(api_settings(), store=store)) as c:
        yield c


def _bindings(reply) -> list[dict]:
    assert reply.status_code == 200, reply.text
    return reply.json()["results"]["bindings"]


@pytest.mark.parametrize("key", KEYS)
def test_a_canned_query_with_a_jurisdiction_answers_for_it_only(client, two_store, key):
    from policykg.graph.jurisdictions import select_in
    from policykg.graph.queries import load_query

    rows = _bindings(client.get("/api/queries/measures-without-alignment", params={"jurisdiction": key}))
    whole = _bindings(client.get("/api/queries/measures-without-alignment"))
    expected = select_in(two_store, key, load_query("measures-without-alignment"))
    assert [r["measure"]["value"] for r in rows] == [str(r["measure"]) for r in expected]
    assert rows and len(rows) < len(whole)
    assert all(f"/id/{key}/" in r["measure"]["value"] for r in rows)


def test_an_unknown_jurisdiction_is_a_404_listing_the_known_keys(client):
    reply = client.get("/api/queries/entity-counts", params={"jurisdiction": "nowhere"})
    assert reply.status_code == 404
    assert "hokkaido" in reply.text


def test_rollups_come_from_the_summaries_and_match_a_recomputation(client):
    doc = client.get("/api/rollups").json()
    store = client.app.state.store
    assert summaries.enabled(store)
    per, totals, _index = summaries.recompute(store)
    assert {i["iri"]: (i["jurisdictions"], i["measures"]) for i in doc["national_items"]} == totals.items
    assert {j["key"]: j["gaps"] for j in doc["jurisdictions"]} == {k: s.gaps for k, s in per.items()}
    assert {j["key"] for j in doc["jurisdictions"]} == set(KEYS)
    assert any(i["jurisdictions"] == 2 for i in doc["national_items"])
    one = client.get("/api/rollups", params={"part": "jurisdictions", "jurisdiction": "test-city"}).json()
    assert [j["key"] for j in one["jurisdictions"]] == ["test-city"] and set(one) == {"jurisdictions"}


def test_rollups_follow_a_write(client):
    """A write through the store (here a SPARQL Update removing the city's alignments) shows in the next answer."""
    store = client.app.state.store
    before = {j["key"]: j["gaps"] for j in client.get("/api/rollups", params={"part": "jurisdictions"}).json()["jurisdictions"]}
    store.update("""DELETE { GRAPH ?g { ?a ?p ?o } } WHERE { GRAPH ?g { ?a <https://w3id.org/policykg/ontology#localItem> ?m ; ?p ?o
                    FILTER(STRSTARTS(STR(?m), "https://w3id.org/policykg/id/test-city/")) } }""")
    after = {j["key"]: j["gaps"] for j in client.get("/api/rollups", params={"part": "jurisdictions"}).json()["jurisdictions"]}
    assert after["test-city"]["measures_without_alignment"] > before["test-city"]["measures_without_alignment"]
    assert after["hokkaido"] == before["hokkaido"]


def test_a_bad_part_is_a_422(client):
    assert client.get("/api/rollups", params={"part": "everything"}).status_code == 422


def test_the_rollups_route_is_documented(client):
    spec = client.get("/openapi.json").json()
    assert "/api/rollups" in spec["paths"]
    assert "never recomputed per request" in spec["paths"]["/api/rollups"]["get"]["description"]
