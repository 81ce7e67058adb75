"""Label search that forgives spacing and full/half width (NFKC + whitespace removal + casefold)."""

from __future__ import annotations

from policykg.api.catalog.labels import label_index
from policykg.graph.store import Store
from policykg.ids import normalize_label
from policykg.namespaces import SKOS


def normalize_query(text: str) -> str:
    """What both the query and the labels are compared as.

    >>> normalize_query("ｉｃｔ　を活用した 鳥獣害対策")
    'ictを活用した鳥獣害対策'
    """
    return normalize_label(text).casefold()


INLINE_ENTITIES = 2_000
"""Up to this many labelled entities a search is a scan of a few milliseconds (about 7 µs an entity on
the project's machine: 3 ms for the bundled graph's 410), answered on the event loop without a thread
hop, so it keeps its speed while floods keep the loop busy (benchmarks/flood_bench.py). Larger graphs
search in the threadpool."""


def is_cheap(store: Store) -> bool:
    """Whether a search of ``store`` may run on the event loop (:data:`INLINE_ENTITIES`)."""
    return len(label_index(store).by_id) <= INLINE_ENTITIES


def search(store: Store, q: str, lang: str) -> list[dict]:
    """Entities whose ja/en labels (incl. altLabels) contain ``q``, best first.

    Rank: exact match, then prefix, then substring; a preferred label beats an alternative
    one; then the shorter label (closest to the query) wins.
    """
    needle = normalize_query(q)
    if not needle:
        return []
    index = label_index(store)
    hits = []
    for iri in index.by_id.values():
        best = None
        for pred, literal in index.all_labels(iri):
            hay = normalize_query(str(literal))
            pos = hay.find(needle)
            if pos < 0:
                continue
            tier = 0 if hay == needle else 1 if pos == 0 else 2
            rank = (tier, 1 if pred == SKOS.altLabel else 0, len(hay))
            if best is None or rank < best[0]:
                best = (rank, literal)
        if best is not None:
            rank, literal = best
            hits.append({
                **index.ref(iri, lang),
                "kind": index.kind(iri),
                "matched": str(literal),
                "matched_lang": literal.language,
                "score": round(1.0 / (1 + rank[0] + 0.5 * rank[1] + 0.01 * max(rank[2] - len(needle), 0)), 4),
                "_rank": rank,
            })
    hits.sort(key=lambda h: (h["_rank"], h["label"], h["id"]))
    for hit in hits:
        del hit["_rank"]
    return hits


__all__ = ["search", "normalize_query"]
