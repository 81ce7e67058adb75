"""Observation CSVs: good rows become SOSA/QUDT observations; each kind of bad row is refused with
the file, line and column, and nothing is loaded. All values here are synthetic (pk:synthetic true)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import Graph, Literal
from rdflib.namespace import RDF, SKOS, SOSA, XSD

from policykg.errors import SourceError
from policykg.loaders.observations import COLUMNS, parse_observations, read_observations
from policykg.namespaces import PK, QUDT, UNIT

from project_paths import ROOT

DATA = Path(__file__).parent / "data" / "observations"
MINI = Path(__file__).parent / "data" / "mini.ttl"
ID = "https://w3id.org/policykg/id/"


@pytest.fixture(scope="module")
def deck_graph(hokkaido_store) -> Graph:
    g = Graph()
    for s, p, o, _g in hokkaido_store.quads():
        g.add((s, p, o))
    return g


@pytest.fixture(scope="module")
def mini_graph() -> Graph:
    return Graph().parse(MINI)


def test_template_has_the_documented_columns():
    header = (ROOT / "data" / "observations" / "template.csv").read_text(encoding="utf-8").splitlines()[0]
    assert tuple(header.split(",")) == COLUMNS


def test_good_file(deck_graph):
    g = read_observations(DATA / "synthetic-good.csv", deck_graph)
    observations = list(g.subjects(RDF.type, PK.IndicatorObservation))
    got = {}
    for obs in observations:
        label = str(deck_graph.value(g.value(obs, SOSA.observedProperty), SKOS.prefLabel))
        got[label] = (Decimal(str(g.value(obs, QUDT.numericValue))), g.value(obs, QUDT.unit), str(g.value(obs, PK.date)))
        assert g.value(obs, PK.synthetic) == Literal(True)
        assert "synthetic" in str(g.value(obs, PK.note))
        assert (obs, RDF.type, SOSA.Observation) in g
        assert str(obs).startswith(ID + "hokkaido/observation/obs-")
    assert got == {
        "自動運転実証試験件数": (Decimal(30), UNIT.Count, "2023-03-31"),
        "温室効果ガスの排出量": (Decimal(65_000_000), UNIT.TonneCO2, "2023-03-31"),   # 6,500万t-CO2; 令和4年度 ends 2023-03-31
        "オープンデータ取組済の市町村数": (Decimal(100), UNIT.Organization, "2024-03-31"),  # 2024-03 → month end
    }


ROW = {"indicator": "遠隔医療件数", "date": "2024-03-31", "value": "120", "unit": "件", "source": "test", "note": "synthetic"}

BAD = [
    ("unknown indicator", {"indicator": "遠隔医療の件数ではない何か"}, "indicator", "unknown indicator"),
    ("unknown IRI", {"indicator": "pkid:testpref/indicator/nope"}, "indicator", "no numeric indicator"),
    ("qualitative indicator", {"indicator": "ICT教育の促進"}, "indicator", "unknown indicator"),
    ("unit of another kind", {"unit": "円"}, "unit", "does not match"),
    ("unknown unit", {"unit": "ヶ所"}, "unit", "unknown unit"),
    ("non-numeric value", {"value": "百二十"}, "value", "not a number"),
    ("value with unit inside", {"value": "120件"}, "value", "not a number"),
    ("empty value", {"value": ""}, "value", "empty"),
    ("impossible ISO date", {"date": "2025-02-30"}, "date", "impossible date"),
    ("impossible era date", {"date": "令和7年2月30日"}, "date", "not a calendar date"),
    ("unknown era", {"date": "明和3年"}, "date", "era"),
    ("a period is not a date", {"date": "R2~R6"}, "date", "period"),
    ("bad synthetic flag", {"synthetic": "maybe"}, "synthetic", "true or false"),
]


@pytest.mark.parametrize("name,change,field,message", BAD, ids=[b[0] for b in BAD])
def test_bad_row_names_line_and_field(mini_graph, name, change, field, message):
    rows = [dict(ROW), {**ROW, "date": "2023-03-31", **change}]
    with pytest.raises(SourceError) as err:
        parse_observations(rows, file_name="obs.csv", context=mini_graph)
    assert (err.value.file, err.value.line, err.value.field) == ("obs.csv", 3, field)
    assert message in err.value.message


@pytest.mark.parametrize("change,value,unit", [
    ({}, Decimal(120), UNIT.Count),
    ({"unit": "万件"}, Decimal(1_200_000), UNIT.Count),                 # 万 prefix of the same base unit
    ({"unit": ""}, Decimal(120), UNIT.Count),                           # the indicator's unit
    ({"unit": "unit:Count"}, Decimal(120), UNIT.Count),
    ({"value": "1,234.5"}, Decimal("1234.5"), UNIT.Count),
    ({"indicator": "pkid:testpref/indicator/i-1"}, Decimal(120), UNIT.Count),
    ({"indicator": " 遠隔医療 件数 "}, Decimal(120), UNIT.Count),       # spaces from copy-paste are ignored
])
def test_good_row_variants(mini_graph, change, value, unit):
    g = parse_observations([{**ROW, **change}], file_name="obs.csv", context=mini_graph)
    (obs,) = list(g.subjects(RDF.type, PK.IndicatorObservation))
    assert Decimal(str(g.value(obs, QUDT.numericValue))) == value
    assert g.value(obs, QUDT.unit) == unit
    assert g.value(obs, PK.date) == Literal("2024-03-31", datatype=XSD.date)


def test_duplicate_row_is_refused(mini_graph):
    with pytest.raises(SourceError) as err:
        parse_observations([ROW, dict(ROW)], file_name="obs.csv", context=mini_graph)
    assert err.value.line == 3 and "duplicate" in err.value.message and "line 2" in err.value.message


def test_missing_column(mini_graph):
    with pytest.raises(SourceError) as err:
        read_observations(DATA / "missing-column.csv", mini_graph)
    assert err.value.line == 1 and err.value.field == "header" and "date" in err.value.message


def test_bad_file_leaves_the_store_unchanged(fresh_store):
    from policykg.graph.build import build_store

    before = sorted(fresh_store.quads())
    with pytest.raises(SourceError) as err:
        build_store([DATA / "synthetic-bad-unit.csv"], store=fresh_store)
    assert err.value.line == 3 and err.value.field == "unit"
    assert sorted(fresh_store.quads()) == before
