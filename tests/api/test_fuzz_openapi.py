"""Property-based fuzzing of the documented JSON API (schemathesis over ``app.openapi()``, in-process
through ASGI). Fixed seed (derandomised) and bounded examples keep it fast and repeatable.

Asserted for every generated request, valid (positive) and invalid (negative) alike: no 5xx, and
every 4xx is in the one error shape.
"""

from __future__ import annotations

import pytest
import schemathesis

from policykg.api.app import create_app

from app_support import api_settings, load_catalog
from fuzz_support import MODE_IDS, MODES, fuzz_get

OPERATIONS = [
    "/api/overview", "/api/areas", "/api/directions", "/api/measures", "/api/measures/{measure_id}",
    "/api/national-plans", "/api/national-items", "/api/indicators", "/api/search", "/api/queries",
    "/api/queries/{name}", "/api/rollups",
]


@pytest.fixture(scope="module")
def catalog_schema():
    app = create_app(api_settings(default_lang="ja"), store=load_catalog("mini.ttl"))
    return schemathesis.openapi.from_asgi("/openapi.json", app)


@pytest.mark.parametrize("mode", MODES, ids=MODE_IDS)
@pytest.mark.parametrize("path", OPERATIONS)
def test_no_server_errors_and_one_error_shape(catalog_schema, path, mode):
    fuzz_get(catalog_schema, path, mode)


def test_every_operation_is_fuzzed(catalog_schema):
    others = ("/api/gaps", "/trace", "/supporters",  # routes owned by other modules, fuzzed there
              "/alignments", "/supporting-measures", "/api/progress", "/api/progress/{id}",  # tests/pages/test_planner_fuzz.py
              "/api/national-items/jurisdictions")  # tests/workbook/test_jurisdictions_api.py
    documented = {p for p in catalog_schema.raw_schema["paths"] if p.startswith("/api/") and not p.endswith(others)}
    assert documented == set(OPERATIONS)
