"""The hand-written mini graph (tests/gaps/data/mini.ttl) in a store, for tests and fixtures."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph

from policykg.graph.store import OxigraphStore, RdflibStore
from policykg.namespaces import GRAPH

DATA = Path(__file__).parent / "data"


def mini_store(backend: str = "oxigraph"):
    """A store holding mini.ttl only (no ontology: the queries must not need inference)."""
    store = OxigraphStore() if backend == "oxigraph" else RdflibStore()
    store.replace_graphs({GRAPH["mini"]: list(Graph().parse(DATA / "mini.ttl"))})
    return store
