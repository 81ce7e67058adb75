"""``policykg serve``: the HTTP server (JSON API, pages, /sparql) under uvicorn.

Options override POLICYKG_* environment variables (docs/settings.md). The update token is never
taken from the command line (it would show in ``ps``): ``--token-env NAME`` names the environment
variable that holds it (default ``POLICYKG_API_TOKEN``).
"""

from __future__ import annotations

import errno
import os
import socket
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from policykg.cli.app import app
from policykg.cli.common import (
    GraphStoreOption,
    SparqlEndpointOption,
    UpdateEndpointOption,
    cli_errors,
    progress,
)
from policykg.errors import PortInUse
from policykg.graph.store import Backend

if TYPE_CHECKING:  # the server's modules (pydantic, FastAPI) load only when a server starts
    from policykg.api.settings import Settings


def build_settings(*, token_env: str | None = None, **options: object) -> Settings:
    """Settings from the environment, with every option that was given (not ``None``) on top.

    :raises ValueError: ``token_env`` names a variable that is not set.
    """
    values = {name: value for name, value in options.items() if value is not None}
    if token_env:
        token = os.environ.get(token_env)
        if not token:
            raise ValueError(f"環境変数 {token_env} が未設定です / environment variable {token_env} is not set")
        values["api_token"] = token
    from policykg.api.settings import Settings

    return Settings(**values)


def server_options(settings: Settings, *, gate: object = None) -> dict[str, object]:
    """uvicorn keyword arguments: uvloop and httptools when installed (they are dependencies; the
    pure-Python asyncio loop and h11 parser remain as fallbacks), no access log unless asked, and
    explicit read limits: the request head (``header_timeout``, ``max_header_bytes``, see
    :mod:`policykg.api.serving`), idle keep-alive (``keep_alive_timeout``); the body deadline is the
    app's ``BodyTimeoutMiddleware``."""
    import importlib.util

    from policykg.api.serving import http_protocol

    return {
        "host": settings.host,
        "port": settings.port,
        "loop": "uvloop" if importlib.util.find_spec("uvloop") else "asyncio",
        "http": http_protocol(header_timeout=settings.header_timeout, max_header_bytes=settings.max_header_bytes, gate=gate),
        "timeout_keep_alive": settings.keep_alive_timeout,
        "h11_max_incomplete_event_size": settings.max_header_bytes,
        "access_log": settings.access_log,
        "log_level": "info" if settings.access_log else "warning",
    }


def check_port(host: str, port: int) -> None:
    """Bind ``host:port`` for a moment the way uvicorn will (``SO_REUSEADDR``), so a busy port is a clear error.

    :raises PortInUse: another program listens there, or the port needs privileges.
    """
    if port == 0:
        return
    try:
        family, kind, proto, _name, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    except socket.gaierror as exc:
        raise ValueError(f"待ち受けアドレス {host} を解決できません / cannot resolve --host {host}: {exc.strerror}") from None
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except PermissionError:
            raise PortInUse(host, port, "needs privileges") from None
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise PortInUse(host, port) from None
            raise


def run_serve(settings: Settings) -> None:
    """Open the existing store (or build the bundled graph in memory), then serve until interrupted.

    :raises PortInUse: the port is taken. :raises StoreNotFound: ``settings.store`` holds no store.
    """
    import uvicorn

    from policykg.api.app import create_app
    from policykg.api.routes.catalog import warm_up
    from policykg.api.deps import open_configured_store

    check_port(settings.host, settings.port)  # before the store is opened or built: fail in a second, not after
    if settings.store is None and not settings.sparql_endpoint:
        progress("同梱データからグラフを構築しています / building the bundled graph in memory")
    store = open_configured_store(settings)
    # Counting quads reads a whole on-disk store (3.5 s at 10M): only an in-memory build or a store server (whose
    # count is also the first proof that it answers) says how many.
    size = f"{len(store)} quads; " if settings.store is None else ""
    progress(f"{size}http://{settings.host}:{settings.port}/sparql")
    app = create_app(settings, store=store)
    warm_up(app)
    uvicorn.run(app, **server_options(settings, gate=app.state.sparql_gate))


@app.command("serve")
def serve(
    store: Annotated[Path | None, typer.Option("--store", help="保存済みストア（policykg build --store で作成） / on-disk store made by `policykg build --store` (unset: build the bundled graph)")] = None,
    host: Annotated[str | None, typer.Option("--host", help="待ち受けアドレス / listen address (default 127.0.0.1)")] = None,
    port: Annotated[int | None, typer.Option("--port", help="待ち受けポート / listen port (default 8000, or POLICYKG_PORT)")] = None,
    backend: Annotated[Backend | None, typer.Option("--backend", help="oxigraph（既定）または rdflib / store engine")] = None,
    token_env: Annotated[str | None, typer.Option("--token-env", help="更新用トークンを持つ環境変数名 / environment variable holding the SPARQL Update token")] = None,
    timeout: Annotated[float | None, typer.Option("--timeout", help="問い合わせの制限時間（秒） / SPARQL query time limit in seconds")] = None,
    workers: Annotated[int | None, typer.Option("--workers", help="問い合わせワーカー数 / query worker processes")] = None,
    access_log: Annotated[bool | None, typer.Option("--access-log/--no-access-log", help="アクセスログ / log every request")] = None,
    sparql_endpoint: SparqlEndpointOption = None,
    update_endpoint: UpdateEndpointOption = None,
    graph_store: GraphStoreOption = None,
) -> None:
    """サーバーを起動 / serve the JSON API, pages and the SPARQL endpoint."""
    with cli_errors():
        settings = build_settings(
            token_env=token_env, store=store, host=host, port=port, backend=backend,
            query_timeout=timeout, query_workers=workers, access_log=access_log,
            sparql_endpoint=sparql_endpoint, update_endpoint=update_endpoint, graph_store=graph_store,
        )
        run_serve(settings)
