"""The app factory: the only place a FastAPI app is built."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from policykg import __version__
from policykg.api.errors import install_error_handlers
from policykg.api.middleware import (
    BodyLimitMiddleware,
    BodyTimeoutMiddleware,
    CorsMiddleware,
    DefaultLangMiddleware,
    SecurityHeadersMiddleware,
)
from policykg.api.sparql.admission import RateLimiter
from policykg.api.sparql.gate import Gate, SparqlGate
from policykg.api.routes import catalog, gaps, observations, pages, planner, sparql, trace, viz
from policykg.api.settings import Settings
from policykg.urls import DEFAULT_LANG
from policykg.graph.store import Store


def create_app(settings: Settings | None = None, *, store: Store | None = None) -> FastAPI:
    """Build the app. Without ``store`` it opens ``settings.store`` or builds the bundled graph."""
    settings = settings or Settings()
    if store is None:
        from policykg.api.deps import open_configured_store

        store = open_configured_store(settings)
    app = FastAPI(
        lifespan=_lifespan,
        title="policykg",
        version=__version__,
        description="政策整合ナレッジグラフ API / policy alignment knowledge graph API",
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.store = store
    install_error_handlers(app)
    app.add_middleware(BodyLimitMiddleware, max_body_bytes=settings.max_body_bytes)
    app.add_middleware(BodyTimeoutMiddleware, body_timeout=settings.body_timeout)
    # Early 429s for a flooding client, inside the security and CORS headers (api/sparql/gate.py);
    # `policykg serve` also asks the same gate in its HTTP protocol, before any ASGI work.
    limiter = app.state.sparql_limiter = RateLimiter(settings.rate_limit, settings.rate_burst)
    gate = app.state.sparql_gate = Gate(limiter, remember=settings.result_cache_size, cors=settings.cors)
    app.add_middleware(SparqlGate, gate=gate)
    app.add_middleware(SecurityHeadersMiddleware)
    if settings.cors:  # outside the limits and error layers: their answers to a read-only request carry it too
        app.add_middleware(CorsMiddleware)
    if settings.default_lang != DEFAULT_LANG:  # links already assume ja; no extra layer per request then
        app.add_middleware(DefaultLangMiddleware, default_lang=settings.default_lang)
    for module in (sparql, catalog, trace, gaps, planner, observations, viz, pages):
        app.include_router(module.router)
    return app


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Start the warm-up asked for before the server started, in the background, so the server
    answers at once (:func:`policykg.api.routes.catalog.warm_up`); stop the SPARQL query workers
    (started lazily by the first query, or by the warm-up) when the server stops."""
    app.state.started = True
    if getattr(app.state, "warm_up_pending", False):
        import logging
        import threading
        import time
        from types import SimpleNamespace

        from policykg.api.routes.catalog import warm_lists
        from policykg.api.routes.sparql import get_pool
        from policykg.graph.evaluation import QueryJob
        from policykg.graph.workers import WorkerPool

        def warm() -> None:
            # First let the server open its socket (list queries hold the GIL for up to a second at a
            # time), then start a query worker (it opens the store; the first /sparql is then quick),
            # then the lists. An optimisation only: on failure the first request that needs a list
            # computes it (and reports any error in the one error shape); the server keeps serving.
            time.sleep(1.0)
            try:
                pool = get_pool(SimpleNamespace(app=app))
                if isinstance(pool, WorkerPool):
                    pool.execute(QueryJob(text="ASK {}", media_type="text/csv", max_rows=1))
                warm_lists(app)
            except Exception:  # noqa: BLE001 — logged
                logging.getLogger("policykg").warning("warm-up failed; lists are computed on first use", exc_info=True)

        app.state.warm_up_pending = False
        app.state.warm_up_thread = threading.Thread(target=warm, daemon=True, name="policykg-warm-up")
        app.state.warm_up_thread.start()
    yield
    pool = getattr(app.state, "sparql_pool", None)
    if pool is not None:
        pool.close()
