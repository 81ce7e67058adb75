"""The home page at national scale: above HOME_AREA_TREES governments it lists them, each linking to its own
areas, and reads neither the whole-graph areas list nor the store's label index."""

from __future__ import annotations

import sys

import pytest

from project_paths import ROOT


@pytest.fixture(scope="module")
def many_store():
    """The bundled data plus 24 small synthetic plans (benchmarks/national.py)."""
    from policykg.graph.build import build_store
    from policykg.graph.pipeline import load_graphs

    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from benchmarks import national

    codes = [j.code for j in national.roster()][:24]
    store = build_store()
    load_graphs(store, {g.identifier: g for _k, g in national.generate(7, 0.03, jurisdictions=codes)}, validate=False)
    return store


def test_many_governments_are_listed_not_their_area_trees(make_client, many_store, monkeypatch):
    from policykg.api.routes import pages

    assert pages.HOME_AREA_TREES < 25
    client = make_client(many_store)
    called: list[str] = []
    from policykg.api.routes import catalog as routes_catalog

    original = routes_catalog.LISTS["areas"]
    monkeypatch.setitem(routes_catalog.LISTS, "areas", lambda *a, **k: called.append("areas") or original(*a, **k))
    for lang, words in (("ja", "団体を選ぶと"), ("en", "Pick a government")):
        page = client.get("/", params={} if lang == "ja" else {"lang": "en"})
        assert page.status_code == 200
        html = page.text
        assert words in html and 'class="jurisdiction-list"' in html and "jurisdiction-areas" not in html
        links = html.split('class="jurisdiction-list"', 1)[1].split("</ul>", 1)[0].count("<a href=")
        assert links == 25, "Hokkaido and the 24 synthetic plans"
        assert "/areas?jurisdiction=hokkaido" in html
    assert called == [], "the whole-graph areas list is not read"


def test_a_few_governments_keep_their_area_trees(make_client, hokkaido_store):
    html = make_client(hokkaido_store).get("/").text
    assert "jurisdiction-areas" in html and 'class="jurisdiction-list"' not in html
