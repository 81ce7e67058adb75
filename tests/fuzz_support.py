"""Property-based fuzzing of a documented GET route (schemathesis over ``app.openapi()``, in process):
the one check every fuzz test makes — no 5xx, and every 4xx in the one JSON error shape.

Importable from any test folder (pytest ``pythonpath = tests``).
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode

MODES = [GenerationMode.POSITIVE, GenerationMode.NEGATIVE]
MODE_IDS = ["valid", "invalid"]


def check(case) -> None:
    """Call the generated request; fail on a 5xx or a 4xx outside ``{ok: false, status, error, errors}``."""
    response = case.call()
    where = f"{case.method} {case.formatted_path} {case.query}"
    assert response.status_code < 500, f"{where} → {response.status_code}"
    if 400 <= response.status_code < 500:
        body = response.json()
        assert body["ok"] is False and body["status"] == response.status_code, where
        assert isinstance(body["error"], str) and isinstance(body["errors"], list), where


def fuzz_get(schema, path: str, mode: GenerationMode, *, examples: int = 10) -> None:
    """Run :func:`check` on ``examples`` derandomised requests to ``GET path`` (valid or invalid ones)."""
    operation = schema[path]["GET"]

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=examples, derandomize=True, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    def run(case):
        check(case)

    run()
