"""One JSON error shape everywhere: ``{"ok": false, "status": N, "error": "...", "errors": [...]}``.

Domain exceptions map to statuses in one table; no stack traces, paths or engine messages leave.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from policykg.errors import (
    AmbiguousLabel,
    EntityNotFound,
    ForbiddenQuery,
    LabelNotFound,
    QueryError,
    QueryNotFound,
    QueryTimeout,
    SourceError,
)
from policykg.graph.workers import MemoryLimitExceeded, PoolBusy, SandboxRefused, WorkerCrashed

STATUS_BY_EXCEPTION: dict[type[Exception], int] = {
    PoolBusy: 503,
    SandboxRefused: 503,
    WorkerCrashed: 500,
    MemoryLimitExceeded: 400,
    QueryError: 400,
    ForbiddenQuery: 403,
    QueryNotFound: 404,
    EntityNotFound: 404,
    LabelNotFound: 404,
    AmbiguousLabel: 409,
    SourceError: 400,
    QueryTimeout: 504,
}


def status_for(exc: Exception) -> int:
    """The HTTP status of a domain error by the one table (walking its classes), 500 when unknown.

    >>> status_for(QueryTimeout("slow"))
    504
    """
    for cls in type(exc).__mro__:
        if cls in STATUS_BY_EXCEPTION:
            return STATUS_BY_EXCEPTION[cls]
    return 500


def error_body(status: int, message: str, errors: list | None = None) -> dict:
    return {"ok": False, "status": status, "error": message, "errors": errors or []}


def error_response(status: int, message: str, errors: list | None = None, headers: dict | None = None) -> JSONResponse:
    return JSONResponse(error_body(status, message, errors), status_code=status, headers=headers)


def install_error_handlers(app: FastAPI) -> None:
    for exc_type, status in STATUS_BY_EXCEPTION.items():
        def handler(request: Request, exc: Exception, status: int = status) -> JSONResponse:
            return error_response(status, str(exc))
        app.add_exception_handler(exc_type, handler)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return error_response(exc.status_code, str(exc.detail), headers=getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [{"loc": list(e.get("loc", ())), "msg": e.get("msg", "")} for e in exc.errors()]
        return error_response(422, "リクエストが不正です / invalid request", errors)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        # Starlette sends this response outside the user middleware, so the security headers go on here.
        from policykg.api.middleware import SECURITY_HEADERS

        return error_response(500, "内部エラー / internal error", headers=dict(SECURITY_HEADERS))
