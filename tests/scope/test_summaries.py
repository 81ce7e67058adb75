"""The roll-ups kept in the meta graph stay equal to a from-scratch recomputation after every kind of
write: a workbook load, an observation, a SPARQL Update adding an alignment, a delta removing it,
replacing a jurisdiction's graph and replacing a national graph; on both engines."""

from __future__ import annotations

import datetime as dt

import pytest
from rdflib import Literal, URIRef

from policykg.graph import summaries
from policykg.graph.jurisdictions import compute_graph_keys, indexed_graph_keys, local_keys
from policykg.namespaces import GRAPH, ID, PK

TODAY = dt.date.today()
CITY = "test-city"


@pytest.fixture(scope="module")
def sources(city_workbook_file):
    """(bundled graphs, the city's graphs) as parsed by ``build --add``."""
    from policykg.graph.build import default_sources, read_sources

    everything = read_sources([*default_sources(), city_workbook_file])
    bundled = read_sources(default_sources())
    return ({g: list(t) for g, t in bundled.items()},
            {g: list(t) for g, t in everything.items() if g not in bundled})


def _store(backend: str, graphs):
    from policykg.graph.store import open_store

    store = open_store(backend=backend)
    store.replace_graphs(graphs)
    return store


def assert_consistent(store) -> tuple[dict, summaries.Totals]:
    kept, totals = summaries.read(store)
    fresh, fresh_totals, fresh_index = summaries.recompute(store)
    assert kept == fresh
    assert totals == fresh_totals
    assert indexed_graph_keys(store) == fresh_index
    assert set(kept) == local_keys(store)
    return kept, totals


def _one(store, sparql: str, **bindings):
    return store.query(sparql, bindings=bindings or None).rows


@pytest.mark.parametrize("backend", ["oxigraph", "rdflib"])
def test_every_write_keeps_the_roll_ups_equal_to_a_recomputation(backend, sources):
    bundled, city = sources
    store = _store(backend, bundled)
    assert not summaries.enabled(store)
    summaries.rebuild(store)
    kept, _ = assert_consistent(store)
    assert set(kept) == {"hokkaido"}

    # 1. a workbook load: the city's graphs beside the bundled ones
    store.replace_graphs(city)
    kept, totals = assert_consistent(store)
    assert set(kept) == {"hokkaido", CITY}
    assert kept[CITY].gaps["national_items_without_measures"] > 0
    if backend == "rdflib":
        return  # rdflib evaluates each recomputation in minutes: its hook is the same code, run by the same calls

    # 2. an observation of a city indicator dated after every due date: no more "past target" for it
    past = kept[CITY].gaps["indicators_past_target_without_observation"]
    assert past > 0
    indicator = _one(store, """SELECT ?i WHERE { ?t <https://w3id.org/policykg/ontology#dueDate> ?d .
        { ?t <https://w3id.org/policykg/ontology#targetOf> ?i } UNION { ?i <https://w3id.org/policykg/ontology#hasTarget> ?t }
        FILTER(STRSTARTS(STR(?i), "https://w3id.org/policykg/id/test-city/")) } ORDER BY ?i LIMIT 1""")[0]["i"]
    obs = URIRef(f"{ID}{CITY}/observation/test-1")
    g = GRAPH["observations-test"]
    nq = "".join(f"{s.n3()} {p.n3()} {o.n3()} <{g}> .\n" for s, p, o in [
        (obs, URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), PK.IndicatorObservation),
        (obs, URIRef("http://www.w3.org/ns/sosa/observedProperty"), indicator),
        (obs, URIRef("http://qudt.org/schema/qudt/numericValue"), Literal("1", datatype=URIRef("http://www.w3.org/2001/XMLSchema#decimal"))),
        (obs, PK.date, Literal(TODAY.isoformat(), datatype=URIRef("http://www.w3.org/2001/XMLSchema#date"))),
    ])
    store.load_nquads(nq.encode("utf-8"))
    kept, _ = assert_consistent(store)
    assert kept[CITY].gaps["indicators_past_target_without_observation"] < past
    assert indexed_graph_keys(store)[g] == frozenset({CITY})

    # 3. a SPARQL Update aligning a city measure that had no alignment
    unaligned = kept[CITY].gaps["measures_without_alignment"]
    measure = _one(store, """SELECT ?m WHERE { ?m a <https://w3id.org/policykg/ontology#Measure>
        FILTER(STRSTARTS(STR(?m), "https://w3id.org/policykg/id/test-city/"))
        FILTER NOT EXISTS { ?a <https://w3id.org/policykg/ontology#localItem> ?m } } ORDER BY ?m LIMIT 1""")[0]["m"]
    item = sorted(i for i, (j, _m) in totals.items.items() if j == 0)[0]
    alignment = URIRef(f"{ID}alignment/al-test-scope")
    city_graph = sorted(city)[0]
    triples = (f"{alignment.n3()} a <{PK.Alignment}> ; <{PK.evidence}> <{PK.Curated}> ; "
               f"<{PK.localItem}> {measure.n3()} ; <{PK.nationalItem}> <{item}> .")
    store.update(f"INSERT DATA {{ GRAPH <{city_graph}> {{ {triples} }} }}")
    kept, totals = assert_consistent(store)
    assert kept[CITY].gaps["measures_without_alignment"] == unaligned - 1
    assert totals.items[item] == (1, 1)

    # 4. the same alignment removed again as a delta (the path of users' updates through the workers)
    removed = "".join(f"{alignment.n3()} {p.n3()} {o.n3()} <{city_graph}> .\n" for p, o in [
        (URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), PK.Alignment), (PK.evidence, PK.Curated),
        (PK.localItem, measure), (PK.nationalItem, URIRef(item))])
    store.apply_delta(removed.encode("utf-8"), b"")
    kept, totals = assert_consistent(store)
    assert kept[CITY].gaps["measures_without_alignment"] == unaligned
    assert totals.items[item] == (0, 0)

    # 5. replacing Hokkaido's curated alignments with half of them
    name = GRAPH["alignments-hokkaido-curated"]
    before = sum(kept["hokkaido"].support.values())
    half = sorted(bundled[name])[: len(bundled[name]) // 2]
    store.replace_graphs({name: half})
    kept, _ = assert_consistent(store)
    assert sum(kept["hokkaido"].support.values()) < before

    # 6. replacing a national graph (every jurisdiction recomputed), then emptying the city's graph
    national = GRAPH["jp-national-reference"]
    store.replace_graphs({national: bundled[national]})
    assert_consistent(store)
    store.replace_graphs({g: [] for g in city} | {g: []})
    kept, _ = assert_consistent(store)
    assert set(kept) == {"hokkaido"}


def test_totals_agree_with_the_whole_graph_canned_query(sources):
    """Independent of :mod:`summaries`' own recomputation: the item totals equal the whole-graph answer of
    ``national-item-jurisdictions`` (jurisdictions per supported item)."""
    from policykg.graph.queries import load_query, select

    bundled, city = sources
    store = _store("oxigraph", {**bundled, **city})
    summaries.rebuild(store)
    _, totals = summaries.read(store)
    whole = {str(r["item"]): int(r["jurisdictions"]) for r in select(store, load_query("national-item-jurisdictions"))}
    assert whole and {i: j for i, (j, _m) in totals.items.items() if j} == whole


def test_a_store_without_roll_ups_is_left_alone(sources):
    bundled, city = sources
    store = _store("oxigraph", bundled)
    store.replace_graphs(city)
    assert not summaries.enabled(store)
    assert not any(str(g).startswith("urn:policykg:meta") for g in store.graph_names())


def test_the_index_of_a_fresh_computation_names_each_graphs_jurisdictions(sources):
    bundled, city = sources
    store = _store("oxigraph", {**bundled, **city})
    index = compute_graph_keys(store)
    assert index[GRAPH["alignments-hokkaido-curated"]] == frozenset({"hokkaido"})
    assert index[GRAPH["jp-national-reference"]] == frozenset()
    assert {k for g in city for k in index[g]} == {CITY}
