"""``policykg build | validate | stats | query`` through typer's CliRunner (both backends where it matters).

A small on-disk store built from tests/data/rdf/pipeline-base.trig keeps these fast; the bundled
graph is exercised in tests/test_build.py.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, URIRef

from policykg.graph.queries import query_names
from policykg.namespaces import ONTOLOGY_GRAPH, graph_name

from cli_support import invoke, small_store_dir

DATA = Path(__file__).parent / "data" / "rdf"
LABEL_QUERY = "SELECT ?m ?label WHERE { ?m <http://www.w3.org/2004/02/skos/core#prefLabel> ?label } ORDER BY ?m"




@pytest.fixture()
def store_dir(tmp_path) -> Path:
    """An on-disk Oxigraph store holding the two small graphs of pipeline-base.trig, closed again."""
    return small_store_dir(tmp_path)


# --- build ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("backend", ["oxigraph", "rdflib"])
def test_build_to_trig_keeps_graph_names(tmp_path, backend):
    out = tmp_path / "out.trig"
    result = invoke("build", "--source", DATA / "good.trig", "--out", out, "--backend", backend, "--no-validate")
    assert result.exit_code == 0, result.stderr
    ds = Dataset()
    ds.parse(out, format="trig")
    names = {c.identifier for c in ds.graphs() if len(c)}
    assert {graph_name("good"), URIRef("https://example.org/graph/a"), URIRef("https://example.org/graph/b"),
            ONTOLOGY_GRAPH} <= names
    assert "done:" in result.stderr and result.stdout == ""


@pytest.mark.parametrize(("suffix", "fmt"), [(".ttl", "turtle"), (".nt", "nt")])
def test_build_to_triple_formats_flattens_the_union(tmp_path, suffix, fmt):
    out = tmp_path / f"out{suffix}"
    assert invoke("build", "--source", DATA / "good.trig", "--out", out, "--no-validate").exit_code == 0
    g = Graph().parse(out, format=fmt)
    plan = URIRef("https://w3id.org/policykg/id/testjur/plan")
    assert len(list(g.objects(plan, URIRef("http://www.w3.org/2004/02/skos/core#prefLabel")))) == 2


@pytest.mark.parametrize(("suffix", "fmt"), [(".nq", "nquads"), (".jsonld", "json-ld")])
def test_build_to_quad_formats(tmp_path, suffix, fmt):
    out = tmp_path / f"out{suffix}"
    assert invoke("build", "--source", DATA / "good.trig", "--out", out, "--no-validate").exit_code == 0
    ds = Dataset()
    ds.parse(out, format=fmt)
    assert URIRef("https://example.org/graph/b") in {c.identifier for c in ds.graphs()}


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--out", "x.docx"], "x.docx [extension]: cannot write '.docx'"),
        (["--source", DATA / "bad-syntax.ttl"], f"{DATA / 'bad-syntax.ttl'}:5: syntax error"),
        (["--source", DATA / "remote-context.jsonld"], f"{DATA / 'remote-context.jsonld'}:2 [/@context]: remote JSON-LD context"),
        (["--source", "minutes.docx"], "minutes.docx [extension]: unknown kind of source '.docx'; accepted: documents"),
        (["--source", DATA / "nope.ttl"], "nope.ttl: no such file"),
        (["--store", "somewhere", "--backend", "rdflib"], "policykg: error: the rdflib fallback is memory-only"),
    ],
)
def test_build_errors_are_one_line_and_exit_2(tmp_path, args, expected):
    result = invoke("build", *[tmp_path / a if a in ("x.docx", "somewhere") else a for a in args])
    assert result.exit_code == 2
    errors = [line for line in result.stderr.splitlines() if line.startswith("policykg: error:")]
    assert len(errors) == 1 and expected in errors[0], result.stderr


def test_build_into_store_then_stats(tmp_path):
    path = tmp_path / "built"
    assert invoke("build", "--source", DATA / "good.ttl", "--store", path, "--no-validate").exit_code == 0
    result = invoke("stats", "--store", path, "--json")
    assert result.exit_code == 0, result.stderr
    stats = json.loads(result.stdout)
    graphs = {g["graph"]: g["triples"] for g in stats["graphs"]}
    assert graphs[str(graph_name("good"))] == 2
    assert str(ONTOLOGY_GRAPH) in graphs
    assert stats["quads"] == sum(graphs.values())
    assert {"class": "pk:LocalPlan", "count": 1} in stats["classes"]


def test_refused_build_leaves_store_dir_unchanged(store_dir):
    before = invoke("stats", "--store", store_dir, "--json").stdout
    result = invoke("build", "--store", store_dir, "--source", DATA / "pipeline-invalid.ttl")
    assert result.exit_code == 1
    assert "m-nolabel" in result.stderr
    assert invoke("stats", "--store", store_dir, "--json").stdout == before


# --- stats / query --------------------------------------------------------------------------------


def test_stats_text(store_dir):
    result = invoke("stats", "--store", store_dir)
    assert result.exit_code == 0
    assert "quads: 8" in result.stdout
    assert "3  pk:Measure" in result.stdout


def test_query_json_is_w3c_json(store_dir):
    result = invoke("query", LABEL_QUERY, "--format", "json", "--store", store_dir)
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["head"] == {"vars": ["m", "label"]}
    first = doc["results"]["bindings"][0]
    assert first == {
        "m": {"type": "uri", "value": "https://w3id.org/policykg/id/testjur/measure/m-a"},
        "label": {"type": "literal", "value": "施策A", "xml:lang": "ja"},
    }
    assert len(doc["results"]["bindings"]) == 3


@pytest.mark.parametrize(
    ("fmt", "first_lines"),
    [
        ("csv", ["m,label\r", "https://w3id.org/policykg/id/testjur/measure/m-a,施策A\r"]),
        ("tsv", ["?m\t?label", '<https://w3id.org/policykg/id/testjur/measure/m-a>\t"施策A"@ja']),
        ("table", None),
    ],
)
def test_query_formats(store_dir, fmt, first_lines):
    result = invoke("query", LABEL_QUERY, "--format", fmt, "--store", store_dir)
    assert result.exit_code == 0, result.stderr
    if first_lines:
        assert result.stdout_bytes.decode("utf-8").split("\n")[:2] == first_lines
    else:
        assert "施策B <b>" in result.stdout and "(3 rows)" in result.stdout


def test_query_rq_file_with_params(store_dir, tmp_path):
    rq = tmp_path / "by-label.rq"
    rq.write_text("# title: ラベルで探す\n# params: ?label (@ja)\nSELECT ?m WHERE { ?m skos:prefLabel ?label }\n",
                  encoding="utf-8")
    result = invoke("query", rq, "--param", "label=施策C", "--format", "csv", "--store", store_dir)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == ["m", "https://w3id.org/policykg/id/testjur/measure/m-c"]


def test_canned_entity_counts(store_dir):
    result = invoke("query", "--name", "entity-counts", "--format", "csv", "--store", store_dir)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == ["class,count", "https://w3id.org/policykg/ontology#Measure,3"]


def test_query_list_names_every_canned_query():
    result = invoke("query", "--list")
    assert result.exit_code == 0
    assert [line.split("\t")[0] for line in result.stdout.splitlines()] == query_names()


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"], "SERVICE"),
        (["INSERT DATA { <urn:a> <urn:b> <urn:c> }"], "read-only"),
        (["SELECT * WHERE { ?s ?p }"], "SPARQL syntax error at line 1, column"),
        (["SELEC * WHERE { ?s ?p ?o }"], "SPARQL syntax error at line 1, column 1: expected SELECT"),
        (["--name", "no-such-query"], "available: coverage-matrix"),
        (["--name", "indicators-past-target-without-observation", "--param", "asOf=2025-02-30"], "expects xsd:date"),
        (["--name", "entity-counts", "--param", "x=1"], "has no parameter ?x"),
        (["SELECT 1 {}", "--format", "yaml"], "unknown --format 'yaml'"),
        ([], "give a query"),
    ],
)
def test_query_refusals_exit_2(store_dir, args, expected):
    before = invoke("stats", "--store", store_dir, "--json").stdout
    result = invoke("query", *args, "--store", store_dir)
    assert result.exit_code == 2, result.stdout
    japanese, english = result.stderr.strip().splitlines()[-2:]
    assert japanese.startswith("policykg: エラー: ") and english.startswith("policykg: error: ") and expected in english
    assert invoke("stats", "--store", store_dir, "--json").stdout == before


def test_validate_sources_reports_violations_and_exits_1():
    result = invoke("validate", "--source", DATA / "pipeline-invalid.ttl")
    assert result.exit_code == 1
    assert "m-nolabel" in result.stderr
    assert "validation failed" in result.stderr


# --- on the bundled graph ---------------------------------------------------------------------------

MEASURES_OF_MAAS = """PREFIX pk: <https://w3id.org/policykg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?direction WHERE { ?m skos:prefLabel "北海道型のMaaSの展開"@ja ; pk:direction ?d . ?d skos:notation ?direction }
ORDER BY ?direction"""


@pytest.mark.parametrize("backend", ["oxigraph", "rdflib"])
def test_query_bundled_graph_on_both_backends(backend):
    """北海道型のMaaSの展開 is listed under (1)(d) and, （再掲）, under (2)(d) — slides 13 and 14."""
    result = invoke("query", MEASURES_OF_MAAS, "--format", "json", "--backend", backend)
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert [b["direction"]["value"] for b in doc["results"]["bindings"]] == ["1d", "2d"]
    assert "building the bundled graph" in result.stderr


def test_stats_of_bundled_graph_match_the_deck():
    stats = json.loads(invoke("stats", "--json").stdout)
    counts = {c["class"]: c["count"] for c in stats["classes"]}
    assert (counts["pk:Measure"], counts["pk:PolicyDirection"], counts["pk:PolicyArea"]) == (39, 18, 5)
    assert counts["pk:QualitativeIndicator"] == 9


def test_validate_bundled_graph_conforms():
    result = invoke("validate")
    assert result.exit_code == 0, result.stderr
    assert "conforms" in result.stdout
