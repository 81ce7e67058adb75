"""The bundled real example (issue 12 item 6): 大分県「市町村行政DXの共同目標（令和6年2月時点）」 as a CSV folder.

It builds with ``build --add`` beside the bundled Hokkaido graph, passes SHACL, and holds exactly the
facts of ``data/examples/oita/facts.md`` (the KPI's targets are compared with that file, not retyped here).
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from rdflib import Literal

from policykg.graph.pipeline import union_after
from policykg.namespaces import DCTERMS, PK, PROV, QUDT, RDFS, SKOS, sparql_prefixes

EXAMPLES = Path(__file__).resolve().parents[2] / "data" / "examples"
OITA = EXAMPLES / "oita" / "workbook" / "oita-dx-joint-goals"
FACTS = EXAMPLES / "oita" / "facts.md"
KPI = "市町村で行政手続を電子化した事務数の計"


@pytest.fixture(scope="module")
def oita_store():
    """The bundled sources plus the example folder, SHACL-validated on the way in (``build --add``)."""
    from policykg.graph.build import build_store, default_sources

    return build_store([*default_sources(), OITA])


def _facts_url() -> str:
    return re.search(r"\| 1 \|[^|]*\|[^|]*\| (https://\S+) ", FACTS.read_text(encoding="utf-8")).group(1)


def _sheet(name: str) -> list[dict[str, str]]:
    with (OITA / f"{name}.csv").open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def test_the_example_passes_shacl(oita_store):
    from policykg.graph.pipeline import validate_union

    report = validate_union(union_after(oita_store, {}))
    assert report.conforms, report.report_text


def test_oita_sits_beside_hokkaido(oita_store):
    from policykg.graph.jurisdictions import jurisdiction_view, jurisdictions

    assert jurisdictions(oita_store) == {"hokkaido": "北海道", "oita": "大分県"}
    rows = oita_store.query(sparql_prefixes() + "SELECT (COUNT(?p) AS ?n) WHERE { ?p a pk:LocalPlan }").rows
    assert int(rows[0]["n"]) == 2
    view = union_after(jurisdiction_view(oita_store, "大分県"), {})
    plans = {str(o) for o in view.objects(None, PK.jurisdiction) if o.language == "ja"}
    assert plans == {"大分県"}


def test_the_kpi_holds_the_targets_of_facts_md(oita_store):
    """facts.md #9: no value when the goal was set (—), then R6年度末 72 and R7–R10年度末 392."""
    line = next(t for t in FACTS.read_text(encoding="utf-8").splitlines() if t.startswith("| 9 |"))
    assert KPI in line
    expected = [(f"{2018 + int(year) + 1}-03-31", int(value)) for year, value in re.findall(r"R(\d+)年度末 (\d+)", line)]
    assert expected[0] == ("2025-03-31", 72) and len(expected) == 5
    g = union_after(oita_store, {})
    kpi = next(s for s in g.subjects(SKOS.prefLabel, Literal(KPI, lang="ja")) if (s, PK.hasTarget, None) in g)
    targets = sorted((str(g.value(t, PK.dueDate)), int(g.value(t, QUDT.numericValue).toPython()))
                     for t in g.objects(kpi, PK.hasTarget))
    assert targets == expected
    assert g.value(kpi, PK.hasBaseline) is None  # 目標設定時 is "-" in the source table


def test_every_plan_row_has_its_source_url(oita_store):
    url = _facts_url()
    plan_rows = _sheet("plan")
    assert plan_rows and all(re.match(r"^https?://\S+$", r["出典URL / source URL"]) for r in plan_rows)
    assert plan_rows[0]["出典URL / source URL"] == url
    g = union_after(oita_store, {})
    plan = next(g.subjects(PK.jurisdiction, Literal("大分県", lang="ja")))
    assert [str(o) for o in g.objects(plan, DCTERMS.source)] == [url]
    for row in _sheet("observations"):  # the one sheet with a source column (no observed values yet)
        assert re.match(r"^https?://", row["出典 / source"])


def test_every_url_in_the_example_is_a_cited_fact():
    """Nothing in the folder points anywhere facts.md does not cite."""
    cited = set(re.findall(r"https?://[^\s|;）)]+", FACTS.read_text(encoding="utf-8")))
    used = {u for f in OITA.glob("*.csv") for u in re.findall(r"https?://[^\s,）)]+", f.read_text(encoding="utf-8"))}
    assert used and used <= cited, used - cited


def test_the_one_alignment_is_curated_by_the_maintainers(oita_store):
    from policykg.graph.analysis.trace import trace_national

    g = union_after(oita_store, {})
    rows = oita_store.query(sparql_prefixes() + """
        SELECT ?a ?national WHERE { ?a a pk:Alignment ; pk:localItem ?m ; pk:nationalItem ?n .
          ?n skos:prefLabel ?national . FILTER(STRSTARTS(STR(?m), STR(pkid:)) && CONTAINS(STR(?m), "/oita-")) }""").rows
    assert [str(r["national"]) for r in rows] == ["都道府県と市区町村の連携による推進体制の構築"]
    node = rows[0]["a"]
    assert g.value(node, PK.evidence) == PK.Curated
    assert str(g.value(g.value(node, PROV.wasAttributedTo), RDFS.label)) == "policykg maintainers"
    doc = trace_national(oita_store, "都道府県と市区町村の連携による推進体制の構築")
    assert "県による市町村の取組の後押し（外部からの人材確保への支援、県のノウハウ提供など）" in [m["label"] for m in doc["measures"]]
