"""/sparql over the bundled Hokkaido graph, answers checked against the source deck.

Deck lines 370–420: five areas (1)–(5) — 暮らし 6 directions (a)–(f), 産業 5, 行政 2, データの利活用 2,
基盤整備 3; direction 1a 「安全で質の高い医療・福祉サービスの強化」 lists 遠隔医療・遠隔介護等の推進 (line 375).
"""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SKOS

from policykg.namespaces import ID, sparql_prefixes

DIRECTIONS_PER_AREA = """
SELECT ?label (COUNT(?d) AS ?n) WHERE {
  ?a a pk:PolicyArea ; skos:prefLabel ?label ; skos:notation ?no .
  ?d a pk:PolicyDirection ; pk:area ?a .
  FILTER(lang(?label) = "ja")
} GROUP BY ?label ?no ORDER BY ?no
"""


def select(client, query: str, **kwargs):
    r = client.get("/sparql", params={"query": sparql_prefixes() + query}, **kwargs)
    assert r.status_code == 200, r.text
    return r


def test_areas_and_direction_counts_match_the_deck(client):
    rows = select(client, DIRECTIONS_PER_AREA).json()["results"]["bindings"]
    got = [(row["label"]["value"], int(row["n"]["value"])) for row in rows]
    assert got == [("暮らし", 6), ("産業", 5), ("行政", 2), ("データの利活用", 2), ("基盤整備", 3)]


def test_measure_of_direction_1a(client):
    q = """SELECT ?m WHERE { ?d skos:notation "1a" . ?m a pk:Measure ; pk:direction ?d ; skos:prefLabel "遠隔医療・遠隔介護等の推進"@ja }"""
    assert len(select(client, q).json()["results"]["bindings"]) == 1


@pytest.mark.parametrize(("accept", "fmt"), [("text/turtle", "turtle"), ("application/ld+json", "json-ld"), ("application/rdf+xml", "xml")])
def test_construct_area_labels_parse_back(client, accept, fmt):
    q = "CONSTRUCT { ?a skos:prefLabel ?l } WHERE { ?a a pk:PolicyArea ; skos:prefLabel ?l }"
    g = Graph().parse(data=select(client, q, headers={"Accept": accept}).content, format=fmt)
    area1 = URIRef(ID["hokkaido/area/hokkaido-area-1"])
    assert (area1, SKOS.prefLabel, Literal("暮らし", lang="ja")) in g
    assert len(set(g.subjects(SKOS.prefLabel, None))) == 5


def test_deck_graph_alone_has_no_ontology_classes(client):
    deck = "https://w3id.org/policykg/graph/hokkaido-society5-fy2023-secretariat-deck"
    q = "ASK { ?c a owl:Class }"
    assert select(client, q).json()["boolean"] is True  # the union includes graph/ontology
    r = client.get("/sparql", params=[("query", sparql_prefixes() + q), ("default-graph-uri", deck)])
    assert r.json()["boolean"] is False


def test_service_description_lists_the_bundled_graphs(client):
    g = Graph().parse(data=client.get("/sparql").text, format="turtle")
    names = {str(o) for o in g.objects(None, URIRef("http://www.w3.org/ns/sparql-service-description#name"))}
    assert "https://w3id.org/policykg/graph/ontology" in names
    assert "https://w3id.org/policykg/graph/hokkaido-society5-fy2023-secretariat-deck" in names


def test_update_via_shared_client_is_refused(client, hokkaido_store):
    before = hokkaido_store.generation
    r = client.post("/sparql", data={"update": "CLEAR ALL"})
    assert r.status_code == 403
    assert hokkaido_store.generation == before
