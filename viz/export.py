"""Export the network as one self-contained HTML file that works offline (file://, no server, no CDN)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from policykg.graph.jurisdictions import jurisdiction_scope
from policykg.viz.cluster import check_ungrouped
from policykg.graph.store import Store
from policykg.viz.filters import VizFilter, apply_filters
from policykg.viz.layout import Layout
from policykg.viz.model import build_network
from policykg.viz.render import render_page


@dataclass(frozen=True)
class ExportSummary:
    """What was written, for the CLI to report."""

    path: Path
    nodes: int
    edges: int
    bytes: int
    focus: str | None


def export_html(store: Store, out: str | Path, *, viz_filter: VizFilter | None = None,
                layout: Layout = Layout.hierarchical, lang: str = "ja", base_url: str = "") -> ExportSummary:
    """Filter the store's network and write it to ``out`` as a single HTML file.

    ``base_url`` (e.g. ``http://127.0.0.1:8000``) makes the panel's entity/trace links point at a
    running server; without it they are site-relative and only work when the file is served.

    :raises LabelNotFound, AmbiguousLabel: a plan, area or focus term that names no node / several.
    :raises EntityNotFound: no loaded plan of the filter's jurisdiction.
    :raises ParameterError: more nodes than a page draws one by one (:data:`~policykg.viz.cluster.MAX_UNGROUPED`).
    :raises OSError: ``out`` cannot be written.
    """
    viz_filter = viz_filter or VizFilter()
    if viz_filter.jurisdiction:
        store = jurisdiction_scope(store, viz_filter.jurisdiction)
    model = apply_filters(build_network(store, base_url=base_url), viz_filter)
    check_ungrouped(model)  # an offline file cannot fetch a group's members: a national graph is narrowed first
    page = render_page(model, lang=lang, layout=layout)
    path = Path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = page.html.encode("utf-8")
    path.write_bytes(data)
    return ExportSummary(path=path, nodes=len(model["nodes"]), edges=len(model["edges"]), bytes=len(data),
                         focus=model.get("focus"))


__all__ = ["export_html", "ExportSummary"]
