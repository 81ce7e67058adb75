"""Fixtures for the gap analysis: the hand-written mini graph on both engines."""

from __future__ import annotations

import pytest

from tests.gaps.stores import mini_store


@pytest.fixture(params=["oxigraph", "rdflib"])
def mini(request):
    """The mini graph, once per engine: every query must answer the same on both."""
    return mini_store(request.param)


@pytest.fixture()
def mini_ox():
    return mini_store("oxigraph")
