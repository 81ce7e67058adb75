"""The indicators sheet: numeric indicators (baseline, one or more targets) and qualitative ones.

Rows that repeat an indicator's name add targets to it, in row order (``…-target-1``, ``-target-2``);
on those rows only the target columns may be filled. Values are read like the deck's cells
(``36件以上``, ``4,794万t-CO2``, ``150%以上を維持``); the unit column gives the unit of a bare number.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import Literal, URIRef

from policykg.ids import digest, normalize_label
from policykg.values import Interval, Quantity, TimeValue
from policykg.loaders.workbook.cells import Cells
from policykg.loaders.workbook.emit import end_date, unit_iri
from policykg.loaders.workbook.parse import Plan, WorkbookParser
from policykg.namespaces import PK, RDF, SOSA

INDICATOR_FIELDS = ("direction", "kind", "unit", "baseline", "baseline_date", "better", "goal", "label_en", "alt_labels", "id")
TARGET_FIELDS = ("target", "target_date", "comparator")


@dataclass
class Target:
    cells: Cells
    quantity: Quantity
    time: TimeValue
    comparator: str | None
    maintain: bool


@dataclass
class Indicator:
    cells: Cells
    label: str
    targets: list[Target] = field(default_factory=list)


def _time_of(c: Cells, q: Quantity, key: str) -> TimeValue | None:
    column = c.date(key)
    if q.time is not None and column is not None and _end(q.time) != _end(column):
        raise c.fail(key, f"値の括弧内の時期（{q.time.text}）と違います / differs from the date inside the value ({q.time.text})")
    return q.time or column


def _end(value: TimeValue):
    return value.end.date if isinstance(value, Interval) else value.date


def _target(c: Cells, unit_text: str) -> Target:
    q = c.quantity("target", unit_text=unit_text)
    if q is None or q.value is None:
        raise c.fail("target", "目標値を数値で書いてください / the target must be a number")
    when = _time_of(c, q, "target_date")
    if when is None:
        raise c.fail("target_date", "目標時期を書いてください（例: 2027年度） / a target date is required (e.g. 2027年度)")
    comparator, maintain = q.comparator, q.maintain
    if chosen := c.choice("comparator"):
        word, _, keep = chosen.partition("+")
        if comparator is not None and comparator != word:
            raise c.fail("comparator", f"目標値「{q.text}」の以上・以下と合いません / does not match the value {q.text!r}")
        comparator, maintain = word, maintain or bool(keep)
    return Target(c, q, when, comparator, maintain)


def parse_indicators(parser: WorkbookParser, plan: Plan) -> None:
    """Emit every indicator of the sheet (after directions). :raises SourceError: on the first bad cell."""
    order: list[Indicator] = []
    by_label: dict[str, Indicator] = {}
    for c in parser.rows("indicators"):
        label = c.text("label")
        norm = normalize_label(label)
        if norm in by_label:
            first = by_label[norm]
            for key in INDICATOR_FIELDS:
                if c.row.get(key) is not None and c.text(key) != first.cells.text(key):
                    raise c.fail(key, f"指標「{label}」の2行目以降は目標の列だけ書きます（{first.cells.row.number}行目と違う値） / "
                                      f"a repeated indicator row may only add a target (differs from row {first.cells.row.number})")
            if c.row.get("target") is None:
                raise c.fail("label", f"指標「{label}」が重複しています / duplicate indicator {label!r}")
            first.targets.append(_target(c, first.cells.text("unit")))
            continue
        ind = Indicator(c, label)
        kind = c.choice("kind") or ("qualitative" if c.text("goal") and c.row.get("target") is None else "numeric")
        if kind == "numeric":
            if c.row.get("target") is None:
                raise c.fail("target", "数値の指標には目標値が必要です（定性なら種類を「定性」に） / a numeric indicator needs "
                                       "a target (choose kind 定性 for a qualitative one)")
            ind.targets.append(_target(c, c.text("unit")))
        elif not c.text("goal"):
            raise c.fail("goal", "定性の指標には推進目標が必要です / a qualitative indicator needs a goal")
        by_label[norm] = ind
        order.append(ind)
    for ind in order:
        _emit(parser, plan, ind)


def _emit(parser: WorkbookParser, plan: Plan, ind: Indicator) -> None:
    em, c = parser.em, ind.cells
    text = c.text("direction", required=True)
    direction = parser.direction_ref(c, plan, "direction", text)
    iri = parser.mint(c, plan, "indicator", f"{plan.key}-i-{digest(ind.label)}")
    plan.indicators[normalize_label(ind.label)] = iri
    sheet = c.sheet.title
    if not ind.targets:
        em.entity(iri, (PK.QualitativeIndicator, PK.Indicator), ind.label, sheet, c.row.number, scheme=plan.iri,
                  en=c.text("label_en"))
        em.add(iri, PK.evaluates, direction)
        em.text(iri, PK.promotionGoal, c.text("goal"))
        em.alt_labels(iri, c.items("alt_labels"))
        return
    em.entity(iri, (PK.NumericIndicator, PK.Indicator), ind.label, sheet, c.row.number, scheme=plan.iri,
              en=c.text("label_en"))
    em.add(iri, PK.evaluates, direction)
    em.alt_labels(iri, c.items("alt_labels"))
    first = ind.targets[0].quantity
    em.add(iri, PK.unit, unit_iri(first.unit))
    em.add(iri, PK.unitText, Literal(first.unit_text))
    baseline = c.quantity("baseline", unit_text=c.text("unit"))
    better = _better(c, ind.targets[0], baseline)
    em.add(iri, PK.desiredDirection, better)
    if baseline is not None and baseline.value is not None:
        if baseline.unit != first.unit:
            raise c.fail("baseline", f"基準値の単位（{baseline.unit_text}）が目標値（{first.unit_text}）と違います / the baseline's "
                                     f"unit differs from the target's")
        when = _time_of(c, baseline, "baseline_date")
        if when is None:
            raise c.fail("baseline_date", "基準値には基準時期が必要です / a baseline needs its date")
        b = URIRef(f"{iri}-baseline")
        em.add(iri, PK.hasBaseline, b)
        em.add(b, RDF.type, PK.Baseline)
        em.add(b, RDF.type, SOSA.Observation)
        em.add(b, SOSA.observedProperty, iri)
        em.quantity(b, baseline)
        em.derived(b, sheet, c.row.number)
        em.add(b, SOSA.phenomenonTime, em.time(when))
        em.add(b, PK.date, end_date(when))
    for k, target in enumerate(ind.targets, start=1):
        if target.quantity.unit != first.unit:
            raise target.cells.fail("target", "目標値の単位が1つ目の目標と違います / the unit differs from the first target's")
        t = URIRef(f"{iri}-target-{k}")
        em.add(iri, PK.hasTarget, t)
        em.add(t, RDF.type, PK.Target)
        em.add(t, PK.targetOf, iri)
        em.quantity(t, target.quantity)
        em.derived(t, sheet, target.cells.row.number)
        comparator = target.comparator or ("AtMost" if better == PK.LowerIsBetter else "AtLeast")
        em.add(t, PK.comparator, PK[comparator])
        if target.maintain:
            em.add(t, PK.maintain, Literal(True))
        em.add(t, PK.targetTime, em.time(target.time))
        em.add(t, PK.dueDate, end_date(target.time))
        if isinstance(target.time, Interval):
            em.add(t, PK.periodTarget, Literal(True))


def _better(c: Cells, target: Target, baseline: Quantity | None) -> URIRef:
    """The column decides; else an explicit 以上/以下; else a target below the baseline means lower is better."""
    if chosen := c.choice("better"):
        return PK[chosen]
    if target.comparator in ("AtLeast", "AtMost") and target.quantity.comparator:
        return PK.HigherIsBetter if target.comparator == "AtLeast" else PK.LowerIsBetter
    if target.comparator == "AtMost":
        return PK.LowerIsBetter
    if baseline is not None and baseline.value is not None and target.quantity.value is not None:
        return PK.LowerIsBetter if target.quantity.value < baseline.value else PK.HigherIsBetter
    return PK.HigherIsBetter


__all__ = ["parse_indicators"]
