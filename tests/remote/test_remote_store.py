"""RemoteStore against a real `oxigraph serve`: same answers as the embedded store, the app unchanged over it,
the guard before forwarding, a shared generation, clear errors (docs/deploy.md)."""

from __future__ import annotations

import socket
import time

import pytest
from fastapi.testclient import TestClient
from rdflib import BNode, Literal, URIRef
from typer.testing import CliRunner

from policykg.api.app import create_app
from policykg.cli import app as cli_app
from policykg.errors import StoreUnavailable
from policykg.graph.queries import load_query, query_names
from policykg.graph.remote import RemoteStore
from policykg.graph.store import AskResult, GraphResult, SelectResult

from app_support import api_settings
from loopback_listener import Listener
from remote_support import free_port, remote

TOKEN = "remote-test-token"


def _norm(rows: list[dict]) -> list[tuple]:
    """Rows comparable across stores: blank nodes are labelled per answer."""
    return sorted(tuple(sorted((k, "_:b" if isinstance(v, BNode) else v.n3()) for k, v in row.items())) for row in rows)


def _client(store: RemoteStore, **settings: object) -> TestClient:
    return TestClient(create_app(api_settings(**settings), store=store))


# --- the same answers as the embedded store -----------------------------------------------------


META = URIRef("urn:policykg:meta")
"""The roll-ups' meta graph (graph/summaries.py): kept by embedded stores only, not (yet) on a store server."""


def _loaded(store) -> tuple[int, list]:
    """Quads and graph names of what was loaded: everything but the embedded store's roll-ups."""
    return sum(1 for q in store.quads() if q[3] != META), [g for g in store.graph_names() if g != META]


def test_canned_queries_give_the_same_rows(built_server, hokkaido_store):
    store = remote(built_server)
    assert _loaded(store) == _loaded(hokkaido_store)
    for name in query_names():
        if name.startswith("rollup-"):  # read the roll-ups, which a store server does not keep
            continue
        text = load_query(name).text
        here, there = hokkaido_store.query(text), store.query(text)
        assert isinstance(there, SelectResult), name
        assert there.variables == here.variables, name
        assert _norm(there.rows) == _norm(here.rows), name


def test_ask_construct_and_bindings(built_server, hokkaido_store):
    store = remote(built_server)
    assert store.query("ASK { ?s a ?c }") == AskResult(True)
    construct = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 20"
    assert isinstance(store.query(construct), GraphResult) and len(store.query(construct).graph) == 20
    label = next(iter(hokkaido_store.query("SELECT ?l WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l } LIMIT 1").rows))["l"]
    text = "SELECT ?s WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l }"
    assert _norm(store.query(text, bindings={"l": label}).rows) == _norm(hokkaido_store.query(text, bindings={"l": label}).rows)


def test_bindings_with_quotes_and_escapes_are_values(oxigraph_server):
    store = remote(oxigraph_server())
    store.replace_graphs({URIRef("http://x/g"): [(URIRef("http://x/a"), URIRef("http://x/p"), Literal("kept"))]})
    hostile = 'a "quoted" \\ value\n} ; DROP ALL ; INSERT DATA { <http://x/b> <http://x/p> "x" } #'
    for value in (Literal(hostile), Literal("it's", lang="en"), Literal('"""', datatype=URIRef("http://x/dt"))):
        result = store.query("SELECT ?x WHERE { BIND(?v AS ?x) }", bindings={"v": value})
        assert result.rows == [{"x": value}]
    assert store.query('ASK { <http://x/a> <http://x/p> "kept" }') == AskResult(True)
    assert len(store) == 1


def test_cli_build_into_the_server(oxigraph_server, hokkaido_store):
    url = oxigraph_server()
    result = CliRunner().invoke(cli_app, ["build", "--no-validate", "--sparql-endpoint", f"{url}/query",
                                          "--update-endpoint", f"{url}/update", "--graph-store", f"{url}/store"])
    assert result.exit_code == 0, result.output
    store = remote(url)
    assert _loaded(store) == _loaded(hokkaido_store)
    again = CliRunner().invoke(cli_app, ["build", "--no-validate", "--sparql-endpoint", f"{url}/query",
                                         "--update-endpoint", f"{url}/update", "--graph-store", f"{url}/store"])
    assert again.exit_code == 0 and _loaded(remote(url)) == _loaded(hokkaido_store)  # graphs replaced, not doubled


def test_store_and_endpoint_together_is_a_clear_error(tmp_path):
    result = CliRunner().invoke(cli_app, ["build", "--store", str(tmp_path / "s"), "--sparql-endpoint", "http://127.0.0.1:9/query"])
    assert result.exit_code == 2
    assert "--store と --sparql-endpoint" in result.output and "cannot be used together" in result.output
    assert "Traceback" not in result.output and not (tmp_path / "s").exists()
    served = CliRunner().invoke(cli_app, ["serve", "--port", "0", "--store", str(tmp_path / "s"),
                                          "--sparql-endpoint", "http://127.0.0.1:9/query"])
    assert served.exit_code == 2 and "cannot be used together" in served.output


# --- the app over RemoteStore --------------------------------------------------------------------


def test_api_pages_and_sparql_over_remote(built_server):
    with _client(remote(built_server), max_rows=3) as client:
        measures = client.get("/api/measures")
        assert measures.status_code == 200 and measures.json()["items"]
        assert client.get("/api/search", params={"q": "MaaS"}).status_code == 200
        assert client.get("/").status_code == 200
        select = client.get("/sparql", params={"query": "SELECT ?s WHERE { ?s ?p ?o }"},
                            headers={"Accept": "application/sparql-results+json"})
        assert select.status_code == 200 and len(select.json()["results"]["bindings"]) == 3
        assert select.headers["X-PolicyKG-Truncated"] == "true"
        ask = client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}, headers={"Accept": "application/sparql-results+json"})
        assert ask.json() == {"head": {}, "boolean": True}
        construct = client.get("/sparql", params={"query": "CONSTRUCT WHERE { ?s ?p ?o }"}, headers={"Accept": "text/turtle"})
        assert construct.status_code == 200 and construct.headers["content-type"].startswith("text/turtle")
        assert construct.headers["X-PolicyKG-Truncated"] == "true"
        assert client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"}, headers={"Accept": "image/png"}).status_code == 406
        csv = client.get("/sparql", params={"query": "SELECT ?s WHERE { ?s ?p ?o } LIMIT 2", "format": "csv"})
        assert csv.status_code == 200 and csv.text.startswith("s\r\n")
        bad = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT x"})
        assert bad.status_code == 400 and "構文エラー" in bad.json()["error"]
        canned = client.get("/api/queries/measures-without-alignment")
        assert canned.status_code == 200


def test_service_and_load_are_refused_before_forwarding(oxigraph_server):
    url = oxigraph_server()
    store = remote(url)
    store.replace_graphs({URIRef("http://x/g"): [(URIRef("http://x/a"), URIRef("http://x/p"), Literal("v"))]})
    sent: list[bytes] = []
    store._client.event_hooks["request"].append(lambda request: sent.append(request.content))
    listener = Listener()
    target = f"http://127.0.0.1:{listener.port}/sparql"
    try:
        with _client(store, api_token=TOKEN) as client:
            for query in (f"SELECT * WHERE {{ SERVICE <{target}> {{ ?s ?p ?o }} }}",
                          f"SELECT * WHERE {{ ?x ?y ?z FILTER EXISTS {{ SERVICE <{target}> {{ ?s ?p ?o }} }} }}",
                          f"SELECT * WHERE {{ \\u0053ERVICE <{target}> {{ ?s ?p ?o }} }}"):
                answer = client.post("/sparql", content=query, headers={"Content-Type": "application/sparql-query"})
                assert answer.status_code in (400, 403), (query, answer.text)
            load = client.post("/sparql", content=f"LOAD <{target}>", headers={
                "Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}"})
            assert load.status_code == 403
            for text in (f"SELECT * FROM <{target}> WHERE {{ ?s ?p ?o }}", f"SELECT * FROM NAMED <{target}> {{ ?s ?p ?o }}",
                         f"SELECT * \\u0046ROM <{target}> WHERE {{ ?s ?p ?o }}"):
                outside = client.get("/sparql", params={"query": text})
                assert outside.status_code == 403 and "does not hold" in outside.json()["error"], (text, outside.text)
            using = client.post("/sparql", content=f"DELETE {{ ?s ?p ?o }} USING <{target}> WHERE {{ ?s ?p ?o }}", headers={
                "Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}"})
            assert using.status_code == 403
            own = client.get("/sparql", params={"query": "SELECT ?o FROM <http://x/g> WHERE { ?s ?p ?o }"},
                             headers={"Accept": "application/sparql-results+json"})
            assert own.status_code == 200 and own.json()["results"]["bindings"] == [{"o": {"type": "literal", "value": "v"}}]
            protocol = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }", "default-graph-uri": target},
                                  headers={"Accept": "application/sparql-results+json"})
            assert protocol.status_code == 200 and protocol.json()["results"]["bindings"] == []  # an empty graph, as embedded
    finally:
        listener.close()
    assert listener.connections == 0
    assert any(b"http://x/g" in body for body in sent)  # the hook sees what is forwarded
    assert not [body for body in sent if b"SERVICE" in body.upper() or b"LOAD" in body.upper()]
    assert not [body for body in sent if str(listener.port).encode() in body]


# --- a shared generation -------------------------------------------------------------------------


def test_a_write_through_one_app_is_seen_by_another(oxigraph_server):
    url = oxigraph_server()
    first, second = remote(url), remote(url, generation_ttl=0.2)
    first.replace_graphs({URIRef("http://x/g"): [(URIRef("http://x/a"), URIRef("http://x/p"), Literal("v"))]})
    ask = {"query": "ASK { <http://x/b> <http://x/p> ?o }"}
    json_accept = {"Accept": "application/sparql-results+json"}
    with _client(first, api_token=TOKEN) as writer, _client(second) as reader:
        assert reader.get("/sparql", params=ask, headers=json_accept).json()["boolean"] is False  # now cached
        before = second.generation
        done = writer.post("/sparql", content='INSERT DATA { GRAPH <http://x/g> { <http://x/b> <http://x/p> "w" } }',
                           headers={"Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}"})
        assert done.status_code == 204
        assert int(done.headers["X-PolicyKG-Generation"]) == first.generation > before
        deadline = time.monotonic() + 5
        while second.generation != first.generation and time.monotonic() < deadline:
            time.sleep(0.05)  # refreshed in the background once older than generation_ttl
        assert second.generation == first.generation
        assert reader.get("/sparql", params=ask, headers=json_accept).json()["boolean"] is True
        no_token = reader.post("/sparql", content="CLEAR ALL", headers={"Content-Type": "application/sparql-update"})
        assert no_token.status_code == 403
    assert first.query("ASK { ?s ?p ?o }") == AskResult(True)


def test_generation_never_goes_back_after_drop_all(oxigraph_server):
    store = remote(oxigraph_server())
    store.update('INSERT DATA { GRAPH <http://x/g> { <http://x/a> <http://x/p> "v" } }')
    high = store.generation
    store.update("DROP ALL")
    assert store.generation > high and store.graph_names() == []


# --- errors --------------------------------------------------------------------------------------


def test_an_unreachable_server_is_a_bilingual_error():
    url = f"http://127.0.0.1:{free_port()}"
    store = remote(url)
    with pytest.raises(StoreUnavailable) as raised:
        len(store)
    assert url in str(raised.value) and "ストアサーバー" in str(raised.value) and "unavailable" in str(raised.value)
    with _client(remote(url)) as client:
        for answer in (client.get("/sparql", params={"query": "ASK {}"}), client.get("/api/measures")):
            assert answer.status_code == 503
            assert "ストアサーバー" in answer.json()["error"] and url in answer.json()["error"]
    result = CliRunner().invoke(cli_app, ["serve", "--port", "0", "--sparql-endpoint", f"{url}/query"])
    assert result.exit_code == 2, result.output
    assert "policykg: エラー: ストアサーバー" in result.output and "Traceback" not in result.output


def test_only_http_urls_are_accepted():
    with pytest.raises(ValueError, match="http"):
        RemoteStore("file:///etc/passwd")


def test_a_slow_server_is_a_timeout(oxigraph_server):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    try:
        store = RemoteStore(f"http://127.0.0.1:{listener.getsockname()[1]}/query", timeout=0.5)
        with _client(store) as client:
            answer = client.get("/sparql", params={"query": "ASK {}"})
        store.close()
        assert answer.status_code in (503, 504) and "/" in answer.json()["error"]
    finally:
        listener.close()
