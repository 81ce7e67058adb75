"""Canned queries and the gaps document for one jurisdiction, run over its named graphs only
(:class:`~policykg.graph.jurisdictions.ScopedStore`), answer exactly as over the old in-memory copy
without the other jurisdictions (:func:`~policykg.graph.jurisdictions.jurisdiction_view`)."""

from __future__ import annotations

import datetime as dt

import pytest
from rdflib import Literal
from rdflib.namespace import XSD

from policykg.graph.jurisdictions import select_in
from policykg.graph.queries import list_queries, select

KEYS = ("hokkaido", "test-city")
AS_OF = dt.date(2026, 12, 7)
CANNED = [q for q in list_queries() if not q.name.startswith("rollup-")]


def _bindings(query):
    return {"asOf": Literal(AS_OF.isoformat(), datatype=XSD.date)} if any(p.name == "asOf" for p in query.params) else None


@pytest.fixture(scope="module")
def views(two_store):
    from policykg.graph.jurisdictions import jurisdiction_view

    return {key: jurisdiction_view(two_store, key) for key in KEYS}


def test_each_jurisdiction_has_its_own_graphs_and_shares_the_national_ones(two_store):
    from policykg.graph.jurisdictions import graph_jurisdictions, scope_graphs

    index = graph_jurisdictions(two_store)
    city, hokkaido = set(scope_graphs(two_store, "test-city")), set(scope_graphs(two_store, "hokkaido"))
    national = {str(g) for g, keys in index.items() if not keys}
    assert national and national <= city & hokkaido
    assert city - national and hokkaido - national
    assert not (city - national) & (hokkaido - national)


@pytest.mark.parametrize("key", KEYS)
@pytest.mark.parametrize("query", [q for q in CANNED if q.name != "entity-counts"], ids=lambda q: q.name)
def test_a_scoped_canned_query_answers_like_the_copied_view(two_store, views, key, query):
    scoped = select_in(two_store, key, query, _bindings(query))
    copied = select(views[key], query, _bindings(query))
    assert scoped == copied


@pytest.mark.parametrize("key", KEYS)
def test_entity_counts_differ_from_the_view_only_by_the_other_jurisdictions_unnamed_nodes(two_store, views, key):
    """The copied view keeps what has no jurisdiction IRI (the other plan's source locations, alignment and
    agent records); the scope leaves the other jurisdiction's graphs out entirely. Named local entities agree."""
    from policykg.graph.queries import load_query
    from policykg.namespaces import PK

    query = load_query("entity-counts")
    scoped = {r["class"]: int(r["count"]) for r in select_in(two_store, key, query)}
    copied = {r["class"]: int(r["count"]) for r in select(views[key], query)}
    assert all(n <= copied.get(c, 0) for c, n in scoped.items())
    for cls in (PK.LocalPlan, PK.PolicyArea, PK.PolicyDirection, PK.Measure, PK.NumericIndicator, PK.NationalItem):
        assert scoped.get(cls) == copied.get(cls), cls
    assert scoped[PK.SourceLocation] < copied[PK.SourceLocation]


def test_scoping_changes_answers(two_store):
    """Not vacuous: the city's and Hokkaido's measures differ from each other and from the whole graph."""
    from policykg.graph.queries import load_query

    query = load_query("progress-indicators")
    whole = select(two_store, query)
    parts = [select_in(two_store, k, query) for k in KEYS]
    assert parts[0] and parts[1] and parts[0] != parts[1]
    assert len(whole) > max(len(p) for p in parts)


@pytest.mark.parametrize("key", KEYS)
def test_the_gaps_document_of_a_jurisdiction_is_the_views(two_store, views, key):
    from policykg.api.routes.gaps import gaps_for
    from policykg.graph.analysis.gaps import build_gaps

    assert gaps_for(two_store, AS_OF, key) == {**build_gaps(views[key], as_of=AS_OF), "jurisdiction": key}


@pytest.mark.parametrize("key", KEYS)
def test_the_network_of_a_jurisdiction_is_the_views(two_store, views, key):
    """/viz?jurisdiction= and `policykg viz --jurisdiction` draw from the scope, not from a copy of the store: the
    same nodes, edges and local nodes. One difference, by design: what another government's document says of a
    national item stays in that government's scope (the city's network no longer lists the slides where Hokkaido's
    deck quotes a national plan, nor the deck's variant spellings of an item; Hokkaido's network keeps both)."""
    from policykg.graph.jurisdictions import ScopedStore
    from policykg.viz.model import build_network

    scoped, copied = build_network(ScopedStore(two_store, key)), build_network(views[key])
    scoped.pop("generation"), copied.pop("generation")

    stated = ("loc", "alt", "search")  # a national node's source locations and alternative labels

    def plain(model: dict) -> dict:
        return {**model, "nodes": [{k: v for k, v in n.items() if not (k in stated and n["side"] == "national")}
                                   for n in model["nodes"]]}

    assert plain(scoped) == plain(copied) and len(scoped["nodes"]) > 50
    in_copy = {n["id"]: n for n in copied["nodes"]}
    for node in scoped["nodes"]:
        assert set(node["alt"]) <= set(in_copy[node["id"]]["alt"]) and set(node["search"]) <= set(in_copy[node["id"]]["search"])
    if key == "hokkaido":
        assert scoped == copied
    other = next(k for k in KEYS if k != key)
    assert not any(f"/id/{other}/" in node["id"] for node in scoped["nodes"])


def test_a_scope_is_read_only(two_store):
    from policykg.errors import QueryError
    from policykg.graph.jurisdictions import ScopedStore

    with pytest.raises(QueryError):
        ScopedStore(two_store, "hokkaido").update("INSERT DATA { <urn:a> <urn:b> <urn:c> }")


def test_a_graph_shared_by_two_jurisdictions_is_filtered_by_row(two_store):
    """Assessments of both jurisdictions recorded into one graph (graph/progress): each scope sees its own."""
    from policykg.graph.analysis.progress_store import assessment_graph, compute_progress
    from policykg.namespaces import PROGRESS_GRAPH
    from policykg.graph.jurisdictions import graph_jurisdictions, jurisdiction_view
    from policykg.graph.queries import load_query
    from policykg.graph.store import OxigraphStore

    store = OxigraphStore()
    store.load_nquads("".join(sorted(two_store.nquad_set())).encode("utf-8"))
    store.replace_graphs({PROGRESS_GRAPH: list(assessment_graph(compute_progress(store, as_of=AS_OF), as_of=AS_OF))})
    assert any(len(keys) > 1 for keys in graph_jurisdictions(store).values())
    query = load_query("indicator-status")
    for key in KEYS:
        scoped = select_in(store, key, query)
        assert scoped == select(jurisdiction_view(store, key), query)
        other = next(k for k in KEYS if k != key)
        assert scoped and not any(f"/id/{other}/" in str(r["indicator"]) for r in scoped)
        assert any(f"/id/{key}/" in str(r["indicator"]) for r in scoped)


def test_raw_solutions_of_a_scope_alone_in_the_store(hokkaido_store):
    """With no other jurisdiction loaded the scope hands the engine's own solutions through (the path the
    SPARQL endpoint's result writers take), read over the jurisdiction's graphs only."""
    from policykg.graph.jurisdictions import ScopedStore

    scope = ScopedStore(hokkaido_store, "hokkaido")
    assert not scope.others
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://w3id.org/policykg/ontology#Measure> }"
    counted = [int(s["n"].value) for s in scope.solutions(query)]
    assert counted == [int(r["n"]) for r in hokkaido_store.query(query).rows] and counted[0] > 0


def test_gaps_for_one_jurisdiction_on_the_command_line_reads_the_scope_not_a_copy(hokkaido_store, monkeypatch):
    """`policykg gaps --jurisdiction` answers from the scope (nothing copied) exactly as from the old copy."""
    import json

    from typer.testing import CliRunner

    from policykg.cli import app
    from policykg.graph import jurisdictions
    from policykg.graph.analysis.gaps import build_gaps

    expected = build_gaps(jurisdictions.jurisdiction_view(hokkaido_store, "hokkaido"), as_of=AS_OF)

    def copied(*_args, **_kwargs):
        raise AssertionError("the store was copied for one jurisdiction")

    monkeypatch.setattr(jurisdictions, "jurisdiction_view", copied)
    done = CliRunner().invoke(app, ["gaps", "--jurisdiction", "北海道", "--json", "--as-of", AS_OF.isoformat()])
    assert done.exit_code == 0, done.output
    assert json.loads(done.stdout) == json.loads(json.dumps(expected, ensure_ascii=False))


@pytest.mark.parametrize("key", KEYS)
def test_tracing_one_jurisdiction_from_its_scope_is_tracing_the_view(two_store, views, key):
    """`policykg trace --jurisdiction` reads the scope: every measure's trace and a national item's supporters."""
    from policykg.cli.align_commands import run_trace
    from policykg.graph.jurisdictions import ScopedStore

    scope = ScopedStore(two_store, key)
    traced = run_trace(scope, all_measures=True)
    assert traced == run_trace(views[key], all_measures=True) and traced
    national = "デジタル基盤整備" if key == "hokkaido" else "職業訓練のデジタル分野の重点化"  # each supported there
    supporters = run_trace(scope, national=national)
    assert supporters == run_trace(views[key], national=national) and supporters["measures"]
