"""Fixtures of the alignment tests: a tiny hand-written graph and its alignment CSV (tests/alignment/data)."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

from policykg.graph.store import OxigraphStore
from policykg.namespaces import graph_name

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def mini_graph() -> Graph:
    return Graph().parse(DATA / "mini.ttl", format="turtle")


@pytest.fixture()
def mini_store(mini_graph):
    """The mini graph plus the alignments of good.csv, in a fresh in-memory Oxigraph store."""
    from policykg.loaders.alignments import read_alignments

    store = OxigraphStore()
    store.replace_graphs({
        graph_name("mini-deck"): mini_graph,
        graph_name("alignments-good"): read_alignments(DATA / "good.csv", mini_graph),
    })
    return store


@pytest.fixture()
def store_copy(hokkaido_store):
    """A writable copy of the bundled graph (cheaper than ``fresh_store``: no rebuild, no SHACL)."""
    graphs: dict = {}
    for s, p, o, g in hokkaido_store.quads():
        graphs.setdefault(g, []).append((s, p, o))
    store = OxigraphStore()
    store.replace_graphs(graphs)
    return store
