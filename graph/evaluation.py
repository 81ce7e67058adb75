"""One SPARQL request evaluated against one store: guard, dataset, engine, row cap, serialisation.

Pure with respect to the outside world: it is what a confined query worker
(:mod:`policykg.graph.workers`) runs, and it returns plain reply tuples, never raising for problems
of the request. Replies:

* ``("ok", body, media_type, truncated)``: a query answer;
* ``("updated", removed_nquads, added_nquads)``: an update's effect, applied by the owner of the store;
* ``("syntax", line, column, reason)``, ``("deep", depth, limit)``, ``("forbidden", message)``;
* ``("conflict",)``: protocol using-graph-uri together with USING or WITH in the text;
* ``("unacceptable", kind)``: no media type the client accepts for this query form (select or graph);
* ``("error", reason)`` with reason ``evaluation``, ``media`` or ``internal``.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from rdflib import Graph
from rdflib.term import Identifier

from policykg.errors import ForbiddenQuery, SparqlSyntaxError
from policykg.graph import results
from policykg.graph.sparql_guard import (
    MAX_NESTING,
    QueryTooDeep,
    add_using_clauses,
    check,
    inspect_query,
    inspect_update,
)
from policykg.graph.store import GraphResult, QueryResult, SelectResult, Store, open_store

__all__ = [
    "QueryJob", "UpdateJob", "EMPTY_GRAPH", "run_job", "run_update", "load_store", "cap", "graph_rows",
    "restrict_graphs", "resolve_dataset",
]

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
    if nquads:
        if backend == "oxigraph":
            import pyoxigraph as ox

            store.engine.extend(ox.parse(nquads, format=ox.RdfFormat.N_QUADS))
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


def run_job(store: Store, job: QueryJob) -> tuple:
    """Evaluate one query job and return its reply tuple (never raises for problems of the query)."""
    try:
        inspection = inspect_query(job.text, max_nesting=job.max_nesting)
        check(inspection, allow_service=job.allow_service)
        form = inspection.form
        default, named = _dataset(store, job, inspection.default_graphs, inspection.named_graphs)
    except SparqlSyntaxError as exc:
        return _engine_syntax(job.text, update=False) or _refusal(exc)
    except (QueryTooDeep, ForbiddenQuery) as exc:
        return _refusal(exc)
    graph_form = form in ("CONSTRUCT", "DESCRIBE")
    media = (job.media_type if job.graph_media_type == "" else job.graph_media_type) if graph_form else job.media_type
    if job.graph_as_rows and graph_form:
        media = job.media_type
    if media is None:
        return ("unacceptable", "graph" if graph_form else "select")
    try:
        result = store.query(job.text, default_graph_uris=default, named_graph_uris=named,
                             bindings=dict(job.bindings) or None, base_iri=job.base_iri)
    except SyntaxError as exc:  # e.g. an undeclared prefix, which the guard's parser leaves to the engine
        error = SparqlSyntaxError.from_engine(str(exc), job.text)
        return ("syntax", error.line or 0, error.column or 0, error.reason)
    except Exception:  # noqa: BLE001 — an engine's runtime error (type error, overflow…) is the query's problem
        return ("error", "evaluation")
    if job.graph_as_rows and isinstance(result, GraphResult):
        result = graph_rows(result)
    result, truncated = cap(result, job.max_rows)
    try:
        body, media = results.serialize(result, media)
    except ValueError:
        return ("error", "media")
    return ("ok", body, media, truncated)


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
        error = SparqlSyntaxError.from_engine(str(exc), text)
        return ("syntax", error.line or 0, error.column or 0, error.reason)
    except Exception:  # noqa: BLE001 — it parsed; evaluation problems are not syntax errors
        return None
    return None


def run_update(store: Store, job: UpdateJob) -> tuple:
    """Evaluate an update on ``store`` (the worker's copy) and reply with what it removed and added,
    as N-Quads, for the owner of the real store to apply in one step."""
    text = job.text
    try:
        if job.using or job.using_named:
            written = inspect_update(text, max_nesting=job.max_nesting)
            if written.has_dataset or written.with_graph:
                return ("conflict",)  # Protocol §2.2.3: parameters and USING/WITH together are an error
            text = add_using_clauses(text, job.using, job.using_named)
        inspection = inspect_update(text, max_nesting=job.max_nesting)
        check(inspection, allow_service=job.allow_service, allow_load=job.allow_load)
        if store.backend == "rdflib" and inspection.has_dataset:
            # rdflib reads USING graphs from their IRIs (a fetch); Oxigraph reads them from the store.
            raise ForbiddenQuery("rdflib バックエンドでは USING を使えません / USING is not available on the rdflib backend")
    except SparqlSyntaxError as exc:
        return _engine_syntax(text, update=True) or _refusal(exc)
    except (QueryTooDeep, ForbiddenQuery) as exc:
        return _refusal(exc)
    before = store.nquad_set()
    try:
        store.update(text, base_iri=job.base_iri)
    except SyntaxError as exc:
        error = SparqlSyntaxError.from_engine(str(exc), text)
        return ("syntax", error.line or 0, error.column or 0, error.reason)
    except Exception:  # noqa: BLE001 — the engine refused the update; the real store is untouched
        return ("error", "evaluation")
    after = store.nquad_set()
    removed = "".join(sorted(before - after)).encode("utf-8")
    added = "".join(sorted(after - before)).encode("utf-8")
    return ("updated", removed, added)
