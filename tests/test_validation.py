"""SHACL validation: the good fixture conforms, each broken fixture fails where it should,
and the readable report names node, label and source location.

Fixtures: tests/data/validation/good.ttl (one of every kind, following docs/model.md) and
tests/data/validation/broken/<case>.ru (a SPARQL Update that breaks exactly one thing).
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from policykg.errors import ValidationFailed
from policykg.graph.validation import format_report, raise_for_report, validate
from policykg import namespaces as ns
from policykg.namespaces import ID, PK, QUDT, SKOS, graph_name

DATA = Path(__file__).parent / "data" / "validation"


def good_graph() -> Graph:
    return Graph().parse(DATA / "good.ttl", format="turtle")


def broken_graph(case: str) -> Graph:
    graph = good_graph()
    graph.update((DATA / "broken" / f"{case}.ru").read_text(encoding="utf-8"))
    assert not isomorphic(graph, good_graph()), f"{case}.ru changed nothing: fix the fixture"
    return graph


def test_good_fixture_conforms():
    report = validate(good_graph())
    assert report.conforms, format_report(report)
    assert report.violations == []


# case, entity (path under pkid:), result path, Japanese message fragment, English message fragment, severity
CASES = [
    ("missing_ja_label", "hokkaido/measure/m-maas", "skos:prefLabel", "日本語（@ja）の skos:prefLabel", "Japanese (@ja)", "Violation"),
    ("two_ja_labels", "hokkaido/area/hokkaido-area-1", "skos:prefLabel", "各言語につき1つまで", "at most one per language", "Violation"),
    ("plain_label", "hokkaido/plan", "skos:prefLabel", "言語タグ付き", "language-tagged", "Violation"),
    ("baseline_value_string", "hokkaido/indicator/i-auto-baseline", "qudt:numericValue", "xsd:decimal", "xsd:decimal", "Violation"),
    ("indicator_without_unit", "hokkaido/indicator/i-auto", "pk:unit", "単位（pk:unit", "pk:unit", "Violation"),
    ("unknown_unit", "hokkaido/indicator/i-auto-target-1", "qudt:unit", "pk:Unit", "pk:Unit", "Violation"),
    ("due_date_year", "hokkaido/indicator/i-auto-target-1", "pk:dueDate", "期限", "pk:dueDate", "Violation"),
    ("instant_without_date", "hokkaido/indicator/i-auto-target-1", "time:inXSDDate", "time:inXSDDate", "time:inXSDDate", "Violation"),
    ("alignment_without_rationale", "alignment/al-curated", None, "理由（pk:rationale）", "needs a pk:rationale", "Violation"),
    ("inferred_score_too_high", "alignment/al-inferred", "pk:score", "0以上1以下", "between 0 and 1", "Violation"),
    ("inferred_without_score", "alignment/al-inferred", None, "スコア", "pk:score", "Violation"),
    ("alignment_without_evidence", "alignment/al-curated", "pk:evidence", "根拠", "pk:evidence", "Violation"),
    ("alignment_local_is_national", "alignment/al-curated", "pk:localItem", "地方の項目", "pk:LocalItem", "Violation"),
    ("missing_source_location", "hokkaido/measure/m-maas", "pk:sourceLocation", "出典箇所", "Source location", "Violation"),
    ("location_without_line_or_slide", "hokkaido/measure/m-maas", None, "行番号（pk:line）かページ番号", "pk:line or a pk:slide", "Violation"),
    ("location_line_zero", "hokkaido/measure/m-maas", "pk:line", "1以上", "at least 1", "Violation"),
    ("direction_letter_upper", "hokkaido/direction/hokkaido-dir-1d", "pk:letter", "英小文字", "lower-case letter", "Violation"),
    ("national_item_orphan", "jp/digiden-strategy/n-maas", None, "skos:broader", "skos:topConceptOf", "Violation"),
    ("progress_unknown_status", "hokkaido/progress/pa-1", "pk:status", "状況", "pk:ProgressStatus", "Violation"),
    ("progress_without_as_of", "hokkaido/progress/pa-1", "pk:asOf", "評価時点", "pk:asOf", "Violation"),
    ("missing_rdfs_label", "hokkaido/measure/m-maas", "rdfs:label", "rdfs:label", "rdfs:label", "Warning"),
    ("direction_without_scheme", "hokkaido/direction/hokkaido-dir-1d", "skos:inScheme", "skos:inScheme", "skos:inScheme", "Warning"),
    ("source_without_title", "source/curated", "dcterms:title", "表題", "dcterms:title", "Info"),
    ("phase_without_direction", "hokkaido/roadmap/phase-p2", None, "pk:correspondsTo", "pk:correspondsTo", "Warning"),
]


def test_every_broken_fixture_has_a_case():
    on_disk = {p.stem for p in (DATA / "broken").glob("*.ru")}
    assert on_disk == {case[0] for case in CASES}


@pytest.mark.parametrize(("case", "entity", "path", "ja", "en", "severity"), CASES, ids=[c[0] for c in CASES])
def test_broken_fixture_fails_on_the_right_node(case, entity, path, ja, en, severity):
    report = validate(broken_graph(case))
    iri = str(ID[entity])
    assert report.conforms is (severity != "Violation"), format_report(report)
    matching = [
        v for v in report.violations
        if v.entity == iri and v.severity == severity and v.path == path and ja in v.message and en in v.message_en
    ]
    assert matching, format_report(report)
    # Exactly one thing is broken, so no other entity may be blamed.
    assert {v.entity for v in report.violations} == {iri}, format_report(report)


def test_report_line_names_label_iri_and_source_location():
    report = validate(broken_graph("missing_ja_label"))
    (line,) = format_report(report).splitlines()[1:]
    assert line == (
        f"MaaS in Hokkaido ({ID['hokkaido/measure/m-maas']}) slide 14 「道の取組 > 道の取組（①暮らし）」 line 346: "
        "skos:prefLabel: 日本語（@ja）の skos:prefLabel がありません。"
    )


def test_unlabelled_node_is_reported_under_its_indicator_with_the_offending_value():
    report = validate(broken_graph("baseline_value_string"))
    text = format_report(report, lang="en")
    assert text.splitlines()[0].startswith("SHACL validation: does not conform (1 violation(s)")
    assert text.splitlines()[1] == (
        f"自動運転実証試験件数 › 基準値 ({ID['hokkaido/indicator/i-auto-baseline']}) slide 20 line 416: "
        'qudt:numericValue: qudt:numericValue must be exactly one xsd:decimal. (value: "24件")'
    )


def test_blank_focus_node_is_reported_under_its_owner_with_the_property_chain():
    report = validate(broken_graph("instant_without_date"))
    (violation,) = report.violations
    assert not violation.focus.startswith("http")  # a blank node
    assert violation.entity == str(ID["hokkaido/indicator/i-auto-target-1"])
    assert violation.via == "pk:targetTime"
    assert "pk:targetTime / time:inXSDDate" in format_report(report)


def test_info_results_are_listed_but_do_not_fail():
    report = validate(broken_graph("source_without_title"))
    assert report.conforms and report.errors == []
    # No title to show, so the file name names the document.
    assert format_report(report, lang="en").splitlines()[1] == (
        f"[info] curated.csv ({ID['source/curated']}): dcterms:title: The source document has no dcterms:title."
    )
    assert format_report(report, lang="ja").splitlines()[1].startswith("[情報] curated.csv")


def test_warnings_are_listed_but_do_not_fail():
    report = validate(broken_graph("missing_rdfs_label"))
    assert report.conforms and report.errors == []
    assert format_report(report).splitlines()[1].startswith("[警告] 北海道型のMaaSの展開")
    raise_for_report(report)


def test_raise_for_report_raises_validation_failed_with_the_readable_report():
    report = validate(broken_graph("inferred_score_too_high"))
    with pytest.raises(ValidationFailed) as caught:
        raise_for_report(report)
    assert caught.value.violations == 1
    assert str(ID["alignment/al-inferred"]) in caught.value.report_text
    assert "pk:score" in str(caught.value)


def test_raise_for_report_is_silent_when_conforming():
    assert raise_for_report(validate(good_graph())) is None


def test_dataset_is_validated_as_the_union_of_its_named_graphs():
    good = good_graph()
    alignments = {s for s in good.subjects() if str(s).startswith(str(ID["alignment/"]))}
    dataset = Dataset()
    for s, p, o in good:
        dataset.add((s, p, o, graph_name("alignments-test" if s in alignments else "deck")))
    assert validate(dataset).conforms

    # The alignment graph alone cannot resolve its local item: proof that the union is what counts.
    alone = Graph()
    for s, p, o in dataset.graph(graph_name("alignments-test")):
        alone.add((s, p, o))
    assert not validate(alone).conforms


def test_validation_leaves_the_input_untouched():
    graph = broken_graph("indicator_without_unit")
    before = len(graph)
    validate(graph)
    assert len(graph) == before


def test_explicit_shapes_replace_the_defaults():
    shapes = Graph().parse(data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        @prefix pk: <https://w3id.org/policykg/ontology#> .
        <urn:s> a sh:NodeShape ; sh:targetClass pk:Measure ;
            sh:property [ sh:path pk:nonexistent ; sh:minCount 1 ; sh:message "x"@en ] .
    """, format="turtle")
    report = validate(good_graph(), shapes=shapes)
    assert [v.entity for v in report.violations] == [str(ID["hokkaido/measure/m-maas"])]


def test_concurrent_calls_are_serialised_and_agree():
    results: list[int] = []
    graph = broken_graph("two_ja_labels")

    def run() -> None:
        results.append(len(validate(graph).violations))

    threads = [threading.Thread(target=run) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [1, 1, 1]


# --- the bundled graph ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def bundled(hokkaido_store) -> Dataset:
    from policykg.graph.store import to_dataset

    return to_dataset(hokkaido_store)


def test_bundled_graph_conforms(bundled):
    report = validate(bundled)
    assert report.conforms, format_report(report)
    assert report.violations == [], "warnings in the bundled graph:\n" + format_report(report)
    # Not vacuous: the shapes' target classes are populated.
    types = {o for _, p, o, _ in bundled.quads((None, ns.RDF.type, None, None))}
    for cls in (PK.Measure, PK.PolicyDirection, PK.NumericIndicator, PK.Baseline, PK.Target, PK.SourceLocation):
        assert cls in types, f"bundled graph has no {cls}"


def test_breaking_the_bundled_graph_points_at_the_deck_line(bundled, deck_text):
    """自動運転実証試験件数 36件 / 24件: break its baseline and the report must name the deck line."""
    line_no = next(i for i, text in enumerate(deck_text.splitlines(), 1) if text.startswith("自動運転実証試験件数"))
    union = Graph()
    for s, p, o, _ in bundled.quads((None, None, None, None)):
        union.add((s, p, o))
    indicator = union.value(predicate=SKOS.prefLabel, object=Literal("自動運転実証試験件数", lang="ja"))
    baseline = union.value(indicator, PK.hasBaseline)
    assert union.value(baseline, QUDT.numericValue) == Literal("24", datatype=ns.XSD.decimal)
    union.set((baseline, QUDT.numericValue, Literal("24件")))

    report = validate(union)
    (violation,) = report.errors
    assert violation.entity == str(baseline)
    assert violation.location is not None and violation.location.line == line_no
    line = format_report(report).splitlines()[1]
    assert line.startswith(f"自動運転実証試験件数 › 基準値 ({baseline})")
    assert f"line {line_no}: qudt:numericValue" in line
    assert isinstance(baseline, URIRef)


def test_progress_assessments_of_the_bundled_graph_conform(hokkaido_store, bundled):
    """The progress analysis writes graph/progress; its output must satisfy the progress shapes."""
    from datetime import date

    from policykg.graph.analysis.progress_store import assessment_graph, compute_progress
    from policykg.namespaces import PROGRESS_GRAPH

    as_of = date(2026, 12, 2)
    progress = assessment_graph(compute_progress(hokkaido_store, as_of=as_of), as_of=as_of)
    assert len(set(progress.subjects(ns.RDF.type, PK.ProgressAssessment))) > 0
    dataset = Dataset()
    for quad in bundled.quads((None, None, None, None)):
        dataset.add(quad)
    for triple in progress:
        dataset.add((*triple, PROGRESS_GRAPH))
    report = validate(dataset)
    assert report.conforms, format_report(report)
