"""The one URL builder: pages, JSON routes, entity dereferencing and the network view all link
through here, so a path changes in one place (Datasette's ``url_builder.py``).

Entity IRIs ``https://w3id.org/policykg/id/<path>`` are served at ``/id/<path>`` on this server.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from urllib.parse import quote, urlencode

from rdflib import URIRef

from policykg.namespaces import ID
from policykg.words import DEFAULT_LANG, LANGS  # the page languages; a server may configure another default (below)

_default_lang: ContextVar[str] = ContextVar("policykg_default_lang", default=DEFAULT_LANG)
"""The default language of the app answering the current request (``Settings.default_lang``).

Links leave ``?lang=`` out exactly when the language is this default: with ``default_lang=en`` an
English page links without ``lang`` and a Japanese one keeps ``lang=ja`` (it would otherwise fall
back to English). Set per request by ``DefaultLangMiddleware``; outside a request it is ``ja``.
"""


def default_lang() -> str:
    """The default page language in effect (``ja`` unless the server configures ``en``)."""
    return _default_lang.get()


@contextmanager
def using_default_lang(lang: str) -> Iterator[None]:
    """Build links for a server whose default language is ``lang`` (tests and the middleware).

    >>> with using_default_lang("en"):
    ...     page_url("measures", "en"), page_url("measures", "ja")
    ('/measures', '/measures?lang=ja')
    """
    token = _default_lang.set(lang if lang in LANGS else DEFAULT_LANG)
    try:
        yield
    finally:
        _default_lang.reset(token)

PAGES = {
    "home": "/",
    "areas": "/areas",
    "directions": "/directions",
    "measures": "/measures",
    "national_items": "/national-items",
    "indicators": "/indicators",
    "search": "/search",
    "query": "/query",
    "docs": "/docs",
    "gaps": "/gaps",
    "observations": "/observations",
}
"""HTML pages by name."""

API = {
    "overview": "/api/overview",
    "areas": "/api/areas",
    "directions": "/api/directions",
    "measures": "/api/measures",
    "national_items": "/api/national-items",
    "national_plans": "/api/national-plans",
    "indicators": "/api/indicators",
    "search": "/api/search",
    "queries": "/api/queries",
    "openapi": "/openapi.json",
    "gaps": "/api/gaps",
    "progress": "/api/progress",
}
"""JSON routes by name (the twin of the page with the same name)."""

RDF_SUFFIXES = {".ttl": "turtle", ".jsonld": "json-ld", ".nt": "nt", ".rdf": "xml"}


def with_query(path: str, params: dict[str, object]) -> str:
    clean = {k: v for k, v in params.items() if v is not None and v != ""}
    return f"{path}?{urlencode(clean, quote_via=quote)}" if clean else path


def lang_param_value(lang: str | None) -> str | None:
    """The ``lang`` query value a link needs for ``lang`` (``None`` = leave it out: the default)."""
    return lang if lang and lang != _default_lang.get() else None


def page_url(name: str, lang: str | None = None, **params: object) -> str:
    """An HTML page, keeping a non-default ``lang`` across links.

    >>> page_url("measures", "en", offset=100)
    '/measures?offset=100&lang=en'
    """
    return with_query(PAGES[name], {**params, "lang": lang_param_value(lang)})


def api_url(name: str, lang: str | None = None, **params: object) -> str:
    """A JSON route (the alternate of a page).

    >>> api_url("search", q="MaaS")
    '/api/search?q=MaaS'
    """
    return with_query(API[name], {**params, "lang": lang_param_value(lang)})


def is_entity(iri: object) -> bool:
    """Whether an IRI is one of ours (dereferenceable under ``/id/``)."""
    return isinstance(iri, (str, URIRef)) and str(iri).startswith(str(ID)) and len(str(iri)) > len(str(ID))


def entity_path(iri: str) -> str:
    """``/id/<path>`` for an entity IRI.

    >>> entity_path("https://w3id.org/policykg/id/hokkaido/area/hokkaido-area-1")
    '/id/hokkaido/area/hokkaido-area-1'
    """
    return "/id/" + quote(str(iri)[len(str(ID)):], safe="/._~-")


def iri_from_path(path: str) -> URIRef:
    """The entity IRI served at ``/id/<path>``."""
    return URIRef(str(ID) + path)


def entity_url(iri: str, lang: str | None = None) -> str:
    """The entity page (HTML by default; other formats by Accept or :func:`rdf_url`)."""
    return with_query(entity_path(iri), {"lang": lang_param_value(lang)})


def rdf_url(iri: str, suffix: str) -> str:
    """The entity description in one RDF format, e.g. ``.ttl`` or ``.jsonld``."""
    if suffix not in RDF_SUFFIXES:
        raise ValueError(f"unknown RDF suffix {suffix!r}; choose one of {', '.join(RDF_SUFFIXES)}")
    return entity_path(iri) + suffix


def measure_api_url(measure_id: str, lang: str | None = None) -> str:
    return with_query(f"/api/measures/{quote(measure_id, safe='')}", {"lang": lang_param_value(lang)})


def trace_url(measure_id: str) -> str:
    """The trace JSON of a measure (measure → national items → plan)."""
    return f"/api/measures/{quote(measure_id, safe='')}/trace"


def supporters_url(item_id: str) -> str:
    """The local measures supporting a national item (JSON)."""
    return f"/api/national-items/{quote(item_id, safe='')}/supporters"


def viz_url(focus: str | None = None, lang: str | None = None) -> str:
    """The network view, optionally centred on one entity id."""
    return with_query("/viz", {"focus": focus, "lang": lang_param_value(lang)})


def query_api_url(name: str, **params: object) -> str:
    """Run one canned query as JSON."""
    return with_query(f"/api/queries/{quote(name, safe='')}", params)


def sparql_url(query: str, fmt: str | None = None) -> str:
    """The SPARQL endpoint with a query (``fmt`` = csv, json, tsv, xml… as ``format=``)."""
    return with_query("/sparql", {"query": query, "format": fmt})


CSV_LISTS = ("measures", "national_items", "directions", "areas", "indicators", "search")
"""Pages whose list is also served as CSV at ``<page path>.csv``."""


def csv_url(name: str, lang: str | None = None, **params: object) -> str:
    """The CSV download of a page's list (same rows as the page).

    >>> csv_url("national_items"), csv_url("search", q="MaaS")
    ('/national-items.csv', '/search.csv?q=MaaS')
    """
    if name not in CSV_LISTS:
        raise ValueError(f"no CSV for {name!r}; choose one of {', '.join(CSV_LISTS)}")
    return with_query(PAGES[name] + ".csv", {**params, "lang": lang_param_value(lang)})


def alignments_url(measure_id: str, lang: str | None = None, *, fmt: str = "json") -> str:
    """The national items a measure supports, with evidence (JSON twin or CSV of its page panel)."""
    suffix = ".csv" if fmt == "csv" else ""
    return with_query(f"/api/measures/{quote(measure_id, safe='')}/alignments{suffix}", {"lang": lang_param_value(lang)})


def supporting_measures_url(item_id: str, lang: str | None = None, *, fmt: str = "json") -> str:
    """The local measures supporting a national item, grouped (JSON twin or CSV of its page panel)."""
    suffix = ".csv" if fmt == "csv" else ""
    return with_query(f"/api/national-items/{quote(item_id, safe='')}/supporting-measures{suffix}",
                      {"lang": lang_param_value(lang)})


def progress_url(indicator_id: str | None = None, lang: str | None = None, **params: object) -> str:
    """Indicator progress as JSON: all indicators, or one with its chart data."""
    path = "/api/progress" + (f"/{quote(indicator_id, safe='')}" if indicator_id else "")
    return with_query(path, {**params, "lang": lang_param_value(lang)})


def gaps_download_url(part: str, lang: str | None = None, **params: object) -> str:
    """A gap list as CSV (``/gaps/<list>.csv``) or the whole report as Excel (``part="xlsx"``)."""
    path = "/gaps.xlsx" if part == "xlsx" else f"/gaps/{quote(part, safe='')}.csv"
    return with_query(path, {**params, "lang": lang_param_value(lang)})


LINK_SCHEMES = ("http", "https", "urn", "mailto")
"""The only schemes a page links (``<a href>``); any other IRI from the data is shown as text."""

_LINK_SCHEME = re.compile(r"(?i)(?:https?://[^/?#\s]|urn:[a-z0-9][a-z0-9-]*:|mailto:[^\s])")
_NOT_IN_A_LINK = re.compile(r"[\x00-\x20\x7f]")


def safe_href(iri: object) -> str | None:
    """``iri`` if a page may link it, else ``None`` (then show it as text): the one rule for links
    whose target can come from the data.

    Linked: absolute http(s) URLs with a host, ``urn:`` and ``mailto:`` IRIs, and this site's own paths
    (``/id/…``, as the builders above make them, ``?…`` and ``#…``). Everything else — ``javascript:``, ``data:``,
    ``vbscript:``, ``file:``, protocol-relative ``//host``, and anything with spaces or control
    characters (browsers drop tabs and newlines, so ``java\tscript:`` would run) — is not.
    Templates use it as the ``safe_href`` filter/global, or through the ``link`` macro of
    ``_macros.html``.

    >>> safe_href("https://example.org/a"), safe_href("urn:isbn:4-00-000000-0"), safe_href("/id/x")
    ('https://example.org/a', 'urn:isbn:4-00-000000-0', '/id/x')
    >>> [safe_href(i) for i in ("javascript:alert(1)", "JAVASCRIPT:x", "java\tscript:x", "data:text/html,x", "//evil.example")]
    [None, None, None, None, None]
    """
    if not isinstance(iri, str) or not iri or _NOT_IN_A_LINK.search(iri):
        return None
    if iri[0] in "#?" or (iri[0] == "/" and iri[1:2] not in ("/", "\\")):
        return iri
    return iri if _LINK_SCHEME.match(iri) else None


__all__ = [
    "DEFAULT_LANG", "LANGS", "default_lang", "using_default_lang", "lang_param_value", "PAGES", "API", "RDF_SUFFIXES", "with_query", "page_url", "api_url", "is_entity",
    "entity_path", "iri_from_path", "entity_url", "rdf_url", "measure_api_url", "trace_url",
    "supporters_url", "viz_url", "query_api_url", "sparql_url", "LINK_SCHEMES", "safe_href",
    "CSV_LISTS", "csv_url", "alignments_url", "supporting_measures_url", "progress_url", "gaps_download_url",
]
