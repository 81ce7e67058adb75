"""HTML pages: Japanese by default, ?lang=en kept across links, a JSON twin per page, local assets
only, CSP-friendly (no inline script/style), and labels from data always escaped."""

from __future__ import annotations

import re

import pytest

from app_support import load_catalog

PAGES = [
    ("/", "/api/overview"),
    ("/areas", "/api/areas"),
    ("/directions", "/api/directions"),
    ("/measures", "/api/measures"),
    ("/national-items", "/api/national-items"),
    ("/indicators", "/api/progress"),   # indicator progress (status, latest, trend): issue 11
    ("/search?q=MaaS", "/api/search?q=MaaS"),
    ("/query", "/api/queries"),
    ("/docs", "/openapi.json"),
    ("/id/hokkaido/measure/m-maas", "/id/hokkaido/measure/m-maas.jsonld"),
    ("/id/hokkaido/area/hokkaido-area-1", "/id/hokkaido/area/hokkaido-area-1.jsonld"),
]
PAGE_PATHS = ("/", "/areas", "/directions", "/measures", "/national-items", "/indicators", "/search", "/query",
              "/docs", "/viz")


@pytest.fixture()
def mini(make_client):
    return make_client(store=load_catalog("mini.ttl"))


@pytest.fixture()
def hostile(make_client):
    return make_client(store=load_catalog("mini.ttl", "hostile.ttl"))


def alternate(html: str) -> str:
    match = re.search(r'<link rel="alternate" type="[^"]+" href="([^"]+)">', html)
    assert match, "every page links its JSON twin with rel=alternate"
    return match.group(1).replace("&amp;", "&")


@pytest.mark.parametrize(("url", "twin"), PAGES)
def test_page_renders_in_japanese_with_json_twin(mini, url, twin):
    response = mini.get(url)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert '<html lang="ja">' in response.text
    assert alternate(response.text) == twin
    twin_response = mini.get(twin)
    assert twin_response.status_code == 200
    assert "json" in twin_response.headers["content-type"]


@pytest.mark.parametrize(("url", "_twin"), PAGES)
def test_page_is_csp_friendly_and_offline(mini, url, _twin):
    response = mini.get(url)
    html = response.text
    assert "default-src 'self'" in response.headers["content-security-policy"]
    assert "<script" not in html and "<style" not in html and " style=" not in html, "no inline script/style"
    assert not re.search(r" on[a-z]+=", html), "no inline event handlers"
    for asset in re.findall(r'<(?:link|script|img)[^>]+(?:href|src)="([^"]+)"', html):
        assert asset.startswith("/"), f"asset {asset} is not local"
    css = re.search(r'href="(/static/style\.css\?v=[0-9a-f]+)"', html)
    assert css and mini.get(css.group(1).replace("&amp;", "&")).status_code == 200


@pytest.mark.parametrize(("url", "_twin"), PAGES)
def test_english_is_kept_across_links(mini, url, _twin):
    sep = "&" if "?" in url else "?"
    html = mini.get(f"{url}{sep}lang=en").text
    assert '<html lang="en">' in html
    hrefs = [h.replace("&amp;", "&") for h in re.findall(r'<a [^>]*href="([^"]+)"', html)]
    switch = re.findall(r'<a [^>]*href="([^"]+)" hreflang="ja"', html)
    page_links = [h for h in hrefs if h.split("?")[0] in PAGE_PATHS or (h.startswith("/id/") and "." not in h.rsplit("/", 1)[-1])]
    assert page_links
    for href in page_links:
        if href.replace("&", "&amp;") in switch or href in switch:
            assert "lang=en" not in href
        else:
            assert "lang=en" in href, f"{href} drops ?lang=en"
    assert alternate(html).endswith("lang=en") or url.startswith(("/id/", "/docs")), "JSON twin keeps the language"


def test_english_labels_with_japanese_fallback(mini):
    html = mini.get("/areas?lang=en").text
    assert ">Living</a>" in html and ">産業</a>" in html and "Areas" in html


def test_home_shows_counts_and_entry_points(mini):
    html = mini.get("/").text
    assert re.search(r'data-kind="areas">2<', html) and re.search(r'data-kind="measures">3<', html)
    for link in ('href="/areas"', 'href="/query"', 'href="/viz"', 'href="/api/gaps"', 'href="/docs"',
                 'href="/id/jp/plan/digiden-strategy"'):
        assert link in html, link


def test_entity_page_shows_relations_both_ways_and_source(mini):
    html = mini.get("/id/hokkaido/direction/hokkaido-dir-1d").text
    assert "北海道型のMaaSの展開" in html, "incoming relation from the measure"
    assert "/id/hokkaido/area/hokkaido-area-1" in html, "outgoing relation to the area"
    measure = mini.get("/id/hokkaido/measure/m-maas").text
    assert "/api/measures/m-maas/trace" in measure and "/viz?focus=m-maas" in measure
    assert "道の取組（②産業）" in measure and ">390<" in measure, "source location: section and line"
    assert "主な取組" in measure, "class labelled from the ontology in Japanese"
    item = mini.get("/id/jp/digiden-strategy/n-mynumber").text
    assert "/api/national-items/n-mynumber/supporters" in item


def test_indicator_page_lists_baseline_and_target(mini):
    html = mini.get("/indicators").text
    assert "24件" in html and "36件" in html and "2026-03-31" in html and "(2025/R7)" in html


def test_query_console_runs_a_query_and_offers_downloads(mini):
    query = "SELECT ?m WHERE { ?m a <https://w3id.org/policykg/ontology#Measure> } ORDER BY ?m"
    response = mini.get("/query", params={"query": query})
    assert response.status_code == 200
    html = response.text
    assert html.count('<a href="/id/hokkaido/measure/') == 3, "one linked row per measure"
    downloads = [h.replace("&amp;", "&") for h in re.findall(r'href="(/sparql\?[^"]+)" download', html)]
    assert any("format=csv" in d for d in downloads) and any("format=json" in d for d in downloads)
    csv_response = mini.get(next(d for d in downloads if "format=csv" in d))
    assert csv_response.status_code == 200 and csv_response.text.count("\r\n") == 4


def test_query_console_shows_examples_and_fills_one(mini):
    html = mini.get("/query", params={"example": "entity-counts"}).text
    assert "/query?example=indicator-status" in html
    assert "</textarea>" in html and "SELECT" in html.split("<textarea")[1].split("</textarea>")[0]


@pytest.mark.parametrize(("query", "status"), [
    ("SELEKT nothing", 400),
    ("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }", 403),
])
def test_query_console_reports_errors(mini, query, status):
    response = mini.get("/query", params={"query": query})
    assert response.status_code == status
    assert 'class="error"' in response.text


def test_unknown_example_is_a_404(mini):
    response = mini.get("/query", params={"example": "no-such-query"})
    assert response.status_code == 404 and response.json()["ok"] is False


def test_docs_lists_operations_offline(mini):
    html = mini.get("/docs").text
    for path in ("/api/areas", "/api/measures/{measure_id}", "/api/search", "/api/queries/{name}"):
        assert f"<code>{path}</code>" in html, path
    assert "cdn" not in html.lower() and "swagger" not in html.lower()


@pytest.mark.parametrize(("url", "status"), [("/areas?lang=xx", 422), ("/static/../app.py", 404),
                                             ("/static/nothing.css", 404), ("/search?q=" + "x" * 300, 422)])
def test_page_errors(mini, url, status):
    response = mini.get(url)
    assert response.status_code == status
    assert response.json()["status"] == status


HOSTILE_PAGES = ["/", "/areas", "/directions", "/measures", "/national-items", "/indicators",
                 "/search?q=alert", "/id/evil/measure/m-evil", "/id/evil/area/evil-area-1",
                 "/id/evil/direction/evil-dir-9a", "/id/evil/indicator/i-evil", "/id/jp/evil-national/n-evil",
                 "/id/jp/plan/evil-national", "/id/evil/plan",
                 "/query?query=SELECT+%3Fl+WHERE+%7B+%3Fs+%3Chttp%3A%2F%2Fwww.w3.org%2F2004%2F02%2Fskos%2Fcore%23prefLabel%3E+%3Fl+%7D"]


@pytest.mark.parametrize("url", HOSTILE_PAGES)
def test_labels_with_markup_are_escaped(hostile, url):
    html = hostile.get(url).text
    assert "<script" not in html, f"{url} printed a <script> from data"
    assert "<img" not in html, f"{url} printed an <img> from data"
    assert "&lt;script&gt;" in html or "&lt;img" in html, f"{url} should show the hostile label, escaped"
