"""The SPARQL console's server-side run, through the endpoint's own guard and killable workers.

The query goes through ``policykg.graph.sparql_guard`` (SERVICE/LOAD refused, FROM dropped) and
runs in the ``/sparql`` worker pool (time limit, row cap), so the console is never a way around
the endpoint's rules. The reply (W3C JSON or N-Triples) is laid out as table cells.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection

from rdflib import BNode, Graph, Literal, URIRef

from policykg.api import urls
from policykg.api.sparql.worker import QueryJob
from policykg.errors import QueryError
from policykg.graph import results
from policykg.graph.sparql_guard import analyse_query, resolve_dataset

DOWNLOAD_FORMATS = ("csv", "json", "tsv")
"""Formats offered as download links through ``/sparql?format=``."""

Execute = Callable[[QueryJob], tuple]


def cell(term, lang: str) -> dict | None:
    """One result value as text, with a link for our entities (and for web IRIs)."""
    if term is None:
        return None
    if isinstance(term, URIRef):
        if urls.is_entity(term):
            return {"text": str(term), "url": urls.entity_url(term, lang)}
        return {"text": str(term), "url": str(term) if str(term).startswith(("http://", "https://")) else None}
    if isinstance(term, BNode):
        return {"text": f"_:{term}"}
    if isinstance(term, Literal):
        return {"text": str(term), "lang": term.language}
    return {"text": str(term)}


def _json_cell(value: dict | None, lang: str) -> dict | None:
    if value is None:
        return None
    if value["type"] == "uri":
        return cell(URIRef(value["value"]), lang)
    if value["type"] == "bnode":
        return cell(BNode(value["value"]), lang)
    return {"text": value["value"], "lang": value.get("xml:lang")}


def run_console(execute: Execute, text: str, lang: str, *, max_rows: int, allow_service: bool = False,
                allow_load: bool = False, graphs: Collection[str] = ()) -> dict:
    """Evaluate a query for the console page: ``{vars, rows, boolean, truncated}``.

    ``FROM`` / ``FROM NAMED`` select among ``graphs`` (the store's graph names) exactly as on
    ``/sparql`` (:func:`~policykg.graph.sparql_guard.resolve_dataset`): unknown graphs are empty.

    :raises ForbiddenQuery: SERVICE or LOAD while switched off.
    :raises QueryTimeout: the query ran past the time limit (the worker was stopped).
    :raises QueryError: the query does not parse or cannot be evaluated.
    """
    guarded = analyse_query(text, allow_service=allow_service, allow_load=allow_load)
    graph_form = guarded.form in ("CONSTRUCT", "DESCRIBE")
    media = results.NTRIPLES if graph_form else results.SPARQL_JSON
    default, named = resolve_dataset(guarded.default_graphs, guarded.named_graphs, graphs)
    reply = execute(QueryJob(text=guarded.text, media_type=media, max_rows=max_rows,
                             default_graphs=tuple(default), named_graphs=tuple(named)))
    if reply[0] == "syntax":
        where = f" (line {reply[1]}, column {reply[2]})" if reply[1] else ""
        raise QueryError(f"SPARQL 構文エラー / syntax error{where}")
    if reply[0] != "ok":
        raise QueryError("SPARQL を評価できませんでした / the query could not be evaluated")
    _, body, _media, truncated = reply
    if graph_form:
        graph = Graph().parse(data=body.decode("utf-8"), format="nt")
        variables = ["subject", "predicate", "object"]
        rows = [[cell(term, lang) for term in triple] for triple in sorted(graph)]
        return {"vars": variables, "rows": rows, "boolean": None, "truncated": truncated}
    doc = json.loads(body)
    if "boolean" in doc:
        return {"vars": [], "rows": [], "boolean": doc["boolean"], "truncated": False}
    variables = doc["head"]["vars"]
    rows = [[_json_cell(b.get(v), lang) for v in variables] for b in doc["results"]["bindings"]]
    return {"vars": variables, "rows": rows, "boolean": None, "truncated": truncated}


__all__ = ["run_console", "cell", "DOWNLOAD_FORMATS"]
