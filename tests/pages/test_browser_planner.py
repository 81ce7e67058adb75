"""The planner's tasks end to end in headless Chromium (Debian's), plus axe-core and keyboard checks
on every page type. No request may leave 127.0.0.1, no console error may occur; screenshots are kept
in artifacts/pages/ (git-ignored)."""

from __future__ import annotations

import re
from datetime import date

import pytest

from browser_support import Watched, launch
from live_server import live_server
from policykg.graph.analysis.gaps import build_gaps
from policykg.graph.analysis.trace import trace_measure

pytestmark = pytest.mark.browser

AS_OF = "2026-12-03"


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        instance = launch(pw)
        yield instance
        instance.close()


@pytest.fixture(scope="module")
def server(planner_store):
    with live_server(planner_store) as url:
        yield url


@pytest.fixture()
def watched(browser, server):
    page = Watched(browser, server)
    yield page
    page.close()


def test_find_a_measure_by_search_then_its_national_items(watched, planner_store):
    page = watched.open("/").page
    page.fill("#task-q", "MaaS")
    page.press("#task-q", "Enter")
    page.wait_for_url(re.compile(r"/search\?q=MaaS"))
    page.get_by_role("link", name="北海道型のMaaSの展開", exact=True).click()
    page.wait_for_selector("#supports")
    articles = page.locator("#supports article.support")
    expected = trace_measure(planner_store, "北海道型のMaaSの展開")["supports"]
    assert articles.count() == len(expected) == 3
    for n, item in enumerate(expected):
        article = articles.nth(n)
        assert article.locator("h3 a").inner_text() == item["label"]
        assert article.locator("dd.rationale").inner_text() == item["rationale"]
        assert article.locator(".ev").inner_text() == "担当者が判断"
    assert page.locator("#supports").is_visible()
    box = page.locator("#supports").bounding_box()
    assert box["y"] < 400, "the answer is at the top of the page"
    watched.shot("measure-maas")
    watched.check()


def test_open_a_national_item_then_its_supporters(watched):
    page = watched.open("/search?q=MaaS").page
    page.get_by_role("link", name="北海道型のMaaSの展開", exact=True).click()
    page.locator("#supports article.support h3 a").first.click()
    page.wait_for_selector("#supporters")
    assert page.locator("h1").inner_text() == "公共交通・物流・インフラ分野のDXによる地域活性化"
    supporters = page.locator("#supporters table.supporters a", has_text="北海道型のMaaSの展開")
    assert supporters.count() >= 1
    assert page.locator("#supporters h3").first.inner_text() == "北海道"
    watched.shot("national-item-supporters")
    # up to the pillar: supporters rolled up from its items
    page.locator("#supporters .chain-line a").first.click()
    page.wait_for_selector("#supporters")
    assert "下位の項目に対応付けられた取組も含みます。" in page.locator("#supporters").inner_text()
    watched.shot("pillar-supporters")
    watched.check()


def test_gaps_dashboard_lists_the_36_unsupported_national_items(watched, planner_store):
    page = watched.open("/").page
    page.locator("li.task[data-task=task_gaps] a").click()
    page.wait_for_url(re.compile(r"/gaps"))
    page.fill("#as-of", AS_OF)
    page.get_by_role("button", name="再計算").click()
    page.wait_for_url(re.compile(rf"as_of={AS_OF}"))
    assert page.locator("span.count[data-key=national_items_without_measures]").inner_text() == "36"
    rows = page.locator("#national_items_without_measures table tbody tr")
    assert rows.count() == 36
    expected = [i["label"] for i in build_gaps(planner_store, as_of=date.fromisoformat(AS_OF))["national_items_without_measures"]]
    assert rows.locator("td:first-child").all_inner_texts() == expected
    cells = page.locator("table.heat td.heat")
    assert cells.count() == 7 * 5
    watched.shot("gaps-dashboard", full_page=False)
    watched.shot("gaps-dashboard-full")
    # a gap entry leads to the item's page, which says no local measure supports it
    rows.first.locator("a").click()
    page.wait_for_selector("#supporters")
    assert "この項目を支える地方の取組はありません。" in page.locator("#supporters").inner_text()
    watched.check()


def test_indicator_page_shows_status_and_chart_with_observations(watched):
    page = watched.open(f"/indicators?as_of={AS_OF}").page
    row = page.locator("table.indicators tr", has_text="温室効果ガスの排出量")
    assert row.locator(".status").inner_text() == "進捗が限定的"
    assert "↓ 減少" in row.locator("td.trend").inner_text()
    watched.shot("indicators")
    row.get_by_role("link", name="温室効果ガスの排出量").click()
    page.wait_for_selector("#progress svg.chart")
    assert page.locator("#progress .status").inner_text() == "進捗が限定的"
    chart = page.locator("#progress svg.chart")
    assert chart.locator("circle.obs").count() == 2                        # both synthetic observations
    assert chart.locator("path.target").count() == 1 and chart.locator("rect.baseline").count() == 1
    assert chart.get_attribute("role") == "img"
    assert chart.bounding_box()["width"] > 400
    # the numbers as a table (text alternative): baseline, two observations, target
    assert page.locator("table.chart-table tbody tr").count() == 4
    watched.shot("indicator-ghg")
    watched.open("/id/hokkaido/indicator/i-us6b7ajdgr?as_of=" + AS_OF)      # 150%以上を維持
    assert page.locator("#progress .status").inner_text() == "悪化"
    watched.shot("indicator-maintain")
    watched.check()


PAGE_TYPES = [
    ("home", "/"),
    ("home-en", "/?lang=en"),
    ("measures", "/measures"),
    ("national-items", "/national-items"),
    ("directions", "/directions"),
    ("areas", "/areas"),
    ("indicators", f"/indicators?as_of={AS_OF}"),
    ("gaps", f"/gaps?as_of={AS_OF}"),
    ("search", "/search?q=MaaS"),
    ("query", "/query"),
    ("query-result", "/query?query=SELECT%20%3Fm%20%3Fd%20WHERE%20%7B%20%3Fm%20%3Chttps%3A%2F%2Fw3id.org%2Fpolicykg%2Fontology%23direction%3E%20%3Fd%20%7D%20LIMIT%2020"),
    ("docs", "/docs"),
    ("observations", "/observations"),
    ("measure", "/search?q=MaaS#first-measure"),
    ("measure-unaligned", "/search?q=介護ロボット#first-measure"),
    ("national-item", "/search?q=デジタル基盤整備#first-hit"),
    ("direction", "/search?q=マイナンバー制度の円滑な運用#first-hit"),
    ("indicator", f"/id/hokkaido/indicator/i-7xifj34jhh?as_of={AS_OF}"),
    ("alignment", "/search?q=MaaS#first-measure>alignment"),
]


def _open_page_type(watched, url: str) -> None:
    """Open a page type; ``#first-…`` follows the first matching link of a search (ids are not fixed)."""
    path, _, hop = url.partition("#")
    watched.open(path)
    page = watched.page
    if hop:
        steps = hop.split(">")
        selector = "table tbody a[href*='/measure/']" if steps[0] == "first-measure" else "table tbody a"
        page.locator(selector).first.click()
        page.wait_for_load_state("load")
        if len(steps) > 1:
            page.locator("a[href*='/alignment/']").first.click()
            page.wait_for_load_state("load")


@pytest.mark.parametrize(("name", "url"), PAGE_TYPES, ids=[n for n, _ in PAGE_TYPES])
def test_axe_finds_no_serious_violation(watched, name, url):
    _open_page_type(watched, url)
    violations = watched.axe()
    serious = [v for v in violations if v["impact"] in ("serious", "critical")]
    assert serious == [], serious
    watched.check()


KEYBOARD_PAGES = [p for p in PAGE_TYPES if p[0] in ("home", "gaps", "indicators", "measure", "national-item", "indicator", "query")]


@pytest.mark.parametrize(("name", "url"), KEYBOARD_PAGES, ids=[n for n, _ in KEYBOARD_PAGES])
def test_every_control_is_reachable_by_keyboard(watched, name, url):
    _open_page_type(watched, url)
    total, reached, missing = watched.tab_through()
    assert total > 0
    assert reached == total, missing
    # on a fresh load the first Tab lands on the skip link, which moves focus to the content
    watched.page.reload()
    watched.page.keyboard.press("Tab")
    assert watched.page.evaluate("document.activeElement.className") == "skip"
    watched.page.keyboard.press("Enter")
    assert watched.page.evaluate("document.activeElement.id") == "main"
    watched.check()


def test_pages_read_well_on_a_phone(browser, server):
    phone = Watched(browser, server, width=390, height=844)
    try:
        for name, path in [("gaps", f"/gaps?as_of={AS_OF}"), ("indicator", f"/id/hokkaido/indicator/i-7xifj34jhh?as_of={AS_OF}")]:
            phone.open(path)
            overflow = phone.page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            wide = phone.page.evaluate("""() => [...document.querySelectorAll('body *')]
                .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1
                             && !e.closest('.scroll'))
                .slice(0, 5).map(e => e.tagName + '.' + e.className + ': ' + (e.textContent || '').trim().slice(0, 30))""")
            assert overflow <= 1, f"{name}: the page scrolls sideways by {overflow}px: {wide}"
            phone.shot(f"phone-{name}", full_page=False)
        phone.check()
    finally:
        phone.close()


def test_axe_harness_catches_a_real_violation(watched):
    """The check above can fail: an image without alt text added to a page is reported (critical)."""
    watched.open("/")
    watched.page.evaluate("""() => { const img = document.createElement('img');
        img.src = '/favicon.ico'; document.querySelector('main').append(img); }""")
    found = {v["id"] for v in watched.axe() if v["impact"] in ("serious", "critical")}
    assert "image-alt" in found
    watched.check()


def test_upload_observations_then_the_indicator_shows_status_and_points(browser):
    """A planner with the token uploads the synthetic CSV through the form; the indicator page then
    shows its status and the chart has one point per observation."""
    from pathlib import Path

    from policykg.graph.build import build_store, bundled_alignment_files
    from project_paths import SOURCE_DECK

    store = build_store([SOURCE_DECK, *bundled_alignment_files()])
    with live_server(store, api_token="browser-token") as url:
        watched = Watched(browser, url)
        try:
            page = watched.open("/indicators").page
            page.get_by_role("link", name="実績値の登録").click()
            page.set_input_files("#obs-file", str(Path(__file__).parent / "data" / "synthetic-observations.csv"))
            page.fill("#obs-token", "browser-token")
            page.get_by_role("button", name="検証して登録").click()
            page.wait_for_selector("#loaded")
            assert "登録しました: 10 件" in page.locator("#loaded h2").inner_text()
            watched.shot("observations-uploaded")
            page.locator("#loaded a", has_text="温室効果ガスの排出量").click()
            page.wait_for_selector("#progress svg.chart")
            assert page.locator("#progress .status").inner_text() == "進捗が限定的"
            assert page.locator("#progress svg.chart circle.obs").count() == 2
            watched.shot("indicator-after-upload")
            watched.check()
        finally:
            watched.close()


def test_axe_home_as_a_list_of_governments(watched, monkeypatch):
    """The home page's national-scale form (a list of governments instead of their area trees, above
    ``HOME_AREA_TREES``), forced here on the planner store: the same accessibility bar."""
    from policykg.api.routes import pages

    monkeypatch.setattr(pages, "HOME_AREA_TREES", 0)
    watched.open("/")
    assert watched.page.locator("ul.jurisdiction-list a").count() >= 1
    assert watched.page.locator("section.jurisdiction-areas").count() == 0
    serious = [v for v in watched.axe() if v["impact"] in ("serious", "critical")]
    assert serious == [], serious
    watched.check()
