"""Property-based fuzzing of the planner's JSON routes (schemathesis over ``app.openapi()``, in process),
as tests/api/test_fuzz_openapi.py does for the catalog: no 5xx, and every 4xx in the one error shape."""

from __future__ import annotations

import pytest
import schemathesis

from app_support import api_settings, load_catalog
from fuzz_support import MODE_IDS, MODES, fuzz_get
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


@pytest.mark.parametrize("mode", MODES, ids=MODE_IDS)
@pytest.mark.parametrize("path", OPERATIONS)
def test_no_server_errors_and_one_error_shape(schema, path, mode):
    fuzz_get(schema, path, mode)


@pytest.mark.parametrize("url", ["/api/measures/m-maas/alignments", "/api/progress",
                                 "/api/national-items/n-mynumber/supporting-measures"])
def test_known_entities_answer(make_client, url):
    client = make_client(store=load_catalog("mini.ttl"))
    assert client.get(url).status_code == 200
