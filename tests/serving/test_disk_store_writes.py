"""A server over an on-disk store: every write through the API (SPARQL Update, observation upload) is seen
by the next query, which a confined worker answers from the store's own directory (issue 13, item 3)."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app_support import api_settings
from policykg.api.app import create_app
from policykg.graph import sandbox
from project_paths import SOURCE_DECK

TOKEN = "disk-store-token"
OBSERVATIONS = Path(__file__).parent.parent / "pages" / "data" / "synthetic-observations.csv"
COUNT_OBSERVATIONS = ("PREFIX pk: <https://w3id.org/policykg/ontology#> "
                      "SELECT (COUNT(?o) AS ?n) WHERE { ?o a pk:IndicatorObservation }")

pytestmark = pytest.mark.skipif(not sandbox.available() or sandbox.landlock_abi() == 0,
                                reason="needs Linux with seccomp and Landlock")


@pytest.fixture()
def client(tmp_path):
    from policykg.graph.build import build_store, bundled_alignment_files

    store = build_store([SOURCE_DECK, *bundled_alignment_files()], store_dir=tmp_path / "store")
    with TestClient(create_app(api_settings(api_token=TOKEN, result_cache_size=0), store=store)) as c:
        yield c


def ask(client, query: str) -> dict:
    response = client.get("/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200, response.text
    return response.json()


def n(client, query: str) -> int:
    return int(ask(client, query)["results"]["bindings"][0]["n"]["value"])


def test_the_workers_share_the_store_directory(client):
    ask(client, "ASK {}")
    pool = client.app.state.sparql_pool
    assert pool.shared_path == str(client.app.state.store.path.resolve())
    assert pool.confinement.readable == (pool.shared_path,)


def test_an_update_is_seen_by_the_next_query(client):
    probe = 'ASK { GRAPH <http://example.org/g> { <http://example.org/s> <http://example.org/p> "written" } }'
    assert ask(client, probe)["boolean"] is False
    r = client.post("/sparql", data={"update": 'INSERT DATA { GRAPH <http://example.org/g> { '
                                               '<http://example.org/s> <http://example.org/p> "written" } }'},
                    headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 204, r.text
    assert ask(client, probe)["boolean"] is True
    r = client.post("/sparql", data={"update": "DROP GRAPH <http://example.org/g>"},
                    headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 204, r.text
    assert ask(client, probe)["boolean"] is False


def test_an_observation_upload_is_seen_by_the_next_query(client):
    before = n(client, COUNT_OBSERVATIONS)
    r = client.post("/observations", files={"file": ("obs.csv", OBSERVATIONS.read_bytes(), "text/csv")},
                    data={"token": TOKEN}, headers={"Accept": "application/json"})
    assert r.status_code == 200, r.text
    assert n(client, COUNT_OBSERVATIONS) == before + r.json()["loaded"] > before
