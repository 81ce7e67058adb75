"""The network page in headless Chromium (Debian's /usr/bin/chromium, never a downloaded browser).

Every test runs with all requests routed: anything not on 127.0.0.1 (or the file itself) is
aborted and fails the test; console errors, page errors and dialogs (alert) fail it too.
Screenshots land in artifacts/viz/ (gitignored).
"""

from __future__ import annotations

import re

import pytest

from policykg.viz.export import export_html
from policykg.viz.filters import VizFilter
from policykg.viz.kinds import KINDS, MAX_NODE_SIZE, MIN_LABEL_PX, NO_STATUS_COLOR, STATUSES
from policykg.viz.layout import Layout
from policykg.viz.model import build_network

from project_paths import ROOT
from live_server import live_server
from viz_browser_support import wait_until
from viz_support import sparql_count

pytestmark = pytest.mark.browser

ARTIFACTS = ROOT / "artifacts" / "viz"
ID = "https://w3id.org/policykg/id/"


@pytest.fixture(scope="module")
def mini_server(mini_store):
    with live_server(mini_store) as url:
        yield url


@pytest.fixture(scope="module")
def xss_server(xss_store):
    with live_server(xss_store) as url:
        yield url


@pytest.mark.parametrize("query, classes", [
    ("kind=measure,direction", "pk:Measure pk:PolicyDirection"),
    ("kind=indicator&layout=force", "pk:NumericIndicator pk:QualitativeIndicator"),
])
def test_served_page_draws_the_filtered_nodes(watched, mini_server, mini_store, query, classes):
    expected = sparql_count(mini_store, classes)
    watched.open(f"{mini_server}/viz?{query}")
    assert watched.page.evaluate("window.pkViz.nodes.length") == expected
    assert watched.visible() == expected
    assert watched.page.evaluate("Object.keys(window.pkViz.network.getPositions()).length") == expected
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    watched.page.screenshot(path=str(ARTIFACTS / f"served-{query.split('&')[0].replace('=', '-')}.png"))
    watched.check()


def test_click_opens_panel_and_focus_shows_neighbourhood(watched, mini_server):
    watched.open(f"{mini_server}/viz")
    assert watched.page.locator("#pk-panel").is_hidden()
    watched.click_node(ID + "testpref/measure/m-m1")
    panel = watched.page.locator("#pk-panel")
    panel.wait_for(state="visible")
    assert watched.page.locator("#pk-panel-title").text_content() == "ICTを活用した鳥獣害対策"
    assert watched.page.locator("#pk-panel-kind").text_content() == "主な取組"
    text = panel.text_content()
    assert "スライド 13" in text and "行 377" in text                      # source location
    assert "担当者が判断" in text and "鳥獣害対策にICTを使う" in text    # alignment evidence + rationale
    assert panel.locator("a", has_text="詳細ページ").get_attribute("href") == "/id/testpref/measure/m-m1"
    assert panel.locator("a", has_text="国の計画への追跡").get_attribute("href") == "/api/measures/m-m1/trace"
    watched.page.fill("#pk-hops", "1")
    watched.page.click("#pk-focus")
    assert watched.visible() == 3            # m-m1, its direction, its aligned national measure
    watched.page.click("#pk-show-all")
    assert watched.visible() == 18
    watched.check()


def test_search_is_width_and_space_tolerant_and_bilingual(watched, mini_server):
    watched.open(f"{mini_server}/viz")
    watched.page.fill("#pk-search-input", "ＩＣＴ を活用した　鳥獣害対策")
    watched.page.press("#pk-search-input", "Enter")
    wait_until(watched.page, "document.body.dataset.selected !== ''", 5)
    assert watched.page.evaluate("document.body.dataset.selected") == ID + "testpref/measure/m-m1"
    assert watched.page.evaluate("window.pkViz.network.getSelectedNodes()") == [ID + "testpref/measure/m-m1"]
    watched.page.click("#pk-lang")
    assert watched.page.locator("h1").text_content() == "Policy alignment network"
    watched.page.fill("#pk-search-input", "living")
    watched.page.click("#pk-search-button")
    assert watched.page.evaluate("document.body.dataset.selected") == ID + "testpref/area/testpref-area-1"
    assert watched.page.locator("#pk-panel-title").text_content() == "Living"
    watched.page.fill("#pk-search-input", "no such thing")
    watched.page.click("#pk-search-button")
    assert watched.page.locator("#pk-search-result").text_content() == "No matching node"
    watched.check()


def test_client_side_filters(watched, mini_server):
    watched.open(f"{mini_server}/viz")
    colours = watched.page.evaluate("""(ids) => ids.map(id => window.pkViz.nodes.get(id).color.background)""",
                                    [ID + "testpref/indicator/i-i1", ID + "testpref/indicator/i-i2"])
    assert colours == [STATUSES["StatusOnTrack"][2], NO_STATUS_COLOR]    # assessed: status colour; else grey
    dashed = watched.page.evaluate("window.pkViz.edges.get().filter(e => e.dashes).map(e => e.label).sort()")
    assert dashed == ["0.42", "0.81"]                                     # inferred only, score as label
    watched.page.uncheck("#pk-kind-measure")
    assert watched.visible() == 15
    watched.page.select_option("#pk-area", ID + "testpref/area/testpref-area-2")
    # area 2 drops area-1-only local nodes: phases p1, p2, area 1, direction 1a, indicator i1
    assert watched.visible() == 10
    watched.page.click("#pk-reset")
    assert watched.visible() == 18
    watched.check()


def test_hostile_labels_render_as_text_and_run_nothing(watched, xss_server):
    watched.open(f"{xss_server}/viz")
    page = watched.page
    watched.click_node(ID + "xss/measure/m-img")
    page.locator("#pk-panel").wait_for(state="visible")
    assert page.locator("#pk-panel-title").text_content() == "<img src=x onerror=alert(1)>"
    panel_text = page.locator("#pk-panel").text_content()
    assert "<iframe src=//evil.example>" in panel_text                    # section, as text
    assert "理由 <img src=y onerror=alert(6)>" in panel_text               # rationale, as text
    page.fill("#pk-search-input", "<script>alert(2)</script>")
    page.press("#pk-search-input", "Enter")
    assert page.locator("#pk-panel-title").text_content() == "<script>alert(2)</script>"
    page.click("#pk-lang")
    page.fill("#pk-search-input", "onerror=alert(11)")
    page.press("#pk-search-input", "Enter")
    assert page.locator("#pk-panel-title").text_content() == "<img src=x onerror=alert(11)> en"
    # hover: our own tooltip, text only
    page.mouse.move(5, 5)
    x, y = watched.node_point(ID + "xss/direction/xss-dir-1a")
    page.mouse.move(x, y, steps=4)
    wait_until(page, "document.getElementById('pk-tooltip').textContent.includes('alert(4)')", 5)
    assert "</script><script>alert(4)</script>" in page.locator("#pk-tooltip").text_content()
    assert page.locator("#pk-tooltip").is_visible()
    dom = page.evaluate("""() => ({
        scripts: document.scripts.length,
        injected: document.querySelectorAll('img, svg, iframe, b, i, u').length,
        tooltipChildren: document.getElementById('pk-tooltip').children.length,
        panelLinks: [...document.querySelectorAll('#pk-panel a')].map(a => a.getAttribute('href')),
    })""")
    assert dom == {"scripts": 3, "injected": 0, "tooltipChildren": 0, "panelLinks": ["/id/xss/measure/m-img", "/api/measures/m-img/trace"]}
    watched.check()


def test_exported_file_works_from_disk(watched, mini_store, tmp_path):
    out = tmp_path / "network.html"
    summary = export_html(mini_store, out, viz_filter=VizFilter(), layout=Layout.force, lang="en")
    assert summary.nodes == 18
    watched.open(out.as_uri())
    assert watched.page.evaluate("window.pkViz.nodes.length") == 18
    assert watched.page.locator("h1").text_content() == "Policy alignment network"
    watched.page.fill("#pk-search-input", "Digital infrastructure")
    watched.page.press("#pk-search-input", "Enter")
    assert watched.page.locator("#pk-panel-title").text_content() == "Digital infrastructure"
    watched.click_node(ID + "testpref/area/testpref-area-2")
    assert watched.page.locator("#pk-panel-title").text_content() == "Industry"
    assert all(u.startswith("file://") for u in watched.requests)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    watched.page.screenshot(path=str(ARTIFACTS / "exported-force.png"))
    watched.check()


@pytest.fixture(scope="module")
def hokkaido_server(hokkaido_store):
    with live_server(hokkaido_store) as url:
        yield url


def test_bundled_graph_in_the_browser(watched, hokkaido_server, hokkaido_store):
    watched.open(f"{hokkaido_server}/viz")
    total = watched.page.evaluate("window.pkViz.nodes.length")
    assert total == len(build_network(hokkaido_store)["nodes"])
    watched.page.fill("#pk-search-input", "ＩＣＴを活用した 鳥獣害対策")
    watched.page.press("#pk-search-input", "Enter")
    assert watched.page.locator("#pk-panel-title").text_content() == "ICTを活用した鳥獣害対策"
    assert "行 377" in watched.page.locator("#pk-panel").text_content()   # deck line of the measure
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    watched.page.screenshot(path=str(ARTIFACTS / "hokkaido-hierarchical.png"))
    watched.check()


def test_bundled_graph_area_filter_in_the_browser(watched, hokkaido_server):
    watched.open(f"{hokkaido_server}/viz?area=暮らし&kind=measure&layout=force")
    assert watched.visible() == 13          # slide 13: the measures of (1) 暮らし
    watched.check()


def test_served_focus_selects_the_node(watched, mini_server):
    watched.open(f"{mini_server}/viz?focus=暮らし&hops=1&lang=en")
    assert watched.page.evaluate("document.body.dataset.selected") == ID + "testpref/area/testpref-area-1"
    assert watched.page.locator("#pk-panel-title").text_content() == "Living"
    assert watched.visible() == 5        # the area, its plan, its direction and both phases
    watched.check()


# ---------- issue 11 item 8: readable at first sight ----------

SHAPE_WORDS = re.compile(r"\b(box|database|dot|diamond|hexagon|square|triangle|triangleDown|star|ellipse)\b", re.I)
VIEW = """() => {
    const net = window.pkViz.network, canvas = document.querySelector('#pk-network canvas');
    const scale = net.getScale(), shown = window.pkViz.nodes.get({filter: n => !n.hidden});
    return {scale, width: canvas.clientWidth, height: canvas.clientHeight, nodes: shown.map(n => {
        const p = net.canvasToDOM(net.getPositions([n.id])[n.id]);
        return {id: n.id, kind: window.pkViz.data.nodes.find(m => m.id === n.id).kind, x: p.x, y: p.y,
                size: n.size, px: n.font.size * scale, drawn: net.body.nodes[n.id].labelModule.visible()};
    })};
}"""


def first_view(watched) -> dict:
    view = watched.page.evaluate(VIEW)
    assert view["nodes"], "nothing is shown"
    return view


def assert_inside(view) -> None:
    """Every shown node, dot included, lies inside the canvas (nothing clipped at the edges)."""
    w, h, s = view["width"], view["height"], view["scale"]
    outside = [n["id"] for n in view["nodes"]
               if not (0 <= n["x"] - n["size"] * s and n["x"] + n["size"] * s <= w
                       and 0 <= n["y"] - n["size"] * s and n["y"] + n["size"] * s <= h)]
    assert outside == [], f"{len(outside)} of {len(view['nodes'])} nodes are clipped: {outside[:5]}"


@pytest.mark.parametrize("server, query, shot", [
    ("mini_server", "focus=暮らし&hops=1", "focus-mini"),
    ("hokkaido_server", "focus=北海道型のMaaSの展開&hops=2", "focus-maas-hops2"),
    ("hokkaido_server", "focus=暮らし&hops=1&lang=en", "focus-living-en"),
])
def test_focus_view_fits_the_canvas_with_readable_labels(watched, request, server, query, shot):
    watched.open(f"{request.getfixturevalue(server)}/viz?{query}")
    view = first_view(watched)
    assert_inside(view)
    small = [(n["id"], round(n["px"], 1)) for n in view["nodes"] if n["px"] < MIN_LABEL_PX]
    assert small == [], f"labels under {MIN_LABEL_PX}px on screen at scale {view['scale']:.2f}: {small[:5]}"
    assert all(n["drawn"] for n in view["nodes"])
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    watched.page.screenshot(path=str(ARTIFACTS / f"{shot}.png"))
    watched.check()


def test_show_neighbourhood_refits_the_canvas(watched, hokkaido_server):
    """The panel's button (client side) fits and enlarges like the served focus view."""
    watched.open(f"{hokkaido_server}/viz")
    watched.page.fill("#pk-search-input", "北海道型のMaaSの展開")
    watched.page.press("#pk-search-input", "Enter")
    watched.page.fill("#pk-hops", "2")
    watched.page.click("#pk-focus")
    view = first_view(watched)
    assert 5 <= len(view["nodes"]) < 150
    assert_inside(view)
    assert min(n["px"] for n in view["nodes"]) >= MIN_LABEL_PX
    watched.check()


def test_whole_graph_first_view(watched, hokkaido_server):
    """All of Hokkaido at once (too many for every label): every node inside the canvas; plans, pillar
    groups, areas and pillars labelled at ≥ 12 px where their labels do not collide; no label drawn
    under 11 px (vis fades labels in between); the rest named on hover; sizes by role, none giant."""
    watched.open(f"{hokkaido_server}/viz")
    view = first_view(watched)
    assert len(view["nodes"]) > 150
    assert_inside(view)
    by_kind: dict[str, list[dict]] = {}
    for n in view["nodes"]:
        by_kind.setdefault(n["kind"], []).append(n)
    labelled = 0
    for kind in ("plan", "pillar_group", "pillar", "area"):
        readable = [n for n in by_kind[kind] if n["drawn"] and n["px"] >= MIN_LABEL_PX]
        assert readable, kind
        labelled += len(readable)
    assert labelled >= 8
    assert [n["id"] for n in view["nodes"] if n["drawn"] and n["px"] < MIN_LABEL_PX - 1] == []
    assert all(n["drawn"] for n in by_kind["plan"][:1])
    # the enlarged labels do not sit on each other (vis's own label boxes, screen px)
    boxes = watched.page.evaluate("""(ids) => { const net = window.pkViz.network, s = net.getScale();
        return ids.map(id => { const z = net.body.nodes[id].labelModule.size;
            return [z.left * s, z.top * s, (z.left + z.width) * s, (z.top + z.height) * s]; }); }""",
        [n["id"] for n in view["nodes"] if n["drawn"]])
    overlaps = [(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1:]
                if min(a[2], b[2]) - max(a[0], b[0]) > 4 and min(a[3], b[3]) - max(a[1], b[1]) > 4]
    assert overlaps == [], f"{len(overlaps)} overlapping labels"
    # sizes by role, none giant: a pillar group is a modest shape, not a label-sized cylinder
    assert max(n["size"] for n in view["nodes"]) <= MAX_NODE_SIZE
    assert min(n["size"] for n in by_kind["plan"]) > max(n["size"] for n in by_kind["pillar_group"]) \
        > max(n["size"] for n in by_kind["pillar"]) > max(n["size"] for n in by_kind["measure"])
    group = by_kind["pillar_group"][0]["id"]
    shape = watched.page.evaluate("(id) => { const s = window.pkViz.network.body.nodes[id].shape; return [s.width, s.height]; }", group)
    assert max(shape) <= 2 * MAX_NODE_SIZE, shape
    assert watched.page.evaluate(f"window.pkViz.network.body.nodes[{group!r}].options.scaling.label.drawThreshold") \
        == MIN_LABEL_PX
    # hover names a node whose label is not drawn
    hidden = next(n for n in view["nodes"] if not n["drawn"])
    box = watched.page.locator("#pk-network canvas").bounding_box()
    watched.page.mouse.move(5, 5)
    watched.page.mouse.move(box["x"] + hidden["x"], box["y"] + hidden["y"], steps=3)
    wait_until(watched.page, "!document.getElementById('pk-tooltip').hidden", 5)
    kind_words = {k.ja for k in KINDS}
    assert watched.page.locator("#pk-tooltip").text_content().split("\n")[-1] in kind_words
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    watched.page.screenshot(path=str(ARTIFACTS / "hokkaido-first-view.png"))
    watched.check()


def test_legend_is_in_words(watched, mini_server):
    watched.open(f"{mini_server}/viz")
    text = watched.page.locator("#pk-legend").inner_text()
    for word in ("計画", "柱のグループ", "柱・基本戦略", "国の計画項目", "分野", "施策の展開方針", "主な取組", "指標",
                 "推進する", "寄与する", "対応する方針", "原文に記載"):
        assert word in text
    assert not SHAPE_WORDS.search(text), SHAPE_WORDS.search(text)
    watched.page.click("#pk-lang")
    text = watched.page.locator("#pk-legend").inner_text()
    for word in ("Plan", "Pillar group", "National item", "Policy area", "Policy direction", "Measure", "Indicator", "supports"):
        assert word in text
    assert not SHAPE_WORDS.search(text), SHAPE_WORDS.search(text)
    watched.check()


def test_legend_in_english_with_lang_en(watched, mini_server):
    watched.open(f"{mini_server}/viz?lang=en")
    text = watched.page.locator("#pk-legend").inner_text()
    assert "Measure" in text and "主な取組" not in text and not SHAPE_WORDS.search(text)
    watched.check()
