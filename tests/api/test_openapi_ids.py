"""Every OpenAPI operation has its own operationId, and building the spec raises no FastAPI
"Duplicate Operation ID" warning (GET and POST /sparql used to share one)."""

from __future__ import annotations

import warnings
from collections import Counter

from policykg.api.app import create_app

from app_support import api_settings


def test_operation_ids_are_unique_and_no_duplicate_warning(small_store):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        app = create_app(api_settings(), store=small_store)
        spec = app.openapi()
    duplicates = [str(w.message) for w in caught if "Duplicate Operation ID" in str(w.message)]
    assert duplicates == []
    ids = [op.get("operationId") for path in spec["paths"].values() for op in path.values()]
    assert all(ids), "every operation has an operationId"
    assert [i for i, n in Counter(ids).items() if n > 1] == []
    assert {"get", "post"} <= set(spec["paths"]["/sparql"]), "both /sparql methods stay documented"


def test_openapi_json_route_has_unique_ids(make_client):
    spec = make_client().get("/openapi.json").json()
    ids = [op["operationId"] for path in spec["paths"].values() for op in path.values()]
    assert len(ids) == len(set(ids))
