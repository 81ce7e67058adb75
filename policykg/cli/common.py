"""What every command shares: ``--store`` / ``--backend`` options, opening the store, progress, exit codes.

Exit codes (documented in ``policykg --help``): 0 ok, 1 validation failed, 2 input or runtime error.
Errors are one line on stderr, ``policykg: error: <file>:<line>: <message>``, so scripts and
planners can find the spot; a validation failure prints the readable report instead.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer

from policykg.errors import PolicyKGError, ValidationFailed
from policykg.graph.store import Store

EXIT_OK = 0
EXIT_VALIDATION = 1
EXIT_ERROR = 2

StoreOption = Annotated[
    Path | None,
    typer.Option(
        "--store",
        help="保存済みストアのディレクトリ / directory of an on-disk Oxigraph store (unset: build the bundled graph in memory)",
        file_okay=False,
    ),
]
BackendOption = Annotated[
    str,
    typer.Option("--backend", help="oxigraph（既定・高速）または rdflib / store engine: oxigraph (default) or rdflib"),
]


def progress(message: str) -> None:
    """Progress for long work goes to stderr, so stdout stays clean for results."""
    print(f"policykg: {message}", file=sys.stderr, flush=True)


def error_line(exc: BaseException) -> str:
    """The one-line error for stderr. SourceError already reads ``file:line [field]: message``.

    >>> from policykg.errors import SourceError
    >>> error_line(SourceError("bad value", file="a.csv", line=3, field="value"))
    'policykg: error: a.csv:3 [value]: bad value'
    """
    text = str(exc).strip() or type(exc).__name__
    return f"policykg: error: {text.splitlines()[0] if isinstance(exc, SyntaxError) else text}"


@contextmanager
def cli_errors() -> Iterator[None]:
    """Turn library errors into the documented exit codes; library code never exits the process."""
    try:
        yield
    except ValidationFailed as exc:
        print(exc.report_text or str(exc), file=sys.stderr)
        print(f"policykg: validation failed: {exc.violations} violation(s)", file=sys.stderr)
        raise typer.Exit(EXIT_VALIDATION) from None
    except (PolicyKGError, SyntaxError, ValueError, OSError, ImportError) as exc:
        print(error_line(exc), file=sys.stderr)
        raise typer.Exit(EXIT_ERROR) from None


def open_store_for_cli(store_dir: Path | None, backend: str = "oxigraph", *, read_only: bool = False) -> Store:
    """The store a command works on: the on-disk store at ``store_dir``, else the bundled graph built in memory.

    A ``store_dir`` that holds nothing yet is built from the bundled sources first (same rule as the server).

    :raises ValueError: ``store_dir`` with the memory-only rdflib backend, or an unknown backend.
    """
    from policykg.build import build_store, open_or_build
    from policykg.graph.store import open_store

    if store_dir is None:
        # The bundled sources are validated by the test suite and by `policykg validate`; skipping SHACL
        # here keeps a one-off `policykg query` at a fraction of a second instead of two.
        progress("building the bundled graph in memory")
        return build_store(backend=backend, validate=False, progress=progress)
    if read_only and store_dir.is_dir() and any(store_dir.iterdir()):
        return open_store(store_dir, backend=backend, read_only=True)
    return open_or_build(store_dir, backend=backend)


__all__ = [
    "StoreOption", "BackendOption", "progress", "error_line", "cli_errors", "open_store_for_cli",
    "EXIT_OK", "EXIT_VALIDATION", "EXIT_ERROR",
]
