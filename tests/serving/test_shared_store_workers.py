"""Query workers over an on-disk store open the server's store directory read-only instead of holding a
copy (issue 13, item 3): they answer from the store, see every write of the server at the next query,
and stay confined: no network, and no file outside the store directory."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest

from loopback_listener import Listener
from policykg.graph import sandbox
from policykg.graph.evaluation import QueryJob, UpdateJob, load_store, open_shared, run_job
from policykg.graph.store import OxigraphStore
from policykg.graph.workers import WorkerPool

SECRET = "policykg-secret-outside-the-store"
GRAPH = "http://x/g"
COUNT = QueryJob(text="SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", media_type="text/csv", max_rows=10)
needs_landlock = pytest.mark.skipif(not sandbox.available() or sandbox.landlock_abi() == 0,
                                    reason="needs Linux with seccomp and Landlock")


def count(reply: tuple) -> int:
    assert reply[0] == "ok", reply
    return int(reply[1].decode().split()[-1])


@pytest.fixture()
def disk_store(tmp_path) -> OxigraphStore:
    """A small on-disk store with a secret file beside its directory (readable by this user)."""
    (tmp_path / "secret.txt").write_text(SECRET, encoding="utf-8")
    store = OxigraphStore(tmp_path / "store")
    store.load_nquads(b'<http://x/s> <http://x/p> "o" <http://x/g> .\n'
                      b'_:b1 <http://x/p> "1" <http://x/g> .\n')
    return store


@pytest.fixture()
def disk_pool(disk_store):
    pool = WorkerPool(disk_store, size=1, timeout=30)
    yield pool
    pool.close()


@needs_landlock
def test_workers_read_the_store_directory_and_get_no_copy(disk_pool, disk_store, monkeypatch):
    def no_snapshot():
        raise AssertionError("a worker over an on-disk store must not be sent a copy")

    monkeypatch.setattr(disk_pool, "snapshot", no_snapshot)
    assert count(disk_pool.execute(COUNT)) == 2
    confinement = disk_pool.confinement
    assert confinement.seccomp and confinement.files_closed and confinement.landlock_abi > 0
    assert confinement.readable == (str(disk_store.path.resolve()),)


@needs_landlock
def test_updates_and_server_writes_are_seen_by_the_next_query(disk_pool, disk_store):
    assert count(disk_pool.execute(COUNT)) == 2
    reply = disk_pool.execute(UpdateJob(text='INSERT DATA { GRAPH <http://x/g> { <http://x/s2> <http://x/p> "new" } }'))
    assert reply[0] == "updated" and b'"new"' in reply[2]
    assert count(disk_pool.execute(COUNT)) == 3
    # a blank node named in the effect is the store's own (labels kept through the worker's copy)
    reply = disk_pool.execute(UpdateJob(text="DELETE WHERE { GRAPH <http://x/g> { ?b <http://x/p> \"1\" } }"))
    assert reply[0] == "updated" and reply[1].startswith(b"_:")
    assert count(disk_pool.execute(COUNT)) == 2
    # a write by the server itself (uploads, observations, build go through the Store interface)
    disk_store.load_nquads(b'<http://x/s3> <http://x/p> "server" <http://x/g> .\n')
    assert count(disk_pool.execute(COUNT)) == 3
    assert len(disk_store) == 3


@needs_landlock
def test_a_refused_update_changes_nothing(disk_pool, disk_store):
    before = disk_store.nquad_set()
    reply = disk_pool.execute(UpdateJob(text="CREATE GRAPH <http://x/g>"))  # exists: the engine refuses
    assert reply[0] == "error"
    assert disk_store.nquad_set() == before
    assert count(disk_pool.execute(COUNT)) == 2


def _probe(store_dir: str, secret: str, port: int, conn) -> None:
    """In a fresh process: confine exactly as a query worker over ``store_dir`` does, open the store,
    answer a query, then try to read the secret beside it, list its parent and connect to ``port``."""
    import socket

    from policykg.graph.worker_process import confine_worker, warm_up

    warm_up()  # what the worker's fork server does before any worker confines itself
    report: dict = {"hello": confine_worker(True, (store_dir,))}
    store = open_shared(store_dir)
    report["answer"] = run_job(store, COUNT)
    for name, attempt in (
        ("secret", lambda: Path(secret).read_text(encoding="utf-8")),
        ("parent", lambda: sorted(p.name for p in Path(store_dir).parent.iterdir())),
        ("passwd", lambda: Path("/etc/passwd").read_text(encoding="utf-8")),
        ("network", lambda: socket.create_connection(("127.0.0.1", port), timeout=2).close()),
    ):
        try:
            report[name] = ("read", attempt())
        except OSError as exc:
            report[name] = ("refused", exc.errno)
    conn.send(report)


@needs_landlock
def test_a_worker_on_a_disk_store_cannot_read_beside_it(disk_store, tmp_path):
    disk_store.flush()
    listener = Listener()
    parent, child = multiprocessing.get_context("fork").Pipe()
    process = multiprocessing.get_context("fork").Process(
        target=_probe, args=(str(disk_store.path), str(tmp_path / "secret.txt"), listener.port, child))
    try:
        process.start()
        assert parent.poll(60), "the probe did not answer"
        report = parent.recv()
    finally:
        process.join(timeout=10)
        listener.close()
    assert report["hello"][0] == "ready" and report["hello"][1].readable == (str(disk_store.path),)
    assert count(report["answer"]) == 2, "it answers from the store"
    for name in ("secret", "parent", "passwd", "network"):
        assert report[name][0] == "refused", (name, report[name])
    assert listener.connections == 0
    assert (tmp_path / "secret.txt").read_text(encoding="utf-8") == SECRET  # there to be read, by others


@needs_landlock
def test_load_of_a_file_beside_the_store_reads_nothing(disk_pool, tmp_path):
    """Past the guard (LOAD allowed in the job), the confined worker still cannot read the file."""
    secret = tmp_path / "secret.ttl"
    secret.write_text(f'<http://x/s> <http://x/p> "{SECRET}" .\n', encoding="utf-8")
    reply = disk_pool.execute(UpdateJob(text=f"LOAD <{secret.as_uri()}>", allow_load=True))
    assert reply[0] == "error" or SECRET.encode() not in reply[2]
    ask = QueryJob(text=f'ASK {{ ?s ?p "{SECRET}" }}', media_type="text/csv", max_rows=1)
    assert b"false" in disk_pool.execute(ask)[1]


def test_in_memory_stores_still_get_a_copy():
    store = load_store("oxigraph", b'<http://x/s> <http://x/p> "o" <http://x/g> .\n')
    pool = WorkerPool(store, size=1, timeout=30)
    try:
        assert pool.shared_path is None
        assert count(pool.execute(COUNT)) == 1
        assert pool.confinement is None or not pool.confinement.readable
    finally:
        pool.close()


@needs_landlock
def test_cli_query_on_a_store_opened_read_only(disk_store):
    """``policykg query --store DIR`` opens the store read-only itself; its worker opens it too."""
    from policykg.graph.confined import run_confined_query

    disk_store.flush()
    reader = open_shared(str(disk_store.path))  # (a plain read-only open may meet the flush's compaction)
    result = run_confined_query(reader, "SELECT ?o WHERE { <http://x/s> <http://x/p> ?o }", timeout=60)
    assert [str(r["o"]) for r in result.rows] == ["o"]
