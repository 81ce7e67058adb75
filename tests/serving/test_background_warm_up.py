"""``policykg serve`` asks for the warm-up before it listens; the lists are then computed in the background
once the app starts, so the server answers at once (issue 13, item 3), with the same pages as a cold server."""

from __future__ import annotations

from fastapi.testclient import TestClient

from app_support import api_settings
from policykg.api.app import create_app
from policykg.api.routes.catalog import warm_up

URLS = ("/api/areas?lang=ja", "/api/areas?lang=en", "/api/directions", "/api/measures", "/api/indicators")


def test_warm_up_before_start_runs_in_the_background_at_start(hokkaido_store, make_client):
    import gc

    expected = {url: make_client(store=hokkaido_store).get(url).content for url in URLS}
    app = create_app(api_settings(), store=hokkaido_store)
    warm_up(app)  # as `policykg serve` does, before uvicorn starts the app
    cache = getattr(app.state, "answer_cache", None)
    assert cache is None or cache.builds == 0, "nothing is computed before the server starts"
    try:
        with TestClient(app) as client:
            thread = app.state.warm_up_thread
            thread.join(timeout=120)
            assert not thread.is_alive()
            cache = app.state.answer_cache
            builds = cache.builds
            assert builds > 0
            for url, body in expected.items():
                assert client.get(url).content == body, url
            assert cache.builds == builds, "the warmed pages were served from the cache"
    finally:
        gc.unfreeze()
