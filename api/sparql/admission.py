"""Per-client rate limit for SPARQL jobs: a token bucket per client address, bounded in memory.

Only work that needs a query worker is counted (answers from the cache are free), so dashboards that
repeat queries are never limited, while a client that sends new heavy queries in a loop is.
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict


class RateLimiter:
    """``rate`` jobs per minute per client after a burst of ``burst``; ``rate=0`` = no limit.

    >>> limiter = RateLimiter(rate=60, burst=2, clock=lambda: 0.0)
    >>> [limiter.take("a") for _ in range(3)]
    [None, None, 1]
    >>> limiter.take("b") is None
    True
    """

    def __init__(self, rate: int, burst: int, *, max_clients: int = 10_000, clock=time.monotonic) -> None:
        self.rate = rate
        self.burst = max(1, burst)
        self.max_clients = max_clients
        self._clock = clock
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self._lock = threading.Lock()

    def take(self, client: str) -> int | None:
        """Spend one token of ``client``: ``None`` when allowed, else the seconds to wait (Retry-After)."""
        if self.rate <= 0:
            return None
        per_second = self.rate / 60.0
        now = self._clock()
        with self._lock:
            tokens, stamp = self._buckets.pop(client, (float(self.burst), now))
            tokens = min(float(self.burst), tokens + (now - stamp) * per_second)
            if tokens >= 1.0:
                self._buckets[client] = (tokens - 1.0, now)
                wait = None
            else:
                self._buckets[client] = (tokens, now)
                wait = max(1, math.ceil((1.0 - tokens) / per_second))
            while len(self._buckets) > self.max_clients:
                self._buckets.popitem(last=False)
            return wait


TOO_MANY_QUERIES = (
    "リクエストが多すぎます。しばらくしてから再試行してください / too many queries from this client; try again later"
)
"""The 429 message, wherever a client over its rate limit is refused (the gate or the route)."""
