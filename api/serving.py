"""How uvicorn reads requests: a deadline and a size limit for the request head.

uvicorn bounds idle keep-alive connections (``timeout_keep_alive``) but not the time a client takes to
send a request head: a connection that trickles header bytes (slowloris) or opens and sends nothing is
kept for ever, and the httptools parser accepts heads of any size. :func:`http_protocol` returns
uvicorn's own HTTP protocol class (httptools, else h11) with both limits added; the request *body*
deadline is :class:`policykg.api.middleware.BodyTimeoutMiddleware`. Settings: ``header_timeout``,
``max_header_bytes`` (docs/settings.md).
"""

from __future__ import annotations

import asyncio
import importlib.util
import json

from policykg.api.errors import error_body

__all__ = ["http_parser", "http_protocol"]


def http_parser() -> str:
    """``httptools`` when installed (a dependency; faster), else uvicorn's pure-Python ``h11``."""
    return "httptools" if importlib.util.find_spec("httptools") else "h11"


def _raw_error(status: int, reason: str, message: str) -> bytes:
    """A complete HTTP/1.1 error response in the one JSON error shape, closing the connection."""
    body = json.dumps(error_body(status, message), ensure_ascii=False).encode("utf-8")
    head = (
        f"HTTP/1.1 {status} {reason}\r\ncontent-type: application/json\r\n"
        f"content-length: {len(body)}\r\nconnection: close\r\n\r\n"
    )
    return head.encode("ascii") + body


class _HeadLimits:
    """Mixin for uvicorn's HTTP protocols: close a connection whose next request head is not complete
    within ``header_timeout`` seconds or grows past ``max_header_bytes``.

    The deadline starts when the connection opens and again after each response. uvicorn makes a new
    ``cycle`` when a head is complete, so "still waiting for a head" means: the same cycle as when the
    deadline started, and no request of it still running.
    """

    header_timeout: float = 10.0
    max_header_bytes: int = 65536

    _head_timer: asyncio.TimerHandle | None = None
    _head_cycle: object = None
    _head_bytes: int = 0
    _head_tail: bytes = b""

    def connection_made(self, transport) -> None:  # type: ignore[override]
        super().connection_made(transport)  # type: ignore[misc]
        self._await_head()

    def on_response_complete(self) -> None:
        super().on_response_complete()  # type: ignore[misc]
        if not self.transport.is_closing():  # type: ignore[attr-defined]
            self._await_head()

    def data_received(self, data: bytes) -> None:
        waiting = self._waiting_for_head()
        if waiting:  # count the head's bytes (up to its blank line) before the parser sees them
            seen = self._head_tail + data
            end = seen.find(b"\r\n\r\n")
            head_part = len(data) if end < 0 else max(end + 4 - len(self._head_tail), 0)
            self._head_bytes += head_part
            self._head_tail = seen[-3:]
            if self._head_bytes > self.max_header_bytes:
                self._refuse(431, "Request Header Fields Too Large",
                             f"リクエストヘッダーが大きすぎます / request head larger than {self.max_header_bytes} bytes")
                return
        super().data_received(data)  # type: ignore[misc]
        if waiting and not self._waiting_for_head():
            self._stop_head_timer()

    gate: object = None
    """A :class:`policykg.api.sparql.gate.Gate`: refusals written here, before any ASGI task."""

    def _start_asgi_task(self, cycle, app) -> None:  # type: ignore[no-untyped-def]
        """Start the request's ASGI task — or, when the gate refuses it, answer in one write.

        uvicorn calls this when it is the request's turn (pipelined requests wait), with the head parsed
        into ``cycle.scope``; the refusal completes the cycle as uvicorn's own response writer does."""
        refusal = self.gate.refusal(cycle.scope, keep_alive=cycle.keep_alive) if self.gate is not None else None
        if refusal is None:
            self._told_until = None
            super()._start_asgi_task(cycle, app)  # type: ignore[misc]
            return
        now = self.loop.time()  # type: ignore[attr-defined]
        ignored, self._told_until = self._told_until, now + self.gate.wait(cycle.scope)  # type: ignore[attr-defined]
        cycle.response_started = cycle.response_complete = True
        self.transport.write(refusal)  # type: ignore[attr-defined]
        cycle.message_event.set()
        if not cycle.keep_alive:
            self.transport.close()  # type: ignore[attr-defined]
        elif ignored is not None and now < ignored:
            self._slow_down(min(ignored - now, self.header_timeout / 2))
        cycle.on_response()

    _told_until: float | None = None
    """Loop time until which the last response on this connection told the client to wait (a refusal's
    ``Retry-After``); ``None`` when the last response was not a refusal."""
    _slow_timer: asyncio.TimerHandle | None = None

    def _slow_down(self, seconds: float) -> None:
        """Read nothing more from this connection for ``seconds``: it was refused, asked again at once
        (before the ``Retry-After`` it was given) and was refused again. Its next request waits in the
        kernel's buffer instead of costing the event loop a refusal, so a client resending in a closed
        loop gets one answer per ``Retry-After`` instead of thousands a second, and everyone else's
        requests are read sooner (benchmarks/flood_bench.py). A client that waits, or asks for anything
        else in between, is never slowed."""
        transport = self.transport  # type: ignore[attr-defined]
        transport.pause_reading()
        self._slow_timer = self.loop.call_later(seconds, self._speed_up)  # type: ignore[attr-defined]

    def _speed_up(self) -> None:
        self._slow_timer = None
        transport = self.transport  # type: ignore[attr-defined]
        if not transport.is_closing() and not self.flow.read_paused:  # type: ignore[attr-defined]
            transport.resume_reading()

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop_head_timer()
        if self._slow_timer is not None:
            self._slow_timer.cancel()
            self._slow_timer = None
        super().connection_lost(exc)  # type: ignore[misc]

    def _waiting_for_head(self) -> bool:
        cycle = self.cycle  # type: ignore[attr-defined]
        return self._head_timer is not None and cycle is self._head_cycle and (
            cycle is None or cycle.response_complete
        )

    def _await_head(self) -> None:
        self._stop_head_timer()
        self._head_cycle = self.cycle  # type: ignore[attr-defined]
        self._head_bytes = 0
        self._head_tail = b""
        self._head_timer = self.loop.call_later(self.header_timeout, self._head_timed_out)  # type: ignore[attr-defined]

    def _stop_head_timer(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def _head_timed_out(self) -> None:
        if not self._waiting_for_head() or self.transport.is_closing():  # type: ignore[attr-defined]
            self._head_timer = None
            return
        self._head_timer = None
        if self._head_bytes:
            self._refuse(408, "Request Timeout",
                         f"リクエストヘッダーが {self.header_timeout:g} 秒以内に届きませんでした / "
                         f"request head not received within {self.header_timeout:g} s")
        else:  # an idle connection: nothing was asked, so nothing is answered
            self.transport.close()  # type: ignore[attr-defined]

    def _refuse(self, status: int, reason: str, message: str) -> None:
        self._stop_head_timer()
        transport = self.transport  # type: ignore[attr-defined]
        transport.write(_raw_error(status, reason, message))
        transport.close()


def http_protocol(
    *, header_timeout: float, max_header_bytes: int, parser: str | None = None, gate: object = None,
) -> type[asyncio.Protocol]:
    """uvicorn's HTTP protocol class for ``parser`` (default :func:`http_parser`) with the head limits,
    and (httptools only) ``gate``'s early refusals (:mod:`policykg.api.sparql.gate`).

    Pass it as uvicorn's ``http=`` option.

    :raises ValueError: ``parser`` is not ``httptools`` or ``h11``.
    """
    parser = parser or http_parser()
    if parser == "httptools":
        from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol as base
    elif parser == "h11":
        from uvicorn.protocols.http.h11_impl import H11Protocol as base
    else:
        raise ValueError(f"unknown HTTP parser {parser!r}; choose httptools or h11")
    return type(
        f"HeadLimited{base.__name__}", (_HeadLimits, base),
        {"header_timeout": header_timeout, "max_header_bytes": max_header_bytes,
         "gate": gate if parser == "httptools" else None},
    )
