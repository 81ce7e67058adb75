"""``policykg serve`` runs uvicorn with uvloop and httptools when they are installed (they are
dependencies in pyproject; the load target depends on them)."""

from __future__ import annotations

import importlib.util

import pytest

from policykg.cli.serve_command import server_options

from app_support import api_settings


def _parser(protocol: type) -> str:
    """Which of uvicorn's HTTP parsers a protocol class (with policykg's head limits) is built on."""
    from uvicorn.protocols.http.h11_impl import H11Protocol
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

    return "httptools" if issubclass(protocol, HttpToolsProtocol) else "h11" if issubclass(protocol, H11Protocol) else "?"


def test_fast_loop_and_parser_are_installed_and_chosen():
    for module in ("uvloop", "httptools"):
        assert importlib.util.find_spec(module) is not None, f"{module} is missing: pip install -e '.[test]'"
    options = server_options(api_settings(host="127.0.0.1", port=8123))
    assert options["loop"] == "uvloop" and _parser(options["http"]) == "httptools"
    assert (options["host"], options["port"], options["access_log"]) == ("127.0.0.1", 8123, False)


def test_fallbacks_without_the_fast_modules(monkeypatch):
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name in ("uvloop", "httptools") else real(name, *a))
    options = server_options(api_settings())
    assert options["loop"] == "asyncio" and _parser(options["http"]) == "h11"


@pytest.mark.parametrize("access_log", [True, False])
def test_options_are_accepted_by_uvicorn(access_log):
    import uvicorn

    config = uvicorn.Config(app=lambda *a: None, **server_options(api_settings(access_log=access_log)))
    assert config.loop == "uvloop" and _parser(config.http) == "httptools" and config.access_log is access_log


@pytest.mark.parametrize("default_lang", ["ja", "en"])
def test_warm_up_fills_the_first_pages_as_requests_would(make_client, default_lang):
    import gc

    from policykg.api.routes.catalog import warm_up

    cold = make_client(default_lang=default_lang)
    expected = {url: cold.get(url).content for url in ("/api/measures", "/api/areas?lang=ja", "/api/areas?lang=en")}
    warm = make_client(default_lang=default_lang)
    try:
        warm_up(warm.app)
    finally:
        gc.unfreeze()
    cache = warm.app.state.answer_cache
    builds = cache.builds
    for url, body in expected.items():
        assert warm.get(url).content == body, url
    assert cache.builds == builds, "the warmed pages were served from the cache"
