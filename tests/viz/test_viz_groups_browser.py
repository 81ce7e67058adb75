"""The grouped network page in headless Chromium: groups drawn, expanded in place by click and by keyboard
(members fetched from /viz/cluster on the same server), hostile labels kept as text, axe-core clean.

Requests are routed as in test_viz_browser.py: anything not on 127.0.0.1 is aborted and fails the test.
The axe test's context bypasses the page's CSP only so that axe-core itself can be injected.
"""

from __future__ import annotations

import pytest

from viz_browser_support import Watched, wait_until
from live_server import live_server
from project_paths import ROOT

pytestmark = pytest.mark.browser

AXE = ROOT / "tests" / "browser_assets" / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "artifacts" / "viz"
TEST_PREF = "group:j:testpref"


@pytest.fixture(scope="module")
def groups_server(groups_store):
    with live_server(groups_store) as url:
        yield url


def test_grouped_page_expands_a_group_on_click(watched, groups_server):
    watched.open(f"{groups_server}/viz?grouped=true")
    groups = watched.ids()
    assert TEST_PREF in groups and all(i.startswith("group:") for i in groups)
    count = watched.page.locator("#pk-count").text_content()
    assert count.startswith(f"表示中: {len(groups)} ノード / ") and "(全体 37 ノード)" in count
    drawn_links = watched.page.evaluate("window.pkViz.edges.get({filter: e => !e.hidden}).length")
    assert drawn_links == watched.page.evaluate("window.pkViz.data.edges.length") > 0     # counted links are drawn
    assert f"/ {drawn_links} エッジ" in count
    watched.click_node(TEST_PREF, scale=1.2)
    wait_until(watched.page, "(document.body.dataset.expanded || '').includes('j:testpref')")
    after = watched.ids()
    assert TEST_PREF not in after and "group:j:otherpref" in after
    members = {i for i in after if i.startswith("https://w3id.org/policykg/id/testpref/")}
    assert len(members) == 12
    assert watched.page.locator("#pk-group-status").text_content() == "展開しました: テスト県 (12 / 12)"
    # the members' links to a group not expanded are drawn as counted links to that group
    counted = watched.page.evaluate("window.pkViz.edges.get().filter(e => e.id.startsWith('gl:')).length")
    assert counted >= 1
    # a member opens the ordinary details panel
    watched.click_node("https://w3id.org/policykg/id/testpref/measure/m-m1", scale=1.2)
    watched.page.locator("#pk-panel").wait_for(state="visible")
    assert watched.page.locator("#pk-panel-title").text_content() == "ICTを活用した鳥獣害対策"
    assert "/viz/cluster?group=j%3Atestpref" in " ".join(watched.requests)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    watched.page.screenshot(path=str(ARTIFACTS / "grouped-expanded.png"))
    watched.check()


def test_grouped_page_expands_by_keyboard_in_english(watched, groups_server):
    watched.open(f"{groups_server}/viz?grouped=true&lang=en")
    page = watched.page
    options = page.locator("#pk-group option").all_text_contents()
    assert "Test Prefecture (12)" in options and "別の県 (12)" in options
    page.focus("#pk-group")
    page.select_option("#pk-group", label="別の県 (12)")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "pk-expand"
    page.keyboard.press("Enter")
    wait_until(page, "(document.body.dataset.expanded || '').includes('j:otherpref')")
    assert len([i for i in watched.ids() if "/otherpref/" in i]) == 12
    assert page.locator("#pk-group-status").text_content().startswith("Expanded: 別の県 (12 / 12)")
    assert "別の県 (12)" not in page.locator("#pk-group option").all_text_contents()   # expanded: no longer offered
    # search finds a group; its panel offers Expand (a button) and the group's own view (a link)
    page.fill("#pk-search-input", "Test Prefecture")
    page.press("#pk-search-input", "Enter")
    assert page.locator("#pk-panel-title").text_content() == "Test Prefecture"
    assert page.locator("#pk-group-alone").get_attribute("href") == "/viz?jurisdiction=testpref"
    page.focus("#pk-panel-expand")
    page.keyboard.press("Enter")
    wait_until(page, "(document.body.dataset.expanded || '').includes('j:testpref')")
    # both prefectures open: their members' links to each other's side are real edges now
    assert TEST_PREF not in watched.ids()
    watched.check()


def test_hostile_group_labels_stay_text(watched, groups_server):
    watched.open(f"{groups_server}/viz?grouped=true")
    page = watched.page
    assert "<b>太字の計画</b> (5)" in page.locator("#pk-group option").all_text_contents()
    watched.click_node("group:j:xss", scale=1.2)
    wait_until(page, "(document.body.dataset.expanded || '').includes('j:xss')")
    assert page.locator("#pk-group-status").text_content() == "展開しました: <b>太字の計画</b> (5 / 5)"
    assert page.evaluate("document.querySelectorAll('b, img, svg, iframe, u, i').length") == 0
    watched.check()


def test_grouped_page_passes_axe(browser, groups_server):
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `bash scripts/setup.sh --test` (npm install in tests/browser_assets)")
    watched = Watched(browser, bypass_csp=True)
    try:
        watched.open(f"{groups_server}/viz?grouped=true")
        page = watched.page
        page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
        axe = """async () => {
            const r = await axe.run(document, {runOnly: {type: 'tag',
                values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']}});
            return r.violations.map(v => ({id: v.id, help: v.help, nodes: v.nodes.slice(0, 5).map(n => n.target.join(' '))}));
        }"""
        assert page.evaluate(axe) == []
        page.click("#pk-expand")          # the first group in the list, expanded: still clean
        wait_until(page, "(document.body.dataset.expanded || '') !== ''")
        assert page.evaluate(axe) == []
        watched.check()
    finally:
        watched.close()
