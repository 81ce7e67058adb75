"""``policykg viz``: export the interactive network as one offline HTML file (thin: calls run_viz)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from policykg.cli.app import app
from policykg.cli.common import cli_errors
from policykg.viz.layout import Layout
from policykg.words import Lang

if TYPE_CHECKING:  # the network writer (networkx, templates) loads only when this command runs
    from policykg.viz.export import ExportSummary


def run_viz(*, out: Path, store_dir: Path | None = None, focus: str | None = None, hops: int = 2,
            areas: list[str] | None = None, plans: list[str] | None = None, kinds: list[str] | None = None,
            evidence: list[str] | None = None, min_score: float | None = None,
            layout: Layout = Layout.hierarchical, lang: str = "ja", base_url: str = "",
            jurisdiction: str | None = None) -> ExportSummary:
    """Open the store (read-only) or build the bundled graph, filter, and write ``out``.

    :raises SourceError: invalid filter values or sources; :raises LabelNotFound, AmbiguousLabel: bad focus/plan/area.
    :raises StoreNotFound: ``store_dir`` holds no store (nothing is created).
    """
    from policykg.viz.export import export_html
    from policykg.viz.filters import make_filter

    viz_filter = make_filter(plans=plans, areas=areas, kinds=kinds, evidence=evidence, min_score=min_score,
                             focus=focus, hops=hops, jurisdiction=jurisdiction)
    if store_dir is not None:
        from policykg.graph.build import open_existing

        store = open_existing(store_dir, read_only=True)
    else:
        from policykg.graph.build import build_store

        store = build_store()
    return export_html(store, out, viz_filter=viz_filter, layout=layout, lang=lang, base_url=base_url)


@app.command("viz")
def viz(
    out: Path = typer.Option(..., "--out", help="HTML file to write (one self-contained file, works offline)."),
    store: Path | None = typer.Option(None, "--store", help="Directory of a built store; default: build the bundled graph."),
    focus: str | None = typer.Option(None, "--focus", help="Label (ja/en), id or IRI of the node to centre on."),
    hops: int = typer.Option(2, "--hops", help="Neighbourhood radius around --focus (0-6)."),
    area: list[str] = typer.Option([], "--area", help="Area label, id or IRI (repeatable)."),
    plan: list[str] = typer.Option([], "--plan", help="Plan label, id or IRI (repeatable)."),
    kind: list[str] = typer.Option([], "--kind", help="Node kind (repeatable): plan, pillar_group, pillar, national_item, area, direction, measure, indicator, phase."),
    evidence: list[str] = typer.Option([], "--evidence", help="Alignment evidence (repeatable): stated, curated, inferred."),
    min_score: float | None = typer.Option(None, "--min-score", help="Drop inferred alignments scoring below this (0-1)."),
    layout: Layout = typer.Option(Layout.hierarchical, "--layout", help="hierarchical (national left, local right) or force."),
    lang: Lang = typer.Option(Lang.ja, "--lang", help="Initial page language (the page can switch)."),
    base_url: str = typer.Option("", "--base-url", help="Server the panel links point at, e.g. http://127.0.0.1:8000."),
    jurisdiction: str | None = typer.Option(None, "--jurisdiction", help="この自治体の計画だけ（キーか名前） / one jurisdiction's plan with the national side (key or name)."),
) -> None:
    """ネットワーク図をHTMLファイルに書き出す / export the interactive network as one offline HTML file.

    Exit codes: 0 written, 2 bad input (unknown kind, label not found...) or runtime error.
    """
    with cli_errors():
        summary = run_viz(out=out, store_dir=store, focus=focus, hops=hops, areas=area, plans=plan, kinds=kind,
                          evidence=evidence, min_score=min_score, layout=layout, lang=lang.value, base_url=base_url,
                          jurisdiction=jurisdiction)
    typer.echo(f"wrote {summary.path} ({summary.nodes} nodes, {summary.edges} edges, {summary.bytes:,} bytes)")
