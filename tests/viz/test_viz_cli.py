"""``policykg viz --out FILE``: one self-contained HTML file, filters as options, documented exit codes."""

from __future__ import annotations

import gc

import pytest
from typer.testing import CliRunner

from policykg.cli import app
from policykg.graph.store import OxigraphStore

from viz_support import DATA, embedded, load_trig


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory):
    path = tmp_path_factory.mktemp("viz-store") / "store"
    store = load_trig(DATA / "mini.trig", OxigraphStore(path))
    store.flush()
    del store
    gc.collect()
    return path


def run(*args: str):
    return CliRunner().invoke(app, ["viz", *args])


def nodes_in(path) -> list[dict]:
    return embedded(path.read_text(encoding="utf-8"))["nodes"]


def test_export_with_filters(store_dir, tmp_path):
    out = tmp_path / "sub" / "measures.html"
    result = run("--store", str(store_dir), "--kind", "measure", "--kind", "national_item",
                 "--evidence", "curated", "--layout", "force", "--lang", "en", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "4 nodes" in result.output
    assert sorted(n["key"] for n in nodes_in(out)) == ["m-m1", "m-m2", "m-m3", "n-item1"]
    text = out.read_text(encoding="utf-8")
    assert '<html lang="en">' in text and "http-equiv=\"Content-Security-Policy\"" in text


def test_export_focus_with_base_url(store_dir, tmp_path):
    out = tmp_path / "focus.html"
    result = run("--store", str(store_dir), "--focus", "ＩＣＴを活用した 鳥獣害対策", "--hops", "1",
                 "--base-url", "http://127.0.0.1:8000/", "--out", str(out))
    assert result.exit_code == 0, result.output
    nodes = {n["key"]: n for n in nodes_in(out)}
    assert sorted(nodes) == ["m-m1", "n-item1", "testpref-dir-1a"]
    assert nodes["m-m1"]["url"] == "http://127.0.0.1:8000/id/testpref/measure/m-m1"


@pytest.mark.parametrize("args, message", [
    (["--kind", "widget"], "allowed"),
    (["--focus", "存在しないラベル"], "存在しないラベル"),
    (["--min-score", "3"], "min_score"),
])
def test_bad_input_exits_2_with_a_message(store_dir, tmp_path, args, message):
    out = tmp_path / "bad.html"
    result = run("--store", str(store_dir), *args, "--out", str(out))
    assert result.exit_code == 2
    assert message in result.output
    assert not out.exists()


@pytest.mark.slow
def test_export_of_the_bundled_graph(tmp_path):
    out = tmp_path / "measures.html"
    result = run("--plan", "北海道Society5.0推進計画", "--kind", "measure", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert len(nodes_in(out)) == 39      # the deck's 42 measure checkboxes minus 3 （再掲）


def test_more_nodes_than_a_page_can_draw_one_by_one_exits_2_naming_the_filters(store_dir, tmp_path, monkeypatch):
    from policykg.viz import cluster

    monkeypatch.setattr(cluster, "MAX_UNGROUPED", 3)
    out = tmp_path / "all.html"
    result = run("--store", str(store_dir), "--out", str(out))
    assert result.exit_code == 2 and "jurisdiction" in result.output and "絞り込む" in result.output
    assert not out.exists()
    narrowed = run("--store", str(store_dir), "--focus", "ＩＣＴを活用した 鳥獣害対策", "--hops", "1", "--out", str(out))
    assert narrowed.exit_code == 0, narrowed.output
