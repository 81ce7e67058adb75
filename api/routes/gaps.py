"""``GET /api/gaps?as_of=YYYY-MM-DD[&jurisdiction=key]``: the gap analysis document, the same JSON as ``policykg gaps --json``.

Both call :func:`policykg.graph.analysis.gaps.build_gaps`; docs/gaps.md describes every key.
A malformed ``as_of`` is a 422 in the one error shape, naming the parameter.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from policykg.api.answers import cached_json
from policykg.api.errors import error_response
from policykg.api.routes.catalog import jurisdiction_param
from policykg.graph.analysis.gaps import build_gaps, parse_as_of
from policykg.graph.jurisdictions import jurisdiction_view
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
    return await cached_json(request, ("gaps", day.isoformat(), jurisdiction),
                             lambda: gaps_for(request.app.state.store, day, jurisdiction))


def gaps_for(store: Store, day, jurisdiction: str | None = None) -> dict:
    """The gaps document for ``day``: of every jurisdiction, or of one (its plan and the national side
    only, :func:`policykg.graph.jurisdictions.jurisdiction_view`; blocking)."""
    if jurisdiction is None:
        return build_gaps(store, as_of=day)
    doc = build_gaps(jurisdiction_view(store, jurisdiction), as_of=day)
    return {**doc, "jurisdiction": jurisdiction}
