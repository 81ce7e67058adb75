"""Dependencies: the store and settings live on app.state; routes get them through Depends."""

from __future__ import annotations

from fastapi import Request

from policykg.api.settings import Settings
from policykg.graph.store import Store


def open_configured_store(settings: Settings) -> Store:
    """The store ``settings`` name: a remote store server (``sparql_endpoint``), the on-disk store
    (``store``) or the bundled graph built in memory.

    :raises ValueError: ``store`` and ``sparql_endpoint`` together, or an endpoint that is not an http(s) URL.
    :raises StoreNotFound: / :raises StoreInUse: see :func:`policykg.graph.build.open_existing`.
    """
    if settings.sparql_endpoint:
        from policykg.graph.remote import RemoteStore

        if settings.store is not None:
            raise ValueError("--store と --sparql-endpoint は同時に指定できません / --store and --sparql-endpoint "
                             "cannot be used together: choose the embedded store or a store server")
        return RemoteStore(settings.sparql_endpoint, update_endpoint=settings.update_endpoint,
                           graph_store=settings.graph_store, timeout=settings.query_timeout)
    if settings.update_endpoint or settings.graph_store:
        raise ValueError("--update-endpoint / --graph-store には --sparql-endpoint が必要です / "
                         "--update-endpoint and --graph-store need --sparql-endpoint")
    from policykg.graph.build import open_or_build

    return open_or_build(settings.store, backend=settings.backend.value)


def get_store(request: Request) -> Store:
    return request.app.state.store


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


async def store_dependency(request: Request) -> Store:
    """``Depends(store_dependency)``: the same store as :func:`get_store`, resolved on the event loop
    (a plain ``def`` dependency costs a thread hop per request, which a busy loop makes expensive)."""
    return request.app.state.store


async def settings_dependency(request: Request) -> Settings:
    """``Depends(settings_dependency)``: :func:`get_settings` without a thread hop."""
    return request.app.state.settings
