"""The Store interface over HTTP: a SPARQL 1.1 Protocol endpoint and (optionally) a Graph Store Protocol one.

Several stateless ``policykg serve`` processes then answer from one shared store server
(``serve --sparql-endpoint URL``; docs/deploy.md). Only the configured URLs are ever contacted.

* Queries: ``POST application/sparql-query`` with ``Accept: application/sparql-results+json`` (SELECT,
  ASK) or ``application/n-triples`` (CONSTRUCT, DESCRIBE), read back into the same
  :class:`~policykg.graph.store.SelectResult` / :class:`AskResult` / :class:`GraphResult` the embedded
  stores return. Bindings are joined as VALUES blocks (:func:`with_values_clause`, terms serialised by
  rdflib, never spliced), prefixes and BASE are prepended on the text's first line (so error lines
  stay the text's own). The default graph is the union of the store's named graphs, passed as
  ``default-graph-uri`` / ``named-graph-uri`` (which also override any FROM in the text).
* Updates: ``POST application/sparql-update`` to the update endpoint; ``replace_graphs`` is one
  Graph Store Protocol ``PUT`` (N-Triples) per named graph when ``graph_store`` is set, else one
  ``DROP SILENT GRAPH`` + ``INSERT DATA`` update per graph.
* Generation: a version triple ``<urn:policykg:store> <urn:policykg:version> N`` in the named graph
  ``urn:policykg:meta``, raised by every write made through policykg (in the same update request
  when the write is an update). ``N`` is ``max(old + 1, now in µs)``, so it never goes back even when
  the graph is dropped. Each process reads it at most once per ``generation_ttl`` seconds and
  knows its own writes at once; another process's write shows within ``generation_ttl`` plus one
  round trip (a stale value is refreshed in the background, so no request waits for it).
* Errors: a parse error from the server is :class:`SyntaxError` (as from the embedded engines); other
  refusals :class:`RemoteRefused`; a server that cannot be reached :class:`StoreUnavailable` (503),
  a read past the timeout :class:`QueryTimeout` (504). Never a traceback, never the server's body
  beyond a short reason.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Iterable, Iterator, Mapping
from urllib.parse import urlsplit

import httpx
import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Identifier

from policykg.errors import QueryError, QueryTimeout, StoreUnavailable
from policykg.graph.store import (
    AskResult,
    GraphResult,
    Quad,
    QueryResult,
    SelectResult,
    Triple,
    to_oxigraph,
    to_rdflib,
    with_values_clause,
)

__all__ = ["RemoteStore", "RemoteRefused", "META_GRAPH", "STORE_NODE", "VERSION"]

META_GRAPH = "urn:policykg:meta"
STORE_NODE = "urn:policykg:store"
VERSION = "urn:policykg:version"
EMPTY_GRAPH = "urn:x-policykg:empty-graph"
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_SPARQL_JSON = "application/sparql-results+json"
_NTRIPLES = "application/n-triples"
_FORM = re.compile(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.IGNORECASE)
_PARSE_ERROR = re.compile(r"error at \d+:\d+")


class RemoteRefused(QueryError):
    """The server refused a request that parsed (a graph that already exists, an evaluation error)."""


def _bump_text(now_us: int) -> str:
    """The update that raises the version triple to ``max(old + 1, now_us)`` (full IRIs: no prologue needed)."""
    g, s, p = f"<{META_GRAPH}>", f"<{STORE_NODE}>", f"<{VERSION}>"
    return (f"DELETE {{ GRAPH {g} {{ {s} {p} ?old }} }} INSERT {{ GRAPH {g} {{ {s} {p} ?new }} }} "
            f"WHERE {{ OPTIONAL {{ GRAPH {g} {{ {s} {p} ?old }} }} "
            f"BIND(COALESCE(?old, 0) + 1 AS ?next) BIND(IF(?next > {now_us}, ?next, {now_us}) AS ?new) }}")


def _term(value: Mapping[str, str]) -> Identifier:
    """One term of W3C SPARQL JSON results as the rdflib term the embedded stores return."""
    kind = value["type"]
    if kind == "uri":
        return URIRef(value["value"])
    if kind == "bnode":
        return BNode(value["value"])
    if "xml:lang" in value:
        return Literal(value["value"], lang=value["xml:lang"], normalize=False)
    datatype = value.get("datatype")
    if datatype and datatype != _XSD_STRING:
        return Literal(value["value"], datatype=URIRef(datatype), normalize=False)
    return Literal(value["value"])


def parse_results(body: bytes) -> SelectResult | AskResult:
    """W3C SPARQL JSON results as a :class:`SelectResult` or :class:`AskResult`."""
    document = json.loads(body)
    if "boolean" in document:
        return AskResult(bool(document["boolean"]))
    variables = list(document.get("head", {}).get("vars", []))
    rows = [{name: _term(value) for name, value in binding.items()}
            for binding in document.get("results", {}).get("bindings", [])]
    return SelectResult(variables, rows)


def _prologue(base_iri: str | None, prefixes: Mapping[str, str] | None) -> str:
    parts = [f"BASE <{base_iri}>"] if base_iri else []
    parts += [f"PREFIX {name}: <{iri}>" for name, iri in (prefixes or {}).items()]
    return " ".join(parts) + " " if parts else ""


class RemoteStore:
    """A :class:`~policykg.graph.store.Store` over a SPARQL 1.1 server (``endpoint``, ``update_endpoint``,
    ``graph_store``). ``timeout`` bounds every read (a query's answer); ``write_timeout`` bounds loads."""

    backend = "remote"
    evaluation_errors: tuple[type[Exception], ...] = (RemoteRefused,)

    def __init__(self, endpoint: str, *, update_endpoint: str | None = None, graph_store: str | None = None,
                 timeout: float = 10.0, connect_timeout: float = 5.0, write_timeout: float = 300.0,
                 generation_ttl: float = 1.0, transport: httpx.BaseTransport | None = None) -> None:
        for url in (endpoint, update_endpoint, graph_store):
            if url is not None and urlsplit(url).scheme not in ("http", "https"):
                raise ValueError(f"http(s) の URL を指定してください / not an http(s) URL: {url!r}")
        self.endpoint = endpoint
        self.update_endpoint = update_endpoint or endpoint
        self.graph_store = graph_store
        self.timeout = timeout
        self.write_timeout = write_timeout
        self.generation_ttl = generation_ttl
        self._client = httpx.Client(timeout=httpx.Timeout(timeout, connect=min(connect_timeout, timeout)),
                                    transport=transport, follow_redirects=False, trust_env=False)
        self._lock = threading.Lock()
        self._generation = -1
        self._checked = float("-inf")
        self._refreshing = False
        self._graphs: tuple[int, list[URIRef]] | None = None

    # --- HTTP ------------------------------------------------------------------------------------

    def _send(self, method: str, url: str, *, timeout: float | None = None, **kwargs) -> httpx.Response:
        """One request; transport failures as domain errors naming the URL.

        :raises StoreUnavailable: / :raises QueryTimeout:
        """
        options = {} if timeout is None else {"timeout": httpx.Timeout(timeout, connect=self._client.timeout.connect)}
        try:
            return self._client.request(method, url, **kwargs, **options)
        except httpx.TimeoutException as exc:
            if isinstance(exc, httpx.ConnectTimeout):
                raise StoreUnavailable(url, "接続がタイムアウトしました", "connection timed out") from None
            limit = timeout or self.timeout
            raise QueryTimeout(f"ストアサーバーが {limit:g} 秒以内に応答しませんでした / "
                               f"the store server at {url} did not answer within {limit:g} s") from None
        except httpx.HTTPError as exc:
            raise StoreUnavailable(url, "接続できません", f"cannot connect ({type(exc).__name__})") from None

    def _checked_response(self, response: httpx.Response, url: str) -> httpx.Response:
        if response.status_code < 300:
            return response
        reason = " ".join(response.text.split())[:300]
        if response.status_code == 400 and _PARSE_ERROR.search(reason):
            raise SyntaxError(reason[_PARSE_ERROR.search(reason).start():])
        if response.status_code in (400, 500) and reason:
            raise RemoteRefused(f"ストアサーバーが要求を拒否しました / the store server refused the request: {reason}")
        raise StoreUnavailable(url, f"HTTP {response.status_code} を返しました", f"answered HTTP {response.status_code}")

    def _post_query(self, sparql: str, params: list[tuple[str, str]], accept: str) -> bytes:
        response = self._send("POST", self.endpoint, params=params, content=sparql.encode("utf-8"),
                              headers={"Content-Type": "application/sparql-query; charset=utf-8", "Accept": accept})
        return self._checked_response(response, self.endpoint).content

    def _post_update(self, sparql: str) -> None:
        response = self._send("POST", self.update_endpoint, content=sparql.encode("utf-8"), timeout=self.write_timeout,
                              headers={"Content-Type": "application/sparql-update; charset=utf-8"})
        self._checked_response(response, self.update_endpoint)

    # --- generation ------------------------------------------------------------------------------

    @property
    def generation(self) -> int:
        """The shared version. Read from the server the first time; afterwards, once older than
        ``generation_ttl``, refreshed in the background while the known value is returned, so a
        request on the event loop never waits for the server here (a write through this process
        reads it at once, see :meth:`_written`).

        :raises StoreUnavailable: / :raises QueryTimeout: on the first read only.
        """
        with self._lock:
            known, age = self._generation, time.monotonic() - self._checked
            stale = age >= self.generation_ttl and not self._refreshing
            if stale and known >= 0:
                self._refreshing = True
        if known < 0:
            return self._refresh()
        if stale:
            threading.Thread(target=self._refresh_quietly, daemon=True, name="policykg-generation").start()
        return known

    def _refresh(self) -> int:
        text = f"SELECT ?v WHERE {{ GRAPH <{META_GRAPH}> {{ <{STORE_NODE}> <{VERSION}> ?v }} }}"
        try:
            result = parse_results(self._post_query(text, [], _SPARQL_JSON))
        finally:
            with self._lock:
                self._refreshing = False
        values = [int(row["v"]) for row in getattr(result, "rows", []) if "v" in row]
        with self._lock:
            self._generation, self._checked = max(values, default=0), time.monotonic()
            return self._generation

    def _refresh_quietly(self) -> None:
        """Background refresh: a server that cannot be reached leaves the known value (answers cached
        for it are still right); the next request that needs the server reports it."""
        try:
            self._refresh()
        except (StoreUnavailable, QueryTimeout, RemoteRefused, SyntaxError, ValueError):
            pass

    def _written(self) -> None:
        """After a write through this process: read the new version now (its own writes show at once)."""
        with self._lock:
            self._graphs = None
            self._checked = float("-inf")
        self._refresh_quietly()

    def _bump(self) -> None:
        self._post_update(_bump_text(time.time_ns() // 1000))
        self._written()

    # --- reading ---------------------------------------------------------------------------------

    def _dataset(self, default_graph_uris: list[str] | None, named_graph_uris: list[str] | None) -> list[tuple[str, str]]:
        """Protocol parameters for the dataset: the given graphs, else every named graph but the meta graph."""
        everything = [str(g) for g in self.graph_names()] or [EMPTY_GRAPH]
        params = [("default-graph-uri", g) for g in (default_graph_uris or everything)]
        return params + [("named-graph-uri", g) for g in (named_graph_uris or everything)]

    def query(self, sparql: str, *, bindings: Mapping[str, Identifier] | None = None,
              default_graph_uris: list[str] | None = None, named_graph_uris: list[str] | None = None,
              base_iri: str | None = None, prefixes: Mapping[str, str] | None = None) -> QueryResult:
        prologue = _prologue(base_iri, prefixes)
        text = with_values_clause(sparql, bindings) if bindings else sparql
        form = _query_form(sparql)
        graph_form = form in ("CONSTRUCT", "DESCRIBE")
        try:
            body = self._post_query(prologue + text, self._dataset(default_graph_uris, named_graph_uris),
                                    _NTRIPLES if graph_form else _SPARQL_JSON)
        except SyntaxError as exc:
            raise SyntaxError(_shift(str(exc), len(prologue))) from None
        if not graph_form:
            return parse_results(body)
        graph = Graph()
        for t in ox.parse(body, format=ox.RdfFormat.N_TRIPLES):
            graph.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))
        return GraphResult(graph)

    def solutions(self, sparql: str, **options) -> QueryResult:
        return self.query(sparql, **options)

    def graph_names(self) -> list[URIRef]:
        generation = self.generation
        cached = self._graphs
        if cached is not None and cached[0] == generation:
            return list(cached[1])
        text = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
        result = parse_results(self._post_query(text, [], _SPARQL_JSON))
        names = sorted(row["g"] for row in getattr(result, "rows", [])
                       if isinstance(row.get("g"), URIRef) and str(row["g"]) != META_GRAPH)
        self._graphs = (generation, names)
        return list(names)

    def _quad_rows(self) -> list[dict[str, Identifier]]:
        text = "SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
        result = parse_results(self._post_query(text, [("named-graph-uri", str(g)) for g in self.graph_names()]
                                                or [("named-graph-uri", EMPTY_GRAPH)], _SPARQL_JSON))
        return list(getattr(result, "rows", []))

    def quads(self) -> Iterator[Quad]:
        for row in self._quad_rows():
            yield (row["s"], row["p"], row["o"], row["g"])

    def nquad_set(self) -> set[str]:
        return {f"{_nt(r['s'])} {_nt(r['p'])} {_nt(r['o'])} {_nt(r['g'])} .\n" for r in self._quad_rows()}

    def __len__(self) -> int:
        text = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(?g != <{META_GRAPH}>) }}"
        result = parse_results(self._post_query(text, [], _SPARQL_JSON))
        rows = getattr(result, "rows", [])
        return int(rows[0]["n"]) if rows else 0

    # --- writing ---------------------------------------------------------------------------------

    def update(self, sparql: str, *, base_iri: str | None = None) -> None:
        """The update and the version bump in one request (one transaction where the server has them)."""
        text = _prologue(base_iri, None) + sparql
        try:
            self._post_update(f"{text}\n{_separator(sparql)}{_bump_text(time.time_ns() // 1000)}")
        except SyntaxError as exc:
            raise SyntaxError(_shift(str(exc), len(text) - len(sparql))) from None
        finally:
            self._written()

    def load_nquads(self, data: bytes) -> None:
        quads = list(ox.parse(data, format=ox.RdfFormat.N_QUADS))
        self._post_update(_data_text("INSERT", quads))
        self._bump()

    def apply_delta(self, removed: bytes, added: bytes) -> None:
        gone = list(ox.parse(removed, format=ox.RdfFormat.N_QUADS))
        new = list(ox.parse(added, format=ox.RdfFormat.N_QUADS))
        if any(isinstance(t, ox.BlankNode) for q in gone for t in (q.subject, q.object)):
            raise RemoteRefused("空白ノードは削除できません / quads with blank nodes cannot be removed remotely")
        parts = [p for p in (_data_text("DELETE", gone), _data_text("INSERT", new)) if p]
        if parts:
            self._post_update(" ;\n".join(parts))
        self._bump()

    def replace_graphs(self, graphs: Mapping[URIRef, Iterable[Triple]]) -> None:
        """One request per named graph (Graph Store Protocol PUT when ``graph_store`` is set), then one bump.
        Each graph is replaced atomically where the server allows; the set of graphs is not one transaction."""
        try:
            for name, triples in graphs.items():
                body = "".join(f"{_nt(s)} {_nt(p)} {_nt(o)} .\n" for s, p, o in triples)
                if self.graph_store is not None:
                    self._put_graph(str(name), body)
                else:
                    insert = f" ;\nINSERT DATA {{ GRAPH <{name}> {{\n{body}}} }}" if body else ""
                    self._post_update(f"DROP SILENT GRAPH <{name}>{insert}")
        finally:
            self._bump()

    def _put_graph(self, name: str, body: str) -> None:
        url = self.graph_store or ""
        if body:
            response = self._send("PUT", url, params={"graph": name}, content=body.encode("utf-8"),
                                  timeout=self.write_timeout, headers={"Content-Type": "application/n-triples"})
        else:
            response = self._send("DELETE", url, params={"graph": name}, timeout=self.write_timeout)
            if response.status_code == 404:
                return
        self._checked_response(response, url)

    def close(self) -> None:
        self._client.close()


def _nt(term: Identifier) -> str:
    """A term in N-Triples syntax (Oxigraph's writer: one line, every escape as N-Triples has it)."""
    return str(to_oxigraph(term))


def _query_form(sparql: str) -> str | None:
    """The query form (first form keyword outside strings, IRIs and comments)."""
    from policykg.graph.sparql_guard import QUERY_FORMS, tokenize

    for tok in tokenize(sparql):
        if tok.keyword in QUERY_FORMS:
            return tok.keyword
    match = _FORM.search(sparql)
    return match.group(1).upper() if match else None


def _separator(sparql: str) -> str:
    """``;`` between the user's update and the bump, unless the text already ends with one."""
    from policykg.graph.sparql_guard import tokenize

    last = None
    for tok in tokenize(sparql):
        last = tok
    return "" if last is not None and last.value == ";" else ";\n"


def _shift(message: str, columns: int) -> str:
    """A server's ``error at 1:C`` for text whose first line got ``columns`` characters of prologue."""
    match = re.match(r"error at 1:(\d+)(.*)", message, re.DOTALL)
    if match is None or not columns:
        return message
    return f"error at 1:{max(1, int(match.group(1)) - columns)}{match.group(2)}"


def _data_text(verb: str, quads: list[ox.Quad]) -> str:
    """``INSERT DATA`` / ``DELETE DATA`` for ``quads``, grouped by graph (terms written by Oxigraph)."""
    if not quads:
        return ""
    by_graph: dict[str, list[str]] = {}
    for q in quads:
        key = "" if isinstance(q.graph_name, ox.DefaultGraph) else str(q.graph_name)
        by_graph.setdefault(key, []).append(f"{q.subject} {q.predicate} {q.object} .")
    blocks = [("\n".join(lines) if not g else f"GRAPH {g} {{\n" + "\n".join(lines) + "\n}")
              for g, lines in by_graph.items()]
    return f"{verb} DATA {{\n" + "\n".join(blocks) + "\n}"
