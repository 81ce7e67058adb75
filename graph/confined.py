"""One query from a command (``policykg query``), evaluated exactly like a server request: a single confined
worker, the same parse-tree guard, sandbox and limits; the reply turned back into a typed result."""

from __future__ import annotations

from policykg.graph.evaluation import QueryJob
from policykg.graph.store import QueryResult, Store
from policykg.graph.workers import DEFAULT_MEMORY_LIMIT_MB, WorkerPool

__all__ = ["run_confined_query", "reply_result"]


def run_confined_query(store: Store, text: str, *, bindings: dict | None = None, timeout: float = 60.0,
                       memory_limit_mb: int = DEFAULT_MEMORY_LIMIT_MB, max_rows: int = 10_000_000,
                       max_nesting: int | None = None) -> QueryResult:
    """Evaluate one read-only query in a single confined worker and return it as a typed result
    (the CLI's ``policykg query``: the same guard, sandbox and limits as the server).

    :raises SparqlSyntaxError: the text does not parse.
    :raises QueryTooDeep: it nests deeper than ``max_nesting``.
    :raises ForbiddenQuery: SERVICE, LOAD, or a FROM graph the store does not hold.
    :raises QueryTimeout: it ran past ``timeout`` seconds.
    :raises MemoryLimitExceeded: it grew past ``memory_limit_mb``.
    :raises QueryError: the engine could not evaluate it.
    :raises NotAcceptable: / :raises InternalError: see :func:`policykg.graph.evaluation.reply_error`.
    """
    from policykg.graph import results
    from policykg.graph.sparql_guard import MAX_NESTING

    job = QueryJob(text=text, media_type=results.SPARQL_JSON, graph_media_type=results.NTRIPLES,
                   max_rows=max_rows, bindings=tuple(sorted((bindings or {}).items())),
                   max_nesting=max_nesting or MAX_NESTING)
    pool = WorkerPool(store, size=1, timeout=timeout, queue_size=1, memory_limit_mb=memory_limit_mb)
    try:
        reply = pool.execute(job)
    finally:
        pool.close()
    return reply_result(reply)


def reply_result(reply: tuple) -> QueryResult:
    """A worker's query reply as a typed result, or its refusal as the matching domain error."""
    import io

    from rdflib import Graph
    from rdflib.plugins.sparql.results.jsonresults import JSONResultParser

    from policykg.graph.evaluation import reply_error
    from policykg.graph.store import AskResult, GraphResult, SelectResult

    error = reply_error(reply)
    if error is not None:
        raise error
    body, media = reply[1], reply[2]
    if media.startswith("application/n-triples"):
        return GraphResult(Graph().parse(data=body.decode("utf-8"), format="nt"))
    parsed = JSONResultParser().parse(io.StringIO(body.decode("utf-8")))
    if parsed.type == "ASK":
        return AskResult(bool(parsed.askAnswer))
    variables = [str(v) for v in parsed.vars or []]
    rows = [{str(k): v for k, v in row.items() if v is not None} for row in parsed.bindings]
    return SelectResult(variables, rows)
