"""Suggestions: well-formed, reproducible, blind to curated links; evaluation numbers; inferred links in trace."""

from __future__ import annotations

import pytest

from policykg.graph.analysis.evaluate import evaluate_methods, gold_links, metrics
from policykg.graph.analysis.similarity import bm25, char_ngrams, cosine, idf, sudachi_tokens, tfidf
from policykg.graph.analysis.suggest import METHODS, inferred_graph, suggest
from policykg.graph.analysis.trace import trace_measure
from policykg.namespaces import INFERRED_ALIGNMENTS_GRAPH, PK, PROV, RDF


@pytest.fixture(scope="module")
def fusion_top5(hokkaido_store):
    return suggest(hokkaido_store, top=5)


def test_one_entry_per_measure_best_first(fusion_top5):
    assert len(fusion_top5) == 39
    for entry in fusion_top5:
        scores = [c["score"] for c in entry["candidates"]]
        assert len(scores) == 5
        assert scores == sorted(scores, reverse=True)
        assert all(0.0 <= s <= 1.0 for s in scores)
        assert set(entry["measure"]) == {"iri", "label"} and set(entry["candidates"][0]) == {"iri", "label", "score"}


def test_obvious_wording_matches_rank_first(fusion_top5):
    """Measures whose national counterpart shares most of its wording (slides 8–9 vs 14–15)."""
    top = {e["measure"]["label"]: e["candidates"][0]["label"] for e in fusion_top5}
    assert top["スマート農林水産業の推進"] == "スマート農林水産業・食品産業"
    assert top["中小企業へのICTの導入、DXの推進"] == "中小・中堅企業DX"


def test_reproducible_and_blind_to_curated_links(hokkaido_store, fusion_top5):
    """Same input → same output; removing every alignment changes nothing (no leakage)."""
    from policykg.graph.build import build_store, bundled_national_files
    from project_paths import SOURCE_DECK

    unaligned = build_store([SOURCE_DECK, *bundled_national_files()])  # the bundled sources less the alignment CSVs
    assert suggest(hokkaido_store, top=5) == fusion_top5
    assert gold_links(unaligned) == {}
    assert suggest(unaligned, top=5) == fusion_top5


def test_evaluation_reports_every_method_reproducibly(hokkaido_store):
    first = evaluate_methods(hokkaido_store)
    assert set(first["methods"]) == set(METHODS)
    assert evaluate_methods(hokkaido_store) == first
    fusion = first["methods"]["fusion"]
    assert (fusion["measures"], fusion["links"]) == (37, 55)
    assert len(first["unlinked_measures"]) == 2
    for m in first["methods"].values():
        assert 0.0 <= m["precision@1"] <= m["mrr"] <= 1.0
        assert m["recall@3"] <= m["recall@5"]
    # measured 0.6577 over every national item, 0.7523 over the items the curators judged (docs/alignment.md:
    # the 13 items of the national reference data are not in the gold yet); a drop below 0.65 is a regression
    assert fusion["recall@5"] >= 0.65


def test_metrics_by_hand():
    gold = {"m1": {"a"}, "m2": {"b", "c"}, "m3": {"d"}}
    ranked = {"m1": ["a", "x"], "m2": ["x", "b", "y", "z", "c"], "m3": ["x", "y", "z", "w", "v", "d"]}
    m = metrics(ranked, gold)
    assert m["precision@1"] == round(1 / 3, 4)
    assert m["recall@3"] == round((1 + 0.5 + 0) / 3, 4)
    assert m["recall@5"] == round((1 + 1 + 0) / 3, 4)
    assert m["mrr"] == round((1 + 0.5 + 1 / 6) / 3, 4)


@pytest.mark.parametrize("text,mode,expected", [
    ("デジタル人材の育成・確保", "C", {"デジタル", "人材", "育成", "確保"}),
    ("マイナンバー制度の普及、啓発", "C", {"マイナンバー制度", "普及", "啓発"}),
    # mode CA adds the short units, so マイナンバー制度 also meets マイナンバーカード on マイナンバー
    ("マイナンバー制度の普及、啓発", "CA", {"マイナンバー制度", "マイナンバー", "制度", "普及", "啓発"}),
])
def test_sudachi_keeps_content_words_only(text, mode, expected):
    assert set(sudachi_tokens(text, mode=mode)) == expected


def test_ngrams_break_at_punctuation():
    assert "・確" not in char_ngrams("育成・確保") and "育成" in char_ngrams("育成・確保")


def test_scorers_prefer_shared_rare_terms():
    docs = [{"観光": 1.0, "DX": 1.0}, {"農業": 1.0, "DX": 1.0}]
    w = idf(docs)
    q = tfidf({"観光": 1.0}, w)
    assert cosine(q, tfidf(docs[0], w)) > cosine(q, tfidf(docs[1], w)) == 0.0
    assert bm25({"観光": 1.0}, docs) == [1.0, 0.0]


def test_recorded_suggestions_are_inferred_and_only_shown_on_request(store_copy):
    result = suggest(store_copy, top=2)
    g = inferred_graph(result, generated="2026-12-03T00:00:00")
    nodes = set(g.subjects(RDF.type, PK.Alignment))
    assert len(nodes) == 39 * 2
    assert {g.value(n, PK.evidence) for n in nodes} == {PK.Inferred}
    activity = g.value(next(iter(nodes)), PROV.wasGeneratedBy)
    assert str(g.value(activity, PK.method)) == "fusion" and "idf_scope" in str(g.value(activity, PK.parameters))
    store_copy.replace_graphs({INFERRED_ALIGNMENTS_GRAPH: g})
    label = "スマート農林水産業の推進"
    plain = trace_measure(store_copy, label)
    assert all(s["evidence"] != "inferred" for s in plain["supports"])
    with_inferred = trace_measure(store_copy, label, include_inferred=True)
    inferred = [s for s in with_inferred["supports"] if s["evidence"] == "inferred"]
    assert len(inferred) == 2 and all(isinstance(s["score"], float) for s in inferred)
    assert with_inferred["supports"][: len(plain["supports"])] == plain["supports"]


# --- issue 3: evaluation figures and metric arithmetic ------------------------------------------

SHIPPED = {  # docs/alignment.md, "Evaluation": the bundled graph (deck + national reference data), 37 measures / 55 gold links
    "sudachi": (0.3784, 0.6126, 0.6847, 0.5655),
    "ngram": (0.3243, 0.4955, 0.5811, 0.4928),
    "bm25-sudachi": (0.3514, 0.5315, 0.5631, 0.5225),
    "bm25-ngram": (0.4054, 0.4955, 0.5405, 0.5225),
    "fusion": (0.3784, 0.5991, 0.6577, 0.5548),
}


def test_evaluation_reproduces_the_documented_table(hokkaido_store):
    """The figures in docs/alignment.md are what `policykg align evaluate` computes (to 4 places).

    The issue's target, recall@5 ≥ 0.8, is not met (best 0.7387); docs/alignment.md records what was
    tried. A change that moves any figure must update this table and the doc together.
    """
    result = evaluate_methods(hokkaido_store)["methods"]
    got = {name: (m["precision@1"], m["recall@3"], m["recall@5"], m["mrr"]) for name, m in result.items()}
    assert got == {name: pytest.approx(v, abs=1e-4) for name, v in SHIPPED.items()}


def test_metrics_edge_cases_by_hand():
    gold = {
        "hit-first": {"a"},
        "two-gold-one-late": {"b", "c"},   # b at rank 2, c at rank 6 (outside top 5)
        "missing": {"d"},                  # d never ranked: contributes 0 everywhere
        "no-ranking": {"e"},               # measure absent from the rankings
        "unlinked": set(),                 # no gold: not scored at all
    }
    ranked = {
        "hit-first": ["a"],                # shorter than 3 and 5: still full recall
        "two-gold-one-late": ["x", "b", "y", "z", "w", "c"],
        "missing": ["x", "y"],
        "unlinked": ["a", "b"],
    }
    m = metrics(ranked, gold)
    assert (m["measures"], m["links"]) == (4, 5)
    assert m["precision@1"] == round(1 / 4, 4)
    assert m["recall@3"] == round((1 + 0.5 + 0 + 0) / 4, 4)
    assert m["recall@5"] == round((1 + 0.5 + 0 + 0) / 4, 4)
    assert m["mrr"] == round((1 + 1 / 2 + 0 + 0) / 4, 4)
    assert metrics({"m": ["a"]}, {}) == {"measures": 0, "links": 0, "precision@1": 0.0, "recall@3": 0.0,
                                         "recall@5": 0.0, "mrr": 0.0}


def test_evaluate_texts_on_a_tiny_hand_made_graph():
    """Texts → ranking → metrics end to end, with answers a reader can check by eye."""
    from rdflib import URIRef

    from policykg.graph.analysis.evaluate import evaluate_texts

    ex = "https://example.org/"
    measures = {
        URIRef(ex + "m-kanko"): [("label", "観光DXの推進")],
        URIRef(ex + "m-nogyo"): [("label", "スマート農業の推進")],
        URIRef(ex + "m-none"): [("label", "道庁テレワーク")],
    }
    nationals = {
        URIRef(ex + "n-kanko"): [("label", "観光DX")],
        URIRef(ex + "n-nogyo"): [("label", "スマート農業")],
        URIRef(ex + "n-kyoiku"): [("label", "教育の充実")],
    }
    gold = {
        URIRef(ex + "m-kanko"): {URIRef(ex + "n-kanko")},
        # the second gold item shares no wording with the measure: it ranks last (3rd of 3)
        URIRef(ex + "m-nogyo"): {URIRef(ex + "n-nogyo"), URIRef(ex + "n-kyoiku")},
    }
    result = evaluate_texts(measures, nationals, gold, [METHODS["fusion"], METHODS["sudachi"]])
    for name in ("fusion", "sudachi"):
        m = result["methods"][name]
        assert (m["measures"], m["links"]) == (2, 3)
        assert m["precision@1"] == 1.0
        assert m["recall@3"] == m["recall@5"] == 1.0      # 3 candidates only: everything is in the top 3
        assert m["mrr"] == 1.0
    assert result["unlinked_measures"] == [ex + "m-none"] and result["measures_total"] == 3
