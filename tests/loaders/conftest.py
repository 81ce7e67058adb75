"""Fixtures for the loader tests: the bundled deck parsed once, and a SPARQL helper over it."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from rdflib import Graph

from policykg.loaders.deck import parse_deck
from loader_helpers import run_query

from project_paths import DECK_FILE


@pytest.fixture(scope="session")
def deck_graph(deck_text: str) -> Graph:
    return parse_deck(deck_text, file_name=DECK_FILE)


@pytest.fixture(scope="session")
def q(deck_graph: Graph) -> Callable[..., list[tuple]]:
    return lambda text, **b: run_query(deck_graph, text, **b)
