"""The query worker: a child process with its own copy of the store, so a runaway query can be killed.

Why a process: neither engine can be interrupted from Python once a query runs (pyoxigraph holds the
GIL-free native loop; rdflib never checks a clock), so the time limit is enforced from outside by
killing the process. The worker gets the data as an N-Quads dump and reloads whenever the parent's
store generation changes. It serialises results itself, so large results never cross the pipe as
Python objects, and the server process stays free for other requests.

Messages (parent → worker): ``("load", backend, nquads)`` and ``("query", QueryJob)``.
Replies: ``("ok", body, media_type, truncated)``, ``("syntax", line, column)``, ``("error", reason)``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from multiprocessing.connection import Connection

from rdflib import Graph
from rdflib.term import Identifier

from policykg.graph import results
from policykg.graph.store import GraphResult, QueryResult, SelectResult, Store, open_store

_POSITION = re.compile(r"(\d+):(\d+)")


@dataclass(frozen=True)
class QueryJob:
    """Everything the worker needs for one query; plain data, so it pickles cheaply and is hashable
    (it is the answer cache's key)."""

    text: str
    media_type: str
    max_rows: int
    base_iri: str | None = None
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    bindings: tuple[tuple[str, Identifier], ...] = ()
    """Values bound by the engine (``Store.query(bindings=…)``), never spliced: canned query parameters."""
    graph_as_rows: bool = False
    """Answer CONSTRUCT/DESCRIBE as ``?subject ?predicate ?object`` rows (canned queries speak W3C JSON)."""


def load_store(backend: str, nquads: bytes) -> Store:
    """A fresh in-memory store of ``backend`` holding ``nquads`` (default graph included)."""
    store = open_store(None, backend=backend)
    if nquads:
        if backend == "oxigraph":
            import pyoxigraph as ox

            store.engine.load(nquads, format=ox.RdfFormat.N_QUADS)
        else:
            store.dataset.parse(data=nquads.decode("utf-8"), format="nquads")
    return store


def cap(result: QueryResult, max_rows: int) -> tuple[QueryResult, bool]:
    """The result cut to ``max_rows`` rows (or triples), and whether anything was cut."""
    if isinstance(result, SelectResult) and len(result.rows) > max_rows:
        return SelectResult(result.variables, result.rows[:max_rows]), True
    if isinstance(result, GraphResult) and len(result.graph) > max_rows:
        graph = Graph()
        for i, triple in enumerate(result.graph):
            if i >= max_rows:
                break
            graph.add(triple)
        return GraphResult(graph), True
    return result, False


def graph_rows(result: GraphResult) -> SelectResult:
    """A CONSTRUCT/DESCRIBE result as ``?subject ?predicate ?object`` rows."""
    variables = ["subject", "predicate", "object"]
    return SelectResult(variables, [dict(zip(variables, t)) for t in result.graph])


def syntax_position(exc: BaseException, line_offset: int) -> tuple[int, int] | None:
    """Line and column of a parse error from either engine, minus the lines we prepended."""
    line, col = getattr(exc, "lineno", None), getattr(exc, "col", None)
    if isinstance(line, int) and isinstance(col, int):
        return max(line - line_offset, 1), col
    match = _POSITION.search(str(exc))
    if match:
        return max(int(match.group(1)) - line_offset, 1), int(match.group(2))
    return None


def is_parse_error(exc: BaseException) -> bool:
    return isinstance(exc, SyntaxError) or type(exc).__name__ in ("ParseException", "ParseSyntaxException")


def with_base(text: str, base_iri: str | None) -> tuple[str, int]:
    """``text`` with a ``BASE`` line first when ``base_iri`` is given, and how many lines were prepended
    (the ``line_offset`` of :func:`syntax_position`)."""
    return (f"BASE <{base_iri}>\n{text}", 1) if base_iri else (text, 0)


def run_job(store: Store, job: QueryJob) -> tuple:
    """Evaluate one job and return the reply tuple (never raises for query problems)."""
    text, offset = with_base(job.text, job.base_iri)
    try:
        result = store.query(
            text,
            default_graph_uris=list(job.default_graphs) or None,
            named_graph_uris=list(job.named_graphs) or None,
            bindings=dict(job.bindings) or None,
        )
    except Exception as exc:  # engine errors never leave the worker as text
        if is_parse_error(exc):
            pos = syntax_position(exc, offset)
            return ("syntax", *(pos or (0, 0)))
        return ("error", "evaluation")
    if job.graph_as_rows and isinstance(result, GraphResult):
        result = graph_rows(result)
    result, truncated = cap(result, job.max_rows)
    try:
        body, media = results.serialize(result, job.media_type)
    except ValueError:
        return ("error", "media")
    return ("ok", body, media, truncated)


def worker_main(conn: Connection) -> None:
    """The worker's loop: serve jobs until the parent closes the pipe."""
    store: Store | None = None
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        kind = message[0]
        if kind == "load":
            store = load_store(message[1], message[2])
            conn.send(("loaded",))
        elif kind == "query" and store is not None:
            try:
                conn.send(run_job(store, message[1]))
            except Exception:
                conn.send(("error", "internal"))
        else:
            conn.send(("error", "protocol"))
