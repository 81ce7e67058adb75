"""The self-contained page: inlined vis-network, CSP hashes, safe JSON embedding, escaped text, layouts."""

from __future__ import annotations

import html
import json
import re

import pytest

from policykg.viz.filters import make_filter, apply_filters
from policykg.viz.layout import LARGE_GRAPH_NODES, Layout, precompute_positions
from policykg.viz.render import csp_hash, page_data, render_page, script_json, vis_assets

SCRIPT = re.compile(r"<script(?P<attrs>[^>]*)>(?P<body>.*?)</script>", re.S)
STYLE = re.compile(r"<style>(?P<body>.*?)</style>", re.S)


@pytest.fixture(scope="module")
def page(mini_model):
    return render_page(mini_model)


@pytest.fixture(scope="module")
def xss_page(xss_store):
    from policykg.viz.model import build_network

    return render_page(build_network(xss_store))


def embedded_data(html: str) -> dict:
    block = next(m for m in SCRIPT.finditer(html) if 'type="application/json"' in m["attrs"])
    return json.loads(block["body"])


def test_vis_network_is_inlined_from_the_pyvis_package(page):
    vis_js, _ = vis_assets()
    assert "@version 9.1.2" in vis_js
    bodies = [m["body"] for m in SCRIPT.finditer(page.html)]
    assert vis_js in bodies


def test_no_reference_to_any_other_host(page):
    # No element loads anything: no src/href attributes outside our data, no @import, no CDN.
    assert not re.search(r"<(script|link|img|iframe)[^>]+(src|href)=[\"']?(https?:)?//", page.html)
    assert "cdn" not in re.sub(r"<script[^>]*>.*?</script>|<style>.*?</style>", "", page.html, flags=re.S).lower()
    assert "@import" not in page.html


def test_csp_lists_exactly_the_inline_code(page):
    scripts = [m["body"] for m in SCRIPT.finditer(page.html) if "application/json" not in m["attrs"]]
    styles = [m["body"] for m in STYLE.finditer(page.html)]
    assert len(scripts) == 2 and len(styles) == 2
    csp = page.csp
    assert "default-src 'none'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp
    for body in scripts + styles:
        assert csp_hash(body) in csp
    meta = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', page.html)
    assert html.unescape(meta.group(1)) == csp   # the same policy as a meta tag, for file:// use


def test_embedded_data_round_trips(page, mini_model):
    data = embedded_data(page.html)
    assert len(data["nodes"]) == len(mini_model["nodes"]) == 18
    assert data["lang"] == "ja" and data["layout"] == "hierarchical" and data["large"] is False
    assert data["options"]["layout"]["hierarchical"]["direction"] == "LR"


def test_script_json_cannot_end_its_element():
    text = script_json({"a": "</script><!-- \u2028 \u2029 & <b>"})
    assert "<" not in text and ">" not in text and "&" not in text
    assert "\u2028" not in text and "\u2029" not in text
    assert json.loads(text) == {"a": "</script><!-- \u2028 \u2029 & <b>"}


def test_hostile_labels_stay_data(xss_page):
    text = xss_page.html
    data = embedded_data(text)
    labels = {n["label"]["ja"] for n in data["nodes"]}
    assert "<img src=x onerror=alert(1)>" in labels and "<script>alert(2)</script>" in labels
    # Only our three script elements exist; no payload became markup anywhere in the page.
    assert len(SCRIPT.findall(text)) == 3
    for payload in ("<img src=x", "<svg onload", "<iframe", "<b>太字", "alert(4)</script>"):
        assert payload not in text


def test_title_and_lang_are_escaped_and_english_works(mini_model):
    page = render_page(mini_model, lang="en", layout=Layout.force)
    assert '<html lang="en">' in page.html and "<title>Policy alignment network</title>" in page.html
    data = embedded_data(page.html)
    assert data["options"]["physics"]["stabilization"]["iterations"] == 200
    with pytest.raises(ValueError):
        render_page(mini_model, lang="fr")


def test_focus_travels_to_the_page(mini_model):
    model = apply_filters(mini_model, make_filter(focus="m-m1", hops=1))
    assert embedded_data(render_page(model).html)["focus"].endswith("/m-m1")


def synthetic_model(n: int) -> dict:
    nodes = [{"id": f"n{i}", "level": i % 5, "kind": "measure"} for i in range(n)]
    edges = [{"id": f"e{i}", "from": f"n{i}", "to": f"n{i // 2}", "ev": "structure"} for i in range(1, n)]
    return {"nodes": nodes, "edges": edges, "legend": {}}


def test_large_graphs_get_positions_and_no_physics():
    model = synthetic_model(LARGE_GRAPH_NODES + 1)
    data = page_data(model, lang="ja", layout=Layout.force)
    assert data["large"] is True and data["options"]["physics"] is False
    assert "hierarchical" not in data["options"]["layout"]
    assert all("x" in n and "y" in n for n in data["nodes"])
    small = page_data(synthetic_model(10), lang="ja", layout=Layout.force)
    assert small["large"] is False and "x" not in small["nodes"][0]


@pytest.mark.parametrize("layout", list(Layout))
def test_precomputed_positions_do_not_overlap(layout):
    model = synthetic_model(3000)
    pos = precompute_positions(model["nodes"], model["edges"], layout)
    assert len(pos) == 3000
    assert len({(round(x), round(y)) for x, y in pos.values()}) == 3000
    if layout is Layout.hierarchical:   # levels left to right, each wrapped into sub-columns of <= 250 rows
        spans = {lvl: [pos[n["id"]][0] for n in model["nodes"] if n["level"] == lvl] for lvl in range(5)}
        assert all(max(spans[lvl]) < min(spans[lvl + 1]) for lvl in range(4))
        assert all(len(set(xs)) == 3 for xs in spans.values())   # 600 nodes per level -> 3 sub-columns


def test_small_views_close_empty_levels_and_label_options(mini_model):
    """A focus view keeps no empty hierarchical columns; labels wrap and none is drawn under 11 px."""
    from policykg.viz.kinds import MIN_LABEL_PX
    from policykg.viz.layout import LABEL_WIDTH

    focused = apply_filters(mini_model, make_filter(focus="暮らし", hops=1))
    data = page_data(focused, lang="ja", layout=Layout.hierarchical)
    model_levels = sorted({n["level"] for n in focused["nodes"]})
    assert model_levels != list(range(len(model_levels)))           # the model has gaps (plan at 9) ...
    assert sorted({n["level"] for n in data["nodes"]}) == list(range(len(model_levels)))   # ... the page none
    nodes = data["options"]["nodes"]
    assert nodes["scaling"]["label"]["drawThreshold"] == MIN_LABEL_PX
    assert nodes["widthConstraint"] == {"maximum": LABEL_WIDTH}
    assert data["options"]["layout"]["hierarchical"]["nodeSpacing"] > LABEL_WIDTH / 2
