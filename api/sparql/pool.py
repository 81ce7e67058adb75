"""The parent side of the query workers: a small pool of killable processes with a shared data snapshot.

A job waits for an idle worker, makes sure the worker holds the current store generation (sending a
fresh N-Quads dump if not), sends the query and waits at most the time limit. A worker that overruns
is killed at once and a replacement is started in the background, so the 504 goes out without
waiting for the new process. Blocking calls here are meant to run in a thread (the route uses
``run_in_threadpool``), so the event loop keeps answering other requests meanwhile.
"""

from __future__ import annotations

import multiprocessing
import queue
import threading
import time
import weakref
from dataclasses import dataclass
from multiprocessing.connection import Connection

from policykg.api.sparql.worker import QueryJob, worker_main
from policykg.errors import QueryTimeout
from policykg.graph.store import Store


class WorkerCrashed(RuntimeError):
    """A worker died without answering (out of memory, killed from outside); answered with a 500."""


def dump_store(store: Store) -> bytes:
    """All quads of ``store`` as N-Quads, the default graph included (updates may write there)."""
    engine = getattr(store, "engine", None)
    if engine is not None:
        import pyoxigraph as ox

        return engine.dump(format=ox.RdfFormat.N_QUADS)
    dataset = getattr(store, "dataset", None)
    if dataset is not None:
        data = dataset.serialize(format="nquads", encoding="utf-8")
        return data if isinstance(data, bytes) else data.encode("utf-8")
    lines = [f"{s.n3()} {p.n3()} {o.n3()} {g.n3()} .\n" for s, p, o, g in store.quads()]
    return "".join(lines).encode("utf-8")


def _context() -> multiprocessing.context.BaseContext:
    """forkserver where available: a clean, preloaded parent makes replacements start fast and safe
    (forking a threaded server is not); spawn elsewhere."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["policykg.api.sparql.worker"])
        return ctx
    return multiprocessing.get_context("spawn")


@dataclass(eq=False)
class _Worker:
    process: multiprocessing.process.BaseProcess
    conn: Connection
    generation: int = -1

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(timeout=5)
        self.conn.close()


def _kill_all(workers: set[_Worker]) -> None:
    for w in list(workers):
        w.kill()
    workers.clear()


class WorkerPool:
    """``size`` query workers over ``store``; jobs are limited to ``timeout`` seconds each."""

    def __init__(self, store: Store, *, size: int = 1, timeout: float = 10.0) -> None:
        self.store = store
        self.size = max(1, size)
        self.timeout = timeout
        self._ctx = _context()
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._workers: set[_Worker] = set()
        self._lock = threading.Lock()
        self._snapshot: tuple[int, bytes] | None = None
        self._started = False
        self._closed = False
        self.killed = 0
        """How many workers were killed for overrunning (for tests and monitoring)."""
        self._finalizer = weakref.finalize(self, _kill_all, self._workers)

    # --- life cycle ------------------------------------------------------------------------------

    def _spawn(self) -> _Worker:
        parent, child = self._ctx.Pipe()
        process = self._ctx.Process(target=worker_main, args=(child,), daemon=True, name="policykg-query-worker")
        process.start()
        child.close()
        worker = _Worker(process, parent)
        with self._lock:
            if self._closed:
                worker.kill()
                raise WorkerCrashed("pool closed")
            self._workers.add(worker)
        return worker

    def start(self) -> None:
        """Start the workers now (the route starts them lazily on the first query otherwise)."""
        with self._lock:
            if self._started:
                return
            self._started = True
        for _ in range(self.size):
            self._idle.put(self._spawn())

    def close(self) -> None:
        with self._lock:
            self._closed = True
        _kill_all(self._workers)

    def _retire(self, worker: _Worker) -> None:
        """Kill ``worker`` now and put a fresh one in the pool from a background thread."""
        with self._lock:
            self._workers.discard(worker)
        worker.kill()

        def replace() -> None:
            try:
                self._idle.put(self._spawn())
            except WorkerCrashed:
                return

        threading.Thread(target=replace, daemon=True, name="policykg-worker-respawn").start()

    # --- data -------------------------------------------------------------------------------------

    def snapshot(self) -> tuple[int, bytes]:
        """``(generation, nquads)`` of the store, dumped once per generation."""
        with self._lock:
            generation = self.store.generation
            if self._snapshot is None or self._snapshot[0] != generation:
                self._snapshot = (generation, dump_store(self.store))
            return self._snapshot

    # --- jobs -------------------------------------------------------------------------------------

    def execute(self, job: QueryJob) -> tuple:
        """Run ``job`` on a worker and return its reply tuple (see :mod:`policykg.api.sparql.worker`).

        :raises QueryTimeout: no worker became free, or the query ran past the limit (worker killed).
        :raises WorkerCrashed: the worker died without answering.
        """
        self.start()
        deadline = time.monotonic() + self.timeout
        try:
            worker = self._idle.get(timeout=self.timeout)
        except queue.Empty:
            raise QueryTimeout(
                f"実行待ちが {self.timeout:g} 秒を超えました / no query worker became free within {self.timeout:g} s"
            ) from None
        try:
            generation, data = self.snapshot()
            if worker.generation != generation:
                self._ask(worker, ("load", self.store.backend, data), deadline)
                worker.generation = generation
            reply = self._ask(worker, ("query", job), deadline)
        except BaseException:
            self._retire(worker)
            raise
        self._idle.put(worker)
        return reply

    def _ask(self, worker: _Worker, message: tuple, deadline: float) -> tuple:
        try:
            worker.conn.send(message)
            if not worker.conn.poll(max(0.0, deadline - time.monotonic())):
                self.killed += 1
                raise QueryTimeout(
                    f"問い合わせが制限時間 {self.timeout:g} 秒を超えたため中止しました / "
                    f"the query ran longer than {self.timeout:g} s and was stopped"
                )
            return worker.conn.recv()
        except (EOFError, OSError) as exc:
            raise WorkerCrashed("query worker stopped unexpectedly") from exc
