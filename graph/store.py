"""The store behind a small interface: embedded Oxigraph by default, rdflib memory as a fallback.

Everything else in policykg talks to :class:`Store`, never to an engine. Results come back as
rdflib terms in engine-neutral containers, so callers do not care which engine answered.
The default graph of every query is the union of all named graphs (one named graph per source).
"""

from __future__ import annotations

import threading
from contextlib import contextmanager
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Protocol, Union

import pyoxigraph as ox
from rdflib import Dataset, Graph, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.term import Identifier, Node

from policykg.graphs import to_oxigraph, to_rdflib  # noqa: F401  (term conversion lives in core; re-exported)

class Backend(str, Enum):
    """The store engines :func:`open_store` knows (the ``--backend`` option and the ``backend`` setting)."""

    oxigraph = "oxigraph"
    rdflib = "rdflib"


Triple = tuple[Node, Node, Node]
Quad = tuple[Node, Node, Node, URIRef]


@dataclass(frozen=True)
class SelectResult:
    """Rows of a SELECT: one dict per solution, unbound variables absent."""

    variables: list[str]
    rows: list[dict[str, Identifier]]


@dataclass(frozen=True)
class AskResult:
    value: bool


@dataclass(frozen=True)
class GraphResult:
    """Triples of a CONSTRUCT or DESCRIBE."""

    graph: Graph = field(default_factory=Graph)


QueryResult = Union[SelectResult, AskResult, GraphResult]


class Store(Protocol):
    """What policykg needs from a quad store."""

    backend: str
    generation: int
    """Bumped by every write, so caches know when to rebuild (:mod:`policykg.graph.cache`)."""
    evaluation_errors: tuple[type[Exception], ...]
    """What the engine raises when it refuses to evaluate a request that parsed (a graph that already
    exists, a storage error): the request's problem, not a bug. Anything else it raises is a bug."""

    def query(
        self,
        sparql: str,
        *,
        bindings: Mapping[str, Identifier] | None = None,
        default_graph_uris: list[str] | None = None,
        named_graph_uris: list[str] | None = None,
        base_iri: str | None = None,
        prefixes: Mapping[str, str] | None = None,
    ) -> QueryResult:
        """Run a query. ``bindings`` are bound by the engine, never spliced into the text. The dataset
        (``default_graph_uris`` / ``named_graph_uris``) replaces any FROM in the text, which is never fetched.
        ``prefixes`` (name → namespace IRI) and ``base_iri`` are the query's prologue, given to the
        engine instead of pasted into the text (so line numbers of errors are the text's own).

        :raises SyntaxError: the query does not parse.
        """
        ...

    def solutions(self, sparql: str, **options) -> SelectResult | AskResult | object:
        """Run a SELECT or ASK (``options`` as for :meth:`query`) for writing out: the engine's own
        result where it can serialise it (Oxigraph's ``QuerySolutions`` / ``QueryBoolean``, read
        lazily), else a :class:`SelectResult` / :class:`AskResult`. Only
        :func:`policykg.graph.results.write_results` looks inside.

        :raises SyntaxError: the query does not parse.
        """
        ...

    def load_nquads(self, data: bytes) -> None:
        """Add N-Quads as they are (blank node labels kept: an update's effect names the same nodes)."""
        ...

    def update(self, sparql: str, *, base_iri: str | None = None) -> None:
        """Run a SPARQL Update as one transaction (trusted text: user updates go through a confined worker)."""
        ...

    def nquad_set(self) -> set[str]:
        """Every quad (default graph included) as one N-Quads line, blank node labels as stored."""
        ...

    def apply_delta(self, removed: bytes, added: bytes) -> None:
        """Remove and add N-Quads (an update's effect computed elsewhere) under one lock; bumps the generation."""
        ...

    def replace_graphs(self, graphs: Mapping[URIRef, Iterable[Triple]]) -> None:
        """Replace the content of each named graph, all or nothing."""
        ...

    def graph_names(self) -> list[URIRef]: ...

    def quads(self) -> Iterator[Quad]: ...

    def __len__(self) -> int: ...


# --- Oxigraph ----------------------------------------------------------------------------------


class OxigraphStore:
    """Embedded Oxigraph, in memory (``path=None``) or on disk."""

    backend = "oxigraph"
    keeps_rollups = True
    """False for a query worker's private copy: the roll-ups come with the data and are kept by the store's owner."""
    evaluation_errors = (RuntimeError, OSError)

    def __init__(self, path: str | Path | None = None, *, read_only: bool = False) -> None:
        self.path = Path(path) if path is not None else None
        if self.path is None:
            self._store = ox.Store()
        elif read_only:
            self._store = ox.Store.read_only(str(self.path))
        else:
            self.path.mkdir(parents=True, exist_ok=True)
            self._store = ox.Store(str(self.path))
        self.generation = 0
        self._lock = threading.RLock()

    @classmethod
    def over(cls, engine: ox.Store) -> OxigraphStore:
        """An in-memory store whose engine is ``engine`` (the pipeline's staging store, to compute on it)."""
        store = cls()
        store._store = engine
        return store

    @property
    def engine(self) -> ox.Store:
        """The underlying pyoxigraph store: not part of :class:`Store` (benchmarks and test fixtures only)."""
        return self._store

    def _run(self, sparql, *, bindings=None, default_graph_uris=None, named_graph_uris=None, base_iri=None,
             prefixes=None):
        kwargs: dict = {"base_iri": base_iri} if base_iri else {}
        if prefixes:
            kwargs["prefixes"] = dict(prefixes)
        if default_graph_uris:
            kwargs["default_graph"] = [ox.NamedNode(u) for u in default_graph_uris]
        else:
            kwargs["use_default_graph_as_union"] = True
        if named_graph_uris:
            kwargs["named_graphs"] = [ox.NamedNode(u) for u in named_graph_uris]
        if bindings:
            sparql = with_values_clause(sparql, bindings)
        return self._store.query(sparql, **kwargs)

    def query(self, sparql, **options):
        result = self._run(sparql, **options)
        if isinstance(result, ox.QueryBoolean):
            return AskResult(bool(result))
        if isinstance(result, ox.QuerySolutions):
            variables = [v.value for v in result.variables]
            rows = []
            for solution in result:
                row = {}
                for name in variables:
                    value = solution[name]
                    if value is not None:
                        row[name] = to_rdflib(value)
                rows.append(row)
            return SelectResult(variables, rows)
        graph = Graph()
        for t in result:
            graph.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))
        return GraphResult(graph)

    def solutions(self, sparql, **options):
        return self._run(sparql, **options)

    def load_nquads(self, data: bytes) -> None:
        with self._lock:
            self._store.extend(ox.parse(data, format=ox.RdfFormat.N_QUADS))
            _maintain(self, lambda: _graphs_of_nquads(data))
            self.generation += 1

    def update(self, sparql: str, *, base_iri: str | None = None) -> None:
        with self._lock:
            self._store.update(sparql, **({"base_iri": base_iri} if base_iri else {}))
            _maintain(self, None)
            self.generation += 1

    def write_meta(self, sparql: str) -> None:
        """Run policykg's own update of the meta graph (:mod:`policykg.graph.summaries`) under the write lock
        (re-entrant: a write method's hook calls it while holding the lock); bumps the generation."""
        with self._lock:
            self._store.update(sparql)
            self.generation += 1

    def nquad_set(self) -> set[str]:
        data = self._store.dump(format=ox.RdfFormat.N_QUADS).decode("utf-8")
        return {line + "\n" for line in data.splitlines() if line}

    def apply_delta(self, removed: bytes, added: bytes) -> None:
        with self._lock:
            for quad in ox.parse(removed, format=ox.RdfFormat.N_QUADS):
                self._store.remove(quad)
            self._store.extend(ox.parse(added, format=ox.RdfFormat.N_QUADS))
            _maintain(self, lambda: _graphs_of_nquads(removed, added))
            self.generation += 1

    def replace_graphs(self, graphs: Mapping[URIRef, Iterable[Triple]]) -> None:
        materialised = {g: list(triples) for g, triples in graphs.items()}
        with self._lock:
            if _engine_empty(self._store):
                # Fresh store: one atomic bulk insert of everything.
                self._store.extend(
                    ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o), ox.NamedNode(str(g)))
                    for g, triples in materialised.items()
                    for s, p, o in triples
                )
            else:
                # One SPARQL Update request is one transaction: drop and insert together.
                self._store.update(_replace_update_text(materialised))
            _maintain(self, set(materialised))
            self.generation += 1

    def replace_from(self, source: ox.Store, names: Iterable[URIRef], *, staged_at: int | None = None,
                     maintained: bool = False) -> None:
        """Replace the named graphs ``names`` with their content in ``source`` (the pipeline's in-memory
        staging store, :func:`policykg.graph.pipeline.stage`), all or nothing, without leaving Oxigraph.

        ``staged_at``: this store's generation when ``source`` was staged from it. An in-memory store
        not written since then simply becomes ``source`` (which holds exactly what it should). An empty
        on-disk store is bulk-loaded (Oxigraph's bulk loader writes sorted files, not transactions: a
        failed build removes a store it created, :func:`policykg.graph.build.build_store`). Otherwise new
        graphs go in as one atomic insert of the staged quads, and graphs the store already holds are
        dropped and refilled in one SPARQL Update (one request, one transaction).

        ``maintained``: ``names`` include the meta graph, whose roll-ups ``source`` computed over exactly
        what this store holds after the write (an empty store filled from a staging store): nothing to
        maintain after.
        """
        nodes = [ox.NamedNode(str(g)) for g in names]
        with self._lock:
            if self.path is None and staged_at is not None and staged_at == self.generation:
                self._store = source
            elif self.path is not None and _engine_empty(self._store):
                self._store.bulk_extend(q for node in nodes for q in source.quads_for_pattern(None, None, None, node))
            elif not any(self._store.contains_named_graph(node) for node in nodes):
                self._store.extend([q for node in nodes for q in source.quads_for_pattern(None, None, None, node)])
            else:
                self._store.update(_replace_from_text(source, nodes))
            if not maintained:
                _maintain(self, {URIRef(node.value) for node in nodes})
            self.generation += 1

    def graph_names(self) -> list[URIRef]:
        return sorted(URIRef(g.value) for g in self._store.named_graphs() if isinstance(g, ox.NamedNode))

    def quads(self) -> Iterator[Quad]:
        for q in self._store:
            if isinstance(q.graph_name, ox.DefaultGraph):
                continue
            yield (to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object), to_rdflib(q.graph_name))

    def __len__(self) -> int:
        return len(self._store)  # Oxigraph counts by scanning every quad: 24 s at 10M on disk

    def is_empty(self) -> bool:
        """No quad at all, found without counting them (:func:`is_empty`)."""
        return _engine_empty(self._store)

    def flush(self) -> None:
        if self.path is not None:
            self._store.flush()


def _engine_empty(engine: ox.Store) -> bool:
    return next(iter(engine.quads_for_pattern(None, None, None, None)), None) is None


def is_empty(store: Store) -> bool:
    """``True`` when ``store`` holds no quad. ``len`` would do, but Oxigraph counts by scanning every quad
    (24 s for a 10M store on disk); an Oxigraph store looks for the first quad instead.

    >>> store = OxigraphStore(); is_empty(store)
    True
    >>> store.load_nquads(b'<http://x/a> <http://x/p> "v" <http://x/g> .'); is_empty(store)
    False
    """
    check = getattr(store, "is_empty", None)
    return check() if callable(check) else len(store) == 0


def with_values_clause(sparql: str, bindings: Mapping[str, Identifier]) -> str:
    r"""Bind variables with VALUES blocks, each term serialised (escaped) by rdflib, never spliced as text.

    Oxigraph's own ``substitutions`` only binds projected variables, so we join a one-row VALUES
    block twice, which changes no answer (joining again with the same row is idempotent):

    * first in the outermost WHERE group, so ``FILTER`` and ``BIND`` see the value as with rdflib's
      ``initBindings`` (a trailing VALUES alone is joined last: ``BIND(COALESCE(?asOf, …))`` never
      saw ``?asOf``), and the engine starts plan-scoped patterns from the bound value (1M triples:
      measure list 57 ms → 0.5 ms);
    * and trailing, which Oxigraph 0.5 pushes into OPTIONAL parts that the leading block does not
      reach (trace query: 450 ms → 0.2 ms).

    Queries without a group (``DESCRIBE <x>``) get the trailing block only.

    >>> with_values_clause("SELECT ?s WHERE { ?s ?p ?o }", {"p": URIRef("http://x/p")})
    'SELECT ?s WHERE { VALUES (?p) { (<http://x/p>) }\n ?s ?p ?o }\nVALUES (?p) { (<http://x/p>) }'
    >>> with_values_clause("DESCRIBE ?s", {"s": URIRef("http://x/s")})
    'DESCRIBE ?s\nVALUES (?s) { (<http://x/s>) }'
    """
    names = list(bindings)
    for name in names:
        if not name.isidentifier():
            raise ValueError(f"not a SPARQL variable name: {name!r}")
    terms = " ".join(bindings[n].n3() for n in names)
    values = f"VALUES ({' '.join('?' + n for n in names)}) {{ ({terms}) }}"
    at = _where_group_start(sparql)
    if at is None:
        return f"{sparql}\n{values}"
    return f"{sparql[:at]} {values}\n{sparql[at:]}\n{values}"


def _where_group_start(sparql: str) -> int | None:
    """Offset just after the ``{`` that opens the query's outermost WHERE group (strings, IRIs, comments skipped)."""
    from policykg.graph.sparql_guard import QUERY_FORMS, tokenize

    depth = 0
    seen_where = False
    first_group: int | None = None
    form: str | None = None
    for tok in tokenize(sparql):
        if tok.kind == "open":  # a run of braces ("{{") is one token: the first one opens the group
            if depth == 0:
                if seen_where:
                    return tok.start + 1
                if first_group is None:
                    first_group = tok.start + 1
            depth += tok.end - tok.start
        elif tok.kind == "close":
            depth -= tok.end - tok.start
        elif depth == 0 and tok.keyword == "WHERE":
            seen_where = True
        elif form is None and tok.keyword in QUERY_FORMS:
            form = tok.keyword
    return first_group if form != "CONSTRUCT" else None


def _graphs_of_nquads(*blobs: bytes) -> set[URIRef] | None:
    """The named graphs N-Quads data writes to (``None`` when a quad goes to the default graph)."""
    graphs: set[URIRef] = set()
    for data in blobs:
        for quad in ox.parse(data, format=ox.RdfFormat.N_QUADS):
            if isinstance(quad.graph_name, ox.NamedNode):
                graphs.add(URIRef(quad.graph_name.value))
            else:
                return None
    return graphs


WriteHook = Callable[[object, object], None]
_write_hooks: list[WriteHook] = []


def on_write(hook: WriteHook) -> WriteHook:
    """Register ``hook(store, touched)``, run by every write method after the data is written, under the
    store's write lock and before the generation moves (:mod:`policykg.graph.summaries` registers its
    maintenance when imported; ``policykg.api`` and the build import it)."""
    if hook not in _write_hooks:
        _write_hooks.append(hook)
    return hook


def _maintain(store, touched) -> None:
    """Run the write hooks (the roll-ups of :mod:`policykg.graph.summaries`; a no-op for a store that keeps
    none). ``touched``: the named graphs written (or a function returning them, called only when needed),
    ``None`` = unknown."""
    if not getattr(store, "keeps_rollups", True):
        return
    for hook in _write_hooks:
        hook(store, touched)


def _replace_from_text(source: ox.Store, nodes: list[ox.NamedNode]) -> str:
    """``DROP SILENT GRAPH`` each graph, then ``INSERT DATA`` its staged triples (Oxigraph's own N-Triples,
    which is valid SPARQL triple syntax): one update request."""
    drops = "".join(f"DROP SILENT GRAPH <{node.value}> ;\n" for node in nodes)
    blocks = "".join(
        f"GRAPH <{node.value}> {{\n{source.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=node).decode('utf-8')}}}\n"
        for node in nodes
    )
    return f"{drops}INSERT DATA {{\n{blocks}}}"


def _replace_update_text(graphs: Mapping[URIRef, list[Triple]]) -> str:
    parts = []
    for g, triples in graphs.items():
        parts.append(f"DROP SILENT GRAPH <{g}>")
        body = "\n".join(f"{s.n3()} {p.n3()} {o.n3()} ." for s, p, o in triples)
        if body:
            parts.append(f"INSERT DATA {{ GRAPH <{g}> {{\n{body}\n}} }}")
    return " ;\n".join(parts)


# --- rdflib memory -------------------------------------------------------------------------------


@contextmanager
def _rdflib_syntax() -> Iterator[None]:
    """rdflib's parse errors as :class:`SyntaxError`, like Oxigraph's: pyparsing's, and the bare
    ``Exception("Unknown namespace prefix : x")`` of its algebra translation."""
    from pyparsing import ParseBaseException

    try:
        yield
    except ParseBaseException as exc:
        raise SyntaxError(str(exc)) from None
    except Exception as exc:
        if type(exc) is Exception and str(exc).startswith("Unknown namespace prefix"):
            raise SyntaxError(str(exc)) from None
        raise


class RdflibStore:
    """rdflib's pure-Python memory store: slow, but needs no native code."""

    backend = "rdflib"
    keeps_rollups = True
    evaluation_errors: tuple[type[Exception], ...] = (Exception,)
    """rdflib evaluates in Python: a bad regex in REPLACE raises ``re.error``, a bad cast ``TypeError``…
    so whatever its evaluation raises is the engine's refusal (the worker's boundary)."""

    def __init__(self) -> None:
        self._ds = Dataset(default_union=True)
        self.generation = 0
        self._lock = threading.RLock()

    @property
    def dataset(self) -> Dataset:
        """The underlying rdflib Dataset: not part of :class:`Store` (test fixtures only)."""
        return self._ds

    def query(self, sparql, *, bindings=None, default_graph_uris=None, named_graph_uris=None, base_iri=None,
              prefixes=None):
        from rdflib.plugins.sparql.algebra import translateQuery
        from rdflib.plugins.sparql.parser import parseQuery

        target = self._ds
        if default_graph_uris or named_graph_uris:
            target = self._dataset_for(default_graph_uris, named_graph_uris)
        with _rdflib_syntax():
            prepared = translateQuery(parseQuery(sparql), base_iri, dict(prefixes) if prefixes else None)
        # FROM / FROM NAMED are never loaded by rdflib (it would fetch them): the dataset is the one given.
        prepared.algebra["datasetClause"] = None
        result = target.query(prepared, initBindings=dict(bindings or {}))
        if result.type == "ASK":
            return AskResult(bool(result.askAnswer))
        if result.type == "SELECT":
            variables = [str(v) for v in result.vars]
            rows = [
                {name: row[i] for i, name in enumerate(variables) if row[i] is not None}
                for row in result
            ]
            return SelectResult(variables, rows)
        graph = Graph()
        for t in result:
            graph.add(t)
        return GraphResult(graph)

    def solutions(self, sparql, **options):
        return self.query(sparql, **options)

    def load_nquads(self, data: bytes) -> None:
        with self._lock:
            self._ds.parse(data=data.decode("utf-8"), format="nquads")
            _maintain(self, lambda: _graphs_of_nquads(data))
            self.generation += 1

    def write_meta(self, sparql: str) -> None:
        """Run policykg's own update of the meta graph (:mod:`policykg.graph.summaries`) under the write lock."""
        from rdflib.plugins.sparql.processor import prepareUpdate

        with self._lock:
            self._ds.update(prepareUpdate(sparql))
            self.generation += 1

    def _dataset_for(self, default_graph_uris: list[str] | None, named_graph_uris: list[str] | None) -> Dataset:
        """A copy of the requested dataset, read the way Oxigraph reads it (docs/settings.md):

        * default graph: the merge of ``default_graph_uris``; without them, the union of every graph;
        * named graphs (``GRAPH``): only ``named_graph_uris``; without them, every named graph.

        IRIs the store does not hold are empty graphs; nothing is fetched (callers pass the lists
        through :func:`policykg.graph.sparql_guard.resolve_dataset`). Copying is slow on large data,
        like everything on this backend.
        """
        ds = Dataset(default_union=False)
        default = ds.graph(DATASET_DEFAULT_GRAPH_ID)
        if default_graph_uris:
            for uri in dict.fromkeys(default_graph_uris):
                for t in self._ds.graph(URIRef(uri)):
                    default.add(t)
        else:
            for s, p, o, _g in self._ds.quads((None, None, None, None)):
                default.add((s, p, o))
        names = [URIRef(u) for u in dict.fromkeys(named_graph_uris)] if named_graph_uris else self.graph_names()
        for name in names:
            if name == DATASET_DEFAULT_GRAPH_ID:
                continue
            ctx = ds.graph(name)
            for t in self._ds.graph(name):
                ctx.add(t)
        return ds

    def update(self, sparql: str, *, base_iri: str | None = None) -> None:
        from rdflib.plugins.sparql.processor import prepareUpdate

        with self._lock:
            snapshot = list(self._ds.quads((None, None, None, None)))
            with _rdflib_syntax():
                prepared = prepareUpdate(sparql, base=base_iri)
            try:
                self._ds.update(prepared)
            except Exception:
                self._restore(snapshot)
                raise
            _maintain(self, None)
            self.generation += 1

    def nquad_set(self) -> set[str]:
        data = self._ds.serialize(format="nquads", encoding="utf-8").decode("utf-8")
        return {line + "\n" for line in data.splitlines() if line}

    def apply_delta(self, removed: bytes, added: bytes) -> None:
        with self._lock:
            snapshot = list(self._ds.quads((None, None, None, None)))
            try:
                for data, add in ((removed, False), (added, True)):
                    delta = Dataset()
                    delta.parse(data=data.decode("utf-8"), format="nquads")
                    for s, p, o, g in delta.quads((None, None, None, None)):
                        graph = self._ds.graph(getattr(g, "identifier", g))
                        (graph.add if add else graph.remove)((s, p, o))
            except Exception:
                self._restore(snapshot)
                raise
            _maintain(self, lambda: _graphs_of_nquads(removed, added))
            self.generation += 1

    def _restore(self, snapshot: list) -> None:
        for ctx in list(self._ds.graphs()):
            self._ds.remove_graph(ctx)
        for s, p, o, g in snapshot:
            self._ds.add((s, p, o, g))

    def replace_graphs(self, graphs: Mapping[URIRef, Iterable[Triple]]) -> None:
        materialised = {g: list(triples) for g, triples in graphs.items()}
        with self._lock:
            for g, triples in materialised.items():
                self._ds.remove_graph(self._ds.graph(g))
                ctx = self._ds.graph(g)
                for t in triples:
                    ctx.add(t)
            _maintain(self, set(materialised))
            self.generation += 1

    def graph_names(self) -> list[URIRef]:
        return sorted(
            c.identifier for c in self._ds.graphs()
            if isinstance(c.identifier, URIRef) and len(c) and c.identifier != URIRef("urn:x-rdflib:default")
        )

    def quads(self) -> Iterator[Quad]:
        for s, p, o, g in self._ds.quads((None, None, None, None)):
            gid = getattr(g, "identifier", g)
            if gid is not None and str(gid) != "urn:x-rdflib:default":
                yield (s, p, o, gid)

    def __len__(self) -> int:
        return sum(1 for _ in self.quads())


def open_store(path: str | Path | None = None, *, backend: str = "oxigraph", read_only: bool = False) -> Store:
    """Open a store: Oxigraph in memory or at ``path``; ``backend="rdflib"`` for the fallback."""
    if backend == "rdflib":
        if path is not None:
            raise ValueError("the rdflib fallback is memory-only; drop --store or use --backend oxigraph")
        return RdflibStore()
    if backend != "oxigraph":
        raise ValueError(f"unknown backend {backend!r}; choose oxigraph or rdflib")
    return OxigraphStore(path, read_only=read_only)


def to_dataset(store: Store) -> Dataset:
    """All quads as an rdflib Dataset, for serialisation and SHACL."""
    ds = Dataset()
    for s, p, o, g in store.quads():
        ds.add((s, p, o, g))
    return ds


__all__ = [
    "Store", "OxigraphStore", "RdflibStore", "open_store", "to_dataset", "is_empty",
    "SelectResult", "AskResult", "GraphResult", "QueryResult", "to_rdflib", "to_oxigraph",
]
