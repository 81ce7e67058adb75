"""Helpers shared by the viz tests (a plain module, so test files can import it by a unique name)."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from rdflib import Dataset

from policykg.graph.store import OxigraphStore, Store
from policykg.namespaces import sparql_prefixes

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


def sparql_count(store: Store, classes: str) -> int:
    """Distinct subjects typed with any of ``classes`` (space-separated, e.g. "pk:Measure pk:PolicyArea")."""
    query = sparql_prefixes() + f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ VALUES ?c {{ {classes} }} ?s a ?c }}"
    return int(store.query(query).rows[0]["n"])
