"""viz/cluster.py: grouping a large network (pure functions, small hand-made models and the three-jurisdiction graph)."""

from __future__ import annotations

import pytest

from policykg.errors import EntityNotFound, ParameterError
from policykg.viz.cluster import (
    CLUSTER_THRESHOLD,
    GROUP_PREFIX,
    MAX_GROUP_SIZE,
    MIN_GROUP_SIZE,
    check_group,
    choose_mode,
    cluster_model,
    group_filter_params,
    group_key,
    group_members,
    group_positions,
    group_size,
    grouping,
    should_cluster,
)
from policykg.viz.filters import VizFilter, apply_filters, make_filter
from policykg.viz.model import build_network

ID = "https://w3id.org/policykg/id/"
NAMES = {"testpref": {"ja": "テスト県", "en": "Test Prefecture"}, "otherpref": {"ja": "別の県", "en": "別の県"}}


def node(key: str, kind: str, side: str, *, plans=(), areas=(), ja=None, en=None) -> dict:
    return {"id": ID + key, "key": key, "kind": kind, "side": side, "level": 0, "label": {"ja": ja or key, "en": en},
            "plans": [ID + p for p in plans], "areas": [ID + a for a in areas], "alt": [], "loc": [], "status": None,
            "search": [key]}


def edge(i: int, a: str, b: str, ev: str = "structure") -> dict:
    return {"id": f"e{i}", "from": ID + a, "to": ID + b, "rel": "direction", "ev": ev}


TINY = {
    "nodes": [
        node("jp/plan/p", "plan", "national", ja="国の計画", en="National plan"),
        node("jp/n1", "national_item", "national", plans=["jp/plan/p"], ja="国の施策"),
        node("a/plan", "plan", "local", ja="A県の計画"),
        node("a/area/1", "area", "local", plans=["a/plan"], areas=["a/area/1"], ja="暮らし"),
        node("a/m1", "measure", "local", plans=["a/plan"], areas=["a/area/1"]),
        node("a/m2", "measure", "local", plans=["a/plan"], areas=["a/area/1"]),
        node("b/plan", "plan", "local", ja="B市の計画"),
        node("b/m1", "measure", "local", plans=["b/plan"]),
        node("loose", "indicator", "other"),
    ],
    "edges": [
        edge(1, "a/m1", "a/area/1"), edge(2, "a/m2", "a/area/1"), edge(3, "a/area/1", "a/plan"),
        edge(4, "a/m1", "jp/n1", "curated"), edge(5, "a/m2", "jp/n1", "inferred"), edge(6, "b/m1", "jp/n1", "curated"),
        edge(7, "jp/n1", "jp/plan/p"),
    ],
    "legend": {"kinds": []},
}


@pytest.mark.parametrize("key, mode, expected", [
    ("jp/n1", "jurisdiction", f"p:{ID}jp/plan/p"),
    ("jp/plan/p", "area", f"p:{ID}jp/plan/p"),
    ("a/m1", "jurisdiction", "j:a"),
    ("a/plan", "jurisdiction", "j:a"),
    ("a/m1", "area", f"a:{ID}a/area/1"),
    ("a/area/1", "area", f"a:{ID}a/area/1"),
    ("a/plan", "area", f"p:{ID}a/plan"),          # the plan itself has no area: it groups with its plan
    ("b/m1", "area", f"p:{ID}b/plan"),
    ("loose", "jurisdiction", "other"),
])
def test_group_key(key, mode, expected):
    n = next(x for x in TINY["nodes"] if x["key"] == key)
    assert group_key(n, mode) == expected


@pytest.mark.parametrize("count, largest, expected", [
    (1, 1, MIN_GROUP_SIZE), (1, 500, MIN_GROUP_SIZE), (500, 500, MAX_GROUP_SIZE), (26, 101, 25),
])
def test_group_size_grows_with_members(count, largest, expected):
    assert group_size(count, largest) == expected


@pytest.mark.parametrize("count, requested, expected", [
    (CLUSTER_THRESHOLD, None, False), (CLUSTER_THRESHOLD + 1, None, True), (3, True, True),
    (CLUSTER_THRESHOLD + 1, False, False),
])
def test_should_cluster(count, requested, expected):
    assert should_cluster({"nodes": [{}] * count}, requested) is expected


def test_cluster_model_counts_members_and_aggregates_edges():
    grouped = cluster_model(TINY, grouping("jurisdiction", {"a": {"ja": "A県", "en": "A Prefecture"}}))
    by_key = {n["key"]: n for n in grouped["nodes"]}
    assert {k: n["count"] for k, n in by_key.items()} == {f"p:{ID}jp/plan/p": 2, "j:a": 4, "j:b": 2, "other": 1}
    assert sum(n["count"] for n in grouped["nodes"]) == len(TINY["nodes"])
    assert by_key["j:a"]["label"] == {"ja": "A県", "en": "A Prefecture"}       # the jurisdiction's name
    assert by_key["j:b"]["label"] == {"ja": "B市の計画", "en": None}          # no name: its plan's label
    assert by_key["other"]["label"] == {"ja": "その他", "en": "Other"}
    assert by_key["j:a"]["counts"] == {"plan": 1, "area": 1, "measure": 2} and by_key["j:a"]["inner"] == 3
    assert [n["kind"] for n in grouped["nodes"]][0] == "group_national"          # national first
    links = {(e["from"], e["to"]): (e["count"], e["counts"]) for e in grouped["edges"]}
    assert links == {
        (GROUP_PREFIX + "j:a", GROUP_PREFIX + f"p:{ID}jp/plan/p"): (2, {"curated": 1, "inferred": 1}),
        (GROUP_PREFIX + "j:b", GROUP_PREFIX + f"p:{ID}jp/plan/p"): (1, {"curated": 1}),
    }
    assert sum(e["count"] for e in grouped["edges"]) + sum(n["inner"] for n in grouped["nodes"]) == len(TINY["edges"])
    assert grouped["grouped"] == {"mode": "jurisdiction", "nodes": 9, "edges": 7}
    assert [k["key"] for k in grouped["legend"]["kinds"]][:2] == ["group_national", "group_jurisdiction"]


def test_area_mode_groups_one_jurisdiction_by_area():
    grouped = cluster_model(TINY, grouping("area"))
    assert {n["key"]: n["count"] for n in grouped["nodes"]} == {
        f"p:{ID}jp/plan/p": 2, f"a:{ID}a/area/1": 3, f"p:{ID}a/plan": 1, f"p:{ID}b/plan": 2, "other": 1}
    assert {n["kind"] for n in grouped["nodes"]} == {"group_national", "group_area", "group_plan", "group_other"}
    assert next(n for n in grouped["nodes"] if n["kind"] == "group_area")["label"]["ja"] == "暮らし"


@pytest.mark.parametrize("f, expected", [
    (VizFilter(), "jurisdiction"),
    (VizFilter(jurisdiction="a"), "area"),
])
def test_choose_mode(f, expected):
    assert choose_mode(TINY, f) == expected


def test_choose_mode_with_one_jurisdiction_present(mini_model):
    assert choose_mode(mini_model, VizFilter()) == "area"


def test_group_members_bounded_with_links_to_other_groups():
    g = grouping("jurisdiction")
    full = group_members(TINY, g, "j:a")
    assert (full["total"], full["shown"], full["truncated"]) == (4, 4, False)
    assert {e["id"] for e in full["edges"]} == {"e1", "e2", "e3"}
    assert {(e["id"], e["group"]) for e in full["links"]} == {("e4", GROUP_PREFIX + f"p:{ID}jp/plan/p"),
                                                             ("e5", GROUP_PREFIX + f"p:{ID}jp/plan/p")}
    assert all("x" in n and "y" in n for n in full["nodes"])
    assert abs(sum(n["x"] for n in full["nodes"])) < 1 and abs(sum(n["y"] for n in full["nodes"])) < 1   # centred
    part = group_members(TINY, g, "j:a", limit=2)
    assert (part["total"], part["shown"], part["truncated"]) == (4, 2, True)
    assert [n["id"] for n in part["nodes"]] == [n["id"] for n in full["nodes"][:2]]


def test_group_members_of_an_unknown_group():
    with pytest.raises(EntityNotFound, match="group: まとまり「j:zz」.* / no group"):
        group_members(TINY, grouping("jurisdiction"), "j:zz")


@pytest.mark.parametrize("text, expected", [
    ("j:a", "j:a"), (" group:j:a ", "j:a"), ("other", "other"), (f"p:{ID}x", f"p:{ID}x"),
])
def test_check_group_accepts(text, expected):
    assert check_group(text) == expected


@pytest.mark.parametrize("text, needle", [
    (None, "展開するまとまりを指定してください / give the group"),
    ("", "展開するまとまり"),
    ("j:", "形式が正しくありません / malformed"),
    ("x:abc", "形式が正しくありません / malformed"),
])
def test_check_group_refuses_in_japanese_then_english(text, needle):
    with pytest.raises(ParameterError) as caught:
        check_group(text)
    assert caught.value.field == "group" and needle in str(caught.value)
    assert str(caught.value).startswith("group: ")


def test_grouping_refuses_unknown_mode():
    with pytest.raises(ParameterError, match="mode: .* / mode must be one of"):
        grouping("prefecture")


@pytest.mark.parametrize("key, param, value", [
    ("j:a", "jurisdiction", "a"), (f"a:{ID}a/area/1", "area", f"{ID}a/area/1"), (f"p:{ID}b/plan", "plan", f"{ID}b/plan"),
])
def test_group_filter_params_keep_the_other_filters(key, param, value):
    params = group_filter_params(key, make_filter(kinds="measure,area"))
    assert params[param] == value and params["kind"] == "measure,area"


def test_positions_put_national_groups_left():
    grouped = cluster_model(TINY, grouping("jurisdiction"))
    pos = group_positions(grouped["nodes"])
    national = [pos[n["id"]][0] for n in grouped["nodes"] if n["side"] == "national"]
    local = [pos[n["id"]][0] for n in grouped["nodes"] if n["side"] == "local"]
    assert max(national) < min(local)
    assert len(set(pos.values())) == len(pos)          # no two groups on one spot


def test_three_jurisdictions_from_the_store(groups_store):
    model = build_network(groups_store)
    grouped = cluster_model(model, grouping(choose_mode(model, VizFilter()), NAMES))
    labels = {n["key"]: n["label"]["ja"] for n in grouped["nodes"] if n["kind"] == "group_jurisdiction"}
    assert labels == {"j:testpref": "テスト県", "j:otherpref": "別の県", "j:xss": "<b>太字の計画</b>"}
    assert sum(n["count"] for n in grouped["nodes"]) == len(model["nodes"])
    test = next(n for n in grouped["nodes"] if n["key"] == "j:testpref")
    assert test["label"]["en"] == "Test Prefecture"
    assert next(n for n in grouped["nodes"] if n["key"] == "j:otherpref")["label"]["en"] is None   # en == ja: none
    # a group's members are the nodes the jurisdiction filter would show on its local side
    members = group_members(model, grouping("jurisdiction", NAMES), "j:testpref")
    local = [n for n in model["nodes"] if n["side"] == "local" and n["id"].startswith(ID + "testpref/")]
    assert sorted(n["id"] for n in members["nodes"]) == sorted(n["id"] for n in local)
    # filters apply before grouping: only measures
    measures = apply_filters(model, make_filter(kinds="measure"))
    assert {n["key"]: n["count"] for n in cluster_model(measures, grouping("jurisdiction"))["nodes"]} == {
        "j:testpref": 3, "j:otherpref": 3, "j:xss": 2}
