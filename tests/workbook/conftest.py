"""Fixtures for the workbook tests: the bundled graph as context, the template, and a small fictional
city (its rows and the template filler live in tests/workbook_support.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from rdflib import Graph

from workbook_support import CITY_ROWS, fill_template



@pytest.fixture(scope="session")
def bundled_context() -> Graph:
    """The bundled sources (deck, national reference data, curated alignments) merged into one graph."""
    from policykg.graph.build import default_sources, read_sources

    merged = Graph()
    for graph in read_sources(default_sources()).values():
        merged += graph
    return merged


@pytest.fixture(scope="session")
def national_labels(bundled_context: Graph) -> list[str]:
    from policykg.loaders.workbook.template import national_item_labels

    return national_item_labels(bundled_context)


@pytest.fixture(scope="session")
def template_file(tmp_path_factory, national_labels) -> Path:
    from policykg.loaders.workbook.template import write_template

    return write_template(tmp_path_factory.mktemp("template") / "plan.xlsx", national=national_labels)




@pytest.fixture()
def city_workbook(tmp_path, template_file) -> Callable[..., Path]:
    """``city_workbook(**changes)``: the city's workbook, with ``changes[sheet key]`` replacing that sheet's rows."""
    def make(name: str = "test-city.xlsx", **changes: list[dict[str, object]]) -> Path:
        return fill_template(template_file, tmp_path / name, {**CITY_ROWS, **changes})
    return make


@pytest.fixture(scope="module")
def city_store(tmp_path_factory, template_file):
    """The bundled sources plus the city's workbook, SHACL-validated (``build --add``); one per test module."""
    from workbook_support import CITY_ROWS, fill_template
    from policykg.cli.graph_commands import run_build

    workbook = fill_template(template_file, tmp_path_factory.mktemp("city") / "test-city.xlsx", CITY_ROWS)
    return run_build(None, add=[workbook])


@pytest.fixture(scope="module")
def city_client(city_store):
    """A started TestClient over :func:`city_store`."""
    from fastapi.testclient import TestClient

    from app_support import api_settings
    from policykg.api.app import create_app

    with TestClient(create_app(api_settings(), store=city_store)) as client:
        yield client
