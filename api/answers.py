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
from collections import OrderedDict
from collections.abc import Callable, Hashable
from functools import lru_cache
from typing import Any

from fastapi import Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import Response
from pydantic import TypeAdapter
from starlette.concurrency import run_in_threadpool

_MISSING = object()

JSON_MEDIA_TYPE = "application/json"


class AnswerCache:
    """An LRU of at most ``size`` values for one store generation; ``size=0`` caches nothing.

    Encoded answers (bytes) also count against ``max_bytes`` in total, so many large pages (every
    ``limit``/``offset``/``q`` is its own key) cannot grow memory past it.

    >>> cache = AnswerCache(size=2)
    >>> cache.get_or_build(0, "a", lambda: b"1"), cache.get(0, "a"), cache.get(1, "a")
    (b'1', b'1', None)
    """

    def __init__(self, size: int = 1024, max_bytes: int = 64_000_000) -> None:
        self.size = size
        self.max_bytes = max_bytes
        self._bytes = 0
        self._entries: OrderedDict[Hashable, Any] = OrderedDict()
        self._generation: int | None = None
        self._lock = threading.Lock()
        self._building: dict[tuple[int, Hashable], threading.Lock] = {}
        self.builds = 0
        """How many values were computed (misses that did the work), for tests and monitoring."""

    def get(self, generation: int, key: Hashable) -> Any:
        """The value stored for ``key`` at ``generation``, else ``None``."""
        with self._lock:
            if generation != self._generation:
                return None
            value = self._entries.get(key, _MISSING)
            if value is _MISSING:
                return None
            self._entries.move_to_end(key)
            return value

    def put(self, generation: int, key: Hashable, value: Any) -> None:
        if self.size <= 0 or value is None:
            return
        with self._lock:
            if self._generation is not None and generation < self._generation:
                return  # built from an older generation while a write went through: never serve it
            if generation != self._generation:
                self._entries.clear()
                self._bytes = 0
                self._generation = generation
            if key in self._entries:
                self._bytes -= _weight(self._entries.pop(key))
            self._entries[key] = value
            self._bytes += _weight(value)
            while len(self._entries) > self.size or (self._bytes > self.max_bytes and len(self._entries) > 1):
                _, dropped = self._entries.popitem(last=False)
                self._bytes -= _weight(dropped)

    def get_or_build(self, generation: int, key: Hashable, build: Callable[[], Any]) -> Any:
        """The cached value, or ``build()`` stored under ``key`` (one build per key at a time).

        Blocking: call it from a worker thread when ``build`` is slow. Exceptions from ``build``
        propagate and nothing is stored.
        """
        value = self.get(generation, key)
        if value is not None:
            return value
        slot = (generation, key)
        with self._lock:
            lock = self._building.setdefault(slot, threading.Lock())
        try:
            with lock:
                value = self.get(generation, key)
                if value is None:
                    value = build()
                    self.builds += 1
                    self.put(generation, key, value)
                return value
        finally:
            with self._lock:
                if self._building.get(slot) is lock:
                    del self._building[slot]


def _weight(value: Any) -> int:
    return len(value) if isinstance(value, (bytes, bytearray)) else 0


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


async def cached(request: Request, key: Hashable, build: Callable[[], Any]) -> Any:
    """The value for ``key`` at the store's current generation; on a miss ``build`` runs in a thread."""
    generation = request.app.state.store.generation
    cache = answer_cache(request)
    value = cache.get(generation, key)
    if value is None:
        value = await run_in_threadpool(cache.get_or_build, generation, key, build)
    return value


async def cached_json(request: Request, key: Hashable, build: Callable[[], Any], model: Any = None) -> Response:
    """A JSON response for ``key``: pre-encoded bytes from the cache, else ``build()`` encoded once."""
    body = await cached(request, ("json", *key), lambda: encode_json(build(), model))
    return json_response(body)


__all__ = ["AnswerCache", "answer_cache", "cache_of", "encode_json", "json_response", "cached", "cached_json"]
