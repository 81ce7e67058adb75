"""Several jurisdictions side by side when serving (issue 12 item 4): テスト市 built beside Hokkaido from
the workbook, then every list of the JSON API, /api/gaps, the pages and the home page by jurisdiction,
and the canned query of which jurisdictions support each national item.
"""

from __future__ import annotations

import pytest

from pages.html_support import OPAQUE_ID, links, text

CITY = "test-city"
NATIONAL = "職業訓練のデジタル分野の重点化"
"""The national measure the city's one alignment (CITY_ROWS) names; Hokkaido has no measure for it."""
SHARED = "デジタル人材の育成・確保"
"""Its parent: Hokkaido supports it directly, the city through the sub-item (skos:broader roll-up)."""
KEYS = ("hokkaido", CITY)
LISTS = ("areas", "directions", "measures", "indicators")


@pytest.fixture(scope="module")
def client(city_client):
    return city_client


def _items(client, name: str, **params) -> list[dict]:
    reply = client.get(f"/api/{name.replace('_', '-')}", params={"limit": 1000, **params})
    assert reply.status_code == 200, reply.text
    return reply.json()["items"]


@pytest.mark.parametrize("name", LISTS)
def test_each_list_filtered_by_each_key_holds_only_that_jurisdiction(client, name):
    everything = _items(client, name)
    local = [i for i in everything if i["jurisdiction"]]
    assert {i["jurisdiction"]["key"] for i in local} == set(KEYS)
    for key in KEYS:
        mine = _items(client, name, jurisdiction=key)
        assert mine, (name, key)
        assert all(i["jurisdiction"]["key"] == key for i in mine), (name, key)
        assert all(i["iri"].startswith(f"https://w3id.org/policykg/id/{key}/") for i in mine)
        assert sorted(i["iri"] for i in mine) == sorted(i["iri"] for i in local if i["jurisdiction"]["key"] == key)


def test_items_carry_their_jurisdiction_and_the_two_living_areas_do_not_collide(client):
    areas = _items(client, "areas")
    living = {a["jurisdiction"]["key"]: a for a in areas if a["label"] == "暮らし"}
    assert set(living) == set(KEYS) and living["hokkaido"]["id"] != living[CITY]["id"]
    assert living[CITY]["jurisdiction"] == {"key": CITY, "label": "テスト市"}
    assert living["hokkaido"]["jurisdiction"] == {"key": "hokkaido", "label": "北海道"}
    city = _items(client, "areas", jurisdiction=CITY)
    assert [a["label"] for a in city] == ["暮らし", "産業"] and city[0]["id"] == f"{CITY}-area-1"
    assert [a["id"] for a in _items(client, "areas", jurisdiction="hokkaido") if a["label"] == "暮らし"] == ["hokkaido-area-1"]
    en = client.get("/api/areas", params={"jurisdiction": CITY, "lang": "en"}).json()["items"]
    assert en[0]["jurisdiction"] == {"key": CITY, "label": "Test City"}


def test_the_city_lists_hold_exactly_its_workbook_rows(client):
    assert sorted(m["label"] for m in _items(client, "measures", jurisdiction=CITY)) == [
        "職業訓練によるデジタル人材育成", "電子申請の全手続対応"]
    assert sorted(d["notation"] for d in _items(client, "directions", jurisdiction=CITY)) == ["1a", "2a"]
    assert len(_items(client, "measures", jurisdiction="hokkaido")) == 39
    assert {i["label"] for i in _items(client, "indicators", jurisdiction=CITY)} == {
        "電子申請に対応した手続の割合", "デジタル化支援を受けた企業の満足度向上"}
    progress = client.get("/api/progress", params={"jurisdiction": CITY, "as_of": "2026-12-03"}).json()
    assert [i["label"] for i in progress["indicators"]] == ["電子申請に対応した手続の割合"]
    assert [i["label"] for i in progress["qualitative"]] == ["デジタル化支援を受けた企業の満足度向上"]


def test_search_tells_the_jurisdictions_apart_and_filters(client):
    hits = client.get("/api/search", params={"q": "暮らし", "limit": 100}).json()["items"]
    areas = {h["id"]: h["jurisdiction"]["key"] for h in hits if h["label"] == "暮らし"}
    assert areas == {"hokkaido-area-1": "hokkaido", f"{CITY}-area-1": CITY}
    city = client.get("/api/search", params={"q": "暮らし", "jurisdiction": CITY}).json()["items"]
    assert city and {h["jurisdiction"]["key"] for h in city} == {CITY}


def test_national_items_by_jurisdiction_are_those_its_measures_support(client):
    everything = _items(client, "national_items")
    assert all(i["jurisdiction"] is None for i in everything)
    city = {i["label"] for i in _items(client, "national_items", jurisdiction=CITY)}
    hokkaido = {i["label"] for i in _items(client, "national_items", jurisdiction="hokkaido")}
    assert NATIONAL in city and NATIONAL not in hokkaido
    assert "デジタル基盤整備" in hokkaido and "デジタル基盤整備" not in city
    assert city < {i["label"] for i in everything}
    assert len(_items(client, "national_plans", jurisdiction=CITY)) == len(_items(client, "national_plans"))


@pytest.mark.parametrize("path", ["/api/areas", "/api/directions", "/api/measures", "/api/indicators",
                                  "/api/national-items", "/api/gaps", "/areas", "/gaps"])
def test_an_unknown_key_is_a_404_listing_the_known_keys(client, path):
    reply = client.get(path, params={"jurisdiction": "sapporo"}, headers={"Accept": "application/json"})
    assert reply.status_code == 404, reply.text
    if path.startswith("/api/"):
        body = reply.json()
        assert body["ok"] is False and body["status"] == 404
        error = body["error"]
        assert "hokkaido" in error and CITY in error and "sapporo" in error
        assert error.index("テスト市") < error.index("known keys")  # Japanese first, then English


def test_gaps_for_the_city_count_only_its_measures(client):
    city = client.get("/api/gaps", params={"jurisdiction": CITY, "as_of": "2026-12-03"}).json()
    both = client.get("/api/gaps", params={"as_of": "2026-12-03"}).json()
    hokkaido = client.get("/api/gaps", params={"jurisdiction": "hokkaido", "as_of": "2026-12-03"}).json()
    assert city["jurisdiction"] == CITY and "jurisdiction" not in both
    assert {m["label"] for m in city["measures_without_alignment"]} == {"電子申請の全手続対応"}
    assert "電子申請の全手続対応" in {m["label"] for m in both["measures_without_alignment"]}
    assert "電子申請の全手続対応" not in {m["label"] for m in hokkaido["measures_without_alignment"]}
    city_gaps = {i["label"] for i in city["national_items_without_measures"]}
    hokkaido_gaps = {i["label"] for i in hokkaido["national_items_without_measures"]}
    assert NATIONAL not in city_gaps and NATIONAL in hokkaido_gaps
    assert "デジタル基盤整備" in city_gaps and "デジタル基盤整備" not in hokkaido_gaps
    assert sum(map(sum, city["coverage_matrix"]["counts"])) < sum(map(sum, hokkaido["coverage_matrix"]["counts"]))


def _select_box(html: str) -> str:
    start = html.index('<form class="jurisdiction"')
    return html[start:html.index("</form>", start)]


@pytest.mark.parametrize("path", ["/areas", "/directions", "/measures", "/national-items", "/indicators", "/gaps"])
def test_the_list_pages_offer_a_select_box_japanese_first(client, path):
    html = client.get(path).text
    form = _select_box(html)
    assert 'name="jurisdiction"' in form and "自治体" in text(form)
    assert '<option value="hokkaido">北海道</option>' in form and f'<option value="{CITY}">テスト市</option>' in form
    assert '<option value="" selected>すべての自治体</option>' in form
    chosen = _select_box(client.get(path, params={"jurisdiction": CITY}).text)
    assert f'<option value="{CITY}" selected>テスト市</option>' in chosen
    english = _select_box(client.get(path, params={"lang": "en"}).text)
    assert "Test City" in english and 'name="lang" value="en"' in english


def test_the_measures_page_filters_by_jurisdiction(client):
    city = client.get("/measures", params={"jurisdiction": CITY}).text
    assert "電子申請の全手続対応" in city and "北海道型のMaaSの展開" not in city
    assert f'href="/api/measures?jurisdiction={CITY}"' in city  # its JSON twin is filtered too
    hokkaido = client.get("/measures", params={"jurisdiction": "hokkaido"}).text
    assert "北海道型のMaaSの展開" in hokkaido and "電子申請の全手続対応" not in hokkaido
    both = client.get("/measures").text
    assert "電子申請の全手続対応" in both and "北海道型のMaaSの展開" in both
    csv = client.get("/measures.csv", params={"jurisdiction": CITY}).content.decode("utf-8-sig")
    assert "電子申請の全手続対応" in csv and "北海道型のMaaSの展開" not in csv


def test_the_areas_and_gaps_pages_filter_by_jurisdiction(client):
    areas = client.get("/areas", params={"jurisdiction": CITY}).text
    assert [href for href, label in links(areas) if label == "暮らし"] == [f"/id/{CITY}/area/{CITY}-area-1"]
    gaps = client.get("/gaps", params={"jurisdiction": CITY, "as_of": "2026-12-03"}).text
    unaligned = gaps[gaps.index('id="measures_without_alignment"'):]
    unaligned = unaligned[:unaligned.index("</section>")]
    assert "電子申請の全手続対応" in unaligned and "道庁テレワークの推進" not in unaligned
    assert f"jurisdiction={CITY}" in gaps[gaps.index('class="downloads"'):]  # downloads keep the choice


def test_the_home_page_lists_both_jurisdictions_with_their_area_trees(client):
    html = client.get("/").text
    for key, name, area in (("hokkaido", "北海道", "hokkaido-area-1"), (CITY, "テスト市", f"{CITY}-area-1")):
        start = html.index(f'id="jurisdiction-{key}"')
        part = html[start:html.index("</section>", start)]
        hrefs = dict(links(part))
        assert hrefs[f"/areas?jurisdiction={key}"] == name
        assert hrefs[f"/id/{key}/area/{area}"] == "暮らし"
        assert all(href.startswith((f"/id/{key}/", "/areas?")) for href in hrefs)


def test_the_canned_query_returns_both_jurisdictions_for_the_shared_item(client, city_store):
    from policykg.graph import queries

    query = queries.load_query("national-item-jurisdictions")
    assert query.title and query.title_en and query.description and query.description_en
    assert [p.name for p in query.params] == ["item"]
    rows = city_store.query(query.text).rows
    shared = [r for r in rows if str(r.get("label")) == SHARED]
    assert sorted(str(r["jurisdiction"]) for r in shared) == ["テスト市", "北海道"], shared
    assert {int(r["jurisdictions"].toPython()) for r in shared} == {2}
    city = next(r for r in shared if str(r["jurisdiction"]) == "テスト市")
    assert int(city["measures"].toPython()) == 1
    assert [str(r["jurisdiction"]) for r in rows if str(r.get("label")) == NATIONAL] == ["テスト市"]
    alone = [r for r in rows if str(r.get("label")) == "デジタル基盤整備"]
    assert [str(r["jurisdiction"]) for r in alone] == ["北海道"]
    reply = client.get("/api/queries/national-item-jurisdictions", params={"item": str(city["item"])})
    assert reply.status_code == 200, reply.text
    bound = reply.json()["results"]["bindings"]
    assert sorted(b["jurisdiction"]["value"] for b in bound) == ["テスト市", "北海道"]


def test_the_peers_page_json_and_csv_show_what_each_jurisdiction_does(client):
    doc = client.get("/api/national-items/jurisdictions").json()
    assert [j["key"] for j in doc["jurisdictions"]] == list(KEYS)
    item = next(i for i in doc["items"] if i["label"] == SHARED)
    assert item["jurisdiction_count"] == 2
    assert {j["key"]: j["label"] for j in item["jurisdictions"]} == {"hokkaido": "北海道", CITY: "テスト市"}
    assert next(j for j in item["jurisdictions"] if j["key"] == CITY)["measures"] == 1
    assert doc["items"][0]["jurisdiction_count"] == 2  # shared items first
    only_city = next(i for i in doc["items"] if i["label"] == NATIONAL)
    assert only_city["jurisdiction_count"] == 1 and [j["key"] for j in only_city["jurisdictions"]] == [CITY]
    html = client.get("/national-items/jurisdictions").text
    assert 'href="/api/national-items/jurisdictions"' in html
    row = next(r for r in html.split("<tr>") if f">{SHARED}</a></th>" in r)
    assert links(row) == [(item["url"], SHARED), (item["url"], "2"), (item["url"], "1")]  # 北海道 2, テスト市 1
    assert text(row).split()[1:] == ["2", "2", "1"]
    csv = client.get("/national-items/jurisdictions.csv").content.decode("utf-8-sig").splitlines()
    assert csv[0] == "national_item,national_iri,jurisdictions,jurisdiction,jurisdiction_key,measures"
    assert sum(1 for line in csv if line.startswith(SHARED + ",")) == 2
    assert any(line.startswith(SHARED + ",") and line.endswith(f",テスト市,{CITY},1") for line in csv)
    national = client.get("/national-items").text
    assert 'href="/national-items/jurisdictions"' in national


@pytest.mark.parametrize("path", ["/", "/areas?jurisdiction=test-city", "/measures", "/directions",
                                  "/national-items?jurisdiction=test-city", "/national-items/jurisdictions",
                                  "/gaps?jurisdiction=test-city", "/indicators?jurisdiction=test-city"])
def test_no_opaque_id_as_link_text_and_no_inline_script(client, path):
    reply = client.get(path)
    assert reply.status_code == 200
    shown = [label for _href, label in links(reply.text) if OPAQUE_ID.search(label)]
    assert not shown, shown
    assert "<script>" not in reply.text and "onchange" not in reply.text
    assert reply.headers["Content-Security-Policy"].startswith("default-src 'self'")


@pytest.mark.parametrize("path", ["/api/national-items/jurisdictions", "/api/areas", "/api/gaps"])
def test_fuzzed_routes_answer_in_the_one_error_shape(city_store, path):
    """Schemathesis over the documented route (valid and invalid requests, jurisdiction included):
    no 5xx, every 4xx in the one error shape (the check of tests/api/test_fuzz_openapi.py, here with two
    jurisdictions loaded)."""
    import schemathesis

    from app_support import api_settings
    from fuzz_support import MODES, fuzz_get
    from policykg.api.app import create_app

    schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(api_settings(), store=city_store))
    for mode in MODES:
        fuzz_get(schema, path, mode, examples=8)


def test_the_network_view_takes_a_jurisdiction(client, city_store, tmp_path):
    """/viz.json?jurisdiction= draws one government's plan with the national side; `policykg viz` too."""
    def measures(**params) -> set[str]:
        reply = client.get("/viz.json", params=params)
        assert reply.status_code == 200, reply.text
        return {n["label"]["ja"] for n in reply.json()["nodes"] if n["kind"] == "measure"}

    everything, city, hokkaido = measures(), measures(jurisdiction="テスト市"), measures(jurisdiction="hokkaido")
    assert city == {"電子申請の全手続対応", "職業訓練によるデジタル人材育成"}
    assert len(hokkaido) == 39 and city | hokkaido == everything
    nationals = client.get("/viz.json", params={"jurisdiction": CITY, "kind": "national_item"}).json()["nodes"]
    assert NATIONAL in {n["label"]["ja"] for n in nationals}
    assert client.get("/viz.json", params={"jurisdiction": "sapporo"}).status_code == 404
    assert client.get("/viz", params={"jurisdiction": CITY}).status_code == 200

    from policykg.viz.export import export_html
    from policykg.viz.filters import make_filter

    summary = export_html(city_store, tmp_path / "city.html", viz_filter=make_filter(jurisdiction=CITY, kinds=["measure"]))
    assert summary.nodes == 2
