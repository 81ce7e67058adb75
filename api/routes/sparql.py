"""``/sparql``: the SPARQL 1.1 Protocol endpoint (query, update, service description).

Order of checks: protocol shape (400) → answer cache → per-client rate limit (429) → bounded worker
queue (503) → in a confined, killable worker: nesting bound and parse (400), SERVICE / LOAD / graphs
not in the store (403), content negotiation for the query's form (406), evaluation (504 on timeout,
400 past the memory cap), row cap (``X-PolicyKG-Truncated``). Updates also need the configured bearer
token; their effect, computed on a worker's copy, is applied to the store in one step, bumping its
generation so every later query (and per-generation caches) see it. A request whose client goes
away is dropped from the queue, or its worker killed. Every refusal is a domain error answered by
the one table of :mod:`policykg.api.errors`.

Row cap decision: W3C result documents have no place for a "truncated" flag, so bodies stay
standard and the cap is reported in headers only: ``X-PolicyKG-Truncated: true|false`` and
``X-PolicyKG-Row-Limit: N`` (see docs/settings.md, ``max_rows``).
"""

from __future__ import annotations

import hmac
import re

from fastapi import APIRouter, Request
from fastapi.responses import Response

from policykg.api.deps import get_settings, get_store
from policykg.api import negotiation
from policykg.api.errors import problem_response
from policykg.api.settings import Settings
from policykg.api.sparql.admission import TOO_MANY_QUERIES, RateLimiter
from policykg.api.sparql.gate import token_spent
from policykg.api.sparql.cache import ResultCache
from policykg.api.sparql.protocol import Operation, parse_request
from policykg.api.sparql.service import service_description
from policykg.errors import ForbiddenQuery, NotAcceptable, RateLimited, Unauthorized
from policykg.graph import results
from policykg.graph.evaluation import QueryJob, UpdateJob, reply_error
from policykg.graph.forwarding import ForwardingPool
from policykg.graph.remote import RemoteStore
from policykg.graph.workers import WorkerPool

router = APIRouter(tags=["sparql"])

_SAFE_IRI = re.compile(r"[^<>\"{}|^`\\\x00-\x20]+")


def get_pool(request: Request) -> WorkerPool | ForwardingPool:
    """The app's query worker pool, created on first use (tests that never query spawn nothing).

    Over a remote store (``--sparql-endpoint``) the pool forwards each checked job to the store
    server instead of copying the store into local workers (:mod:`policykg.graph.forwarding`)."""
    state = request.app.state
    pool = getattr(state, "sparql_pool", None)
    if pool is None:
        settings = get_settings(request)
        store = get_store(request)
        if isinstance(store, RemoteStore):
            pool = ForwardingPool(store, size=max(4, settings.query_workers), timeout=settings.query_timeout,
                                  queue_size=settings.query_queue_size)
        else:
            pool = WorkerPool(store, size=settings.query_workers, timeout=settings.query_timeout,
                              queue_size=settings.query_queue_size, memory_limit_mb=settings.worker_memory_mb)
        state.sparql_pool = pool
    return pool


def get_cache(request: Request) -> ResultCache:
    """The app's answer cache (one per app, sized by ``result_cache_size``)."""
    state = request.app.state
    cache = getattr(state, "sparql_cache", None)
    if cache is None:
        cache = state.sparql_cache = ResultCache(size=get_settings(request).result_cache_size)
    return cache


def get_limiter(request: Request) -> RateLimiter:
    """The app's per-client rate limit for SPARQL jobs."""
    state = request.app.state
    limiter = getattr(state, "sparql_limiter", None)
    if limiter is None:
        settings = get_settings(request)
        limiter = state.sparql_limiter = RateLimiter(settings.rate_limit, settings.rate_burst)
    return limiter


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
    op = parse_request(request.method, request.query_params.multi_items(), request.headers.get("content-type"), body)
    if op.kind == "describe-service":
        return _describe_service(request)
    if op.kind == "update":
        return await _update(request, op)
    return await _query(request, op)


def _describe_service(request: Request) -> Response:
    media = negotiation.choose(request.headers.get("accept"), "graph")
    if media is None:
        raise NotAcceptable(negotiation.GRAPH_TYPES)
    graph = service_description(
        _endpoint_iri(request) or "urn:x-policykg:sparql",
        [str(g) for g in get_store(request).graph_names()],
        updates=bool(get_settings(request).api_token),
    )
    return Response(results.serialize_graph(graph, media), media_type=media, headers={"Vary": "Accept"})


def _media(request: Request, kind: str) -> str | None:
    accept = negotiation.accept_for(request.query_params.getlist("format"), request.headers.get("accept"), kind)
    return negotiation.choose(accept, kind)


async def _query(request: Request, op: Operation) -> Response:
    settings = get_settings(request)
    job = QueryJob(
        text=op.text,
        media_type=_media(request, "select"),
        graph_media_type=_media(request, "graph"),
        max_rows=settings.max_rows,
        base_iri=_endpoint_iri(request),
        default_graphs=tuple(op.default_graphs),
        named_graphs=tuple(op.named_graphs),
        allow_service=settings.allow_service,
        allow_load=settings.allow_load,
        max_nesting=settings.max_nesting,
    )
    return await run_job(request, job)


async def run_job(request: Request, job: QueryJob, *, media_type: str | None = None) -> Response:
    """Answer a query job the way /sparql does: from the answer cache, else — within the client's rate
    limit and the bounded queue — in a confined, killable worker, with the row-cap headers; errors in
    the one JSON shape. ``media_type`` overrides the Content-Type of a successful answer (the canned-query
    route sends W3C JSON as ``application/json``). Shared by ``/sparql``, ``/api/queries/{name}`` and the console."""
    cache = get_cache(request)
    generation = get_store(request).generation
    reply = cache.get(generation, job)
    if reply is None:
        reply = await execute(request, job)
        if isinstance(reply, Response):
            return reply
        cache.put(generation, job, reply)
    return reply_response(reply, job.max_rows, media_type=media_type)


async def execute(request: Request, job: QueryJob | UpdateJob) -> tuple | Response:
    """Admission (rate limit, queue) and evaluation in a worker; a Response when refused or abandoned.

    Refusals (rate limit, full queue) and worker failures (timeout, memory cap, crash) propagate as
    domain errors, answered by the app's one error table.

    :raises RateLimited: / :raises PoolBusy: / :raises QueryTimeout: / :raises MemoryLimitExceeded: /
        :raises WorkerCrashed: / :raises SandboxRefused:
    """
    wait = None if token_spent(request.scope) else get_limiter(request).take(request.client.host if request.client else "unknown")
    if wait is not None:
        raise RateLimited(wait, TOO_MANY_QUERIES)
    reply = await get_pool(request).run(job, disconnected=request.is_disconnected)
    if reply is None:  # the client went away; nobody reads this
        return Response(status_code=499)
    return reply


def reply_response(reply: tuple, max_rows: int, *, media_type: str | None = None) -> Response:
    """A worker reply as the HTTP answer (one JSON error shape for every refusal)."""
    status = reply[0]
    if status == "ok":
        _, data, media, truncated = reply
        headers = {
            "Vary": "Accept",
            "X-PolicyKG-Truncated": "true" if truncated else "false",
            "X-PolicyKG-Row-Limit": str(max_rows),
        }
        return Response(data, media_type=media_type or media, headers=headers)
    return problem_response(reply_error(reply))


def _authorise(request: Request, settings: Settings) -> None:
    """Return when the request may update.

    :raises ForbiddenQuery: no token is configured (read-only server: 403).
    :raises Unauthorized: no valid bearer token (401).
    """
    if not settings.api_token:
        raise ForbiddenQuery("このサーバーは読み取り専用です / read-only: SPARQL Update is disabled (no API token configured)")
    scheme, _, credentials = request.headers.get("authorization", "").partition(" ")
    given = credentials.strip().encode("utf-8")
    if scheme.lower() != "bearer" or not hmac.compare_digest(given, settings.api_token.encode("utf-8")):
        raise Unauthorized("認証が必要です / a valid bearer token is required for SPARQL Update")


async def _update(request: Request, op: Operation) -> Response:
    settings = get_settings(request)
    _authorise(request, settings)
    store = get_store(request)
    job = UpdateJob(text=op.text, base_iri=_endpoint_iri(request), using=tuple(op.default_graphs),
                    using_named=tuple(op.named_graphs), allow_service=settings.allow_service,
                    allow_load=settings.allow_load, max_nesting=settings.max_nesting)
    reply = await execute(request, job)
    if isinstance(reply, Response):
        return reply
    if reply[0] != "updated":
        return problem_response(reply_error(reply, update=True))
    return Response(status_code=204, headers={"X-PolicyKG-Generation": str(store.generation)})
