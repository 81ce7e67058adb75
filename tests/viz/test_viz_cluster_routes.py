"""GET /viz grouped (overview first) and GET /viz/cluster (a group's members) through the app factory."""

from __future__ import annotations

import re

import pytest

from policykg.viz import cluster

from viz_support import embedded

ID = "https://w3id.org/policykg/id/"


@pytest.fixture()
def client(make_client, groups_store):
    return make_client(groups_store)


def test_small_graph_keeps_the_flat_view(make_client, mini_store):
    response = make_client(mini_store).get("/viz")
    data = embedded(response.text)
    assert data["grouped"] is None and len(data["nodes"]) == 18
    assert "connect-src 'none'" in response.headers["content-security-policy"]
    assert 'id="pk-groups"' not in response.text


def test_above_the_threshold_the_page_draws_groups(client, monkeypatch):
    monkeypatch.setattr(cluster, "CLUSTER_THRESHOLD", 10)
    response = client.get("/viz")
    assert response.status_code == 200
    data = embedded(response.text)
    assert data["grouped"] == {"mode": "jurisdiction", "nodes": 37, "edges": 47, "url": "/viz/cluster"}
    groups = {n["key"]: n for n in data["nodes"]}
    assert {k: n["count"] for k, n in groups.items() if k.startswith("j:")} == {"j:testpref": 12, "j:otherpref": 12, "j:xss": 5}
    assert groups["j:testpref"]["label"] == {"ja": "テスト県", "en": "Test Prefecture"}
    assert groups["j:testpref"]["detail"] == "/viz?jurisdiction=testpref"
    assert all("x" in n and "y" in n for n in data["nodes"])          # placed by the server, physics off
    assert data["options"]["physics"] is False
    csp = response.headers["content-security-policy"]
    assert "connect-src 'self'" in csp and "default-src 'none'" in csp and "unsafe-inline" not in csp
    assert 'id="pk-groups"' in response.text and "まとまりを選んで展開できます" in response.text


def test_grouped_false_forces_the_flat_view(client, monkeypatch):
    monkeypatch.setattr(cluster, "CLUSTER_THRESHOLD", 10)
    assert embedded(client.get("/viz", params={"grouped": "false"}).text)["grouped"] is None


def test_one_jurisdiction_is_grouped_by_area_in_english(client):
    data = embedded(client.get("/viz", params={"grouped": "true", "jurisdiction": "テスト県", "lang": "en"}).text)
    assert data["grouped"]["mode"] == "area" and data["grouped"]["url"] == "/viz/cluster?jurisdiction=%E3%83%86%E3%82%B9%E3%83%88%E7%9C%8C"
    areas = {n["label"]["en"] for n in data["nodes"] if n["kind"] == "group_area"}
    assert areas == {"Living", "Industry"}
    assert data["lang"] == "en" and data["ui"]["en"]["expand"] == "Expand" and data["ui"]["ja"]["expand"] == "展開する"


@pytest.mark.parametrize("params, expected", [
    ({"group": "j:testpref"}, 12),
    ({"group": "group:j:otherpref"}, 12),
    ({"group": "j:testpref", "kind": "measure"}, 3),                     # the page's filters apply
    ({"group": f"p:{ID}jp/plan/digiden-strategy"}, 5),
    ({"group": f"a:{ID}testpref/area/testpref-area-1", "jurisdiction": "testpref"}, 7),
])
def test_members_route_answers_the_group(client, params, expected):
    body = client.get("/viz/cluster", params=params).json()
    assert body["ok"] is True and body["total"] == body["shown"] == len(body["nodes"]) == expected
    assert body["truncated"] is False
    ids = {n["id"] for n in body["nodes"]}
    assert all(e["from"] in ids and e["to"] in ids for e in body["edges"])
    assert all((e["from"] in ids) != (e["to"] in ids) and e["group"].startswith("group:") for e in body["links"])


def test_members_route_is_bounded(client):
    body = client.get("/viz/cluster", params={"group": "j:testpref", "limit": 4}).json()
    assert (body["total"], body["shown"], len(body["nodes"]), body["truncated"]) == (12, 4, 4, True)
    assert client.get("/viz/cluster", params={"group": "j:testpref", "limit": cluster.MAX_MEMBERS + 1}).status_code == 422


def test_members_keep_hostile_labels_as_data(client):
    body = client.get("/viz/cluster", params={"group": "j:xss"}).json()
    assert body["label"] == {"ja": "<b>太字の計画</b>", "en": None}
    labels = {n["label"]["ja"] for n in body["nodes"]}
    assert {"<img src=x onerror=alert(1)>", "<script>alert(2)</script>"} <= labels
    page = client.get("/viz", params={"grouped": "true"}).text
    block = re.search(r'id="pk-data">(.*?)</script>', page, re.S).group(1)
    assert "<" not in block and "\\u003cb\\u003e太字の計画\\u003c/b\\u003e" in block      # escaped inside the page
    assert "<b>太字の計画</b>" in {n["label"]["ja"] for n in embedded(page)["nodes"]}


@pytest.mark.parametrize("params, status, field, needle", [
    ({}, 400, "group", "展開するまとまりを指定してください / give the group"),
    ({"group": "zz"}, 400, "group", "形式が正しくありません / malformed group"),
    ({"group": "j:nowhere"}, 404, "group", "この表示にありません / no group"),
    ({"group": "j:testpref", "kind": "widget"}, 400, "kind", "種類「widget」はありません"),
    ({"group": "j:testpref", "jurisdiction": "どこにもない町"}, 404, None, "自治体「どこにもない町」の計画がありません"),
])
def test_members_route_errors(client, params, status, field, needle):
    response = client.get("/viz/cluster", params=params)
    assert response.status_code == status
    body = response.json()
    assert body["ok"] is False and body["status"] == status and needle in body["error"]
    if field:
        assert body["error"].startswith(f"{field}: ")
    ja, _, en = body["error"].partition(" / ")
    assert re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", ja) and en                   # Japanese first, then English


@pytest.mark.parametrize("limit", [0, -1, "many"])
def test_members_route_limit_errors_name_the_field(client, limit):
    response = client.get("/viz/cluster", params={"group": "j:testpref", "limit": limit})
    body = response.json()
    assert response.status_code == 422 and body["error"] == "リクエストが不正です / invalid request"
    assert body["errors"][0]["loc"] == ["query", "limit"]


def test_group_answers_are_cached_per_generation(client):
    first = client.get("/viz/cluster", params={"group": "j:testpref"}).json()
    builds = client.app.state.viz_cache.builds
    assert client.get("/viz/cluster", params={"group": "j:testpref"}).json() == first
    assert client.app.state.viz_cache.builds == builds


def test_members_route_fuzzed_answers_in_the_one_error_shape(groups_store):
    """Schemathesis over /viz/cluster (valid and invalid requests): no 5xx, every 4xx in the one error shape."""
    import schemathesis

    from app_support import api_settings
    from fuzz_support import MODES, fuzz_get
    from policykg.api.app import create_app

    schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(api_settings(), store=groups_store))
    for mode in MODES:
        fuzz_get(schema, "/viz/cluster", mode, examples=8)


def test_the_json_twin_sends_what_the_page_draws(client, monkeypatch):
    """Above the threshold /viz.json sends the groups, as /viz draws them (a national graph is 190 MB of nodes)."""
    monkeypatch.setattr(cluster, "CLUSTER_THRESHOLD", 10)
    page = embedded(client.get("/viz").text)
    twin = client.get("/viz.json").json()
    assert twin["grouped"] == page["grouped"] == {"mode": "jurisdiction", "nodes": 37, "edges": 47, "url": "/viz/cluster"}
    assert [n["key"] for n in twin["nodes"]] == [n["key"] for n in page["nodes"]]
    assert twin["counts"] == {"nodes": len(twin["nodes"]), "edges": len(twin["edges"])}
    flat = client.get("/viz.json", params={"grouped": "false"}).json()
    assert flat["grouped"] is None and flat["counts"]["nodes"] == 37 and len(flat["nodes"]) == 37
    link = client.get("/viz", params={"grouped": "false"}).headers["link"]
    assert link.startswith("</viz.json?grouped=false>")


def test_every_node_is_drawn_or_sent_only_up_to_the_cap(client, monkeypatch):
    monkeypatch.setattr(cluster, "MAX_UNGROUPED", 20)
    for path in ("/viz", "/viz.json"):
        refused = client.get(path, params={"grouped": "false"})
        assert refused.status_code == 400, path
        error = refused.json()
        assert error["ok"] is False and "37" in refused.text and "jurisdiction" in refused.text and "絞り込む" in refused.text
    assert client.get("/viz.json", params={"grouped": "false", "jurisdiction": "testpref"}).status_code == 200
    monkeypatch.setattr(cluster, "CLUSTER_THRESHOLD", 10)
    assert client.get("/viz.json").json()["grouped"]["mode"] == "jurisdiction"  # the default groups instead
