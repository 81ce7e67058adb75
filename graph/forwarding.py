"""User SPARQL for a remote store: checked here by the same guard, then forwarded — never copied into workers.

With a :class:`~policykg.graph.remote.RemoteStore` there is no data in this process to confine: the
store server evaluates. So the /sparql route's pool is a :class:`ForwardingPool` with the same
``run`` as :class:`~policykg.graph.workers.WorkerPool`: each job is parsed and checked by
:func:`~policykg.graph.evaluation.run_job` / :func:`~policykg.graph.evaluation.checked_update`
(SERVICE, LOAD, nesting refused; FROM / USING of a graph the store does not hold refused — the
embedded store reads those as empty graphs —, protocol graphs restricted to the store's own graphs)
*before* anything is sent, then forwarded with the query timeout as the read timeout; results are
re-serialised here (row cap, content negotiation) exactly as in a worker. At most ``size`` jobs are
forwarded at once (threads), at most ``queue_size`` more wait; past that :class:`PoolBusy` (503).
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor

from policykg.errors import PolicyKGError
from policykg.graph.evaluation import QueryJob, UpdateJob, _syntax, checked_update, run_job
from policykg.graph.remote import RemoteStore
from policykg.graph.sparql_guard import MAX_NESTING, inspect_query, inspect_update, tokenize
from policykg.graph.workers import PoolBusy

__all__ = ["ForwardingPool", "forward", "foreign_graphs", "GUARD_LOCK"]

GUARD_LOCK = threading.Lock()
"""rdflib's SPARQL parser (pyparsing) is not thread-safe: the guard parses one request at a time here
(it holds the GIL while it parses anyway); forwarding and the server's evaluation run in parallel."""


def foreign_graphs(store: RemoteStore, text: str, *, update: bool, max_nesting: int = MAX_NESTING) -> list[str]:
    """FROM / FROM NAMED (USING / USING NAMED) graphs of ``text`` that the store does not hold.

    The embedded store reads them as empty graphs; a remote server is not asked to read them at all
    (whatever it would do with them), so they are refused. Parsed only when the text may have one
    (the keyword, or an escape that could spell it); a text the guard cannot parse is left to it."""
    keyword = "USING" if update else "FROM"
    if "\\u" not in text.lower() and not any(tok.keyword == keyword for tok in tokenize(text)):
        return []
    try:
        with GUARD_LOCK:
            inspection = (inspect_update if update else inspect_query)(text, max_nesting=max_nesting)
    except PolicyKGError:
        return []
    held = {str(g) for g in store.graph_names()}
    return [g for g in (*inspection.default_graphs, *inspection.named_graphs) if g not in held]


def _foreign(graphs: list[str]) -> tuple:
    listed = ", ".join(f"<{g}>" for g in graphs[:3])
    return ("forbidden", f"ストアにないグラフは指定できません: {listed} / graphs the store does not hold cannot be "
                         f"named in FROM or USING here: {listed}")


def forward(store: RemoteStore, job: QueryJob | UpdateJob) -> tuple:
    """One job against the remote store, as a worker's reply tuple (the guard first, the server after)."""
    if isinstance(job, QueryJob):
        unknown = foreign_graphs(store, job.text, update=False, max_nesting=job.max_nesting)
        return _foreign(unknown) if unknown else run_job(store, job, engine_syntax=False, guard_lock=GUARD_LOCK)
    text, refusal = checked_update(job, store.backend, engine_syntax=False, guard_lock=GUARD_LOCK)
    if refusal is not None:
        return refusal
    unknown = foreign_graphs(store, text, update=True, max_nesting=job.max_nesting)
    if unknown:
        return _foreign(unknown)
    try:
        store.update(text, base_iri=job.base_iri)
    except SyntaxError as exc:
        return _syntax(exc, text)
    except store.evaluation_errors:
        return ("error", "evaluation")
    return ("updated", b"", b"")


class ForwardingPool:
    """``WorkerPool``'s ``run`` / ``execute`` / ``close`` for a remote store."""

    def __init__(self, store: RemoteStore, *, size: int = 4, timeout: float = 10.0, queue_size: int = 16) -> None:
        self.store = store
        self.size = max(1, size)
        self.timeout = timeout
        self._threads = ThreadPoolExecutor(max_workers=self.size, thread_name_prefix="policykg-forward")
        self._slots = threading.BoundedSemaphore(self.size + max(1, queue_size))

    def _admit(self) -> None:
        if not self._slots.acquire(blocking=False):
            raise PoolBusy(retry_after=max(1, round(self.timeout)))

    def _call(self, job: QueryJob | UpdateJob) -> tuple:
        try:
            return forward(self.store, job)
        finally:
            self._slots.release()

    def execute(self, job: QueryJob | UpdateJob) -> tuple:
        """Run ``job`` and wait for its reply. :raises PoolBusy: / :raises QueryTimeout: / :raises StoreUnavailable:"""
        self._admit()
        return self._threads.submit(self._call, job).result()

    async def run(self, job: QueryJob | UpdateJob, *,
                  disconnected: Callable[[], Awaitable[bool]] | None = None) -> tuple | None:
        """Like :meth:`execute` without holding the event loop; ``None`` when the client went away
        first (the forwarded request then ends at the read timeout; nobody reads its answer)."""
        self._admit()
        waiting = asyncio.wrap_future(self._threads.submit(self._call, job))
        while True:
            done, _ = await asyncio.wait({waiting}, timeout=0.1)
            if done:
                return waiting.result()
            if disconnected is not None and await disconnected():
                return None

    def close(self) -> None:
        self._threads.shutdown(wait=False, cancel_futures=True)
