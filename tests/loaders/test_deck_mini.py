"""A small hand-written deck of a fictional city (tests/loaders/data/mini-deck.txt): the same parser,
other wording, other counts, no national part — nothing here is in the bundled deck."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import Graph

from policykg.ids import digest, entity_iri
from policykg.loaders.deck import read_deck

from loader_helpers import run_query

MINI = Path(__file__).parent / "data" / "mini-deck.txt"
KEY = "loc-" + digest("架空市DX推進計画")


@pytest.fixture(scope="module")
def mini() -> Graph:
    name, graph = read_deck(MINI)
    assert name == "mini-deck"
    return graph


def test_structure(mini) -> None:
    counts = {cls: run_query(mini, f"SELECT (COUNT(?x) AS ?n) WHERE {{ ?x a pk:{cls} }}")[0][0]
              for cls in ("PolicyArea", "PolicyDirection", "Measure", "NumericIndicator", "QualitativeIndicator",
                          "RoadmapRow", "NationalPlan")}
    assert counts == {"PolicyArea": 2, "PolicyDirection": 3, "Measure": 4, "NumericIndicator": 3,
                      "QualitativeIndicator": 1, "RoadmapRow": 3, "NationalPlan": 0}
    assert run_query(mini, "SELECT ?j WHERE { ?p a pk:LocalPlan ; pk:jurisdiction ?j }", p=entity_iri(KEY, "plan", f"{KEY}-plan")) == [
        ("架空市DX推進計画",)]


@pytest.mark.parametrize(("label", "directions"), [("電子母子手帳の導入", ["1a", "1b"]), ("防災アプリの配信", ["1b", "2a"]),
                                                  ("観光アプリの開発", ["2a"])])
def test_reposts(mini, label, directions) -> None:
    iri = entity_iri(KEY, "measure", f"{KEY}-m-{digest(label)}")
    rows = run_query(mini, "SELECT ?n WHERE { ?m pk:direction/skos:notation ?n } ORDER BY ?n", m=iri)
    assert [r[0] for r in rows] == directions


@pytest.mark.parametrize(("label", "tv", "due", "bv", "bdate", "better", "unit"), [
    ("電子申請の利用率", "80", date(2028, 3, 31), "12.5", date(2024, 3, 31), "HigherIsBetter", "Percent"),
    ("待機児童数", "0", date(2028, 3, 31), "35", date(2024, 3, 31), "LowerIsBetter", "Person"),
    ("観光入込客数", "120000000", date(2029, 3, 31), "98000000", date(2024, 3, 31), "HigherIsBetter", "Person"),
])
def test_indicators(mini, label, tv, due, bv, bdate, better, unit) -> None:
    iri = entity_iri(KEY, "indicator", f"{KEY}-i-{digest(label)}")
    rows = run_query(mini, """SELECT ?tv ?due ?bv ?bd ?better ?u WHERE { ?i pk:desiredDirection ?better ; pk:unit ?u ;
        pk:hasTarget [ qudt:numericValue ?tv ; pk:dueDate ?due ] ; pk:hasBaseline [ qudt:numericValue ?bv ; pk:date ?bd ] }""", i=iri)
    assert len(rows) == 1
    got = rows[0]
    assert (got[0], got[1], got[2], got[3]) == (Decimal(tv), due, Decimal(bv), bdate)
    assert str(got[4]).endswith(better) and str(got[5]).endswith(unit)


def test_roadmap_segmentation(mini) -> None:
    rows = run_query(mini, """SELECT ?l ?n WHERE { ?p a pk:RoadmapPhase ; skos:prefLabel ?l OPTIONAL { ?p pk:correspondsTo/skos:notation ?n } }""")
    assert sorted(rows, key=lambda r: r[0]) == sorted([("窓口対応の強化", None), ("子育て支援のデジタル化", "1a"),
                                                       ("防災情報の迅速な発信", "1b"), ("観光DXの推進", "2a")], key=lambda r: r[0])
    t = run_query(mini, "SELECT ?f WHERE { ?t a pk:Transition ; pk:fromPhase/skos:prefLabel ?f ; pk:toPhase/pk:correspondsTo/skos:notation '1a' }")
    assert t == [("窓口対応の強化",)]


def test_slides_without_printed_numbers(mini) -> None:
    iri = entity_iri(KEY, "measure", f"{KEY}-m-{digest('観光アプリの開発')}")
    assert run_query(mini, "SELECT ?s WHERE { ?m pk:sourceLocation/pk:slide ?s }", m=iri) == [(4,)]
    plan = run_query(mini, "SELECT ?s WHERE { ?p pk:sourceLocation/pk:slide ?s }", p=entity_iri(KEY, "plan", f"{KEY}-plan"))
    assert plan == [(5,)]
    assert run_query(mini, "SELECT ?l WHERE { ?a skos:prefLabel ?l }", a=entity_iri(KEY, "area", f"{KEY}-area-2")) == [("しごと",)]


def test_ids_of_a_second_deck_jurisdiction_never_clash_with_hokkaidos(mini) -> None:
    """The same measure label in two plans: two entities with two API ids (the last IRI segment)."""
    from policykg.graph.build import BUNDLED_DECK, bundled_data_dir
    from policykg.ids import local_id
    from policykg.namespaces import ID, PK, RDF

    _, hokkaido = read_deck(bundled_data_dir() / "sources" / BUNDLED_DECK)
    mine = {local_id(s) for kind in (PK.Measure, PK.Indicator, PK.RoadmapRow) for s in mini.subjects(RDF.type, kind)}
    theirs = {local_id(s) for kind in (PK.Measure, PK.Indicator, PK.RoadmapRow) for s in hokkaido.subjects(RDF.type, kind)
              if s.startswith(ID["hokkaido/"])}
    assert mine and theirs and not mine & theirs
    assert all(i.startswith(KEY + "-") for i in mine)
    # Hokkaido's published ids keep their form (links to them stay valid)
    assert all(i.split("-")[0] in {"m", "i", "row"} for i in theirs)
