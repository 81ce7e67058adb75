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
from policykg.errors import EntityNotFound
from policykg.graph import queries
from policykg.graph.labels import pick_label
from policykg.graph.store import Store
from policykg.namespaces import ID, sparql_prefixes

__all__ = ["known", "key_of", "annotate", "only", "check_key", "supported_items", "item_jurisdictions",
           "item_rows", "TEXT", "text"]

QUERY = "national-item-jurisdictions"

_PLANS = sparql_prefixes() + """
SELECT ?plan ?name WHERE { ?plan a pk:LocalPlan . OPTIONAL { ?plan pk:jurisdiction ?name } } ORDER BY ?plan"""

TEXT = {
    "jurisdiction": {"ja": "自治体", "en": "Jurisdiction"},
    "all_jurisdictions": {"ja": "すべての自治体", "en": "All jurisdictions"},
    "show": {"ja": "表示", "en": "Show"},
    "jurisdictions": {"ja": "自治体", "en": "Jurisdictions"},
    "by_jurisdiction": {"ja": "自治体ごとの取組", "en": "What each jurisdiction does"},
    "national_item_jurisdictions": {"ja": "国の項目を支える自治体", "en": "Jurisdictions supporting national items"},
    "national_item_jurisdictions_text": {
        "ja": "国の項目ごとに、その項目（または下位項目）を明示または確認済みの対応付けで支える施策を持つ自治体と施策の数。"
              "項目名から、各自治体の取組の一覧へ進めます。",
        "en": "Per national item, the jurisdictions with measures supporting it (or a sub-item) through a stated or "
              "curated alignment, and how many. Follow an item to see what each jurisdiction does for it."},
    "jurisdiction_count": {"ja": "自治体数", "en": "Jurisdictions"},
    "measure_count": {"ja": "施策数", "en": "Measures"},
    "national_item": {"ja": "国の項目", "en": "National item"},
    "areas_of": {"ja": "分野", "en": "Areas"},
}
"""UI strings of the jurisdiction features (Japanese first; English with ``?lang=en``)."""


def text(key: str, lang: str) -> str:
    entry = TEXT[key]
    return entry.get(lang) or entry["ja"]


def known(store: Store, lang: str = "ja") -> dict[str, str]:
    """``{key: label}`` of the loaded jurisdictions in ``lang`` (ja fallback), in IRI order."""
    names: dict[str, list] = {}
    for row in store.query(_PLANS).rows:
        key = key_of(row["plan"], None)
        if key is None:
            continue
        entry = names.setdefault(key, [])
        if row.get("name") is not None and row["name"] not in entry:
            entry.append(row["name"])
    return {key: (pick_label(found, lang) or key) for key, found in names.items()}


def key_of(iri: object, keys: dict | None) -> str | None:
    """The jurisdiction key of a local entity's IRI (``None`` for national entities and vocabulary).

    >>> key_of("https://w3id.org/policykg/id/hokkaido/area/hokkaido-area-1", {"hokkaido": "北海道"})
    'hokkaido'
    >>> key_of("https://w3id.org/policykg/id/jp/digiden-strategy/n-1", {"hokkaido": "北海道"}) is None
    True
    """
    value = str(iri)
    if not value.startswith(str(ID)):
        return None
    key = value[len(str(ID)):].split("/", 1)[0]
    if keys is None:
        return key
    return key if key in keys else None


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


def check_key(keys: dict[str, str], value: str) -> str:
    """``value`` if it is a loaded jurisdiction's key (or its Japanese name: the key is returned).

    :raises EntityNotFound: no such jurisdiction; the message lists the known keys (ja, then en).
    """
    for key, name in keys.items():
        if value.strip() in (key, name):
            return key
    listing = "、".join(f"{name} ({key})" for key, name in keys.items()) or "なし"
    raise EntityNotFound(f"自治体「{value}」の計画はありません（読み込み済み: {listing}） / no jurisdiction {value!r}; "
                         f"known keys: {', '.join(keys) or 'none'}")


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
