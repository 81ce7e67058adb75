"""The build (graph/build.py), source dispatch (loaders/registry.py) and canned queries (graph/queries.py).

Counts are checked against the source deck: slides 13–17 list 5 areas, 18 directions (6+5+2+2+3) and
39 distinct measures (13+8+6+7+5, （再掲） repeats merged); slides 21–22 list 21 numeric and 9
qualitative local indicators.
"""

from __future__ import annotations

import gc
from pathlib import Path

import pytest
from rdflib.plugins.sparql import prepareQuery
from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from policykg.graph.build import BUNDLED_DECK, build_store, default_sources, open_or_build, read_sources
from policykg.errors import QueryError, QueryNotFound, SourceError, StoreNotFound
from policykg.graph.queries import (
    QueryParam, bind_params, list_queries, load_query, parse_query_file, query_names, to_term,
)
from policykg.graph.store import SelectResult
from policykg.loaders.registry import csv_kind, read_source, source_kind
from policykg.namespaces import ONTOLOGY_GRAPH, PK, graph_name

from project_paths import ROOT

DATA = Path(__file__).parent / "data" / "rdf"
DECK_GRAPH = graph_name(Path(BUNDLED_DECK).stem)


# --- sources and dispatch ------------------------------------------------------------------------


def test_default_sources_are_the_deck_then_every_alignment_csv():
    sources = default_sources()
    assert sources[0].name == BUNDLED_DECK and sources[0].is_file()
    national = sorted(p.name for p in (ROOT / "data" / "national").glob("*.ttl"))  # docs/national.md
    assert [p.name for p in sources[1:]] == national + sorted(p.name for p in (ROOT / "data" / "alignments").glob("*.csv"))


@pytest.mark.parametrize(
    ("name", "kind"),
    [("deck.txt", "document"), ("notes.md", "document"), ("x.TTL", "rdf"), ("x.trig", "rdf"),
     ("x.nq", "rdf"), ("x.jsonld", "rdf"), ("x.owl", "rdf"), ("a.csv", "csv")],
)
def test_source_kind_by_extension(name, kind):
    assert source_kind(Path(name)) == kind


@pytest.mark.parametrize("name", ["slides.pptx", "table.xls", "README"])
def test_unknown_kind_lists_what_is_accepted(name):
    with pytest.raises(SourceError, match=r"accepted: documents \(\.txt \.md\), RDF \(.*\.trig.*\), alignment or observation CSV") as info:
        source_kind(Path(name))
    assert info.value.file == name and info.value.field == "extension"


@pytest.mark.parametrize(
    ("header", "kind"),
    [
        ("\ufefflocal_label,local_iri,national_label,national_iri,relation,evidence,rationale,curator,date", "alignments"),
        ("indicator,date,value,unit,source,note", "observations"),
        ("Indicator,Date,Value", "observations"),
    ],
)
def test_csv_kind_by_header(tmp_path, header, kind):
    path = tmp_path / "x.csv"
    path.write_text(header + "\n", encoding="utf-8")
    assert csv_kind(path) == kind


def test_csv_with_unknown_header_is_refused(tmp_path):
    path = tmp_path / "budget.csv"
    path.write_text("year,amount\n2023,5\n", encoding="utf-8")
    with pytest.raises(SourceError, match="fits neither template") as info:
        read_source(path)
    assert (info.value.line, info.value.field) == (1, "header")


def test_missing_file():
    with pytest.raises(SourceError, match="no such file"):
        read_source(DATA / "absent.ttl")


def test_rdf_source_graph_names():
    assert set(read_source(DATA / "good.trig")) == {
        graph_name("good"), URIRef("https://example.org/graph/a"), URIRef("https://example.org/graph/b")}


def test_two_sources_filling_one_graph_are_refused(tmp_path):
    twin = tmp_path / "good.ttl"
    twin.write_bytes((DATA / "good.ttl").read_bytes())
    with pytest.raises(SourceError, match="filled twice") as info:
        read_sources([DATA / "good.ttl", twin])
    assert info.value.file == str(twin)


def test_read_sources_puts_the_ontology_first():
    graphs = read_sources([DATA / "good.ttl"])
    assert list(graphs)[0] == ONTOLOGY_GRAPH
    assert (PK.Measure, None, None) in graphs[ONTOLOGY_GRAPH]


def test_csvs_are_read_after_documents(tmp_path):
    """A CSV listed first still sees the graph of documents listed after it (its context)."""
    from policykg.graph.build import _phase

    order = sorted([tmp_path / "a.csv", DATA / "good.ttl", tmp_path / "deck.txt"], key=_phase)
    assert [p.suffix for p in order] == [".ttl", ".txt", ".csv"]


# --- the bundled graph ---------------------------------------------------------------------------

COUNTS = [
    ("pk:PolicyArea", "?x a pk:PolicyArea", 5),
    ("pk:PolicyDirection", "?x a pk:PolicyDirection", 18),
    ("pk:Measure", "?x a pk:Measure", 39),
    ("measures under two directions（再掲）", "?x a pk:Measure ; pk:direction ?d1, ?d2 . FILTER(?d1 != ?d2)", 3),
    ("local numeric indicators", "?x a pk:NumericIndicator ; pk:evaluates ?d", 21),
    ("qualitative indicators", "?x a pk:QualitativeIndicator", 9),
    ("local plan", "?x a pk:LocalPlan", 1),
]


@pytest.mark.parametrize(("what", "pattern", "expected"), COUNTS, ids=[c[0] for c in COUNTS])
def test_bundled_graph_matches_the_deck(hokkaido_store, what, pattern, expected):
    from policykg.namespaces import sparql_prefixes

    result = hokkaido_store.query(sparql_prefixes() + f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ {pattern} }}")
    assert int(result.rows[0]["n"]) == expected, what


def test_bundled_graph_names(hokkaido_store):
    expected = {ONTOLOGY_GRAPH, DECK_GRAPH} | {
        graph_name("alignments-" + p.stem) for p in (ROOT / "data" / "alignments").glob("*.csv")}
    assert expected <= set(hokkaido_store.graph_names())


def test_both_backends_build_the_same_graph():
    ox = build_store(validate=False)
    rd = build_store(backend="rdflib", validate=False)
    assert len(ox) == len(rd)
    ground = lambda s: {q for q in s.quads() if not any(t.__class__.__name__ == "BNode" for t in q)}  # noqa: E731
    assert ground(ox) == ground(rd)


def test_open_or_build_opens_a_built_store_and_never_creates_one(tmp_path):
    """Issue 9, item 7: only build_store creates a store; a missing path is an error and stays missing."""
    with pytest.raises(StoreNotFound, match="does not exist"):
        open_or_build(tmp_path / "store")
    assert not (tmp_path / "store").exists()
    first = build_store(store_dir=tmp_path / "store", validate=False)
    size = len(first)
    del first
    gc.collect()
    again = open_or_build(tmp_path / "store")
    assert len(again) == size and again.generation == 0  # opened, not rebuilt


def test_refused_build_leaves_no_new_store_directory(tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("<urn:a> <urn:b> .\n", encoding="utf-8")
    with pytest.raises(SourceError):
        build_store([bad], store_dir=tmp_path / "new-store")
    assert not (tmp_path / "new-store").exists()


def test_open_or_build_in_memory():
    assert DECK_GRAPH in open_or_build(None).graph_names()


# --- canned queries --------------------------------------------------------------------------------


def test_unknown_query_lists_the_names():
    with pytest.raises(QueryNotFound) as info:
        load_query("../store")
    assert info.value.available == query_names() and "entity-counts" in str(info.value)


@pytest.mark.parametrize("name", query_names())
def test_every_canned_query_has_a_header_and_prefixes(name):
    q = load_query(name)
    assert q.title and q.title_en and q.description and q.description_en, name
    assert q.text.startswith("PREFIX pk: <https://w3id.org/policykg/ontology#>")
    assert [c.name for c in list_queries()] == query_names()


@pytest.mark.parametrize("name", query_names())
def test_every_canned_query_runs_on_the_bundled_graph(hokkaido_store, name):
    q = load_query(name)
    result = hokkaido_store.query(q.text, bindings=bind_params(q, {}))
    # Every canned query is a SELECT; its columns are the projection rdflib reads from the same text.
    projection = [str(v) for v in prepareQuery(q.text).algebra["PV"]]
    assert isinstance(result, SelectResult), name
    assert result.variables == projection, name
    assert all(set(row) <= set(projection) for row in result.rows), name


def test_entity_counts_query(hokkaido_store):
    result = hokkaido_store.query(load_query("entity-counts").text)
    assert isinstance(result, SelectResult) and result.variables == ["class", "count"]
    counts = {str(r["class"]): int(r["count"]) for r in result.rows}
    assert counts[str(PK.Measure)] == 39 and counts[str(PK.PolicyArea)] == 5
    assert all(c.startswith(str(PK)) for c in counts)
    assert [int(r["count"]) for r in result.rows] == sorted(counts.values(), reverse=True)


def test_header_parsing():
    q = parse_query_file("x", "# title: 題\n# title_en: Title\n# params: ?asOf (xsd:date, default today), ?plan (iri)\nSELECT * {}\n")
    assert (q.title, q.title_en, q.description_en) == ("題", "Title", "")
    assert q.params == [QueryParam("asOf", "xsd:date", "today"), QueryParam("plan", "iri", None)]


@pytest.mark.parametrize(
    ("param", "value", "expected"),
    [
        (QueryParam("d", "xsd:date"), "2026-03-31", Literal("2026-03-31", datatype=XSD.date)),
        (QueryParam("n", "xsd:integer"), "12", Literal(12)),
        (QueryParam("p", "iri"), "pkid:hokkaido/plan", URIRef("https://w3id.org/policykg/id/hokkaido/plan")),
        (QueryParam("p", "iri"), "https://example.org/x", URIRef("https://example.org/x")),
        (QueryParam("l", "@ja"), "暮らし", Literal("暮らし", lang="ja")),
    ],
)
def test_param_values_become_typed_terms(param, value, expected):
    assert to_term(param, value) == expected


@pytest.mark.parametrize(
    ("param", "value"),
    [(QueryParam("d", "xsd:date"), "2025-02-30"), (QueryParam("n", "xsd:integer"), "1e3"),
     (QueryParam("p", "iri"), "> } DROP ALL {"), (QueryParam("x", "xsd:decimal"), "abc")],
)
def test_bad_param_values_are_refused(param, value):
    with pytest.raises(QueryError, match=f"parameter \\?{param.name} expects"):
        to_term(param, value)


def test_declared_default_today_is_bound():
    import datetime as dt

    q = load_query("indicators-past-target-without-observation")
    assert bind_params(q, {})["asOf"] == Literal(dt.date.today().isoformat(), datatype=XSD.date)
