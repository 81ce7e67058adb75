"""W3C SPARQL 1.1 suites over HTTP.

* ``protocol/manifest.ttl``: every ht:Request of every test is replayed through TestClient against an
  app holding the test's ut:graphData (data1/2/3.nt as named graphs), with an API token configured
  and sent, so the update tests can run. Status class, result format and boolean are checked as
  the manifest states them.
* ``json-res`` and ``csv-tsv-res``: each query sent to /sparql with the matching Accept header and
  the body compared with the expected file (blank-node labels and numeric lexical forms may differ).
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import RDFS

from policykg.graph.store import open_store

from project_paths import W3C

MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
QT = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-query#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
HTS = "http://www.w3.org/2011/http-statusCodes#StatusCode"
TOKEN = "w3c-protocol-token"

FORMAT_TYPES = {
    "boolean": {"application/sparql-results+json", "application/sparql-results+xml"},
    "tabular": {"application/sparql-results+json", "application/sparql-results+xml", "text/csv", "text/tab-separated-values"},
    "RDF": {"application/rdf+xml", "text/turtle", "application/n-triples"},
}

pytestmark = pytest.mark.w3c


def _absent(folder: Path, arity: int) -> list:
    """One skipped case with ``arity`` values, so it fits the parametrize it stands in for."""
    return [pytest.param(*[None] * arity, id="absent",
                         marks=pytest.mark.skip(reason=f"{folder} is absent (W3C suites live in ../shared)"))]


def _manifest(folder: Path) -> tuple[Graph, list]:
    g = Graph().parse(folder / "manifest.ttl", format="turtle", publicID=folder.as_uri() + "/manifest.ttl")
    head = next(g.objects(None, MF.entries))
    return g, list(g.items(head))


def _protocol_cases() -> list:
    folder = W3C / "protocol"
    if not folder.exists():
        return _absent(folder, 2)
    g, entries = _manifest(folder)
    cases = []
    for entry in entries:
        data = [
            (folder / str(g.value(gd, UT.graph)).rsplit("/", 1)[-1], str(g.value(gd, RDFS.label)))
            for gd in g.objects(entry, UT.graphData)
        ]
        action = g.value(entry, MF.action)
        requests = []
        for req in g.items(g.value(action, HT.requests)):
            headers = {}
            header_list = g.value(req, HT.headers)
            if header_list is not None:
                for h in g.items(header_list):
                    headers[str(g.value(h, HT.fieldName))] = str(g.value(h, HT.fieldValue))
            body_node = g.value(req, HT.body)
            body = None
            if body_node is not None:
                encoding = str(g.value(body_node, CNT.characterEncoding) or "UTF-8")
                body = str(g.value(body_node, CNT.chars)).encode(encoding.lower())
            resp = g.value(req, HT.resp)
            statuses = {str(s).removeprefix(HTS)[0] for s in g.objects(resp, MF.expectedStatus)}
            boolean = g.value(resp, MF.expectedBoolean)
            fmt = g.value(resp, MF.expectedFormat)
            requests.append({
                "method": str(g.value(req, HT.methodName)),
                "path": str(g.value(req, HT.absolutePath)),
                "headers": headers,
                "body": body,
                "statuses": statuses,
                "boolean": None if boolean is None else boolean.toPython(),
                "format": None if fmt is None else str(fmt),
            })
        cases.append(pytest.param(data, requests, id=str(entry).rsplit("#", 1)[-1]))
    return cases


def _boolean(response) -> bool:
    media = response.headers["content-type"].split(";")[0]
    if media == "application/sparql-results+json":
        return response.json()["boolean"]
    assert media == "application/sparql-results+xml", media
    return "<boolean>true</boolean>" in response.text


@pytest.mark.parametrize(("data", "requests"), _protocol_cases())
def test_w3c_protocol(make_client, data, requests):
    store = open_store()
    for path, graph_iri in data:
        store.replace_graphs({URIRef(graph_iri): Graph().parse(path, format="nt")})
    client = make_client(store, api_token=TOKEN)
    for req in requests:
        headers = {"Authorization": f"Bearer {TOKEN}", **req["headers"]}
        response = client.request(req["method"], req["path"], content=req["body"], headers=headers)
        status_class = str(response.status_code)[0]
        assert status_class in req["statuses"], (req["path"], response.status_code, response.text)
        if status_class == "4":
            assert response.json()["ok"] is False
        if req["format"]:
            assert response.headers["content-type"].split(";")[0] in FORMAT_TYPES[req["format"]]
        if req["boolean"] is not None:
            assert _boolean(response) is req["boolean"]


# --- result formats through HTTP -----------------------------------------------------------------


def _result_cases(suite: str) -> list:
    folder = W3C / suite
    if not folder.exists():
        return _absent(folder, 3)
    g, entries = _manifest(folder)
    cases = []
    for entry in entries:
        action = g.value(entry, MF.action)
        files = [str(g.value(action, QT.query)), str(g.value(action, QT.data)), str(g.value(entry, MF.result))]
        cases.append(pytest.param(*[folder / f.rsplit("/", 1)[-1] for f in files], id=str(g.value(entry, MF.name)).split(" ")[0]))
    return cases


def _client_over(make_client, data_file: Path):
    store = open_store()
    store.replace_graphs({URIRef("urn:test:data"): Graph().parse(data_file, format="turtle")})
    return make_client(store)


_TSV_LITERAL = re.compile(r'"(.*)"(?:\^\^<[^>]*>|@[\w-]+)?')


def _lexical(cell: str) -> str:
    match = _TSV_LITERAL.fullmatch(cell)
    return match.group(1) if match else cell


def _same_cell(got: str, expected: str, bnodes: dict[str, str]) -> bool:
    """Equal cells; blank nodes map one-to-one; numbers compare by value (1.0E6 = 1E6, "-3"^^xsd:negativeInteger = -3)."""
    if expected.startswith("_:"):
        return got.startswith("_:") and bnodes.setdefault(expected, got) == got
    if got == expected:
        return True
    try:
        return float(_lexical(got).replace(",", ".")) == float(_lexical(expected).replace(",", "."))
    except ValueError:
        return False


@pytest.mark.parametrize(("query", "data", "expected"), _result_cases("json-res"))
def test_w3c_json_results_over_http(make_client, query, data, expected):
    client = _client_over(make_client, data)
    r = client.post("/sparql", content=query.read_bytes(), headers={"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/sparql-results+json")
    got, want = r.json(), json.loads(expected.read_text(encoding="utf-8"))
    if "boolean" in want:
        assert got["boolean"] is want["boolean"]
        return
    assert sorted(got["head"]["vars"]) == sorted(want["head"]["vars"])
    bnodes: dict[str, str] = {}
    assert len(got["results"]["bindings"]) == len(want["results"]["bindings"])
    for g_row, w_row in zip(got["results"]["bindings"], want["results"]["bindings"]):
        assert set(g_row) == set(w_row)
        for var, term in w_row.items():
            assert g_row[var]["type"] == term["type"]
            value = "_:" + term["value"] if term["type"] == "bnode" else term["value"]
            got_value = "_:" + g_row[var]["value"] if g_row[var]["type"] == "bnode" else g_row[var]["value"]
            assert _same_cell(got_value, value, bnodes), (var, g_row[var], term)


@pytest.mark.parametrize(("query", "data", "expected"), _result_cases("csv-tsv-res"))
def test_w3c_csv_tsv_over_http(make_client, query, data, expected):
    client = _client_over(make_client, data)
    tsv = expected.suffix == ".tsv"
    media = "text/tab-separated-values" if tsv else "text/csv"
    r = client.get("/sparql", params={"query": query.read_text(encoding="utf-8")}, headers={"Accept": media})
    assert r.status_code == 200 and r.headers["content-type"].startswith(media)
    delimiter = "\t" if tsv else ","
    reader = (lambda text: [line.split("\t") for line in text.splitlines()]) if tsv else (lambda text: list(csv.reader(io.StringIO(text))))
    got, want = reader(r.text), reader(expected.read_text(encoding="utf-8"))
    assert sorted(got[0]) == sorted(want[0]), delimiter
    order = [got[0].index(v) for v in want[0]]
    assert len(got) == len(want)
    bnodes: dict[str, str] = {}
    for g_row, w_row in zip(got[1:], want[1:]):
        cells = [g_row[i] if i < len(g_row) else "" for i in order]
        assert all(_same_cell(g, w, bnodes) for g, w in zip(cells, w_row)), (cells, w_row)
