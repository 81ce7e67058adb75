"""Refuse SPARQL from a client over its rate limit before any routing, so a flood stays cheap.

The one event loop answers every route. A client that ignores ``Retry-After`` and resends runaway
queries at once keeps the loop busy with refusals: through routing, dependency injection, protocol
parsing, negotiation and uvicorn's response writer each costs about 1 ms, so 300 such connections
delay every other request (``/api/search``, pages) by seconds (benchmarks/flood_bench.py).

:class:`Gate` decides from what uvicorn's HTTP parser has already parsed — method, path, query
string, ``Accept``, client address; nothing is lexed here. For a ``GET /sparql`` whose answer is not
known to be cached it spends the client's token at once (a burst of 300 new queries cannot all pass
before the route would have spent theirs) and refuses with the route's own 429 when there is none.
Answers from the result cache are free (the route never counts them), so the gate remembers the
requests it has seen answered with 200 — their answers are in the cache — and lets those through
without a token (a bounded set, as large as the result cache). POST requests always go to the route,
which reads their body and applies the same limit.

Two places ask it: :class:`SparqlGate`, an ASGI layer inside the security and CORS headers (any ASGI
server, and the test client); and ``policykg serve``'s HTTP protocol (:mod:`policykg.api.serving`),
which writes the prebuilt refusal (:meth:`Gate.refusal`) in one write before an ASGI task exists.
"""

from __future__ import annotations

import hashlib
import json
from collections import OrderedDict

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from policykg.api.errors import SECURITY_HEADERS, error_body
from policykg.api.middleware import CORS_EXPOSED_HEADERS
from policykg.api.sparql.admission import TOO_MANY_QUERIES, RateLimiter

SPARQL_PATH = "/sparql"
_MARK = "policykg.gate"
_SPENT = "policykg.gate.token_spent"
_BODY = json.dumps(error_body(429, TOO_MANY_QUERIES), ensure_ascii=False).encode("utf-8")


class Gate:
    """The decision and its memory, shared by the ASGI layer and the HTTP protocol.

    >>> gate = Gate(RateLimiter(rate=60, burst=1, clock=lambda: 0.0), remember=4)
    >>> def request(text: bytes) -> dict:
    ...     return {"type": "http", "method": "GET", "path": "/sparql", "query_string": text,
    ...             "headers": [], "client": ("10.0.0.1", 5000)}
    >>> first = request(b"query=ASK{}")
    >>> gate.wait(first) is None, token_spent(first)     # the token is spent here, not by the route
    (True, True)
    >>> gate.wait(request(b"query=ASK{}#2"))             # none left, answer not cached: refused here
    1
    >>> gate.answered(first); gate.wait(request(b"query=ASK{}")) is None   # answered before: cached
    True
    """

    def __init__(self, limiter: RateLimiter, *, remember: int = 256, cors: bool = False) -> None:
        self.limiter = limiter
        self.remember = max(0, remember)
        self.cors = cors
        self._answered: OrderedDict[bytes, None] = OrderedDict()
        self._refusals: dict[tuple[int, bool, bool], bytes] = {}

    @staticmethod
    def _key(scope: Scope) -> bytes:
        """What makes two GET requests the same answer: the query string and the Accept header."""
        accept = b",".join(value for name, value in scope["headers"] if name == b"accept")
        return hashlib.blake2b(scope["query_string"] + b"\0" + accept, digest_size=16).digest()

    def wait(self, scope: Scope) -> int | None:
        """Seconds the client must wait (refuse now with 429), or ``None`` (let the route decide).

        Asked once per request (the protocol, then the ASGI layer, see the mark). When the request may
        go on and its answer is not known to be cached, the client's token is spent here, so a burst of
        new queries cannot all pass before the route spends theirs (:func:`token_spent` tells the route).
        """
        if scope["method"] != "GET" or scope["path"] != SPARQL_PATH or self.limiter.rate <= 0:
            return None
        state = scope.setdefault("state", {})
        if _MARK in state:
            return state[_MARK]
        wait = None
        if not (self.remember and self._key(scope) in self._answered):
            client = scope["client"][0] if scope.get("client") else "unknown"
            wait = self.limiter.take(client)
            if wait is None:
                state[_SPENT] = True
        state[_MARK] = wait
        return wait

    def answered(self, scope: Scope) -> None:
        """Remember that this request was answered with 200 (its answer is now in the result cache)."""
        if not self.remember:
            return
        key = self._key(scope)
        self._answered[key] = None
        self._answered.move_to_end(key)
        while len(self._answered) > self.remember:
            self._answered.popitem(last=False)

    def refusal(self, scope: Scope, *, keep_alive: bool = True) -> bytes | None:
        """The whole HTTP/1.1 429 response for ``scope``, or ``None`` when the route must decide.

        The same body, ``Retry-After``, security headers and (for a cross-origin query without
        ``Authorization``, when CORS is on) CORS headers as the route's 429 through the middleware.
        """
        wait = self.wait(scope)
        if wait is None:
            return None
        names = {name for name, _ in scope["headers"]}
        cors = self.cors and b"authorization" not in names
        key = (wait, cors, keep_alive)
        response = self._refusals.get(key)
        if response is None:
            lines = [b"HTTP/1.1 429 Too Many Requests", *(b"%s: %s" % pair for pair in _headers(wait, cors))]
            if not keep_alive:
                lines.append(b"connection: close")
            response = b"\r\n".join(lines) + b"\r\n\r\n" + _BODY
            if len(self._refusals) < 256:
                self._refusals[key] = response
        return response


def _headers(wait: int, cors: bool) -> list[tuple[bytes, bytes]]:
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(_BODY)).encode("ascii")),
        (b"retry-after", str(wait).encode("ascii")),
    ]
    headers += [(name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in SECURITY_HEADERS.items()]
    if cors:
        headers += [(b"access-control-allow-origin", b"*"), (b"access-control-expose-headers", CORS_EXPOSED_HEADERS.encode("ascii"))]
    return headers


def token_spent(scope: Scope) -> bool:
    """Whether the gate already spent this request's token (then the route must not spend another)."""
    return bool(scope.get("state", {}).get(_SPENT))


class SparqlGate:
    """ASGI middleware: the early 429 for any ASGI server, and the memory of answered requests."""

    def __init__(self, app: ASGIApp, *, gate: Gate) -> None:
        self.app = app
        self.gate = gate

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] != SPARQL_PATH or scope["method"] != "GET":
            await self.app(scope, receive, send)
            return
        wait = self.gate.wait(scope)
        if wait is not None:
            await send({"type": "http.response.start", "status": 429, "headers": _headers(wait, cors=False)})
            await send({"type": "http.response.body", "body": _BODY})
            return

        async def watched(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] == 200:
                self.gate.answered(scope)
            await send(message)

        await self.app(scope, receive, watched)


__all__ = ["Gate", "SparqlGate", "SPARQL_PATH", "token_spent"]
