"""W3C SPARQL 1.1 result formats (graph/results.py).

The W3C ``json-res`` and ``csv-tsv-res`` suites are run from their manifests over both backends and
compared semantically (blank-node labels and numeric lexical forms may differ); the rest checks
escaping and round trips that the suites do not cover.
"""

from __future__ import annotations

import csv
import io
import json
import re
from decimal import Decimal
from xml.etree import ElementTree

import pytest
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, RDFS, XSD

from project_paths import W3C
from policykg.graph import results as R
from policykg.graph.store import AskResult, GraphResult, SelectResult, open_store

MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
QT = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-query#")
BACKENDS = ["oxigraph", "rdflib"]


def _manifest_cases(suite: str) -> list:
    folder = W3C / suite
    if not folder.exists():
        return [pytest.param(None, marks=pytest.mark.skip(reason=f"{folder} is absent (W3C suites live in ../shared)"))]
    manifest = Graph().parse(folder / "manifest.ttl", format="turtle", publicID=folder.as_uri() + "/manifest.ttl")
    cases = []
    head = next(manifest.objects(None, MF.entries))
    for entry in manifest.items(head):
        action = manifest.value(entry, MF.action)
        name = str(manifest.value(entry, MF.name))
        paths = [
            folder / str(manifest.value(action, QT.query)).rsplit("/", 1)[-1],
            folder / str(manifest.value(action, QT.data)).rsplit("/", 1)[-1],
            folder / str(manifest.value(entry, MF.result)).rsplit("/", 1)[-1],
        ]
        cases.append(pytest.param(paths, id=name.split(" ")[0]))
    return cases


def _run(backend: str, query_file, data_file):
    store = open_store(backend=backend)
    data = Graph().parse(data_file, format="turtle")
    store.replace_graphs({URIRef("urn:test:data"): data})
    return store.query(query_file.read_text(encoding="utf-8"))


class BNodeMap:
    """Checks that blank nodes correspond one-to-one between two results."""

    def __init__(self) -> None:
        self.forward: dict[str, str] = {}
        self.backward: dict[str, str] = {}

    def same(self, a: str, b: str) -> bool:
        if self.forward.setdefault(a, b) != b or self.backward.setdefault(b, a) != a:
            return False
        return True


def _same_literal(a: Literal, b: Literal) -> bool:
    dt = lambda l: None if l.language or l.datatype in (None, XSD.string) else l.datatype  # noqa: E731
    if a.language != b.language or dt(a) != dt(b):
        return False
    if a.value is not None and b.value is not None and not isinstance(a.value, str):
        return a.eq(b)
    return str(a) == str(b)


def _same_term(a, b, bnodes: BNodeMap) -> bool:
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, BNode) or isinstance(b, BNode):
        return isinstance(a, BNode) and isinstance(b, BNode) and bnodes.same(str(a), str(b))
    if isinstance(a, Literal) and isinstance(b, Literal):
        return _same_literal(a, b)
    return a == b


def _json_term(obj: dict):
    if obj["type"] == "uri":
        return URIRef(obj["value"])
    if obj["type"] == "bnode":
        return BNode(obj["value"])
    if "xml:lang" in obj:
        return Literal(obj["value"], lang=obj["xml:lang"])
    return Literal(obj["value"], datatype=obj.get("datatype"))


@pytest.mark.w3c
@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("paths", _manifest_cases("json-res"))
def test_w3c_json_results(paths, backend):
    query_file, data_file, expected_file = paths
    got = json.loads(R.to_json(_run(backend, query_file, data_file)))
    expected = json.loads(expected_file.read_text(encoding="utf-8"))
    if "boolean" in expected:
        assert got == {"head": {}, "boolean": expected["boolean"]}
        return
    # SELECT * leaves the column order to the engine: compare variables as a set, cells by name.
    assert sorted(got["head"]["vars"]) == sorted(expected["head"]["vars"])
    got_rows, exp_rows = got["results"]["bindings"], expected["results"]["bindings"]
    assert len(got_rows) == len(exp_rows)
    bnodes = BNodeMap()
    for g, e in zip(got_rows, exp_rows):  # the suite's queries are ORDER BY on IRIs: order is defined
        assert set(g) == set(e), (g, e)
        for var in e:
            assert g[var]["type"] == e[var]["type"]
            assert _same_term(_json_term(g[var]), _json_term(e[var]), bnodes), (var, g[var], e[var])


def _tsv_term(cell: str):
    """Parse one TSV cell (the subset of Turtle terms the TSV format uses)."""
    if cell == "":
        return None
    if cell.startswith("<"):
        return URIRef(cell[1:-1])
    if cell.startswith("_:"):
        return BNode(cell[2:])
    m = re.fullmatch(r'"((?:[^"\\]|\\.)*)"(?:@([A-Za-z0-9-]+)|\^\^<([^>]*)>)?', cell)
    if m:
        text = m.group(1).encode("utf-8").decode("unicode_escape").encode("latin-1").decode("utf-8")
        return Literal(text, lang=m.group(2), datatype=m.group(3) and URIRef(m.group(3)))
    if re.fullmatch(r"[+-]?[0-9]+", cell):
        return Literal(cell, datatype=XSD.integer)
    if re.fullmatch(r"[+-]?[0-9]*\.[0-9]+", cell):
        return Literal(cell, datatype=XSD.decimal)
    return Literal(cell, datatype=XSD.double)


def _csv_same(a: str, b: str, bnodes: BNodeMap) -> bool:
    if a.startswith("_:") or b.startswith("_:"):
        return a.startswith("_:") and b.startswith("_:") and bnodes.same(a, b)
    try:
        return Decimal(a) == Decimal(b)
    except ArithmeticError:
        return a == b


@pytest.mark.w3c
@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("paths", _manifest_cases("csv-tsv-res"))
def test_w3c_csv_tsv_results(paths, backend, request):
    query_file, data_file, expected_file = paths
    if backend == "oxigraph" and expected_file.name == "csvtsv03.tsv":
        request.applymarker(pytest.mark.xfail(
            strict=True, reason="Oxigraph stores derived integer types as xsd:integer (\"-3\"^^xsd:negativeInteger)"))
    result = _run(backend, query_file, data_file)
    expected_text = expected_file.read_text(encoding="utf-8")
    bnodes = BNodeMap()
    if expected_file.suffix == ".csv":
        body = R.to_csv(result).decode("utf-8")
        assert body.endswith("\r\n") and "\n" not in body.replace("\r\n", ""), "CSV lines must end in CRLF"
        got = list(csv.DictReader(io.StringIO(body, newline="")))
        exp = list(csv.DictReader(io.StringIO(expected_text, newline="")))
        assert len(got) == len(exp) and len(exp) > 0
        assert set(got[0]) == set(exp[0])
        for g, e in zip(got, exp):
            assert all(_csv_same(g[k], e[k], bnodes) for k in e), (g, e)
    else:
        got = list(csv.DictReader(io.StringIO(R.to_tsv(result).decode("utf-8")), delimiter="\t", quoting=csv.QUOTE_NONE))
        exp = list(csv.DictReader(io.StringIO(expected_text), delimiter="\t", quoting=csv.QUOTE_NONE))
        assert len(got) == len(exp) and len(exp) > 0
        assert set(got[0]) == set(exp[0]) and all(k.startswith("?") for k in exp[0])
        for g, e in zip(got, exp):
            for k in e:
                assert _same_term(_tsv_term(g[k]), _tsv_term(e[k]), bnodes), (k, g[k], e[k])


# --- beyond the suites -------------------------------------------------------------------------

NASTY = Literal('<script>alert("x")</script>\tα,\n"q"', lang="ja")
ROW = {"s": URIRef("https://w3id.org/policykg/id/x"), "label": NASTY, "n": Literal("36", datatype=XSD.decimal)}
SELECT = SelectResult(["s", "label", "n", "missing"], [ROW, {"s": BNode("b1")}])


def test_json_keeps_language_and_datatype_and_omits_unbound():
    doc = json.loads(R.to_json(SELECT))
    first, second = doc["results"]["bindings"]
    assert first["label"] == {"type": "literal", "value": str(NASTY), "xml:lang": "ja"}
    assert first["n"]["datatype"] == str(XSD.decimal)
    assert "missing" not in first and set(second) == {"s"}
    assert second["s"] == {"type": "bnode", "value": "b1"}


def test_xml_escapes_and_parses_back():
    root = ElementTree.fromstring(R.to_xml(SELECT))
    ns = {"r": "http://www.w3.org/2005/sparql-results#"}
    assert [v.get("name") for v in root.findall("r:head/r:variable", ns)] == SELECT.variables
    lit = root.find("r:results/r:result/r:binding[@name='label']/r:literal", ns)
    assert lit.text == str(NASTY)
    assert lit.get("{http://www.w3.org/XML/1998/namespace}lang") == "ja"
    assert root.find("r:results/r:result/r:binding[@name='n']/r:literal", ns).get("datatype") == str(XSD.decimal)
    assert b"<script>" not in R.to_xml(SELECT)


@pytest.mark.parametrize("value", [True, False])
def test_ask_in_every_format(value):
    ask = AskResult(value)
    word = "true" if value else "false"
    assert json.loads(R.to_json(ask)) == {"head": {}, "boolean": value}
    root = ElementTree.fromstring(R.to_xml(ask))
    assert root.find("{http://www.w3.org/2005/sparql-results#}boolean").text == word
    assert R.to_csv(ask) == f"boolean\r\n{word}\r\n".encode()
    assert R.to_tsv(ask) == f"?boolean\n{word}\n".encode()


def test_csv_quotes_commas_quotes_and_newlines():
    rows = list(csv.reader(io.StringIO(R.to_csv(SELECT).decode(), newline="")))
    assert rows[0] == SELECT.variables
    assert rows[1] == [str(ROW["s"]), str(NASTY), "36", ""]
    assert rows[2] == ["_:b1", "", "", ""]


def test_tsv_escapes_tabs_newlines_and_quotes():
    lines = R.to_tsv(SELECT).decode().split("\n")
    assert len(lines) == 4 and lines[-1] == ""  # header, 2 rows, trailing LF
    cells = lines[1].split("\t")
    assert cells == [
        f"<{ROW['s']}>",
        r'"<script>alert(\"x\")</script>\tα,\n\"q\""@ja',
        '"36"^^<http://www.w3.org/2001/XMLSchema#decimal>',  # "36" is not Turtle decimal syntax
        "",
    ]
    assert _tsv_term(cells[1]) == NASTY


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        (Literal(4), "4"),
        (Literal("5.5", datatype=XSD.decimal), "5.5"),
        (Literal("36", datatype=XSD.decimal), '"36"^^<http://www.w3.org/2001/XMLSchema#decimal>'),
        (Literal("1.0E6", datatype=XSD.double, normalize=False), "1.0E6"),
        (Literal("INF", datatype=XSD.double, normalize=False), '"INF"^^<http://www.w3.org/2001/XMLSchema#double>'),
        (Literal("x"), '"x"'),
        (Literal("x", datatype=XSD.string), '"x"'),
        (Literal("true", datatype=XSD.boolean), '"true"^^<http://www.w3.org/2001/XMLSchema#boolean>'),
    ],
)
def test_tsv_abbreviates_only_turtle_numbers(term, expected):
    assert R.term_to_tsv(term) == expected


GRAPH = Graph()
GRAPH.add((URIRef("https://w3id.org/policykg/id/a"), RDFS.label, Literal("暮らし <b>", lang="ja")))
GRAPH.add((URIRef("https://w3id.org/policykg/id/a"), RDF.type, URIRef("https://w3id.org/policykg/ontology#PolicyArea")))
GRAPH.add((URIRef("https://w3id.org/policykg/id/a"), RDFS.comment, BNode()))


@pytest.mark.parametrize(
    ("media_type", "rdflib_format"),
    [(R.TURTLE, "turtle"), (R.NTRIPLES, "nt"), (R.JSONLD, "json-ld"), (R.RDFXML, "xml")],
)
def test_graph_formats_round_trip(media_type, rdflib_format):
    body, chosen = R.serialize(GraphResult(GRAPH), media_type)
    assert chosen == media_type
    back = Graph().parse(data=body.decode("utf-8"), format=rdflib_format)
    assert isomorphic(back, GRAPH)


def test_media_type_table_and_aliases():
    assert R.serialize(SELECT)[1] == R.SPARQL_JSON
    assert R.serialize(GraphResult(GRAPH))[1] == R.TURTLE
    assert R.serialize(SELECT, "tsv")[1] == R.TSV
    assert R.serialize(SELECT, "text/csv; charset=utf-8")[1] == R.CSV
    assert R.media_types_for(AskResult(True)) == list(R.SELECT_SERIALIZERS)
    with pytest.raises(ValueError, match="text/turtle"):
        R.serialize(GraphResult(GRAPH), R.CSV)
    with pytest.raises(ValueError, match="application/sparql-results\\+json"):
        R.serialize(SELECT, R.TURTLE)


def test_the_row_cap_stops_the_engine_instead_of_writing_everything():
    """A cross product of 40,000 × 40,000 solutions capped at 5 rows answers at once (evaluation is lazy)."""
    import time

    import pyoxigraph as ox

    from policykg.graph.results import write_results

    store = ox.Store()
    store.bulk_extend(ox.Quad(ox.NamedNode(f"http://x/s{i}"), ox.NamedNode("http://x/p"), ox.Literal(str(i)))
                      for i in range(40_000))
    start = time.monotonic()
    body, media, truncated = write_results(store.query("SELECT * { ?s ?p ?o . ?a ?b ?c }"), "text/csv", 5)
    assert truncated and media == "text/csv" and body.count(b"\r\n") == 6
    assert time.monotonic() - start < 30  # 1.6 billion rows if the cap did not stop the engine
