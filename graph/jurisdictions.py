"""Several jurisdictions side by side: which local plans a store holds, and a view of one of them.

A jurisdiction's local entities all live under ``pkid:<key>/`` (docs/model.md "IRIs").

Two views of one jurisdiction:

* :func:`jurisdiction_scope` (the hot paths: ``/api/gaps``, the list routes, canned queries with
  ``?jurisdiction=``): no copy. Each named graph is indexed by the jurisdictions whose entities it
  holds (:func:`graph_jurisdictions`; kept in the meta graph ``urn:policykg:meta`` by
  :mod:`policykg.graph.summaries` when the store has one, else computed once per store generation).
  A jurisdiction's *scope* is its graphs plus every graph holding no jurisdiction (the national side),
  given to the engine as the query's dataset (``default_graph_uris`` / ``named_graph_uris``), so the
  query text is unchanged and nothing is pasted into it. Measured on Oxigraph on disk at 1M quads:
  1–180 ms per canned query for one jurisdiction against 0.1–13 s for the whole graph
  (benchmarks/results/scope.md). A graph shared by several jurisdictions (``graph/progress``) is in
  each of their scopes; rows naming another jurisdiction's entity are dropped from SELECT answers.
* :func:`jurisdiction_view`: an in-memory copy of the store without the other jurisdictions' entities
  and the alignments that start from them (CLI, report and network view; the reference the scoped
  answers are tested against).
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Iterable, Iterator, Mapping

from rdflib import Literal, URIRef

from policykg.errors import EntityNotFound, QueryError
from policykg.graph.queries import internal_query, select
from policykg.graph.store import OxigraphStore, SelectResult, Store
from policykg.labels import pick_label
from policykg.namespaces import ID, PK


def key_of(iri: object, keys: dict | None = None) -> str | None:
    """The jurisdiction key of a local entity's IRI: the first path segment under ``pkid:``
    (``None`` for national entities and vocabulary, and for keys not in ``keys`` when given).

    >>> key_of("https://w3id.org/policykg/id/hokkaido/area/hokkaido-area-1", {"hokkaido": "北海道"})
    'hokkaido'
    >>> key_of("https://w3id.org/policykg/id/jp/digiden-strategy/n-1", {"hokkaido": "北海道"}) is None
    True
    """
    value = str(iri)
    if not value.startswith(str(ID)):
        return None
    key = value[len(str(ID)):].split("/", 1)[0]
    return key if keys is None or key in keys else None


def jurisdictions(store: Store, lang: str = "ja") -> dict[str, str]:
    """``{key: name}`` of the local plans in ``store``, named in ``lang`` (Japanese, else any, else the key),
    in IRI order."""
    names: dict[str, list] = {}
    for row in select(store, internal_query("local-plans")):
        key = key_of(row["plan"])
        if key is None:
            continue
        found = names.setdefault(key, [])
        if row.get("name") is not None and row["name"] not in found:
            found.append(row["name"])
    return {key: (pick_label(found, lang) or key) for key, found in names.items()}


def check_key(known: dict[str, str], text: str) -> str:
    """The key of the jurisdiction ``text`` names — its key or its name in ``known`` (``{key: name}``).

    >>> check_key({"hokkaido": "北海道"}, " 北海道 ")
    'hokkaido'

    :raises EntityNotFound: none of them; the message lists those loaded.
    """
    for key, name in known.items():
        if text.strip() in (key, name):
            return key
    listing = "、".join(f"{name} ({key})" for key, name in known.items()) or "なし / none"
    raise EntityNotFound(f"自治体「{text}」の計画がありません（読み込み済み: {listing}） / no local plan of {text!r}; "
                         f"known keys: {', '.join(known) or 'none'}")


def resolve_jurisdiction(store: Store, text: str) -> str:
    """The key of the jurisdiction named by its key or its Japanese name.

    :raises EntityNotFound: no local plan of that jurisdiction (the message lists those loaded).
    """
    return check_key(jurisdictions(store), text)


def jurisdiction_view(store: Store, text: str) -> Store:
    """An in-memory copy of ``store`` holding the national side and one jurisdiction's plan only.

    :raises EntityNotFound: see :func:`resolve_jurisdiction`.
    """
    key = resolve_jurisdiction(store, text)
    others = tuple(f"{ID}{k}/" for k in jurisdictions(store) if k != key)
    quads = list(store.quads())
    leaving = {s for s, p, o, _g in quads if p == PK.localItem and str(o).startswith(others)} if others else set()
    graphs: dict[URIRef, list] = {}
    for s, p, o, g in quads:
        if others and (str(s).startswith(others) or s in leaving):
            continue
        graphs.setdefault(g, []).append((s, p, o))
    view = OxigraphStore()
    view.replace_graphs(graphs)
    return view


META_GRAPH = URIRef("urn:policykg:meta")
"""The store's own bookkeeping (never data): the graph → jurisdiction index and the roll-ups
(:mod:`policykg.graph.summaries`); the remote store keeps its version triple there too."""
META = "urn:policykg:meta:"
HOLDS = URIRef(META + "holds")
"""``<graph> meta:holds "key"``: the graph holds entities of jurisdiction ``key``."""
INDEXED = URIRef(META + "indexed")
"""``<graph> meta:indexed true``: the graph is in the index (also when it holds no jurisdiction)."""
NATIONAL = URIRef(META + "national")
"""``<graph> meta:national true``: the graph holds no jurisdiction (it is in every jurisdiction's scope)."""

_cache: "weakref.WeakKeyDictionary[object, tuple[int, dict]]" = weakref.WeakKeyDictionary()
_cache_lock = threading.Lock()


def local_keys(store: Store) -> set[str]:
    """Keys of the jurisdictions with a local plan in ``store`` (no names: cheaper than :func:`jurisdictions`)."""
    return {k for row in select(store, internal_query("local-plan-iris")) if (k := key_of(row["plan"])) is not None}


def compute_graph_keys(store: Store, graphs: list[URIRef] | None = None,
                       keys: set[str] | None = None) -> dict[URIRef, frozenset[str]]:
    """From the data: per named graph (all, or ``graphs``), the jurisdictions whose typed entities are in it
    or whose measures are the ``pk:localItem`` of an alignment there (an alignment graph belongs to the
    jurisdictions of the measures it aligns)."""
    keys = local_keys(store) if keys is None else keys
    query = internal_query("graph-jurisdiction-subjects")
    found: dict[URIRef, set[str]] = {g: set() for g in (store.graph_names() if graphs is None else graphs)}
    bindings_list = [{"g": g} for g in graphs] if graphs is not None else [None]
    for bindings in bindings_list:
        for row in select(store, query, bindings):
            g = row["g"]
            if g == META_GRAPH:
                continue
            key = key_of(row["entity"], None)
            entry = found.setdefault(g, set())
            if key in keys:
                entry.add(key)
    return {g: frozenset(v) for g, v in found.items() if g != META_GRAPH}


def indexed_graph_keys(store: Store) -> dict[URIRef, frozenset[str]] | None:
    """The index kept in the meta graph (``None`` when the store has none)."""
    rows = select(store, internal_query("meta-graph-index"))
    if not rows:
        return None
    return keys_by_graph(rows, "key")


def keys_by_graph(rows: Iterable[Mapping], column: str) -> dict[URIRef, frozenset[str]]:
    """Index rows (``?g`` and, unbound for a national graph, the jurisdiction key in ``column``) as
    graph → the keys it holds.

    >>> g = URIRef("http://x/g")
    >>> keys_by_graph([{"g": g, "key": Literal("a")}, {"g": g}, {"g": URIRef("http://x/n")}], "key")[g]
    frozenset({'a'})
    """
    found: dict[URIRef, set[str]] = {}
    for row in rows:
        entry = found.setdefault(row["g"], set())
        if row.get(column) is not None:
            entry.add(str(row[column]))
    return {g: frozenset(v) for g, v in found.items()}


def graph_jurisdictions(store: Store) -> dict[URIRef, frozenset[str]]:
    """Per named graph (the meta graph left out), the keys of the jurisdictions it holds: from the meta
    graph's index when the store keeps one, else computed from the data; once per store generation."""
    base = getattr(store, "base", store)
    with _cache_lock:
        hit = _cache.get(base)
    if hit is not None and hit[0] == base.generation:
        return hit[1]
    generation = base.generation
    index = indexed_graph_keys(base)
    if index is None:
        index = compute_graph_keys(base)
    else:  # graphs written while the store kept no index (never expected: every write path indexes)
        for g in base.graph_names():
            if g != META_GRAPH and g not in index:
                index = compute_graph_keys(base)
                break
    try:
        with _cache_lock:
            _cache[base] = (generation, index)
    except TypeError:  # not weak-referenceable: no cache
        pass
    return index


_scopes: "weakref.WeakKeyDictionary[object, tuple[int, dict]]" = weakref.WeakKeyDictionary()
SCOPES_KEPT = 256
"""Scopes kept per store generation (a few hundred bytes each)."""


def indexed_scope(store: Store, key: str) -> dict[URIRef, frozenset[str]] | None:
    """From the meta graph's index (``None`` when the store keeps none): the graphs in ``key``'s scope, each
    with the jurisdictions it holds (none for the national side). Kept per store generation."""
    generation = store.generation
    with _cache_lock:
        hit = _scopes.get(store)
        if hit is not None and hit[0] == generation and key in hit[1]:
            return hit[1][key]
    found = _indexed_scope(store, key)
    try:
        with _cache_lock:
            hit = _scopes.get(store)
            kept = hit[1] if hit is not None and hit[0] == generation and len(hit[1]) < SCOPES_KEPT else {}
            kept[key] = found
            _scopes[store] = (generation, kept)
    except TypeError:  # not weak-referenceable: no cache
        pass
    return found


def _indexed_scope(store: Store, key: str) -> dict[URIRef, frozenset[str]] | None:
    rows = select(store, internal_query("meta-scope"), {"key": Literal(key)})
    if not rows:
        return None if not select(store, internal_query("summary-enabled")) else {}
    return keys_by_graph(rows, "holder")


def scope_index(store: Store, key: str) -> dict[URIRef, frozenset[str]]:
    """The graphs in ``key``'s scope (its own and those holding no jurisdiction) with the jurisdictions each
    holds: a small query of the meta graph's index when the store keeps one, else from
    :func:`graph_jurisdictions`."""
    base = getattr(store, "base", store)
    index = indexed_scope(base, key)
    if index is None:
        index = {g: keys for g, keys in graph_jurisdictions(base).items() if not keys or key in keys}
    return index


def scope_graphs(store: Store, key: str) -> list[str]:
    """The dataset of jurisdiction ``key``: its graphs and every graph holding no jurisdiction, sorted."""
    return sorted(str(g) for g in scope_index(store, key))


class ScopedStore:
    """A read-only :class:`~policykg.graph.store.Store` answering for one jurisdiction: every query runs
    over :func:`scope_graphs` (unless the caller names its own dataset); SELECT rows that name another
    jurisdiction's entity (possible only through a graph several jurisdictions share) are dropped.
    ``index``: the scope's graphs with the jurisdictions each holds (default :func:`scope_index`)."""

    def __init__(self, base: Store, key: str, index: Mapping[URIRef, frozenset[str]] | None = None) -> None:
        self.base = base
        self.key = key
        self.backend = base.backend
        self.evaluation_errors = base.evaluation_errors
        index = scope_index(base, key) if index is None else index
        self.graphs = sorted(str(g) for g, keys in index.items() if not keys or key in keys)
        others = set().union(*(keys for keys in index.values() if key in keys)) - {key} if index else set()
        self.others = tuple(f"{ID}{k}/" for k in sorted(others))
        if not self.graphs:
            self.graphs = [str(META_GRAPH)]  # an empty dataset, never the whole store

    @property
    def generation(self) -> int:
        return self.base.generation

    def _options(self, options: dict) -> dict:
        if not options.get("default_graph_uris") and not options.get("named_graph_uris"):
            # the meta graph is named too: the roll-up queries read it with GRAPH <urn:policykg:meta>
            options = {**options, "default_graph_uris": self.graphs, "named_graph_uris": [*self.graphs, str(META_GRAPH)]}
        return options

    def _keep(self, row: Mapping) -> bool:
        return not any(isinstance(v, URIRef) and str(v).startswith(self.others) for v in row.values())

    def query(self, sparql: str, **options):
        result = self.base.query(sparql, **self._options(options))
        if self.others and isinstance(result, SelectResult):
            return SelectResult(result.variables, [r for r in result.rows if self._keep(r)])
        return result

    def solutions(self, sparql: str, **options):
        if self.others:
            return self.query(sparql, **options)
        return self.base.solutions(sparql, **self._options(options))

    def _read_only(self, *args, **kwargs):
        raise QueryError("自治体の範囲は読み取り専用です / a jurisdiction scope is read-only")

    load_nquads = update = apply_delta = replace_graphs = _read_only

    def nquad_set(self) -> set[str]:
        return {line for line in self.base.nquad_set() if any(f"<{g}> ." in line for g in self.graphs)}

    def graph_names(self) -> list[URIRef]:
        return [URIRef(g) for g in self.graphs]

    def quads(self) -> Iterator:
        wanted = {URIRef(g) for g in self.graphs}
        for quad in self.base.quads():
            if quad[3] in wanted and not (self.others and any(str(t).startswith(self.others) for t in quad[:3])):
                yield quad

    def __len__(self) -> int:
        return sum(1 for _ in self.quads())


def select_in(store: Store, key: str | None, query, bindings=None) -> list[dict]:
    """Rows of the SELECT ``query`` (a :class:`~policykg.graph.queries.CannedQuery`) for jurisdiction ``key``
    (over its named graphs and the national side, the text unchanged, ``bindings`` bound by the store),
    or for the whole graph when ``key`` is ``None``."""
    return select(ScopedStore(store, key) if key is not None else store, query, bindings)


def jurisdiction_scope(store: Store, text: str) -> ScopedStore:
    """``store`` seen from one jurisdiction (its key or name) without copying anything: see :class:`ScopedStore`.

    :raises EntityNotFound: see :func:`resolve_jurisdiction`.
    """
    return ScopedStore(store, resolve_jurisdiction(store, text))


__all__ = ["key_of", "jurisdictions", "check_key", "resolve_jurisdiction", "jurisdiction_view",
           "jurisdiction_scope", "ScopedStore", "select_in", "scope_graphs", "scope_index", "graph_jurisdictions", "compute_graph_keys",
           "local_keys", "META_GRAPH", "HOLDS", "INDEXED", "NATIONAL"]
