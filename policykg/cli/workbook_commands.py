"""``policykg template`` and ``policykg export --workbook``: the planner's workbook (docs/workbook.md).

Loading a workbook is ``policykg build --add plan.xlsx`` (the build command); these two write one.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rdflib import Graph

from policykg.cli.app import app
from policykg.cli.common import BackendOption, StoreOption, cli_errors, open_store_for_cli, progress

JurisdictionOption = Annotated[
    str | None,
    typer.Option("--jurisdiction", help="自治体（キー hokkaido または名前 北海道） / jurisdiction key or name"),
]


def _refuse_overwrite(out: Path, force: bool) -> None:
    from policykg.errors import SourceError

    if out.suffix.lower() != ".xlsx":
        raise SourceError("出力は .xlsx です / the output must be an .xlsx file", file=str(out), field="--out")
    if out.exists() and not force:
        raise SourceError("既にあります。上書きするなら --force / the file exists; use --force to overwrite",
                          file=str(out), field="--out")


def run_template(out: Path, *, force: bool = False) -> Path:
    """Write the blank template; national items for the dropdown come from the bundled sources."""
    from policykg.graph.build import default_sources, read_sources
    from policykg.loaders.workbook.template import national_item_labels, write_template

    _refuse_overwrite(out, force)
    merged = Graph()
    for graph in read_sources([p for p in default_sources() if p.suffix.lower() != ".csv"]).values():
        merged += graph
    return write_template(out, national=national_item_labels(merged))


def run_export(store, out: Path, *, jurisdiction: str | None = None, force: bool = False) -> Path:
    """Write the local plan of ``jurisdiction`` (the only one if unset) as a filled workbook."""
    from policykg.graph.pipeline import union_after
    from policykg.loaders.workbook.export import export_workbook

    _refuse_overwrite(out, force)
    return export_workbook(union_after(store, {}), out, jurisdiction=jurisdiction)


@app.command("template")
def template_command(
    out: Annotated[Path, typer.Option("--out", help="書き出す .xlsx / the .xlsx file to write", dir_okay=False)],
    force: Annotated[bool, typer.Option("--force", help="既にあれば上書き / overwrite an existing file")] = False,
) -> None:
    """計画ブックの雛形を書き出す / write a blank plan workbook (headers, dropdowns, instructions, examples)."""
    with cli_errors():
        progress(f"writing {out}")
        typer.echo(str(run_template(out, force=force)))


@app.command("export")
def export_command(
    workbook: Annotated[Path, typer.Option("--workbook", help="書き出す .xlsx / the .xlsx file to write", dir_okay=False)],
    jurisdiction: JurisdictionOption = None,
    force: Annotated[bool, typer.Option("--force", help="既にあれば上書き / overwrite an existing file")] = False,
    store: StoreOption = None,
    backend: BackendOption = "oxigraph",
) -> None:
    """読み込んだ計画を計画ブックに書き出す / write a loaded local plan as a filled workbook."""
    with cli_errors():
        target = open_store_for_cli(store, backend, read_only=True)
        progress(f"writing {workbook}")
        typer.echo(str(run_export(target, workbook, jurisdiction=jurisdiction, force=force)))


__all__ = ["run_template", "run_export"]
