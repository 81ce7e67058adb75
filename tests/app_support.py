"""Settings and stores for tests that run the FastAPI app, importable as ``app_support`` from any
test folder (pytest ``pythonpath = tests``; conftest.py modules cannot be imported by name).

The ``make_client`` fixture (tests/conftest.py) builds its clients with :func:`api_settings`.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from policykg.api.settings import Settings
from policykg.graph.store import OxigraphStore, RdflibStore, Store, open_store
from policykg.namespaces import GRAPH

from project_paths import CATALOG_DATA

TEST_SETTINGS = {"query_timeout": 10.0, "query_workers": 1, "rate_limit": 0}
"""The rate limit is off in tests unless a test sets it: one TestClient is one client address."""


def api_settings(**overrides: object) -> Settings:
    """Settings for tests: class defaults, our test values, then ``overrides``.

    Every field is passed explicitly, so no POLICYKG_* environment variable can change a test.
    """
    defaults = {name: field.default for name, field in Settings.model_fields.items()}
    return Settings(_env_file=None, **{**defaults, **TEST_SETTINGS, **overrides})


def load_trig(path: Path) -> OxigraphStore:
    """A fresh in-memory Oxigraph store holding the named graphs of one TriG file."""
    store = open_store()
    store.engine.load(path=str(path), format=ox.RdfFormat.TRIG)
    return store


def load_catalog(*names: str) -> OxigraphStore:
    """Turtle files of tests/data/catalog in a fresh Oxigraph store, each in ``GRAPH[<file stem>]``."""
    store = open_store()
    for name in names:
        path = CATALOG_DATA / name
        store.engine.load(path=str(path), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(str(GRAPH[path.stem])))
    return store


def rdflib_copy(store: Store) -> RdflibStore:
    """The same quads in an rdflib store (for tests that compare the two backends)."""
    copy = RdflibStore()
    for s, p, o, g in store.quads():
        copy.dataset.add((s, p, o, g))
    return copy
