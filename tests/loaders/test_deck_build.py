"""The deck inside the bundled store (built and SHACL-validated by policykg.graph.build)."""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal

from policykg.namespaces import graph_name, sparql_prefixes

from project_paths import DECK_FILE


def test_store_holds_the_deck_graph(hokkaido_store, deck_graph) -> None:
    """The deck's graph holds what the deck states, less what the national reference data already states
    (policykg.graph.build.drop_restated): every triple is in the store once."""
    from policykg.graph.build import drop_restated

    g = graph_name(DECK_FILE.removesuffix(".txt"))
    assert g in hokkaido_store.graph_names()
    reference = graph_name("jp-national-reference")
    ref = hokkaido_store.query("SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }", bindings={"g": reference})
    ref_graph = Graph()
    for row in ref.rows:
        ref_graph.add((row["s"], row["p"], row["o"]))
    result = hokkaido_store.query("SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }", bindings={"g": g})
    expected = drop_restated(deck_graph, ref_graph)
    assert 0 < len(expected) < len(deck_graph), "the deck restates some national facts, and adds its own"
    assert len(result.rows) == len(expected)
    twice = hokkaido_store.query("ASK { GRAPH ?a { ?s ?p ?o } GRAPH ?b { ?s ?p ?o } FILTER(?a != ?b) }")
    assert twice.value is False


def test_store_answers_from_the_deck(hokkaido_store) -> None:
    q = sparql_prefixes() + """SELECT ?v WHERE { ?i skos:prefLabel ?l ; pk:hasTarget/qudt:numericValue ?v }"""
    result = hokkaido_store.query(q, bindings={"l": Literal("温室効果ガスの排出量", lang="ja")})
    assert [int(r["v"].toPython()) for r in result.rows] == [47_940_000]


@pytest.mark.slow
def test_deck_graph_has_no_shacl_results_at_all(deck_graph) -> None:
    """Not even warnings (e.g. a guideline without pk:accompanies, a direction phase without a direction)."""
    from rdflib import Graph

    from policykg.graph import validation
    from policykg.ontology import ontology_graph

    union = Graph()
    union += deck_graph
    union += ontology_graph()
    report = validation.validate(union)
    assert report.conforms and report.violations == [], [validation.format_violation(v) for v in report.violations[:5]]
