"""Safe RDF loading (loaders/rdf_files.py): graph names kept, nothing fetched, hostile XML refused."""

from __future__ import annotations

import http.server
import threading
import time
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SKOS

from policykg.errors import SourceError
from policykg.loaders.rdf_files import read_rdf_file
from policykg.namespaces import PK, graph_name

DATA = Path(__file__).parent / "data" / "rdf"
PLAN = URIRef("https://w3id.org/policykg/id/testjur/plan")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("good.ttl", {graph_name("good"): 2}),
        ("good.nt", {graph_name("good"): 2}),
        ("good.rdf", {graph_name("good"): 1}),
        ("good.jsonld", {graph_name("good"): 1}),
        ("good.trig", {graph_name("good"): 1, URIRef("https://example.org/graph/a"): 1,
                       URIRef("https://example.org/graph/b"): 2}),
        ("good.nq", {URIRef("https://example.org/graph/q"): 1, graph_name("good"): 1}),
    ],
)
def test_reads_every_format_and_keeps_graph_names(name, expected):
    graphs = read_rdf_file(DATA / name)
    assert {g: len(t) for g, t in graphs.items()} == expected
    union = Graph()
    for g in graphs.values():
        union += g
    assert (PLAN, RDF.type, PK.LocalPlan) in union or (PLAN, SKOS.prefLabel, None) in union


def test_trig_labels_land_in_their_own_graphs():
    graphs = read_rdf_file(DATA / "good.trig")
    assert (PLAN, SKOS.prefLabel, Literal("グラフA", lang="ja")) in graphs[URIRef("https://example.org/graph/a")]
    assert (PLAN, RDF.type, PK.LocalPlan) in graphs[graph_name("good")]


@pytest.mark.parametrize(
    ("name", "line", "field", "words"),
    [
        ("remote-context.jsonld", 2, "/@context", "https://schema.org/"),
        ("remote-context-list.jsonld", 4, "/@context", "https://example.org/context.jsonld"),
        ("nested-remote-context.jsonld", 6, "/@graph[0]/skos:related/@context", "nested.jsonld"),
        ("import-context.jsonld", 2, "/@context/@import", "base.jsonld"),
        ("billion-laughs.rdf", 2, "DOCTYPE", "DTD"),
        ("external-entity.rdf", 2, "DOCTYPE", "DTD"),
        ("bad-syntax.ttl", 5, None, "syntax error"),
        ("bad-line3.nt", 3, None, "syntax error"),
        ("bad-json.jsonld", 4, None, "not valid JSON"),
        ("malformed.rdf", 4, None, "XML"),
    ],
)
def test_refusals_name_file_line_and_field(name, line, field, words):
    with pytest.raises(SourceError) as info:
        read_rdf_file(DATA / name)
    err = info.value
    assert err.file == str(DATA / name)
    assert err.line == line, str(err)
    assert err.field == field
    assert words in str(err)


def test_billion_laughs_is_refused_fast_without_expansion():
    start = time.perf_counter()
    with pytest.raises(SourceError):
        read_rdf_file(DATA / "billion-laughs.rdf")
    assert time.perf_counter() - start < 1.0
    assert (DATA / "billion-laughs.rdf").stat().st_size < 1100


@pytest.mark.parametrize(
    ("name", "field"),
    [("plan.csvx", "extension"), ("plan.html", "extension")],
)
def test_unknown_extension(tmp_path, name, field):
    path = tmp_path / name
    path.write_text("x", encoding="utf-8")
    with pytest.raises(SourceError, match=r"accepted: \.jsonld, \.nq") as info:
        read_rdf_file(path)
    assert info.value.field == field


def test_not_utf8_names_the_line(tmp_path):
    path = tmp_path / "latin.ttl"
    path.write_bytes(b'<http://x/a> <http://x/b> "ok" .\n<http://x/a> <http://x/b> "\xe9t\xe9" .\n')
    with pytest.raises(SourceError) as info:
        read_rdf_file(path)
    assert (info.value.line, info.value.field) == (2, "encoding")


class _CountingHandler(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self):  # noqa: N802 (http.server API)
        type(self).hits.append(self.path)
        body = b'{"@context": {"name": "http://schema.org/name"}}'
        self.send_response(200)
        self.send_header("Content-Type", "application/ld+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture()
def counting_server():
    _CountingHandler.hits = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _CountingHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", _CountingHandler.hits
    server.shutdown()
    server.server_close()


def test_remote_context_makes_zero_requests(tmp_path, counting_server):
    base, hits = counting_server
    doc = '{"@context": "%s/ctx.jsonld", "@id": "https://example.org/a", "name": "x"}' % base
    path = tmp_path / "remote.jsonld"
    path.write_text(doc, encoding="utf-8")
    # The server really counts: rdflib left to itself fetches the context.
    Graph().parse(data=doc, format="json-ld")
    assert len(hits) == 1
    with pytest.raises(SourceError, match="never fetches"):
        read_rdf_file(path)
    assert len(hits) == 1, f"policykg made requests: {hits[1:]}"
