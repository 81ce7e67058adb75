"""Store behaviour the rest relies on, and the validate-then-write pipeline (graph/pipeline.py).

Both backends; atomicity is checked by comparing every quad before and after a refused load.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SKOS, XSD

from policykg.errors import SourceError, ValidationFailed
from policykg.graph.pipeline import load_graphs, union_after
from policykg.graph.store import AskResult, SelectResult, open_store, with_values_clause
from policykg.loaders.rdf_files import read_rdf_file
from policykg.namespaces import PK, graph_name

DATA = Path(__file__).parent / "data" / "rdf"
BACKENDS = ["oxigraph", "rdflib"]
M = "https://w3id.org/policykg/id/testjur/measure/"


@pytest.fixture(params=BACKENDS)
def store(request):
    s = open_store(backend=request.param)
    s.replace_graphs(read_rdf_file(DATA / "pipeline-base.trig"))
    return s


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(DATA / "pipeline-shapes.ttl", format="turtle")


def _quads(store) -> set:
    return set(store.quads())


def test_base_fixture_loaded(store):
    assert store.graph_names() == [graph_name("base"), graph_name("extra")]
    assert len(store) == 8


def test_replace_graphs_touches_only_named_graphs(store):
    extra_before = {q for q in _quads(store) if q[3] == graph_name("extra")}
    new = Graph()
    new.add((URIRef(M + "m-z"), SKOS.prefLabel, Literal("Z", lang="ja")))
    store.replace_graphs({graph_name("base"): new})
    after = _quads(store)
    assert {q for q in after if q[3] == graph_name("base")} == {(URIRef(M + "m-z"), SKOS.prefLabel, Literal("Z", lang="ja"), graph_name("base"))}
    assert {q for q in after if q[3] == graph_name("extra")} == extra_before


def test_default_graph_is_the_union(store):
    result = store.query("SELECT (COUNT(DISTINCT ?m) AS ?n) WHERE { ?m a <https://w3id.org/policykg/ontology#Measure> }")
    assert isinstance(result, SelectResult)
    assert int(result.rows[0]["n"]) == 3


@pytest.mark.parametrize("hostile", ['施策A"@ja } } ; DROP ALL ; #', "施策A", "<script>"])
def test_bindings_are_values_not_text(store, hostile):
    before = _quads(store)
    result = store.query(
        "SELECT ?m WHERE { ?m <http://www.w3.org/2004/02/skos/core#prefLabel> ?label }",
        bindings={"label": Literal(hostile, lang="ja")},
    )
    expected = [{"m": URIRef(M + "m-a")}] if hostile == "施策A" else []
    assert result.rows == expected
    assert _quads(store) == before


def test_ask_result(store):
    assert store.query(f"ASK {{ <{M}m-c> ?p ?o }}") == AskResult(True)


@pytest.mark.parametrize(("lexical", "datatype"), [("1.0E6", XSD.double), ("0036", XSD.integer), ("INF", XSD.float)])
def test_oxigraph_terms_keep_their_lexical_form(lexical, datatype):
    """rdflib would rewrite these ("1.0E6" → "1000000.0", "INF" → "inf"); the engine's text must come through."""
    import pyoxigraph as ox

    from policykg.graph.store import to_rdflib

    term = to_rdflib(ox.Literal(lexical, datatype=ox.NamedNode(str(datatype))))
    assert (str(term), term.datatype) == (lexical, datatype)


# --- pipeline ----------------------------------------------------------------------------------


def test_union_after_replaces_named_graphs(store):
    union = union_after(store, read_rdf_file(DATA / "pipeline-valid.ttl"))
    assert (URIRef(M + "m-new"), PK["Measure"], None) not in union
    assert len(union) == 8 + 2


def test_valid_load_is_written(store, shapes):
    load_graphs(store, read_rdf_file(DATA / "pipeline-valid.ttl"), shapes=shapes)
    assert graph_name("pipeline-valid") in store.graph_names()
    assert store.query(f"ASK {{ <{M}m-new> ?p ?o }}").value


def test_failed_validation_leaves_store_exactly_as_it_was(store, shapes):
    before, generation = _quads(store), store.generation
    with pytest.raises(ValidationFailed) as info:
        load_graphs(store, read_rdf_file(DATA / "pipeline-invalid.ttl"), shapes=shapes)
    assert "m-nolabel" in str(info.value)
    assert _quads(store) == before
    assert store.generation == generation


def test_failed_validation_when_replacing_an_existing_graph(store, shapes):
    before = _quads(store)
    broken = Graph()
    broken.add((URIRef(M + "m-c"), URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), PK.Measure))
    with pytest.raises(ValidationFailed):
        load_graphs(store, {graph_name("extra"): broken}, shapes=shapes)
    assert _quads(store) == before


def test_failed_parse_leaves_store_exactly_as_it_was(store):
    from policykg.graph.build import build_store

    before = _quads(store)
    with pytest.raises(SourceError) as info:
        build_store([DATA / "pipeline-valid.ttl", DATA / "bad-syntax.ttl"], store=store, validate=False)
    assert info.value.file.endswith("bad-syntax.ttl")
    assert _quads(store) == before


def test_no_validate_writes_even_invalid_data(store, shapes):
    load_graphs(store, read_rdf_file(DATA / "pipeline-invalid.ttl"), validate=False)
    assert store.query(f"ASK {{ <{M}m-nolabel> ?p ?o }}").value


def test_on_disk_store_unchanged_after_refused_load(tmp_path, shapes):
    s = open_store(tmp_path / "store")
    s.replace_graphs(read_rdf_file(DATA / "pipeline-base.trig"))
    before = _quads(s)
    with pytest.raises(ValidationFailed):
        load_graphs(s, read_rdf_file(DATA / "pipeline-invalid.ttl"), shapes=shapes)
    del s
    reopened = open_store(tmp_path / "store")
    assert _quads(reopened) == before


# --- bound parameters ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "head"),
    [
        # Braces written together are one token ("{{"); the outermost WHERE group still gets the block,
        # right after its own brace, and a later inner group is not mistaken for it.
        ("SELECT ?s WHERE {{ ?s ?p ?o } UNION { ?s ?q ?o }}", "SELECT ?s WHERE { VALUES (?p) { (<urn:p>) }\n{ ?s ?p ?o }"),
        ("SELECT ?s WHERE { { ?s ?p ?o } }", "SELECT ?s WHERE { VALUES (?p) { (<urn:p>) }\n { ?s ?p ?o } }"),
        ("SELECT ?s {{ ?s ?p ?o }}", "SELECT ?s { VALUES (?p) { (<urn:p>) }\n{ ?s ?p ?o }}"),
    ],
)
def test_values_block_opens_the_outermost_where_group(query, head):
    text = with_values_clause(query, {"p": URIRef("urn:p")})
    assert text.startswith(head) and text.endswith("\nVALUES (?p) { (<urn:p>) }")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # A parameter read by BIND/FILTER must be seen there (a trailing VALUES was joined too late).
        ('SELECT ?at WHERE { BIND(COALESCE(?asOf, "default") AS ?at) }', ["2030-01-01"]),
        ("SELECT ?m WHERE { ?m a ?cls . FILTER(STR(?m) < STR(?cls)) } ORDER BY ?m", [M + "m-a", M + "m-b", M + "m-c"]),
        ("SELECT ?m WHERE { ?m <http://www.w3.org/2004/02/skos/core#prefLabel> ?l . FILTER(?l = ?want) }", [M + "m-c"]),
        ("CONSTRUCT { ?m <urn:x:is> ?want } WHERE { ?m <http://www.w3.org/2004/02/skos/core#prefLabel> ?want }", 1),
        ("ASK { ?m <http://www.w3.org/2004/02/skos/core#prefLabel> ?want }", True),
    ],
)
def test_bound_parameters_are_seen_everywhere_in_the_pattern(store, query, expected):
    bindings = {"asOf": Literal("2030-01-01"), "cls": PK.Measure, "want": Literal("施策C", lang="ja")}
    used = {k: v for k, v in bindings.items() if f"?{k}" in query}
    result = store.query(query, bindings=used)
    if isinstance(expected, bool):
        assert result.value is expected
    elif isinstance(expected, int):
        assert len(result.graph) == expected
    else:
        assert [str(r[result.variables[0]]) for r in result.rows] == expected


def test_missing_validation_module_is_a_clear_error_and_writes_nothing(store, monkeypatch):
    import sys

    import policykg.graph

    monkeypatch.setitem(sys.modules, "policykg.graph.validation", None)  # import now fails
    monkeypatch.delattr(policykg.graph, "validation", raising=False)
    before = _quads(store)
    with pytest.raises(ImportError, match="--no-validate"):
        load_graphs(store, read_rdf_file(DATA / "pipeline-valid.ttl"))
    assert _quads(store) == before
