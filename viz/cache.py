"""A small per-app cache of network models and rendered pages, keyed by ``store.generation``.

Every store write bumps the generation, so an update shows on the next view without any
invalidation call; entries of older generations are dropped as soon as a newer one is seen.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

T = TypeVar("T")


class GenerationCache:
    """LRU of at most ``size`` values for the current generation (thread-safe)."""

    def __init__(self, size: int = 32) -> None:
        self.size = size
        self.generation: int | None = None
        self._items: OrderedDict[Hashable, object] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get_or_build(self, generation: int, key: Hashable, build: Callable[[], T]) -> T:
        """The cached value for (generation, key), building it once when missing."""
        with self._lock:
            if generation != self.generation:
                self._items.clear()
                self.generation = generation
            if key in self._items:
                self._items.move_to_end(key)
                self.hits += 1
                return self._items[key]  # type: ignore[return-value]
            self.misses += 1
        value = build()
        with self._lock:
            if generation == self.generation:
                self._items[key] = value
                while len(self._items) > self.size:
                    self._items.popitem(last=False)
        return value


__all__ = ["GenerationCache"]
