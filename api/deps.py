"""Dependencies: the store and settings live on app.state; routes get them through Depends."""

from __future__ import annotations

from fastapi import Request

from policykg.api.settings import Settings
from policykg.graph.store import Store


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
