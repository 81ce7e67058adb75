"""docs/settings.md documents every Settings field with its environment variable."""

from __future__ import annotations

import re
from functools import cache

import pytest

from policykg.api.settings import Settings

from project_paths import ROOT

DOC = ROOT / "docs" / "settings.md"
FIELDS = sorted(Settings.model_fields)


@cache
def _rows() -> dict[str, str]:
    rows = {}
    for line in DOC.read_text(encoding="utf-8").splitlines():
        match = re.match(r"\|\s*`(\w+)`\s*\|\s*`(POLICYKG_\w+)`\s*\|", line)
        if match:
            rows[match.group(1)] = match.group(2)
    return rows


@pytest.mark.parametrize("name", FIELDS)
def test_every_field_is_documented_with_its_env_var(name):
    assert _rows().get(name) == f"POLICYKG_{name.upper()}", f"docs/settings.md has no row for {name}"


def test_docs_list_no_unknown_fields():
    assert set(_rows()) <= set(FIELDS)


@pytest.mark.parametrize("name", FIELDS)
def test_every_field_has_help_text(name):
    assert (Settings.model_fields[name].description or "").strip()


@pytest.mark.parametrize(
    ("env", "field", "value"),
    [("POLICYKG_API_TOKEN", "api_token", "abc"), ("POLICYKG_QUERY_TIMEOUT", "query_timeout", 2.5),
     ("POLICYKG_MAX_ROWS", "max_rows", 7), ("POLICYKG_ALLOW_SERVICE", "allow_service", True)],
)
def test_env_vars_are_read(monkeypatch, env, field, value):
    monkeypatch.setenv(env, str(value).lower() if isinstance(value, bool) else str(value))
    assert getattr(Settings(), field) == value
