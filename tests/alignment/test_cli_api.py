"""`policykg align …` / `policykg trace` and the two trace routes, on the bundled graph."""

from __future__ import annotations

import json
import shutil

import pytest
from rdflib import URIRef
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from policykg.api.app import create_app
from policykg.cli import app
from policykg.cli import align_commands
from policykg.graph.analysis.trace import trace_measure, trace_national
from policykg.ids import local_id
from policykg.namespaces import INFERRED_ALIGNMENTS_GRAPH

from app_support import api_settings
from project_paths import CURATED_CSV


@pytest.fixture()
def cli(monkeypatch, hokkaido_store):
    """A CliRunner whose commands use the session's bundled store instead of rebuilding it."""
    monkeypatch.setattr(align_commands, "open_store_for_cli", lambda *a, **k: hokkaido_store)
    runner = CliRunner()
    return lambda *args: runner.invoke(app, list(args))


@pytest.fixture(scope="module")
def client(hokkaido_store):
    with TestClient(create_app(api_settings(), store=hokkaido_store)) as c:
        yield c


def test_cli_trace_json_is_the_library_answer(cli, hokkaido_store):
    result = cli("trace", "ICTを活用した防災対策", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == trace_measure(hokkaido_store, "ICTを活用した防災対策")


def test_cli_trace_tree_is_japanese_first(cli):
    result = cli("trace", "ICTを活用した防災対策")
    assert result.exit_code == 0
    assert "施策 / measure: ICTを活用した防災対策" in result.output
    assert "防災・減災、国土強靱化等による安心・安全な地域づくり [supports / curated]" in result.output


def test_cli_trace_all_and_national(cli, hokkaido_store):
    every = json.loads(cli("trace", "--all", "--json").output)
    assert len(every) == 39
    national = cli("trace", "--national", "観光DX", "--json")
    assert json.loads(national.output) == trace_national(hokkaido_store, "観光DX")


@pytest.mark.parametrize("args,words", [
    (("trace", "遠隔医療の推進"), "遠隔医療・遠隔介護等の推進"),
    (("trace", "--national", "デジタル人材の育成・確保", "--all"), "exactly one"),
    (("align", "suggest", "--method", "magic"), "fusion"),
    (("align", "suggest", "--record"), "--store"),
])
def test_cli_errors_exit_2_with_a_useful_message(cli, args, words):
    result = cli(*args)
    assert result.exit_code == 2
    assert words in result.output


def test_cli_suggest_json_shape(cli):
    result = cli("align", "suggest", "--json", "--top", "3")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert len(data) == 39 and all(len(e["candidates"]) == 3 for e in data)


def test_cli_evaluate_json(cli):
    data = json.loads(cli("align", "evaluate", "--json", "--method", "sudachi", "--method", "ngram").output)
    assert set(data["methods"]) == {"sudachi", "ngram"}


def test_cli_accept_appends_a_validated_row(cli, tmp_path):
    target = tmp_path / "curated.csv"
    shutil.copy(CURATED_CSV, target)
    before = target.read_bytes()
    bad = cli("align", "accept", "介護ロボット導入の推進", "存在しない項目", "--rationale", "x", "--file", str(target))
    assert bad.exit_code == 2 and "national_label" in bad.output
    assert target.read_bytes() == before
    ok = cli("align", "accept", "介護ロボット導入の推進", "仕事と子育て・介護が両立できる環境整備",
             "--rationale", "介護の負担軽減に寄与する。", "--relation", "contributes_to", "--curator", "テスト",
             "--date", "2026-12-03", "--file", str(target))
    assert ok.exit_code == 0, ok.output
    assert target.read_bytes().startswith(before)
    assert "介護ロボット導入の推進,,仕事と子育て・介護が両立できる環境整備" in target.read_text(encoding="utf-8-sig")


def test_api_measure_trace_equals_library(client, hokkaido_store):
    trace = trace_measure(hokkaido_store, "北海道型のMaaSの展開")
    response = client.get(f"/api/measures/{local_id(trace['measure']['iri'])}/trace")
    assert response.status_code == 200
    assert response.json() == trace


def test_api_national_supporters_equals_library(client, hokkaido_store):
    doc = trace_national(hokkaido_store, "デジタル人材の育成・確保")
    response = client.get(f"/api/national-items/{local_id(doc['national']['iri'])}/supporters", params={"include_inferred": "false"})
    assert response.status_code == 200
    assert response.json() == doc
    assert {e["label"] for e in doc["measures"]} >= {"データ利活用人材の育成", "北海道職員のデジタル人材育成に関する計画の実行"}


@pytest.mark.parametrize("path", [
    "/api/measures/m-doesnotexist/trace",
    "/api/national-items/m-doesnotexist/supporters",
    "/api/measures/digiden-strategy/trace",          # a plan id is not a measure
])
def test_api_unknown_or_wrong_kind_id_is_404_in_the_error_shape(client, path):
    response = client.get(path)
    assert response.status_code == 404
    body = response.json()
    assert body["ok"] is False and body["status"] == 404 and body["error"]


def test_api_plan_id_is_a_national_item(client):
    response = client.get("/api/national-items/jichitai-dx-plan/supporters")
    assert response.status_code == 200
    assert response.json()["national"]["label"] == "自治体DX推進計画"


META = URIRef("urn:policykg:meta")


def test_record_writes_validated_inferred_graph_only(store_copy):
    before = _graph_sizes(store_copy)
    result = align_commands.run_suggest(store_copy, top=3, record=True)
    after = _graph_sizes(store_copy)
    # the meta graph is policykg's own bookkeeping (roll-ups kept on every write, graph/summaries.py)
    assert {g: n for g, n in after.items() if g not in (INFERRED_ALIGNMENTS_GRAPH, META)} == \
        {g: n for g, n in before.items() if g != META}
    assert after[INFERRED_ALIGNMENTS_GRAPH] > 0
    traced = trace_measure(store_copy, result[0]["measure"]["iri"], include_inferred=True)
    inferred = [s for s in traced["supports"] if s["evidence"] == "inferred"]
    assert {s["iri"] for s in inferred} == {c["iri"] for c in result[0]["candidates"]}
    assert sorted(s["score"] for s in inferred) == sorted(c["score"] for c in result[0]["candidates"])


def _graph_sizes(store) -> dict:
    sizes: dict = {}
    for _s, _p, _o, g in store.quads():
        sizes[g] = sizes.get(g, 0) + 1
    return sizes
