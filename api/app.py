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
    """Stop the SPARQL query workers (started lazily by the first query) when the server stops."""
    yield
    pool = getattr(app.state, "sparql_pool", None)
    if pool is not None:
        pool.close()
