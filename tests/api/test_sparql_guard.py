"""Issue 9 item 1: no query reaches the network or reads a file — decided on the parse tree, and made
impossible where queries run. A loopback listener counts every connection; it must see none.

Regression: on 61bd02f ``ex:a\\#`` hid the rest of a query from the hand lexer, and ``\\u0053ERVICE``,
``\\u0046ROM <file:…>``, ``\\u004COAD`` and ``\\u0055SING`` passed the guard on the rdflib backend.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policykg.errors import ForbiddenQuery, SparqlSyntaxError
from policykg.graph.evaluation import QueryJob, UpdateJob, load_store
from policykg.graph.sparql_guard import (
    QueryTooDeep,
    add_using_clauses,
    check,
    inspect_query,
    inspect_update,
    nesting_depth,
    tokenize,
)
from policykg.graph.workers import WorkerPool, dump_store

from loopback_listener import Listener

TOKEN = "t0ken"
SECRET = "policykg-secret-7f3a9"


# --- a loopback listener that counts connections -------------------------------------------------


@pytest.fixture(scope="module")
def listener() -> Iterator[Listener]:
    server = Listener()
    yield server
    server.close()


@pytest.fixture(scope="module")
def secret_file(tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("secret") / "secret.ttl"
    path.write_text(f'<http://x/s> <http://x/p> "{SECRET}" .\n', encoding="utf-8")
    return path.as_uri()


# --- the parse tree ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { SERVICE <http://127.0.0.1:9/s> { ?s ?p ?o } }",
        "SELECT * WHERE { service silent <http://127.0.0.1:9/s> { ?s ?p ?o } }",
        "SELECT * WHERE { ?s ?p ?o . SeRvIcE ?endpoint { ?a ?b ?c } }",
        r"SELECT * WHERE { \u0053ERVICE <http://127.0.0.1:9/s> { ?s ?p ?o } }",
        r"SELECT * WHERE { \U00000053ERVICE <http://127.0.0.1:9/s> { ?s ?p ?o } }",
        "SELECT * WHERE { ?s ?p ?o FILTER EXISTS { SERVICE <http://x/> { ?a ?b ?c } } }",
        "SELECT * WHERE { { SELECT * WHERE { SERVICE <http://x/> { ?a ?b ?c } } } }",
        "PREFIX e: <http://127.0.0.1:9/> SELECT * WHERE { SERVICE e:s { ?a ?b ?c } }",
        'SELECT * WHERE { ?s ?p "it\\"s" . SERVICE <http://x/#frag> { ?a ?b ?c } } # SERVICE',
    ],
)
def test_service_is_found_in_the_parse_tree(query):
    assert inspect_query(query).service
    with pytest.raises(ForbiddenQuery, match="SERVICE"):
        check(inspect_query(query))


@pytest.mark.parametrize(
    "query",
    [
        'SELECT * WHERE { ?s ?p "SERVICE <http://x/>" }',
        "SELECT * WHERE { ?s ?p '''LOAD\n<http://x/>''' }",
        "SELECT * WHERE { ?s <http://x/SERVICE> ?o }",
        "SELECT * WHERE { ?s ?p ?o } # SERVICE <http://x/> in a comment",
        "PREFIX ex: <http://x/> SELECT * WHERE { ?s ex:SERVICE ?load }",
        "SELECT ?service ?LOAD $from WHERE { ?service ?LOAD $from }",
    ],
)
def test_keywords_in_strings_iris_comments_and_names_are_data(query):
    inspection = inspect_query(query)
    assert not inspection.service and not inspection.has_dataset
    check(inspection)


@pytest.mark.parametrize(
    ("query", "default", "named"),
    [
        ("SELECT * FROM <http://x/a> WHERE { ?s ?p ?o }", ("http://x/a",), ()),
        ("SELECT * FROM NAMED <http://x/a> FROM <http://x/b> { ?s ?p ?o }", ("http://x/b",), ("http://x/a",)),
        ("PREFIX g: <http://x/graph/> SELECT * from g:one from named g:two { ?s ?p ?o }",
         ("http://x/graph/one",), ("http://x/graph/two",)),
        ("BASE <http://x/base/> SELECT * FROM <rel> { ?s ?p ?o }", ("http://x/base/rel",), ()),
        (r"ASK \u0046ROM <file:///etc/passwd> { ?s ?p ?o }", ("file:///etc/passwd",), ()),
        (r"ASK \u0046ROM NAMED <file:///etc/passwd> { ?s ?p ?o }", (), ("file:///etc/passwd",)),
    ],
)
def test_dataset_clauses_come_from_the_parse_tree(query, default, named):
    inspection = inspect_query(query)
    assert (inspection.default_graphs, inspection.named_graphs) == (default, named)


@pytest.mark.parametrize(
    ("update", "load", "using", "with_graph"),
    [
        ("LOAD <http://127.0.0.1:9/d>", True, (), False),
        (r"\u004COAD <http://127.0.0.1:9/d>", True, (), False),
        ("INSERT DATA { <a:b> <a:c> 1 } ; LOAD <http://x> INTO GRAPH <http://y>", True, (), False),
        (r"DELETE { ?s ?p ?o } \u0055SING <file:///etc/passwd> WHERE { ?s ?p ?o }", False, ("file:///etc/passwd",), False),
        ("WITH <http://g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", False, (), True),
    ],
)
def test_update_inspection(update, load, using, with_graph):
    inspection = inspect_update(update)
    assert (inspection.load, inspection.default_graphs, inspection.with_graph) == (load, using, with_graph)
    if load:
        with pytest.raises(ForbiddenQuery, match="LOAD"):
            check(inspection)
        check(inspection, allow_load=True)


def test_local_name_escapes_do_not_hide_the_rest():
    """61bd02f's lexer read ``ex:a\\#`` as starting a comment-like token; the tokenizer now keeps PN_LOCAL_ESC
    in the name, and the decision is the parser's anyway."""
    names = [t.value for t in tokenize(r"PREFIX ex: <http://e/> SELECT * { ?s ex:a\# ?o ; ex:b\' ?x }") if t.kind == "pname"]
    assert names == ["ex:", r"ex:a\#", r"ex:b\'"]
    text = r"PREFIX ex: <http://e/> SELECT ?x { OPTIONAL { ?s ex:a\# ?o } SERVICE <http://127.0.0.1:9/> { ?x ?y ?z } }"
    try:
        refused = inspect_query(text).service
    except SparqlSyntaxError:
        refused = True  # rdflib's grammar refuses this escape: refused all the same, never evaluated
    assert refused


def test_nesting_is_bounded_before_parsing():
    deep = "SELECT * WHERE " + "{" * 5000 + " ?s ?p ?o " + "}" * 5000
    assert nesting_depth(deep) == 5000
    with pytest.raises(QueryTooDeep):
        inspect_query(deep)
    with pytest.raises(QueryTooDeep):
        inspect_update("INSERT { ?s ?p ?o } WHERE " + "{" * 500 + "}" * 500)
    assert nesting_depth('SELECT * { ?s ?p "{{{{{{" FILTER((1)) }') == 3


def test_syntax_errors_are_refused_with_a_position():
    with pytest.raises(SparqlSyntaxError) as info:
        inspect_query("SELEC * {}")
    assert info.value.line == 1 and info.value.column == 1


def test_add_using_clauses_only_before_where_of_modify():
    text = "DELETE WHERE { ?s ?p ?o } ; DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }"
    out = add_using_clauses(text, ["http://x/g"], [])
    assert out == "DELETE WHERE { ?s ?p ?o } ; DELETE { ?s ?p ?o } USING <http://x/g> WHERE { ?s ?p ?o }"
    assert inspect_update(out).default_graphs == ("http://x/g",)
    with pytest.raises(ForbiddenQuery):
        add_using_clauses("DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", ["http://x/g> } ; LOAD <http://y"], [])


# --- the capability is gone where queries run ------------------------------------------------------


def _copy(store, backend: str):
    """A private copy on ``backend``: attacks must not be able to change the session's shared store."""
    return load_store(backend, dump_store(store))


@pytest.fixture(scope="module", params=["oxigraph", "rdflib"])
def pool(request) -> Iterator[WorkerPool]:
    """A worker over the small two-graph store (rdflib's updates on the whole Hokkaido graph take seconds
    under a loaded CI machine; the sandbox does not depend on the data)."""
    from app_support import load_trig
    from project_paths import SPARQL_DATA

    p = WorkerPool(_copy(load_trig(SPARQL_DATA / "small.trig"), request.param), size=1, timeout=30)
    yield p
    p.close()


def test_service_sent_straight_to_the_worker_opens_no_connection(pool, listener, secret_file):
    """Past the guard (SERVICE and LOAD allowed in the job), the confined engine still cannot connect or read."""
    before = listener.connections
    service = f"SELECT * WHERE {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}"
    reply = pool.execute(QueryJob(text=service, media_type="text/csv", max_rows=10, allow_service=True))
    assert reply[0] == "error"
    reply = pool.execute(UpdateJob(text=f"LOAD <{listener.url}>", allow_load=True))
    assert reply[0] == "error"
    reply = pool.execute(UpdateJob(text=f"LOAD <{secret_file}>", allow_load=True))
    assert reply[0] == "error" or SECRET.encode() not in reply[2]
    assert listener.connections == before
    assert pool.confinement is not None and pool.confinement.seccomp and pool.confinement.files_closed


# --- property-based: every surface, escapes and odd syntax, both backends ----------------------------

_ESCAPED = {
    "SERVICE": [r"\u0053ERVICE", r"\U00000053ERVICE", "SeRvIcE", "service"],
    "FROM": [r"\u0046ROM", r"\U00000046ROM", "from"],
    "LOAD": [r"\u004COAD", "load"],
    "USING": [r"\u0055SING", "using"],
}
_NOISE = [
    "", r'?s <http://e/a#b> "x\"y" .', r"?s ?p 'it''s' .", "?s ?p '''long\n''' .", "# comment\n",
    'FILTER(STRLEN("' + "z" * 300 + '") > 0)', "FILTER EXISTS { ?a ?b ?c }", "{ SELECT ?s { ?s ?p ?o } }",
]


def _queries(port: int, secret: str):
    target = st.sampled_from([f"<http://127.0.0.1:{port}/s>", f"ex:s", "?svc"])
    noise = st.sampled_from(_NOISE)
    service = st.builds(
        lambda kw, t, n1, n2: f"PREFIX ex: <http://127.0.0.1:{port}/> SELECT * WHERE {{ {n1} {kw} {t} {{ ?s ?p ?o }} {n2} }}",
        st.sampled_from(_ESCAPED["SERVICE"]), target, noise, noise)
    from_ = st.builds(
        lambda kw, named, n: f"SELECT * {kw}{named} <{secret}> WHERE {{ {n} ?s ?p ?o }}",
        st.sampled_from(_ESCAPED["FROM"]), st.sampled_from(["", " NAMED"]), noise)
    return st.one_of(service, from_)


def _updates(port: int, secret: str):
    load = st.builds(lambda kw, t: f"{kw} <{t}>", st.sampled_from(_ESCAPED["LOAD"]),
                     st.sampled_from([f"http://127.0.0.1:{port}/d", secret]))
    using = st.builds(lambda kw, t: f"DELETE {{ ?s ?p ?o }} {kw} <{t}> WHERE {{ ?s ?p ?o }}",
                      st.sampled_from(_ESCAPED["USING"]), st.sampled_from([f"http://127.0.0.1:{port}/g", secret]))
    return st.one_of(load, using)


@pytest.fixture(scope="module", params=["oxigraph", "rdflib"])
def attack_client(request, hokkaido_store):
    from fastapi.testclient import TestClient

    from app_support import api_settings
    from policykg.api.app import create_app

    app = create_app(api_settings(backend=request.param, api_token=TOKEN, result_cache_size=0, api_cache_size=0),
                     store=_copy(hokkaido_store, request.param))
    with TestClient(app) as client:
        yield client


def _leaked(response) -> bool:
    return SECRET in response.text


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_no_query_reaches_the_network_or_a_file(attack_client, listener, secret_file, data):
    query = data.draw(_queries(listener.port, secret_file))
    before = listener.connections
    answers = [
        attack_client.get("/sparql", params={"query": query}),
        attack_client.post("/sparql", data={"query": query}),
        attack_client.post("/sparql", content=query.encode(), headers={"Content-Type": "application/sparql-query"}),
        attack_client.get("/query", params={"query": query}),
        attack_client.get("/api/queries/entity-counts", params={"x": query}),
    ]
    assert listener.connections == before, query
    assert not any(_leaked(r) for r in answers), query
    # Refused (4xx) or answered; under CPU load a slow parse may time out (504), but nothing crashes (500).
    assert all(r.status_code != 500 for r in answers), [r.status_code for r in answers]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_no_update_reaches_the_network_or_a_file(attack_client, listener, secret_file, data):
    update = data.draw(_updates(listener.port, secret_file))
    before = listener.connections
    size = len(attack_client.app.state.store)
    r = attack_client.post("/sparql", data={"update": update}, headers={"Authorization": f"Bearer {TOKEN}"})
    # LOAD is refused; USING reads the store's graph of that name (none here: nothing matches), never fetches.
    assert r.status_code in (204, 400, 403), (update, r.status_code, r.text)
    assert r.status_code != 204 or ("LOAD" not in update.upper() and len(attack_client.app.state.store) == size)
    assert listener.connections == before, update
    check_r = attack_client.get("/sparql", params={"query": f'ASK {{ ?s ?p "{SECRET}" }}'})
    assert check_r.json()["boolean"] is False


@pytest.mark.parametrize("backend", ["oxigraph", "rdflib"])
def test_cli_query_reaches_no_network_and_no_file(hokkaido_store, listener, secret_file, backend):
    from policykg.cli.graph_commands import run_query

    store = _copy(hokkaido_store, backend)
    before = listener.connections
    for query in (rf"SELECT * WHERE {{ \u0053ERVICE <{listener.url}> {{ ?s ?p ?o }} }}",
                  rf"SELECT * \u0046ROM <{secret_file}> WHERE {{ ?s ?p ?o }}"):
        try:
            result = run_query(store, query)
        except (ForbiddenQuery, SparqlSyntaxError):  # Oxigraph does not read \u escapes outside strings
            continue
        assert SECRET not in str(getattr(result, "rows", ""))
    assert listener.connections == before


@pytest.mark.parametrize("text", ["SELECT * FROM pk:g WHERE { ?s ?p ?o }", "SELECT * FROM NAMED x:g WHERE { ?s ?p ?o }"])
def test_an_undeclared_prefix_in_a_dataset_clause_is_a_syntax_error_not_a_crash(make_client, text):
    reply = make_client().get("/sparql", params={"query": text})
    assert reply.status_code == 400, reply.text
    assert "undeclared prefix" in reply.json()["error"] or "構文" in reply.json()["error"]
