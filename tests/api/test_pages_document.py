"""Pages and dereferencing on the bundled graph: every listed entity has a page and an RDF
description, and the pages show what the deck says."""

from __future__ import annotations

import re

import pytest
from policykg.namespaces import SKOS

LISTS = ["/api/areas", "/api/directions", "/api/measures", "/api/national-plans", "/api/national-items",
         "/api/indicators"]


def listed(client) -> list[dict]:
    return [item for url in LISTS for item in client.get(url, params={"limit": 1000}).json()["items"]]


def test_every_listed_entity_dereferences(client):
    entities = listed(client)
    assert len(entities) == 5 + 18 + 39 + 4 + 90 + 37   # national items and KPIs include data/national
    for entity in entities:
        page = client.get(entity["url"])
        assert page.status_code == 200, entity["url"]
        assert re.search(r"<h1>([^<]*)</h1>", page.text).group(1) == entity["label"].replace("&", "&amp;")
        ntriples = client.get(entity["url"] + ".nt").text
        assert f"<{entity['iri']}> <{SKOS.prefLabel}> " in ntriples, entity["iri"]


def test_measure_page_shows_source_relations_and_links(client):
    maas = next(m for m in client.get("/api/measures").json()["items"] if m["label"] == "北海道型のMaaSの展開")
    html = client.get(maas["url"]).text
    assert ">378<" in html and ">390<" in html, "both source lines (slides 13 and 14)"
    assert "/id/hokkaido/direction/hokkaido-dir-1d" in html and "/id/hokkaido/direction/hokkaido-dir-2d" in html
    assert f"/api/measures/{maas['id']}/trace" in html and f"/viz?focus={maas['id']}" in html
    assert "主な取組" in html


def test_area_page_lists_incoming_directions(client):
    html = client.get("/id/hokkaido/area/hokkaido-area-3").text
    assert "利用者視点でのデジタル化の推進" in html and "/id/hokkaido/direction/hokkaido-dir-3b" in html


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_property_labels_follow_the_page_language(client, lang):
    html = client.get("/id/hokkaido/direction/hokkaido-dir-1a", params={"lang": lang}).text
    headers = re.findall(r'<th title="https://w3id.org/policykg/ontology#area">([^<]+)</th>', html)
    assert headers, "pk:area shown as a relation"
    assert bool(re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", headers[0])) == (lang == "ja"), headers


def test_indicators_page_shows_baseline_and_target(client):
    html = client.get("/indicators").text
    row = next(r for r in html.split("<tr>") if "自動運転実証試験件数" in r)
    assert "24件" in row and "36件" in row and "2026-03-31" in row


def test_home_counts(client):
    html = client.get("/").text
    assert re.search(r'data-kind="areas">5<', html) and re.search(r'data-kind="directions">18<', html)
    assert re.search(r'data-kind="measures">39<', html)


def test_no_dead_local_links(client):
    maas = next(m for m in client.get("/api/measures").json()["items"] if m["label"] == "北海道型のMaaSの展開")
    item = client.get("/api/national-items").json()["items"][1]
    pages = ["/", maas["url"], item["url"], "/query"]
    checked: set[str] = set()
    for page in pages:
        html = client.get(page).text
        for href in re.findall(r'href="(/[^"]*)"', html):
            href = href.replace("&amp;", "&")
            if href in checked:
                continue
            checked.add(href)
            assert client.get(href).status_code < 400, f"{page} links to {href}"
    assert any("/trace" in h for h in checked) and any(h.startswith("/viz") for h in checked)
    assert any(h.endswith("/supporters") for h in checked) and "/api/gaps" in {h.split("?")[0] for h in checked}
