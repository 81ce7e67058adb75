"""The planner's pages beyond the catalog: the gaps dashboard (``/gaps``, CSV and Excel), the JSON
twins and CSV downloads of the measure, national item and indicator panels, indicator progress
(``/api/progress``) and the CSV of every list page.

The gaps dashboard serves the same document as ``GET /api/gaps`` and ``policykg gaps --json``
(:func:`policykg.graph.analysis.gaps.build_gaps`), kept per store generation and as-of date.
"""

from __future__ import annotations

import io
from datetime import date

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from policykg import urls
from policykg.api.answers import answer_cache, cached, cached_json
from policykg.api.catalog import planner, progress_view, tables
from policykg.api.catalog import search as search_mod
from policykg.api.catalog.labels import label_index
from policykg.api.deps import get_store
from policykg.api.errors import error_response
from policykg.api.catalog import jurisdictions as juris_mod
from policykg.api.routes.catalog import ERRORS, catalog_list, jurisdiction_param, known_jurisdictions, lang_param
from policykg.api.routes.pages import gaps_doc, jurisdiction_choice, render, suggestions
from policykg.graph.analysis.gaps import GAP_LISTS, parse_as_of
from policykg.labels import LOCAL_KINDS, NATIONAL_KINDS
from policykg.graph.analysis.trace import projection
from policykg.namespaces import PK
from policykg.report.excel import build_workbook
from policykg.report.html import detail_text, entity_href, entity_label
from policykg.words import SECTIONS, STATUS

router = APIRouter()

AS_OF = Query(None, max_length=10, description="基準日 YYYY-MM-DD（既定は今日） / as-of date, default today")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEAT_LEVELS = 5


def _bad_as_of(exc: ValueError) -> Response:
    return error_response(422, f"基準日が不正です / {exc}", [{"loc": ["query", "as_of"], "msg": str(exc)}])


def _csv(body: bytes, filename: str) -> Response:
    return Response(body, media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def heat_level(count: int, maximum: int) -> int:
    """The heat-map class of a cell: 0 for none, else 1..5 by share of the largest count.

    >>> heat_level(0, 8), heat_level(1, 8), heat_level(8, 8)
    (0, 1, 5)
    """
    if count <= 0 or maximum <= 0:
        return 0
    return max(1, min(HEAT_LEVELS, round(HEAT_LEVELS * count / maximum)))


def gaps_view(doc: dict, lang: str, jurisdiction: str | None = None) -> dict:
    """The dashboard's layout of a gaps document: heat-map cells, sections with links and counts."""
    matrix = doc["coverage_matrix"]
    maximum = max((c for row in matrix["counts"] for c in row), default=0)
    coverage = {
        "columns": [{"label": entity_label(c, lang), "url": urls.entity_url(c["iri"], lang)} for c in matrix["columns"]],
        "rows": [{"label": entity_label(r, lang), "url": urls.entity_url(r["iri"], lang),
                  "cells": [{"count": c, "level": heat_level(c, maximum)} for c in counts],
                  "total": sum(counts)}
                 for r, counts in zip(matrix["rows"], matrix["counts"])],
    }
    sections = []
    for key in GAP_LISTS:
        entries = []
        for item in doc[key]:
            entries.append({"label": entity_label(item, lang),
                            "url": urls.entity_url(item["iri"], lang) if entity_href(item.get("iri"), "") else None,
                            "detail": detail_text(key, item)})
        sections.append({"key": key, "title": SECTIONS[key].get(lang, SECTIONS[key]["ja"]), "entries": entries,
                         "csv": urls.gaps_download_url(key, lang, as_of=doc["as_of"], jurisdiction=jurisdiction)})
    return {"coverage": coverage, "sections": sections}


@router.get("/gaps", response_class=HTMLResponse, include_in_schema=False)
def gaps_page(request: Request, as_of: str | None = AS_OF, lang: str = Depends(lang_param),
              jurisdiction: str | None = Depends(jurisdiction_param)) -> Response:
    try:
        day = parse_as_of(as_of)
    except ValueError as exc:
        return _bad_as_of(exc)
    doc = gaps_doc(request, day, jurisdiction)
    progress = progress_page_data(request, day, lang, jurisdiction)
    j = jurisdiction
    return render(request, "gaps.html", lang, urls.api_url("gaps", lang, as_of=doc["as_of"], jurisdiction=j), doc=doc,
                  view=gaps_view(doc, lang, j), progress=progress,
                  xlsx=urls.gaps_download_url("xlsx", lang, as_of=doc["as_of"], jurisdiction=j),
                  coverage_csv=urls.gaps_download_url("coverage", lang, as_of=doc["as_of"], jurisdiction=j),
                  status_csv=urls.gaps_download_url("indicator_status", lang, as_of=doc["as_of"], jurisdiction=j),
                  juris=jurisdiction_choice(request, lang, j, as_of=as_of))


@router.get("/gaps.xlsx", include_in_schema=False)
def gaps_excel(request: Request, as_of: str | None = AS_OF, lang: str = Depends(lang_param),
               jurisdiction: str | None = Depends(jurisdiction_param)) -> Response:
    """The report workbook (same as ``policykg report``'s ``report.xlsx``) for the as-of date."""
    try:
        day = parse_as_of(as_of)
    except ValueError as exc:
        return _bad_as_of(exc)
    def build() -> bytes:
        out = io.BytesIO()
        build_workbook(gaps_doc(request, day, jurisdiction), lang=lang).save(out)
        return out.getvalue()

    body = answer_cache(request).get_or_build(get_store(request).generation, ("gaps-xlsx", day.isoformat(), lang, jurisdiction), build)
    return Response(body, media_type=XLSX,
                    headers={"Content-Disposition": f'attachment; filename="policykg-gaps-{day.isoformat()}.xlsx"'})


@router.get("/gaps/{part}.csv", include_in_schema=False)
def gaps_csv(request: Request, part: str = Path(..., max_length=60), as_of: str | None = AS_OF,
             lang: str = Depends(lang_param), jurisdiction: str | None = Depends(jurisdiction_param)) -> Response:
    """One gap list, the coverage matrix or the indicator statuses as CSV."""
    try:
        day = parse_as_of(as_of)
    except ValueError as exc:
        return _bad_as_of(exc)
    doc = gaps_doc(request, day, jurisdiction)
    if part == "coverage":
        matrix = doc["coverage_matrix"]
        columns = ["pillar", "pillar_iri", *[entity_label(c, lang) for c in matrix["columns"]]]
        rows = [{"pillar": entity_label(r, lang), "pillar_iri": r["iri"],
                 **{entity_label(c, lang): n for c, n in zip(matrix["columns"], counts)}}
                for r, counts in zip(matrix["rows"], matrix["counts"])]
    elif part == "indicator_status":
        columns = ["label", "iri", "unit", "status", "status_text", "baseline", "baseline_date", "latest", "latest_date",
                   "target", "target_date", "ratio"]
        rows = [{"label": entity_label(r, lang), "iri": r["iri"], "unit": r["unit"], "status": r["status"],
                 "status_text": STATUS[r["status"]].get(lang, STATUS[r["status"]]["ja"]),
                 "baseline": (r["baseline"] or {}).get("value"), "baseline_date": (r["baseline"] or {}).get("date"),
                 "latest": (r["latest"] or {}).get("value"), "latest_date": (r["latest"] or {}).get("date"),
                 "target": (r["target"] or {}).get("value"), "target_date": (r["target"] or {}).get("date"),
                 "ratio": r["ratio"]} for r in doc["indicator_status"]]
    elif part in GAP_LISTS:
        columns = ["label", "iri", "detail"]
        rows = [{"label": entity_label(item, lang), "iri": item["iri"], "detail": detail_text(part, item)} for item in doc[part]]
    else:
        choices = ", ".join(("coverage", "indicator_status", *GAP_LISTS))
        return error_response(404, f"そのような一覧はありません / no gap list {part!r}; choose one of {choices}")
    return _csv(tables.to_csv(rows, columns), f"policykg-{part}-{day.isoformat()}.csv")


def _resolve(request: Request, ident: str, kinds) -> object:
    """The IRI for an id of the given kinds (404 through the error table otherwise)."""
    return projection(get_store(request)).index.resolve_id(ident, kinds=kinds)


ID_PATH = Path(..., max_length=200, description="IRIの末尾 / last IRI segment")


@router.get("/api/measures/{id}/alignments", tags=["trace"], responses=ERRORS,
            summary="取組（または展開方針・ロードマップ区分）が支える国の政策（根拠・出典付き） / national items a measure (or direction, roadmap row) supports, with evidence")
async def measure_alignments(request: Request, id: str = ID_PATH, lang: str = Depends(lang_param)) -> Response:
    def build() -> dict:
        iri = _resolve(request, id, LOCAL_KINDS)
        is_measure = label_index(get_store(request)).has_type(iri, PK.Measure)
        return planner.measure_support(get_store(request), iri, lang,
                                       suggestions=suggestions(request, lang) if is_measure else None)

    return await cached_json(request, ("alignments", id, lang), build)


@router.get("/api/measures/{id}/alignments.csv", include_in_schema=False)
async def measure_alignments_csv(request: Request, id: str = ID_PATH, lang: str = Depends(lang_param)) -> Response:
    view = await cached(request, ("alignments-view", id, lang), lambda: planner.measure_support(
        get_store(request), _resolve(request, id, LOCAL_KINDS), lang))
    columns = ["measure", "national_item", "national_iri", "relation", "evidence", "score", "rationale", "curator",
               "date", "source", "source_row", "chain", "plan", "law", "agency"]
    return _csv(tables.to_csv(planner.support_rows(view, lang), columns), f"policykg-alignments-{id}.csv")


@router.get("/api/national-items/{id}/supporting-measures", tags=["trace"], responses=ERRORS,
            summary="国の項目を支える地方の取組（自治体・分野別） / local measures supporting a national item, by jurisdiction and area")
async def supporting_measures(request: Request, id: str = ID_PATH, lang: str = Depends(lang_param)) -> Response:
    def build() -> dict:
        return planner.national_support(get_store(request), _resolve(request, id, NATIONAL_KINDS), lang)

    return await cached_json(request, ("supporting", id, lang), build)


@router.get("/api/national-items/{id}/supporting-measures.csv", include_in_schema=False)
async def supporting_measures_csv(request: Request, id: str = ID_PATH, lang: str = Depends(lang_param)) -> Response:
    view = await cached(request, ("supporting-view", id, lang), lambda: planner.national_support(
        get_store(request), _resolve(request, id, NATIONAL_KINDS), lang))
    columns = ["national_item", "jurisdiction", "area", "measure", "measure_iri", "via", "relation", "evidence",
               "rationale", "curator", "date", "source"]
    return _csv(tables.to_csv(planner.supporter_rows(view, lang), columns), f"policykg-supporting-{id}.csv")


def progress_page_data(request: Request, day: date, lang: str, jurisdiction: str | None = None) -> dict:
    store = get_store(request)
    key = ("progress", day.isoformat(), lang) + ((jurisdiction,) if jurisdiction else ())
    return answer_cache(request).get_or_build(store.generation, key, lambda: progress_view.progress_list(
        store, as_of=day, lang=lang, indicators=catalog_list(request, "indicators", lang, jurisdiction)))


@router.get("/api/progress", tags=["gaps"], responses=ERRORS,
            summary="指標の進捗（最新値・状況・傾向） / indicator progress: latest value, status, trend")
async def progress_json(request: Request, as_of: str | None = AS_OF, lang: str = Depends(lang_param),
                        jurisdiction: str | None = Depends(jurisdiction_param)) -> Response:
    try:
        day = parse_as_of(as_of)
    except ValueError as exc:
        return _bad_as_of(exc)
    return await cached_json(request, ("progress", day.isoformat(), lang, jurisdiction),
                             lambda: progress_page_data(request, day, lang, jurisdiction))


@router.get("/api/progress/{id}", tags=["gaps"], responses=ERRORS,
            summary="一つの指標の進捗とグラフの数値 / one indicator's progress and chart data")
async def indicator_progress_json(request: Request, id: str = ID_PATH, as_of: str | None = AS_OF,
                                  lang: str = Depends(lang_param)) -> Response:
    try:
        day = parse_as_of(as_of)
    except ValueError as exc:
        return _bad_as_of(exc)

    def build() -> dict:
        iri = _resolve(request, id, {PK.NumericIndicator, PK.QualitativeIndicator})
        data = progress_view.indicator_progress(get_store(request), iri, as_of=day, lang=lang)
        return data if data is not None else {"iri": str(iri), "status": None, "numeric": False}

    return await cached_json(request, ("progress-one", id, day.isoformat(), lang), build)


@router.get("/indicators.csv", include_in_schema=False)
async def indicators_csv(request: Request, as_of: str | None = AS_OF, lang: str = Depends(lang_param),
                         jurisdiction: str | None = Depends(jurisdiction_param)) -> Response:
    try:
        day = parse_as_of(as_of)
    except ValueError as exc:
        return _bad_as_of(exc)
    data = await run_in_threadpool(progress_page_data, request, day, lang, jurisdiction)
    rows = [{"label": r["label"], "iri": r["iri"], "unit": r["unit"], "status": r["status_text"],
             "latest": (r["latest"] or {}).get("value"), "latest_date": (r["latest"] or {}).get("date"),
             "baseline": (r["baseline"] or {}).get("value"), "baseline_date": (r["baseline"] or {}).get("date"),
             "target": (r["target"] or {}).get("value"), "target_date": (r["target"] or {}).get("date"),
             "trend": r["trend_text"], "ratio": r["ratio"], "evaluates": "、".join(e["label"] for e in r["evaluates"])}
            for r in data["indicators"]]
    rows += [{"label": q["label"], "iri": q["iri"], "status": q["promotion_goal"],
              "evaluates": "、".join(e["label"] for e in q["evaluates"])} for q in data["qualitative"]]
    columns = ["label", "iri", "unit", "status", "latest", "latest_date", "baseline", "baseline_date", "target",
               "target_date", "trend", "ratio", "evaluates"]
    return _csv(tables.to_csv(rows, columns), f"policykg-indicators-{day.isoformat()}.csv")


def _list_csv(name: str):
    async def endpoint(request: Request, lang: str = Depends(lang_param),
                       jurisdiction: str | None = Depends(jurisdiction_param)) -> Response:
        items = await run_in_threadpool(catalog_list, request, name, lang, jurisdiction)
        rows, columns = tables.list_rows(name, items)
        return _csv(tables.to_csv(rows, columns), f"policykg-{name}.csv")

    return endpoint


for _name in ("measures", "national_items", "directions", "areas"):
    router.add_api_route(urls.PAGES[_name] + ".csv", _list_csv(_name), methods=["GET"], include_in_schema=False)


def item_jurisdictions(request: Request, lang: str) -> list[dict]:
    """Per supported national item, what each jurisdiction does for it (cached per store generation)."""
    store = get_store(request)
    return answer_cache(request).get_or_build(store.generation, ("item-jurisdictions", lang), lambda: juris_mod.item_jurisdictions(
        store, lang, known_jurisdictions(request.app.state, lang)))


@router.get("/api/national-items/jurisdictions", tags=["trace"], responses=ERRORS,
            summary="国の項目を支える自治体と施策の数 / per national item, the jurisdictions supporting it and how many measures")
async def national_item_jurisdictions_json(request: Request, lang: str = Depends(lang_param)) -> Response:
    """定型クエリ national-item-jurisdictions を項目ごとにまとめたもの（推定は数えない）/ the canned query
    ``national-item-jurisdictions`` grouped per item: stated and curated alignments, rolled up from sub-items."""
    return await cached_json(request, ("item-jurisdictions-json", lang), lambda: {
        "lang": lang, "jurisdictions": [{"key": k, "label": v} for k, v in known_jurisdictions(request.app.state, lang).items()],
        "items": item_jurisdictions(request, lang)})


@router.get("/national-items/jurisdictions.csv", include_in_schema=False)
async def national_item_jurisdictions_csv(request: Request, lang: str = Depends(lang_param)) -> Response:
    items = await run_in_threadpool(item_jurisdictions, request, lang)
    rows, columns = juris_mod.item_rows(items)
    return _csv(tables.to_csv(rows, columns), "policykg-national-item-jurisdictions.csv")


@router.get("/national-items/jurisdictions", response_class=HTMLResponse, include_in_schema=False)
def national_item_jurisdictions_page(request: Request, lang: str = Depends(lang_param)) -> Response:
    """Planners learn from peers: per national item, the jurisdictions whose measures support it."""
    keys = known_jurisdictions(request.app.state, lang)
    return render(request, "national_item_jurisdictions.html", lang,
                  urls.with_query("/api/national-items/jurisdictions", {"lang": urls.lang_param_value(lang)}),
                  items=item_jurisdictions(request, lang), keys=list(keys.items()),
                  csv=urls.with_query("/national-items/jurisdictions.csv", {"lang": urls.lang_param_value(lang)}))


@router.get("/search.csv", include_in_schema=False)
async def search_csv(request: Request, q: str = Query("", max_length=200), lang: str = Depends(lang_param)) -> Response:
    hits = await run_in_threadpool(search_mod.search, get_store(request), q, lang) if q.strip() else []
    rows, columns = tables.list_rows("search", hits)
    return _csv(tables.to_csv(rows, columns), "policykg-search.csv")


@router.get("/favicon.ico", include_in_schema=False)
def favicon() -> Response:
    """The site icon for browsers that ask for /favicon.ico (pages link the SVG in /static)."""
    from importlib import resources

    body = resources.files("policykg.api").joinpath("static", "favicon.svg").read_bytes()
    return Response(body, media_type="image/svg+xml", headers={"Cache-Control": "public, max-age=86400"})
