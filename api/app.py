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
from policykg.api.routes import catalog, gaps, observations, pages, planner, sparql, trace, viz
from policykg.api.settings import Settings
from policykg.urls import DEFAULT_LANG
from policykg.graph.store import Store


def create_app(settings: Settings | None = None, *, store: Store | None = None) -> FastAPI:
    """Build the app. Without ``store`` it opens ``settings.store`` or builds the bundled graph."""
    settings = settings or Settings()
    if store is None:
        from policykg.graph.build import open_or_build

        store = open_or_build(settings.store, backend=settings.backend.value)
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
