"""The typer application every command module registers on."""

from __future__ import annotations

import typer

app = typer.Typer(
    name="policykg",
    help="政策整合ナレッジグラフ / policy alignment knowledge graph. Exit codes: 0 ok, 1 validation failed, 2 input or runtime error.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
align_app = typer.Typer(help="国の施策との対応付け / alignment of local measures to national items", no_args_is_help=True)
app.add_typer(align_app, name="align")
