"""National roll-ups kept in the store, maintained when data is written, never recomputed per request.

One owner for the meta graph ``urn:policykg:meta`` (:data:`policykg.graph.jurisdictions.META_GRAPH`):

* the **index**: per named graph, the jurisdictions whose entities it holds (``meta:indexed``,
  ``meta:holds``), which scopes queries to one jurisdiction (:mod:`policykg.graph.jurisdictions`);
* per **jurisdiction**: the count of each gap kind of its own entities (:data:`GAP_KINDS`), how many of
  its measures support each national item (stated or curated alignment to the item or a
  ``skos:broader*`` sub-item; inferred never counts), and its recorded indicator statuses per
  assessment date;
* **national totals**: per national item (every one, zeros included) the number of jurisdictions and
  of measures supporting it; per assessment date and status the number of recorded assessments.

Every write method of the stores calls :func:`maintain` with the named graphs the write touched,
under the store's write lock: only the jurisdictions held by those graphs (before or after the
write) are recomputed, each over its own scope (a few queries of a few ms), and the totals are
adjusted by the difference. A write to a graph holding no jurisdiction (the national side), or one
whose graphs are unknown (a SPARQL Update run as text), recomputes everything from the whole graph.

* the **sources** a store was built from: per named graph, the fingerprint of the source file it was
  read from (``meta:source``), so ``policykg build --store DIR --add plan.xlsx`` reads again only what
  changed (:func:`policykg.graph.build.build_store`). Any other write to a graph forgets its fingerprint.

Summaries are kept once a store has them: :func:`rebuild` (``policykg build``) writes them and the
marker ``<urn:policykg:meta> meta:summaries true``; a store without the marker is left alone by
:func:`maintain` (so small test stores pay nothing), and :func:`ensure` builds them once on first read.

``indicators_past_target_without_observation`` depends on the calendar: it is counted as of the day
of the write (``meta:asOf`` on each jurisdiction's node says which day).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from policykg.graph import jurisdictions as juris
from policykg.graph.jurisdictions import HOLDS, INDEXED, META, META_GRAPH, NATIONAL, key_of
from policykg.graph.queries import internal_query, load_query, select
from policykg.graph.store import Store, on_write
from policykg.labels import pick_label

GAP_KINDS: dict[str, tuple[str | None, str, str]] = {
    # kind: (canned query, variable naming the jurisdiction's entity, variable counted)
    "national_items_without_measures": (None, "", ""),
    "measures_without_alignment": ("measures-without-alignment", "measure", "measure"),
    "directions_without_numeric_indicator": ("directions-without-numeric-indicator", "direction", "direction"),
    "indicators_without_baseline": ("indicators-without-baseline", "indicator", "indicator"),
    "indicators_without_target": ("indicators-without-target", "indicator", "indicator"),
    "indicators_past_target_without_observation": ("indicators-past-target-without-observation", "indicator", "target"),
    "roadmap_rows_without_measure_or_indicator": ("roadmap-rows-without-measure-or-indicator", "row", "row"),
    "roadmap_phases_without_measure_or_indicator": ("roadmap-phases-without-measure-or-indicator", "phase", "phase"),
}
"""The gap kinds counted per jurisdiction (the lists of ``/api/gaps``, only the jurisdiction's own
entities: national items without measures = the national items none of its measures supports)."""

OF = URIRef(META + "of")
KEY = URIRef(META + "key")
ITEM = URIRef(META + "item")
MEASURES = URIRef(META + "measures")
JURISDICTIONS = URIRef(META + "jurisdictions")
AS_OF = URIRef(META + "asOf")
STATUS = URIRef(META + "status")
COUNT = URIRef(META + "count")
TOTAL = URIRef(META + "total")
ENABLED = URIRef(META + "summaries")
NAME = URIRef(META + "name")
GAP_ROW = URIRef(META + "gapRow")
STORE_NODE = URIRef("urn:policykg:meta")
GAP = {kind: URIRef(META + "gap/" + kind) for kind in GAP_KINDS}

WHOLE_GRAPH_ABOVE = 64
"""More touched jurisdictions than this: one pass over the whole graph beats one scoped pass each."""


@dataclass
class Jurisdiction:
    """What the meta graph keeps of one jurisdiction."""

    gaps: dict[str, int] = field(default_factory=dict)
    support: dict[str, int] = field(default_factory=dict)
    """National item IRI → number of the jurisdiction's measures supporting it (only items > 0)."""
    statuses: dict[tuple[str, str], int] = field(default_factory=dict)
    """(assessment date, status IRI) → number of recorded assessments."""
    name: str = ""
    """The jurisdiction's name (Japanese, else any, else the key)."""


@dataclass
class Totals:
    items: dict[str, tuple[int, int]] = field(default_factory=dict)
    """National item IRI → (jurisdictions, measures), every national item (zeros included)."""
    statuses: dict[tuple[str, str], int] = field(default_factory=dict)


# --- computing from the data ----------------------------------------------------------------


def _national(store: Store) -> tuple[set[str], set[str]]:
    """(every national item, those with a plan: the ones ``national-items-without-measures`` lists)."""
    items, listed = set(), set()
    for row in select(store, internal_query("summary-national-items")):
        items.add(str(row["item"]))
        if row.get("plan") is not None:
            listed.add(str(row["item"]))
    return items, listed


def compute(store: Store, keys: Iterable[str], *, as_of: dt.date | None = None,
            national: tuple[set[str], set[str]] | None = None) -> dict[str, Jurisdiction]:
    """The summaries of jurisdictions ``keys`` from the data of ``store`` (the whole store, or one
    jurisdiction's :class:`~policykg.graph.jurisdictions.ScopedStore`): rows are grouped by the key of
    the entity they are about, so both give the same answer for a jurisdiction."""
    keys = set(keys)
    day = as_of or dt.date.today()
    out = {k: Jurisdiction(gaps={kind: 0 for kind in GAP_KINDS}, name=k) for k in keys}
    items, listed = national if national is not None else _national(store)
    names: dict[str, list] = defaultdict(list)
    for row in select(store, internal_query("local-plans")):
        k = key_of(row["plan"], None)
        if k in keys and row.get("name") is not None and row["name"] not in names[k]:
            names[k].append(row["name"])
    for k, found in names.items():
        out[k].name = pick_label(found, "ja") or k
    for kind, (name, key_var, count_var) in GAP_KINDS.items():
        if name is None:
            continue
        query = load_query(name)
        bindings = {"asOf": Literal(day.isoformat(), datatype=XSD.date)} if any(p.name == "asOf" for p in query.params) else None
        seen: dict[str, set] = defaultdict(set)
        for row in select(store, query, bindings):
            k = key_of(row.get(key_var, ""), None)
            if k in keys:
                seen[k].add(row.get(count_var))
        for k, found in seen.items():
            out[k].gaps[kind] = len(found)
    # support: measures of k aligned (stated/curated) to an item or one of its sub-items
    supported: dict[str, set[str]] = defaultdict(set)
    per_item: dict[str, dict[str, set]] = defaultdict(lambda: defaultdict(set))
    for row in select(store, internal_query("summary-support")):
        k = key_of(row["measure"], None)
        if k not in keys:
            continue
        ancestor = str(row["item"])
        supported[k].add(ancestor)
        if ancestor in items:
            per_item[k][ancestor].add(row["measure"])
    for k in keys:
        out[k].gaps["national_items_without_measures"] = len(listed - supported[k])
        out[k].support = {item: len(m) for item, m in per_item[k].items()}
    counts: dict[str, Counter] = defaultdict(Counter)
    for row in select(store, load_query("indicator-status")):
        k = key_of(row["indicator"], None)
        if k in keys:
            counts[k][(str(row["asOf"]), str(row["recorded"]))] += 1
    for k, c in counts.items():
        out[k].statuses = dict(c)
    return out


def totals_of(summaries: Mapping[str, Jurisdiction], items: Iterable[str]) -> Totals:
    """National totals of per-jurisdiction summaries (every item of ``items`` listed)."""
    totals = Totals(items={i: (0, 0) for i in items})
    for s in summaries.values():
        for item, n in s.support.items():
            j, m = totals.items.get(item, (0, 0))
            totals.items[item] = (j + (1 if n else 0), m + n)
        for status, n in s.statuses.items():
            totals.statuses[status] = totals.statuses.get(status, 0) + n
    return totals


def recompute(store: Store, *, as_of: dt.date | None = None) -> tuple[dict[str, Jurisdiction], Totals, dict]:
    """Everything from scratch, over the whole graph: (per jurisdiction, totals, graph index)."""
    keys = juris.local_keys(store)
    national = _national(store)
    per = compute(store, keys, as_of=as_of, national=national)
    return per, totals_of(per, national[0]), juris.compute_graph_keys(store, keys=keys)


# --- reading the meta graph ----------------------------------------------------------------


def enabled(store: Store) -> bool:
    return bool(select(store, internal_query("summary-enabled")))


def read(store: Store, keys: Iterable[str] | None = None) -> tuple[dict[str, Jurisdiction], Totals]:
    """The summaries kept in the meta graph (of ``keys`` only when given, with the totals either way)."""
    wanted = None if keys is None else set(keys)
    per: dict[str, Jurisdiction] = {}
    bindings_list = [None] if wanted is None else [{"key": Literal(k)} for k in sorted(wanted)]
    for bindings in bindings_list:
        for row in select(store, internal_query("summary-jurisdiction-rows"), bindings):
            k = str(row["key"])
            s = per.setdefault(k, Jurisdiction())
            if row.get("name") is not None:
                s.name = str(row["name"])
            elif row.get("gap") is not None:
                s.gaps[str(row["gap"])[len(META) + 4:]] = int(row["n"])
            elif row.get("item") is not None:
                s.support[str(row["item"])] = int(row["n"])
            elif row.get("status") is not None:
                s.statuses[(str(row["asOf"]), str(row["status"]))] = int(row["n"])
    totals = Totals()
    for row in select(store, internal_query("summary-totals")):
        if row.get("item") is not None:
            totals.items[str(row["item"])] = (int(row["jurisdictions"]), int(row["n"]))
        else:
            totals.statuses[(str(row["asOf"]), str(row["status"]))] = int(row["n"])
    return per, totals


# --- writing the meta graph -----------------------------------------------------------------


def _h(*parts: str) -> str:
    return hashlib.sha1("\x00".join(parts).encode("utf-8")).hexdigest()[:16]


def _jurisdiction_triples(key: str, s: Jurisdiction, day: dt.date) -> list[tuple]:
    node = URIRef(f"{META}j/{_h(key)}")
    out = [(node, OF, Literal(key)), (node, KEY, Literal(key)), (node, AS_OF, Literal(day.isoformat(), datatype=XSD.date)),
           (node, NAME, Literal(s.name))]
    out += [(node, GAP[kind], Literal(n)) for kind, n in sorted(s.gaps.items())]
    # the same as one JSON literal: /api/rollups reads every jurisdiction with one range scan of one
    # predicate (10M on disk: 1,789 rows in tens of ms, against ~1 s for the join of eleven patterns)
    row = {"key": key, "label": s.name, "as_of": day.isoformat(), "gaps": {k: s.gaps.get(k, 0) for k in GAP_KINDS}}
    out.append((node, GAP_ROW, Literal(json.dumps(row, ensure_ascii=False, separators=(",", ":")))))
    for item, n in sorted(s.support.items()):
        row = URIRef(f"{META}j/{_h(key)}/item/{_h(item)}")
        out += [(row, OF, Literal(key)), (row, ITEM, URIRef(item)), (row, MEASURES, Literal(n))]
    for (as_of, status), n in sorted(s.statuses.items()):
        row = URIRef(f"{META}j/{_h(key)}/status/{_h(as_of, status)}")
        out += [(row, OF, Literal(key)), (row, AS_OF, Literal(as_of, datatype=XSD.date)),
                (row, STATUS, URIRef(status)), (row, COUNT, Literal(n))]
    return out


def _totals_triples(t: Totals) -> list[tuple]:
    out = []
    for item, (j, m) in sorted(t.items.items()):
        row = URIRef(f"{META}item/{_h(item)}")
        out += [(row, TOTAL, Literal(True)), (row, ITEM, URIRef(item)), (row, JURISDICTIONS, Literal(j)),
                (row, MEASURES, Literal(m))]
    for (as_of, status), n in sorted(t.statuses.items()):
        if n:
            row = URIRef(f"{META}status/{_h(as_of, status)}")
            out += [(row, TOTAL, Literal(True)), (row, AS_OF, Literal(as_of, datatype=XSD.date)),
                    (row, STATUS, URIRef(status)), (row, COUNT, Literal(n))]
    return out


def _index_triples(index: Mapping[URIRef, frozenset[str]]) -> list[tuple]:
    out = []
    for g, keys in sorted(index.items()):
        out.append((g, INDEXED, Literal(True)))
        out += [(g, HOLDS, Literal(k)) for k in sorted(keys)] if keys else [(g, NATIONAL, Literal(True))]
    return out


def _data_block(triples: Iterable[tuple]) -> str:
    body = "\n".join(f"{s.n3()} {p.n3()} {o.n3()} ." for s, p, o in triples)
    return f"GRAPH <{META_GRAPH}> {{\n{body}\n}}"


def rebuild_update(store: Store, *, as_of: dt.date | None = None) -> str:
    """The SPARQL Update text replacing the whole meta graph's summaries and index (from scratch)."""
    day = as_of or dt.date.today()
    per, totals, index = recompute(store, as_of=day)
    triples = [(STORE_NODE, ENABLED, Literal(True))] + _index_triples(index) + _totals_triples(totals)
    for key, s in sorted(per.items()):
        triples += _jurisdiction_triples(key, s, day)
    return (f"DELETE WHERE {{ GRAPH <{META_GRAPH}> {{ ?g <{INDEXED}> ?i }} }} ;\n"
            f"DELETE WHERE {{ GRAPH <{META_GRAPH}> {{ ?g <{HOLDS}> ?k }} }} ;\n"
            f"DELETE WHERE {{ GRAPH <{META_GRAPH}> {{ ?g <{NATIONAL}> ?n }} }} ;\n"
            f"DELETE WHERE {{ GRAPH <{META_GRAPH}> {{ ?s <{OF}> ?k ; ?p ?o }} }} ;\n"
            f"DELETE WHERE {{ GRAPH <{META_GRAPH}> {{ ?s <{TOTAL}> ?t ; ?p ?o }} }} ;\n"
            f"INSERT DATA {{ {_data_block(triples)} }}")


def rebuild(store: Store, *, as_of: dt.date | None = None) -> None:
    """Write the summaries from scratch and keep them from now on (``policykg build`` calls this after loading)."""
    store.write_meta(rebuild_update(store, as_of=as_of))


def ensure(store: Store) -> None:
    """Build the summaries once if the store keeps none yet (the first roll-up request of a store built before them)."""
    if not enabled(store):
        rebuild(store)


def _triples_of(store: Store, keys: Iterable[str]) -> list[tuple]:
    out = []
    for k in sorted(set(keys)):
        for row in select(store, internal_query("summary-triples-of"), {"key": Literal(k)}):
            out.append((row["s"], row["p"], row["o"]))
    return out


def _total_triples_now(store: Store) -> list[tuple]:
    return [(r["s"], r["p"], r["o"]) for r in select(store, internal_query("summary-total-triples"))]


def maintain_update(store: Store, touched, *, as_of: dt.date | None = None) -> str | None:
    """The SPARQL Update that brings the meta graph up to date after a write touching the named graphs
    ``touched`` (an iterable, a function returning one, or ``None``: unknown), or ``None`` when the store
    keeps no summaries or nothing changes."""
    if not enabled(store):
        return None
    if callable(touched):
        touched = touched()
    if touched is None:
        return rebuild_update(store, as_of=as_of)
    touched = {URIRef(g) for g in touched if URIRef(g) != META_GRAPH}
    if not touched:
        return None
    old_index = _entries(store, touched)
    known = juris.local_keys(store)
    present = set(store.graph_names())
    new_index = juris.compute_graph_keys(store, [g for g in sorted(touched) if g in present], keys=known)
    affected: set[str] = set()
    for g in touched:
        before, after = old_index.get(g), new_index.get(g)
        if (before is not None and not before) or (after is not None and not after and g in present):
            return rebuild_update(store, as_of=as_of)  # the national side changed: every jurisdiction
        affected |= set(before or ()) | set(after or ())
    day = as_of or dt.date.today()
    old, totals = read(store, affected)
    if len(affected) > WHOLE_GRAPH_ABOVE:
        new = compute(store, affected & known, as_of=day)
    else:
        national = _national(store)
        new = {}
        for k in sorted(affected & known):
            index = dict(juris.indexed_scope(store, k) or {})  # as indexed before this write...
            for g in touched:  # ...with the touched graphs as they are now
                index.pop(g, None)
                if g in new_index and (not new_index[g] or k in new_index[g]):
                    index[g] = new_index[g]
            new.update(compute(juris.ScopedStore(store, k, index), {k}, as_of=day, national=national))
    # adjust the totals by the difference
    for k in affected:
        before, after = old.get(k, Jurisdiction()), new.get(k, Jurisdiction())
        for item in set(before.support) | set(after.support):
            b, a = before.support.get(item, 0), after.support.get(item, 0)
            j, m = totals.items.get(item, (0, 0))
            totals.items[item] = (j - (1 if b else 0) + (1 if a else 0), m - b + a)
        for status in set(before.statuses) | set(after.statuses):
            totals.statuses[status] = totals.statuses.get(status, 0) - before.statuses.get(status, 0) + after.statuses.get(status, 0)
    remove = _triples_of(store, affected) + _total_triples_now(store)
    remove += [(g, INDEXED, Literal(True)) for g in touched if g in old_index]
    remove += [(g, NATIONAL, Literal(True)) for g in touched if g in old_index and not old_index[g]]
    remove += [(g, HOLDS, Literal(k)) for g in touched for k in old_index.get(g, ())]
    add = _totals_triples(totals) + _index_triples({g: new_index[g] for g in touched if g in new_index})
    for k, s in sorted(new.items()):
        add += _jurisdiction_triples(k, s, day)
    parts = []
    if remove:
        parts.append(f"DELETE DATA {{ {_data_block(remove)} }}")
    if add:
        parts.append(f"INSERT DATA {{ {_data_block(add)} }}")
    return " ;\n".join(parts) or None


def _entries(store: Store, graphs: Iterable[URIRef]) -> dict[URIRef, frozenset[str]]:
    """The meta graph's index entries of ``graphs`` (graphs not indexed are left out)."""
    return juris.keys_by_graph(({**row, "g": g} for g in graphs
                                for row in select(store, internal_query("meta-graph-entry"), {"g": g})), "key")


SOURCE = URIRef(META + "source")


def source_digests(store: Store) -> dict[str, set[URIRef]]:
    """Fingerprint → the named graphs read from a source with that fingerprint (empty: none recorded)."""
    held: dict[str, set[URIRef]] = defaultdict(set)
    for row in select(store, internal_query("meta-sources")):
        held[str(row["digest"])].add(URIRef(row["graph"]))
    return dict(held)


def record_sources_update(records: Mapping[URIRef, str]) -> str | None:
    """The update recording that each named graph of ``records`` was read from the source with that fingerprint."""
    triples = [(URIRef(g), SOURCE, Literal(d)) for g, d in sorted(records.items())]
    return f"INSERT DATA {{ {_data_block(triples)} }}" if triples else None


def forget_sources_update(store: Store, touched: Iterable[URIRef] | None) -> str | None:
    """The update forgetting the fingerprints of ``touched`` graphs (``None``: of every graph): they no
    longer hold exactly what their source gave. ``None`` when the store keeps no summaries."""
    if not enabled(store):
        return None
    if touched is None:
        return f"DELETE WHERE {{ GRAPH <{META_GRAPH}> {{ ?g <{SOURCE}> ?d }} }}"
    graphs = " ".join(f"<{g}>" for g in sorted({URIRef(g) for g in touched} - {META_GRAPH}))
    if not graphs:
        return None
    return (f"DELETE {{ GRAPH <{META_GRAPH}> {{ ?g <{SOURCE}> ?d }} }} "
            f"WHERE {{ VALUES ?g {{ {graphs} }} GRAPH <{META_GRAPH}> {{ ?g <{SOURCE}> ?d }} }}")


def maintain(store: Store, touched) -> None:
    """After a write: bring the summaries up to date and forget the touched graphs' source fingerprints
    (called by every store write method, under its lock)."""
    if callable(touched):
        touched = touched()
    touched = None if touched is None else set(touched)
    parts = [forget_sources_update(store, touched), maintain_update(store, touched)]
    text = " ;\n".join(p for p in parts if p)
    if text:
        store.write_meta(text)


on_write(maintain)


__all__ = ["GAP_KINDS", "Jurisdiction", "Totals", "compute", "recompute", "totals_of", "read", "enabled",
           "rebuild", "rebuild_update", "ensure", "maintain", "maintain_update", "SOURCE", "source_digests",
           "record_sources_update", "forget_sources_update"]
