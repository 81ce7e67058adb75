"""Confined, killable query workers behind a bounded queue: where every user query and update runs.

Why processes: neither engine can be interrupted once a query runs, so time and memory limits are
enforced from outside by killing the process; and a process can be confined for good
(:mod:`policykg.graph.sandbox`: no network, no file reads), so no query reaches the network whatever
the guard thinks of it. Evaluation is :mod:`policykg.graph.evaluation`; what a worker evaluates on:

* over an **on-disk Oxigraph store**, the store itself: every worker opens the server's directory
  read-only (no copy: 10M quads cost a worker tens of MB, not 2 GB of N-Quads) and may read files
  below that directory only (Landlock); it opens it again when the store's generation moves, after
  the server flushed its writes, so the next query sees every write;
* over an **in-memory store** (or rdflib, or where the kernel cannot limit reads to the store's
  directory), a private copy: an N-Quads snapshot sent once per store generation.

Admission: jobs wait in a bounded queue (:class:`PoolBusy` at once when it is full); one dispatcher
thread per worker takes the next job, watches the clock, the worker's resident memory and the job's
cancellation (the client went away) every 50 ms, and kills and replaces the worker on any of them.
Updates are evaluated on a worker's copy (a worker over the shared read-only store makes an in-memory
copy for the update and drops it after); their effect (removed and added quads) is applied to the
real store here, under one lock, so the store's owner never runs untrusted SPARQL itself.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import queue
import threading
import time
import weakref
from collections.abc import Awaitable, Callable
from concurrent.futures import CancelledError, Future
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path

from policykg.errors import InternalError, PolicyKGError, QueryTimeout
from policykg.graph.cache import GenerationCache
from policykg.graph import summaries
from policykg.graph.evaluation import QueryJob, UpdateJob
from policykg.graph.store import OxigraphStore, Store
from policykg.graph.worker_process import worker_main

__all__ = [
    "WorkerPool", "PoolBusy", "WorkerCrashed", "MemoryLimitExceeded", "SandboxRefused", "dump_store",
    "DEFAULT_MEMORY_LIMIT_MB",
]

DEFAULT_MEMORY_LIMIT_MB = 4096
"""Per worker: with the default single worker this leaves most of a 24 GiB machine to the server."""
_POLL = 0.05
MEMORY_HEADROOM = 0.05
"""The watchdog stops a worker at 95% of its cap: a runaway query growing up to 1 GB/s between two
checks (:data:`_POLL`) still never holds more than the cap."""


def memory_watermark(limit_mb: int) -> int:
    """Resident bytes at which a worker capped at ``limit_mb`` is stopped.

    >>> memory_watermark(1000) == int(1000 * 1024 * 1024 * 0.95)
    True
    """
    return int(limit_mb * 1024 * 1024 * (1 - MEMORY_HEADROOM))


class PoolBusy(PolicyKGError):
    """Every worker is busy and the queue is full; answered with 503 and Retry-After."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(
            "混み合っています。しばらくしてから再試行してください / the query service is busy; try again later"
        )
        self.retry_after = retry_after


class WorkerCrashed(PolicyKGError):
    """A worker died without answering (killed from outside, a native crash); answered with a 500."""

    def __init__(self) -> None:
        super().__init__("問い合わせの実行プロセスが異常終了しました / the query worker stopped unexpectedly")


class MemoryLimitExceeded(PolicyKGError):
    """A query grew its worker past the memory cap; the worker was replaced."""

    def __init__(self, limit_mb: int) -> None:
        super().__init__(
            f"問い合わせがメモリ上限 {limit_mb} MB を超えたため中止しました / "
            f"the query used more than {limit_mb} MB of memory and was stopped"
        )
        self.limit_mb = limit_mb


class SandboxRefused(PolicyKGError):
    """The worker could not be confined and unconfined evaluation is not allowed."""


def dump_store(store: Store) -> bytes:
    """All quads of ``store`` as N-Quads, the default graph included (updates may write there)."""
    return "".join(sorted(store.nquad_set())).encode("utf-8")


def shared_path(store: Store) -> str | None:
    """The directory of ``store`` when workers can open it themselves (an on-disk Oxigraph store), else ``None``."""
    if isinstance(store, OxigraphStore) and store.path is not None:
        return str(Path(store.path).resolve())
    return None


# --- the parent side --------------------------------------------------------------------------


def _context() -> multiprocessing.context.BaseContext:
    """forkserver where available: replacements start from a clean, preloaded parent (forking a
    threaded server is not safe); spawn elsewhere."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["policykg.graph.worker_preload"])
        return ctx
    return multiprocessing.get_context("spawn")


def _resident_bytes(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm", encoding="ascii") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


@dataclass(eq=False)
class _Worker:
    process: multiprocessing.process.BaseProcess
    conn: Connection
    generation: int = -1
    confinement: object = None
    shared: bool = False
    """It reads the on-disk store itself (read-only) instead of holding a copy."""

    _killing: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def kill(self) -> None:
        """Stop the process and close its pipe; safe when two threads (pool close and a worker's
        replacement) ask at once, and when asked again."""
        with self._killing:
            if self.process.is_alive():
                self.process.kill()
            self.process.join(timeout=5)
            if not self.conn.closed:
                self.conn.close()


@dataclass(eq=False)
class Ticket:
    """A queued job; ``future`` completes with the reply tuple or an error."""

    job: QueryJob | UpdateJob | None
    future: Future = field(default_factory=Future)
    enqueued: float = field(default_factory=time.monotonic)
    cancelled: threading.Event = field(default_factory=threading.Event)

    def cancel(self) -> None:
        """Drop the job: skipped if still queued, its worker killed if running."""
        self.cancelled.set()
        self.future.cancel()


def _kill_all(workers: set[_Worker]) -> None:
    for w in list(workers):
        w.kill()
    workers.clear()


class WorkerPool:
    """``size`` confined workers over ``store``; at most ``queue_size`` jobs wait; each runs at most ``timeout`` s.

    ``confine=False`` is for platforms without seccomp only when ``require_confinement`` is also
    off; by default a worker that cannot be confined refuses every job (:class:`SandboxRefused`).
    """

    def __init__(self, store: Store, *, size: int = 1, timeout: float = 10.0, queue_size: int = 16,
                 memory_limit_mb: int = DEFAULT_MEMORY_LIMIT_MB, confine: bool = True,
                 require_confinement: bool = True) -> None:
        self.store = store
        self.size = max(1, size)
        self.timeout = timeout
        self.memory_limit_mb = memory_limit_mb
        self._memory_watermark = memory_watermark(memory_limit_mb)
        self.confine = confine
        self.require_confinement = require_confinement and confine
        self._ctx = _context()
        self._queue: queue.Queue[Ticket | None] = queue.Queue(maxsize=max(1, queue_size))
        self._workers: set[_Worker] = set()
        self._lock = threading.Lock()
        self._update_lock = threading.Lock()
        self._snapshots = GenerationCache(size=1)
        self.shared_path = shared_path(store)
        """The on-disk store's directory the workers open read-only (``None``: they get copies)."""
        self._flushed = -1
        self._flush_lock = threading.Lock()
        self._threads: list[threading.Thread] = []
        self._closed = False
        self.killed = 0
        """Workers killed for overrunning the time limit (for tests and monitoring)."""
        self.memory_kills = 0
        self.confinement: object = None
        """What the last started worker reported from :func:`policykg.graph.sandbox.confine`."""
        self._finalizer = weakref.finalize(self, _kill_all, self._workers)

    # --- life cycle ----------------------------------------------------------------------------

    def start(self) -> None:
        """Start the dispatchers (each starts its worker on its first job)."""
        with self._lock:
            if self._threads or self._closed:
                return
            for i in range(self.size):
                t = threading.Thread(target=self._dispatch, daemon=True, name=f"policykg-dispatch-{i}")
                self._threads.append(t)
                t.start()

    def close(self) -> None:
        with self._lock:
            self._closed = True
        while True:
            try:
                ticket = self._queue.get_nowait()
            except queue.Empty:
                break
            if ticket is not None:
                ticket.cancel()
        for _ in self._threads:
            try:
                self._queue.put_nowait(None)
            except queue.Full:
                break
        _kill_all(self._workers)

    def _spawn(self) -> _Worker:
        parent, child = self._ctx.Pipe()
        readable = (self.shared_path,) if self.shared_path else ()
        process = self._ctx.Process(target=worker_main, args=(child, self.confine, self.memory_limit_mb, readable),
                                    daemon=True, name="policykg-query-worker")
        process.start()
        child.close()
        worker = _Worker(process, parent)
        with self._lock:
            self._workers.add(worker)
            if self._closed:
                worker.kill()
                raise WorkerCrashed()
        try:
            if not parent.poll(120):
                raise EOFError("no hello")
            status, detail = parent.recv()
        except (EOFError, OSError):
            self._retire(worker)
            raise WorkerCrashed() from None
        worker.confinement = detail
        self.confinement = detail
        # Unconfined (allowed only with confine=False) or confined with the store's directory readable.
        worker.shared = bool(self.shared_path) and (not self.confine or bool(getattr(detail, "readable", ())))
        if status != "ready" and self.require_confinement:
            self._retire(worker)
            raise SandboxRefused(f"{detail} — 安全に実行できないため問い合わせを受け付けません / queries are refused")
        return worker

    def _retire(self, worker: _Worker) -> None:
        with self._lock:
            self._workers.discard(worker)
        worker.kill()

    # --- data ----------------------------------------------------------------------------------

    def snapshot(self) -> tuple[int, bytes]:
        """``(generation, nquads)`` of the store, dumped once per generation (for workers holding copies)."""
        generation = self.store.generation
        return generation, self._snapshots.get_or_build(generation, "nquads", lambda: dump_store(self.store))

    def _flush(self) -> int:
        """The store's generation, its writes flushed to disk first (once per generation), so a worker
        opening the directory read-only now sees them."""
        generation = self.store.generation
        with self._flush_lock:
            if self._flushed != generation:
                try:
                    self.store.flush()
                except RuntimeError:  # opened read-only itself (the CLI): it has no writes to flush
                    pass
                self._flushed = generation
        return generation

    # --- submitting ----------------------------------------------------------------------------

    def submit(self, job: QueryJob | UpdateJob) -> Ticket:
        """Queue ``job``.

        :raises PoolBusy: the queue is full (answer at once; the job is not kept).
        """
        self.start()
        ticket = Ticket(job)
        try:
            self._queue.put_nowait(ticket)
        except queue.Full:
            raise PoolBusy(retry_after=max(1, round(self.timeout))) from None
        return ticket

    def execute(self, job: QueryJob | UpdateJob) -> tuple:
        """Run ``job`` and wait for its reply tuple (see :mod:`policykg.graph.evaluation`).

        :raises PoolBusy: the queue is full.
        :raises QueryTimeout: the job waited or ran past the time limit (its worker was killed).
        :raises MemoryLimitExceeded: the job grew its worker past the memory cap.
        :raises WorkerCrashed: the worker died without answering.
        :raises SandboxRefused: the worker could not be confined.
        """
        return self.submit(job).future.result()

    async def run(self, job: QueryJob | UpdateJob, *,
                  disconnected: Callable[[], Awaitable[bool]] | None = None) -> tuple | None:
        """Like :meth:`execute` without holding a thread; ``None`` when ``disconnected()`` turned true
        first (the job is then dropped from the queue or its worker killed)."""
        ticket = self.submit(job)
        waiting = asyncio.wrap_future(ticket.future)
        while True:
            done, _ = await asyncio.wait({waiting}, timeout=0.1)
            if done:
                try:
                    return waiting.result()
                except CancelledError:
                    return None
            if disconnected is not None and await disconnected():
                ticket.cancel()
                return None

    # --- dispatching ---------------------------------------------------------------------------

    def _dispatch(self) -> None:
        worker: _Worker | None = None
        while True:
            ticket = self._queue.get()
            if ticket is None or self._closed:
                return
            if ticket.cancelled.is_set() or not ticket.future.set_running_or_notify_cancel():
                continue
            waited = self._queue_seconds()
            if time.monotonic() - ticket.enqueued > waited:
                ticket.future.set_exception(QueryTimeout(
                    f"実行待ちが {waited:g} 秒を超えました / no query worker became free within {waited:g} s"
                ))
                continue
            try:
                if worker is None or not worker.process.is_alive():
                    worker = self._spawn()
                reply = self._run(worker, ticket)
            except BaseException as exc:  # noqa: BLE001 — every failure reaches the waiting caller
                if not ticket.future.done():
                    ticket.future.set_exception(exc if isinstance(exc, Exception) else WorkerCrashed())
                worker = self._replace(worker)
                continue
            if reply is None:  # cancelled while running: the worker is killed, nobody waits for an answer
                ticket.future.set_exception(CancelledError())
                worker = self._replace(worker)
                continue
            ticket.future.set_result(reply)

    def _replace(self, worker: _Worker | None) -> _Worker | None:
        """Kill ``worker`` and start a loaded replacement now, before the next job is taken."""
        if worker is not None:
            self._retire(worker)
        if self._closed:
            return None
        try:
            fresh = self._spawn()
            self._sync(fresh, Ticket(None), time.monotonic() + self._load_seconds())
            return fresh
        except Exception:  # noqa: BLE001 — the next job will try again and report the failure
            return None

    def _queue_seconds(self) -> float:
        """How long a job may wait in the queue (it holds no thread meanwhile): at least 10 s, so a
        replacement worker can start and load after a kill."""
        return max(self.timeout, 10.0)

    def _load_seconds(self) -> float:
        """Time allowed to load a snapshot into a worker: the data's cost, not the query's."""
        return max(self.timeout, 60.0)

    def _run(self, worker: _Worker, ticket: Ticket) -> tuple | None:
        if isinstance(ticket.job, UpdateJob):
            with self._update_lock:
                self._sync(worker, ticket, 0.0)
                deadline = time.monotonic() + self.timeout
                reply = self._ask(worker, ("update", ticket.job), ticket, deadline)
                if reply is not None and reply[0] == "updated":
                    self.store.apply_delta(reply[1], reply[2])
                    if not worker.shared and not summaries.enabled(self.store):
                        # its copy already holds the result (unless the store keeps roll-ups: the write
                        # changed the meta graph too, which the worker's copy lacks, so it loads again)
                        worker.generation = self.store.generation
                    # (a shared worker's read-only view predates the write: it opens the store again)
                return reply
        self._sync(worker, ticket, 0.0)
        return self._ask(worker, ("query", ticket.job), ticket, time.monotonic() + self.timeout)

    def _sync(self, worker: _Worker, ticket: Ticket, deadline: float) -> None:
        """Bring ``worker`` to the store's current generation: open the shared store again, or load a copy."""
        if worker.shared:
            if worker.generation == self.store.generation:
                return
            generation = self._flush()
            message: tuple = ("open", self.shared_path)
        else:
            generation, data = self.snapshot()
            if worker.generation == generation:
                return
            message = ("load", self.store.backend, data)
        deadline = max(deadline, time.monotonic() + self._load_seconds())
        reply = self._ask(worker, message, ticket, deadline)
        if reply is None:
            raise CancelledError()
        if reply != ("loaded",):
            worker.generation = -1
            raise InternalError()
        worker.generation = generation

    def _ask(self, worker: _Worker, message: tuple, ticket: Ticket, deadline: float) -> tuple | None:
        try:
            worker.conn.send(message)
            while not worker.conn.poll(_POLL):
                if ticket.cancelled.is_set():
                    return None
                if time.monotonic() > deadline:
                    self.killed += 1
                    raise QueryTimeout(
                        f"問い合わせが制限時間 {self.timeout:g} 秒を超えたため中止しました / "
                        f"the query ran longer than {self.timeout:g} s and was stopped"
                    )
                if _resident_bytes(worker.process.pid) > self._memory_watermark:
                    self.memory_kills += 1
                    raise MemoryLimitExceeded(self.memory_limit_mb)
            reply = worker.conn.recv()
        except (EOFError, OSError) as exc:
            raise WorkerCrashed() from exc
        if reply == ("memory",):
            raise MemoryLimitExceeded(self.memory_limit_mb)
        return reply
