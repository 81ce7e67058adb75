"""A small LRU of finished /sparql answers, valid for one store generation.

Why: the data only changes through writes that bump ``store.generation``, and dashboards repeat the
same queries; answering a repeat from memory skips the thread hop, the worker round trip and the
serialisation. Keys include the generation, so a write makes every older entry unreachable (and the
whole cache is dropped when the generation moves, to free memory at once).

The generation-scoped LRU itself is :class:`policykg.graph.cache.GenerationCache`; this adds only what
is particular to worker replies: only ``("ok", body, …)`` replies are kept, each at most
``max_entry_bytes``, and repeats are counted.
"""

from __future__ import annotations

from collections.abc import Hashable

from policykg.graph.cache import GenerationCache


class ResultCache(GenerationCache):
    """At most ``size`` answers of at most ``max_entry_bytes`` each; ``size=0`` disables caching.

    >>> cache = ResultCache(size=1)
    >>> cache.put(0, "q1", ("ok", b"x", "text/csv", False))
    >>> cache.get(0, "q1")[1], cache.get(1, "q1")
    (b'x', None)
    """

    def __init__(self, size: int = 256, max_entry_bytes: int = 1_000_000) -> None:
        super().__init__(size=size)
        self.max_entry_bytes = max_entry_bytes
        self.hits = 0
        """How many answers were served from the cache (for tests and monitoring)."""

    def get(self, generation: int, key: Hashable) -> tuple | None:
        reply = super().get(generation, key)
        if reply is not None:
            with self._lock:
                self.hits += 1
        return reply

    def put(self, generation: int, key: Hashable, reply: tuple) -> None:
        if reply[0] == "ok" and len(reply[1]) <= self.max_entry_bytes:
            super().put(generation, key, reply)
