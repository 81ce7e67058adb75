"""One SPARQL request evaluated against one store: guard, dataset, engine, row cap, serialisation.

Pure with respect to the outside world: it is what a confined query worker
(:mod:`policykg.graph.workers`) runs, and it returns plain reply tuples, never raising for problems
of the request. Replies:

* ``("ok", body, media_type, truncated)``: a query answer;
* ``("updated", removed_nquads, added_nquads)``: an update's effect, applied by the owner of the store;
* ``("syntax", line, column, reason)``, ``("deep", depth, limit)``, ``("forbidden", message)``;
* ``("conflict",)``: protocol using-graph-uri together with USING or WITH in the text;
* ``("unacceptable", kind)``: no media type the client accepts for this query form (select or graph);
* ``("error", reason)`` with reason ``evaluation`` (the engine refused the request: one of the store's
  :attr:`~policykg.graph.store.Store.evaluation_errors`), ``media`` or ``internal`` (a bug: anything
  else, reported by the worker loop, answered 500).
"""

from __future__ import annotations

from collections.abc import Collection
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass

from rdflib.term import Identifier

from policykg.errors import ForbiddenQuery, InternalError, NotAcceptable, PolicyKGError, QueryError, SparqlSyntaxError
from policykg.graph import results
from policykg.graph.sparql_guard import (
    MAX_NESTING,
    QueryTooDeep,
    add_using_clauses,
    check,
    inspect_query,
    inspect_update,
)
from policykg.graph.store import GraphResult, SelectResult, Store, open_store

__all__ = [
    "QueryJob", "UpdateJob", "EMPTY_GRAPH", "run_job", "run_update", "load_store", "graph_rows",
    "restrict_graphs", "resolve_dataset", "reply_error", "checked_update", "open_shared", "writable_copy",
]

SHARED_OPEN_ATTEMPTS = 5
"""Tries to open the on-disk store read-only: an open that meets the writer's compaction (a file of
RocksDB's list already gone) is tried again on the newer list."""

EMPTY_GRAPH = "urn:x-policykg:empty-graph"
"""A graph name no store holds: the default graph of a dataset that names only FROM NAMED graphs."""


@dataclass(frozen=True)
class QueryJob:
    """Everything a worker needs for one query; plain data, so it pickles cheaply and is hashable
    (it is the answer cache's key)."""

    text: str
    media_type: str | None
    """Result format for SELECT and ASK; ``None`` = the client accepts none."""
    max_rows: int
    base_iri: str | None = None
    default_graphs: tuple[str, ...] = ()
    """Protocol ``default-graph-uri``: overrides FROM; each must be a graph of the store."""
    named_graphs: tuple[str, ...] = ()
    bindings: tuple[tuple[str, Identifier], ...] = ()
    """Values bound by the engine (``Store.query(bindings=…)``), never spliced: canned query parameters."""
    graph_as_rows: bool = False
    """Answer CONSTRUCT/DESCRIBE as ``?subject ?predicate ?object`` rows (canned queries speak W3C JSON)."""
    graph_media_type: str | None = ""
    """Format for CONSTRUCT and DESCRIBE; ``""`` = the same as ``media_type``, ``None`` = none accepted."""
    allow_service: bool = False
    allow_load: bool = False
    max_nesting: int = MAX_NESTING


@dataclass(frozen=True)
class UpdateJob:
    """A SPARQL Update to evaluate on the worker's copy; the reply carries its effect."""

    text: str
    base_iri: str | None = None
    using: tuple[str, ...] = ()
    """Protocol ``using-graph-uri``: a USING clause for every operation with a WHERE."""
    using_named: tuple[str, ...] = ()
    allow_service: bool = False
    allow_load: bool = False
    max_nesting: int = MAX_NESTING


def load_store(backend: str, nquads: bytes) -> Store:
    """A fresh in-memory store of ``backend`` holding ``nquads``, blank node labels kept as they are
    (an update's effect then names the same blank nodes as the store it came from)."""
    store = open_store(None, backend=backend)
    store.keeps_rollups = False  # a private copy: the owner of the real store keeps the roll-ups
    if nquads:
        store.load_nquads(nquads)
    return store


def open_shared(path: str) -> Store:
    """The on-disk Oxigraph store at ``path`` opened read-only, beside the server that writes it.

    A read-only open sees the store as it was when opened (RocksDB replays the write-ahead log, so
    unflushed writes are seen too); the worker opens it again when the store's generation moves.
    Opens nothing outside ``path`` (the worker's sandbox allows reads below it only)."""
    import time

    from policykg.graph.store import OxigraphStore

    attempt = 1
    while True:
        try:
            return OxigraphStore(path, read_only=True)
        except (OSError, RuntimeError) as exc:
            text = str(exc).lower()
            if attempt >= SHARED_OPEN_ATTEMPTS or not ("corruption" in text or "no such file" in text):
                raise
        time.sleep(0.05 * attempt)
        attempt += 1


def writable_copy(store: Store) -> Store:
    """An in-memory store of the same engine holding every quad of ``store``, blank node labels kept:
    where a worker that reads a read-only store evaluates an update (its effect is computed on the
    copy and applied by the owner of the real store)."""
    from policykg.graph.store import OxigraphStore

    if isinstance(store, OxigraphStore):
        copy = OxigraphStore()
        copy.keeps_rollups = False
        copy.engine.bulk_extend(store.engine.quads_for_pattern(None, None, None, None))
        return copy
    return load_store(store.backend, "".join(sorted(store.nquad_set())).encode("utf-8"))


def graph_rows(result: GraphResult) -> SelectResult:
    """A CONSTRUCT/DESCRIBE result as ``?subject ?predicate ?object`` rows."""
    variables = ["subject", "predicate", "object"]
    return SelectResult(variables, [dict(zip(variables, t)) for t in result.graph])


def _refusal(exc: Exception) -> tuple:
    if isinstance(exc, SparqlSyntaxError):
        return ("syntax", exc.line, exc.column, exc.reason)
    if isinstance(exc, QueryTooDeep):
        return ("deep", exc.depth, exc.limit)
    return ("forbidden", str(exc))


def restrict_graphs(requested: Collection[str], available: Collection[str]) -> list[str]:
    """The requested graph IRIs that the store holds, in request order, without duplicates.

    >>> restrict_graphs(["http://x/a", "file:///etc/passwd", "http://x/a"], {"http://x/a"})
    ['http://x/a']
    """
    return [g for g in dict.fromkeys(requested) if g in available]


def resolve_dataset(default: Collection[str], named: Collection[str],
                    available: Collection[str]) -> tuple[list[str], list[str]]:
    """The dataset to hand to ``Store.query``: requested graphs the store holds, never fetched.

    No graphs requested → ``([], [])`` (the union default graph). Otherwise each list keeps only
    known graphs, and a list left empty becomes ``[EMPTY_GRAPH]``: a graph the store does not hold
    is an empty graph (as the SPARQL dataset rules and the W3C protocol tests have it), never
    fetched and never silently the whole store.

    >>> resolve_dataset(["http://x/a", "http://elsewhere/"], [], {"http://x/a"})
    (['http://x/a'], ['urn:x-policykg:empty-graph'])
    >>> resolve_dataset([], [], {"http://x/a"})
    ([], [])
    """
    if not (default or named):
        return [], []
    return restrict_graphs(default, available) or [EMPTY_GRAPH], restrict_graphs(named, available) or [EMPTY_GRAPH]


def _dataset(store: Store, job: QueryJob, from_default: tuple[str, ...], from_named: tuple[str, ...]):
    """Protocol parameters win over FROM clauses; graphs the store does not hold are empty."""
    default, named = (job.default_graphs, job.named_graphs) if (job.default_graphs or job.named_graphs) \
        else (from_default, from_named)
    default, named = resolve_dataset(default, named, {str(g) for g in store.graph_names()})
    return default or None, named or None


def run_job(store: Store, job: QueryJob, *, engine_syntax: bool = True, guard_lock: AbstractContextManager | None = None) -> tuple:
    """Evaluate one query job and return its reply tuple (never raises for problems of the query).

    ``engine_syntax=False``: a text the guard cannot parse is refused with the guard's account, without
    asking the local engine (outside a confined worker, e.g. when forwarding to a remote store).
    ``guard_lock``: held while the guard parses (rdflib's parser is not thread-safe; workers need none)."""
    try:
        with guard_lock or nullcontext():
            inspection = inspect_query(job.text, max_nesting=job.max_nesting)
        check(inspection, allow_service=job.allow_service)
        form = inspection.form
        default, named = _dataset(store, job, inspection.default_graphs, inspection.named_graphs)
    except SparqlSyntaxError as exc:
        return (_engine_syntax(job.text, update=False) if engine_syntax else None) or _refusal(exc)
    except (QueryTooDeep, ForbiddenQuery) as exc:
        return _refusal(exc)
    graph_form = form in ("CONSTRUCT", "DESCRIBE")
    media = (job.media_type if job.graph_media_type == "" else job.graph_media_type) if graph_form else job.media_type
    if job.graph_as_rows and graph_form:
        media = job.media_type
    if media is None:
        return ("unacceptable", "graph" if graph_form else "select")
    try:
        media = results.media_type(media, graph=graph_form and not job.graph_as_rows)
    except ValueError:
        return ("error", "media")
    options = dict(default_graph_uris=default, named_graph_uris=named, bindings=dict(job.bindings) or None,
                   base_iri=job.base_iri)
    try:
        if graph_form:
            result = store.query(job.text, **options)
        else:
            return ("ok", *results.write_results(store.solutions(job.text, **options), media, job.max_rows))
    except SyntaxError as exc:  # e.g. an undeclared prefix, which the guard's parser leaves to the engine
        return _syntax(exc, job.text)
    except store.evaluation_errors:  # the engine's runtime error (a graph that exists, a type error…)
        return ("error", "evaluation")
    if job.graph_as_rows:
        result = graph_rows(result)
    result, truncated = results.cap(result, job.max_rows)
    body, media = results.serialize(result, media)
    return ("ok", body, media, truncated)


def _syntax(exc: SyntaxError, text: str) -> tuple:
    error = SparqlSyntaxError.from_engine(str(exc), text)
    return ("syntax", error.line or 0, error.column or 0, error.reason)


def _engine_syntax(text: str, *, update: bool) -> tuple | None:
    """The engine's own account of a syntax error (more precise positions than the guard's parser),
    from parsing ``text`` against an empty store; ``None`` when the engine parses it (the guard's
    refusal then stands). Runs only where requests run: in the confined worker."""
    import pyoxigraph as ox

    try:
        empty = ox.Store()
        if update:
            empty.update(text)
        else:
            empty.query(text)
    except SyntaxError as exc:
        return _syntax(exc, text)
    except (RuntimeError, OSError, ValueError):  # it parsed; evaluation problems are not syntax errors
        return None
    return None


def run_update(store: Store, job: UpdateJob) -> tuple:
    """Evaluate an update on ``store`` (the worker's copy) and reply with what it removed and added,
    as N-Quads, for the owner of the real store to apply in one step."""
    text, refusal = checked_update(job, store.backend)
    if refusal is not None:
        return refusal
    before = store.nquad_set()
    try:
        store.update(text, base_iri=job.base_iri)
    except SyntaxError as exc:
        return _syntax(exc, text)
    except store.evaluation_errors:  # the engine refused the update; the real store is untouched
        return ("error", "evaluation")
    after = store.nquad_set()
    removed = "".join(sorted(before - after)).encode("utf-8")
    added = "".join(sorted(after - before)).encode("utf-8")
    return ("updated", removed, added)


def checked_update(job: UpdateJob, backend: str, *, engine_syntax: bool = True,
                   guard_lock: AbstractContextManager | None = None) -> tuple[str, tuple | None]:
    """The update's text to run (protocol USING graphs added) and ``None``, or a refusing reply: the
    guard's checks, shared by the confined workers and forwarding to a remote store
    (``engine_syntax`` and ``guard_lock`` as for :func:`run_job`)."""
    text = job.text
    try:
        with guard_lock or nullcontext():
            if job.using or job.using_named:
                written = inspect_update(text, max_nesting=job.max_nesting)
                if written.has_dataset or written.with_graph:
                    return text, ("conflict",)  # Protocol §2.2.3: parameters and USING/WITH together are an error
                text = add_using_clauses(text, job.using, job.using_named)
            inspection = inspect_update(text, max_nesting=job.max_nesting)
        check(inspection, allow_service=job.allow_service, allow_load=job.allow_load)
        if backend == "rdflib" and inspection.has_dataset:
            # rdflib reads USING graphs from their IRIs (a fetch); Oxigraph reads them from the store.
            raise ForbiddenQuery("rdflib バックエンドでは USING を使えません / USING is not available on the rdflib backend")
    except SparqlSyntaxError as exc:
        return text, (_engine_syntax(text, update=True) if engine_syntax else None) or _refusal(exc)
    except (QueryTooDeep, ForbiddenQuery) as exc:
        return text, _refusal(exc)
    return text, None


def reply_error(reply: tuple, *, update: bool = False) -> PolicyKGError | None:
    """The domain error a refusing reply stands for (``None`` for ``ok`` / ``updated``): the one
    reading of reply tuples, for the HTTP routes and the CLI alike.

    >>> reply_error(("deep", 70, 64)).limit, reply_error(("error", "internal"))
    (64, InternalError('内部エラー / internal error'))
    """
    kind = reply[0]
    if kind in ("ok", "updated"):
        return None
    if kind == "syntax":
        return SparqlSyntaxError(reply[1] or None, reply[2] or None, reply[3] or "cannot parse the request")
    if kind == "deep":
        return QueryTooDeep(reply[1], reply[2])
    if kind == "forbidden":
        return ForbiddenQuery(reply[1])
    if kind == "conflict":
        return QueryError("using-graph-uri と USING/WITH は同時に使えません / "
                          "using-graph-uri/using-named-graph-uri cannot be combined with USING or WITH in the update")
    if kind == "unacceptable":
        return NotAcceptable(list(results.SELECT_SERIALIZERS if reply[1] == "select" else results.GRAPH_SERIALIZERS))
    if reply[1] == "media":
        return NotAcceptable([*results.SELECT_SERIALIZERS, *results.GRAPH_SERIALIZERS])
    if reply[1] == "evaluation":
        return QueryError("SPARQL Update を実行できませんでした / the update could not be executed" if update
                          else "SPARQL を評価できませんでした / the query could not be evaluated")
    return InternalError()
