"""``policykg gaps --json`` and ``GET /api/gaps`` return the same document; bad input is refused."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from policykg.api.app import create_app
from policykg.cli import app as cli_app
from policykg.graph.analysis.gaps import GAP_LISTS
from policykg.graph.analysis.progress import Status

from app_support import api_settings
from project_paths import ROOT

DATA = Path(__file__).parent / "data" / "observations"
AS_OF = "2026-12-03"


@pytest.fixture(scope="module")
def client(hokkaido_store):
    with TestClient(create_app(api_settings(), store=hokkaido_store)) as c:
        yield c


@pytest.fixture(scope="module")
def cli_doc():
    result = CliRunner().invoke(cli_app, ["gaps", "--json", "--as-of", AS_OF])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_cli_and_api_return_the_same_document(client, cli_doc):
    response = client.get("/api/gaps", params={"as_of": AS_OF})
    assert response.status_code == 200
    assert response.json() == cli_doc


def test_document_shape(cli_doc):
    assert cli_doc["as_of"] == AS_OF
    for key in GAP_LISTS:
        assert isinstance(cli_doc[key], list)
        for item in cli_doc[key]:
            assert item["iri"].startswith("https://w3id.org/policykg/id/") and item["label"]
    for item in cli_doc["national_items_without_measures"]:
        assert set(item["plan"]) >= {"iri", "label"}
        assert item["pillar"] is None or set(item["pillar"]) >= {"iri", "label"}
    for item in cli_doc["directions_without_numeric_indicator"]:
        assert set(item["area"]) >= {"iri", "label"}
    for item in cli_doc["indicators_past_target_without_observation"]:
        assert len(item["target_date"]) == 10
    statuses = cli_doc["indicator_status"]
    assert len(statuses) == 28  # 21 numeric rows in the 参考資料 tables + 7 デジ田 KPIs (data/national)
    for row in statuses:
        assert row["status"] in {s.value for s in Status}
        assert set(row) >= {"iri", "label", "status", "baseline", "target", "latest"}
        assert row["baseline"] is None or set(row["baseline"]) >= {"value", "date"}
    matrix = cli_doc["coverage_matrix"]
    assert len(matrix["rows"]) == 7 and len(matrix["columns"]) == 5
    assert [len(r) for r in matrix["counts"]] == [5] * 7
    assert [c["label"] for c in matrix["columns"]] == ["暮らし", "産業", "行政", "データの利活用", "基盤整備"]


def test_without_observations_every_due_indicator_has_no_data(cli_doc):
    counts = cli_doc["status_counts"]
    # due before 2026-12-03 and never observed: 20 local indicators + 2 デジ田 KPIs whose only target was FY2025
    # (1人1台端末, 物流DX; data/national); 温室効果ガス (FY2030) and 5 デジ田 KPIs (next target FY2026 or later)
    # are not due yet
    assert counts["target_passed_no_data"] == 22 and counts["no_data"] == 6
    assert sum(counts.values()) == 28


@pytest.mark.parametrize("value", ["2026-13-01", "yesterday", "2025-02-30"])
def test_api_bad_as_of(client, value):
    response = client.get("/api/gaps", params={"as_of": value})
    assert response.status_code == 422
    body = response.json()
    assert body["ok"] is False and body["status"] == 422 and "as_of" in body["error"]


@pytest.mark.parametrize("args", [["--as-of", "2026-02-30"], ["--as-of", "soon"]])
def test_cli_bad_as_of_exits_2(args):
    result = CliRunner().invoke(cli_app, ["gaps", "--json", *args])
    assert result.exit_code == 2
    assert "as_of" in result.output


def test_cli_bad_observation_file_exits_2_naming_the_row():
    result = CliRunner().invoke(cli_app, ["gaps", "--observations", str(DATA / "synthetic-bad-unit.csv")])
    assert result.exit_code == 2
    assert "synthetic-bad-unit.csv:3 [unit]" in result.output


def test_cli_with_synthetic_observations_recorded(tmp_path):
    store_dir = tmp_path / "store"
    built = CliRunner().invoke(cli_app, ["build", "--store", str(store_dir), "--no-validate"])
    assert built.exit_code == 0, built.output
    result = CliRunner().invoke(cli_app, ["gaps", "--json", "--record", "--save", "--store", str(store_dir),
                                          "--as-of", "2024-06-01", "--observations", str(DATA / "synthetic-good.csv")])
    assert result.exit_code == 0, result.output
    statuses = json.loads(result.stdout)["indicator_status"]
    rows = {r["label"]: r for r in statuses}
    # worked by hand (CAGR): 24→30 in 3 y vs 24→36 in 6 y: R = 7.72% / 6.99% = 1.10
    assert rows["自動運転実証試験件数"]["status"] == "on_track"
    assert rows["自動運転実証試験件数"]["ratio"] == pytest.approx(1.104, rel=0.01)
    # 50→100 団体 2020-08→2024-03 vs 50→179 by 2026-03: 21.4% / 25.7% = 0.83
    assert rows["オープンデータ取組済の市町村数"]["status"] == "acceleration_needed"
    assert rows["オープンデータ取組済の市町村数"]["ratio"] == pytest.approx(0.832, rel=0.01)
    # lower is better: 7,345万→6,500万t in 9 y vs 7,345万→4,794万 in 17 y: 1.35% / 2.48% = 0.54
    assert rows["温室効果ガスの排出量"]["status"] == "limited_progress"
    assert rows["温室効果ガスの排出量"]["ratio"] == pytest.approx(0.544, rel=0.01)
    assert rows["温室効果ガスの排出量"]["latest"] == {"value": 65_000_000.0, "date": "2023-03-31"}

    # the record in graph/progress re-derives to the same statuses (indicator-status.rq)
    from policykg.graph.analysis.progress_store import run_select
    from policykg.graph.store import open_store

    recorded = run_select(open_store(store_dir, read_only=True), "indicator-status")
    # one record per assessed indicator: the deck's indicators and the デジ田 KPIs of data/national
    assert len(recorded) == len(statuses) == 28
    assert all(r["recorded"] == r["derived"] for r in recorded), [r for r in recorded if r["recorded"] != r["derived"]]
    # the three synthetic series, the not-yet-due ones, and those due before 2024-06-01 (FY2022 targets)
    assert {str(r["recorded"]).rsplit("Status", 1)[-1] for r in recorded} == {
        "OnTrack", "AccelerationNeeded", "LimitedProgress", "NoData", "TargetPassedNoData"}
    assert {str(r["label"]): str(r["recorded"]).rsplit("Status", 1)[-1] for r in recorded}["自動運転実証試験件数"] == "OnTrack"


def test_every_key_is_documented(cli_doc):
    import re

    documented = set(re.findall(r"^\| `(\w+)` \|", (ROOT / "docs" / "gaps.md").read_text(encoding="utf-8"), re.M))
    assert documented == set(cli_doc)


def test_every_status_is_documented():
    text = (ROOT / "docs" / "progress.md").read_text(encoding="utf-8")
    for status in Status:
        assert f"| `{status.value}` |" in text
