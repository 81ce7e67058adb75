"""Canned queries (``policykg.graph.queries``): list them, and the worker job that runs one with bound parameters."""

from __future__ import annotations

from collections.abc import Mapping

from policykg import urls
from policykg.errors import QueryError
from policykg.graph import queries, results
from policykg.graph.evaluation import QueryJob

MAX_VALUE_LENGTH = 2000


def describe_query(query: queries.CannedQuery, lang: str) -> dict:
    """A canned query as the API and the console list it (title/description in ``lang``)."""
    en = lang == "en"
    return {
        "name": query.name,
        "title": (query.title_en if en else query.title) or query.name,
        "description": (query.description_en if en else query.description) or "",
        "title_ja": query.title,
        "title_en": query.title_en,
        "description_ja": query.description,
        "description_en": query.description_en,
        "params": [{"name": p.name, "datatype": p.datatype, "default": p.default} for p in query.params],
        "url": urls.query_api_url(query.name),
        "text": query.text,
    }


def list_canned(lang: str) -> list[dict]:
    """Every canned query, sorted by name."""
    return [describe_query(q, lang) for q in queries.list_queries()]


def get_canned(name: str) -> queries.CannedQuery:
    """The canned query called ``name``.

    :raises QueryNotFound: no such query (the message lists the available names).
    """
    return queries.load_query(name)


def canned_job(name: str, params: Mapping[str, str], *, max_rows: int, graphs: tuple[str, ...] = ()) -> QueryJob:
    """The worker job for a canned query: parameters typed and bound by the engine, never spliced.

    The worker checks and runs it like any ``/sparql`` query: parse-tree guard, confinement, time
    limit, memory cap and row cap. ``graphs``: the dataset (default and named graphs) of one jurisdiction
    (:func:`policykg.graph.jurisdictions.scope_graphs`); empty = the whole store.

    :raises QueryNotFound: unknown query name.
    :raises QueryError: an undeclared parameter, a value of the wrong type, or a value too long.
    """
    query = get_canned(name)
    for key, value in params.items():
        if len(value) > MAX_VALUE_LENGTH:
            raise QueryError(f"パラメータ {key} が長すぎます / parameter {key} is longer than {MAX_VALUE_LENGTH} characters")
    bindings = queries.bind_params(query, params)
    return QueryJob(
        text=query.text,
        media_type=results.SPARQL_JSON,
        max_rows=max_rows,
        bindings=tuple(sorted(bindings.items())),
        default_graphs=tuple(graphs),
        named_graphs=tuple(graphs),
        graph_as_rows=True,
    )


__all__ = ["list_canned", "get_canned", "canned_job", "describe_query", "MAX_VALUE_LENGTH"]
