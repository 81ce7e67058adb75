"""Dependencies: the store and settings live on app.state; routes get them through Depends."""

from __future__ import annotations

from fastapi import Request

from policykg.api.settings import Settings
from policykg.graph.store import Store


def get_store(request: Request) -> Store:
    return request.app.state.store


def get_settings(request: Request) -> Settings:
    return request.app.state.settings
