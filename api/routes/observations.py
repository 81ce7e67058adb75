"""Observations through the browser: ``GET /observations`` (the form), ``POST /observations`` (upload a
CSV or Excel file, validated all or nothing), ``GET /observations/template.csv``.

Writing needs the server's API token (``POLICYKG_API_TOKEN``), sent as ``Authorization: Bearer`` or
in the form's token field (a browser form cannot set headers; the field doubles as CSRF protection):
no token configured → 403 (read-only server), a missing or wrong token → 401. A successful upload
bumps the store generation, so every cached answer (gaps, progress, pages) is recomputed at once;
the reply lists the indicators the file touched with their new status.
"""

from __future__ import annotations

import hmac
import json
import threading
from datetime import date

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from policykg import urls
from policykg.api.catalog import progress_view, uploads
from policykg.api import negotiation
from policykg.api.deps import get_settings, get_store
from policykg.api.errors import error_response
from policykg.api.routes.catalog import lang_param
from policykg.api.routes.pages import render

router = APIRouter(include_in_schema=False)

_UPLOAD_LOCK = threading.Lock()


def _token_problem(request: Request, form_token: str | None) -> tuple[int, str, str] | None:
    """``None`` when the request may write, else (status, Japanese, English)."""
    token = get_settings(request).api_token
    if not token:
        return 403, "このサーバーは読み取り専用です（API トークンが設定されていません）。", \
            "This server is read-only (no API token is configured)."
    scheme, _, credentials = request.headers.get("authorization", "").partition(" ")
    given = credentials.strip() if scheme.lower() == "bearer" else (form_token or "")
    if not given or not hmac.compare_digest(given.encode("utf-8"), token.encode("utf-8")):
        return 401, "API トークンが必要です（正しいトークンを入力してください）。", "A valid API token is required."
    return None


def _wants_json(request: Request) -> bool:
    return negotiation.choose(request.headers.get("accept"), "form") == negotiation.JSON


def _page(request: Request, lang: str, *, status: int = 200, **context) -> HTMLResponse:
    return render(request, "observations.html", lang, urls.progress_url(None, lang), status=status,
                  writable=bool(get_settings(request).api_token), template_url="/observations/template.csv",
                  accepted=", ".join(uploads.ACCEPTED_SUFFIXES), **context)


@router.get("/observations", response_class=HTMLResponse)
def observations_form(request: Request, lang: str = Depends(lang_param)) -> HTMLResponse:
    return _page(request, lang)


@router.get("/observations/template.csv")
def observations_template() -> Response:
    from importlib import resources

    body = resources.files("policykg.data").joinpath("observations", "template.csv").read_bytes()
    return Response(body, media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="observations-template.csv"'})


@router.post("/observations")
async def observations_upload(request: Request, lang: str = Depends(lang_param)) -> Response:
    try:
        form = await request.form()
    except Exception:  # a body that is not a form (python-multipart raises several types)
        return error_response(400, "フォームとして読めません / the request is not a multipart form")
    try:  # the uploaded file is spooled to a temporary file: closed however the request ends
        return await _answer_upload(request, lang, form)
    finally:
        await form.close()


async def _answer_upload(request: Request, lang: str, form) -> Response:
    upload = form.get("file")
    token = form.get("token")
    problem = _token_problem(request, token if isinstance(token, str) else None)
    if problem:
        status, ja, en = problem
        headers = {"WWW-Authenticate": 'Bearer realm="policykg"'} if status == 401 else None
        if _wants_json(request):
            return error_response(status, f"{ja} / {en}", headers=headers)
        page = _page(request, lang, status=status, errors=[{"ja": ja, "en": en}])
        if headers:
            page.headers.update(headers)
        return page
    if upload is None or isinstance(upload, str):
        errors = [{"line": None, "column": None, "ja": "ファイルを選んでください", "en": "choose a file to upload"}]
    else:
        data = await upload.read(uploads.MAX_UPLOAD_BYTES + 1)
        store = get_store(request)
        try:
            loaded = await run_in_threadpool(_load, request, upload.filename, data)
        except uploads.UploadError as exc:
            errors = exc.errors
        else:
            day = date.today()
            rows = progress_view.progress_rows(store, as_of=day, lang=lang)
            touched = [r for r in rows.values() if r["observations"]]
            if _wants_json(request):
                return Response(json.dumps({"ok": True, "loaded": loaded, "as_of": day.isoformat(),
                                                          "indicators": touched}, ensure_ascii=False),
                                media_type="application/json")
            return _page(request, lang, loaded=loaded, filename=upload.filename, touched=touched, as_of=day.isoformat())
    if _wants_json(request):
        return error_response(422, "; ".join(f"{e['ja']} / {e['en']}" for e in errors), errors)
    return _page(request, lang, status=422, errors=errors)


def _load(request: Request, filename: str | None, data: bytes) -> int:
    """One upload at a time (a load validates the whole graph and replaces a named graph)."""
    with _UPLOAD_LOCK:
        return uploads.load_upload(get_store(request), filename, data)
