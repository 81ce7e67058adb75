"""One entity: resolve ``/id/<path>``, describe it as RDF, and lay it out for its page."""

from __future__ import annotations

import re
from collections import defaultdict

from rdflib import BNode, Graph, Literal, URIRef

from policykg import urls
from policykg.api.catalog.labels import LabelIndex, label_index
from policykg.api.catalog.measures import source_locations
from policykg.api.catalog.sparql import load_rq
from policykg.namespaces import term_name
from policykg.errors import EntityNotFound
from policykg.graph.cache import store_cached
from policykg.graph.store import GraphResult, Store
from policykg.ids import local_id
from policykg.namespaces import DCTERMS, PK, PREFIXES, RDF, RDFS, SKOS, XSD

_SAFE_PATH = re.compile(r"[A-Za-z0-9._~-]+(?:/[A-Za-z0-9._~-]+)*")
"""Entity paths per docs/model.md; anything else is never put into a query (it cannot be ours)."""

HIDDEN_OUT = {PK.sourceLocation}
"""Shown in their own section of the page, not as relations."""
LABEL_PREDICATES = {RDF.type, SKOS.prefLabel, SKOS.altLabel, RDFS.label, DCTERMS.title}
"""Shown as the page's labels and classes, not repeated as relations."""


def resolve(store: Store, path: str) -> tuple[URIRef, str | None]:
    """The entity IRI for ``/id/<path>`` and the RDF suffix asked for (``.ttl`` …), if any.

    A path is first tried whole (ids may contain dots), then without a known suffix.

    :raises EntityNotFound: no triple mentions the IRI.
    """
    index = label_index(store)
    candidates = [(path, None)]
    for suffix in urls.RDF_SUFFIXES:
        if path.endswith(suffix) and len(path) > len(suffix):
            candidates.append((path[: -len(suffix)], suffix))
    for candidate, suffix in candidates:
        iri = urls.iri_from_path(candidate)
        if iri in index.types or iri in index.names:
            return iri, suffix
        if _SAFE_PATH.fullmatch(candidate) and _mentioned(store, iri):
            return iri, suffix
    raise EntityNotFound(f"対象が見つかりません / no entity at /id/{path}")


def _mentioned(store: Store, iri: URIRef) -> bool:
    result = store.query(load_rq("mentioned"), bindings={"e": iri})
    return bool(getattr(result, "value", False))


def describe(store: Store, iri: URIRef) -> Graph:
    """The entity's triples both ways plus its blank-node closure, with our prefixes bound."""
    result = store.query(load_rq("describe"), bindings={"e": iri})
    graph = Graph()
    if isinstance(result, GraphResult):
        for s, p, o in result.graph:
            graph.add((s, p, _plain(o)))
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns)
    return graph


def _plain(term):
    """``"x"^^xsd:string`` as the equal simple literal ``"x"`` (RDF 1.1), for tidy Turtle."""
    if isinstance(term, Literal) and term.datatype == XSD.string:
        return Literal(str(term))
    return term


def entity_view(store: Store, iri: URIRef, lang: str, property_label) -> dict:
    """Everything the entity page shows, as plain data.

    ``property_label(predicate, lang)`` names predicates in the page language (from the ontology).
    """
    index = label_index(store)
    graph = describe(store, iri)
    types = sorted(o for o in graph.objects(iri, RDF.type) if isinstance(o, URIRef))
    kind = index.kind(iri)
    details = unnamed_details(store, lang)
    outgoing = _relations(graph.predicate_objects(iri), graph, index, lang, property_label, details, skip=HIDDEN_OUT)
    incoming = _relations(
        ((p, s) for s, p in graph.subject_predicates(iri) if not isinstance(s, BNode)),
        graph, index, lang, property_label, details, skip=set(),
    )
    ident = local_id(iri)
    links = {"viz": urls.viz_url(ident, lang), "turtle": urls.rdf_url(iri, ".ttl"),
             "jsonld": urls.rdf_url(iri, ".jsonld"), "ntriples": urls.rdf_url(iri, ".nt")}
    if PK.Measure in types:
        links["trace"] = urls.trace_url(ident)
        links["json"] = urls.measure_api_url(ident, lang)
    if PK.NationalItem in types:
        links["supporters"] = urls.supporters_url(ident)
    return {
        "id": ident,
        "iri": str(iri),
        "label": index.label(iri, lang) if iri in index.names else _unnamed(ident, types, lang, property_label, details.get(iri)),
        "kind": kind,
        "labels": [
            {"predicate": property_label(p, lang), "value": str(lit), "lang": lit.language}
            for p, lit in sorted(index.all_labels(iri), key=lambda pl: (str(pl[0]), str(pl[1])))
        ],
        "types": [{"iri": str(t), "label": property_label(t, lang)} for t in types],
        "outgoing": outgoing,
        "incoming": incoming,
        "source_locations": source_locations(store, iri, lang),
        "links": links,
        "triples": len(graph),
    }


def _unnamed(ident: str, types: list[URIRef], lang: str, property_label, detail: str | None = None) -> str:
    """A name for a node without a label (alignments, targets, baselines …): its class and what
    describes it (``対応付け: 北海道型のMaaSの展開 → 観光DX``, ``目標値: 179団体 (2026-03-31)``),
    never an opaque id when the class is known."""
    ours = [t for t in types if str(t).startswith(str(PK)) and t not in _UMBRELLA_TYPES] or types
    if not ours:
        return detail or ident
    name = property_label(ours[0], lang)
    return f"{name}: {detail}" if detail else name


_UMBRELLA_TYPES = {PK.Indicator, PK.NationalItem}


def unnamed_details(store: Store, lang: str) -> dict[URIRef, str]:
    """Node → describing text for unlabelled nodes, one query per store generation and language."""
    return store_cached(store, ("unnamed-details", lang), lambda: _unnamed_details(store, lang))


def _unnamed_details(store: Store, lang: str) -> dict[URIRef, str]:
    index = label_index(store)
    out: dict[URIRef, str] = {}
    for row in store.query(load_rq("unnamed")).rows:
        s = row["s"]
        if row.get("local") is not None:
            out[s] = f"{index.label(row['local'], lang)} → {index.label(row['national'], lang)}"
        elif row.get("asOf") is not None:
            out[s] = str(row["asOf"])
        else:
            if row.get("valueText") is not None:
                text = str(row["valueText"])
            elif row.get("value") is not None:
                text = f"{row['value']}{row.get('unitText') or ''}"
            else:
                text = ""
            if row.get("date") is not None:
                text = f"{text} ({row['date']})" if text else str(row["date"])
            if text:
                out[s] = text
    return out


def _relations(pairs, graph: Graph, index: LabelIndex, lang: str, property_label, details: dict, skip: set) -> list[dict]:
    grouped: dict = defaultdict(list)
    for pred, obj in pairs:
        if pred in skip or pred in LABEL_PREDICATES:
            continue
        grouped[pred].append(_value(obj, graph, index, lang, property_label, details, depth=0))
    rows = [
        {"predicate": str(p), "label": property_label(p, lang),
         "values": sorted(vals, key=lambda v: (v["kind"], v["text"]))}
        for p, vals in grouped.items()
    ]
    return sorted(rows, key=lambda r: (r["label"], r["predicate"]))


def _value(obj, graph: Graph, index: LabelIndex, lang: str, property_label, details: dict, depth: int) -> dict:
    """A relation's object as something a template can print (never as raw markup)."""
    if isinstance(obj, Literal):
        return {"kind": "literal", "text": str(obj), "lang": obj.language,
                "datatype": term_name(obj.datatype) if obj.datatype else None}
    if isinstance(obj, BNode):
        parts = [] if depth > 3 else [
            {"label": property_label(p, lang), "value": _value(o, graph, index, lang, property_label, details, depth + 1)}
            for p, o in sorted(graph.predicate_objects(obj), key=lambda po: (str(po[0]), str(po[1])))
            if p != RDF.type
        ]
        return {"kind": "node", "text": " ".join(str(p["value"]["text"]) for p in parts), "parts": parts}
    if urls.is_entity(obj):
        text = index.label(obj, lang) if obj in index.names else _unnamed(
            local_id(obj), sorted(index.types.get(obj, ())), lang, property_label, details.get(obj))
        return {"kind": "entity", "text": text, "url": urls.entity_url(obj, lang), "id": local_id(obj)}
    return {"kind": "term", "text": property_label(obj, lang), "url": str(obj)}


__all__ = ["resolve", "describe", "entity_view", "EntityNotFound"]
