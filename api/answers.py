"""Answers of the JSON API kept per store generation, most as ready-to-send JSON bytes.

Why: every catalog answer (lists, one measure, search, overview, trace, gaps, entity RDF) is derived
from the store alone, and the store only changes through writes that bump ``store.generation``. So an
answer is computed once per generation — SPARQL, assembly, response-model validation and JSON
encoding all happen then — and a repeat costs a dictionary look-up: no SPARQL, no pydantic, no thread
hop. Keys carry the generation, so after an accepted SPARQL update the next request misses and sees
the new data (the whole cache is dropped when the generation moves, to free memory at once).

Concurrent misses for one key are built once (the others wait for that build), so a burst of
requests right after start-up or an update does not run the same queries fifty times.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Hashable
from functools import lru_cache
from typing import Any

from fastapi import Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import Response
from pydantic import TypeAdapter
from starlette.concurrency import run_in_threadpool

from policykg.api.negotiation import JSON as JSON_MEDIA_TYPE
from policykg.graph.cache import GenerationCache


AnswerCache = GenerationCache
"""The app's JSON answer cache is the one generation-scoped cache (:mod:`policykg.graph.cache`)."""


_CREATE_LOCK = threading.Lock()


def cache_of(state: Any) -> AnswerCache:
    """The answer cache of an app (``app.state``; one per app, sized by ``api_cache_size``)."""
    cache = getattr(state, "answer_cache", None)
    if cache is None:
        with _CREATE_LOCK:
            cache = getattr(state, "answer_cache", None)
            if cache is None:
                cache = state.answer_cache = AnswerCache(size=state.settings.api_cache_size)
    return cache


def answer_cache(request: Request) -> AnswerCache:
    """The answer cache of the app serving ``request``."""
    return cache_of(request.app.state)


@lru_cache(maxsize=None)
def _adapter(model: Any) -> TypeAdapter:
    return TypeAdapter(model)


def encode_json(data: Any, model: Any = None) -> bytes:
    """``data`` as compact UTF-8 JSON, validated through ``model`` when given (as FastAPI's
    ``response_model`` would do), so a cached answer is byte for byte what the route documents."""
    if model is not None:
        adapter = _adapter(model)
        return adapter.dump_json(adapter.validate_python(data))
    return json.dumps(jsonable_encoder(data), ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode("utf-8")


def json_response(body: bytes, headers: dict[str, str] | None = None) -> Response:
    return Response(body, media_type=JSON_MEDIA_TYPE, headers=headers)


async def cached(request: Request, key: Hashable, build: Callable[[], Any], *, inline: bool = False) -> Any:
    """The value for ``key`` at the store's current generation; on a miss ``build`` runs in a thread
    (``inline``: on the event loop, for work known to take a few milliseconds)."""
    generation = request.app.state.store.generation
    cache = answer_cache(request)
    value = cache.get(generation, key)
    if value is None:
        if inline:
            return cache.get_or_build(generation, key, build)
        value = await run_in_threadpool(cache.get_or_build, generation, key, build)
    return value


async def cached_json(request: Request, key: Hashable, build: Callable[[], Any], model: Any = None, *,
                      inline: bool = False) -> Response:
    """A JSON response for ``key``: pre-encoded bytes from the cache, else ``build()`` encoded once."""
    body = await cached(request, ("json", *key), lambda: encode_json(build(), model), inline=inline)
    return json_response(body)


__all__ = ["AnswerCache", "answer_cache", "cache_of", "encode_json", "json_response", "cached", "cached_json"]
