"""Validate-then-write: the one way graphs get into a store.

A load must never leave a half-written or invalid store behind, because the API may be serving
from it. So the pipeline first *stages* what the store would hold (its current content with the
incoming named graphs replaced) in an in-memory Oxigraph store, validates that union with SHACL
(:mod:`policykg.graph.validation`, natively over the staging store), and only then writes the new
graphs, all or nothing. Parsing happens before this module is called; a parse or validation failure
therefore never touches the store.

The incoming graphs cross from rdflib to Oxigraph once, as N-Quads text (:mod:`policykg.graph.nquads`);
an Oxigraph target takes them from the staging store natively (:meth:`OxigraphStore.replace_from`).

This module knows nothing about file formats (loaders do that) and never imports them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import ModuleType
from typing import Any

import pyoxigraph as ox
from rdflib import Graph, URIRef

from policykg.errors import SourceError
from policykg.graph import summaries  # (also registers the roll-up maintenance on every store write)
from policykg.graph.jurisdictions import META_GRAPH
from policykg.graph.nquads import nquads, nquads_of_quads
from policykg.graph.store import OxigraphStore, Store, is_empty
from policykg.graphs import native_source, native_union

Progress = Callable[[str], None]


def validation_module() -> ModuleType:
    """``policykg.graph.validation``, imported on first use (it pulls in pySHACL).

    :raises ImportError: the module is not available; the message says how to load without it.
    """
    try:
        from policykg.graph import validation
    except ImportError as exc:
        raise ImportError(
            "SHACL validation needs policykg.graph.validation, which could not be imported "
            f"({exc}); load with validate=False (CLI: --no-validate) to skip validation"
        ) from exc
    return validation


def union_after(store: Store | None, graphs: Mapping[URIRef, Graph]) -> Graph:
    """The default-graph view the store would have after replacing ``graphs``: one rdflib Graph.

    SHACL runs over this union (not per named graph), because references cross graphs: an
    alignment in ``graph/alignments-x`` points at a measure in the deck's graph.
    """
    union = Graph()
    replaced = set(graphs)
    if store is not None:
        for s, p, o, g in store.quads():
            if g not in replaced:
                union.add((s, p, o))
    for triples in graphs.values():
        for t in triples:
            union.add(t)
    return union


def store_view(store: Store) -> Graph:
    """What ``store`` holds, as one read-only rdflib Graph for readers that resolve labels and ids against it.

    An Oxigraph store is looked up where it is (:func:`policykg.graphs.native_union`): a national-scale
    store is millions of quads, and a copy in rdflib costs about a gigabyte and a minute per million.
    Other stores (the rdflib backend, a remote store) are small or have no native view: copied
    (:func:`union_after`). Either way the same triples, each once.
    """
    if isinstance(store, OxigraphStore):
        return native_union(store.engine)
    return union_after(store, {})


def stage(store: Store | None, graphs: Mapping[URIRef, Graph]) -> ox.Store:
    """An in-memory Oxigraph store holding what ``store`` would hold after replacing ``graphs``: for an empty
    ``store`` and a bulk source's graphs, that source's own private store with the other graphs added
    (:func:`_adoptable`; a million quads are not copied), else a new one.

    >>> from rdflib import Literal
    >>> g = Graph(); _ = g.add((URIRef("http://x/a"), URIRef("http://x/p"), Literal(1)))
    >>> len(stage(None, {URIRef("http://x/g"): g}))
    1
    """
    empty = store is None or is_empty(store)
    staging = _adoptable(graphs) if empty else None
    if staging is not None:  # the bulk source's own private store: its quads are not copied
        graphs = {name: g for name, g in graphs.items() if native_source(g) is not staging}
    else:
        staging = ox.Store()  # private until returned: Oxigraph's bulk loader (parallel, no transaction) is safe
    if not empty:
        if isinstance(store, OxigraphStore):
            staging.bulk_load(store.engine.dump(format=ox.RdfFormat.N_QUADS), format=ox.RdfFormat.N_QUADS)
        else:
            staging.bulk_load(nquads_of_quads(store.quads()), format=ox.RdfFormat.N_QUADS)
        for name in graphs:
            staging.remove_graph(ox.NamedNode(str(name)))
    parsed = {name: g for name, g in graphs.items() if native_source(g) is None}
    data = nquads(parsed)
    try:
        staging.bulk_load(data, format=ox.RdfFormat.N_QUADS)
    except SyntaxError as exc:  # a term rdflib accepted but RDF does not (an IRI with a space, …)
        raise _unstorable(data, exc) from None
    for name, g in graphs.items():
        engine = native_source(g)
        if engine is None:
            continue
        source, target = g.store.name, ox.NamedNode(str(name))
        quads = engine.quads_for_pattern(None, None, None, source)
        staging.extend(quads if source == target else (ox.Quad(q.subject, q.predicate, q.object, target) for q in quads))
    return staging


def _adoptable(graphs: Mapping[URIRef, Graph]) -> ox.Store | None:
    """The one Oxigraph store behind the bulk graphs of ``graphs`` when it can be the staging store itself:
    it holds exactly those graphs, under their own names, and nothing in its default graph (a bulk source's
    private store, :func:`policykg.graph.bulk.read_bulk_source`, which nobody else writes).

    >>> from policykg.graphs import native_graph
    >>> engine = ox.Store()
    >>> engine.add(ox.Quad(ox.NamedNode("http://x/a"), ox.NamedNode("http://x/p"), ox.Literal("v"), ox.NamedNode("http://x/g")))
    >>> _adoptable({URIRef("http://x/g"): native_graph(engine, "http://x/g")}) is engine
    True
    >>> _adoptable({URIRef("http://x/other"): native_graph(engine, "http://x/g")}) is None
    True
    """
    engines = {id(e): e for g in graphs.values() if (e := native_source(g)) is not None}
    if len(engines) != 1:
        return None
    engine = next(iter(engines.values()))
    mine = {name for name, g in graphs.items() if native_source(g) is engine}
    if any(graphs[name].store.name != ox.NamedNode(str(name)) for name in mine):
        return None
    held = {URIRef(g.value) for g in engine.named_graphs() if isinstance(g, ox.NamedNode)}
    if held != mine or len(held) != sum(1 for _ in engine.named_graphs()):
        return None
    if next(iter(engine.quads_for_pattern(None, None, None, ox.DefaultGraph())), None) is not None:
        return None
    return engine


def _unstorable(data: bytes, exc: SyntaxError) -> SourceError:
    """The source graph and the statement Oxigraph refused, as a SourceError.

    >>> err = _unstorable(b'<http://x/a b> <http://x/p> "v" <http://x/graph/plan> .\\n', SyntaxError("bad IRI", ("", 1, 1, "")))
    >>> err.file, "http://x/a b" in str(err)
    ('http://x/graph/plan', True)
    """
    lines = data.splitlines()
    number = exc.lineno or 0
    statement = lines[number - 1].decode("utf-8", "replace") if 0 < number <= len(lines) else ""
    graph = statement.rsplit(" ", 2)[-2].strip("<>") if statement.count(" ") >= 2 else None
    return SourceError(f"RDF として保存できない値があります / a term RDF cannot hold: {exc.msg}: {statement[:300]}",
                       file=graph, field="IRI")


def validate_union(data: Graph, *, shapes: Graph | None = None) -> Any:
    """Run SHACL over ``data``; returns the validation module's report (``.conforms``, ``.report_text``)."""
    return validation_module().validate(data, shapes=shapes)


def load_graphs(
    store: Store,
    graphs: Mapping[URIRef, Graph],
    *,
    validate: bool = True,
    shapes: Graph | None = None,
    progress: Progress | None = None,
    rollups: bool = False,
) -> Store:
    """Replace the named graphs ``graphs`` in ``store``, after validating the result.

    Graphs not named in ``graphs`` are kept. With ``validate=False`` nothing is checked (tests
    and benchmarks of raw load speed). ``rollups``: an empty store gets its national roll-ups
    (:mod:`policykg.graph.summaries`) computed on the in-memory staging store and written with the data
    (on disk the same queries take 3–7 times as long); a store with content keeps them as every write does.

    :raises ValidationFailed: SHACL violations; the store is unchanged.
    :raises ImportError: ``validate=True`` but the validation module is missing; the store is unchanged.
    """
    say = progress or (lambda _msg: None)
    native = isinstance(store, OxigraphStore)
    staged_at = store.generation if native else None
    if validate:
        staging = stage(store, graphs)
        validation = validation_module()
        say(f"validating {len(staging):,} quads (the store after this load) against SHACL shapes")
        report = validation.validate(staging, shapes=shapes)
        validation.raise_for_report(report)
    elif native:
        staging = incoming(graphs)
        if not is_empty(store):  # the staging store holds the new graphs only: it cannot become the store
            staged_at = None
    names, maintained = list(graphs), False
    if rollups and validate and native and is_empty(store):
        say("computing the national roll-ups")
        summaries.rebuild(OxigraphStore.over(staging))
        names, maintained = [*names, META_GRAPH], True
    say(f"writing {len(graphs)} named graph(s)")
    if native:
        store.replace_from(staging, names, staged_at=staged_at, maintained=maintained)
    else:
        store.replace_graphs(graphs)
    return store


def incoming(graphs: Mapping[URIRef, Graph]) -> ox.Store:
    """An Oxigraph store holding ``graphs`` (only): the engine of bulk sources itself when every graph
    comes from one and keeps its name, else a staging copy (:func:`stage` without the store's content)."""
    engines = {id(native_source(g)): native_source(g) for g in graphs.values()}
    if len(engines) == 1 and None not in engines.values():
        engine = next(iter(engines.values()))
        if all(g.store.name == ox.NamedNode(str(name)) for name, g in graphs.items()):
            return engine
    return stage(None, graphs)


__all__ = ["load_graphs", "incoming", "stage", "store_view", "union_after", "validate_union", "validation_module", "Progress"]
