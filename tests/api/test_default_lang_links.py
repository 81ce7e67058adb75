"""With ``default_lang=en`` the pages speak English without ?lang=, keep English across links without
adding ?lang=en, and the switch to Japanese adds ?lang=ja, which Japanese pages then keep."""

from __future__ import annotations

import re

import pytest

from policykg import urls

from app_support import load_catalog
from test_pages import PAGE_PATHS


def hrefs(html: str) -> list[str]:
    return [h.replace("&amp;", "&") for h in re.findall(r'<a [^>]*href="([^"]+)"', html)]


def page_links(html: str) -> list[str]:
    return [h for h in hrefs(html)
            if h.split("?")[0] in PAGE_PATHS or (h.startswith("/id/") and "." not in h.rsplit("/", 1)[-1])]


def switch_link(html: str, to: str) -> str:
    match = re.search(rf'<a [^>]*href="([^"]+)" hreflang="{to}"', html)
    assert match, f"no switch to {to}"
    return match.group(1).replace("&amp;", "&")


@pytest.fixture()
def english(make_client):
    return make_client(store=load_catalog("mini.ttl"), default_lang="en")


@pytest.mark.parametrize("url", ["/", "/areas", "/measures", "/indicators", "/national-items", "/search?q=MaaS",
                                 "/query", "/id/hokkaido/measure/m-maas"])
def test_english_default_keeps_english_and_switches_to_japanese(english, url):
    html = english.get(url).text
    assert '<html lang="en">' in html
    links = page_links(html)
    assert links
    switch = switch_link(html, "ja")
    for href in links:
        if href == switch:
            continue
        assert "lang=" not in href, f"{href}: the default language needs no ?lang="
    assert "lang=ja" in switch

    japanese = english.get(switch)
    assert japanese.status_code == 200
    assert '<html lang="ja">' in japanese.text
    back = switch_link(japanese.text, "en")
    assert "lang=" not in back, "back to the default: no ?lang="
    for href in page_links(japanese.text):
        if href != back:
            assert "lang=ja" in href, f"{href} drops ?lang=ja (it would fall back to English)"
    assert '<html lang="en">' in english.get(back).text


def test_english_default_search_form_and_json_links(english):
    ja = english.get("/measures", params={"lang": "ja"}).text
    assert '<input type="hidden" name="lang" value="ja">' in ja
    en = english.get("/measures").text
    assert 'name="lang"' not in en
    assert english.get("/api/measures").json()["lang"] == "en"
    item = english.get("/api/measures", params={"lang": "ja"}).json()["items"][0]
    assert item["url"].endswith("?lang=ja")
    assert "lang=" not in english.get("/api/measures").json()["items"][0]["url"]


def test_japanese_default_is_unchanged(make_client):
    client = make_client(store=load_catalog("mini.ttl"))
    html = client.get("/measures").text
    switch = switch_link(html, "en")
    assert all("lang=" not in h for h in page_links(html) if h != switch)
    assert "lang=en" in switch


def test_url_builder_follows_the_configured_default():
    assert urls.page_url("measures", "en") == "/measures?lang=en"
    with urls.using_default_lang("en"):
        assert urls.page_url("measures", "en") == "/measures"
        assert urls.page_url("measures", "ja") == "/measures?lang=ja"
        assert urls.entity_url("https://w3id.org/policykg/id/x/y", "ja") == "/id/x/y?lang=ja"
        assert urls.viz_url("m-1", "en") == "/viz?focus=m-1"
    assert urls.page_url("measures", "ja") == "/measures"
