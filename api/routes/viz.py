"""The interactive network: ``GET /viz`` (self-contained HTML page), its JSON twin ``GET /viz.json``,
and ``GET /viz/cluster`` (one group's members, for a grouped page).

Filtering happens on the server (viz/filters.py), so large graphs reach the browser already cut
down. Above :data:`policykg.viz.cluster.CLUSTER_THRESHOLD` nodes the page draws groups (by jurisdiction,
or by area within one jurisdiction) and fetches a group's members when the planner expands it.
Models and pages are cached per ``store.generation``: an update shows on the next view.
"""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse

from policykg.api.answers import AnswerCache
from policykg.api.deps import settings_dependency, store_dependency
from policykg.api.settings import Settings
from policykg.graph.store import Store
from policykg.graph.jurisdictions import jurisdictions
from policykg.viz.cluster import (
    MAX_MEMBERS,
    Grouping,
    check_group,
    check_ungrouped,
    choose_mode,
    cluster_model,
    group_filter_params,
    group_members,
    grouping,
    should_cluster,
)
from policykg.viz.filters import MAX_HOPS, VizFilter, apply_filters, filter_params, make_filter
from policykg.viz.layout import Layout
from policykg.graph.jurisdictions import ScopedStore, resolve_jurisdiction
from policykg.viz.model import build_network
from policykg.viz.render import render_page
from policykg.viz.ui_text import LANGS, Lang

router = APIRouter(tags=["viz"])


def _url(path: str, params: dict[str, object]) -> str:
    clean = {k: v for k, v in params.items() if v is not None}
    return f"{path}?{urlencode(clean)}" if clean else path


VIZ_CACHE_SIZE = 32
"""Network models, filtered models and rendered pages kept for the current store generation."""


def _cache(request: Request) -> AnswerCache:
    state = request.app.state
    if not hasattr(state, "viz_cache"):
        state.viz_cache = AnswerCache(size=VIZ_CACHE_SIZE)
    return state.viz_cache


def viz_filter(
    focus: str | None = Query(None, description="Label (ja/en), id or IRI of the node to centre on."),
    hops: int = Query(2, ge=0, le=MAX_HOPS, description="Neighbourhood radius around focus."),
    plan: list[str] = Query([], description="Plan label, id or IRI (repeat or comma-separate)."),
    area: list[str] = Query([], description="Area label, id or IRI (repeat or comma-separate)."),
    kind: list[str] = Query([], description="Node kinds: plan, pillar_group, pillar, national_item, area, direction, measure, indicator, phase."),
    evidence: list[str] = Query([], description="Alignment evidence: stated, curated, inferred."),
    min_score: float | None = Query(None, ge=0, le=1, description="Drop inferred alignments scoring below this."),
    jurisdiction: str | None = Query(None, description="One jurisdiction's plan with the national side (key or name)."),
) -> VizFilter:
    return make_filter(plans=plan, areas=area, kinds=kind, evidence=evidence, min_score=min_score, focus=focus, hops=hops,
                       jurisdiction=jurisdiction)


def _filtered_model(request: Request, store: Store, f: VizFilter) -> dict:
    cache = _cache(request)
    generation = store.generation
    key = resolve_jurisdiction(store, f.jurisdiction) if f.jurisdiction else None
    full = cache.get_or_build(generation, ("model", key),
                              lambda: build_network(ScopedStore(store, key) if key else store))
    return cache.get_or_build(generation, ("filtered", f), lambda: apply_filters(full, f))


def _jurisdiction_names(request: Request, store: Store) -> dict[str, dict[str, str]]:
    """``{key: {"ja": name, "en": name}}`` of the loaded local plans (cached per generation)."""
    def build() -> dict[str, dict[str, str]]:
        ja, en = jurisdictions(store, "ja"), jurisdictions(store, "en")
        return {key: {"ja": name, "en": en.get(key, name)} for key, name in ja.items()}

    return _cache(request).get_or_build(store.generation, ("jurisdiction-names",), build)


def _grouping(request: Request, store: Store, f: VizFilter, model: dict) -> Grouping:
    return grouping(choose_mode(model, f), _jurisdiction_names(request, store))


def _drawn(request: Request, store: Store, f: VizFilter, grouped: bool | None) -> tuple[dict, dict | None]:
    """(the filtered model, its grouped overview or ``None``): what /viz draws and /viz.json sends. Groups when
    asked to, or by default above the threshold unless one group would hold everything; every node only up to
    :data:`~policykg.viz.cluster.MAX_UNGROUPED`.

    :raises ParameterError: every node asked for (or one group) above that many nodes.
    """
    model = _filtered_model(request, store, f)
    overview = _grouped_model(request, store, f) if should_cluster(model, grouped) else None
    if overview is not None and (grouped or len(overview["nodes"]) > 1):
        return model, overview
    check_ungrouped(model)
    return model, None


def _twin_params(f: VizFilter, grouped: bool | None) -> dict[str, object]:
    """The filter and the grouping as query parameters, so /viz and /viz.json link to what the other shows."""
    return {**filter_params(f), "grouped": None if grouped is None else str(grouped).lower()}


def _grouped_model(request: Request, store: Store, f: VizFilter) -> dict:
    """The grouped overview of the filtered model, each group linking to /viz for that group alone."""
    model = _filtered_model(request, store, f)

    def build() -> dict:
        grouped = cluster_model(model, _grouping(request, store, f, model))
        for node in grouped["nodes"]:
            node["detail"] = None if node["key"] == "other" else _url("/viz", group_filter_params(node["key"], f))
        return grouped

    return _cache(request).get_or_build(store.generation, ("grouped", f), build)


@router.get("/viz", response_class=HTMLResponse, summary="ネットワーク図 / interactive network (HTML)")
def viz_page(
    request: Request,
    f: VizFilter = Depends(viz_filter),
    layout: Layout = Query(Layout.hierarchical, description="hierarchical (national left, local right) or force."),
    lang: Lang | None = Query(None, description="Page language (ja or en); the page can switch."),
    grouped: bool | None = Query(None, description="Draw groups (true) or every node (false); by default groups "
                                 "above 2,000 nodes."),
    store: Store = Depends(store_dependency),
    settings: Settings = Depends(settings_dependency),
) -> HTMLResponse:
    language = lang.value if lang else settings.default_lang
    if language not in LANGS:
        language = "ja"
    model, overview = _drawn(request, store, f, grouped)
    json_url = _url("/viz.json", _twin_params(f, grouped))
    if overview is not None:
        group_url = _url("/viz/cluster", filter_params(f))
        page = _cache(request).get_or_build(
            store.generation, ("grouped-page", f, grouped, layout, language),
            lambda: render_page(overview, lang=language, layout=layout, json_url=json_url, group_url=group_url),
        )
    else:
        page = _cache(request).get_or_build(
            store.generation, ("page", f, grouped, layout, language),
            lambda: render_page(model, lang=language, layout=layout, json_url=json_url),
        )
    headers = {
        "Content-Security-Policy": page.csp + "; frame-ancestors 'none'",  # nosniff etc.: SecurityHeadersMiddleware
        "Link": f'<{json_url}>; rel="alternate"; type="application/json"',
    }
    return HTMLResponse(page.html, headers=headers)


@router.get("/viz.json", summary="ネットワーク図のデータ / the network as JSON (nodes, edges, legend)")
def viz_json(
    request: Request,
    f: VizFilter = Depends(viz_filter),
    grouped: bool | None = Query(None, description="Groups (true) or every node (false, at most 25,000); by default "
                                 "groups above 2,000 nodes, as /viz draws them."),
    store: Store = Depends(store_dependency),
) -> JSONResponse:
    model, overview = _drawn(request, store, f, grouped)
    drawn = overview if overview is not None else model
    body = {
        "ok": True,
        "generation": store.generation,
        "filters": {k: v for k, v in filter_params(f).items() if v is not None},
        "focus": model.get("focus"),
        "counts": {"nodes": len(drawn["nodes"]), "edges": len(drawn["edges"])},
        "nodes": drawn["nodes"],
        "edges": drawn["edges"],
        "legend": drawn["legend"],
        # as the page embeds it: the mode, the nodes and edges the groups hold, where a group's members are
        "grouped": None if overview is None else {**overview["grouped"], "url": _url("/viz/cluster", filter_params(f))},
    }
    return JSONResponse(body, headers={"Link": f'<{_url("/viz", _twin_params(f, grouped))}>; rel="alternate"; type="text/html"'})


@router.get("/viz/cluster", summary="まとまりの中身 / one group's members (JSON, bounded)")
def viz_cluster(
    request: Request,
    group: str | None = Query(None, description="The group to expand, as a grouped /viz page names it."),
    limit: int = Query(MAX_MEMBERS, ge=1, le=MAX_MEMBERS, description="At most this many members."),
    f: VizFilter = Depends(viz_filter),
    store: Store = Depends(store_dependency),
) -> JSONResponse:
    key = check_group(group)
    model = _filtered_model(request, store, f)
    g = _grouping(request, store, f, model)
    answer = _cache(request).get_or_build(store.generation, ("members", f, key, limit),
                                          lambda: group_members(model, g, key, limit=limit))
    body = {"ok": True, "generation": store.generation,
            "filters": {k: v for k, v in filter_params(f).items() if v is not None}, **answer}
    return JSONResponse(body)
