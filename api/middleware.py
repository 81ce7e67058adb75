"""ASGI middleware for every response: a request-body size limit and security headers.

Pure ASGI (no BaseHTTPMiddleware) so bodies are counted as they stream in: a chunked upload without
Content-Length is cut as soon as it passes the limit, not after it was read into memory.
"""

from __future__ import annotations

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from policykg.api.errors import error_response

SECURITY_HEADERS: dict[str, str] = {
    "Content-Security-Policy": "default-src 'self'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
"""Set on every response; a route may send its own Content-Security-Policy (it is then kept)."""


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
    (:func:`policykg.api.urls.using_default_lang`), so ``?lang=`` is left out exactly for that language."""

    def __init__(self, app: ASGIApp, default_lang: str) -> None:
        self.app = app
        self.default_lang = default_lang

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        from policykg.api.urls import using_default_lang

        with using_default_lang(self.default_lang):
            await self.app(scope, receive, send)
