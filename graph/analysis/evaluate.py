"""How well do suggestions find the curated links? precision@1, recall@3, recall@5 and MRR.

Gold = the stated and curated alignments whose local item is a measure (never inferred ones).
Metrics are macro-averaged over the measures that have gold links; measures the curators left
unlinked are counted separately (a suggestion for them is not an error we can score).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rdflib import URIRef

from policykg.graph.analysis.suggest import METHODS, Method, rank, read_texts
from policykg.graph.queries import internal_query, select


def gold_links(store) -> dict[URIRef, set[URIRef]]:
    """Measure → national items it is linked to by stated or curated alignments (``evaluate-gold.rq``)."""
    gold: dict[URIRef, set[URIRef]] = {}
    for row in select(store, internal_query("evaluate-gold")):
        gold.setdefault(row["local"], set()).add(row["national"])
    return gold


def metrics(ranked: Mapping[URIRef, Sequence[URIRef]], gold: Mapping[URIRef, set[URIRef]]) -> dict:
    """precision@1, recall@3, recall@5 and MRR of rankings against gold (pure).

    >>> g = {"m1": {"a"}, "m2": {"b", "c"}}
    >>> r = {"m1": ["a", "x"], "m2": ["x", "b", "y", "z", "c"]}
    >>> metrics(r, g)["recall@3"], metrics(r, g)["mrr"]
    (0.75, 0.75)
    """
    scored = [m for m in sorted(gold) if gold[m]]
    if not scored:
        return {"measures": 0, "links": 0, "precision@1": 0.0, "recall@3": 0.0, "recall@5": 0.0, "mrr": 0.0}
    p1 = r3 = r5 = mrr = 0.0
    for m in scored:
        ranking, relevant = list(ranked.get(m, [])), gold[m]
        p1 += 1.0 if ranking[:1] and ranking[0] in relevant else 0.0
        r3 += len(relevant & set(ranking[:3])) / len(relevant)
        r5 += len(relevant & set(ranking[:5])) / len(relevant)
        first = next((i for i, n in enumerate(ranking, 1) if n in relevant), None)
        mrr += 1.0 / first if first else 0.0
    n = len(scored)
    return {
        "measures": n, "links": sum(len(gold[m]) for m in scored),
        "precision@1": round(p1 / n, 4), "recall@3": round(r3 / n, 4), "recall@5": round(r5 / n, 4), "mrr": round(mrr / n, 4),
    }


def evaluate_methods(store, methods: Sequence[str] | None = None) -> dict:
    """Metrics of each method in ``methods`` (default: all of :data:`METHODS`) against the store's gold links.

    :raises KeyError: an unknown method name.
    """
    measures, nationals = read_texts(store)
    gold = gold_links(store)
    return evaluate_texts(measures, nationals, gold, [METHODS[m] for m in (methods or list(METHODS))])


def evaluate_texts(measures, nationals, gold: Mapping[URIRef, set[URIRef]], methods: Sequence[Method]) -> dict:
    """As :func:`evaluate_methods` over already-read texts (pure)."""
    results = {}
    for method in methods:
        ranked = rank(measures, nationals, method)
        results[method.name] = {**metrics({m: [n for n, _s in r] for m, r in ranked.items()}, gold),
                                "parameters": method.parameters()}
    unlinked = sorted(str(m) for m in measures if not gold.get(m))
    return {"methods": results, "unlinked_measures": unlinked, "measures_total": len(measures)}


__all__ = ["gold_links", "metrics", "evaluate_methods", "evaluate_texts"]
