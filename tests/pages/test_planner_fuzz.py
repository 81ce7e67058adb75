"""Property-based fuzzing of the planner's JSON routes (schemathesis over ``app.openapi()``, in process),
as tests/api/test_fuzz_openapi.py does for the catalog: no 5xx, and every 4xx in the one error shape."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode

from app_support import api_settings, load_catalog
from policykg.api.app import create_app

OPERATIONS = [
    "/api/measures/{id}/alignments", "/api/national-items/{id}/supporting-measures",
    "/api/progress", "/api/progress/{id}",
]


@pytest.fixture(scope="module")
def schema():
    app = create_app(api_settings(default_lang="ja"), store=load_catalog("mini.ttl"))
    return schemathesis.openapi.from_asgi("/openapi.json", app)


def test_the_routes_are_documented(schema):
    assert set(OPERATIONS) <= set(schema.raw_schema["paths"])


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=["valid", "invalid"])
@pytest.mark.parametrize("path", OPERATIONS)
def test_no_server_errors_and_one_error_shape(schema, path, mode):
    operation = schema[path]["GET"]

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=10, derandomize=True, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    def run(case):
        response = case.call()
        where = f"{case.method} {case.formatted_path} {case.query}"
        assert response.status_code < 500, f"{where} → {response.status_code}"
        if 400 <= response.status_code < 500:
            body = response.json()
            assert body["ok"] is False and body["status"] == response.status_code, where
            assert isinstance(body["error"], str) and isinstance(body["errors"], list), where

    run()


@pytest.mark.parametrize("url", ["/api/measures/m-maas/alignments", "/api/progress",
                                 "/api/national-items/n-mynumber/supporting-measures"])
def test_known_entities_answer(make_client, url):
    client = make_client(store=load_catalog("mini.ttl"))
    assert client.get(url).status_code == 200
