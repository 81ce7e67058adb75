"""Several jurisdictions side by side: which local plans a store holds, and a view of one of them.

A jurisdiction's local entities all live under ``pkid:<key>/`` (docs/model.md "IRIs"). The view
is an in-memory copy of the store without the other jurisdictions' entities and the alignments
that start from them, so the gap queries and trace answer for one government unchanged.
"""

from __future__ import annotations

from rdflib import URIRef

from policykg.errors import EntityNotFound
from policykg.graph.queries import internal_query, select
from policykg.graph.store import OxigraphStore, Store
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


__all__ = ["key_of", "jurisdictions", "check_key", "resolve_jurisdiction", "jurisdiction_view"]
