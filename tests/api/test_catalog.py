"""The JSON API on a small hand-written graph (tests/data/catalog/mini.ttl, numbers from the deck):
shapes, ordering, languages, paging bounds and every error path in the one error shape."""

from __future__ import annotations

import pytest

from rdflib import URIRef

from policykg.namespaces import GRAPH

from app_support import load_catalog


@pytest.fixture()
def mini(make_client):
    return make_client(store=load_catalog("mini.ttl"))


def assert_error_shape(response, status: int) -> dict:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["ok"] is False and body["status"] == status and body["error"], body
    assert isinstance(body["errors"], list)
    return body


def test_areas_in_plan_order_with_directions(mini):
    body = mini.get("/api/areas").json()
    assert body["total"] == 2 and body["lang"] == "ja"
    first = body["items"][0]
    assert (first["label"], first["notation"], first["ordinal"]) == ("暮らし", "1", 1)
    assert first["goal"] == "未来技術を活用して将来にわたり安全・安心で豊かな生活の実現"
    assert [d["notation"] for d in first["directions"]] == ["1c", "1d"]
    assert first["url"] == "/id/hokkaido/area/hokkaido-area-1"


@pytest.mark.parametrize(("lang", "first", "second"), [("ja", "暮らし", "産業"), ("en", "Living", "産業")])
def test_lang_picks_labels_with_japanese_fallback(mini, lang, first, second):
    items = mini.get("/api/areas", params={"lang": lang}).json()["items"]
    assert [a["label"] for a in items] == [first, second]
    if lang == "en":
        assert items[0]["url"].endswith("?lang=en")


def test_directions_carry_area_and_alt_labels(mini):
    items = {d["notation"]: d for d in mini.get("/api/directions").json()["items"]}
    assert list(items) == ["1c", "1d", "2d"]
    assert items["1d"]["alt_labels"] == ["住民の暮らしに欠かせない地域交通の安定的な確保"]
    assert items["2d"]["area"]["label"] == "産業"


def test_measures_list_directions_and_areas(mini):
    items = {m["label"]: m for m in mini.get("/api/measures").json()["items"]}
    maas = items["北海道型のMaaSの展開"]
    assert [d["notation"] for d in maas["directions"]] == ["1d", "2d"]
    assert [a["label"] for a in maas["areas"]] == ["暮らし", "産業"]
    assert items["自動運転開発の促進"]["areas"][0]["label"] == "暮らし"


def test_measure_detail_has_source_locations_and_links(mini):
    body = mini.get("/api/measures/m-maas").json()
    assert [(s["slide"], s["line"]) for s in body["source_locations"]] == [(13, 378), (14, 390)]
    assert body["source_locations"][1]["section"] == "道の取組（②産業）"
    assert body["trace_url"] == "/api/measures/m-maas/trace"
    assert body["viz_url"] == "/viz?focus=m-maas"


def test_national_items_with_plan_kind_and_parent(mini):
    items = mini.get("/api/national-items").json()["items"]
    assert [i["id"] for i in items] == ["n-kiban", "n-mynumber"]  # parent before child
    child = items[1]
    assert child["kind"] == "NationalMeasure"
    assert child["parent"]["label"] == "デジタル基盤整備"
    assert child["plan"]["id"] == "digiden-strategy"
    assert items[0]["kind"] == "Pillar" and items[0]["parent"] is None


def test_indicators_numeric_period_and_qualitative(mini):
    items = {i["label"]: i for i in mini.get("/api/indicators").json()["items"]}
    jido = items["自動運転実証試験件数"]
    assert jido["kind"] == "numeric" and jido["unit"] == "Count" and jido["desired_direction"] == "HigherIsBetter"
    assert (jido["baseline"]["value"], jido["baseline"]["date"], jido["baseline"]["original_text"]) == (24, "2020-03-31", "2019/R1")
    target = jido["targets"][0]
    assert (target["value"], target["due_date"], target["comparator"]) == (36, "2026-03-31", "AtLeast")
    risk = items["リスク分散による企業立地件数"]["targets"][0]
    assert risk["period_target"] is True and (risk["period_start"], risk["period_end"]) == ("2020-04-01", "2025-03-31")
    qual = items["安全・安心の確保に向けた未来技術活用の促進"]
    assert qual["kind"] == "qualitative" and qual["baseline"] is None and qual["targets"] == []
    assert qual["promotion_goal"] == "道民生活の質を向上させる未来技術の導入事例の充実"


@pytest.mark.parametrize(("q", "expected"), [
    ("ｉｃｔ　を活用した鳥獣害対策", "ICTを活用した鳥獣害対策"),   # full width + ideographic space
    ("ICT を活用", "ICTを活用した鳥獣害対策"),                    # spacing ignored
    ("maas", "北海道型のMaaSの展開"),                             # case folded
    ("地域交通の安定的な確保", "住民の暮らしに欠かせない地域交通・物流の安定的な確保"),  # via altLabel
    ("Living", "暮らし"),                                          # English label, ja display
])
def test_search_is_tolerant(mini, q, expected):
    items = mini.get("/api/search", params={"q": q}).json()["items"]
    assert items and items[0]["label"] == expected, items


def test_search_ranks_exact_before_substring(mini):
    items = mini.get("/api/search", params={"q": "暮らし"}).json()["items"]
    assert items[0]["label"] == "暮らし" and items[0]["score"] == 1.0
    assert all(i["score"] < 1.0 for i in items[1:])


def test_paging_slices_and_reports_total(mini):
    body = mini.get("/api/measures", params={"limit": 1, "offset": 1}).json()
    assert (body["total"], body["limit"], body["offset"], len(body["items"])) == (3, 1, 1, 1)
    everything = mini.get("/api/measures").json()["items"]
    assert body["items"][0]["id"] == everything[1]["id"]


def test_overview_counts(mini):
    body = mini.get("/api/overview").json()
    assert body["counts"]["areas"] == 2 and body["counts"]["measures"] == 3 and body["counts"]["indicators"] == 3
    assert body["graphs"] == [str(GRAPH["mini"])]
    assert {"id": "Measure", "count": 3}.items() <= next(c for c in body["classes"] if c["id"] == "Measure").items()


def test_queries_listed_with_descriptions(mini):
    body = mini.get("/api/queries", params={"lang": "en"}).json()
    names = [q["name"] for q in body["items"]]
    assert "entity-counts" in names and names == sorted(names)
    status = next(q for q in body["items"] if q["name"] == "indicator-status")
    assert status["description"] == status["description_en"] and status["description_ja"]
    assert status["params"][0]["name"] == "asOf" and status["params"][0]["datatype"] == "xsd:date"


def test_canned_query_returns_w3c_json(mini):
    body = mini.get("/api/queries/entity-counts").json()
    assert set(body) == {"head", "results"} and body["head"]["vars"]
    counts = {b[body["head"]["vars"][0]]["value"]: b for b in body["results"]["bindings"]}
    assert "https://w3id.org/policykg/ontology#Measure" in counts


def test_canned_query_binds_a_parameter(mini):
    ok = mini.get("/api/queries/indicator-status", params={"asOf": "2024-01-01"})
    assert ok.status_code == 200 and "asOf" in ok.json()["head"]["vars"]


@pytest.mark.parametrize(("url", "params", "status"), [
    ("/api/measures/no-such-measure", {}, 404),
    ("/api/measures/hokkaido-area-1", {}, 404),          # an id, but not a measure
    ("/api/areas", {"lang": "fr"}, 422),
    ("/api/areas", {"limit": 0}, 422),
    ("/api/areas", {"limit": 100000}, 422),
    ("/api/areas", {"offset": -1}, 422),
    ("/api/measures", {"limit": "many"}, 422),
    ("/api/search", {}, 422),
    ("/api/search", {"q": ""}, 422),
    ("/api/search", {"q": "x" * 201}, 422),
    ("/api/queries/no-such-query", {}, 404),
    ("/api/queries/indicator-status", {"asOf": "not-a-date"}, 400),
    ("/api/queries/entity-counts", {"bogus": "1"}, 400),
    ("/api/queries/entity-counts", {"lang": "xx"}, 200),  # lang is not a query parameter
])
def test_errors_use_the_one_shape(mini, url, params, status):
    response = mini.get(url, params=params)
    if status == 200:
        assert response.status_code == 200
        return
    body = assert_error_shape(response, status)
    if url.endswith("no-such-query"):
        assert "entity-counts" in body["error"]  # lists the available names


def test_canned_parameter_is_bound_not_spliced(mini):
    hostile = '2024-01-01"^^xsd:date } } DROP ALL #'
    assert_error_shape(mini.get("/api/queries/indicator-status", params={"asOf": hostile}), 400)
    assert mini.get("/api/areas").json()["total"] == 2


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_overview_counts_without_the_label_index_are_the_label_index_counts(hokkaido_store, lang):
    """The overview counts by two aggregate queries and names classes from the ontology (the home page must
    not wait for the store's whole label index at national scale); the answer is what the index gives."""
    from policykg.api.catalog.labels import label_index
    from policykg.api.catalog.overview import HEADLINE, overview

    body = overview(hokkaido_store, lang)
    index = label_index(hokkaido_store)
    for kind, classes in HEADLINE.items():
        assert body["counts"][kind] == len({s for s, types in index.types.items() if any(c in types for c in classes)}), kind
    assert body["counts"]["measures"] > 0 and body["counts"]["indicators"] > 0
    assert len(body["classes"]) > 10
    for entry in body["classes"]:
        assert {k: v for k, v in entry.items() if k != "count"} == index.ref(URIRef(entry["iri"]), lang)


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_national_lists_read_only_their_entities_labels(hokkaido_store, monkeypatch, lang):
    """The national lists name their plans, items and parents from a label index of those entities only
    (at national scale the store's whole index takes minutes); the lists are what the whole index gives."""
    import json

    from policykg.api.catalog import national
    from policykg.api.catalog.labels import label_index

    new = national.list_national_plans(hokkaido_store, lang), national.list_national_items(hokkaido_store, lang)
    monkeypatch.setattr(national, "read_label_index_of", lambda store, subjects: label_index(store))
    old = national.list_national_plans(hokkaido_store, lang), national.list_national_items(hokkaido_store, lang)
    assert len(new[0]) >= 4 and len(new[1]) >= 90
    assert json.dumps(new, ensure_ascii=False, default=str) == json.dumps(old, ensure_ascii=False, default=str)


def test_a_label_index_of_some_subjects_is_the_whole_index_for_them(hokkaido_store):
    from policykg.api.catalog.labels import label_index
    from policykg.graph.queries import read_label_index_of

    whole = label_index(hokkaido_store)
    some = sorted(whole.types, key=str)[::25]
    part = read_label_index_of(hokkaido_store, some)
    assert len(some) > 10 and set(part.types) == set(some)
    for s in some:
        assert part.types[s] == whole.types[s] and part.names.get(s) == whole.names.get(s), s
    assert read_label_index_of(hokkaido_store, []).types == {}
