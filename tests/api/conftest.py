"""Shared API fixtures.

* ``client`` — a TestClient over the bundled Hokkaido graph (read-only: no API token, so SPARQL
  Update answers 403). Use it for any route that reads the real data.
* ``make_client(store=None, **settings)`` (tests/conftest.py) — build your own client: pass a store
  (default: the small two-graph fixture ``tests/data/sparql/small.trig``) and any Settings fields, e.g.
  ``make_client(api_token="t", max_rows=2)``. Clients are closed (query workers stopped) after the test.
* ``small_store`` — a fresh in-memory Oxigraph store holding ``tests/data/sparql/small.trig``.

Settings are built explicitly (``app_support.api_settings``), so POLICYKG_* variables in the
environment do not change tests.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from policykg.api.app import create_app
from policykg.graph.store import OxigraphStore

from app_support import api_settings, load_trig
from project_paths import SPARQL_DATA


@pytest.fixture()
def small_store() -> OxigraphStore:
    return load_trig(SPARQL_DATA / "small.trig")


@pytest.fixture()
def client(hokkaido_store) -> Iterator[TestClient]:
    with TestClient(create_app(api_settings(), store=hokkaido_store)) as c:
        yield c
