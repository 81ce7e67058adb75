"""Template → filled with openpyxl → build: the city sits beside Hokkaido in trace, the API and gaps.

Issue 12 items 1, 2 and 4 (loading side): same area names and direction codes, distinct ids.
"""

from __future__ import annotations

import datetime as dt

import pytest
from rdflib import Graph, Literal, URIRef

from policykg.graph.analysis.gaps import build_gaps
from policykg.graph.analysis.trace import trace_measure, trace_national
from policykg.graph.pipeline import union_after
from policykg.ids import local_id
from policykg.namespaces import ID, PK, RDF, SKOS, TIME, UNIT

CITY = "test-city"
NATIONAL = "職業訓練のデジタル分野の重点化"


def test_the_template_loads_as_it_is(template_file, bundled_context):
    """The example rows form a valid little plan, so a planner can try the command before typing anything."""
    from policykg.graph.pipeline import validate_union
    from policykg.loaders.workbook import read_workbook

    graph = next(iter(read_workbook(template_file, context=bundled_context).values()))
    assert (None, RDF.type, PK.LocalPlan) in graph
    union = Graph()
    union += bundled_context
    union += graph
    report = validate_union(union)
    assert report.conforms, report.report_text


def test_build_add_keeps_the_bundled_sources(city_store):
    plans = {str(s) for s in union_after(city_store, {}).subjects(RDF.type, PK.LocalPlan)}
    assert plans == {str(ID["hokkaido/plan/hokkaido-plan"]), str(ID[f"{CITY}/plan/{CITY}-plan"])}


def test_same_area_names_and_direction_codes_get_distinct_ids(city_store):
    g = union_after(city_store, {})
    living = sorted(local_id(s) for s in g.subjects(SKOS.prefLabel, Literal("暮らし", lang="ja"))
                    if (s, RDF.type, PK.PolicyArea) in g)
    assert living == ["hokkaido-area-1", f"{CITY}-area-1"]
    one_a = sorted(local_id(s) for s in g.subjects(SKOS.notation, Literal("1a")) if (s, RDF.type, PK.PolicyDirection) in g)
    assert one_a == ["hokkaido-dir-1a", f"{CITY}-dir-1a"]


def test_no_city_id_is_shared_with_another_entity(city_store):
    g = union_after(city_store, {})
    entities = {s for s in g.subjects(RDF.type, None) if isinstance(s, URIRef) and s.startswith(str(ID))}
    city = {local_id(s) for s in entities if s.startswith(str(ID[CITY + "/"]))}
    others = {local_id(s) for s in entities if not s.startswith(str(ID[CITY + "/"]))}
    assert len(city) >= 15 and not city & others


def test_trace_goes_from_the_city_measure_to_the_national_item(city_store):
    doc = trace_measure(city_store, "職業訓練によるデジタル人材育成")
    assert NATIONAL in [s["label"] for s in doc["supports"]], doc
    assert {d["label"] for d in doc["directions"]} == {"オンライン行政手続の拡充", "中小企業のデジタル化支援"}


def test_trace_back_from_the_national_item_finds_the_city(city_store):
    doc = trace_national(city_store, NATIONAL)
    assert "職業訓練によるデジタル人材育成" in [m["label"] for m in doc["measures"]], doc


def test_the_api_lists_both_jurisdictions_side_by_side(city_client):
    areas = city_client.get("/api/areas").json()["items"]
    by_id = {a["id"]: a for a in areas}
    assert by_id[f"{CITY}-area-1"]["label"] == by_id["hokkaido-area-1"]["label"] == "暮らし"
    assert by_id[f"{CITY}-area-1"]["plan"]["id"] == f"{CITY}-plan"
    assert by_id["hokkaido-area-1"]["plan"]["id"] == "hokkaido-plan"
    measures = city_client.get("/api/measures", params={"limit": 500}).json()["items"]
    city = [m for m in measures if m["id"].startswith(f"{CITY}-m-")]
    assert sorted(m["label"] for m in city) == ["職業訓練によるデジタル人材育成", "電子申請の全手続対応"]
    detail = city_client.get(f"/api/measures/{city[0]['id']}")
    assert detail.status_code == 200 and detail.json()["label"] == city[0]["label"]


def test_the_api_traces_the_city_measure_by_its_id(city_client):
    measures = city_client.get("/api/measures", params={"limit": 500}).json()["items"]
    measure = next(m for m in measures if m["label"] == "職業訓練によるデジタル人材育成")
    doc = city_client.get(f"/api/measures/{measure['id']}/trace").json()
    assert NATIONAL in [s["label"] for s in doc["supports"]]


def test_gaps_count_the_city_measure_as_support(city_store, hokkaido_store):
    as_of = dt.date(2026, 12, 3)
    before = {i["label"] for i in build_gaps(hokkaido_store, as_of=as_of)["national_items_without_measures"]}
    after = build_gaps(city_store, as_of=as_of)
    assert NATIONAL in before and NATIONAL not in {i["label"] for i in after["national_items_without_measures"]}
    unaligned = {m["label"] for m in after["measures_without_alignment"]}
    assert "電子申請の全手続対応" in unaligned and "職業訓練によるデジタル人材育成" not in unaligned


def test_indicator_targets_baseline_and_observation(city_store):
    g = union_after(city_store, {})
    ind = next(s for s in g.subjects(SKOS.prefLabel, Literal("電子申請に対応した手続の割合", lang="ja")))
    targets = sorted(g.objects(ind, PK.hasTarget))
    assert [str(g.value(t, PK.dueDate)) for t in targets] == ["2025-03-31", "2028-03-31"]
    assert g.value(targets[0], PK.comparator) == PK.AtLeast and g.value(ind, PK.unit) == UNIT.Percent
    baseline = g.value(ind, PK.hasBaseline)
    assert str(g.value(baseline, PK.date)) == "2023-03-31"
    assert (None, PK.nationalItem, None) in g
    assert any((o, RDF.type, PK.IndicatorObservation) in g for o in g.subjects(None, ind))
    qualitative = next(s for s in g.subjects(SKOS.prefLabel, Literal("デジタル化支援を受けた企業の満足度向上", lang="ja")))
    assert (qualitative, RDF.type, PK.QualitativeIndicator) in g


def test_roadmap_phases_and_transition(city_store):
    g = union_after(city_store, {})
    roadmap = ID[f"{CITY}/roadmap/{CITY}-roadmap"]
    phases = {str(g.value(p, SKOS.prefLabel)): p for p in g.objects(roadmap, PK.hasPhase)}
    assert g.value(phases["紙の手続の棚卸し"], PK.phaseKind) == PK.InitialFocus
    assert g.value(phases["オンライン行政手続の拡充"], PK.phaseKind) == PK.PlanDirectionPhase
    transition = g.value(None, PK.toPhase, phases["オンライン行政手続の拡充"])
    assert g.value(transition, PK.fromPhase) == phases["紙の手続の棚卸し"]


def test_a_csv_folder_gives_the_same_graph(tmp_path, city_workbook, bundled_context):
    """Every sheet saved as CSV UTF-8 (areas.csv …) in one folder reads exactly like the workbook."""
    import csv

    from openpyxl import load_workbook
    from rdflib.compare import isomorphic

    from policykg.loaders.workbook import parse_workbook, read_workbook_data
    from policykg.loaders.workbook.schema import SHEETS

    path = city_workbook()
    folder = tmp_path / "test-city"
    folder.mkdir()
    wb = load_workbook(path)
    for key, sheet in SHEETS.items():
        with (folder / f"{sheet.en.replace(' ', '_')}.csv").open("w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.writer(fh)
            for row in wb[sheet.title].iter_rows(values_only=True):
                writer.writerow(["" if v is None else v.date().isoformat() if isinstance(v, dt.datetime) else v
                                 for v in row])
    from_csv = parse_workbook(read_workbook_data(folder), context=bundled_context)
    from_xlsx = parse_workbook(read_workbook_data(path), context=bundled_context)
    from policykg.loaders.workbook.export import local_plan_graph

    plan = ID[f"{CITY}/plan/{CITY}-plan"]
    assert len(from_csv) > 100
    assert isomorphic(local_plan_graph(from_csv, plan), local_plan_graph(from_xlsx, plan))


# --- one jurisdiction at a time (--jurisdiction) -----------------------------------------------------


def test_a_jurisdiction_view_holds_one_plan_and_the_national_side(city_store):
    from policykg.graph.analysis.trace import trace_all
    from policykg.graph.jurisdictions import jurisdiction_view, jurisdictions

    assert jurisdictions(city_store) == {"hokkaido": "北海道", CITY: "テスト市"}
    city = jurisdiction_view(city_store, "テスト市")
    assert sorted(t["measure"]["label"] for t in trace_all(city)) == ["職業訓練によるデジタル人材育成", "電子申請の全手続対応"]
    hokkaido = jurisdiction_view(city_store, "hokkaido")
    assert len(trace_all(hokkaido)) == 39
    as_of = dt.date(2026, 12, 3)
    hokkaido_gaps = {i["label"] for i in build_gaps(hokkaido, as_of=as_of)["national_items_without_measures"]}
    city_gaps = {i["label"] for i in build_gaps(city, as_of=as_of)["national_items_without_measures"]}
    assert NATIONAL in hokkaido_gaps and NATIONAL not in city_gaps
    assert "デジタル基盤整備" in city_gaps and "デジタル基盤整備" not in hokkaido_gaps
    assert {m["label"] for m in build_gaps(city, as_of=as_of)["measures_without_alignment"]} == {"電子申請の全手続対応"}


def test_an_unknown_jurisdiction_lists_the_loaded_ones(city_store):
    from policykg.errors import EntityNotFound
    from policykg.graph.jurisdictions import jurisdiction_view

    with pytest.raises(EntityNotFound, match="テスト市 \\(test-city\\)"):
        jurisdiction_view(city_store, "札幌市")


def test_cli_trace_and_gaps_take_a_jurisdiction():
    import json

    from typer.testing import CliRunner

    from policykg.cli import app

    runner = CliRunner()
    done = runner.invoke(app, ["trace", "--national", "デジタル基盤整備", "--jurisdiction", "hokkaido", "--json"])
    assert done.exit_code == 0, done.output
    assert json.loads(done.stdout)["measures"]
    done = runner.invoke(app, ["gaps", "--jurisdiction", "札幌市"])
    assert done.exit_code == 2 and "札幌市" in done.output
    done = runner.invoke(app, ["report", "--out", "unused", "--jurisdiction", "札幌市"])
    assert done.exit_code == 2 and "札幌市" in done.output and "北海道" in done.output  # names those loaded


def test_the_report_of_one_jurisdiction_holds_its_plan_only(city_store, tmp_path):
    from policykg.cli.gaps_commands import run_report
    from policykg.graph.jurisdictions import jurisdiction_view

    as_of = dt.date(2026, 12, 3)
    html, _xlsx = run_report(jurisdiction_view(city_store, "テスト市"), out=tmp_path / "city", as_of=as_of)
    text = html.read_text(encoding="utf-8")
    assert "電子申請の全手続対応" in text and "デジタル基盤整備" in text
    whole, _ = run_report(city_store, out=tmp_path / "all", as_of=as_of)
    whole_text = whole.read_text(encoding="utf-8")
    # Hokkaido's measures and indicators that the whole report shows: none in the city's
    union = union_after(city_store, {})
    hokkaido = {str(union.value(s, SKOS.prefLabel)) for kind in (PK.Measure, PK.Indicator)
                for s in union.subjects(RDF.type, kind) if str(s).startswith(str(ID["hokkaido/"]))}
    shown = {label for label in hokkaido if label in whole_text}
    assert len(shown) >= 5
    assert not {label for label in shown if label in text}


def test_adding_the_workbook_again_replaces_its_graph(city_workbook):
    """A planner edits and re-adds the workbook: the store holds the new version only, no duplicates."""
    from workbook_support import CITY_ROWS
    from policykg.graph.build import build_store

    store = build_store(validate=False)
    build_store([city_workbook()], store=store, validate=False)
    size = len(store)
    build_store([city_workbook()], store=store, validate=False)
    assert len(store) == size
    renamed = [dict(CITY_ROWS["measures"][0], label="電子申請の全手続対応（改定）"), CITY_ROWS["measures"][1]]
    build_store([city_workbook(measures=renamed)], store=store, validate=False)
    labels = {str(o) for o in union_after(store, {}).objects(None, SKOS.prefLabel)}
    assert "電子申請の全手続対応（改定）" in labels and "電子申請の全手続対応" not in labels


def test_an_excel_date_cell_is_a_day(city_store):
    g = union_after(city_store, {})
    decided = g.value(ID[f"{CITY}/plan/{CITY}-plan"], PK.decided)
    assert str(g.value(decided, TIME.inXSDDate)) == "2024-03-29" and g.value(decided, TIME.unitType) == TIME.unitDay
