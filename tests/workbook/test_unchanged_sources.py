"""A store on disk remembers the sources it was built from (graph/summaries.py ``meta:source``), so
``policykg build --store DIR --add plan.xlsx`` reads and rewrites only what changed; any other write to a
graph makes it read again. The store ends up as a build from scratch would make it."""

from __future__ import annotations

from collections import Counter

import pytest

from policykg.graph import summaries
from policykg.graph.build import build_store, default_sources, open_existing
from policykg.loaders.workbook import workbook_graph_name

from workbook_support import CITY_ROWS


def _shape(store) -> Counter:
    """Triples per named graph (the meta graph aside: it records when, not what), and every plain
    triple without blank nodes, so two builds of the same sources compare equal."""
    sizes = Counter({str(g): 0 for g in store.graph_names() if str(g) != "urn:policykg:meta"})
    for s, p, o, g in store.quads():
        if str(g) != "urn:policykg:meta":
            sizes[str(g)] += 1
    return sizes


def _messages(build, *args, **kwargs) -> list[str]:
    said: list[str] = []
    store = build(*args, progress=said.append, **kwargs)
    return said, store


def test_adding_a_workbook_reads_only_the_workbook_and_gives_the_store_a_full_build_gives(tmp_path, city_workbook):
    city = city_workbook()
    build_store(store_dir=tmp_path / "store")  # the bundled sources, recorded
    said, store = _messages(build_store, [*default_sources(), city], store_dir=tmp_path / "store")
    read = [m for m in said if m.startswith("reading ")]
    assert read == [f"reading {city.name}"], said
    assert any(m.startswith("unchanged since the store was built") for m in said)
    added = _shape(store)
    del store
    fresh = build_store([*default_sources(), city], store_dir=tmp_path / "fresh")
    assert added == _shape(fresh) and added[str(workbook_graph_name(city))] > 50
    records = summaries.source_digests(fresh)
    assert {str(g) for graphs in records.values() for g in graphs} == set(added), "every graph is recorded"


def test_nothing_changed_nothing_is_read_or_written(tmp_path):
    build_store(store_dir=tmp_path / "store")
    store = open_existing(tmp_path / "store")
    before, generation = _shape(store), store.generation
    del store
    said, store = _messages(build_store, store_dir=tmp_path / "store")
    assert not [m for m in said if m.startswith(("reading ", "writing ", "validating "))], said
    assert _shape(store) == before and store.generation == generation


def test_a_source_changed_on_disk_is_read_again_with_everything_after_it(tmp_path, city_workbook):
    city = city_workbook("plan.xlsx")
    build_store([*default_sources(), city], store_dir=tmp_path / "store")
    city_workbook("plan.xlsx", measures=[*CITY_ROWS["measures"], {"label": "新しい施策", "directions": "2a"}])
    said, store = _messages(build_store, [*default_sources(), city], store_dir=tmp_path / "store")
    assert [m for m in said if m.startswith("reading ")] == ["reading plan.xlsx"]
    labels = {str(o) for o in store.query(
        "SELECT ?l WHERE { GRAPH <%s> { ?m a <https://w3id.org/policykg/ontology#Measure> ; "
        "<http://www.w3.org/2004/02/skos/core#prefLabel> ?l } }" % workbook_graph_name(city)).rows for o in o.values()}
    assert "新しい施策" in labels


@pytest.mark.parametrize("how", ["update", "replace_graphs"])
def test_a_graph_written_any_other_way_is_read_again(tmp_path, how):
    """A SPARQL Update (graphs unknown: every fingerprint forgotten) or a graph replaced by the API's
    upload path: the next build reads the source again and puts back what it holds."""
    from policykg.namespaces import GRAPH

    build_store(store_dir=tmp_path / "store")
    store = open_existing(tmp_path / "store")
    before = _shape(store)
    deck = GRAPH["hokkaido-society5-fy2023-secretariat-deck"]
    if how == "update":
        store.update(f"DELETE WHERE {{ GRAPH <{deck}> {{ ?s <http://www.w3.org/2004/02/skos/core#prefLabel> ?o }} }}")
    else:
        store.replace_graphs({deck: []})
    assert _shape(store) != before
    assert deck not in {g for graphs in summaries.source_digests(store).values() for g in graphs}
    del store
    said, store = _messages(build_store, store_dir=tmp_path / "store")
    assert "reading hokkaido-society5-fy2023-secretariat-deck.txt" in said
    assert _shape(store) == before
