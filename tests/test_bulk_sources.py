"""Bulk sources (N-Triples, N-Quads) are read by Oxigraph, with the rules and errors of the rdflib reader."""

from __future__ import annotations

import pytest
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic

from policykg.errors import SourceError
from policykg.graph.build import build_store, read_sources
from policykg.graph.bulk import is_bulk_source, read_bulk_source
from policykg.graph.pipeline import incoming, load_graphs
from policykg.graph.store import OxigraphStore
from policykg.graphs import native_source
from policykg.loaders.rdf_files import read_rdf_file
from policykg.namespaces import graph_name

XSD = "http://www.w3.org/2001/XMLSchema#"
QUADS = (
    '<http://example.org/a> <http://example.org/p> "一"@ja <http://example.org/g1> .\n'
    '<http://example.org/a> <http://example.org/n> "2"^^<' + XSD + 'integer> <http://example.org/g1> .\n'
    '_:b <http://example.org/p> "in the default graph" .\n'
    '<http://example.org/c> <http://example.org/p> "say \\"hi\\"\\n" _:graph .\n'
    '<http://example.org/d> <http://example.org/q> <http://example.org/a> <http://example.org/g2> .\n'
)


def _write(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_bulk_reader_matches_the_rdflib_reader(tmp_path):
    path = _write(tmp_path, "plan.nq", QUADS)
    assert is_bulk_source(path)
    bulk, parsed = read_bulk_source(path), read_rdf_file(path)
    assert set(bulk) == set(parsed) == {URIRef("http://example.org/g1"), URIRef("http://example.org/g2"), graph_name("plan")}
    for name in parsed:
        assert native_source(bulk[name]) is not None
        assert isomorphic(_copy(bulk[name]), parsed[name]), name


def _copy(graph: Graph) -> Graph:
    out = Graph()
    for triple in graph:
        out.add(triple)
    return out


@pytest.mark.parametrize(("text", "line", "words"), [
    ('<http://example.org/a> <http://example.org/p> "x" .\n<http://example.org/a> <http://example.org/p> oops .\n', 2, "syntax error"),
    ('<http://example.org/a> <http://example.org/p> "1"^^<' + XSD + 'integer> .\n'
     '<http://example.org/a> <http://example.org/p> "abc"^^<' + XSD + 'integer> .\n', 2, "ill-typed literal 'abc'"),
    ('<http://example.org/a> <http://example.org/p> "1.5"^^<' + XSD + 'int> .\n', 1, "ill-typed literal '1.5'"),
    ('<http://example.org/a> <http://example.org/p> "2024-13-45"^^<' + XSD + 'date> .\n', 1, "xsd:date"),
])
def test_bad_bulk_file_is_refused_with_its_line(tmp_path, text, line, words):
    path = _write(tmp_path, "bad.nt", text)
    with pytest.raises(SourceError) as caught:
        read_bulk_source(path)
    assert (caught.value.file, caught.value.line) == (str(path), line)
    assert words in str(caught.value)


def test_valid_typed_literals_pass(tmp_path):
    text = "".join(f'<http://example.org/a> <http://example.org/p> "{v}"^^<{XSD}{t}> .\n' for t, v in [
        ("integer", "-12"), ("int", "2147483647"), ("byte", "-128"), ("unsignedByte", "255"), ("decimal", "1.50"),
        ("double", "1e3"), ("boolean", "true"), ("date", "2024-03-31"), ("dateTime", "2024-03-31T00:00:00"),
        ("gYear", "2030"), ("positiveInteger", "1")])
    graphs = read_bulk_source(_write(tmp_path, "ok.nt", text))
    assert len(graphs[graph_name("ok")]) == 11


def test_bulk_graphs_reach_the_store_without_a_copy_of_their_engine(tmp_path):
    graphs = read_bulk_source(_write(tmp_path, "plan.nq", QUADS))
    engine = native_source(next(iter(graphs.values())))
    assert incoming(graphs) is engine  # handed over as it is
    store = OxigraphStore(tmp_path / "store")
    load_graphs(store, graphs, validate=False)
    assert len(store) == 5 and set(store.graph_names()) == set(graphs)


def test_build_with_a_bulk_source_validates_the_union(tmp_path):
    """A bulk source beside the bundled data goes through SHACL like any other; a bad one leaves nothing."""
    bad = _write(tmp_path, "bad-plan.nt",
                 '<https://w3id.org/policykg/id/x/area/x-1> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> '
                 '<https://w3id.org/policykg/ontology#PolicyArea> .\n')
    from policykg.errors import ValidationFailed
    from policykg.graph.build import default_sources

    with pytest.raises(ValidationFailed):
        build_store([*default_sources(), bad], store_dir=tmp_path / "s")
    assert not (tmp_path / "s").exists()
    graphs = read_sources([bad])
    assert native_source(graphs[graph_name("bad-plan")]) is not None


def test_a_term_rdf_cannot_hold_is_a_source_error_and_nothing_is_written(tmp_path):
    """rdflib accepts an IRI with a space; Oxigraph (and RDF) do not: the load is refused, naming the graph."""
    from rdflib import Literal

    store = OxigraphStore(tmp_path / "store")
    good = Graph()
    good.add((URIRef("http://example.org/a"), URIRef("http://example.org/p"), Literal("ok")))
    load_graphs(store, {URIRef("http://example.org/graph/good"): good}, validate=False)
    bad = Graph()
    bad.add((URIRef("http://example.org/a b"), URIRef("http://example.org/p"), Literal("x")))
    with pytest.raises(SourceError) as caught:
        load_graphs(store, {URIRef("http://example.org/graph/bad"): bad}, validate=False)
    assert caught.value.file == "http://example.org/graph/bad" and "http://example.org/a b" in str(caught.value)
    assert len(store) == 1 and store.graph_names() == [URIRef("http://example.org/graph/good")]
