"""A small LRU of finished /sparql answers, valid for one store generation.

Why: the data only changes through writes that bump ``store.generation``, and dashboards repeat the
same queries; answering a repeat from memory skips the thread hop, the worker round trip and the
serialisation. Keys include the generation, so a write makes every older entry unreachable (and the
whole cache is dropped when the generation moves, to free memory at once).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable


class ResultCache:
    """At most ``size`` answers of at most ``max_bytes`` each; ``size=0`` disables caching.

    >>> cache = ResultCache(size=1)
    >>> cache.put(0, "q1", ("ok", b"x", "text/csv", False))
    >>> cache.get(0, "q1")[1], cache.get(1, "q1")
    (b'x', None)
    """

    def __init__(self, size: int = 256, max_bytes: int = 1_000_000) -> None:
        self.size = size
        self.max_bytes = max_bytes
        self._entries: OrderedDict[Hashable, tuple] = OrderedDict()
        self._generation: int | None = None
        self._lock = threading.Lock()
        self.hits = 0

    def get(self, generation: int, key: Hashable) -> tuple | None:
        with self._lock:
            if generation != self._generation:
                return None
            reply = self._entries.get(key)
            if reply is not None:
                self._entries.move_to_end(key)
                self.hits += 1
            return reply

    def put(self, generation: int, key: Hashable, reply: tuple) -> None:
        if self.size <= 0 or reply[0] != "ok" or len(reply[1]) > self.max_bytes:
            return
        with self._lock:
            if generation != self._generation:
                self._entries.clear()
                self._generation = generation
            self._entries[key] = reply
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)
