"""Shared fixtures. Each test module keeps its own small data beside it (tests/data/...)."""

from __future__ import annotations

import pytest

from project_paths import SOURCE_DECK


@pytest.fixture(scope="session")
def deck_text() -> str:
    return SOURCE_DECK.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def hokkaido_store():
    """The bundled graph (deck + ontology + curated alignments), built once per test session.

    Tests must not write to it; use ``fresh_store`` for writes.
    """
    from policykg.build import build_store

    return build_store()


@pytest.fixture()
def fresh_store():
    """A newly built bundled graph that a test may change."""
    from policykg.build import build_store

    return build_store()
