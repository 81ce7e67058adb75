"""Sources added to a store resolve labels and ids against what the store holds, read where it is
(``graph/pipeline.store_view``): a national-scale store is never copied into rdflib, and every reader
resolves exactly as it did against a copy (``union_after``)."""

from __future__ import annotations

import pytest
from rdflib import Literal, URIRef
from rdflib.compare import isomorphic

from policykg.errors import SourceError
from policykg.graph import pipeline
from policykg.graph.build import build_store, bundled_alignment_files, default_sources, read_sources
from policykg.graph.pipeline import store_view, union_after
from policykg.loaders.workbook import workbook_graph_name


@pytest.fixture()
def city_in_store(tmp_path, city_workbook):
    """An on-disk store of the bundled sources and the city's workbook, and the workbook's path."""
    city = city_workbook()
    return build_store([*default_sources(), city], store_dir=tmp_path / "store"), city


def _read(sources, context):
    return read_sources(sources, context=context, ontology=False)


@pytest.mark.parametrize("kind", ["workbook", "alignments"])
def test_a_source_read_against_the_store_view_is_the_source_read_against_a_copy(city_in_store, city_workbook, kind):
    store, city = city_in_store
    sources = [city] if kind == "workbook" else bundled_alignment_files()
    via_view, via_copy = _read(sources, store_view(store)), _read(sources, union_after(store, {}))
    assert via_view.keys() == via_copy.keys() and via_view
    for name in via_view:
        assert len(via_view[name]) > 20 and isomorphic(via_view[name], via_copy[name]), name


def test_a_second_plan_of_a_loaded_jurisdiction_is_refused_through_the_view_as_through_a_copy(city_in_store, city_workbook):
    store, _city = city_in_store
    again = city_workbook("another-file.xlsx")
    refusals = []
    for context in (store_view(store), union_after(store, {})):
        with pytest.raises(SourceError) as caught:
            _read([again], context)
        refusals.append(str(caught.value))
    assert refusals[0] == refusals[1] and "既に読み込まれています" in refusals[0] and "already loaded" in refusals[0]


def test_adding_a_workbook_to_a_store_never_copies_the_store(tmp_path, city_workbook, monkeypatch):
    build_store(store_dir=tmp_path / "store")

    def copied(*_args, **_kwargs):
        raise AssertionError("the store was copied into rdflib to read labels")

    monkeypatch.setattr(pipeline, "union_after", copied)
    city = city_workbook()
    store = build_store([*default_sources(), city], store_dir=tmp_path / "store")
    assert URIRef(str(workbook_graph_name(city))) in set(store.graph_names())


def test_the_view_holds_each_triple_once_and_refuses_writes(city_in_store):
    store, _city = city_in_store
    view = store_view(store)
    label = URIRef("http://www.w3.org/2004/02/skos/core#prefLabel")
    listed = list(view.triples((None, label, None)))
    copied = set(union_after(store, {}).triples((None, label, None)))
    assert len(listed) == len(set(listed)) == len(copied) > 100 and set(listed) == copied
    with pytest.raises(TypeError, match="read-only"):
        view.add((URIRef("http://x/a"), label, Literal("x")))
