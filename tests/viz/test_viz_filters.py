"""Server-side filters over the mini model: plan, area, kind, evidence, min score, focus (n-hop)."""

from __future__ import annotations

import pytest

from policykg.errors import AmbiguousLabel, LabelNotFound, ParameterError
from policykg.viz.filters import VizFilter, apply_filters, make_filter, resolve_node, split_values


def keys(model):
    return sorted(n["key"] for n in model["nodes"])


def alignment_keys(model):
    return sorted(e["id"].rsplit("/", 1)[-1] for e in model["edges"] if e["ev"] != "structure")


NATIONAL = ["digiden-strategy", "juten-keikaku", "kpi-k1", "n-group1", "n-item1", "n-pillar1"]
LOCAL_ALL = ["i-i1", "i-i2", "m-m1", "m-m2", "m-m3", "phase-p1", "phase-p2", "plan",
             "testpref-area-1", "testpref-area-2", "testpref-dir-1a", "testpref-dir-2a"]


@pytest.mark.parametrize("kwargs, expected", [
    ({}, sorted(NATIONAL + LOCAL_ALL)),
    ({"kinds": "measure"}, ["m-m1", "m-m2", "m-m3"]),
    ({"kinds": ["measure,national_item", "pillar"]}, ["m-m1", "m-m2", "m-m3", "n-item1", "n-pillar1"]),
    ({"plans": "digiden-strategy"}, ["digiden-strategy", "kpi-k1", "n-group1", "n-item1", "n-pillar1"]),
    # plan by label, NFKC/space tolerant, and by English label
    ({"plans": "テスト県 DX計画"}, sorted(LOCAL_ALL)),
    ({"plans": "Digital Garden City Nation Strategy"}, ["digiden-strategy", "kpi-k1", "n-group1", "n-item1", "n-pillar1"]),
    # area keeps its own local nodes, multi-area measures, and everything with no area (national side, plans)
    ({"areas": "産業"}, sorted(NATIONAL + ["i-i2", "m-m2", "m-m3", "plan", "testpref-area-2", "testpref-dir-2a"])),
    ({"areas": "Living", "kinds": "measure"}, ["m-m1", "m-m2"]),
    ({"focus": "ICTを活用した鳥獣害対策", "hops": 1}, ["m-m1", "n-item1", "testpref-dir-1a"]),
    ({"focus": "ＩＣＴ を 活用した　鳥獣害対策", "hops": 0}, ["m-m1"]),
    ({"focus": "m-m3", "hops": 2},
     ["i-i2", "m-m1", "m-m2", "m-m3", "n-item1", "n-pillar1", "testpref-area-2", "testpref-dir-2a", "n-group1"]),
])
def test_node_filters(mini_model, kwargs, expected):
    assert keys(apply_filters(mini_model, make_filter(**kwargs))) == sorted(expected)


@pytest.mark.parametrize("kwargs, expected", [
    ({}, ["al-curated1", "al-inferred1", "al-inferred2", "al-stated1"]),
    ({"evidence": "inferred"}, ["al-inferred1", "al-inferred2"]),
    ({"evidence": ["curated", "Stated"]}, ["al-curated1", "al-stated1"]),
    ({"min_score": 0.5}, ["al-curated1", "al-inferred2", "al-stated1"]),   # 0.42 dropped, unscored kept
    ({"min_score": 0.81}, ["al-curated1", "al-inferred2", "al-stated1"]),  # inclusive
    ({"evidence": "inferred", "min_score": 0.9}, []),
])
def test_edge_filters(mini_model, kwargs, expected):
    filtered = apply_filters(mini_model, make_filter(**kwargs))
    assert alignment_keys(filtered) == expected
    structure = [e for e in filtered["edges"] if e["ev"] == "structure"]
    assert len(structure) == sum(1 for e in mini_model["edges"] if e["ev"] == "structure")  # structure stays


def test_edges_need_both_ends(mini_model):
    filtered = apply_filters(mini_model, make_filter(kinds="measure,direction"))
    kept = {n["id"] for n in filtered["nodes"]}
    assert filtered["edges"] and all(e["from"] in kept and e["to"] in kept for e in filtered["edges"])
    assert {e["rel"] for e in filtered["edges"]} == {"direction"}


def test_focus_is_reported_and_input_untouched(mini_model):
    before = len(mini_model["nodes"])
    filtered = apply_filters(mini_model, make_filter(focus="暮らし", hops=1))
    assert filtered["focus"].endswith("testpref-area-1")
    assert len(mini_model["nodes"]) == before and mini_model.get("focus") is None


@pytest.mark.parametrize("kwargs, field", [
    ({"kinds": "measure,widget"}, "kind"),
    ({"evidence": "rumour"}, "evidence"),
    ({"hops": 7}, "hops"),
    ({"min_score": 1.5}, "min_score"),
])
def test_invalid_values_name_the_field_and_allowed_values(kwargs, field):
    with pytest.raises(ParameterError) as err:
        make_filter(**kwargs)
    assert err.value.field == field
    if field == "kind":
        assert "widget" in str(err.value) and "measure" in str(err.value) and "phase" in str(err.value)


def test_unknown_label_suggests_close_ones(mini_model):
    with pytest.raises(LabelNotFound) as err:
        apply_filters(mini_model, make_filter(focus="鳥獣害対策の推進です"))
    assert "ICTを活用した鳥獣害対策" in err.value.suggestions


def test_ambiguous_label_lists_candidates(mini_model):
    # "安心で質の高い…" is a phase's label and a direction's alternative label
    with pytest.raises(AmbiguousLabel) as err:
        resolve_node(mini_model["nodes"], "安心で質の高い医療・福祉サービスの強化")
    assert len(err.value.candidates) == 2
    # restricted to one kind it is unique
    assert resolve_node(mini_model["nodes"], "安心で質の高い医療・福祉サービスの強化", kinds=("phase",))["key"] == "phase-p2"


def test_plan_term_must_name_a_plan(mini_model):
    with pytest.raises(LabelNotFound):
        apply_filters(mini_model, make_filter(plans="暮らし"))


def test_split_values_and_empty_filter():
    assert split_values("a, b、c,,a") == ("a", "b", "c")
    assert VizFilter().is_empty() and not make_filter(kinds="plan").is_empty()
