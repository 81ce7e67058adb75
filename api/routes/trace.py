"""Trace routes: a measure up to the national items it supports, a national item down to its supporters.

Same JSON as ``policykg trace --json`` (contract in docs/alignment.md). ``{id}`` is the entity's
last IRI segment (:func:`policykg.ids.local_id`); an id of the wrong kind is a 404 like an unknown one.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import Response

from policykg.api.answers import cached_json
from policykg.api.deps import get_store
from policykg.api.routes.catalog import ERRORS, lang_param
from policykg.labels import NATIONAL_KINDS
from policykg.graph.analysis.trace import measure_trace, national_trace, projection
from policykg.namespaces import PK

router = APIRouter(tags=["trace"])

INFERRED = Query(False, description="推定（未確認）の対応付けも含める / include inferred (unreviewed) links")


@router.get("/api/measures/{id}/trace", responses=ERRORS,
            summary="取組から国の施策へのトレース / trace a measure to the national items it supports")
async def get_measure_trace(
    request: Request,
    id: str = Path(..., max_length=200, description="取組のID（IRIの末尾）/ measure id (last IRI segment)"),
    include_inferred: bool = INFERRED,
    lang: str = Depends(lang_param),
) -> Response:
    def build() -> dict:
        p = projection(get_store(request))
        return measure_trace(p, p.index.resolve_id(id, kinds={PK.Measure}), include_inferred=include_inferred, lang=lang)

    return await cached_json(request, ("trace", id, include_inferred, lang), build)


@router.get("/api/national-items/{id}/supporters", responses=ERRORS,
            summary="国の施策を支える道の取組 / local measures, directions and indicators supporting a national item")
async def get_national_supporters(
    request: Request,
    id: str = Path(..., max_length=200, description="国の施策・計画のID（IRIの末尾）/ national item or plan id (last IRI segment)"),
    include_inferred: bool = INFERRED,
    lang: str = Depends(lang_param),
) -> Response:
    def build() -> dict:
        p = projection(get_store(request))
        return national_trace(p, p.index.resolve_id(id, kinds=NATIONAL_KINDS), include_inferred=include_inferred, lang=lang)

    return await cached_json(request, ("supporters", id, include_inferred, lang), build)
