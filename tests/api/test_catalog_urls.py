"""The one URL builder (policykg.urls): entity IRIs ↔ /id/ paths, language kept, hashed assets."""

from __future__ import annotations

import pytest
from rdflib import URIRef

from policykg import urls


@pytest.mark.parametrize("path", ["hokkaido/area/hokkaido-area-1", "jp/plan/juten-keikaku",
                                  "hokkaido/indicator/i-abc-target-1", "source/deck.v2"])
def test_entity_iri_round_trip(path):
    iri = URIRef("https://w3id.org/policykg/id/" + path)
    assert urls.is_entity(iri)
    assert urls.entity_path(iri) == "/id/" + path
    assert urls.iri_from_path(urls.entity_path(iri)[len("/id/"):]) == iri


@pytest.mark.parametrize(("iri", "ours"), [
    ("https://w3id.org/policykg/ontology#Measure", False),
    ("https://w3id.org/policykg/id/", False),
    ("http://example.org/x", False),
    ("https://w3id.org/policykg/id/jp/society5", True),
])
def test_is_entity(iri, ours):
    assert urls.is_entity(iri) is ours


@pytest.mark.parametrize(("lang", "expected"), [(None, "/measures"), ("ja", "/measures"), ("en", "/measures?lang=en")])
def test_default_language_is_not_repeated(lang, expected):
    assert urls.page_url("measures", lang) == expected


def test_values_are_encoded():
    assert urls.api_url("search", "en", q="a&b c") == "/api/search?q=a%26b%20c&lang=en"
    assert urls.sparql_url("SELECT * {?s ?p ?o}", "csv").startswith("/sparql?query=SELECT%20%2A%20%7B%3Fs")
    assert urls.trace_url("m/../x") == "/api/measures/m%2F..%2Fx/trace"


def test_rdf_url_rejects_unknown_suffix():
    iri = "https://w3id.org/policykg/id/jp/society5"
    assert urls.rdf_url(iri, ".ttl") == "/id/jp/society5.ttl"
    with pytest.raises(ValueError, match=".ttl"):
        urls.rdf_url(iri, ".exe")


def test_static_url_carries_a_content_hash():
    from policykg.api.assets import static_url

    url = static_url("style.css")
    assert url.startswith("/static/style.css?v=") and len(url.rsplit("=", 1)[1]) == 12
