"""The query worker process: warm up, confine itself for good, then evaluate jobs from its pipe.

Messages (parent → worker): ``("load", backend, nquads)`` (a private in-memory copy), ``("open", path)``
(the server's on-disk store, read-only and shared: the worker was started with ``path`` readable),
``("query", QueryJob)``, ``("update", UpdateJob)``; replies are :mod:`policykg.graph.evaluation`'s
tuples, ``("loaded",)``, or ``("memory",)`` when Python itself ran out of memory. The first message
the worker sends is ``("ready", Confinement)`` or ``("unconfined", reason)``. The parent side is
:mod:`policykg.graph.workers`.

An update on the read-only shared store is evaluated on an in-memory copy of it made for that update
(and dropped after): the worker replies with the update's effect, which the parent applies.
"""

from __future__ import annotations

import os
import threading
from multiprocessing.connection import Connection

from policykg.errors import PolicyKGError
from policykg.graph.evaluation import (
    QueryJob,
    UpdateJob,
    load_store,
    open_shared,
    run_job,
    run_update,
    writable_copy,
)
from policykg.graph.store import Store

__all__ = ["warm_up", "worker_main", "confine_worker"]

_STACK = 256 * 1024 * 1024
"""Stack of the worker's evaluation thread: the guard's parser recurses per nesting level and per triple."""


_warm = threading.Event()


def warm_up() -> None:
    """Load every module evaluation can need, so a confined worker (which cannot open files) has them.

    Runs one request of each kind and form on both engines and writes every result format; once
    per process (the fork server does it for every worker it starts).
    """
    if _warm.is_set():
        return
    from policykg.graph import results
    from policykg.graph.store import GraphResult

    sample = (
        b'<http://x/s> <http://x/p> "o"@ja <http://x/g> .\n'
        b'_:b <http://x/p> "1"^^<http://www.w3.org/2001/XMLSchema#integer> <http://x/g> .\n'
    )
    queries = (
        "SELECT * FROM <http://x/g> WHERE { ?s ?p ?o FILTER(isIRI(?s) || BOUND(?o)) } ORDER BY ?s LIMIT 5",
        "ASK { ?s ?p ?o }",
        "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }",
        "DESCRIBE <http://x/s>",
    )
    media = (results.SPARQL_JSON, results.SPARQL_XML, results.CSV, results.TSV)
    graph_media = (results.TURTLE, results.NTRIPLES, results.JSONLD, results.RDFXML)
    for backend in ("oxigraph", "rdflib"):
        store = load_store(backend, sample)
        for text in queries:
            for m, g in zip(media, graph_media):
                run_job(store, QueryJob(text=text, media_type=m, graph_media_type=g, max_rows=10))
        run_update(store, UpdateJob(text="PREFIX x: <http://x/> DELETE { ?s ?p ?o } INSERT { ?s x:q 2 } "
                                         "WHERE { ?s ?p ?o FILTER(?o = 1) }", base_iri="http://x/"))
        results.serialize(GraphResult(), results.TURTLE)
    _warm.set()


def _memory_cap(limit_mb: int) -> None:
    """Bound the worker's address space as a last resort behind the parent's resident-memory watch."""
    try:
        import resource

        headroom = 2 * 1024 * 1024 * 1024  # native libraries map far more address space than they touch
        limit = limit_mb * 1024 * 1024 + headroom
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ImportError, ValueError, OSError):
        return


def confine_worker(confine: bool, readable: tuple[str, ...] = ()) -> tuple:
    """Confine this process for good and return the worker's hello message.

    ``readable``: the on-disk store's directory, the only place files can be read from afterwards.
    Where the kernel cannot limit reads to it (no Landlock), the worker is confined with no file
    access at all and its hello says so (``readable`` empty): the parent then sends it a copy.
    """
    if not confine:
        return ("ready", None)
    from pathlib import Path

    from policykg.graph import sandbox

    if readable and sandbox.landlock_abi() > 0:
        try:
            return ("ready", sandbox.confine(readable=[Path(p) for p in readable]))
        except PolicyKGError:
            pass  # confine again without files: restrictions only stack, so this is never looser
    try:
        return ("ready", sandbox.confine())
    except PolicyKGError as exc:
        return ("unconfined", str(exc))


def worker_main(conn: Connection, confine: bool, memory_limit_mb: int, readable: tuple[str, ...] = ()) -> None:
    """The worker: lower priority, warm up, confine, then serve jobs until the parent closes the pipe."""
    import sys

    try:
        os.nice(10)  # pages and the JSON API stay responsive while workers are busy
    except OSError:
        pass
    warm_up()
    hello = confine_worker(confine, readable)
    _memory_cap(memory_limit_mb)
    conn.send(hello)
    sys.setrecursionlimit(100_000)
    threading.stack_size(_STACK)
    loop = threading.Thread(target=_serve, args=(conn,), name="policykg-evaluate")
    loop.start()
    loop.join()


def _serve(conn: Connection) -> None:
    store: Store | None = None
    shared = False
    shared_path = ""
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        kind = message[0]
        try:
            if kind in ("load", "open"):
                store = None  # close the previous store (its files, its memory) before opening the next
                if kind == "load":
                    store, shared = load_store(message[1], message[2]), False
                else:
                    shared_path = message[1]
                    store, shared = open_shared(shared_path), True
                reply: tuple = ("loaded",)
            elif kind == "query" and store is not None:
                reply = run_job(store, message[1])
                if shared and reply == ("error", "evaluation"):
                    # The engine's storage error on a read-only view is most often a file the writer's
                    # compaction removed after this worker opened the store: open it again, ask once more.
                    store = None
                    store = open_shared(shared_path)
                    reply = run_job(store, message[1])
            elif kind == "update" and store is not None:
                if shared:
                    try:
                        copy = writable_copy(store)
                    except (OSError, RuntimeError):  # as above: open again, copy once more
                        store = None
                        store = open_shared(shared_path)
                        copy = writable_copy(store)
                    reply = run_update(copy, message[1])
                    del copy
                else:
                    reply = run_update(store, message[1])
            else:
                reply = ("error", "protocol")
        except MemoryError:
            reply = ("memory",)
        except Exception:  # noqa: BLE001 — a bug in our code: reported as internal, the worker lives on
            reply = ("error", "internal")
        conn.send(reply)
