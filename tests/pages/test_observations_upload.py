"""Observations uploaded through the browser (issue 11, item 5): only with the API token, all or
nothing, errors by line and column in Japanese and English, progress recomputed at once."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from html_support import text
from project_paths import SOURCE_DECK

DATA = Path(__file__).parent / "data"
BAD_UNIT = Path(__file__).parent.parent / "gaps" / "data" / "observations" / "synthetic-bad-unit.csv"
TOKEN = "s3cret-token"


@pytest.fixture()
def fresh_planner_store():
    from policykg.graph.build import build_store, bundled_alignment_files

    return build_store([SOURCE_DECK, *bundled_alignment_files()])


def progress_of(client, label: str) -> dict:
    return next(r for r in client.get("/api/progress").json()["indicators"] if r["label"] == label)


def post(client, name: str, body: bytes, token: str | None = TOKEN, **kwargs):
    data = {"token": token} if token is not None else {}
    return client.post("/observations", files={"file": (name, body, "text/csv")}, data=data, **kwargs)


def test_read_only_server_refuses_with_403(make_client, fresh_planner_store):
    client = make_client(store=fresh_planner_store)
    assert "読み取り専用" in client.get("/observations").text
    response = post(client, "obs.csv", (DATA / "synthetic-observations.csv").read_bytes())
    assert response.status_code == 403
    assert progress_of(client, "温室効果ガスの排出量")["observations"] == []


@pytest.mark.parametrize("token", [None, "", "wrong"])
def test_missing_or_wrong_token_is_401(make_client, fresh_planner_store, token):
    client = make_client(store=fresh_planner_store, api_token=TOKEN)
    response = post(client, "obs.csv", (DATA / "synthetic-observations.csv").read_bytes(), token=token)
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert "API トークンが必要です" in response.text
    assert progress_of(client, "温室効果ガスの排出量")["observations"] == []


def test_good_csv_is_loaded_and_progress_recomputed(make_client, fresh_planner_store):
    client = make_client(store=fresh_planner_store, api_token=TOKEN)
    before = client.get("/indicators").text
    assert progress_of(client, "温室効果ガスの排出量")["status"] in ("no_data", "target_passed_no_data")
    response = post(client, "実績 2024.csv", (DATA / "synthetic-observations.csv").read_bytes())
    assert response.status_code == 200, response.text
    words = text(response.text)
    assert "登録しました: 10 件" in words
    assert "温室効果ガスの排出量" in words and "進捗が限定的" in words
    row = progress_of(client, "温室効果ガスの排出量")
    assert row["status"] == "limited_progress" and len(row["observations"]) == 2
    assert client.get("/indicators").text != before, "the cached page was recomputed"
    gaps = client.get("/api/gaps").json()
    assert {r["label"]: r["status"] for r in gaps["indicator_status"]}["ブロードバンドサービス人口普及率"] == "deterioration"


def test_bad_row_loads_nothing_and_names_line_and_column(make_client, fresh_planner_store):
    client = make_client(store=fresh_planner_store, api_token=TOKEN)
    response = post(client, "bad.csv", BAD_UNIT.read_bytes())
    assert response.status_code == 422
    html = response.text
    assert "何も登録していません" in html
    assert "<td class=\"num\">3</td><td>unit</td>" in html
    assert "3 行目「unit」列: 単位がこの指標の単位と合いません" in text(html)
    assert "line 3, column unit: unit '円' does not match the indicator's unit" in text(html)
    # line 2 was valid, but all or nothing: it is not loaded either
    assert progress_of(client, "自動運転実証試験件数")["observations"] == []


def test_bearer_header_and_json_reply(make_client, fresh_planner_store):
    client = make_client(store=fresh_planner_store, api_token=TOKEN)
    body = (DATA / "synthetic-observations.csv").read_bytes()
    response = post(client, "obs.csv", body, token=None,
                    headers={"Authorization": f"Bearer {TOKEN}", "Accept": "application/json"})
    assert response.status_code == 200
    doc = response.json()
    assert doc["ok"] is True and doc["loaded"] == 10
    assert {r["label"] for r in doc["indicators"]} >= {"温室効果ガスの排出量", "リスク分散による企業立地件数"}
    bad = post(client, "bad.csv", BAD_UNIT.read_bytes(), token=None,
               headers={"Authorization": f"Bearer {TOKEN}", "Accept": "application/json"})
    assert bad.status_code == 422
    error = bad.json()
    assert error["ok"] is False and error["errors"][0]["line"] == 3 and error["errors"][0]["column"] == "unit"


def test_excel_workbook_is_accepted(make_client, fresh_planner_store):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for line in (DATA / "synthetic-observations.csv").read_text(encoding="utf-8").splitlines():
        import csv

        sheet.append(next(csv.reader([line])))
    out = io.BytesIO()
    book.save(out)
    client = make_client(store=fresh_planner_store, api_token=TOKEN)
    response = client.post("/observations", files={"file": ("obs.xlsx", out.getvalue(),
                                                             "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")},
                           data={"token": TOKEN})
    assert response.status_code == 200, text(response.text)
    assert len(progress_of(client, "リスク分散による企業立地件数")["observations"]) == 3


@pytest.mark.parametrize(("name", "body", "wanted"), [
    ("obs.txt", b"x", "CSV（.csv）か Excel（.xlsx）"),
    ("obs.csv", "indicator,date\n".encode("shift_jis"), "必要な列がありません"),
    ("obs.csv", "指標,日付\n".encode("shift_jis"), "UTF-8 の CSV"),
    ("obs.xlsx", b"not a zip", "Excel ファイルとして読めません"),
])
def test_unusable_files_are_refused_in_words(make_client, fresh_planner_store, name, body, wanted):
    client = make_client(store=fresh_planner_store, api_token=TOKEN)
    response = post(client, name, body)
    assert response.status_code == 422
    assert wanted in text(response.text)
