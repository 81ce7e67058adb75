"""What every command shares: ``--store`` / ``--backend`` options, opening the store, progress, exit codes.

Exit codes (documented in ``policykg --help``): 0 ok, 1 validation failed, 2 input or runtime error.
Errors are two lines on stderr, Japanese first (``policykg: エラー: …``), then English
(``policykg: error: <file>:<line>: <message>``), so scripts and planners can find the spot; a
validation failure prints the readable report instead. No command ends in a traceback.

``--store`` must name a store ``policykg build --store DIR`` made: no other command creates one.
Commands that only read open it read-only, so they work while a server holds it.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import click
import typer

from policykg.cli.messages import error_lines
from policykg.errors import ValidationFailed
from policykg.graph.store import Store

EXIT_OK = 0
EXIT_VALIDATION = 1
EXIT_ERROR = 2

StoreOption = Annotated[
    Path | None,
    typer.Option(
        "--store",
        help="保存済みストア（policykg build --store で作成） / directory of an on-disk store made by `policykg build --store` (unset: build the bundled graph in memory)",
    ),
]
BackendOption = Annotated[
    str,
    typer.Option("--backend", help="oxigraph（既定・高速）または rdflib / store engine: oxigraph (default) or rdflib"),
]

SparqlEndpointOption = Annotated[
    str | None,
    typer.Option("--sparql-endpoint", help="共有ストアサーバーの SPARQL エンドポイント / SPARQL 1.1 query endpoint of a shared store server (docs/deploy.md)"),
]
UpdateEndpointOption = Annotated[
    str | None,
    typer.Option("--update-endpoint", help="ストアサーバーの更新エンドポイント / its SPARQL 1.1 update endpoint (default: --sparql-endpoint)"),
]
GraphStoreOption = Annotated[
    str | None,
    typer.Option("--graph-store", help="ストアサーバーの Graph Store Protocol エンドポイント / its Graph Store Protocol endpoint (one PUT per named graph)"),
]


def progress(message: str) -> None:
    """Progress for long work goes to stderr, so stdout stays clean for results."""
    print(f"policykg: {message}", file=sys.stderr, flush=True)


def error_line(exc: BaseException) -> str:
    """The English error line for stderr. SourceError already reads ``file:line [field]: message``.

    >>> from policykg.errors import SourceError
    >>> error_line(SourceError("bad value", file="a.csv", line=3, field="value"))
    'policykg: error: a.csv:3 [value]: bad value'
    """
    return error_lines(exc)[1]


def print_error(exc: BaseException) -> None:
    """Both lines of the error (Japanese, then English) on stderr."""
    for line in error_lines(exc):
        print(line, file=sys.stderr)


@contextmanager
def cli_errors() -> Iterator[None]:
    """Turn every error into the documented exit codes and a ja/en message; library code never exits the process.

    Anything unexpected (an engine's runtime error, say) is still exit 2 with its type and message,
    never a traceback.
    """
    try:
        yield
    except (typer.Exit, typer.Abort, click.exceptions.ClickException):
        raise
    except ValidationFailed as exc:
        print(exc.report_text or str(exc), file=sys.stderr)
        print(f"policykg: 検証に失敗しました: 違反 {exc.violations} 件", file=sys.stderr)
        print(f"policykg: validation failed: {exc.violations} violation(s)", file=sys.stderr)
        raise typer.Exit(EXIT_VALIDATION) from None
    except Exception as exc:  # noqa: BLE001 — the CLI's last line: a message and exit 2, not a traceback
        print_error(exc)
        raise typer.Exit(EXIT_ERROR) from None


def open_store_for_cli(store_dir: Path | None, backend: str = "oxigraph", *, read_only: bool = False) -> Store:
    """The store a command works on: the existing on-disk store at ``store_dir``, else the bundled graph built in memory.

    ``read_only`` opens the on-disk store as a reader (works while a server holds it); only
    ``policykg build`` creates a store.

    :raises StoreNotFound: ``store_dir`` holds no store. :raises StoreInUse: writing while another process holds it.
    :raises ValueError: ``store_dir`` with the memory-only rdflib backend, or an unknown backend.
    """
    from policykg.graph.build import build_store, open_existing

    if store_dir is None:
        # The bundled sources are validated by the test suite and by `policykg validate`; skipping SHACL
        # here keeps a one-off `policykg query` at a fraction of a second instead of two.
        progress("building the bundled graph in memory")
        return build_store(backend=backend, validate=False, progress=progress)
    return open_existing(store_dir, backend=backend, read_only=read_only)


def remote_store_for_cli(store_dir: Path | None, sparql_endpoint: str | None, update_endpoint: str | None,
                         graph_store: str | None) -> Store | None:
    """The store server the options name (``--sparql-endpoint`` …), else ``None`` (a local store).

    :raises ValueError: ``--store`` together with ``--sparql-endpoint``, or endpoint options without it.
    """
    if sparql_endpoint is None:
        if update_endpoint or graph_store:
            raise ValueError("--update-endpoint / --graph-store には --sparql-endpoint が必要です / "
                             "--update-endpoint and --graph-store need --sparql-endpoint")
        return None
    if store_dir is not None:
        raise ValueError("--store と --sparql-endpoint は同時に指定できません / --store and --sparql-endpoint "
                         "cannot be used together: choose the embedded store or a store server")
    from policykg.graph.remote import RemoteStore

    return RemoteStore(sparql_endpoint, update_endpoint=update_endpoint, graph_store=graph_store)


__all__ = [
    "StoreOption", "BackendOption", "SparqlEndpointOption", "UpdateEndpointOption", "GraphStoreOption", "progress", "error_line", "print_error", "cli_errors", "open_store_for_cli", "remote_store_for_cli",
    "EXIT_OK", "EXIT_VALIDATION", "EXIT_ERROR",
]
