"""The JSON API over the catalog functions (``policykg.api.catalog``): lists, one measure,
search, canned queries and an overview. Every list pages with ``limit``/``offset``; ``?lang=``
picks the label language (ja default, ja fallback). Errors use the one error shape.
"""

from __future__ import annotations

from collections.abc import Callable


from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from policykg.api.catalog import areas, canned, indicators, measures, national, overview, search
from policykg.api.catalog import jurisdictions as juris
from policykg.api.catalog import models as m
from policykg.api.catalog.sparql import page
from policykg.api import negotiation
from policykg.api.answers import answer_cache, cache_of, cached_json, encode_json, json_response
from policykg.api.deps import get_store
from policykg.errors import QueryError
from policykg.graph.jurisdictions import ScopedStore, scope_graphs
from policykg.graph.store import Store
from policykg.words import DEFAULT_LANG, LANGS, Lang

router = APIRouter(tags=["catalog"])

MAX_LIMIT = 1000
MAX_OFFSET = 100_000

ERRORS = {
    400: {"model": m.ErrorBody, "description": "不正なパラメータ / bad parameter"},
    404: {"model": m.ErrorBody, "description": "見つかりません / not found"},
    422: {"model": m.ErrorBody, "description": "入力検証エラー / invalid input"},
}


async def lang_param(
    request: Request,
    lang: Lang | None = Query(None, description="ラベルの言語 (既定 ja、英語がなければ日本語) / label language (default ja; ja when no en)"),
) -> str:
    """The requested language, else the server's default language (async: no thread hop)."""
    if lang is not None:
        return lang.value
    default = request.app.state.settings.default_lang
    return default if default in LANGS else DEFAULT_LANG


class Paging:
    """``limit`` and ``offset`` with bounds, shared by every list endpoint."""

    def __init__(self, limit: int = 100, offset: int = 0) -> None:
        self.limit = limit
        self.offset = offset

    def __call__(self, items: list, lang: str) -> dict:
        return {**page(items, self.limit, self.offset), "lang": lang}

    @property
    def key(self) -> tuple[int, int]:
        return self.limit, self.offset


async def paging_params(
    limit: int = Query(100, ge=1, le=MAX_LIMIT, description=f"最大件数 (1–{MAX_LIMIT}) / page size"),
    offset: int = Query(0, ge=0, le=MAX_OFFSET, description="開始位置 / items to skip"),
) -> Paging:
    return Paging(limit, offset)


LISTS: dict[str, Callable[[Store, str], list[dict]]] = {
    "areas": areas.list_areas,
    "directions": areas.list_directions,
    "measures": measures.list_measures,
    "national_plans": national.list_national_plans,
    "national_items": national.list_national_items,
    "indicators": indicators.list_indicators,
}
"""The catalog lists by name; each is computed once per store generation and language."""


PAGE_MODELS: dict[str, type] = {
    "areas": m.AreaPage,
    "directions": m.DirectionPage,
    "measures": m.MeasurePage,
    "national_plans": m.NationalPlanPage,
    "national_items": m.NationalItemPage,
    "indicators": m.IndicatorPage,
}
"""The response model of each list's pages."""


NATIONAL_LISTS = ("national_plans", "national_items")
"""Lists of national entities: their items carry no jurisdiction of their own."""


def known_jurisdictions(state, lang: str = "ja") -> dict[str, str]:
    """``{key: label}`` of the loaded jurisdictions (cached per store generation; blocking on a miss)."""
    store = state.store
    return cache_of(state).get_or_build(store.generation, ("jurisdictions", lang), lambda: juris.known(store, lang))


def _build_list(state, name: str, lang: str, jurisdiction: str | None) -> list[dict]:
    store = state.store
    if jurisdiction is None:
        items = LISTS[name](store, lang)
        return items if name == "national_plans" else juris.annotate(items, known_jurisdictions(state, lang))
    if name == "national_plans":
        return list_for(state, name, lang)
    # Only the jurisdiction's named graphs and the national side are read (nothing copied, no full list).
    scope = ScopedStore(store, jurisdiction)
    if name == "national_items":  # national items this jurisdiction's measures support (or a sub-item of)
        supported = cache_of(state).get_or_build(store.generation, ("supported", jurisdiction),
                                                 lambda: juris.supported_items(scope, jurisdiction))
        return [i for i in juris.annotate(LISTS[name](scope, lang), known_jurisdictions(state, lang)) if i["iri"] in supported]
    return juris.only(juris.annotate(LISTS[name](scope, lang), known_jurisdictions(state, lang)), jurisdiction)


def list_for(state, name: str, lang: str, jurisdiction: str | None = None) -> list[dict]:
    """The full list ``name`` in ``lang`` for the store's current generation, from ``app.state``'s cache
    (blocking on a miss: call from a worker thread). Each local item carries its ``jurisdiction``;
    with a ``jurisdiction`` key only that jurisdiction's items (for ``national_items``: the items its
    measures support; ``national_plans`` is never filtered)."""
    store = state.store
    return cache_of(state).get_or_build(store.generation, ("list", name, lang, jurisdiction),
                                        lambda: _build_list(state, name, lang, jurisdiction))


def catalog_list(request: Request, name: str, lang: str, jurisdiction: str | None = None) -> list[dict]:
    """:func:`list_for` the app serving ``request``; shared by the JSON API and the pages."""
    return list_for(request.app.state, name, lang, jurisdiction)


def check_jurisdiction(request: Request, value: str | None) -> str | None:
    """The key of the jurisdiction ``value`` names (``None`` = every jurisdiction; blocking).

    :raises EntityNotFound: unknown jurisdiction: 404 in the one error shape, listing the known keys.
    """
    if value is None or not value.strip():
        return None
    return juris.check_key(known_jurisdictions(request.app.state), value)


async def jurisdiction_param(
    request: Request,
    jurisdiction: str | None = Query(None, max_length=100, examples=["hokkaido"],
                                     description="自治体のキー（例: hokkaido, 省略時はすべて）/ a jurisdiction's key "
                                                 "(e.g. hokkaido; default every jurisdiction)"),
) -> str | None:
    """No thread hop when absent (the common case); a given key is checked in a thread, since the first
    check per store generation runs a query."""
    if jurisdiction is None or not jurisdiction.strip():
        return None
    return await run_in_threadpool(check_jurisdiction, request, jurisdiction)


def catalog_counts(request: Request) -> dict[str, int]:
    """:func:`~policykg.api.catalog.overview.headline_counts` for the store's current generation, cached
    (the home page's counts; blocking on a miss)."""
    store = get_store(request)
    return answer_cache(request).get_or_build(store.generation, ("headline-counts",), lambda: overview.headline_counts(store))


def catalog_overview(request: Request, lang: str) -> dict:
    """:func:`~policykg.api.catalog.overview.overview` for the store's current generation, cached like
    the lists; shared by ``/api/overview`` and the home page (blocking on a miss)."""
    store = get_store(request)
    return answer_cache(request).get_or_build(store.generation, ("overview", lang), lambda: overview.overview(store, lang))


def _page_key(name: str, lang: str, paging: Paging, jurisdiction: str | None = None) -> tuple:
    return ("json", "page", name, lang, *paging.key) + ((jurisdiction,) if jurisdiction else ())


def page_bytes(state, name: str, lang: str, paging: Paging, jurisdiction: str | None = None) -> bytes:
    """One page of a list as JSON bytes, validated by its response model (cached; blocking on a miss)."""
    generation = state.store.generation
    return cache_of(state).get_or_build(
        generation, _page_key(name, lang, paging, jurisdiction),
        lambda: encode_json(paging(list_for(state, name, lang, jurisdiction), lang), PAGE_MODELS[name]),
    )


async def _paged(request: Request, name: str, lang: str, paging: Paging, jurisdiction: str | None = None) -> Response:
    state = request.app.state
    body = cache_of(state).get(state.store.generation, _page_key(name, lang, paging, jurisdiction))
    if body is None:
        body = await run_in_threadpool(page_bytes, state, name, lang, paging, jurisdiction)
    return json_response(body)


def warm_up(app) -> None:
    """Compute the first page of every list in both languages, so the first visitors (and a load
    test) do not wait for them; then move everything alive into the permanent GC generation
    (``gc.freeze``), so full collections during requests no longer walk the store's terms and caches.

    On an app that is not serving yet (``policykg serve`` calls this before it starts listening) the
    work is left to the app's start-up, which runs it in a background thread: the server answers at
    once, and a request for a list that is still being computed waits for that one computation (a
    national store takes minutes to warm). On a running app it is done now, before returning."""
    if not getattr(app.state, "started", False):
        app.state.warm_up_pending = True
        return
    warm_lists(app)


def warm_lists(app) -> None:
    """The work of :func:`warm_up`, now (blocking: lists are computed from the whole store)."""
    import gc

    from policykg.urls import LANGS, using_default_lang

    with using_default_lang(app.state.settings.default_lang):  # links as the server's requests build them
        for lang in LANGS:
            for name in LISTS:
                page_bytes(app.state, name, lang, Paging())
    gc.collect()
    gc.freeze()


@router.get("/api/overview", response_model=m.Overview, responses=ERRORS,
            summary="収録内容の概要 / what the graph holds")
async def get_overview(request: Request, lang: str = Depends(lang_param)) -> Response:
    """種類ごとの件数・トリプル数・名前付きグラフ / counts per kind, triples and named graphs."""
    return await cached_json(request, ("overview", lang), lambda: catalog_overview(request, lang), m.Overview)


@router.get("/api/areas", response_model=m.AreaPage, responses=ERRORS, summary="分野 / policy areas")
async def get_areas(request: Request, lang: str = Depends(lang_param), paging: Paging = Depends(paging_params),
                   jurisdiction: str | None = Depends(jurisdiction_param)) -> Response:
    """分野（計画順）と各分野の施策の展開方針 / areas in plan order with their directions."""
    return await _paged(request, "areas", lang, paging, jurisdiction)


@router.get("/api/directions", response_model=m.DirectionPage, responses=ERRORS,
            summary="施策の展開方針 / policy directions")
async def get_directions(request: Request, lang: str = Depends(lang_param), paging: Paging = Depends(paging_params),
                        jurisdiction: str | None = Depends(jurisdiction_param)) -> Response:
    """施策の展開方針（分野・記号順）/ directions ordered by area and letter."""
    return await _paged(request, "directions", lang, paging, jurisdiction)


@router.get("/api/measures", response_model=m.MeasurePage, responses=ERRORS, summary="主な取組 / measures")
async def get_measures(request: Request, lang: str = Depends(lang_param), paging: Paging = Depends(paging_params),
                      jurisdiction: str | None = Depends(jurisdiction_param)) -> Response:
    """主な取組（出典順）と、その施策の展開方針・分野 / measures in source order with directions and areas."""
    return await _paged(request, "measures", lang, paging, jurisdiction)


@router.get("/api/measures/{measure_id}", response_model=m.MeasureDetail, responses=ERRORS,
            summary="主な取組 1 件 / one measure")
async def get_measure(
    request: Request,
    measure_id: str = Path(..., max_length=200, examples=["m-hu5l33tkxa"],
                            description="主な取組の id / measure id (the last segment of its IRI)"),
    lang: str = Depends(lang_param),
) -> Response:
    """出典箇所と追跡・ネットワーク表示へのリンク付き / with source locations and trace/network links."""
    return await cached_json(
        request, ("measure", measure_id, lang),
        lambda: measures.get_measure(get_store(request), measure_id, lang,
                                     items=catalog_list(request, "measures", lang)),
        m.MeasureDetail,
    )


@router.get("/api/national-plans", response_model=m.NationalPlanPage, responses=ERRORS,
            summary="国の計画 / national plans")
async def get_national_plans(request: Request, lang: str = Depends(lang_param), paging: Paging = Depends(paging_params)) -> Response:
    """国の計画・手順書（決定の種類・決定日）/ national plans and guidelines with decision info."""
    return await _paged(request, "national_plans", lang, paging)


@router.get("/api/national-items", response_model=m.NationalItemPage, responses=ERRORS,
            summary="国の計画の項目 / national plan items")
async def get_national_items(request: Request, lang: str = Depends(lang_param), paging: Paging = Depends(paging_params),
                            jurisdiction: str | None = Depends(jurisdiction_param)) -> Response:
    """項目（原則・戦略・柱・施策・手順）を計画・上位項目・種類付きで / items with plan, kind and parent.

    ``?jurisdiction=`` は、その自治体の施策が（明示または確認済みの対応付けで）支える項目とその上位項目だけ /
    with ``?jurisdiction=``: only the items that jurisdiction's measures support (stated or curated) and their ancestors."""
    return await _paged(request, "national_items", lang, paging, jurisdiction)


@router.get("/api/indicators", response_model=m.IndicatorPage, responses=ERRORS, summary="指標 / indicators")
async def get_indicators(request: Request, lang: str = Depends(lang_param), paging: Paging = Depends(paging_params),
                        jurisdiction: str | None = Depends(jurisdiction_param)) -> Response:
    """基準値・目標値（期限・比較）・望ましい方向・推進目標 / baseline, targets, comparator, direction, goal."""
    return await _paged(request, "indicators", lang, paging, jurisdiction)


@router.get("/api/search", response_model=m.SearchPage, responses=ERRORS, summary="名称検索 / label search")
async def get_search(
    request: Request,
    q: str = Query(..., min_length=1, max_length=200, examples=["ｉｃｔ　を活用した鳥獣害対策", "MaaS"],
                   description="検索語（全角半角・空白を無視）/ text; width and spaces ignored"),
    lang: str = Depends(lang_param),
    paging: Paging = Depends(paging_params),
    jurisdiction: str | None = Depends(jurisdiction_param),
) -> Response:
    """日英の名称・別名を部分一致で検索し、完全一致・前方一致・部分一致の順に並べる /
    ja/en labels and altLabels by substring, exact then prefix then substring matches first.
    ``?jurisdiction=`` はその自治体の実体だけ / only that jurisdiction's entities."""
    def build() -> dict:
        hits = juris.annotate(search.search(get_store(request), q, lang), known_jurisdictions(request.app.state, lang))
        return paging(juris.only(hits, jurisdiction) if jurisdiction else hits, lang)

    return await cached_json(request, ("search", q, lang, *paging.key, jurisdiction), build, m.SearchPage,
                             inline=search.is_cheap(get_store(request)))


@router.get("/api/queries", response_model=m.QueryList, responses=ERRORS, summary="定型クエリ / canned queries")
async def get_queries(request: Request, lang: str = Depends(lang_param), paging: Paging = Depends(paging_params)) -> Response:
    """定型クエリと説明 / canned queries with their descriptions and parameters."""
    return await cached_json(request, ("queries", lang, *paging.key), lambda: paging(canned.list_canned(lang), lang), m.QueryList)


@router.get(
    "/api/queries/{name}",
    responses={**ERRORS, 200: {"description": "W3C SPARQL 1.1 JSON 結果 / SPARQL 1.1 JSON results",
                               "content": {"application/json": {"example": {
                                   "head": {"vars": ["area"]},
                                   "results": {"bindings": [{"area": {"type": "uri", "value": "https://w3id.org/policykg/id/hokkaido/area/hokkaido-area-1"}}]}}}}}},
    summary="定型クエリの実行 / run a canned query",
)
async def run_query(
    request: Request,
    name: str = Path(..., max_length=100, examples=["entity-counts"], description="定型クエリ名 / canned query name"),
) -> Response:
    """パラメータはクエリ文字列で渡し、値としてバインドされる（文字列に埋め込まない）/
    parameters come as query-string values and are bound, never spliced into the query text.
    A value may be an IRI, a ``prefix:local`` name, an entity id, or text.

    Every canned query takes ``?jurisdiction=<key>``: it then runs over that jurisdiction's named graphs and
    the national side only (the query's dataset; the text is unchanged and nothing is pasted into it).

    Runs like ``/sparql``: SPARQL guard, killable query worker with the ``query_timeout`` limit (504),
    the ``max_rows`` cap (``X-PolicyKG-Truncated`` / ``X-PolicyKG-Row-Limit`` headers) and the answer cache."""
    from policykg.api.routes.sparql import run_job

    settings = request.app.state.settings
    params = {k: v for k, v in request.query_params.items() if k not in ("lang", "jurisdiction")}
    jurisdiction = request.query_params.get("jurisdiction")
    graphs: tuple[str, ...] = ()
    if jurisdiction is not None and jurisdiction.strip():
        if len(jurisdiction) > 100:
            raise QueryError("パラメータ jurisdiction が長すぎます / parameter jurisdiction is longer than 100 characters")
        key = await run_in_threadpool(check_jurisdiction, request, jurisdiction)
        if name.startswith("rollup-"):  # national roll-ups: the jurisdiction is their ?key, where they have one
            if any(p.name == "key" for p in canned.get_canned(name).params):
                params["key"] = key
        else:
            graphs = tuple(await run_in_threadpool(scope_graphs, get_store(request), key))
    job = canned.canned_job(name, params, max_rows=settings.max_rows, graphs=graphs)
    return await run_job(request, job, media_type=negotiation.JSON)
