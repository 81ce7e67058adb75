"""Several jurisdictions side by side in the API and the pages: which local plans are loaded, which
jurisdiction a list item belongs to, lists filtered to one jurisdiction, and per national item what
each jurisdiction does for it (the canned query ``national-item-jurisdictions``).

A local entity belongs to the jurisdiction whose key is the first segment of its IRI path under
``pkid:`` (docs/model.md "IRIs"), so telling list items apart costs no query; national entities
belong to none (``jurisdiction`` is ``None``).
"""

from __future__ import annotations

from collections import defaultdict

from rdflib import URIRef

from policykg import urls
from policykg.api.catalog.labels import label_index
from policykg.api.catalog.sparql import py_value
from policykg.graph import queries
from policykg.graph.store import Store
from policykg.graph.jurisdictions import check_key, jurisdictions, key_of

__all__ = ["known", "key_of", "annotate", "only", "check_key", "supported_items", "item_jurisdictions", "item_rows"]

QUERY = "national-item-jurisdictions"

def known(store: Store, lang: str = "ja") -> dict[str, str]:
    """``{key: label}`` of the loaded jurisdictions in ``lang`` (ja fallback), in IRI order."""
    return jurisdictions(store, lang)


def annotate(items: list[dict], keys: dict[str, str]) -> list[dict]:
    """``items`` each with ``jurisdiction``: ``{key, label}`` of its jurisdiction, or ``None``."""
    out = []
    for item in items:
        key = key_of(item["iri"], keys)
        out.append({**item, "jurisdiction": {"key": key, "label": keys[key]} if key else None})
    return out


def only(items: list[dict], key: str) -> list[dict]:
    """The annotated ``items`` of jurisdiction ``key``."""
    return [i for i in items if (i.get("jurisdiction") or {}).get("key") == key]


def _rows(store: Store, item: URIRef | None = None) -> list[dict]:
    query = queries.load_query(QUERY)
    bindings = {"item": item} if item is not None else None
    return store.query(query.text, bindings=bindings).rows


def supported_items(store: Store, key: str) -> set[str]:
    """IRIs of the national items supported (directly or through a sub-item) by measures of ``key``."""
    return {str(r["item"]) for r in _rows(store) if key_of(r["localPlan"], None) == key}


def item_jurisdictions(store: Store, lang: str, keys: dict[str, str]) -> list[dict]:
    """Per supported national item: its reference, the number of jurisdictions, and per jurisdiction
    its key, label and number of supporting measures (most jurisdictions first, then item order)."""
    index = label_index(store)
    items: dict[str, dict] = {}
    per: dict[str, dict] = defaultdict(dict)
    for row in _rows(store):
        iri = str(row["item"])
        items.setdefault(iri, {**index.ref(URIRef(iri), lang), "jurisdiction_count": py_value(row["jurisdictions"])})
        key = key_of(row["localPlan"], None)
        per[iri][key] = {"key": key, "label": keys.get(key, key), "measures": py_value(row["measures"]),
                         "url": urls.entity_url(iri, lang)}
    out = []
    for iri, item in items.items():
        item["jurisdictions"] = sorted(per[iri].values(), key=lambda j: list(keys).index(j["key"])
                                       if j["key"] in keys else len(keys))
        item["measure_count"] = sum(j["measures"] or 0 for j in item["jurisdictions"])
        out.append(item)
    out.sort(key=lambda i: (-(i["jurisdiction_count"] or 0), -i["measure_count"], i["label"]))
    return out


def item_rows(items: list[dict]) -> tuple[list[dict], list[str]]:
    """CSV rows (one per national item and jurisdiction) and columns of :func:`item_jurisdictions`."""
    rows = [{"national_item": i["label"], "national_iri": i["iri"], "jurisdictions": i["jurisdiction_count"],
             "jurisdiction": j["label"], "jurisdiction_key": j["key"], "measures": j["measures"]}
            for i in items for j in i["jurisdictions"]]
    return rows, ["national_item", "national_iri", "jurisdictions", "jurisdiction", "jurisdiction_key", "measures"]
