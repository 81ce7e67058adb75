"""Several jurisdictions side by side: which local plans a store holds, and a view of one of them.

A jurisdiction's local entities all live under ``pkid:<key>/`` (docs/model.md "IRIs"). The view
is an in-memory copy of the store without the other jurisdictions' entities and the alignments
that start from them, so the gap queries and trace answer for one government unchanged.
"""

from __future__ import annotations

from rdflib import URIRef

from policykg.errors import EntityNotFound
from policykg.graph.store import OxigraphStore, Store
from policykg.namespaces import ID, PK, sparql_prefixes

_PLANS = sparql_prefixes() + """
SELECT ?plan ?name WHERE { ?plan a pk:LocalPlan . OPTIONAL { ?plan pk:jurisdiction ?name FILTER(LANG(?name) = "ja") } }
ORDER BY ?plan"""

def jurisdictions(store: Store) -> dict[str, str]:
    """``{key: name}`` of the local plans in ``store`` (key = first IRI path segment, e.g. ``hokkaido``)."""
    out: dict[str, str] = {}
    for row in store.query(_PLANS).rows:
        key = str(row["plan"])[len(str(ID)):].split("/", 1)[0]
        out.setdefault(key, str(row.get("name", key)))
    return out


def resolve_jurisdiction(store: Store, text: str) -> str:
    """The key of the jurisdiction named by its key or its Japanese name.

    :raises EntityNotFound: no local plan of that jurisdiction (the message lists those loaded).
    """
    known = jurisdictions(store)
    for key, name in known.items():
        if text.strip() in (key, name):
            return key
    listing = "、".join(f"{name} ({key})" for key, name in known.items()) or "なし / none"
    raise EntityNotFound(f"自治体「{text}」の計画がありません（読み込み済み: {listing}） / no local plan of {text!r} "
                         f"(loaded: {listing})")


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


__all__ = ["jurisdictions", "resolve_jurisdiction", "jurisdiction_view"]
