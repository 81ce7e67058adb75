"""Values kept for one store generation: the one cache mechanism for everything derived from a store.

The store only changes through writes that bump ``store.generation``, so a value computed from it
(a JSON answer, a /sparql reply, a worker's N-Quads snapshot, an analysis projection) stays right
until the generation moves. :class:`GenerationCache` keys every value by generation: a write makes
every older entry unreachable, and the whole cache is dropped when the generation moves, to free
memory at once. Concurrent misses for one key are built once (the others wait for that build).

:func:`store_cached` is the same for module-level caches of one store (weakly keyed on the store).
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

_MISSING = object()


class GenerationCache:
    """An LRU of at most ``size`` values for one store generation; ``size=0`` caches nothing.

    Encoded answers (bytes) also count against ``max_bytes`` in total, so many large pages (every
    ``limit``/``offset``/``q`` is its own key) cannot grow memory past it.

    >>> cache = GenerationCache(size=2)
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


_STORES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_STORES_LOCK = threading.Lock()


def store_cached(store: Any, key: Hashable, build: Callable[[], Any], *, size: int = 64) -> Any:
    """``build()`` for ``key``, computed once per generation of ``store`` (kept while the store lives).

    >>> class S: generation = 0
    >>> s = S()
    >>> store_cached(s, "k", lambda: [1]) is store_cached(s, "k", lambda: [2])
    True
    >>> s.generation = 1; store_cached(s, "k", lambda: [2])
    [2]
    """
    with _STORES_LOCK:
        cache = _STORES.get(store)
        if cache is None:
            cache = _STORES[store] = GenerationCache(size=size)
    return cache.get_or_build(store.generation, key, build)


__all__ = ["GenerationCache", "store_cached"]
