"""Measures (主な取組) with the directions they serve and the areas above them."""

from __future__ import annotations

from policykg import urls
from policykg.api.catalog.labels import label_index
from policykg.api.catalog.sparql import py_value, select
from policykg.errors import EntityNotFound
from policykg.graph.store import Store
from policykg.ids import local_id
from policykg.namespaces import PK


def list_measures(store: Store, lang: str) -> list[dict]:
    """Every measure in source order (first line it appears on), with directions and areas."""
    index = label_index(store)
    found: dict = {}
    for row in select(store, "measures"):
        entry = found.setdefault(row["m"], {"dirs": {}, "areas": [], "line": None})
        if row.get("dir") is not None:
            entry["dirs"].setdefault(row["dir"], py_value(row.get("dirNotation")))
        if row.get("area") is not None and row["area"] not in entry["areas"]:
            entry["areas"].append(row["area"])
        line = py_value(row.get("line"))
        if isinstance(line, int) and (entry["line"] is None or line < entry["line"]):
            entry["line"] = line
    items = []
    for measure, entry in found.items():
        dirs = sorted(entry["dirs"].items(), key=lambda kv: str(kv[1] or ""))
        items.append({
            **index.ref(measure, lang),
            "alt_labels": index.alt_labels(measure),
            "directions": [{**index.ref(d, lang), "notation": n} for d, n in dirs],
            "areas": sorted((index.ref(a, lang) for a in entry["areas"]), key=lambda r: r["id"]),
            "_line": entry["line"] if entry["line"] is not None else 10**9,
        })
    items.sort(key=lambda m: (m["_line"], m["label"]))
    for item in items:
        del item["_line"]
    return items


def get_measure(store: Store, measure_id: str, lang: str, *, items: list[dict] | None = None) -> dict:
    """One measure with its source locations and links to its trace and network view.

    ``items`` is :func:`list_measures` for the same store and language when the caller has it.

    :raises EntityNotFound: no measure has that id.
    """
    index = label_index(store)
    iri = index.by_id.get(measure_id)
    if iri is None or not index.has_type(iri, PK.Measure):
        raise EntityNotFound(f"主な取組が見つかりません / no measure with id {measure_id!r}")
    item = next(m for m in (list_measures(store, lang) if items is None else items) if m["iri"] == str(iri))
    return {
        **item,
        "source_locations": source_locations(store, iri, lang),
        "trace_url": urls.trace_url(local_id(iri)),
        "viz_url": urls.viz_url(local_id(iri), lang),
    }


def source_locations(store: Store, iri, lang: str) -> list[dict]:
    """Where the source states the entity: document, slide, section, line (sorted by line)."""
    index = label_index(store)
    locations = []
    for row in select(store, "source_locations", e=iri):
        doc = row.get("doc")
        locations.append({
            "document": index.ref(doc, lang) if doc is not None else None,
            "slide": py_value(row.get("slide")),
            "section": py_value(row.get("section")),
            "line": py_value(row.get("line")),
        })
    return sorted(locations, key=lambda loc: (loc["line"] or 0, loc["slide"] or 0))


__all__ = ["list_measures", "get_measure", "source_locations"]
