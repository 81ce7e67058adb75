"""The JSON API over the catalog functions (``policykg.api.catalog``): lists, one measure,
search, canned queries and an overview. Every list pages with ``limit``/``offset``; ``?lang=``
picks the label language (ja default, ja fallback). Errors use the one error shape.
"""

from __future__ import annotations

from enum import Enum

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import JSONResponse

from policykg.api.catalog import areas, canned, indicators, measures, national, overview, search
from policykg.api.catalog import models as m
from policykg.api.catalog.sparql import page
from policykg.api.deps import get_settings, get_store
from policykg.graph.results import to_json_object
from policykg.graph.store import Store

router = APIRouter(tags=["catalog"])

MAX_LIMIT = 1000
MAX_OFFSET = 100_000

ERRORS = {
    400: {"model": m.ErrorBody, "description": "不正なパラメータ / bad parameter"},
    404: {"model": m.ErrorBody, "description": "見つかりません / not found"},
    422: {"model": m.ErrorBody, "description": "入力検証エラー / invalid input"},
}


class Lang(str, Enum):
    ja = "ja"
    en = "en"


def lang_param(
    request: Request,
    lang: Lang | None = Query(None, description="ラベルの言語 (既定 ja、英語がなければ日本語) / label language (default ja; ja when no en)"),
) -> str:
    """The requested language, else the server's default language."""
    if lang is not None:
        return lang.value
    default = get_settings(request).default_lang
    return default if default in ("ja", "en") else "ja"


class Paging:
    """``limit`` and ``offset`` with bounds, shared by every list endpoint."""

    def __init__(
        self,
        limit: int = Query(100, ge=1, le=MAX_LIMIT, description=f"最大件数 (1–{MAX_LIMIT}) / page size"),
        offset: int = Query(0, ge=0, le=MAX_OFFSET, description="開始位置 / items to skip"),
    ) -> None:
        self.limit = limit
        self.offset = offset

    def __call__(self, items: list, lang: str) -> dict:
        return {**page(items, self.limit, self.offset), "lang": lang}


@router.get("/api/overview", response_model=m.Overview, responses=ERRORS,
            summary="収録内容の概要 / what the graph holds")
def get_overview(store: Store = Depends(get_store), lang: str = Depends(lang_param)) -> dict:
    """種類ごとの件数・トリプル数・名前付きグラフ / counts per kind, triples and named graphs."""
    return overview.overview(store, lang)


@router.get("/api/areas", response_model=m.AreaPage, responses=ERRORS, summary="分野 / policy areas")
def get_areas(store: Store = Depends(get_store), lang: str = Depends(lang_param), paging: Paging = Depends()) -> dict:
    """分野（計画順）と各分野の施策の展開方針 / areas in plan order with their directions."""
    return paging(areas.list_areas(store, lang), lang)


@router.get("/api/directions", response_model=m.DirectionPage, responses=ERRORS,
            summary="施策の展開方針 / policy directions")
def get_directions(store: Store = Depends(get_store), lang: str = Depends(lang_param), paging: Paging = Depends()) -> dict:
    """施策の展開方針（分野・記号順）/ directions ordered by area and letter."""
    return paging(areas.list_directions(store, lang), lang)


@router.get("/api/measures", response_model=m.MeasurePage, responses=ERRORS, summary="主な取組 / measures")
def get_measures(store: Store = Depends(get_store), lang: str = Depends(lang_param), paging: Paging = Depends()) -> dict:
    """主な取組（出典順）と、その施策の展開方針・分野 / measures in source order with directions and areas."""
    return paging(measures.list_measures(store, lang), lang)


@router.get("/api/measures/{measure_id}", response_model=m.MeasureDetail, responses=ERRORS,
            summary="主な取組 1 件 / one measure")
def get_measure(
    measure_id: str = Path(..., max_length=200, examples=["m-hu5l33tkxa"],
                            description="主な取組の id / measure id (the last segment of its IRI)"),
    store: Store = Depends(get_store),
    lang: str = Depends(lang_param),
) -> dict:
    """出典箇所と追跡・ネットワーク表示へのリンク付き / with source locations and trace/network links."""
    return measures.get_measure(store, measure_id, lang)


@router.get("/api/national-plans", response_model=m.NationalPlanPage, responses=ERRORS,
            summary="国の計画 / national plans")
def get_national_plans(store: Store = Depends(get_store), lang: str = Depends(lang_param), paging: Paging = Depends()) -> dict:
    """国の計画・手順書（決定の種類・決定日）/ national plans and guidelines with decision info."""
    return paging(national.list_national_plans(store, lang), lang)


@router.get("/api/national-items", response_model=m.NationalItemPage, responses=ERRORS,
            summary="国の計画の項目 / national plan items")
def get_national_items(store: Store = Depends(get_store), lang: str = Depends(lang_param), paging: Paging = Depends()) -> dict:
    """項目（原則・戦略・柱・施策・手順）を計画・上位項目・種類付きで / items with plan, kind and parent."""
    return paging(national.list_national_items(store, lang), lang)


@router.get("/api/indicators", response_model=m.IndicatorPage, responses=ERRORS, summary="指標 / indicators")
def get_indicators(store: Store = Depends(get_store), lang: str = Depends(lang_param), paging: Paging = Depends()) -> dict:
    """基準値・目標値（期限・比較）・望ましい方向・推進目標 / baseline, targets, comparator, direction, goal."""
    return paging(indicators.list_indicators(store, lang), lang)


@router.get("/api/search", response_model=m.SearchPage, responses=ERRORS, summary="名称検索 / label search")
def get_search(
    q: str = Query(..., min_length=1, max_length=200, examples=["ｉｃｔ　を活用した鳥獣害対策", "MaaS"],
                   description="検索語（全角半角・空白を無視）/ text; width and spaces ignored"),
    store: Store = Depends(get_store),
    lang: str = Depends(lang_param),
    paging: Paging = Depends(),
) -> dict:
    """日英の名称・別名を部分一致で検索し、完全一致・前方一致・部分一致の順に並べる /
    ja/en labels and altLabels by substring, exact then prefix then substring matches first."""
    return paging(search.search(store, q, lang), lang)


@router.get("/api/queries", response_model=m.QueryList, responses=ERRORS, summary="定型クエリ / canned queries")
def get_queries(lang: str = Depends(lang_param), paging: Paging = Depends()) -> dict:
    """定型クエリと説明 / canned queries with their descriptions and parameters."""
    return paging(canned.list_canned(lang), lang)


@router.get(
    "/api/queries/{name}",
    responses={**ERRORS, 200: {"description": "W3C SPARQL 1.1 JSON 結果 / SPARQL 1.1 JSON results",
                               "content": {"application/json": {"example": {
                                   "head": {"vars": ["area"]},
                                   "results": {"bindings": [{"area": {"type": "uri", "value": "https://w3id.org/policykg/id/hokkaido/area/hokkaido-area-1"}}]}}}}}},
    summary="定型クエリの実行 / run a canned query",
)
def run_query(
    request: Request,
    name: str = Path(..., max_length=100, examples=["entity-counts"], description="定型クエリ名 / canned query name"),
    store: Store = Depends(get_store),
) -> JSONResponse:
    """パラメータはクエリ文字列で渡し、値としてバインドされる（文字列に埋め込まない）/
    parameters come as query-string values and are bound, never spliced into the query text.
    A value may be an IRI, a ``prefix:local`` name, an entity id, or text."""
    params = {k: v for k, v in request.query_params.items() if k != "lang"}
    result = canned.run_canned(store, name, params)
    body = to_json_object(result)
    return JSONResponse(body)
