"""``/sparql``: the SPARQL 1.1 Protocol endpoint (query, update, service description).

Order of checks for a query: protocol shape (400) → forbidden keywords (403) → content negotiation
(406) → dataset restricted to the store's graphs (never fetched) → evaluation in a killable worker
(504 on timeout) → row cap (``X-PolicyKG-Truncated``). Updates need the configured bearer token and run
on the server's store, bumping its generation so every later query (and per-generation caches) see them.

Row cap decision: W3C result documents have no place for a "truncated" flag, so bodies stay
standard and the cap is reported in headers only: ``X-PolicyKG-Truncated: true|false`` and
``X-PolicyKG-Row-Limit: N`` (see docs/settings.md, ``max_rows``).
"""

from __future__ import annotations

import hmac
import re
from collections.abc import Callable
from functools import partial
from typing import TypeVar

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from policykg.api.deps import get_settings, get_store
from policykg.api.errors import error_response
from policykg.api.settings import Settings
from policykg.api.sparql import negotiation
from policykg.api.sparql.cache import ResultCache
from policykg.api.sparql.pool import WorkerCrashed, WorkerPool
from policykg.api.sparql.protocol import Operation, ProtocolError, parse_request
from policykg.api.sparql.service import service_description
from policykg.api.sparql.worker import QueryJob, is_parse_error, syntax_position, with_base
from policykg.graph import results
from policykg.graph.sparql_guard import add_using_clauses, analyse_query, analyse_update, resolve_dataset
from policykg.graph.store import GraphResult

router = APIRouter(tags=["sparql"])
T = TypeVar("T")

_SAFE_IRI = re.compile(r"[^<>\"{}|^`\\\x00-\x20]+")
_SYNTAX_ERROR = "SPARQL 構文エラー / syntax error"


def get_pool(request: Request) -> WorkerPool:
    """The app's query worker pool, created on first use (tests that never query spawn nothing)."""
    state = request.app.state
    pool = getattr(state, "sparql_pool", None)
    if pool is None:
        settings = get_settings(request)
        pool = WorkerPool(get_store(request), size=settings.query_workers, timeout=settings.query_timeout)
        state.sparql_pool = pool
    return pool


def get_cache(request: Request) -> ResultCache:
    """The app's answer cache (one per app, sized by ``result_cache_size``)."""
    state = request.app.state
    cache = getattr(state, "sparql_cache", None)
    if cache is None:
        cache = state.sparql_cache = ResultCache(size=get_settings(request).result_cache_size)
    return cache


def _endpoint_iri(request: Request) -> str | None:
    """The endpoint's own URL, used as BASE for relative IRIs (Protocol: "MAY be the service endpoint")."""
    url = str(request.url).split("?", 1)[0]
    return url if _SAFE_IRI.fullmatch(url) else None


@router.get("/sparql", operation_id="sparql_query_get",
            summary="SPARQL 1.1 endpoint (GET) / SPARQL 1.1 エンドポイント（GET）")
@router.get("/sparql/", include_in_schema=False)
async def sparql_get(request: Request) -> Response:
    """SPARQL 1.1 Protocol query via GET ``?query=`` (with ``default-graph-uri`` / ``named-graph-uri``).

    Without a query, GET returns the service description (Turtle by default).
    """
    return await _protocol(request)


@router.post("/sparql", operation_id="sparql_post",
             summary="SPARQL 1.1 endpoint (POST query or update) / SPARQL 1.1 エンドポイント（POST）")
@router.post("/sparql/", include_in_schema=False)
async def sparql_post(request: Request) -> Response:
    """SPARQL 1.1 Protocol via POST: a form (``query=`` / ``update=``) or a direct body
    (``application/sparql-query`` / ``application/sparql-update``). Updates need the bearer token."""
    return await _protocol(request)


async def _protocol(request: Request) -> Response:
    body = await request.body() if request.method == "POST" else b""
    try:
        op = parse_request(request.method, request.query_params.multi_items(), request.headers.get("content-type"), body)
    except ProtocolError as exc:
        return error_response(400, str(exc))
    if op.kind == "describe-service":
        return _describe_service(request)
    if op.kind == "update":
        return await _update(request, op)
    return await _query(request, op)


def _describe_service(request: Request) -> Response:
    media = negotiation.choose(request.headers.get("accept"), "graph")
    if media is None:
        return _not_acceptable(negotiation.GRAPH_TYPES)
    graph = service_description(
        _endpoint_iri(request) or "urn:x-policykg:sparql",
        [str(g) for g in get_store(request).graph_names()],
        updates=bool(get_settings(request).api_token),
    )
    data, media = results.serialize(GraphResult(graph), media)
    return Response(data, media_type=media, headers={"Vary": "Accept"})


def _not_acceptable(offers: list[str]) -> Response:
    return error_response(
        406,
        "要求された形式では返せません / none of the accepted media types can be produced",
        [{"available": offers}],
    )


_LARGE_TEXT = 64 * 1024


async def _off_loop_if_large(check: Callable[..., T], text: str, settings: Settings) -> T:
    """Run a guard check; large texts go to a thread so the event loop keeps serving meanwhile."""
    call = partial(check, text, allow_service=settings.allow_service, allow_load=settings.allow_load)
    return call() if len(text) < _LARGE_TEXT else await run_in_threadpool(call)


def _dataset(request: Request, op: Operation, default: list[str], named: list[str]) -> tuple[list[str], list[str]]:
    """Protocol parameters win over FROM clauses; unknown graphs count as empty (never fetched)."""
    if op.has_dataset:
        default, named = op.default_graphs, op.named_graphs
    if not (default or named):
        return [], []
    return resolve_dataset(default, named, {str(g) for g in get_store(request).graph_names()})


async def _query(request: Request, op: Operation) -> Response:
    settings = get_settings(request)
    guarded = await _off_loop_if_large(analyse_query, op.text, settings)
    kind = "graph" if guarded.form in ("CONSTRUCT", "DESCRIBE") else "select"
    wanted = request.query_params.get("format")
    accept = results.FORMAT_ALIASES.get(wanted.lower(), wanted) if wanted else request.headers.get("accept")
    media = negotiation.choose(accept, kind)
    if media is None:
        return _not_acceptable(negotiation.SELECT_TYPES if kind == "select" else negotiation.GRAPH_TYPES)
    default, named = _dataset(request, op, guarded.default_graphs, guarded.named_graphs)
    job = QueryJob(
        text=guarded.text,
        media_type=media,
        max_rows=settings.max_rows,
        base_iri=_endpoint_iri(request),
        default_graphs=tuple(default),
        named_graphs=tuple(named),
    )
    return await run_job(request, job)


async def run_job(request: Request, job: QueryJob, *, media_type: str | None = None) -> Response:
    """Answer a query job the way /sparql does: from the answer cache, else in a killable worker
    (``QueryTimeout`` → 504 after ``query_timeout``), with the row-cap headers; errors in the one
    JSON shape. ``media_type`` overrides the Content-Type of a successful answer (the canned-query
    route sends W3C JSON as ``application/json``). Shared by ``/sparql`` and ``/api/queries/{name}``."""
    cache = get_cache(request)
    generation = get_store(request).generation
    reply = cache.get(generation, job)
    if reply is None:
        try:
            reply = await run_in_threadpool(get_pool(request).execute, job)
        except WorkerCrashed:
            return error_response(500, "内部エラー / internal error")
        cache.put(generation, job, reply)
    status = reply[0]
    if status == "ok":
        _, data, media, truncated = reply
        headers = {
            "Vary": "Accept",
            "X-PolicyKG-Truncated": "true" if truncated else "false",
            "X-PolicyKG-Row-Limit": str(job.max_rows),
        }
        return Response(data, media_type=media_type or media, headers=headers)
    if status == "syntax":
        return _syntax_error(reply[1], reply[2])
    if reply[1] == "media":
        return _not_acceptable(negotiation.SELECT_TYPES + negotiation.GRAPH_TYPES)
    if reply[1] == "evaluation":
        return error_response(400, "SPARQL を評価できませんでした / the query could not be evaluated")
    return error_response(500, "内部エラー / internal error")


def _syntax_error(line: int, column: int) -> Response:
    if line <= 0:
        return error_response(400, _SYNTAX_ERROR)
    return error_response(
        400, f"{_SYNTAX_ERROR} at line {line} column {column}", [{"line": line, "column": column}]
    )


def _authorise(request: Request, settings: Settings) -> Response | None:
    """None when the request may update; otherwise the 403 (read-only) or 401 (bad bearer) response."""
    if not settings.api_token:
        return error_response(
            403, "このサーバーは読み取り専用です / read-only: SPARQL Update is disabled (no API token configured)"
        )
    scheme, _, credentials = request.headers.get("authorization", "").partition(" ")
    given = credentials.strip().encode("utf-8")
    if scheme.lower() != "bearer" or not hmac.compare_digest(given, settings.api_token.encode("utf-8")):
        return error_response(
            401,
            "認証が必要です / a valid bearer token is required for SPARQL Update",
            headers={"WWW-Authenticate": 'Bearer realm="policykg"'},
        )
    return None


async def _update(request: Request, op: Operation) -> Response:
    settings = get_settings(request)
    denied = _authorise(request, settings)
    if denied is not None:
        return denied
    store = get_store(request)
    guarded = await _off_loop_if_large(analyse_update, op.text, settings)
    if op.has_dataset and guarded.has_dataset_clause:
        return error_response(
            400,
            "using-graph-uri と USING/WITH は同時に使えません / "
            "using-graph-uri/using-named-graph-uri cannot be combined with USING or WITH in the update",
        )
    if store.backend == "rdflib" and (op.has_dataset or guarded.has_using):
        # rdflib loads USING graphs from their IRIs (a network fetch); Oxigraph reads them from the store.
        return error_response(403, "rdflib バックエンドでは USING を使えません / USING is not available on the rdflib backend")
    text, offset = with_base(add_using_clauses(op.text, op.default_graphs, op.named_graphs), _endpoint_iri(request))
    try:
        await run_in_threadpool(store.update, text)
    except Exception as exc:  # engine text never leaves; only the position does
        if is_parse_error(exc):
            pos = syntax_position(exc, offset)
            return _syntax_error(*(pos or (0, 0)))
        return error_response(400, "SPARQL Update を実行できませんでした / the update could not be executed")
    return Response(status_code=204, headers={"X-PolicyKG-Generation": str(store.generation)})
