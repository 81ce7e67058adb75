"""Fixtures for the jurisdiction scope and the roll-ups: the bundled graph plus the fictional city of
tests/workbook (its rows and template filler in tests/workbook_support.py), so two jurisdictions sit
side by side."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph


@pytest.fixture(scope="session")
def scope_template(tmp_path_factory) -> Path:
    from policykg.graph.build import default_sources, read_sources
    from policykg.loaders.workbook.template import national_item_labels, write_template

    merged = Graph()
    for graph in read_sources(default_sources()).values():
        merged += graph
    return write_template(tmp_path_factory.mktemp("template") / "plan.xlsx", national=national_item_labels(merged))


@pytest.fixture(scope="session")
def city_workbook_file(tmp_path_factory, scope_template) -> Path:
    from workbook_support import CITY_ROWS, fill_template

    return fill_template(scope_template, tmp_path_factory.mktemp("city") / "test-city.xlsx", CITY_ROWS)


@pytest.fixture(scope="module")
def two_store(city_workbook_file):
    """The bundled sources plus the city's workbook (``build --add``); read-only for the tests."""
    from policykg.cli.graph_commands import run_build

    return run_build(None, add=[city_workbook_file], validate=False)  # SHACL is tested in tests/workbook
