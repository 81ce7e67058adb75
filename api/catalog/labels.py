"""The label index of the store's current generation, cached for the JSON API and the pages.

The index itself is :class:`policykg.labels.LabelIndex` (who is called what, and what it is), read
with two queries (:func:`policykg.graph.queries.read_label_index`) and reused until the store changes
(``store.generation``), so list endpoints and search never issue one label query per row.
"""

from __future__ import annotations

from policykg.graph.cache import store_cached
from policykg.graph.queries import read_label_index
from policykg.graph.store import Store
from policykg.labels import LabelIndex

def label_index(store: Store) -> LabelIndex:
    """The index for the store's current generation (rebuilt after any write)."""
    return store_cached(store, "label-index", lambda: read_label_index(store))


__all__ = ["LabelIndex", "label_index"]
