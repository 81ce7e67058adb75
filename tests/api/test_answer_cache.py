"""The JSON API's per-generation answer cache (policykg.api.answers).

* repeats are served from stored bytes: no SPARQL, no rebuild;
* an accepted SPARQL update is visible to every later request (lists, one measure, search, overview,
  entity RDF, pages), because keys carry ``store.generation``;
* the cache itself: generation drop, stale puts ignored, one build per key under concurrency, size 0.
"""

from __future__ import annotations

import threading
import time
from urllib.parse import quote

import pytest

from policykg.api.answers import AnswerCache

TOKEN = "cache-test-token"
NEW_MEASURE = "https://w3id.org/policykg/id/test/m-new"
INSERT = (
    "PREFIX pk: <https://w3id.org/policykg/ontology#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
    "INSERT DATA { GRAPH <https://w3id.org/policykg/graph/test-b> { "
    f"<{NEW_MEASURE}> a pk:Measure ; skos:prefLabel \"新しい取組\"@ja ; pk:area <https://w3id.org/policykg/id/test/area-1> }} }}"
)
AUTH = {"Authorization": f"Bearer {TOKEN}"}

CACHED_URLS = [
    "/api/measures", "/api/measures?lang=en&limit=1&offset=1", "/api/areas", "/api/directions",
    "/api/national-plans", "/api/national-items", "/api/indicators", "/api/overview",
    "/api/search?q=%E5%8F%96%E7%B5%84", "/api/queries", "/api/measures/m-1",
    "/id/test/m-1.ttl", "/id/test/m-1.jsonld", "/api/gaps?as_of=2025-01-01",
]


def measure_ids(client, **params) -> list[str]:
    r = client.get("/api/measures", params=params)
    assert r.status_code == 200, r.text
    return [m["id"] for m in r.json()["items"]]


def test_repeats_are_served_without_sparql(make_client, small_store, monkeypatch):
    client = make_client(small_store)
    first = {url: client.get(url) for url in CACHED_URLS}
    assert all(r.status_code == 200 for r in first.values()), {u: r.status_code for u, r in first.items()}
    cache = client.app.state.answer_cache
    builds = cache.builds

    def no_sparql(*args, **kwargs):
        raise AssertionError("a cached answer ran SPARQL")

    monkeypatch.setattr(small_store, "query", no_sparql)
    for url, before in first.items():
        again = client.get(url)
        assert again.status_code == 200, url
        assert again.content == before.content, url
        assert again.headers["content-type"] == before.headers["content-type"], url
    assert cache.builds == builds, "a repeat rebuilt its answer"


def test_cached_list_keeps_the_documented_shape(make_client, small_store):
    client = make_client(small_store)
    body = client.get("/api/measures", params={"limit": 1, "offset": 1}).json()
    assert set(body) == {"total", "limit", "offset", "items", "lang"}
    assert (body["total"], body["limit"], body["offset"], body["lang"]) == (2, 1, 1, "ja")
    assert set(body["items"][0]) >= {"id", "iri", "label", "url", "alt_labels", "directions", "areas"}


@pytest.mark.parametrize("cache_size", [1024, 0], ids=["cache-on", "cache-off"])
def test_accepted_update_is_visible_to_every_later_request(make_client, small_store, cache_size):
    client = make_client(small_store, api_token=TOKEN, api_cache_size=cache_size)
    assert sorted(measure_ids(client)) == ["m-1", "m-2"]
    assert client.get("/api/measures/m-new").status_code == 404
    assert client.get("/api/search", params={"q": "新しい"}).json()["total"] == 0
    overview_before = client.get("/api/overview").json()["counts"]["measures"]
    assert client.get("/id/test/m-new.ttl").status_code == 404
    assert "新しい取組" not in client.get("/measures").text

    r = client.post("/sparql", data={"update": INSERT}, headers=AUTH)
    assert r.status_code == 204, r.text

    assert "m-new" in measure_ids(client)
    assert "m-new" in measure_ids(client, lang="en")
    assert client.get("/api/measures/m-new").json()["label"] == "新しい取組"
    assert client.get("/api/search", params={"q": "新しい"}).json()["items"][0]["id"] == "m-new"
    assert client.get("/api/overview").json()["counts"]["measures"] == overview_before + 1
    assert "新しい取組" in client.get("/id/test/m-new.ttl").text
    assert "新しい取組" in client.get("/measures").text
    assert client.get("/sparql", params={"query": f"ASK {{ <{NEW_MEASURE}> ?p ?o }}"}).json()["boolean"] is True


def test_unknown_ids_are_404_and_not_cached_as_answers(make_client, small_store):
    client = make_client(small_store)
    for _ in range(2):
        r = client.get("/api/measures/" + quote("no-such"))
        assert r.status_code == 404 and r.json()["ok"] is False


# --- the cache itself ------------------------------------------------------------------------------


def test_generation_change_drops_older_answers():
    cache = AnswerCache(size=10)
    cache.put(0, "k", b"old")
    assert cache.get(0, "k") == b"old"
    assert cache.get(1, "k") is None
    cache.put(1, "k", b"new")
    assert cache.get(1, "k") == b"new" and cache.get(0, "k") is None


def test_answer_built_from_an_older_generation_is_never_stored():
    cache = AnswerCache(size=10)
    cache.put(2, "k", b"current")
    cache.put(1, "k", b"stale")  # a slow build that started before the write
    assert cache.get(2, "k") == b"current"
    assert cache.get(1, "k") is None


def test_least_recently_used_answer_goes_first():
    cache = AnswerCache(size=2)
    cache.put(0, "a", 1)
    cache.put(0, "b", 2)
    cache.get(0, "a")
    cache.put(0, "c", 3)
    assert cache.get(0, "b") is None and cache.get(0, "a") == 1 and cache.get(0, "c") == 3


def test_size_zero_caches_nothing():
    cache = AnswerCache(size=0)
    assert cache.get_or_build(0, "k", lambda: b"x") == b"x"
    assert cache.get(0, "k") is None


def test_concurrent_misses_build_once():
    cache = AnswerCache(size=10)
    calls = []

    def build():
        calls.append(1)
        time.sleep(0.2)
        return b"answer"

    answers = []
    threads = [threading.Thread(target=lambda: answers.append(cache.get_or_build(0, "k", build))) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert answers == [b"answer"] * 8
    assert len(calls) == 1


def test_failed_build_stores_nothing():
    cache = AnswerCache(size=10)

    def boom():
        raise LookupError("no")

    with pytest.raises(LookupError):
        cache.get_or_build(0, "k", boom)
    assert cache.get(0, "k") is None
    assert cache.get_or_build(0, "k", lambda: b"ok") == b"ok"


def test_total_bytes_are_bounded():
    cache = AnswerCache(size=100, max_bytes=10)
    cache.put(0, "a", b"12345")
    cache.put(0, "b", b"12345")
    cache.put(0, "c", b"12345")
    assert cache.get(0, "a") is None, "the oldest answer made room"
    assert cache.get(0, "b") == b"12345" and cache.get(0, "c") == b"12345"
    cache.put(0, "c", b"1")
    cache.put(0, "d", b"1234")
    assert cache.get(0, "b") == b"12345", "replacing a value frees its bytes"
