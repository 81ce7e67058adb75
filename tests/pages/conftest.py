"""Fixtures for the planner pages (issue 11).

* ``planner_store`` — the deck and the curated alignments (the graph the README's findings describe:
  36 national items without a Hokkaido measure) plus synthetic observations
  (``data/synthetic-observations.csv``, every value marked ``synthetic``), built once per session.
* ``planner`` — a TestClient over it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app_support import api_settings
from policykg.api.app import create_app
from project_paths import SOURCE_DECK

OBSERVATIONS = Path(__file__).parent / "data" / "synthetic-observations.csv"


@pytest.fixture(scope="session")
def planner_store():
    from policykg.graph.build import build_store, bundled_alignment_files

    return build_store([SOURCE_DECK, *bundled_alignment_files(), OBSERVATIONS])


@pytest.fixture()
def planner(planner_store) -> Iterator[TestClient]:
    with TestClient(create_app(api_settings(), store=planner_store)) as client:
        yield client
