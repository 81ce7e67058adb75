"""The planner's questions answered by pages (issue 11): a measure's national policies with evidence,
a national item's supporters, the gaps dashboard and indicator progress; each page with its JSON
twin and every list with a CSV download. Expected values come from the analyses the CLI uses
(trace, suggest, build_gaps), so the pages are checked against the same answers, not against
themselves."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date

import pytest
from rdflib import URIRef

from html_support import OPAQUE_ID, links, section, text
from policykg.graph.analysis.gaps import GAP_LISTS, build_gaps
from policykg.labels import NATIONAL_KINDS
from policykg.graph.analysis.suggest import suggest
from policykg.graph.analysis.trace import projection, trace_measure, trace_national
from policykg.ids import local_id
from policykg.namespaces import PK

AS_OF = "2026-12-03"


def entity_path(store, label: str, kinds) -> tuple[str, str]:
    iri = projection(store).index.resolve(label, kinds=kinds)
    return "/id/" + str(iri).split("/id/", 1)[1], local_id(iri)


def read_csv(response) -> list[dict]:
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert response.content.startswith("\ufeff".encode("utf-8")), "UTF-8 with BOM for Excel"
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


# --- 1. measure page -----------------------------------------------------------------------------


def test_measure_page_lists_national_items_with_evidence_and_chain(planner, planner_store):
    path, ident = entity_path(planner_store, "北海道型のMaaSの展開", {PK.Measure})
    html = planner.get(path).text
    panel = section(html, "supports")
    expected = trace_measure(planner_store, "北海道型のMaaSの展開")["supports"]
    assert len(expected) == 3
    panel_links = links(panel)
    for item in expected:
        assert ("/id/" + item["iri"].split("/id/", 1)[1], item["label"]) in panel_links, item["label"]
        assert item["rationale"] in text(panel)
        for ancestor in item["ancestors"]:
            assert ancestor["label"] in text(panel)
    words = text(panel)
    assert "担当者が判断" in words and "推進する" in words and "寄与する" in words
    assert "policykg curation team" in words and "2026-12-03" in words
    assert "hokkaido-curated.csv 行 29" in words                           # the curated file's line
    assert "デジタル田園都市国家構想総合戦略" in words and "まち・ひと・しごと創生法" in words and "内閣府" in words
    assert html.index('id="supports"') < html.index('class="iri"'), "the answer comes first"


def test_stated_link_shows_the_slides(planner, planner_store):
    path, _ = entity_path(planner_store, "マイナンバー制度の円滑な運用とマイナンバーカードの普及・活用", {PK.PolicyDirection})
    words = text(section(planner.get(path).text, "supports"))
    assert "原文に記載" in words
    assert "スライド 15" in words and "スライド 8" in words


def test_measure_without_alignment_says_so_and_ranks_candidates(planner, planner_store):
    path, ident = entity_path(planner_store, "介護ロボット導入の推進", {PK.Measure})
    panel = section(planner.get(path).text, "supports")
    assert "この取組は、国の項目とまだ対応付けられていません。" in text(panel)
    expected = next(s for s in suggest(planner_store, top=5) if s["measure"]["label"] == "介護ロボット導入の推進")
    shown = [label for href, label in links(panel[panel.index('<table class="suggestions">'):]) if href.startswith("/id/")]
    assert shown == [c["label"] for c in expected["candidates"]]
    for candidate in expected["candidates"]:
        assert f"自動推定（スコア {candidate['score']:.2f}）" in text(panel)


def test_measure_json_twin_and_csv(planner, planner_store):
    path, ident = entity_path(planner_store, "北海道型のMaaSの展開", {PK.Measure})
    html = planner.get(path).text
    assert f'<link rel="alternate" type="application/json" href="/api/measures/{ident}/alignments">' in html
    doc = planner.get(f"/api/measures/{ident}/alignments").json()
    assert [s["label"] for s in doc["supports"]] == [s["label"] for s in trace_measure(planner_store, "北海道型のMaaSの展開")["supports"]]
    assert {s["evidence"] for s in doc["supports"]} == {"curated"} and doc["suggestions"] == []
    rows = read_csv(planner.get(f"/api/measures/{ident}/alignments.csv"))
    assert [r["national_item"] for r in rows] == [s["label"] for s in doc["supports"]]
    assert rows[0]["plan"] == "デジタル田園都市国家構想総合戦略" and rows[0]["curator"] == "policykg curation team"
    assert planner.get("/api/measures/no-such-id/alignments").status_code == 404


# --- 2. national item page ------------------------------------------------------------------------


def test_pillar_page_rolls_up_supporters_by_jurisdiction_and_area(planner, planner_store):
    path, ident = entity_path(planner_store, "デジタル基盤整備", NATIONAL_KINDS)
    panel = section(planner.get(path).text, "supporters")
    expected = trace_national(planner_store, "デジタル基盤整備")["measures"]
    assert expected, "the pillar is supported"
    words = text(panel)
    assert f"({len(expected)} 件)" in words
    assert "<h3>北海道</h3>" in panel
    assert "下位の項目に対応付けられた取組も含みます。" in words
    shown = {label for href, label in links(panel)}
    assert {m["label"] for m in expected} <= shown
    doc = planner.get(f"/api/national-items/{ident}/supporting-measures").json()
    assert doc["measure_count"] == len(expected)
    assert [g["jurisdiction"] for g in doc["groups"]] == ["北海道"]
    rows = read_csv(planner.get(f"/api/national-items/{ident}/supporting-measures.csv"))
    assert {r["measure"] for r in rows} == {m["label"] for m in expected}
    assert all(r["jurisdiction"] == "北海道" and r["area"] for r in rows)


def test_item_without_local_measure_says_so(planner, planner_store):
    doc = build_gaps(planner_store, as_of=date.fromisoformat(AS_OF))
    item = doc["national_items_without_measures"][0]
    html = planner.get("/id/" + item["iri"].split("/id/", 1)[1]).text
    assert "この項目を支える地方の取組はありません。" in text(section(html, "supporters"))
    english = planner.get("/id/" + item["iri"].split("/id/", 1)[1] + "?lang=en").text
    assert "No local measure supports this item." in english


# --- 3. gaps dashboard -----------------------------------------------------------------------------


def test_gaps_page_lists_the_36_national_items_without_a_hokkaido_measure(planner, planner_store):
    html = planner.get("/gaps", params={"as_of": AS_OF}).text
    api = planner.get("/api/gaps", params={"as_of": AS_OF}).json()
    assert len(api["national_items_without_measures"]) == 36
    for key in GAP_LISTS:
        assert f'<span class="count" data-key="{key}">{len(api[key])}</span>' in html, key
        shown = [label for href, label in links(section(html, key)) if href.startswith("/id/")]
        assert shown == [item["label"] for item in api[key] if item["iri"].startswith("https://w3id.org/policykg/id/")], key
    heat = section(html, "coverage")
    assert heat.count('<th scope="row">') == len(api["coverage_matrix"]["rows"])
    cells = [int(n) for n in re.findall(r'<td class="heat heat-\d">(\d+)</td>', heat)]
    assert cells == [n for row in api["coverage_matrix"]["counts"] for n in row]
    assert f'value="{AS_OF}"' in html


def test_gaps_page_agrees_with_cli_json(client_hokkaido):
    from typer.testing import CliRunner

    from policykg.cli.app import app as cli_app

    result = CliRunner().invoke(cli_app, ["gaps", "--json", "--as-of", AS_OF])
    assert result.exit_code == 0, result.output
    cli = json.loads(result.stdout)
    api = client_hokkaido.get("/api/gaps", params={"as_of": AS_OF}).json()
    html = client_hokkaido.get("/gaps", params={"as_of": AS_OF}).text
    assert api == cli
    for key in GAP_LISTS:
        assert f'<span class="count" data-key="{key}">{len(cli[key])}</span>' in html, key


@pytest.fixture()
def client_hokkaido(hokkaido_store):
    from fastapi.testclient import TestClient

    from app_support import api_settings
    from policykg.api.app import create_app

    with TestClient(create_app(api_settings(), store=hokkaido_store)) as client:
        yield client


def test_gaps_downloads(planner):
    api = planner.get("/api/gaps", params={"as_of": AS_OF}).json()
    for key in GAP_LISTS:
        rows = read_csv(planner.get(f"/gaps/{key}.csv", params={"as_of": AS_OF}))
        assert [r["label"] for r in rows] == [i["label"] for i in api[key]], key
    coverage = read_csv(planner.get("/gaps/coverage.csv", params={"as_of": AS_OF}))
    assert [r["pillar"] for r in coverage] == [r["label"] for r in api["coverage_matrix"]["rows"]]
    statuses = read_csv(planner.get("/gaps/indicator_status.csv", params={"as_of": AS_OF}))
    assert len(statuses) == len(api["indicator_status"])
    assert planner.get("/gaps/nothing.csv").status_code == 404
    xlsx = planner.get("/gaps.xlsx", params={"as_of": AS_OF})
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(xlsx.content))
    assert len(book.sheetnames) >= len(GAP_LISTS)


@pytest.mark.parametrize("url", ["/gaps?as_of=2026-02-30", "/indicators?as_of=soon", "/gaps.xlsx?as_of=x"])
def test_bad_as_of_is_422(planner, url):
    response = planner.get(url)
    assert response.status_code == 422 and response.json()["ok"] is False


# --- 4. indicator progress -------------------------------------------------------------------------


def test_indicators_page_shows_status_latest_and_trend(planner):
    html = planner.get("/indicators", params={"as_of": AS_OF}).text
    data = planner.get("/api/progress", params={"as_of": AS_OF}).json()
    rows = {r["label"]: r for r in data["indicators"]}
    assert rows["温室効果ガスの排出量"]["status"] == "limited_progress"
    assert rows["温室効果ガスの排出量"]["latest"] == {"date": "2023-03-31", "value": 65_000_000.0}
    assert rows["温室効果ガスの排出量"]["trend"] == "down" and rows["温室効果ガスの排出量"]["trend_good"] is True
    assert rows["ブロードバンドサービス人口普及率"]["status"] == "deterioration"     # 維持: fell below 150%
    assert rows["ブロードバンドサービス人口普及率"]["trend_good"] is False
    words = text(html)
    assert "進捗が限定的" in words and "悪化" in words and "65,000,000" in words and "↓ 減少" in words
    assert len(data["indicators"]) + len(data["qualitative"]) == len(planner.get("/api/indicators", params={"limit": 1000}).json()["items"])
    rows_csv = read_csv(planner.get("/indicators.csv", params={"as_of": AS_OF}))
    assert len(rows_csv) == len(data["indicators"]) + len(data["qualitative"])


@pytest.mark.parametrize(("label", "status", "zone_below"), [
    ("温室効果ガスの排出量", "進捗が限定的", True),            # lower is better: the met zone is below the target
    ("ブロードバンドサービス人口普及率", "悪化", False),
    ("リスク分散による企業立地件数", "加速が必要", False),       # period target, drawn cumulatively
])
def test_indicator_page_has_chart_and_number_table(planner, planner_store, label, status, zone_below):
    path, ident = entity_path(planner_store, label, {PK.NumericIndicator})
    html = planner.get(path, params={"as_of": AS_OF}).text
    panel = section(html, "progress")
    assert status in text(panel)
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="chart"' in panel and 'role="img"' in panel
    data = planner.get(f"/api/progress/{ident}", params={"as_of": AS_OF}).json()
    assert panel.count('class="obs"') == len(data["observations"]) > 0
    assert panel.count('class="target"') == len(data["targets"])
    table = panel[panel.index('<table class="chart-table">'):]
    assert table.count("<tr>") - 1 == len(data["table"])                  # header + one row per number
    zone = re.search(r'<rect class="zone" x="[\d.]+" y="([\d.]+)" width="[\d.]+" height="([\d.]+)"', panel)
    if label == "リスク分散による企業立地件数":
        assert zone is None
        return
    target_y = float(re.search(r'<path class="target" d="M[\d.]+ ([\d.]+)', panel).group(1)) + 7
    top = float(zone.group(1))
    assert (abs(top - target_y) < 0.2) == zone_below, "the met zone starts at the target line when it lies below it"


def test_maintain_target_is_a_flat_line(planner, planner_store):
    path, ident = entity_path(planner_store, "ブロードバンドサービス人口普及率", {PK.NumericIndicator})
    panel = section(planner.get(path, params={"as_of": AS_OF}).text, "progress")
    points = re.search(r'<polyline class="path" points="([^"]+)"', panel).group(1).split()
    assert len({p.split(",")[1] for p in points}) == 1, "150%以上を維持: the required path is flat at 150"


# --- 6. home page by task, CSV of lists, no opaque ids --------------------------------------------


def test_home_page_offers_the_five_tasks(planner):
    html = planner.get("/").text
    tasks = ["国の政策への追跡", "ギャップ分析", "指標の進捗", "ネットワーク", "SPARQL"]
    task_links = [label for href, label in links(html[html.index('id="tasks-h"'):html.index('id="holds-h"')])]
    assert task_links == tasks
    english = planner.get("/?lang=en").text
    assert "Trace to national policy" in english and "Gap analysis" in english


@pytest.mark.parametrize(("page", "csv_url", "api"), [
    ("/measures", "/measures.csv", "/api/measures?limit=1000"),
    ("/national-items", "/national-items.csv", "/api/national-items?limit=1000"),
    ("/directions", "/directions.csv", "/api/directions?limit=1000"),
    ("/areas", "/areas.csv", "/api/areas?limit=1000"),
    ("/search?q=DX", "/search.csv?q=DX", "/api/search?q=DX&limit=1000"),
])
def test_every_list_page_has_its_csv(planner, page, csv_url, api):
    html = planner.get(page).text
    assert f'href="{csv_url.replace("&", "&amp;")}" download' in html
    rows = read_csv(planner.get(csv_url))
    assert [r["iri"] for r in rows] == [i["iri"] for i in planner.get(api).json()["items"]]


def test_csv_cells_never_become_formulas(planner):
    from policykg.api.catalog.tables import to_csv

    body = to_csv([{"label": "=cmd|' /C calc'!A0", "n": -1}], ["label", "n"]).decode("utf-8-sig")
    assert body.splitlines()[1] == "'=cmd|' /C calc'!A0,-1"


def _reachable(client, starts: tuple[str, ...] = ("/", "/search?q=MaaS"), limit: int = 3000) -> dict[str, str]:
    """Every HTML page reachable from ``starts`` by internal links (the viz, JSON, RDF and downloads
    excepted; the search page is reached by its form, so it is a start)."""
    seen: dict[str, str] = {}
    queue = list(starts)
    while queue and len(seen) < limit:
        url = queue.pop(0)
        if url in seen:
            continue
        response = client.get(url)
        if not response.headers.get("content-type", "").startswith("text/html"):
            continue
        seen[url] = response.text
        for href, _ in links(response.text):
            href = href.replace("&amp;", "&").split("#")[0]
            if (href.startswith("/") and not href.startswith(("/api/", "/viz", "/sparql", "/static/", "/openapi"))
                    and not href.rsplit("?", 1)[0].endswith((".csv", ".xlsx", ".ttl", ".jsonld", ".nt", ".rdf"))
                    and "lang=en" not in href and "example=" not in href and href not in seen):
                queue.append(href)
    return seen


@pytest.mark.parametrize("graph", ["deck and curated alignments", "bundled graph"])
def test_no_link_text_is_an_opaque_id(planner, client_hokkaido, graph):
    pages = _reachable(planner if graph.startswith("deck") else client_hokkaido)
    assert len(pages) > 150, f"walked only {len(pages)} pages"
    for part in ("/measure/", "/indicator/", "/alignment/", "/digiden-strategy/", "/direction/"):
        assert any(part in url for url in pages), f"no {part} page reached"
    assert {"/gaps", "/indicators", "/search", "/measures"} <= {url.split("?")[0] for url in pages}
    offenders = [(url, label) for url, html in pages.items() for href, label in links(html) if OPAQUE_ID.search(label)]
    assert offenders == []


# --- 7. SPARQL console ------------------------------------------------------------------------------


def test_console_shows_labels_with_the_iri_on_hover_and_a_share_link(planner, planner_store):
    query = "SELECT ?m WHERE { ?m a <https://w3id.org/policykg/ontology#Measure> } ORDER BY ?m LIMIT 3"
    response = planner.get("/query", params={"query": query})
    assert response.status_code == 200, response.text[:500]
    html = response.text
    cells = re.findall(r'<span class="iri-cell" title="([^"]+)"><a href="([^"]+)">([^<]+)</a></span>', html)
    assert len(cells) == 3
    index = projection(planner_store).index
    for iri, href, label in cells:
        assert label == index.label_of(URIRef(iri)) and href == "/id/" + iri.split("/id/", 1)[1]
    assert "このクエリへのリンク" in html
    share = next(h for h, label in links(html) if label == "このクエリへのリンク")
    assert share.replace("&amp;", "&").startswith("/query?query=SELECT")


def test_canned_query_parameters_get_a_form(planner):
    """Issue 11 item 7: a canned query's parameters are a form whose answer is a table in the console, not raw JSON."""
    html = planner.get("/query").text
    assert '<form class="params" action="/query" method="get">' in html
    assert '<input type="hidden" name="example" value="indicator-status">' in html
    assert 'name="param_asOf" type="date"' in html
    page = planner.get("/query", params={"example": "indicators-past-target-without-observation", "run": "1",
                                         "param_asOf": AS_OF})
    assert page.status_code == 200 and "<table" in page.text
    json_twin = planner.get("/api/queries/indicators-past-target-without-observation", params={"asOf": AS_OF}).json()
    rows = len(json_twin["results"]["bindings"])
    assert rows > 0 and page.text.count("<tr") >= rows
