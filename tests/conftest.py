"""Shared fixtures. Each test module keeps its own small data beside it (tests/data/...)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator

import pytest
from hypothesis import settings

from project_paths import SOURCE_DECK, SPARQL_DATA

# Property-based tests draw the same examples on every run, so a suite that passed cannot turn red by chance
# (CI decides whether work lands). ``HYPOTHESIS_PROFILE=explore make test`` draws new ones each run: what it
# finds becomes an explicit test.
settings.register_profile("repeatable", derandomize=True, database=None)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))


@pytest.fixture(scope="session")
def deck_text() -> str:
    return SOURCE_DECK.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def hokkaido_store():
    """The bundled graph (deck + ontology + curated alignments), built once per test session.

    Tests must not write to it; use ``fresh_store`` for writes.
    """
    from policykg.graph.build import build_store

    return build_store()


@pytest.fixture(scope="session")
def deck_store():
    """The deck alone (plus the ontology): no curated alignments. Read-only, built once per session."""
    from policykg.graph.build import build_store

    return build_store([SOURCE_DECK])


@pytest.fixture()
def fresh_store():
    """A newly built bundled graph that a test may change."""
    from policykg.graph.build import build_store

    return build_store()


@pytest.fixture()
def make_client() -> Iterator[Callable[..., object]]:
    """``make_client(store=None, **settings)``: a started TestClient over ``store`` (default: a fresh
    copy of tests/data/sparql/small.trig) with ``app_support.api_settings(**settings)``, e.g.
    ``make_client(api_token="t", max_rows=2)``. Clients are closed (query workers stopped) after the test.
    """
    from fastapi.testclient import TestClient

    from app_support import api_settings, load_trig
    from policykg.api.app import create_app

    opened: list[TestClient] = []

    def factory(store=None, **settings: object) -> TestClient:
        app = create_app(api_settings(**settings), store=store if store is not None else load_trig(SPARQL_DATA / "small.trig"))
        client = TestClient(app)
        client.__enter__()
        opened.append(client)
        return client

    yield factory
    for client in opened:
        client.__exit__(None, None, None)
