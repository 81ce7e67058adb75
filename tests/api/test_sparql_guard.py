"""graph/sparql_guard.py: the lexer, forbidden keywords, FROM extraction, and proof that nothing is fetched."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator

import pytest
from rdflib import Dataset

from policykg.errors import ForbiddenQuery
from policykg.graph.sparql_guard import (
    EMPTY_GRAPH,
    add_using_clauses,
    analyse_query,
    analyse_update,
    guard_query,
    resolve_dataset,
    restrict_graphs,
    tokenize,
)

from app_support import rdflib_copy

TOKEN = "t0ken"

# --- lexer ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        'SELECT * WHERE { ?s ?p "SERVICE <http://x/>" }',
        "SELECT * WHERE { ?s ?p '''LOAD\n<http://x/>''' }",
        "SELECT * WHERE { ?s <http://x/SERVICE> ?o }",
        "SELECT * WHERE { ?s ?p ?o } # SERVICE <http://x/> in a comment",
        "PREFIX ex: <http://x/> SELECT * WHERE { ?s ex:SERVICE ?load }",
        "SELECT ?service ?LOAD $from WHERE { ?service ?LOAD $from }",
        'SELECT * WHERE { ?s ?p "it\\"s SERVICE" }',
        "SELECT * WHERE { ?s ?p ?o FILTER(?o < 3 && ?o > 1) }",
    ],
)
def test_keywords_inside_strings_iris_comments_names_are_ignored(query):
    guarded = analyse_query(query)
    assert guarded.text == query
    assert guarded.default_graphs == [] and guarded.named_graphs == []


@pytest.mark.parametrize(
    ("query", "keyword"),
    [
        ("SELECT * WHERE { SERVICE <http://127.0.0.1:9/s> { ?s ?p ?o } }", "SERVICE"),
        ("SELECT * WHERE { service silent <http://127.0.0.1:9/s> { ?s ?p ?o } }", "SERVICE"),
        ("SELECT * WHERE { ?s ?p ?o . SeRvIcE ?endpoint { ?a ?b ?c } }", "SERVICE"),
        ('SELECT * WHERE { ?s ?p "x" } LOAD <http://127.0.0.1:9/d>', "LOAD"),
    ],
)
def test_forbidden_keywords(query, keyword):
    with pytest.raises(ForbiddenQuery, match=keyword):
        analyse_query(query)


def test_forbidden_keywords_can_be_allowed():
    q = "SELECT * WHERE { SERVICE <http://x/s> { ?s ?p ?o } }"
    assert analyse_query(q, allow_service=True).text == q
    assert analyse_update("LOAD <http://x/d>", allow_load=True).text == "LOAD <http://x/d>"
    with pytest.raises(ForbiddenQuery):
        analyse_update("LOAD <http://x/d>")


@pytest.mark.parametrize(
    ("query", "default", "named"),
    [
        ("SELECT * FROM <http://x/a> WHERE { ?s ?p ?o }", ["http://x/a"], []),
        ("SELECT * FROM NAMED <http://x/a> FROM <http://x/b> { ?s ?p ?o }", ["http://x/b"], ["http://x/a"]),
        ("PREFIX g: <http://x/graph/> SELECT * from g:one from named g:two { ?s ?p ?o }", ["http://x/graph/one"], ["http://x/graph/two"]),
        ("BASE <http://x/base/> SELECT * FROM <rel> { ?s ?p ?o }", ["http://x/base/rel"], []),
        ("ASK FROM <file:///etc/passwd> { ?s ?p ?o }", ["file:///etc/passwd"], []),
        ("CONSTRUCT { ?s ?p ?o }\nFROM <http://x/a>\nWHERE { ?s ?p ?o }", ["http://x/a"], []),
    ],
)
def test_from_clauses_are_extracted(query, default, named):
    guarded = analyse_query(query)
    assert (guarded.default_graphs, guarded.named_graphs) == (default, named)
    assert "FROM" not in guarded.text.upper()
    assert len(guarded.text) == len(query) and guarded.text.count("\n") == query.count("\n"), "positions must not move"


def test_form_detection():
    assert analyse_query("PREFIX select: <http://x/> ASK { ?s select:p ?o }").form == "ASK"
    assert analyse_query("# SELECT\nDESCRIBE <http://x/>").form == "DESCRIBE"


def test_from_needs_an_iri():
    with pytest.raises(ForbiddenQuery):
        analyse_query("SELECT * FROM ?g { ?s ?p ?o }")
    with pytest.raises(ForbiddenQuery, match="undefined prefix"):
        analyse_query("SELECT * FROM nope:g { ?s ?p ?o }")


def test_tokenize_covers_text_without_gaps():
    text = "SELECT ?s # c\nWHERE { ?s <http://x> 'a''' . }"
    assert "".join(t.value for t in tokenize(text)) == text


def test_add_using_clauses_only_before_where_of_modify():
    update = (
        "DELETE DATA { <a> <b> <c> } ;\n"
        "DELETE WHERE { ?s ?p ?o } ;\n"
        "DELETE # comment\n WHERE { ?s ?p ?o } ;\n"
        "DELETE { ?s ?p ?o } WHERE { ?s ?p ?o } ;\n"
        "INSERT { GRAPH <g> { ?s a <T> } } WHERE { ?s ?p ?o FILTER NOT EXISTS { ?s ?q ?r } }"
    )
    out = add_using_clauses(update, ["http://x/d"], ["http://x/n"])
    assert out.count("USING <http://x/d> USING NAMED <http://x/n> WHERE") == 2
    assert "DELETE WHERE {" in out and "DELETE # comment\n WHERE {" in out
    with pytest.raises(ForbiddenQuery):
        add_using_clauses("INSERT { <a> <b> <c> } WHERE {}", ["http://x/> } ; DROP ALL ; <"], [])


def test_restrict_graphs():
    assert restrict_graphs(["b", "x", "a", "b"], {"a", "b"}) == ["b", "a"]


def test_guard_query_for_the_cli():
    assert guard_query("SELECT * FROM <http://x/a> { ?s ?p ?o }").split() == ["SELECT", "*", "{", "?s", "?p", "?o", "}"]
    with pytest.raises(ForbiddenQuery):
        guard_query("SELECT * { SERVICE <http://x/> {} }")


# --- nothing is fetched: a counting HTTP server on loopback --------------------------------------


class _Counter(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def _answer(self) -> None:
        type(self).hits.append(self.path)
        body = b"<http://fetched.example/s> <http://fetched.example/p> <http://fetched.example/o> ."
        self.send_response(200)
        self.send_header("Content-Type", "text/turtle")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = _answer

    def log_message(self, *args: object) -> None:
        return


@pytest.fixture()
def counting_server() -> Iterator[tuple[str, list[str]]]:
    handler = type("Counter", (_Counter,), {"hits": []})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", handler.hits
    server.shutdown()
    server.server_close()


def test_control_rdflib_would_fetch_from(counting_server):
    """Why the guard exists: rdflib fetches a FROM IRI by itself (the server must see one request)."""
    base, hits = counting_server
    list(Dataset(default_union=True).query(f"SELECT * FROM <{base}/control> WHERE {{ ?s ?p ?o }}"))
    assert hits == ["/control"]


@pytest.fixture(params=["oxigraph", "rdflib"])
def any_backend_client(request, make_client, small_store):
    if request.param == "oxigraph":
        return make_client(small_store, api_token=TOKEN)
    return make_client(rdflib_copy(small_store), api_token=TOKEN, backend="rdflib")


def test_nothing_is_fetched_over_http(any_backend_client, counting_server, tmp_path):
    base, hits = counting_server
    client = any_backend_client
    auth = {"Authorization": f"Bearer {TOKEN}"}
    fetched = "http://fetched.example/s"

    r = client.get("/sparql", params={"query": f"SELECT * WHERE {{ SERVICE <{base}/service> {{ ?s ?p ?o }} }}"})
    assert r.status_code == 403
    r = client.post("/sparql", data={"update": f"LOAD <{base}/load>"}, headers=auth)
    assert r.status_code == 403
    r = client.post("/sparql", data={"update": f"LOAD SILENT <{base}/load> INTO GRAPH <http://x/g>"}, headers=auth)
    assert r.status_code == 403
    for clause in ("FROM", "FROM NAMED"):
        r = client.get("/sparql", params={"query": f"SELECT * {clause} <{base}/from> WHERE {{ ?s ?p ?o }}"})
        assert r.status_code == 200, r.text
        assert fetched not in r.text
    r = client.get("/sparql", params=[("query", "ASK { ?s ?p ?o }"), ("default-graph-uri", f"{base}/dg")])
    assert r.json()["boolean"] is False
    assert hits == [], f"the endpoint fetched {hits}"


def test_nothing_is_read_from_file_iris(any_backend_client, tmp_path):
    secret = tmp_path / "secret.ttl"
    secret.write_text("<http://secret.example/s> <http://secret.example/p> <http://secret.example/o> .\n")
    client = any_backend_client
    for clause in ("FROM", "FROM NAMED"):
        q = f"SELECT * {clause} <{secret.as_uri()}> WHERE {{ {{ ?s ?p ?o }} UNION {{ GRAPH ?g {{ ?s ?p ?o }} }} }}"
        r = client.get("/sparql", params={"query": q})
        # Both backends evaluate the restricted dataset (GRAPH ?g included); the file's content never appears.
        assert r.status_code == 200, r.text
        assert "secret.example" not in r.text
    r = client.get("/sparql", params={"query": f"SELECT * FROM <{secret.as_uri()}> WHERE {{ ?s ?p ?o }}"})
    assert r.status_code == 200 and r.json()["results"]["bindings"] == []
    r = client.get("/sparql", params=[("query", "SELECT * WHERE { ?s ?p ?o }"), ("default-graph-uri", secret.as_uri())])
    assert r.json()["results"]["bindings"] == []


@pytest.mark.parametrize(
    ("default", "named", "expected"),
    [([], [], ([], [])), (["a"], [], (["a"], [EMPTY_GRAPH])), (["zz"], ["b"], ([EMPTY_GRAPH], ["b"])),
     ([], ["file:///etc/passwd"], ([EMPTY_GRAPH], [EMPTY_GRAPH]))],
)
def test_resolve_dataset(default, named, expected):
    assert resolve_dataset(default, named, {"a", "b"}) == expected


@pytest.mark.parametrize(
    ("update", "dataset", "using"),
    [("INSERT DATA { <a> <b> <c> }", False, False), ("WITH <http://x/g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", True, False),
     ("DELETE { ?s ?p ?o } USING <http://x/g> WHERE { ?s ?p ?o }", True, True),
     ('INSERT DATA { <a> <b> "USING WITH" }', False, False)],
)
def test_update_dataset_clauses(update, dataset, using):
    guarded = analyse_update(update)
    assert (guarded.has_dataset_clause, guarded.has_using) == (dataset, using)
