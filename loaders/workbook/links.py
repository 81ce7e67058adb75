"""The roadmap, alignment and observation sheets: rows that link entities of the earlier sheets."""

from __future__ import annotations


from rdflib import BNode, Graph, Literal, URIRef

from policykg.errors import AmbiguousLabel, EntityNotFound, LabelNotFound, SourceError
from policykg.ids import alignment_iri
from policykg.ids import digest, entity_iri, normalize_label
from policykg.labels import NATIONAL_KINDS, LabelIndex
from policykg.loaders.alignments import agent_iri
from policykg.values import Interval
from policykg.loaders.workbook.cells import Cells
from policykg.loaders.workbook.parse import Plan, WorkbookParser
from policykg.namespaces import PK, PROV, RDF, RDFS, XSD

EVIDENCE_NAMES = {"Stated": "stated", "Curated": "curated"}


def parse_roadmap(parser: WorkbookParser, plan: Plan) -> None:
    """Roadmap rows and phases (with transitions from 前の段階). Nothing is emitted for an empty roadmap."""
    em, head = parser.em, parser.roadmap_cells
    assert head is not None, "parser.plan() runs first"
    rows, phases = list(parser.rows("roadmap")), list(parser.rows("phases"))
    title = head.text("roadmap_title")
    period = head.date("roadmap_period")
    if not (rows or phases or title or period):
        return
    base = f"{plan.key}-roadmap"
    r = em.entity(entity_iri(plan.key, "roadmap", base), (PK.Roadmap,), title or "ロードマップ", head.sheet.title, head.row.number)
    em.add(r, PK.roadmapOf, plan.iri)
    if period is not None:
        em.add(r, PK.period, em.time(period))
    seen: set[tuple[int, str]] = set()
    for k, c in enumerate(rows, start=1):
        n, area = parser.area_of(c, plan)
        label = c.text("label")
        if (n, normalize_label(label)) in seen:
            raise c.fail("label", f"区分「{label}」が分野 {n} に2回あります / roadmap row {label!r} appears twice in area {n}")
        seen.add((n, normalize_label(label)))
        row = parser.mint(c, plan, "roadmap", f"{plan.key}-row-{digest(plan.area_labels[n], label)}", base)
        em.entity(row, (PK.RoadmapRow,), label, c.sheet.title, c.row.number)
        em.add(row, PK.area, area)
        em.add(row, PK.ordinal, Literal(k, datatype=XSD.integer))
        em.add(r, PK.hasRow, row)
        for text in c.items("directions"):
            em.add(row, PK.correspondsTo, parser.direction_ref(c, plan, "directions", text))
        plan.rows.setdefault(normalize_label(label), row)
    by_label: dict[str, tuple[URIRef, URIRef, str]] = {}
    for c in phases:
        _n, area = parser.area_of(c, plan)
        label = c.text("label")
        if normalize_label(label) in by_label:
            raise c.fail("label", f"段階「{label}」が重複しています / duplicate phase {label!r}")
        iri = parser.mint(c, plan, "roadmap", f"{plan.key}-phase-{digest(label)}", base)
        em.entity(iri, (PK.RoadmapPhase,), label, c.sheet.title, c.row.number)
        em.add(r, PK.hasPhase, iri)
        em.add(iri, PK.area, area)
        direction = c.text("direction")
        kind = c.choice("kind") or ("PlanDirectionPhase" if direction else "InitialFocus")
        if kind == "PlanDirectionPhase" and not direction:
            raise c.fail("direction", "「計画の方向」の段階には展開方針が必要です / a plan-direction phase needs its direction")
        em.add(iri, PK.phaseKind, PK[kind])
        if direction:
            em.add(iri, PK.correspondsTo, parser.direction_ref(c, plan, "direction", direction))
        if (when := c.date("period")) is not None:
            em.add(iri, PK.phaseTime, em.time(when))
        by_label[normalize_label(label)] = (iri, area, label)
    for c in phases:
        dst, area, dst_label = by_label[normalize_label(c.text("label"))]
        prefix = str(dst).rsplit("/", 1)[-1].split("phase-")[0]
        for before in c.items("after"):
            if normalize_label(before) not in by_label:
                raise c.fail("after", f"前の段階「{before}」がこのシートにありません / no phase {before!r} on this sheet")
            src, _a, src_label = by_label[normalize_label(before)]
            t = entity_iri(plan.key, "roadmap", base, f"{prefix}transition-{digest(src_label, dst_label)}")
            em.entity(t, (PK.Transition,), f"{src_label} → {dst_label}", c.sheet.title, c.row.number)
            em.add(t, PK.fromPhase, src)
            em.add(t, PK.toPhase, dst)
            em.add(t, PK.area, area)


def _local(c: Cells, plan: Plan) -> URIRef:
    text = c.text("local")
    key = normalize_label(text)
    found = plan.measures.get(key) or plan.directions.get(text.lower()) or plan.directions.get(key) or plan.rows.get(key)
    if found is None and plan.by_id.get(text) in {*plan.measures.values(), *plan.directions.values(), *plan.rows.values()}:
        found = plan.by_id[text]
    if found is None:
        raise c.fail("local", f"施策「{text}」がこのブックにありません（シート「施策」の施策名か、展開方針・区分） / "
                              f"no measure {text!r} in this workbook (a measure, direction or roadmap row)")
    return found


def _national(c: Cells, index: LabelIndex) -> URIRef:
    text = c.text("national")
    try:
        return index.resolve(text, kinds=NATIONAL_KINDS)
    except LabelNotFound as exc:
        hint = "、".join(exc.suggestions) or "なし / none"
        raise c.fail("national", f"国の項目「{text}」が見つかりません。近い項目: {hint} / unknown national item {text!r}; "
                                 f"closest: {hint}") from None
    except AmbiguousLabel as exc:
        raise c.fail("national", f"「{text}」は複数の国の項目に当たります / {text!r} names several national items: "
                                 f"{', '.join(exc.candidates)}") from None
    except EntityNotFound:
        raise c.fail("national", f"国の項目ではありません / not a national item: {text!r}") from None


def parse_alignments(parser: WorkbookParser, plan: Plan, index: LabelIndex) -> None:
    """Alignment nodes shaped like the curated CSV's (same IRIs for the same link and evidence)."""
    em = parser.em
    seen: dict[URIRef, int] = {}
    for c in parser.rows("alignments"):
        local, national = _local(c, plan), _national(c, index)
        relation, evidence = c.choice("relation"), c.choice("evidence")
        when = c.date("date")
        day = when.end.date if isinstance(when, Interval) else when.date
        node = alignment_iri(local, national, EVIDENCE_NAMES[evidence])
        if node in seen:
            raise c.fail("national", f"{seen[node]}行目と同じ対応付けです / duplicate alignment (same as row {seen[node]})")
        seen[node] = c.row.number
        curator = c.text("curator")
        agent = agent_iri(curator)
        em.add(agent, RDF.type, PROV.Agent)
        em.add(agent, RDFS.label, Literal(curator))
        for s, p, o in (
            (node, RDF.type, PK.Alignment), (node, RDF.type, PROV.Entity),
            (node, PK.localItem, local), (node, PK.nationalItem, national),
            (node, PK.relation, PK[relation]), (node, PK.evidence, PK[evidence]),
            (node, PK.rationale, Literal(c.text("rationale"), lang="ja")),
            (node, PROV.wasAttributedTo, agent),
            (node, PROV.generatedAtTime, Literal(f"{day.isoformat()}T00:00:00", datatype=XSD.dateTime)),
            (node, PROV.wasDerivedFrom, parser.doc),
        ):
            em.add(s, p, o)
        row = BNode()
        em.add(node, PK.sourceRow, row)
        em.add(row, RDF.type, PK.SourceLocation)
        em.add(row, PK.document, parser.doc)
        em.add(row, PK.section, Literal(c.sheet.title))
        em.add(row, PK.line, Literal(c.row.number))


_OBS_COLUMNS = {"indicator": "indicator", "date": "date", "value": "value", "unit": "unit", "source": "source", "note": "note"}


def parse_observations(parser: WorkbookParser, plan: Plan) -> None:
    """Observations through the observation loader (one row at a time, so errors name the sheet's row)."""
    from policykg.loaders.observations import parse_observations as parse_rows

    rows = list(parser.rows("observations"))
    if not rows:
        return
    seen: dict[tuple[str, str, str], int] = {}
    for c in rows:
        label = c.text("indicator")
        if normalize_label(label) not in plan.indicators:
            raise c.fail("indicator", f"指標「{label}」がシート「指標」にありません / no indicator {label!r} on sheet 'indicators'")
        when = c.date("date")
        day = (when.end.date if isinstance(when, Interval) else when.date).isoformat()
        key = (normalize_label(label), day, c.text("source"))
        if key in seen:
            raise c.fail("date", f"{seen[key]}行目と同じ指標・時点・出典です / duplicate observation (same as row {seen[key]})")
        seen[key] = c.row.number
        indicator = plan.indicators[normalize_label(label)]
        context = Graph()
        for triple in parser.em.graph.triples((indicator, None, None)):
            context.add(triple)
        record = {"indicator": str(indicator), "date": day, "value": c.text("value"),
                  "unit": c.text("unit"), "source": c.text("source"), "note": c.text("note")}
        try:
            graph = parse_rows([record], file_name=parser.data.file, context=context)
        except SourceError as exc:
            column = exc.field if exc.field in _OBS_COLUMNS else None
            raise c.fail(column, exc.message) from None
        parser.em.graph += graph


__all__ = ["parse_roadmap", "parse_alignments", "parse_observations"]
