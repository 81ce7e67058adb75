"""The one loader of ``.rq`` files: the canned queries, and the queries the code runs itself.

Canned queries are ``graph/queries/<name>.rq``: listed by :func:`query_names`, run by name from the
CLI, the API and the SPARQL console. The queries code runs itself live beside their callers and
are not listed: ``graph/queries/internal`` (labels, types, trace, suggestions, progress records),
``api/catalog/queries`` (the JSON API) and ``viz/queries`` (the network view); :func:`read_query`
loads any of them by package and name, and :func:`select` runs one. Every file starts with a comment
saying what it answers; the header fields below are read when present.

Header lines (before the query text)::

    # title: 日本語の題
    # title_en: English title
    # description: 日本語の説明
    # description_en: English description
    # params: ?asOf (xsd:date, default today), ?plan (iri)

The files carry no PREFIX lines: :func:`load_query` prepends
:func:`policykg.namespaces.sparql_prefixes`. Parameters are bound by the store (trailing VALUES /
initBindings), never spliced into the text; :func:`bind_params` turns command-line or URL strings
into typed RDF terms and refuses values that do not fit the declared type.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from importlib import resources

from rdflib import Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Identifier

from policykg.errors import QueryError, QueryNotFound
from policykg.graph.store import SelectResult, Store
from policykg.labels import LabelIndex
from policykg.namespaces import expand_prefixed, sparql_prefixes

QUERY_PACKAGE = "policykg.graph"
QUERY_FOLDER = "queries"
_NAME = re.compile(r"[a-z0-9][a-z0-9-]*")
_HEADER = re.compile(r"#\s*(title|title_en|description|description_en|params)\s*:\s*(.*)")
_PARAM = re.compile(r"\?(\w+)\s*(?:\(([^)]*)\))?")


@dataclass(frozen=True)
class QueryParam:
    """A declared parameter: ``?asOf (xsd:date, default today)`` → name, datatype, default."""

    name: str
    datatype: str = "xsd:string"
    default: str | None = None


@dataclass(frozen=True)
class CannedQuery:
    """A stored query; ``text`` is ready to run (PREFIX lines included)."""

    name: str
    title: str
    title_en: str
    description: str
    description_en: str
    params: list[QueryParam] = field(default_factory=list)
    text: str = ""


def parse_params(spec: str) -> list[QueryParam]:
    """Parse a ``# params:`` value.

    >>> parse_params("?asOf (xsd:date, default today), ?plan (iri)")
    [QueryParam(name='asOf', datatype='xsd:date', default='today'), QueryParam(name='plan', datatype='iri', default=None)]
    """
    params = []
    for name, inside in _PARAM.findall(spec):
        parts = [p.strip() for p in inside.split(",") if p.strip()]
        datatype, default = "xsd:string", None
        for part in parts:
            if part.lower().startswith("default"):
                default = part[len("default"):].strip() or None
            else:
                datatype = part
        params.append(QueryParam(name, datatype, default))
    return params


def parse_query_file(name: str, source: str) -> CannedQuery:
    """Split a ``.rq`` file into its header fields and the query (with PREFIX lines prepended)."""
    header: dict[str, str] = {}
    params: list[QueryParam] = []
    for line in source.splitlines():
        m = _HEADER.fullmatch(line.strip())
        if not m:
            continue
        key, value = m.group(1), m.group(2).strip()
        if key == "params":
            params.extend(parse_params(value))
        else:
            header[key] = value
    title = header.get("title", name)
    description = header.get("description", "")
    return CannedQuery(
        name=name,
        title=title,
        title_en=header.get("title_en", title),
        description=description,
        description_en=header.get("description_en", description),
        params=params,
        text=sparql_prefixes() + source,
    )


def _folder():
    return resources.files(QUERY_PACKAGE).joinpath(QUERY_FOLDER)


def query_names() -> list[str]:
    """Names of every canned query, sorted."""
    return sorted(p.name[:-3] for p in _folder().iterdir() if p.name.endswith(".rq") and _NAME.fullmatch(p.name[:-3]))


def load_query(name: str) -> CannedQuery:
    """The canned query ``name``.

    :raises QueryNotFound: no such query; the error lists the names that exist.
    """
    names = query_names()
    if name not in names:
        raise QueryNotFound(name, names)
    return _read(name)


def list_queries() -> list[CannedQuery]:
    """Every canned query, sorted by name."""
    return [_read(n) for n in query_names()]


def _read(name: str) -> CannedQuery:
    return read_query(QUERY_PACKAGE, name)


@lru_cache(maxsize=None)
def read_query(package: str, name: str, folder: str = QUERY_FOLDER) -> CannedQuery:
    """``<folder>/<name>.rq`` of ``package`` (``policykg.graph``, ``policykg.api.catalog``, ``policykg.viz``),
    header parsed and PREFIX lines prepended. Read once per process."""
    source = resources.files(package).joinpath(*folder.split("/"), f"{name}.rq").read_text(encoding="utf-8")
    return parse_query_file(name, source)


def internal_query(name: str) -> CannedQuery:
    """``graph/queries/internal/<name>.rq``: a query the graph layer runs itself (never listed as canned)."""
    return read_query(QUERY_PACKAGE, name, f"{QUERY_FOLDER}/internal")


def select(store: Store, query: CannedQuery, bindings: Mapping[str, Identifier] | None = None) -> list[dict[str, Identifier]]:
    """Rows of a SELECT ``query``; ``bindings`` are bound by the store as a VALUES block (never spliced).
    For one jurisdiction, pass its :class:`policykg.graph.jurisdictions.ScopedStore` as ``store``
    (or call :func:`policykg.graph.jurisdictions.select_in`).

    :raises TypeError: the query is not a SELECT (a packaging mistake, not user input).
    """
    result = store.query(query.text, bindings=bindings or None)
    if not isinstance(result, SelectResult):
        raise TypeError(f"query {query.name} must be a SELECT")
    return result.rows


def read_label_index(store: Store) -> LabelIndex:
    """The :class:`~policykg.labels.LabelIndex` of ``store``, read with the shared ``labels.rq`` and ``types.rq``."""
    return LabelIndex.from_rows(select(store, internal_query("labels")), select(store, internal_query("types")))


def read_label_index_of(store: Store, subjects: Iterable[URIRef]) -> LabelIndex:
    """The :class:`~policykg.labels.LabelIndex` of ``subjects`` only: ``labels.rq`` and ``types.rq`` joined
    with one VALUES block of the subjects (each IRI written by rdflib, escaped), the rows in the whole-store
    order. A list of a few hundred entities need not read the labels of a whole national-scale store.
    """
    iris = sorted({URIRef(s) for s in subjects if isinstance(s, URIRef)}, key=str)
    if not iris:
        return LabelIndex.from_rows([], [])
    block = "VALUES ?s { " + " ".join(iri.n3() for iri in iris) + " }\n"

    def rows(name: str) -> list:
        query = internal_query(name)
        head, brace, body = query.text.partition("{")  # the VALUES block first in the WHERE group
        return select(store, replace(query, text=head + brace + "\n" + block + body))

    return LabelIndex.from_rows(rows("labels"), rows("types"))


def _expand(value: str) -> URIRef:
    expanded = expand_prefixed(value)
    if expanded != value:
        return URIRef(expanded)
    if re.fullmatch(r"[a-zA-Z][a-zA-Z0-9+.-]*:[^\s<>\"{}|^`\\]+", value):
        return URIRef(value)
    raise ValueError("not an IRI or a known prefixed name")


def to_term(param: QueryParam, value: str) -> Identifier:
    """A string value as the RDF term ``param`` declares.

    >>> to_term(QueryParam("asOf", "xsd:date"), "2026-04-01")
    rdflib.term.Literal('2026-04-01', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#date'))

    :raises QueryError: the value does not fit the type (message names the parameter).
    """
    kind = param.datatype.lower()
    try:
        if kind in ("iri", "uri"):
            return _expand(value)
        if kind == "xsd:date":
            day = dt.date.today() if value == "today" else dt.date.fromisoformat(value)
            return Literal(day.isoformat(), datatype=XSD.date)
        if kind == "xsd:integer":
            return Literal(str(int(value)), datatype=XSD.integer)
        if kind == "xsd:decimal":
            return Literal(str(Decimal(value)), datatype=XSD.decimal)
        if kind.startswith("@"):
            return Literal(value, lang=kind[1:])
        return Literal(value)
    except (ValueError, InvalidOperation) as exc:
        raise QueryError(f"parameter ?{param.name} expects {param.datatype}, got {value!r}: {exc}") from None


def bind_params(query: CannedQuery, values: Mapping[str, str]) -> dict[str, Identifier]:
    """Typed bindings for ``query`` from strings; declared defaults fill the gaps.

    :raises QueryError: an undeclared parameter name or a value of the wrong type.
    """
    declared = {p.name: p for p in query.params}
    unknown = sorted(set(values) - set(declared))
    if unknown:
        known = ", ".join("?" + n for n in declared) or "none"
        raise QueryError(f"query {query.name!r} has no parameter {', '.join('?' + u for u in unknown)}; parameters: {known}")
    bindings: dict[str, Identifier] = {}
    for name, param in declared.items():
        raw = values.get(name, param.default)
        if raw is not None:
            bindings[name] = to_term(param, raw)
    return bindings


__all__ = [
    "CannedQuery", "QueryParam", "load_query", "list_queries", "query_names",
    "parse_query_file", "parse_params", "bind_params", "to_term",
    "read_query", "internal_query", "select", "read_label_index",
]
