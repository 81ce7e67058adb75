"""One JSON error shape everywhere: ``{"ok": false, "status": N, "error": "...", "errors": [...]}``.

Domain exceptions map to statuses in one table (:data:`STATUS_BY_EXCEPTION`); routes raise them and
the app's handlers answer (or call :func:`problem_response`). What an error adds to the shape — the
``errors`` details and headers such as ``Retry-After`` — is read from the exception by
:func:`details_for` and :func:`headers_for`. No stack traces, paths or engine messages leave: anything
not in the table is a bug, answered 500 "internal error".
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from policykg.api.sparql.protocol import ProtocolError
from policykg.errors import (
    AmbiguousLabel,
    EntityNotFound,
    ForbiddenQuery,
    InternalError,
    LabelNotFound,
    NotAcceptable,
    QueryError,
    QueryNotFound,
    QueryTimeout,
    RateLimited,
    ParameterError,
    SourceError,
    SparqlSyntaxError,
    StoreUnavailable,
    Unauthorized,
)
from policykg.graph.sparql_guard import QueryTooDeep
from policykg.graph.workers import MemoryLimitExceeded, PoolBusy, SandboxRefused, WorkerCrashed

SECURITY_HEADERS: dict[str, str] = {
    "Content-Security-Policy": "default-src 'self'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
"""Set on every response (:class:`policykg.api.middleware.SecurityHeadersMiddleware`, and here on the
500 that Starlette sends outside the user middleware); a route may send its own Content-Security-Policy."""

STATUS_BY_EXCEPTION: dict[type[Exception], int] = {
    ProtocolError: 400,
    QueryError: 400,  # SparqlSyntaxError, QueryTooDeep: the request's text
    SourceError: 400,
    ParameterError: 400,
    MemoryLimitExceeded: 400,
    Unauthorized: 401,
    ForbiddenQuery: 403,
    QueryNotFound: 404,
    EntityNotFound: 404,
    LabelNotFound: 404,
    NotAcceptable: 406,
    AmbiguousLabel: 409,
    RateLimited: 429,
    InternalError: 500,
    WorkerCrashed: 500,
    PoolBusy: 503,
    SandboxRefused: 503,
    StoreUnavailable: 503,  # the shared store server (--sparql-endpoint) cannot be reached
    QueryTimeout: 504,
}
"""Domain exception → HTTP status (a subclass answers as its nearest listed class)."""


def status_for(exc: Exception) -> int:
    """The HTTP status of a domain error by the one table (walking its classes), 500 when unknown.

    >>> status_for(QueryTimeout("slow")), status_for(QueryTooDeep(70, 64)), status_for(KeyError())
    (504, 400, 500)
    """
    for cls in type(exc).__mro__:
        if cls in STATUS_BY_EXCEPTION:
            return STATUS_BY_EXCEPTION[cls]
    return 500


def details_for(exc: Exception) -> list:
    """The ``errors`` list of an error: where a syntax error is, how deep the nesting, what is offered.

    >>> details_for(NotAcceptable(["text/turtle"])), details_for(QueryTooDeep(70, 64))
    ([{'available': ['text/turtle']}], [{'depth': 70, 'limit': 64}])
    """
    if isinstance(exc, SparqlSyntaxError) and exc.line:
        return [{"line": exc.line, "column": exc.column, "reason": exc.reason}]
    if isinstance(exc, QueryTooDeep):
        return [{"depth": exc.depth, "limit": exc.limit}]
    if isinstance(exc, NotAcceptable):
        return [{"available": exc.available}]
    return []


def headers_for(exc: Exception) -> dict[str, str] | None:
    """Headers an error answer carries: when to retry, how to authenticate."""
    if isinstance(exc, (PoolBusy, RateLimited)):
        return {"Retry-After": str(exc.retry_after)}
    if isinstance(exc, Unauthorized):
        return {"WWW-Authenticate": 'Bearer realm="policykg"'}
    return None


def error_body(status: int, message: str, errors: list | None = None) -> dict:
    return {"ok": False, "status": status, "error": message, "errors": errors or []}


def error_response(status: int, message: str, errors: list | None = None, headers: dict | None = None) -> JSONResponse:
    return JSONResponse(error_body(status, message, errors), status_code=status, headers=headers)


def problem_response(exc: Exception) -> JSONResponse:
    """The answer to a domain error, by the table (its status, message, details and headers)."""
    status = status_for(exc)
    message = str(exc) if status != 500 or isinstance(exc, (InternalError, WorkerCrashed)) else str(InternalError())
    return error_response(status, message, details_for(exc), headers_for(exc))


def install_error_handlers(app: FastAPI) -> None:
    for exc_type in STATUS_BY_EXCEPTION:
        app.add_exception_handler(exc_type, lambda request, exc: problem_response(exc))

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
        return error_response(500, str(InternalError()), headers=dict(SECURITY_HEADERS))
