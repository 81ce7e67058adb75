"""Console script ``policykg``. Command modules are thin: each calls an importable ``run_*`` function."""

from __future__ import annotations

from policykg.cli.app import app
from policykg.cli import (  # noqa: F401  (importing registers the commands)
    graph_commands,
    align_commands,
    gaps_commands,
    serve_command,
    viz_command,
    workbook_commands,
)


def main() -> None:
    app()


__all__ = ["app", "main"]
