"""GET /viz (HTML) and GET /viz.json (its JSON twin) through the app factory."""

from __future__ import annotations

import html

import pytest

from policykg.namespaces import sparql_prefixes

from viz_support import embedded, sparql_count


@pytest.fixture()
def client(make_client, mini_store):
    return make_client(mini_store)


@pytest.mark.parametrize("params, kind_class", [
    ({"kind": "measure"}, "pk:Measure"),
    ({"kind": "direction,area"}, "pk:PolicyDirection, pk:PolicyArea"),
    ({"kind": ["indicator", "phase"]}, "pk:NumericIndicator, pk:QualitativeIndicator, pk:RoadmapPhase"),
])
def test_json_twin_counts_match_sparql(client, mini_store, params, kind_class):
    expected = sparql_count(mini_store, kind_class.replace(",", " "))
    body = client.get("/viz.json", params=params).json()
    assert body["ok"] is True
    assert body["counts"]["nodes"] == len(body["nodes"]) == expected
    page = client.get("/viz", params=params)
    assert len(embedded(page.text)["nodes"]) == expected


def test_page_headers_and_alternate(client):
    response = client.get("/viz", params={"kind": "measure", "lang": "en"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    csp = response.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert 'rel="alternate" type="application/json" href="/viz.json?kind=measure"' in response.text
    assert '<html lang="en">' in response.text


def test_json_twin_has_model_and_legend(client):
    body = client.get("/viz.json", params={"evidence": "inferred", "min_score": 0.5}).json()
    aligned = [e for e in body["edges"] if e["ev"] != "structure"]
    assert [e["score"] for e in aligned] == [0.81]
    assert body["filters"] == {"evidence": "inferred", "min_score": 0.5}
    assert {k["key"] for k in body["legend"]["kinds"]} >= {"plan", "measure", "indicator", "phase"}


def test_focus_by_label(client):
    body = client.get("/viz.json", params={"focus": "暮らし", "hops": 1}).json()
    assert body["focus"].endswith("testpref-area-1")
    assert sorted(n["key"] for n in body["nodes"]) == ["phase-p1", "phase-p2", "plan", "testpref-area-1", "testpref-dir-1a"]


@pytest.mark.parametrize("path", ["/viz", "/viz.json"])
@pytest.mark.parametrize("params, status, needle", [
    ({"kind": "widget"}, 400, "allowed"),
    ({"evidence": "rumour"}, 400, "inferred"),
    ({"focus": "存在しないラベル"}, 404, "存在しないラベル"),
    ({"focus": "安心で質の高い医療・福祉サービスの強化"}, 409, "ambiguous"),
    ({"hops": 9}, 422, "invalid"),
    ({"min_score": 2}, 422, "invalid"),
])
def test_bad_parameters_get_the_one_error_shape(client, path, params, status, needle):
    response = client.get(path, params=params)
    assert response.status_code == status
    body = response.json()
    assert body["ok"] is False and body["status"] == status and needle in body["error"]


def test_unknown_layout_is_rejected(client):
    response = client.get("/viz", params={"layout": "spiral"})
    assert response.status_code == 422 and response.json()["ok"] is False


def test_cached_per_generation_so_updates_show_next_view(make_client, mini_store_rw):
    client = make_client(mini_store_rw)
    first = client.get("/viz", params={"kind": "measure"}).text
    cache = client.app.state.viz_cache
    builds = cache.builds
    assert client.get("/viz", params={"kind": "measure"}).text == first
    assert cache.builds == builds   # served from the cache: nothing rebuilt
    mini_store_rw.update(sparql_prefixes() + """
        INSERT DATA { GRAPH <https://w3id.org/policykg/graph/extra> {
          <https://w3id.org/policykg/id/testpref/measure/m-new> a pk:Measure ; skos:prefLabel "新しい取組"@ja . } }""")
    second = client.get("/viz", params={"kind": "measure"}).text
    assert len(embedded(second)["nodes"]) == len(embedded(first)["nodes"]) + 1
    assert "新しい取組" in html.unescape(second) or "新しい取組" in second


def test_default_language_comes_from_settings(make_client, mini_store):
    client = make_client(mini_store, default_lang="en")
    assert '<html lang="en">' in client.get("/viz").text
    assert '<html lang="ja">' in client.get("/viz", params={"lang": "ja"}).text
