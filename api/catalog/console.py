"""The SPARQL console's server-side run, through the endpoint's own admission and confined workers.

The query becomes the same worker job as on ``/sparql`` (parsed and checked in the worker: SERVICE,
LOAD and graphs outside the store refused; time limit, memory cap, row cap), so the console is never
a way around the endpoint's rules. The reply (W3C JSON or N-Triples) is laid out as table cells.
"""

from __future__ import annotations

import json

from rdflib import BNode, Graph, Literal, URIRef

from policykg import urls
from policykg.errors import ForbiddenQuery, QueryError
from policykg.graph import results
from policykg.graph.evaluation import QueryJob
from policykg.graph.sparql_guard import MAX_NESTING

DOWNLOAD_FORMATS = ("csv", "json", "tsv")
"""Formats offered as download links through ``/sparql?format=``."""



def cell(term, lang: str) -> dict | None:
    """One result value as text, with a link for our entities (and for web IRIs)."""
    if term is None:
        return None
    if isinstance(term, URIRef):
        if urls.is_entity(term):
            return {"text": str(term), "url": urls.entity_url(term, lang)}
        return {"text": str(term), "url": urls.safe_href(str(term))}
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


def console_job(text: str, *, max_rows: int, allow_service: bool = False, allow_load: bool = False,
                max_nesting: int = MAX_NESTING) -> QueryJob:
    """The worker job for a console query: W3C JSON for SELECT/ASK, N-Triples for graphs."""
    return QueryJob(text=text, media_type=results.SPARQL_JSON, graph_media_type=results.NTRIPLES,
                    max_rows=max_rows, allow_service=allow_service, allow_load=allow_load, max_nesting=max_nesting)


def console_result(reply: tuple, lang: str) -> dict:
    """A worker reply as the console's table: ``{vars, rows, boolean, truncated}``.

    :raises ForbiddenQuery: SERVICE, LOAD or a graph outside the store.
    :raises QueryError: the query does not parse, nests too deeply or cannot be evaluated.
    """
    if reply[0] == "syntax":
        where = f" (line {reply[1]}, column {reply[2]})" if reply[1] else ""
        raise QueryError(f"SPARQL 構文エラー / syntax error{where}")
    if reply[0] == "deep":
        raise QueryError(f"入れ子が深すぎます（上限 {reply[2]} 段）/ the query nests deeper than {reply[2]} levels")
    if reply[0] == "forbidden":
        raise ForbiddenQuery(reply[1])
    if reply[0] != "ok":
        raise QueryError("SPARQL を評価できませんでした / the query could not be evaluated")
    graph_form = reply[2].startswith(results.NTRIPLES)
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


__all__ = ["console_job", "console_result", "cell", "DOWNLOAD_FORMATS"]
