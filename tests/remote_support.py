"""Helpers for the remote-store tests (tests/remote), importable as ``remote_support`` (pytest ``pythonpath = tests``)."""

from __future__ import annotations

import shutil
import socket
import sys
from pathlib import Path

from policykg.graph.remote import RemoteStore


def oxigraph_command() -> str | None:
    """The ``oxigraph`` command of this venv (or on PATH)."""
    beside = Path(sys.executable).with_name("oxigraph")
    return str(beside) if beside.exists() else shutil.which("oxigraph")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


OPENED: list[RemoteStore] = []


def remote(url: str, **options: object) -> RemoteStore:
    """A RemoteStore over an Oxigraph server's endpoints (closed after the test)."""
    store = RemoteStore(f"{url}/query", update_endpoint=f"{url}/update", graph_store=f"{url}/store", **options)
    OPENED.append(store)
    return store
