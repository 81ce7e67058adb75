"""National reference data (issue 12 item 5): data/national/ as its own source, the deck resolving into it.

docs/national.md describes the ledger, the generated Turtle, attribution and what is partial.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef

from policykg.ids import normalize_label
from policykg.loaders.deck import read_deck
from policykg.loaders.deck.national_ledger import read_facts, reference_turtle
from policykg.loaders.deck.national_reference import (
    DOCUMENT, FACTS_FILE, REFERENCE_FILE, Reference, bundled_reference, data_dir,
)
from policykg.namespaces import DCTERMS, ID, PK, RDF, RDFS, SKOS
from project_paths import SOURCE_DECK

HERE = Path(__file__).parent
JP = str(ID) + "jp/"
PDL = URIRef("https://www.digital.go.jp/resources/open_data/public_data_license_v1.0")
GOV_STANDARD_2 = URIRef("http://www.kantei.go.jp/jp/singi/it2/densi/kettei/gl2_betten_1.pdf")
ENTITY_CLASSES = (PK.PolicyDocument, PK.NationalItem, PK.Indicator, PK.Law, PK.Agency, PK.Vision)


@pytest.fixture(scope="module")
def reference() -> Graph:
    g = Graph()
    g.parse(data_dir() / REFERENCE_FILE, format="turtle")
    return g


@pytest.fixture(scope="module")
def national_union(hokkaido_store) -> Graph:
    """Every triple of the bundled build about a jp/ IRI (all named graphs merged)."""
    g = Graph()
    for s, p, o, _g in hokkaido_store.quads():
        g.add((s, p, o))
    return g


def _entities(g: Graph) -> set[URIRef]:
    return {s for cls in ENTITY_CLASSES for s in g.subjects(RDF.type, cls) if isinstance(s, URIRef)}


def test_the_turtle_is_generated_from_the_ledger():
    """Edit data/national/reference.toml, then run `python -m policykg.loaders.deck.national_ledger`."""
    expected = reference_turtle(read_facts(data_dir() / FACTS_FILE))
    assert (data_dir() / REFERENCE_FILE).read_text(encoding="utf-8") == expected


def test_every_national_iri_of_the_earlier_build_still_exists(national_union):
    """IRIs minted by the deck before the reference data existed (main 61bd02f) are all still there."""
    before = [line.strip() for line in (HERE / "iris_before_reference.txt").read_text().splitlines() if line.strip()]
    assert len(before) == 91
    missing = [iri for iri in before if (URIRef(JP + iri), RDF.type, None) not in national_union]
    assert missing == []


def test_no_two_national_entities_share_a_label_within_one_plan(national_union):
    by_plan: dict[tuple[str, str], set[URIRef]] = defaultdict(set)
    for s in _entities(national_union):
        if not str(s).startswith(JP):
            continue
        plan = national_union.value(s, PK.inPlan) or national_union.value(s, PK.indicatorOf) or "(none)"
        for label in national_union.objects(s, SKOS.prefLabel):
            if label.language == "ja":
                by_plan[(str(plan), normalize_label(str(label)))].add(s)
    shared = {k: sorted(map(str, v)) for k, v in by_plan.items() if len(v) > 1}
    assert shared == {}


def test_the_deck_mentions_only_reference_entities(reference):
    """Every national entity the deck emits is an entity of the reference data (no duplicates minted)."""
    _, deck = read_deck(SOURCE_DECK)
    deck_national = {s for s in _entities(deck) if str(s).startswith(JP)}
    assert len(deck_national) == 91 - 2  # the earlier build's jp/ IRIs, less the KPI's two pk:Target nodes
    assert deck_national - _entities(reference) == set()


def test_every_fact_names_its_source_page(reference):
    described = set(reference.subjects(RDF.type, DCTERMS.BibliographicResource))
    for s in _entities(reference):
        sources = set(reference.objects(s, DCTERMS.source))
        assert sources, f"{s} has no dcterms:source"
        for src in sources:
            assert src in described or str(src).startswith(str(ID) + "source/"), f"{s}: {src} is not described"
    for t in reference.subjects(RDF.type, PK.Target):
        assert set(reference.objects(t, DCTERMS.source)), f"target {t} has no dcterms:source"


def test_every_source_page_has_title_publisher_date_seen_and_attribution(reference):
    pages = list(reference.subjects(RDF.type, DCTERMS.BibliographicResource))
    assert len(pages) >= 15
    for page in pages:
        assert str(page).startswith(("https://", "http://"))
        for prop in (DCTERMS.title, DCTERMS.publisher, DCTERMS.date, DCTERMS.bibliographicCitation, RDFS.comment):
            assert reference.value(page, prop) is not None, f"{page} lacks {prop}"
        citation = str(reference.value(page, DCTERMS.bibliographicCitation))
        assert citation.startswith("出典：") and str(page) in citation and citation.endswith("を加工して作成")


def test_the_reference_states_its_licence_terms(reference):
    assert {GOV_STANDARD_2, PDL} <= set(reference.objects(DOCUMENT, DCTERMS.license))
    assert "出典" in str(reference.value(DOCUMENT, DCTERMS.rights))


def test_every_plan_says_what_is_partial(reference):
    plans = set(reference.subjects(RDF.type, PK.NationalPlan)) | set(reference.subjects(RDF.type, PK.Guideline))
    assert len(plans) == 4
    for plan in plans:
        comments = [str(c) for c in reference.objects(plan, RDFS.comment)]
        assert any(c.startswith("partial: ") for c in comments), plan


def test_source_locations_point_at_the_entity_block(reference):
    lines = (data_dir() / REFERENCE_FILE).read_text(encoding="utf-8").splitlines()
    located = 0
    for s in _entities(reference):
        for loc in reference.objects(s, PK.sourceLocation):
            if reference.value(loc, PK.document) != DOCUMENT:
                continue
            line = int(reference.value(loc, PK.line))
            assert lines[line - 1].startswith(f"<{str(s)[len(str(ID)):]}> "), (s, line)
            located += 1
    assert located == len(_entities(reference))


def test_reference_alone_and_bundled_build_conform(reference, hokkaido_store):
    from policykg.graph.validation import validate

    assert validate(reference).conforms
    union = Graph()
    for s, p, o, _g in hokkaido_store.quads():
        union.add((s, p, o))
    assert validate(union).conforms


def test_editions_and_kpis(reference):
    editions = set(reference.subjects(DCTERMS.isVersionOf, None))
    assert len(editions) == 13
    v23 = URIRef(JP + "edition/jichitai-dx-plan-v2.3")
    assert reference.value(v23, PK.edition) == Literal("第2.3版", lang="ja")
    kpis = set(reference.subjects(PK.indicatorOf, URIRef(JP + "plan/digiden-strategy")))
    assert len(kpis) == 7
    targets = [t for k in kpis for t in reference.objects(k, PK.hasTarget)]
    assert len(targets) == 11
    five_g = reference.value(predicate=SKOS.prefLabel, object=Literal("5Gの人口カバー率", lang="ja"))
    values = sorted(float(reference.value(t, URIRef("http://qudt.org/schema/qudt/numericValue")))
                    for t in reference.objects(five_g, PK.hasTarget))
    assert values == [95.0, 97.0, 99.0]


def test_reference_lookup_uses_labels_and_altlabels_after_normalisation():
    g = Graph()
    plan = URIRef(JP + "plan/p")
    item = URIRef(JP + "p/n-1")
    g.add((plan, RDF.type, PK.PolicyDocument))
    g.add((item, RDF.type, PK.NationalItem))
    g.add((item, PK.inPlan, plan))
    g.add((item, SKOS.prefLabel, Literal("デジタル基盤整備", lang="ja")))
    g.add((item, SKOS.altLabel, Literal("ハード・ソフトのデジタル基盤整備", lang="ja")))
    ref = Reference.from_graph(g)
    assert ref.item("p", "ハード・ソフトの デジタル基盤整備") == item
    assert ref.item("p", "ｄｅｊｉｔａｌ") is None
    assert ref.item("other", "デジタル基盤整備") is None
    assert ref.pref_label(item) == "デジタル基盤整備"


def test_bundled_reference_knows_the_deck_quoted_items():
    ref = bundled_reference()
    assert str(ref.item("digiden-strategy", "デジタル基盤整備")).endswith("/jp/digiden-strategy/n-h23s32kp4i")
    assert str(ref.kpi("digiden-strategy", "デジタル実装に取り組む地方公共団体")).endswith("/kpi-mwmovzpu7r")
    assert str(ref.law("デジタル社会形成基本法")).endswith("/jp/law/law-ppldrehfev")


@pytest.mark.parametrize(("change", "message"), [
    (lambda f: f["item"][0].update(label="デジタル社会の理念"), "would move"),
    (lambda f: f["kpi"][1].update(sources=["nowhere"]), "known source"),
    (lambda f: f["item"].append(dict(f["item"][1])), "two items"),
    (lambda f: f["item"][-1].update(parent="存在しない親"), "unknown parent"),
])
def test_the_generator_refuses_bad_ledgers(change, message):
    facts = read_facts(data_dir() / FACTS_FILE)
    change(facts)
    with pytest.raises(ValueError, match=message):
        reference_turtle(facts)


def test_the_suggester_reads_the_reference_descriptions(hokkaido_store):
    from policykg.graph.analysis.suggest import read_texts

    _, nationals = read_texts(hokkaido_store)
    texts = nationals[URIRef(JP + "digiden-strategy/n-h23s32kp4i")]
    assert any(field == "description" and "光ファイバ" in text for field, text in texts)
