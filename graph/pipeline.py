"""Validate-then-write: the one way graphs get into a store.

A load must never leave a half-written or invalid store behind, because the API may be serving
from it. So the pipeline first builds the graph the store *would* hold (its current content with
the incoming named graphs replaced), validates that union with SHACL, and only then hands the new
graphs to :meth:`Store.replace_graphs`, which is all-or-nothing. Parsing happens before this
module is called; a parse or validation failure therefore never touches the store.

This module knows nothing about file formats (loaders do that) and never imports them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import ModuleType
from typing import Any

from rdflib import Graph, URIRef

from policykg.graph.store import Store

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
) -> Store:
    """Replace the named graphs ``graphs`` in ``store``, after validating the result.

    Graphs not named in ``graphs`` are kept. With ``validate=False`` nothing is checked (tests
    and benchmarks of raw load speed).

    :raises ValidationFailed: SHACL violations; the store is unchanged.
    :raises ImportError: ``validate=True`` but the validation module is missing; the store is unchanged.
    """
    say = progress or (lambda _msg: None)
    if validate:
        validation = validation_module()
        say(f"validating {sum(len(g) for g in graphs.values())} new triples against SHACL shapes")
        report = validation.validate(union_after(store, graphs), shapes=shapes)
        validation.raise_for_report(report)
    say(f"writing {len(graphs)} named graph(s)")
    store.replace_graphs(graphs)
    return store


__all__ = ["load_graphs", "union_after", "validate_union", "validation_module", "Progress"]
