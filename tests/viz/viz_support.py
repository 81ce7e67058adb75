"""Helpers shared by the viz tests (a plain module, so test files can import it by a unique name)."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from rdflib import Dataset

from policykg.graph.store import OxigraphStore

DATA = Path(__file__).parent / "data"


def load_trig(path: Path, store: OxigraphStore | None = None) -> OxigraphStore:
    """A store holding the named graphs of one TriG file."""
    ds = Dataset()
    ds.parse(path, format="trig")
    graphs = defaultdict(list)
    for s, p, o, g in ds.quads((None, None, None, None)):
        graphs[g].append((s, p, o))
    store = store if store is not None else OxigraphStore()
    store.replace_graphs(dict(graphs))
    return store
