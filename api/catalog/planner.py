"""The planner's first two questions as page data: which national policies a measure supports (with
its evidence and the chain up to plan, law and agency), and which local measures support a national
item (grouped by jurisdiction and area, rolled up from sub-items).

Built on the trace projection (:mod:`policykg.graph.analysis.trace`) plus one provenance query
(curator, date, source slide and line of each alignment). Every entity is a ``{id, iri, label, url}``
reference, so no page ever has to show an IRI or id as a link's text.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

from rdflib import URIRef

from policykg import words as i18n
from policykg.api.catalog.labels import label_index
from policykg.api.catalog.sparql import py_value, select
from policykg.labels import NATIONAL_KINDS
from policykg.graph.analysis.trace import measure_trace, national_trace, projection
from policykg.labels import pick_label
from policykg.graph.store import Store
from policykg.namespaces import PK

__all__ = ["measure_support", "national_support", "evidence_text", "relation_text", "SUGGESTIONS_SHOWN",
           "support_rows", "supporter_rows"]

SUGGESTIONS_SHOWN = 5
"""How many inferred candidates a measure without alignments shows."""

_EVIDENCE = {PK.Stated: "stated", PK.Curated: "curated", PK.Inferred: "inferred"}


def evidence_text(evidence: str | None, score: float | None, lang: str) -> str:
    """The evidence in words: 原文に記載 / 担当者が判断 / 自動推定 (with its score).

    >>> evidence_text("inferred", 0.4213, "ja"), evidence_text("curated", None, "en")
    ('自動推定（スコア 0.42）', 'curated')
    """
    if evidence not in ("stated", "curated", "inferred"):
        return evidence or ""
    text = i18n.t(f"ev_{evidence}", lang)
    if evidence == "inferred" and score is not None:
        return f"{text}（{i18n.t('score', lang)} {score:.2f}）" if lang == "ja" else f"{text} ({i18n.t('score', lang)} {score:.2f})"
    return text


def relation_text(relation: str | None, lang: str) -> str:
    """The relation in words, the same on every page (推進する / 寄与する).

    >>> relation_text("supports", "ja"), relation_text("contributes_to", "en")
    ('推進する', 'contributes to')
    """
    return i18n.t(f"rel_{relation}", lang) if relation in ("supports", "contributes_to") else ""


def _provenance(store: Store, lang: str) -> dict[tuple[str, str, str], dict]:
    """(local, national, evidence) → curator, date, curated-file line, slides and deck lines."""
    index = label_index(store)
    found: dict[tuple[str, str, str], dict] = {}
    for row in select(store, "alignment_details"):
        key = (str(row["local"]), str(row["national"]), _EVIDENCE.get(row["evidence"], str(row["evidence"])))
        entry = found.setdefault(key, {"curator": None, "date": None, "row_line": None, "document": None, "locations": []})
        if row.get("curatorLabel") is not None:
            entry["curator"] = str(row["curatorLabel"])
        elif row.get("curator") is not None and entry["curator"] is None:
            entry["curator"] = index.label(row["curator"], lang)
        if row.get("date") is not None:
            entry["date"] = str(py_value(row["date"]))[:10]
        if row.get("rowLine") is not None:
            entry["row_line"] = py_value(row["rowLine"])
        if row.get("rowDoc") is not None:
            entry["document"] = index.label(row["rowDoc"], lang)
        slide, line = py_value(row.get("slide")), py_value(row.get("line"))
        if (slide is not None or line is not None) and {"slide": slide, "line": line} not in entry["locations"]:
            entry["locations"].append({"slide": slide, "line": line})
    for entry in found.values():
        entry["locations"].sort(key=lambda loc: (loc["slide"] or 0, loc["line"] or 0))
    return found


def _ref(store: Store, iri: str | URIRef, lang: str) -> dict:
    return label_index(store).ref(URIRef(str(iri)), lang)


def _link(store: Store, local: str, national: str, link: dict, provenance: dict, lang: str) -> dict:
    prov = provenance.get((local, national, link["evidence"]), {})
    return {
        "relation": link.get("relation"),
        "relation_text": relation_text(link.get("relation"), lang),
        "evidence": link["evidence"],
        "evidence_text": evidence_text(link["evidence"], link.get("score"), lang),
        "score": link.get("score"),
        "rationale": link.get("rationale") or "",
        "curator": prov.get("curator"),
        "date": prov.get("date"),
        "source_document": prov.get("document"),
        "source_row": prov.get("row_line"),
        "source_locations": prov.get("locations", []),
    }


def _plan(store: Store, plan: dict | None, lang: str) -> dict | None:
    if plan is None:
        return None
    return {**_ref(store, plan["iri"], lang),
            "laws": [_ref(store, law["iri"], lang) for law in plan.get("laws", [])],
            "agency": _ref(store, plan["agency"]["iri"], lang) if plan.get("agency") else None}


def measure_support(store: Store, iri: URIRef, lang: str, *,
                    suggestions: Callable[[], list[dict]] | None = None) -> dict:
    """What the measure page shows at the top: each national item the measure supports, with the
    relation and evidence in words, rationale, curator, date and source, and the chain up to its
    pillar/strategy, plan, law and agency. Without any stated or curated link: ``supports`` is
    empty and ``suggestions`` holds the top inferred candidates (``suggestions()`` returns the
    output of :func:`policykg.graph.analysis.suggest.suggest`).
    """
    trace = measure_trace(projection(store), iri, lang=lang)
    provenance = _provenance(store, lang)
    supports = []
    for item in trace["supports"]:
        supports.append({
            **_ref(store, item["iri"], lang),
            "kind": label_index(store).kind(URIRef(item["iri"])),
            **_link(store, str(iri), item["iri"], item, provenance, lang),
            "ancestors": [_ref(store, a["iri"], lang) for a in item["ancestors"]],
            "plan": _plan(store, item["plan"], lang),
        })
    candidates = []
    if not supports and suggestions is not None:
        for entry in suggestions():
            if entry["measure"]["iri"] == str(iri):
                candidates = [{**_ref(store, c["iri"], lang), "score": c["score"],
                               "evidence_text": evidence_text("inferred", c["score"], lang)}
                              for c in entry["candidates"][:SUGGESTIONS_SHOWN]]
    return {
        "measure": _ref(store, iri, lang),
        "directions": [{**_ref(store, d["iri"], lang), "area": _ref(store, d["area"]["iri"], lang) if d.get("area") else None}
                       for d in trace["directions"]],
        "supports": supports,
        "suggestions": candidates,
    }


def _jurisdictions(store: Store, lang: str) -> dict[str, str]:
    """Local plan IRI → jurisdiction name; area IRI → the same name through its plan."""
    names: dict[str, list] = defaultdict(list)
    for row in select(store, "jurisdictions"):
        names[str(row["plan"])].append(row["jurisdiction"])
    by_plan = {plan: pick_label(values, lang) for plan, values in names.items()}
    out = dict(by_plan)
    for row in select(store, "areas"):
        if row.get("plan") is not None and str(row["plan"]) in by_plan:
            out[str(row["area"])] = by_plan[str(row["plan"])]
    return out


def national_support(store: Store, iri: URIRef, lang: str) -> dict:
    """What a national item's (or plan's) page shows: the local measures supporting it or any item
    below it, grouped by jurisdiction and then area, each link with its evidence; plus directions,
    roadmap rows and related indicators. ``groups`` is empty when no local measure supports it.
    """
    p = projection(store)
    trace = national_trace(p, iri, lang=lang)
    provenance = _provenance(store, lang)
    jurisdiction = _jurisdictions(store, lang)
    unknown = i18n.t("jurisdiction_unknown", lang)
    groups: dict[str, dict[str, dict]] = {}
    for measure in trace["measures"]:
        areas = [d["area"] for d in measure["directions"] if d.get("area")] or [None]
        entry = {
            **_ref(store, measure["iri"], lang),
            "directions": [_ref(store, d["iri"], lang) for d in measure["directions"]],
            "links": [{"via": _ref(store, link["via"]["iri"], lang), "direct": link["via"]["iri"] == str(iri),
                       **_link(store, measure["iri"], link["via"]["iri"], link, provenance, lang)}
                      for link in measure["links"]],
        }
        seen_areas = set()
        for area in areas:
            key = area["iri"] if area else ""
            if key in seen_areas:
                continue
            seen_areas.add(key)
            jur = jurisdiction.get(key, unknown) if area else unknown
            bucket = groups.setdefault(jur, {}).setdefault(key, {
                "area": _ref(store, area["iri"], lang) if area else None, "measures": []})
            bucket["measures"].append(entry)
    index = label_index(store)
    node = trace["national"]
    others = [
        {**_ref(store, local["iri"], lang), "kind": index.kind(URIRef(local["iri"])),
         "area": _ref(store, local["area"]["iri"], lang) if local.get("area") else None,
         "links": [{"via": _ref(store, link["via"]["iri"], lang),
                    **_link(store, local["iri"], link["via"]["iri"], link, provenance, lang)} for link in local["links"]]}
        for local in [*trace["directions"], *trace["roadmap_rows"]]
    ]
    measure_count = len(trace["measures"])
    return {
        "national": {**_ref(store, iri, lang), "kind": index.kind(iri),
                     "is_group": bool(p.into(iri, "broader")) or index.has_type(iri, PK.NationalPlan) or index.has_type(iri, PK.Guideline),
                     "ancestors": [_ref(store, a["iri"], lang) for a in node["ancestors"]],
                     "plan": _plan(store, node["plan"], lang)},
        "measure_count": measure_count,
        "groups": [{"jurisdiction": jur,
                    "areas": [areas[k] for k in sorted(areas, key=lambda k: p.sort_key(URIRef(k)) if k else ("~",))]}
                   for jur, areas in sorted(groups.items())],
        "others": others,
        "indicators": [{**_ref(store, i["iri"], lang), "direction": _ref(store, i["direction"]["iri"], lang)}
                       for i in trace["indicators"]],
    }


def is_national(store: Store, iri: URIRef) -> bool:
    """Whether the entity is a national item or plan (it gets the supporters panel)."""
    types = label_index(store).types.get(iri, set())
    return any(k in types for k in NATIONAL_KINDS)


def _locations_text(locations: list[dict], lang: str) -> str:
    slide, line = i18n.t("slide", lang), i18n.t("line", lang)
    return "; ".join(" ".join(x for x in (f"{slide} {loc['slide']}" if loc["slide"] is not None else "",
                                          f"{line} {loc['line']}" if loc["line"] is not None else "") if x)
                     for loc in locations)


def support_rows(view: dict, lang: str) -> list[dict]:
    """The measure panel as CSV rows (one per national item)."""
    return [{
        "measure": view["measure"]["label"], "national_item": s["label"], "national_iri": s["iri"],
        "relation": s["relation_text"], "evidence": s["evidence_text"], "score": s["score"],
        "rationale": s["rationale"], "curator": s["curator"], "date": s["date"],
        "source": _locations_text(s["source_locations"], lang), "source_row": s["source_row"],
        "chain": " > ".join(a["label"] for a in s["ancestors"]),
        "plan": s["plan"]["label"] if s["plan"] else "",
        "law": "、".join(law["label"] for law in (s["plan"] or {}).get("laws", [])),
        "agency": ((s["plan"] or {}).get("agency") or {}).get("label", ""),
    } for s in view["supports"]]


def supporter_rows(view: dict, lang: str) -> list[dict]:
    """The national item panel as CSV rows (one per measure and link)."""
    rows = []
    for group in view["groups"]:
        for area in group["areas"]:
            for m in area["measures"]:
                for link in m["links"]:
                    rows.append({
                        "national_item": view["national"]["label"], "jurisdiction": group["jurisdiction"],
                        "area": area["area"]["label"] if area["area"] else "", "measure": m["label"], "measure_iri": m["iri"],
                        "via": link["via"]["label"], "relation": link["relation_text"], "evidence": link["evidence_text"],
                        "rationale": link["rationale"], "curator": link["curator"], "date": link["date"],
                        "source": _locations_text(link["source_locations"], lang),
                    })
    return rows
