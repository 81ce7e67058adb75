"""ASGI middleware for every response: a request-body size limit and read deadline, security headers
and CORS for read-only requests.

Pure ASGI (no BaseHTTPMiddleware) so bodies are counted as they stream in: a chunked upload without
Content-Length is cut as soon as it passes the limit, not after it was read into memory.
"""

from __future__ import annotations

import asyncio
from urllib.parse import parse_qsl

from starlette.datastructures import Headers, MutableHeaders, QueryParams
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from policykg.api.errors import SECURITY_HEADERS, error_response


def _too_large(limit: int):
    return error_response(
        413, f"リクエスト本文が大きすぎます / request body larger than {limit} bytes", [{"limit": limit}]
    )


class _BodyTooLarge(Exception):
    """Raised inside ``receive`` once the streamed body passes the limit."""


class BodyLimitMiddleware:
    """413 in the JSON error shape for bodies above ``max_body_bytes``, declared or streamed."""

    def __init__(self, app: ASGIApp, max_body_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.max_body_bytes
        declared = Headers(scope=scope).get("content-length")
        if declared is not None:
            try:
                too_big = int(declared) > limit
            except ValueError:
                too_big = False
            if too_big:
                await _too_large(limit)(scope, receive, send)
                return
        received = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise _BodyTooLarge
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except _BodyTooLarge:
            if started:
                raise
            await _too_large(limit)(scope, receive, send)


class SecurityHeadersMiddleware:
    """Adds :data:`SECURITY_HEADERS` to every HTTP response that does not set them itself."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    if name not in headers:
                        headers[name] = value
            await send(message)

        await self.app(scope, receive, with_headers)


class DefaultLangMiddleware:
    """Makes the server's ``default_lang`` the default of every link built while answering a request
    (:func:`policykg.urls.using_default_lang`), so ``?lang=`` is left out exactly for that language."""

    def __init__(self, app: ASGIApp, default_lang: str) -> None:
        self.app = app
        self.default_lang = default_lang

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        from policykg.urls import using_default_lang

        with using_default_lang(self.default_lang):
            await self.app(scope, receive, send)


class _BodyTimedOut(Exception):
    """Raised inside ``receive`` once the body deadline has passed (the 408 is already sent)."""


class BodyTimeoutMiddleware:
    """408 in the JSON error shape, and the connection closed, when a request body has not fully
    arrived ``body_timeout`` seconds after its headers (a stalled or trickled upload, "slow POST").

    The deadline covers the whole body, not each read, so sending a byte now and then does not extend
    it. Once the body is complete, ``receive`` is left alone (it then only reports a disconnect). The
    request head has its own deadline in :mod:`policykg.api.serving`.
    """

    def __init__(self, app: ASGIApp, body_timeout: float) -> None:
        self.app = app
        self.body_timeout = body_timeout

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not _has_body(scope):
            await self.app(scope, receive, send)
            return
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.body_timeout
        body_done = False
        started = False
        answered = False

        async def timed_receive() -> Message:
            nonlocal body_done, answered
            if body_done:
                return await receive()
            try:
                message = await asyncio.wait_for(receive(), max(deadline - loop.time(), 0.0))
            except TimeoutError:
                if not started:
                    answered = True
                    await self._timed_out()(scope, _no_body, send)
                raise _BodyTimedOut from None
            if message["type"] != "http.request" or not message.get("more_body", False):
                body_done = True
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if answered:  # the 408 went out; whatever the app makes of the aborted read is dropped
                return
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, timed_receive, tracking_send)
        except _BodyTimedOut:
            if not answered:
                raise

    def _timed_out(self):
        return error_response(
            408,
            f"リクエスト本文が {self.body_timeout:g} 秒以内に届きませんでした / "
            f"request body not received within {self.body_timeout:g} s",
            [{"timeout": self.body_timeout}],
            headers={"Connection": "close"},
        )


def _has_body(scope: Scope) -> bool:
    """Whether the request announces a body (HTTP/1.1: Content-Length or Transfer-Encoding)."""
    return any(name in (b"content-length", b"transfer-encoding") for name, _ in scope["headers"])


async def _no_body() -> Message:
    return {"type": "http.disconnect"}


CORS_REQUEST_HEADERS = ("accept", "accept-language", "content-language")
"""Request headers a cross-origin preflight may ask for. Not ``authorization`` (the update token never
crosses origins) and not ``content-type``: a preflight names the header but not its value, so a direct
``application/sparql-query`` body could not be told from an ``application/sparql-update`` one. Cross-origin
queries use GET or a form POST, which need no preflight."""

CORS_EXPOSED_HEADERS = "X-PolicyKG-Truncated, X-PolicyKG-Row-Limit, Retry-After"
"""Response headers a cross-origin script may read (the row cap, and when to retry)."""

_SPARQL_PATHS = ("/sparql", "/sparql/")
_FORM = "application/x-www-form-urlencoded"
_DIRECT_QUERY = "application/sparql-query"


def _cors_methods(path: str) -> tuple[str, ...]:
    """Methods a cross-origin page may use on ``path``: queries on /sparql, reads on /api/*."""
    if path in _SPARQL_PATHS:
        return ("GET", "HEAD", "POST")
    if path.startswith("/api/"):
        return ("GET", "HEAD")
    return ()


class CorsMiddleware:
    """CORS for read-only requests, like public SPARQL endpoints (Wikidata Query Service, Fuseki,
    ``oxigraph serve --cors``): ``Access-Control-Allow-Origin: *`` on SPARQL queries (GET, a form POST
    with ``query``, a direct ``application/sparql-query`` POST), the service description and ``GET /api/*``,
    and an answer to their preflights.

    Never for updates (a form with ``update``, ``application/sparql-update``), for anything that carries
    ``Authorization``, and never ``Access-Control-Allow-Credentials``: a page on another origin can
    read the public data, and can neither use nor learn the update token. A refused preflight reaches
    the app and gets its usual 405, without any CORS header.
    """

    def __init__(self, app: ASGIApp, max_age: int = 600) -> None:
        self.app = app
        self.max_age = max_age

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        methods = _cors_methods(scope["path"]) if scope["type"] == "http" else ()
        headers = Headers(scope=scope) if methods else None
        if not methods or "authorization" in headers:
            await self.app(scope, receive, send)
            return
        method = scope["method"]
        if method == "OPTIONS" and "access-control-request-method" in headers:
            if self._preflight_allowed(scope, headers, methods):
                await self._preflight(methods, send)
            else:
                await self.app(scope, receive, send)
            return
        if method not in methods or "update" in QueryParams(scope["query_string"]):
            await self.app(scope, receive, send)
            return
        media = headers.get("content-type", "").split(";")[0].strip().lower()
        if method == "POST" and media != _DIRECT_QUERY:
            if media != _FORM:
                await self.app(scope, receive, send)
                return
            await self._form_post(scope, receive, send)
            return
        await self.app(scope, receive, _with_cors(send))

    def _preflight_allowed(self, scope: Scope, headers: Headers, methods: tuple[str, ...]) -> bool:
        wanted = headers["access-control-request-method"].strip().upper()
        asked = {h.strip().lower() for h in headers.get("access-control-request-headers", "").split(",") if h.strip()}
        return wanted in methods and asked <= set(CORS_REQUEST_HEADERS) and "update" not in QueryParams(scope["query_string"])

    async def _preflight(self, methods: tuple[str, ...], send: Send) -> None:
        await send({
            "type": "http.response.start",
            "status": 204,
            "headers": [
                (b"access-control-allow-origin", b"*"),
                (b"access-control-allow-methods", ", ".join(methods).encode("ascii")),
                (b"access-control-allow-headers", ", ".join(CORS_REQUEST_HEADERS).encode("ascii")),
                (b"access-control-max-age", str(self.max_age).encode("ascii")),
                (b"content-length", b"0"),
            ],
        })
        await send({"type": "http.response.body", "body": b""})

    async def _form_post(self, scope: Scope, receive: Receive, send: Send) -> None:
        """A form POST is a query or an update by its fields: keep what the app reads, and allow CORS
        only if the whole form arrived and holds ``query`` and no ``update``."""
        chunks: list[bytes] = []
        complete = False

        async def keeping_receive() -> Message:
            nonlocal complete
            message = await receive()
            if message["type"] == "http.request" and not complete:
                chunks.append(message.get("body", b""))
                complete = not message.get("more_body", False)
            return message

        async def deciding_send(message: Message) -> None:
            if message["type"] == "http.response.start" and complete and _is_query_form(b"".join(chunks)):
                _add_cors(message)
            await send(message)

        await self.app(scope, keeping_receive, deciding_send)


def _is_query_form(body: bytes) -> bool:
    fields = {name for name, _ in parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True)}
    return "query" in fields and "update" not in fields


def _add_cors(message: Message) -> None:
    headers = MutableHeaders(scope=message)
    headers["Access-Control-Allow-Origin"] = "*"
    headers["Access-Control-Expose-Headers"] = CORS_EXPOSED_HEADERS


def _with_cors(send: Send) -> Send:
    async def cors_send(message: Message) -> None:
        if message["type"] == "http.response.start":
            _add_cors(message)
        await send(message)

    return cors_send
