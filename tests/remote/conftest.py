"""A real store server for the remote-store tests: ``oxigraph serve`` (PyPI ``oxigraph``) on a free loopback port.

* ``oxigraph_server()`` (factory): start an empty server in a temporary directory; returns its base URL.
* ``built_server``: one server per session holding the bundled graph (``build_store`` into a
  :class:`RemoteStore`); tests must not write to it.
* ``remote_support.remote(url)``: a :class:`RemoteStore` over a server's ``/query``, ``/update`` and ``/store``.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from remote_support import OPENED, free_port, oxigraph_command, remote


@pytest.fixture(autouse=True)
def _close_remote_stores() -> Iterator[None]:
    yield
    while OPENED:
        OPENED.pop().close()


def _start(directory: Path) -> tuple[subprocess.Popen, str]:
    command = oxigraph_command()
    if command is None:
        pytest.skip("the `oxigraph` command is missing: pip install 'oxigraph>=0.5' (test extras)")
    port = free_port()
    with open(directory / "server.log", "wb") as log:  # the child keeps its own copy of the descriptor
        process = subprocess.Popen([command, "serve", "--location", str(directory / "data"), "--bind", f"127.0.0.1:{port}"],
                                   stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            httpx.get(f"{url}/query", params={"query": "ASK {}"}, timeout=1, trust_env=False)
            return process, url
        except httpx.HTTPError:
            if process.poll() is not None:
                pytest.fail(f"oxigraph serve exited: {(directory / 'server.log').read_text()}")
            time.sleep(0.1)
    process.kill()
    pytest.fail("oxigraph serve did not start within 30 s")


@pytest.fixture(scope="session")
def oxigraph_server() -> Iterator[Callable[[], str]]:
    """``start() -> base URL`` of a new, empty Oxigraph server; every server stops at the end of the session."""
    started: list[tuple[subprocess.Popen, Path]] = []

    def start() -> str:
        directory = Path(tempfile.mkdtemp(prefix="policykg-oxigraph-"))
        process, url = _start(directory)
        started.append((process, directory))
        return url

    yield start
    for process, directory in started:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture(scope="session")
def built_server(oxigraph_server) -> str:
    """Base URL of a server holding the bundled graph, loaded through the Graph Store Protocol. Read only."""
    from policykg.graph.build import build_store

    url = oxigraph_server()
    store = remote(url)
    build_store(store=store, validate=False)
    store.close()
    return url
