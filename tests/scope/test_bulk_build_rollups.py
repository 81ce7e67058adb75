"""A new store built with a bulk source (a national N-Quads file) stages in that source's own Oxigraph store
and gets its roll-ups computed there, before the write: the store it makes is the one the slower path
made — the same quads, the same roll-ups, equal to a recomputation over what it holds."""

from __future__ import annotations

from collections import Counter

import pytest
from rdflib import BNode

from policykg.graph import summaries
from policykg.graph.build import build_store, default_sources, read_sources
from policykg.graph.jurisdictions import META_GRAPH, indexed_graph_keys
from policykg.graph.nquads import nquads
from policykg.graph.pipeline import stage
from policykg.graphs import native_source


@pytest.fixture(scope="module")
def city_nq(city_workbook_file, tmp_path_factory):
    """The city's plan as an N-Quads file: a bulk source, as benchmarks/national.py writes them."""
    bundled = read_sources(default_sources())
    graphs = {g: t for g, t in read_sources([*default_sources(), city_workbook_file]).items() if g not in bundled}
    path = tmp_path_factory.mktemp("bulk") / "cities.nq"
    path.write_bytes(nquads(graphs))
    return path


def _data(store) -> tuple[Counter, set]:
    """Quads per named graph, and every quad without a blank node (blank node ids differ between stores)."""
    quads = [q for q in store.quads() if q[3] != META_GRAPH]
    return Counter(q[3] for q in quads), {q for q in quads if not any(isinstance(t, BNode) for t in q)}


def test_the_bulk_source_store_is_the_staging_store(city_nq):
    graphs = read_sources([city_nq], ontology=False)
    engine = {native_source(g) for g in graphs.values()}
    assert len(engine) == 1 and None not in engine
    assert stage(None, graphs) is engine.pop()


def test_a_new_store_from_a_bulk_source_gets_the_roll_ups_a_recomputation_gives(city_nq, tmp_path):
    store = build_store([*default_sources(), city_nq], store_dir=tmp_path / "fast")
    kept, totals = summaries.read(store)
    fresh, fresh_totals, fresh_index = summaries.recompute(store)
    assert kept == fresh and totals == fresh_totals and indexed_graph_keys(store) == fresh_index
    assert "test-city" in kept and sum(kept["test-city"].support.values()) > 0

    slow = build_store([*default_sources(), city_nq], store_dir=tmp_path / "slow", rollups=False)
    summaries.rebuild(slow)  # the roll-ups computed over the store on disk, after the write
    sizes, plain = _data(store)
    assert (sizes, plain) == _data(slow) and len(plain) > 5_000
    assert summaries.read(slow) == (kept, totals)
