"""Japanese-first HTML pages and entity dereferencing (``/id/<path>``).

Every page is rendered by Jinja2 with autoescape on, links its JSON twin with ``rel="alternate"``,
keeps ``?lang=en`` across links, loads only local assets, and is sent with a
``Content-Security-Policy: default-src 'self'`` header (no inline script or style anywhere); the other
security headers come from ``SecurityHeadersMiddleware`` like on every response.
"""

from __future__ import annotations

from datetime import date
from importlib import resources

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup
from rdflib import URIRef

from policykg import urls
from policykg import words as i18n
from policykg.api import negotiation
from policykg.api.answers import answer_cache, cached
from policykg.api.assets import static_url
from policykg.api.catalog import canned, console, entity, planner, progress_view
from policykg.api.catalog import search as search_mod
from policykg.api.catalog.labels import label_index
from policykg.api.catalog.vocab import prefixed, term_labeller
from policykg.api.deps import get_store, settings_dependency, store_dependency
from policykg.api.errors import error_response, status_for
from policykg.api.routes.catalog import catalog_counts, catalog_list, jurisdiction_param, known_jurisdictions, lang_param
from policykg.api.routes.sparql import execute as sparql_execute
from policykg.api.settings import Settings
from policykg.errors import ForbiddenQuery, NotAcceptable, QueryError, QueryTimeout
from policykg.graph.analysis.gaps import parse_as_of
from policykg.labels import LOCAL_KINDS
from policykg.graph.analysis.suggest import suggest
from policykg.graph.results import GRAPH_FORMATS, serialize_graph
from policykg.graph.store import Store
from policykg.graph.workers import MemoryLimitExceeded, WorkerCrashed
from policykg.ids import local_id
from policykg.namespaces import PK, PREFIXES
from policykg.report.chart import chart_svg
from policykg.report.html import format_number

router = APIRouter(include_in_schema=False)

CSP = "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"

_env = Environment(loader=PackageLoader("policykg.api", "templates"), autoescape=select_autoescape(default=True))
_env.globals.update(
    page_url=urls.page_url, api_url=urls.api_url, viz_url=urls.viz_url,
    static_url=static_url, sparql_url=urls.sparql_url, default_lang=urls.default_lang, safe_href=urls.safe_href,
    csv_url=urls.csv_url, entity_url=urls.entity_url,
)
_env.filters["num"] = format_number
_env.filters["safe_href"] = urls.safe_href  # links whose target may come from the data: see _macros.html `link`

CONSOLE_ROWS = 5000
"""Most rows the console shows (downloads through /sparql use the server's own cap)."""

STATIC_TYPES = {".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8",
                ".svg": "image/svg+xml", ".png": "image/png", ".ico": "image/x-icon"}


def _switch_url(request: Request, lang: str) -> str:
    params = {k: v for k, v in request.query_params.items() if k != "lang"}
    other = "en" if lang == "ja" else "ja"
    return urls.with_query(request.url.path, {**params, "lang": urls.lang_param_value(other)})


def render(request: Request, template: str, lang: str, alternate: str, *, status: int = 200,
           alternate_type: str = "application/json", **context) -> HTMLResponse:
    """A page with the shared context (language, UI strings, alternate link, language switch)."""
    store = get_store(request)
    labeller = term_labeller(store)

    def iri_label(text: str) -> str | None:
        """A result IRI's label (the console shows labels, the IRI on hover); ``None`` = show the IRI."""
        iri = URIRef(text)
        index = label_index(store)  # asked for only by pages that show result IRIs
        if iri in index.names:
            return index.label(iri, lang)
        return prefixed(text) if prefixed(text) != text else None

    html = _env.get_template(template).render(
        lang=lang,
        t=lambda key: i18n.t(key, lang),
        iri_label=iri_label,
        kind_label=lambda kind: labeller(PK[kind], lang) if kind else "",
        alternate=alternate,
        alternate_type=alternate_type,
        lang_switch=_switch_url(request, lang),
        **context,
    )
    return HTMLResponse(html, status_code=status, headers={"Content-Security-Policy": CSP, "Vary": "Accept"})


def gaps_doc(request: Request, day, jurisdiction: str | None = None) -> dict:
    """The gaps document for ``day``, of every jurisdiction or of one (blocking; built once per store
    generation, date and jurisdiction)."""
    from policykg.api.routes.gaps import gaps_for

    store = get_store(request)
    return answer_cache(request).get_or_build(store.generation, ("gaps-doc", day.isoformat(), jurisdiction),
                                              lambda: gaps_for(store, day, jurisdiction))


def jurisdiction_choice(request: Request, lang: str, selected: str | None, **hidden: object) -> dict:
    """The ``juris`` context of a list page: the select box (loaded jurisdictions, Japanese first,
    the chosen key) submitting to the same page, keeping ``lang`` and ``hidden`` values."""
    keep = {"lang": urls.lang_param_value(lang), **hidden}
    return {
        "action": request.url.path,
        "options": list(known_jurisdictions(request.app.state, lang).items()),
        "selected": selected,
        "hidden": [(k, str(v)) for k, v in keep.items() if v not in (None, "")],
        "text_label": i18n.t("jurisdiction", lang),
        "text_all": i18n.t("all_jurisdictions", lang),
        "text_show": i18n.t("show", lang),
    }


def suggestions(request: Request, lang: str):
    """A callable giving every measure's inferred candidates (computed once per store generation)."""
    store = get_store(request)
    return lambda: answer_cache(request).get_or_build(
        store.generation, ("suggest", lang), lambda: suggest(store, top=planner.SUGGESTIONS_SHOWN, lang=lang))


TASKS = (
    ("task_trace", "measures"), ("task_gaps", "gaps"), ("task_progress", "indicators"),
    ("task_network", None), ("task_sparql", "query"),
)
"""The home page's five tasks (UI string key, page name; ``None`` = the network view)."""


@router.get("/", response_class=HTMLResponse)
def home(request: Request, store: Store = Depends(store_dependency), lang: str = Depends(lang_param)) -> HTMLResponse:
    counts = catalog_counts(request)  # not the whole overview: its per-class counts and size read every entity
    headline = [
        ("areas", urls.page_url("areas", lang)), ("directions", urls.page_url("directions", lang)),
        ("measures", urls.page_url("measures", lang)), ("indicators", urls.page_url("indicators", lang)),
        ("national_plans", urls.page_url("national_items", lang)),
        ("national_items", urls.page_url("national_items", lang)),
        ("alignments", None), ("roadmap_phases", None),
    ]
    tasks = [{"key": key, "url": urls.viz_url(None, lang) if page is None else urls.page_url(page, lang)}
             for key, page in TASKS]
    known = known_jurisdictions(request.app.state, lang)
    # Each plan's area tree while they fit on one page; at national scale (1,789 governments) a list of
    # the governments instead, each linking to its own areas (the whole-graph areas list is not read).
    areas = catalog_list(request, "areas", lang) if len(known) <= HOME_AREA_TREES else []
    groups = [{"key": key, "label": label, "url": urls.page_url("areas", lang, jurisdiction=key),
               "areas": [a for a in areas if (a.get("jurisdiction") or {}).get("key") == key]}
              for key, label in known.items()]
    return render(request, "home.html", lang, urls.api_url("overview", lang), counts=counts, headline=headline,
                  plans=catalog_list(request, "national_plans", lang), tasks=tasks, jurisdiction_groups=groups,
                  area_trees=len(known) <= HOME_AREA_TREES)


HOME_AREA_TREES = 20
"""The most jurisdictions whose area trees the home page shows; above it, a list of them (docs/deploy.md)."""


@router.get("/areas", response_class=HTMLResponse)
def areas_page(request: Request, store: Store = Depends(store_dependency), lang: str = Depends(lang_param),
               jurisdiction: str | None = Depends(jurisdiction_param)) -> HTMLResponse:
    return render(request, "areas.html", lang, urls.api_url("areas", lang, jurisdiction=jurisdiction),
                  items=catalog_list(request, "areas", lang, jurisdiction),
                  juris=jurisdiction_choice(request, lang, jurisdiction))


@router.get("/directions", response_class=HTMLResponse)
def directions_page(request: Request, store: Store = Depends(store_dependency), lang: str = Depends(lang_param),
                    jurisdiction: str | None = Depends(jurisdiction_param)) -> HTMLResponse:
    return render(request, "directions.html", lang, urls.api_url("directions", lang, jurisdiction=jurisdiction),
                  items=catalog_list(request, "directions", lang, jurisdiction),
                  juris=jurisdiction_choice(request, lang, jurisdiction))


@router.get("/measures", response_class=HTMLResponse)
def measures_page(request: Request, store: Store = Depends(store_dependency), lang: str = Depends(lang_param),
                  jurisdiction: str | None = Depends(jurisdiction_param)) -> HTMLResponse:
    return render(request, "measures.html", lang, urls.api_url("measures", lang, jurisdiction=jurisdiction),
                  items=catalog_list(request, "measures", lang, jurisdiction),
                  juris=jurisdiction_choice(request, lang, jurisdiction))


@router.get("/national-items", response_class=HTMLResponse)
def national_page(request: Request, store: Store = Depends(store_dependency), lang: str = Depends(lang_param),
                  jurisdiction: str | None = Depends(jurisdiction_param)) -> HTMLResponse:
    """National items; with ``?jurisdiction=`` those that jurisdiction's measures support."""
    return render(request, "national_items.html", lang, urls.api_url("national_items", lang, jurisdiction=jurisdiction),
                  items=catalog_list(request, "national_items", lang, jurisdiction),
                  plans=catalog_list(request, "national_plans", lang),
                  juris=jurisdiction_choice(request, lang, jurisdiction),
                  peers_url=urls.with_query("/national-items/jurisdictions", {"lang": urls.lang_param_value(lang)}))


@router.get("/indicators", response_class=HTMLResponse)
def indicators_page(request: Request, as_of: str | None = Query(None, max_length=10), store: Store = Depends(store_dependency),
                    lang: str = Depends(lang_param), jurisdiction: str | None = Depends(jurisdiction_param)) -> Response:
    """Indicator progress: latest value, status badge and trend of every numeric indicator on the
    as-of date (default today), then the promotion-goal indicators; with ``?jurisdiction=`` only
    that jurisdiction's indicators (national KPIs are nobody's)."""
    try:
        day = parse_as_of(as_of)
    except ValueError as exc:
        return error_response(422, f"基準日が不正です / {exc}", [{"loc": ["query", "as_of"], "msg": str(exc)}])
    key = ("progress", day.isoformat(), lang) + ((jurisdiction,) if jurisdiction else ())
    data = answer_cache(request).get_or_build(store.generation, key, lambda: progress_view.progress_list(
        store, as_of=day, lang=lang, indicators=catalog_list(request, "indicators", lang, jurisdiction)))
    return render(request, "indicators.html", lang, urls.progress_url(None, lang, as_of=as_of, jurisdiction=jurisdiction),
                  data=data, as_of=as_of, csv=urls.csv_url("indicators", lang, as_of=as_of, jurisdiction=jurisdiction),
                  juris=jurisdiction_choice(request, lang, jurisdiction, as_of=as_of))


@router.get("/search", response_class=HTMLResponse)
def search_page(request: Request, q: str = Query("", max_length=200), store: Store = Depends(store_dependency),
                lang: str = Depends(lang_param)) -> HTMLResponse:
    hits = search_mod.search(store, q, lang) if q.strip() else []
    return render(request, "search.html", lang, urls.api_url("search", lang, q=q or None), q=q,
                  items=hits[:500], total=len(hits))


@router.get("/query", response_class=HTMLResponse)
async def query_page(
    request: Request,
    query: str = Query("", max_length=100_000),
    example: str | None = Query(None, max_length=100),
    store: Store = Depends(store_dependency),
    settings: Settings = Depends(settings_dependency),
    lang: str = Depends(lang_param),
) -> HTMLResponse:
    """The console: a textarea, canned queries as examples (their parameters as a form: ``?example=NAME&run=1
    &param_NAME=value``), results as a table, CSV/JSON downloads."""
    text = canned.get_canned(example).text if example and not query else query
    run_canned = bool(example and not query and request.query_params.get("run"))
    result, error, status = None, None, 200
    if query.strip() or run_canned:
        try:
            rows = min(settings.max_rows, CONSOLE_ROWS)
            if run_canned:
                params = {k.removeprefix("param_"): v for k, v in request.query_params.items()
                          if k.startswith("param_") and v.strip()}
                job = canned.canned_job(example, params, max_rows=rows)
            else:
                job = console.console_job(query, max_rows=rows, allow_service=settings.allow_service,
                                          allow_load=settings.allow_load, max_nesting=settings.max_nesting)
            reply = await sparql_execute(request, job)
            if isinstance(reply, Response):
                return reply
            result = console.console_result(reply, lang)
        except (QueryError, ForbiddenQuery, QueryTimeout, MemoryLimitExceeded, WorkerCrashed) as exc:
            error, status = str(exc), status_for(exc)
    return render(request, "query.html", lang, urls.api_url("queries", lang), status=status, query=text,
                  result=result, error=error, examples=canned.list_canned(lang),
                  download_formats=console.DOWNLOAD_FORMATS)


@router.get("/docs", response_class=HTMLResponse)
def docs_page(request: Request, lang: str = Depends(lang_param)) -> HTMLResponse:
    """An offline API reference rendered from ``app.openapi()`` (no Swagger UI from a CDN)."""
    spec = request.app.openapi()
    operations = []
    for path, methods in sorted(spec.get("paths", {}).items()):
        for method, op in methods.items():
            operations.append({
                "path": path, "method": method, "summary": op.get("summary"),
                "description": op.get("description"), "parameters": op.get("parameters", []),
                "responses": sorted(op.get("responses", {})),
                "anchor": f"{method}-{path}".replace("/", "-").replace("{", "").replace("}", ""),
            })
    return render(request, "docs.html", lang, urls.api_url("openapi"), spec=spec, operations=operations)


@router.get("/static/{name}")
def static_file(name: str = Path(..., max_length=100)) -> Response:
    """Shipped CSS/JS/images (content-hashed URLs, so they may be cached for long)."""
    suffix = name[name.rfind("."):] if "." in name else ""
    folder = resources.files("policykg.api").joinpath("static")
    if "/" in name or name.startswith(".") or suffix not in STATIC_TYPES or not folder.joinpath(name).is_file():
        return error_response(404, f"ファイルがありません / no static file {name!r}")
    return Response(folder.joinpath(name).read_bytes(), media_type=STATIC_TYPES[suffix],
                    headers={"Cache-Control": "public, max-age=31536000, immutable"})


@router.get("/id/{path:path}")
async def dereference(
    request: Request,
    path: str = Path(..., max_length=500),
    lang: str = Depends(lang_param),
) -> Response:
    """An entity IRI: HTML for browsers, Turtle/JSON-LD/N-Triples/RDF-XML by Accept or suffix.

    RDF answers are kept per store generation (:mod:`policykg.api.answers`); pages are rendered."""
    wanted = negotiation.choose(request.headers.get("accept"), "page")
    reply = await cached(request, ("entity", path, wanted), lambda: _describe_entity(request, path, wanted))
    if reply[0] == "rdf":
        return Response(reply[1], media_type=reply[2], headers={"Vary": "Accept"})
    if reply[0] == "none":
        raise NotAcceptable(negotiation.OFFERS["page"])
    return await run_in_threadpool(_entity_page, request, reply[1], lang)


def _describe_entity(request: Request, path: str, wanted: str | None) -> tuple:
    """``("rdf", body, media_type)``, ``("html", iri)`` or ``("none",)`` (nothing acceptable).

    :raises EntityNotFound: no such entity (not cached; the error handler answers 404).
    """
    store = get_store(request)
    iri, suffix = entity.resolve(store, path)
    media = _SUFFIX_MEDIA[suffix] if suffix else wanted
    if media is None:
        return ("none",)
    if media == negotiation.HTML:
        return ("html", iri)
    return ("rdf", serialize_graph(entity.describe(store, iri), media, context=PREFIXES), media)


_SUFFIX_MEDIA = {suffix: next(m for m, f in GRAPH_FORMATS.items() if f == fmt) for suffix, fmt in urls.RDF_SUFFIXES.items()}
"""``.ttl`` → ``text/turtle`` and so on: an entity IRI's suffix picks the RDF format."""


def _entity_page(request: Request, iri, lang: str) -> HTMLResponse:
    """The entity page, rendered once per store generation and URL (path and query: language,
    as-of date) and then served from the answer cache. An as-of date defaults to today, so the
    key carries today's date too."""
    store = get_store(request)
    key = ("entity-page", request.url.path, request.url.query, date.today().isoformat())

    def build() -> bytes:
        view = entity.entity_view(store, iri, lang, term_labeller(store))
        return render(request, "entity.html", lang, urls.rdf_url(iri, ".jsonld"), alternate_type="application/ld+json",
                      e=view, panel=_panel(request, iri, view, lang)).body

    body = answer_cache(request).get_or_build(store.generation, key, build)
    return HTMLResponse(body, headers={"Content-Security-Policy": CSP, "Vary": "Accept"})


def _panel(request: Request, iri, view: dict, lang: str) -> dict | None:
    """The planner's answer at the top of an entity page: for a measure the national policies it
    supports, for a national item or plan its local supporters, for a numeric indicator its progress
    chart. Each panel names its own JSON twin and CSV download."""
    store = get_store(request)
    cache, generation, ident = answer_cache(request), store.generation, local_id(iri)
    types = label_index(store).types.get(iri, set())
    if types & LOCAL_KINDS:
        data = cache.get_or_build(generation, ("alignments-view", ident, lang), lambda: planner.measure_support(
            store, iri, lang, suggestions=suggestions(request, lang) if PK.Measure in types else None))
        return {"kind": "measure", "data": data, "json": urls.alignments_url(ident, lang),
                "csv": urls.alignments_url(ident, lang, fmt="csv"), "is_measure": PK.Measure in types}
    if planner.is_national(store, iri):
        data = cache.get_or_build(generation, ("supporting-view", ident, lang),
                                  lambda: planner.national_support(store, iri, lang))
        return {"kind": "national", "data": data, "json": urls.supporting_measures_url(ident, lang),
                "csv": urls.supporting_measures_url(ident, lang, fmt="csv")}
    if PK.NumericIndicator in types:
        as_of = request.query_params.get("as_of")
        try:
            day = parse_as_of(as_of)
        except ValueError:
            day = parse_as_of(None)
        data = cache.get_or_build(generation, ("progress-one-view", ident, day.isoformat(), lang),
                                  lambda: progress_view.indicator_progress(store, iri, as_of=day, lang=lang))
        if data is None:
            return None
        return {"kind": "indicator", "data": data, "json": urls.progress_url(ident, lang, as_of=as_of),
                "svg": Markup(chart_svg(data["chart"], ident=f"chart-{ident}", lang=lang))}
    return None

