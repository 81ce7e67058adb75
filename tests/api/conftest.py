"""Shared API fixtures.

* ``client`` — a TestClient over the bundled Hokkaido graph (read-only: no API token, so SPARQL
  Update answers 403). Use it for any route that reads the real data.
* ``make_client(store=None, **settings)`` — build your own client: pass a store (default: the small
  two-graph fixture ``tests/data/sparql/small.trig``) and any Settings fields, e.g.
  ``make_client(api_token="t", max_rows=2)``. Clients are closed (query workers stopped) after the test.
* ``small_store`` — a fresh in-memory Oxigraph store holding ``tests/data/sparql/small.trig``.

Settings are built explicitly, so POLICYKG_* variables in the environment do not change tests.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient

from policykg.api.app import create_app
from policykg.api.settings import Settings
from policykg.graph.store import OxigraphStore, Store, open_store

from project_paths import ROOT, SHARED, SOURCE_DECK, SPARQL_DATA, W3C  # noqa: F401  (re-exported)

TEST_SETTINGS = {"query_timeout": 10.0, "query_workers": 1}


def api_settings(**overrides: object) -> Settings:
    """Settings for tests: class defaults, our test values, then ``overrides``.

    Every field is passed explicitly, so no POLICYKG_* environment variable can change a test.
    """
    defaults = {name: field.default for name, field in Settings.model_fields.items()}
    return Settings(_env_file=None, **{**defaults, **TEST_SETTINGS, **overrides})


def load_trig(path: Path) -> OxigraphStore:
    store = open_store()
    store.engine.load(path=str(path), format=ox.RdfFormat.TRIG)
    return store


@pytest.fixture()
def small_store() -> OxigraphStore:
    return load_trig(SPARQL_DATA / "small.trig")


@pytest.fixture()
def make_client() -> Iterator[Callable[..., TestClient]]:
    opened: list[TestClient] = []

    def factory(store: Store | None = None, **settings: object) -> TestClient:
        app = create_app(api_settings(**settings), store=store if store is not None else load_trig(SPARQL_DATA / "small.trig"))
        client = TestClient(app)
        client.__enter__()
        opened.append(client)
        return client

    yield factory
    for client in opened:
        client.__exit__(None, None, None)


@pytest.fixture()
def client(hokkaido_store) -> Iterator[TestClient]:
    with TestClient(create_app(api_settings(), store=hokkaido_store)) as c:
        yield c
