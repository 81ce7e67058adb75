"""``GET /api/gaps?as_of=YYYY-MM-DD[&jurisdiction=key]``: the gap analysis document, the same JSON as ``policykg gaps --json``.

Both call :func:`policykg.graph.analysis.gaps.build_gaps`; docs/gaps.md describes every key.
A malformed ``as_of`` is a 422 in the one error shape, naming the parameter.
"""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from policykg.api.answers import cached, encode_json, json_response
from policykg.api.errors import error_response
from policykg.api.routes.catalog import jurisdiction_param
from policykg.graph import summaries  # also registers the roll-up maintenance with every store write
from policykg.graph.analysis.gaps import build_gaps, parse_as_of
from policykg.graph.jurisdictions import ScopedStore
from policykg.graph.store import Store

router = APIRouter()


@router.get(
    "/api/gaps",
    summary="ギャップ分析 / gap analysis",
    responses={422: {"description": "as_of が日付ではない / as_of is not an ISO date"},
               404: {"description": "知らない自治体のキー（既知のキーを示す） / unknown jurisdiction key (the known keys are listed)"}},
)
async def gaps(
    request: Request,
    as_of: Annotated[str | None, Query(max_length=10, description="基準日 YYYY-MM-DD（既定は今日） / as-of date, default today")] = None,
    jurisdiction: str | None = Depends(jurisdiction_param),
) -> Response:
    """国の項目・施策・指標のギャップと指標の進捗 / gaps between national items, measures and indicators, and indicator progress."""
    try:
        day = parse_as_of(as_of)
    except ValueError as exc:
        return error_response(422, f"基準日が不正です / {exc}", [{"loc": ["query", "as_of"], "msg": str(exc)}])
    return await _cached_plain_json(request, ("gaps", day.isoformat(), jurisdiction),
                                    lambda: gaps_for(request.app.state.store, day, jurisdiction))


def gaps_for(store: Store, day, jurisdiction: str | None = None) -> dict:
    """The gaps document for ``day``: of every jurisdiction, or of one (``jurisdiction``: a checked key):
    its plan and the national side only, every query run over that jurisdiction's named graphs
    (:class:`policykg.graph.jurisdictions.ScopedStore`, nothing copied; blocking)."""
    if jurisdiction is None:
        return build_gaps(store, as_of=day)
    doc = build_gaps(ScopedStore(store, jurisdiction), as_of=day)
    return {**doc, "jurisdiction": jurisdiction}


ROLLUP_PARTS = ("national_items", "jurisdictions", "indicator_status")


@router.get(
    "/api/rollups",
    summary="全国の集計 / national roll-ups",
    responses={404: {"description": "知らない自治体のキー（既知のキーを示す） / unknown jurisdiction key (the known keys are listed)"},
               422: {"description": "part が不正 / unknown part"}},
)
async def rollups(
    request: Request,
    part: Annotated[str | None, Query(max_length=40, description="national_items・jurisdictions・indicator_status の一つだけ（既定はすべて）"
                                                                 " / only one of national_items, jurisdictions, indicator_status (default all)")] = None,
    jurisdiction: str | None = Depends(jurisdiction_param),
) -> Response:
    """全国の集計：国の項目ごとの支える自治体と施策の数、自治体ごとのギャップの件数、記録された指標の状況の件数。
    書き込み（構築・ブックの読み込み・観測値・SPARQL Update）のたびに保たれる集計（graph/summaries.py）を読むだけで、
    要求ごとに数え直さない。``?jurisdiction=`` は自治体ごとの件数をその自治体だけに /
    national roll-ups: per national item the jurisdictions and measures supporting it, per jurisdiction the count of each
    gap kind, and the recorded indicator statuses. Read from the summaries maintained on every write (build, workbook
    load, observations, SPARQL Update; graph/summaries.py), never recomputed per request. ``?jurisdiction=`` limits
    the per-jurisdiction counts to that jurisdiction."""
    if part is not None and part not in ROLLUP_PARTS:
        return error_response(422, f"part は {', '.join(ROLLUP_PARTS)} のいずれか / part must be one of {', '.join(ROLLUP_PARTS)}",
                              [{"loc": ["query", "part"], "msg": f"unknown part {part!r}"}])
    return await _cached_plain_json(request, ("rollups", part, jurisdiction),
                                    lambda: rollups_for(request.app.state.store, part, jurisdiction))


def plain_json(data) -> bytes:
    """``data`` (plain JSON types) as compact UTF-8 JSON, the same bytes as
    :func:`~policykg.api.answers.encode_json` without FastAPI's ``jsonable_encoder`` walk (which took
    longer than the roll-up's own query for 1,789 jurisdictions); anything else goes through it."""
    try:
        return json.dumps(data, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode("utf-8")
    except (TypeError, ValueError):
        return encode_json(data)


async def _cached_plain_json(request: Request, key: tuple, build) -> Response:
    body = await cached(request, ("json", *key), lambda: plain_json(build()))
    return json_response(body)


def rollups_for(store: Store, part: str | None = None, jurisdiction: str | None = None) -> dict:
    """The roll-ups document (blocking): read from the meta graph; built there once if the store keeps none yet."""
    from policykg.graph.queries import load_query, select
    from rdflib import Literal

    summaries.ensure(store)
    doc: dict = {}
    if part in (None, "national_items"):
        doc["national_items"] = [
            {"iri": str(r["item"]), "label": _text(r.get("label")), "label_en": _text(r.get("labelEn")),
             "jurisdictions": int(r["jurisdictions"]), "measures": int(r["measures"])}
            for r in select(store, load_query("rollup-national-items"))]
    if part in (None, "jurisdictions"):
        bindings = {"key": Literal(jurisdiction)} if jurisdiction else None
        rows = [json.loads(str(r["row"])) for r in select(store, load_query("rollup-jurisdiction-gaps"), bindings)]
        doc["jurisdictions"] = sorted(rows, key=lambda r: r["key"])
    if part in (None, "indicator_status"):
        doc["indicator_status"] = [
            {"as_of": str(r["asOf"]), "status": str(r["status"]).rsplit("#", 1)[-1], "count": int(r["count"])}
            for r in select(store, load_query("rollup-indicator-status"))]
    return doc


def _text(value) -> str | None:
    return None if value is None else str(value)
