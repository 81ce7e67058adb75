"""Japanese-first HTML pages and entity dereferencing (``/id/<path>``).

Every page is rendered by Jinja2 with autoescape on, links its JSON twin with ``rel="alternate"``,
keeps ``?lang=en`` across links, loads only local assets, and is sent with a
``Content-Security-Policy: default-src 'self'`` header (no inline script or style anywhere); the other
security headers come from ``SecurityHeadersMiddleware`` like on every response.
"""

from __future__ import annotations

from importlib import resources

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool
from jinja2 import Environment, PackageLoader, select_autoescape

from policykg.api import i18n, urls
from policykg.api.answers import cached
from policykg.api.catalog import canned, console, entity
from policykg.api.catalog import search as search_mod
from policykg.api.catalog.negotiation import MEDIA_TYPES, negotiate, serialize_graph
from policykg.api.catalog.vocab import term_labeller
from policykg.api.deps import get_settings, get_store
from policykg.api.errors import STATUS_BY_EXCEPTION, error_response
from policykg.api.routes.catalog import catalog_list, catalog_overview, lang_param
from policykg.api.routes.sparql import get_pool
from policykg.api.settings import Settings
from policykg.errors import ForbiddenQuery, QueryError, QueryTimeout
from policykg.graph.store import Store
from policykg.namespaces import PK

router = APIRouter(include_in_schema=False)

CSP = "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"

_env = Environment(loader=PackageLoader("policykg.api", "templates"), autoescape=select_autoescape(default=True))
_env.globals.update(
    page_url=urls.page_url, api_url=urls.api_url, viz_url=urls.viz_url,
    static_url=urls.static_url, sparql_url=urls.sparql_url, default_lang=urls.default_lang,
)

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
    html = _env.get_template(template).render(
        lang=lang,
        t=lambda key: i18n.t(key, lang),
        kind_label=lambda kind: labeller(PK[kind], lang) if kind else "",
        alternate=alternate,
        alternate_type=alternate_type,
        lang_switch=_switch_url(request, lang),
        **context,
    )
    return HTMLResponse(html, status_code=status, headers={"Content-Security-Policy": CSP, "Vary": "Accept"})


@router.get("/", response_class=HTMLResponse)
def home(request: Request, store: Store = Depends(get_store), lang: str = Depends(lang_param)) -> HTMLResponse:
    info = catalog_overview(request, lang)
    headline = [
        ("areas", urls.page_url("areas", lang)), ("directions", urls.page_url("directions", lang)),
        ("measures", urls.page_url("measures", lang)), ("indicators", urls.page_url("indicators", lang)),
        ("national_plans", urls.page_url("national_items", lang)),
        ("national_items", urls.page_url("national_items", lang)),
        ("alignments", None), ("roadmap_phases", None),
    ]
    return render(request, "home.html", lang, urls.api_url("overview", lang), overview=info, headline=headline,
                  areas=catalog_list(request, "areas", lang), plans=catalog_list(request, "national_plans", lang))


@router.get("/areas", response_class=HTMLResponse)
def areas_page(request: Request, store: Store = Depends(get_store), lang: str = Depends(lang_param)) -> HTMLResponse:
    return render(request, "areas.html", lang, urls.api_url("areas", lang), items=catalog_list(request, "areas", lang))


@router.get("/directions", response_class=HTMLResponse)
def directions_page(request: Request, store: Store = Depends(get_store), lang: str = Depends(lang_param)) -> HTMLResponse:
    return render(request, "directions.html", lang, urls.api_url("directions", lang),
                  items=catalog_list(request, "directions", lang))


@router.get("/measures", response_class=HTMLResponse)
def measures_page(request: Request, store: Store = Depends(get_store), lang: str = Depends(lang_param)) -> HTMLResponse:
    return render(request, "measures.html", lang, urls.api_url("measures", lang),
                  items=catalog_list(request, "measures", lang))


@router.get("/national-items", response_class=HTMLResponse)
def national_page(request: Request, store: Store = Depends(get_store), lang: str = Depends(lang_param)) -> HTMLResponse:
    return render(request, "national_items.html", lang, urls.api_url("national_items", lang),
                  items=catalog_list(request, "national_items", lang), plans=catalog_list(request, "national_plans", lang))


@router.get("/indicators", response_class=HTMLResponse)
def indicators_page(request: Request, store: Store = Depends(get_store), lang: str = Depends(lang_param)) -> HTMLResponse:
    return render(request, "indicators.html", lang, urls.api_url("indicators", lang),
                  items=catalog_list(request, "indicators", lang))


@router.get("/search", response_class=HTMLResponse)
def search_page(request: Request, q: str = Query("", max_length=200), store: Store = Depends(get_store),
                lang: str = Depends(lang_param)) -> HTMLResponse:
    hits = search_mod.search(store, q, lang) if q.strip() else []
    return render(request, "search.html", lang, urls.api_url("search", lang, q=q or None), q=q,
                  items=hits[:500], total=len(hits))


@router.get("/query", response_class=HTMLResponse)
async def query_page(
    request: Request,
    query: str = Query("", max_length=100_000),
    example: str | None = Query(None, max_length=100),
    store: Store = Depends(get_store),
    settings: Settings = Depends(get_settings),
    lang: str = Depends(lang_param),
) -> HTMLResponse:
    """The console: a textarea, canned queries as examples, results as a table, CSV/JSON downloads."""
    text = canned.get_canned(example).text if example and not query else query
    result, error, status = None, None, 200
    if query.strip():
        try:
            result = await run_in_threadpool(
                console.run_console, get_pool(request).execute, query, lang,
                max_rows=min(settings.max_rows, CONSOLE_ROWS), allow_service=settings.allow_service,
                allow_load=settings.allow_load, graphs={str(g) for g in store.graph_names()},
            )
        except (QueryError, ForbiddenQuery, QueryTimeout) as exc:
            error, status = str(exc), STATUS_BY_EXCEPTION[type(exc)]
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
    wanted = negotiate(request.headers.get("accept"))
    reply = await cached(request, ("entity", path, wanted), lambda: _describe_entity(request, path, wanted))
    if reply[0] == "rdf":
        return Response(reply[1], media_type=reply[2], headers={"Vary": "Accept"})
    if reply[0] == "none":
        offered = ", ".join(sorted({m.split(";")[0] for m in MEDIA_TYPES.values()}))
        return error_response(406, f"対応できない形式です / not acceptable; offered: {offered}")
    return await run_in_threadpool(_entity_page, request, reply[1], lang)


def _describe_entity(request: Request, path: str, wanted: str | None) -> tuple:
    """``("rdf", body, media_type)``, ``("html", iri)`` or ``("none",)`` (nothing acceptable).

    :raises EntityNotFound: no such entity (not cached; the error handler answers 404).
    """
    store = get_store(request)
    iri, suffix = entity.resolve(store, path)
    fmt = urls.RDF_SUFFIXES[suffix] if suffix else wanted
    if fmt is None:
        return ("none",)
    if fmt == "html":
        return ("html", iri)
    return ("rdf", serialize_graph(entity.describe(store, iri), fmt), MEDIA_TYPES[fmt])


def _entity_page(request: Request, iri, lang: str) -> HTMLResponse:
    store = get_store(request)
    view = entity.entity_view(store, iri, lang, term_labeller(store))
    return render(request, "entity.html", lang, urls.rdf_url(iri, ".jsonld"),
                  alternate_type="application/ld+json", e=view)
