"""A loaded local plan → a filled workbook (the inverse of :func:`policykg.loaders.workbook.parse_workbook`).

Cells get the text the plan was read from (``pk:valueText``, ``pk:originalText``), so building from
the exported workbook gives the same local-plan graph, provenance aside (tests/workbook/test_round_trip.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from policykg.errors import EntityNotFound, PolicyKGError
from policykg.ids import local_id, normalize_label
from policykg.labels import NATIONAL_KINDS, LabelIndex
from policykg.loaders.workbook.schema import CHOICES, SHEETS
from policykg.namespaces import DCTERMS, ID, PK, PROV, QUDT, RDF, RDFS, SKOS, SOSA

PROVENANCE = frozenset({PROV.wasDerivedFrom, PK.sourceLocation, PK.sourceRow})
"""Predicates that say where a fact was read, not what it is: left out when comparing plans."""
_JA = {name: {v: k for k, v in table.items()} for name, table in CHOICES.items()}


def _ja(g: Graph, s: Node, p: URIRef, lang: str = "ja") -> str:
    values = sorted(str(o) for o in g.objects(s, p) if isinstance(o, Literal) and o.language == lang)
    return values[0] if values else ""


def _alts(g: Graph, s: Node) -> str:
    return "; ".join(sorted(str(o) for o in g.objects(s, SKOS.altLabel) if getattr(o, "language", None) == "ja"))


def _text(g: Graph, s: Node, p: URIRef) -> str:
    o = g.value(s, p)
    return "" if o is None else str(o)


def _original(g: Graph, s: Node, p: URIRef) -> str:
    node = g.value(s, p)
    return "" if node is None else _text(g, node, PK.originalText)


def _sorted(g: Graph, nodes: Iterable[Node]) -> list[Node]:
    def key(n: Node) -> tuple:
        ordinal = g.value(n, PK.ordinal)
        return (int(ordinal) if ordinal is not None else 0, _text(g, n, SKOS.notation), _ja(g, n, SKOS.prefLabel), str(n))
    return sorted(set(nodes), key=key)


def local_plans(g: Graph) -> list[URIRef]:
    return sorted(s for s in set(g.subjects(RDF.type, PK.LocalPlan)) if isinstance(s, URIRef))


def find_plan(g: Graph, jurisdiction: str | None) -> URIRef:
    """The local plan of ``jurisdiction`` (IRI key such as ``hokkaido``, or name such as 北海道); the only one if None.

    :raises EntityNotFound: no such plan, or several plans and no jurisdiction given.
    """
    plans = local_plans(g)
    names = {p: [_ja(g, p, PK.jurisdiction), str(p)[len(str(ID)):].split("/", 1)[0]] for p in plans}
    listing = "、".join(f"{n[0]} ({n[1]})" for n in names.values()) or "なし / none"
    if jurisdiction is None:
        if len(plans) == 1:
            return plans[0]
        raise EntityNotFound(f"計画が複数あります。--jurisdiction で選んでください: {listing} / several local plans; "
                             f"choose one with --jurisdiction")
    for p, (name, key) in names.items():
        if jurisdiction in (name, key):
            return p
    raise EntityNotFound(f"自治体「{jurisdiction}」の計画がありません（ある計画: {listing}） / no local plan of {jurisdiction!r}")


def plan_entities(g: Graph, plan: URIRef) -> dict[str, list[Node]]:
    """The plan's entities by kind, in plan order."""
    areas = _sorted(g, g.objects(plan, PK.hasArea))
    directions = _sorted(g, (d for a in areas for d in g.subjects(PK.area, a) if (d, RDF.type, PK.PolicyDirection) in g))
    in_scheme = set(g.subjects(SKOS.inScheme, plan))
    measures = sorted((m for m in in_scheme if (m, RDF.type, PK.Measure) in g),
                      key=lambda m: (min((_text(g, d, SKOS.notation) for d in g.objects(m, PK.direction)), default=""),
                                     _ja(g, m, SKOS.prefLabel), str(m)))
    indicators = sorted((i for i in in_scheme if (i, RDF.type, PK.Indicator) in g),
                        key=lambda i: (_text(g, g.value(i, PK.evaluates), SKOS.notation), str(i)))
    roadmaps = sorted(g.subjects(PK.roadmapOf, plan))
    rows = _sorted(g, (r for rm in roadmaps for r in g.objects(rm, PK.hasRow)))
    phases = sorted((p for rm in roadmaps for p in g.objects(rm, PK.hasPhase)),
                    key=lambda p: (_text(g, g.value(p, PK.area), SKOS.notation), str(p)))
    transitions = sorted({t for p in phases for t in g.subjects(PK.toPhase, p)})
    parts = [n for i in indicators for p in (PK.hasBaseline, PK.hasTarget) for n in g.objects(i, p)]
    return {"plan": [plan], "areas": areas, "directions": directions, "measures": measures, "indicators": indicators,
            "roadmap": roadmaps, "rows": rows, "phases": phases, "transitions": transitions, "parts": parts}


def local_plan_graph(g: Graph, plan: URIRef, *, provenance: bool = False) -> Graph:
    """Every triple about the plan's entities (and the blank nodes they hold), provenance left out unless asked."""
    out = Graph()
    todo: list[Node] = [n for nodes in plan_entities(g, plan).values() for n in nodes]
    seen: set[Node] = set()
    while todo:
        s = todo.pop()
        if s in seen:
            continue
        seen.add(s)
        for _s, p, o in g.triples((s, None, None)):
            if not provenance and p in PROVENANCE:
                continue
            out.add((s, p, o))
            if isinstance(o, BNode):
                todo.append(o)
    return out


def _notation(g: Graph, n: Node | None) -> str:
    return "" if n is None else _text(g, n, SKOS.notation)


def _target_rank(t: Node) -> int:
    m = re.search(r"-target-(\d+)$", str(t))
    return int(m.group(1)) if m else 0


def _comparator(g: Graph, t: Node) -> str:
    comp = local_id(str(g.value(t, PK.comparator) or PK.AtLeast)).split("#")[-1]
    maintain = (t, PK.maintain, Literal(True)) in g
    return _JA["comparator"].get(comp + ("+maintain" if maintain else ""), "")


def _label_ref(g: Graph, iri: Node, index) -> str:
    """The national item's label when it names that item alone, else its IRI."""
    label = _ja(g, iri, SKOS.prefLabel)
    try:
        if label and index.resolve(label, kinds=NATIONAL_KINDS) == iri:
            return label
    except PolicyKGError:
        pass
    return str(iri)


def workbook_rows(g: Graph, plan: URIRef) -> dict[str, list[dict[str, object]]]:
    """The rows of every sheet for ``plan`` (dicts keyed by column key), ready for :func:`template.write_workbook`."""
    e = plan_entities(g, plan)
    key = str(plan)[len(str(ID)):].split("/", 1)[0]
    rows: dict[str, list[dict[str, object]]] = {k: [] for k in SHEETS}
    rows["jurisdiction"].append({"name": _ja(g, plan, PK.jurisdiction), "name_en": _ja(g, plan, PK.jurisdiction, "en"),
                                 "code": _text(g, plan, PK.localGovernmentCode), "key": key})
    roadmap = e["roadmap"][0] if e["roadmap"] else None
    rows["plan"].append({
        "title": _ja(g, plan, SKOS.prefLabel), "title_en": _ja(g, plan, SKOS.prefLabel, "en"),
        "edition": _ja(g, plan, PK.edition), "period": _original(g, plan, PK.planPeriod),
        "adopted": _original(g, plan, PK.decided), "source_url": _text(g, plan, DCTERMS.source),
        "roadmap_title": _ja(g, roadmap, SKOS.prefLabel) if roadmap is not None else "",
        "roadmap_period": _original(g, roadmap, PK.period) if roadmap is not None else "", "id": local_id(plan)})
    for a in e["areas"]:
        rows["areas"].append({"number": _notation(g, a), "label": _ja(g, a, SKOS.prefLabel),
                              "label_en": _ja(g, a, SKOS.prefLabel, "en"), "goal": _ja(g, a, PK.goal),
                              "alt_labels": _alts(g, a), "id": local_id(a)})
    for d in e["directions"]:
        rows["directions"].append({"area": _notation(g, g.value(d, PK.area)), "letter": _text(g, d, PK.letter),
                                   "label": _ja(g, d, SKOS.prefLabel), "label_en": _ja(g, d, SKOS.prefLabel, "en"),
                                   "alt_labels": _alts(g, d), "id": local_id(d)})
    for m in e["measures"]:
        rows["measures"].append({
            "label": _ja(g, m, SKOS.prefLabel),
            "directions": "; ".join(sorted(_notation(g, d) for d in g.objects(m, PK.direction))),
            "period": _original(g, m, PK.implementationPeriod), "label_en": _ja(g, m, SKOS.prefLabel, "en"),
            "alt_labels": _alts(g, m), "id": local_id(m)})
    for i in e["indicators"]:
        rows["indicators"].extend(_indicator_rows(g, i))
    for r in e["rows"]:
        rows["roadmap"].append({"area": _notation(g, g.value(r, PK.area)), "label": _ja(g, r, SKOS.prefLabel),
                                "directions": "; ".join(sorted(_notation(g, d) for d in g.objects(r, PK.correspondsTo))),
                                "id": local_id(r)})
    for p in e["phases"]:
        kind = local_id(str(g.value(p, PK.phaseKind))).split("#")[-1]
        before = sorted(_ja(g, g.value(t, PK.fromPhase), SKOS.prefLabel) for t in g.subjects(PK.toPhase, p))
        rows["phases"].append({"area": _notation(g, g.value(p, PK.area)), "label": _ja(g, p, SKOS.prefLabel),
                               "kind": _JA["phase_kind"].get(kind, ""), "direction": _notation(g, g.value(p, PK.correspondsTo)),
                               "period": _original(g, p, PK.phaseTime), "after": "; ".join(before), "id": local_id(p)})
    rows["alignments"] = _alignment_rows(g, e, LabelIndex.from_graph(g))
    rows["observations"] = _observation_rows(g, e["indicators"])
    return rows


def _indicator_rows(g: Graph, i: Node) -> list[dict[str, object]]:
    numeric = (i, RDF.type, PK.NumericIndicator) in g
    row: dict[str, object] = {"label": _ja(g, i, SKOS.prefLabel), "direction": _notation(g, g.value(i, PK.evaluates)),
                              "kind": "数値" if numeric else "定性", "label_en": _ja(g, i, SKOS.prefLabel, "en"),
                              "alt_labels": _alts(g, i), "id": local_id(i), "goal": _ja(g, i, PK.promotionGoal)}
    if not numeric:
        return [row]
    row["unit"] = _text(g, i, PK.unitText)
    better = g.value(i, PK.desiredDirection)
    row["better"] = _JA["better"].get(local_id(str(better)).split("#")[-1], "") if better is not None else ""
    if (b := g.value(i, PK.hasBaseline)) is not None:
        row["baseline"] = _text(g, b, PK.valueText)
        row["baseline_date"] = _original(g, b, SOSA.phenomenonTime)
    out = []
    for k, t in enumerate(sorted(g.objects(i, PK.hasTarget), key=_target_rank)):
        cells = row if k == 0 else {"label": row["label"]}
        cells.update({"target": _text(g, t, PK.valueText), "target_date": _original(g, t, PK.targetTime),
                      "comparator": _comparator(g, t)})
        out.append(cells)
    return out or [row]


def _alignment_rows(g: Graph, e: dict[str, list[Node]], index) -> list[dict[str, object]]:
    measures, directions, rows = set(e["measures"]), set(e["directions"]), set(e["rows"])
    measure_labels = {normalize_label(_ja(g, m, SKOS.prefLabel)) for m in measures}
    direction_labels = {normalize_label(_ja(g, d, SKOS.prefLabel)) for d in directions}
    out = []
    for al in sorted(set(g.subjects(RDF.type, PK.Alignment))):
        evidence = g.value(al, PK.evidence)
        local = g.value(al, PK.localItem)
        if evidence not in (PK.Stated, PK.Curated) or local not in measures | directions | rows:
            continue
        label = _ja(g, local, SKOS.prefLabel)
        if local in directions:
            ref = _notation(g, local)
        elif local in rows and normalize_label(label) in measure_labels | direction_labels:
            ref = local_id(local)
        else:
            ref = label
        when = g.value(al, PROV.generatedAtTime)
        agent = g.value(al, PROV.wasAttributedTo)
        out.append({"local": ref, "national": _label_ref(g, g.value(al, PK.nationalItem), index),
                    "relation": _JA["relation"][local_id(str(g.value(al, PK.relation))).split("#")[-1]],
                    "evidence": _JA["evidence"][local_id(str(evidence)).split("#")[-1]],
                    "rationale": _ja(g, al, PK.rationale), "curator": _text(g, agent, RDFS.label) if agent else "",
                    "date": str(when)[:10] if when is not None else ""})
    return out


def _observation_rows(g: Graph, indicators: list[Node]) -> list[dict[str, object]]:
    out = []
    for i in indicators:
        label = _ja(g, i, SKOS.prefLabel)
        for o in sorted(g.subjects(SOSA.observedProperty, i)):
            if (o, RDF.type, PK.IndicatorObservation) not in g or (o, PK.synthetic, Literal(True)) in g:
                continue
            out.append({"indicator": label, "date": _text(g, o, PK.date), "value": _text(g, o, QUDT.numericValue),
                        "unit": _text(g, i, PK.unitText), "source": _text(g, o, DCTERMS.source), "note": _text(g, o, PK.note)})
    return out


def export_workbook(g: Graph, path: str | Path, *, jurisdiction: str | None = None) -> Path:
    """Write the local plan of ``jurisdiction`` in ``g`` as a filled workbook at ``path``.

    :raises EntityNotFound: see :func:`find_plan`.
    """
    from policykg.loaders.workbook.template import national_item_labels, write_workbook

    plan = find_plan(g, jurisdiction)
    return write_workbook(path, workbook_rows(g, plan), national=national_item_labels(g))


__all__ = ["export_workbook", "workbook_rows", "local_plan_graph", "plan_entities", "find_plan", "local_plans", "PROVENANCE"]
