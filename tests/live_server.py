"""A real HTTP server on a loopback port for tests that need real clients (SPARQLWrapper, rdflib's
SPARQLStore, raw sockets, Chromium): the app of ``create_app`` under uvicorn with exactly the options
``policykg serve`` uses (:func:`policykg.cli.serve_command.server_options`), run in a thread.

Importable as ``live_server`` from any test folder (pytest ``pythonpath = tests``).
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn

from policykg.api.app import create_app
from policykg.cli.serve_command import server_options

from app_support import api_settings, load_trig
from project_paths import SPARQL_DATA


@contextmanager
def live_server(store=None, *, parser: str | None = None, **settings: object) -> Iterator[str]:
    """Serve ``store`` (default: a fresh tests/data/sparql/small.trig) on 127.0.0.1 and yield its base
    URL (``http://127.0.0.1:PORT``); stopped, with its query workers, on exit. ``parser`` picks
    uvicorn's HTTP parser (``httptools``, ``h11``; default: the one ``policykg serve`` picks)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config_settings = api_settings(host="127.0.0.1", port=port, **settings)
    app = create_app(config_settings, store=store if store is not None else load_trig(SPARQL_DATA / "small.trig"))
    options = server_options(config_settings, gate=app.state.sparql_gate)
    if parser is not None:
        from policykg.api.serving import http_protocol

        options["http"] = http_protocol(header_timeout=config_settings.header_timeout,
                                        max_header_bytes=config_settings.max_header_bytes, parser=parser,
                                        gate=app.state.sparql_gate)
    server = uvicorn.Server(uvicorn.Config(app, **options))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True, name=f"uvicorn-{port}")
    thread.start()
    try:
        deadline = time.monotonic() + 30
        while not server.started:
            assert thread.is_alive(), "the server thread stopped while starting"
            assert time.monotonic() < deadline, "the server did not start within 30 s"
            time.sleep(0.02)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=20)
        sock.close()
