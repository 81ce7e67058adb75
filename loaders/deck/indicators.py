"""Indicator tables (参考資料「評価の視点」): numeric and qualitative indicators per direction.

Layout read (a state machine over lines, docs/loader.md):
- ``「n label」の分野`` (plain line or heading) selects area n;
- a row whose first cell is the only non-empty one names a direction (matched to the area's
  directions by similarity, so wording variants become altLabels of one entity);
- a row whose first cell is 指標 (spaces ignored) is a header: 目標値 / 基準値 / 推進目標 columns,
  a date in a header cell applies to the whole column unless a cell states its own;
- a row with a label AND header cells (the last table) is an indicator whose values follow on
  the next row with an empty first cell.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from rdflib import Literal, URIRef

from policykg.errors import SourceError
from policykg.ids import normalize_label
from policykg.loaders.deck.cells import clean_label, strip_markup, tidy, value_text
from policykg.loaders.deck.emit import Emitter, end_date, quantity, unit_iri
from policykg.loaders.deck.ids import labelled_iri
from policykg.loaders.deck.local_plan import Direction, LocalStructure, direction_iri
from policykg.loaders.deck.match import best_match
from policykg.loaders.deck.segment import Deck, heading_of
from policykg.values import (
    Interval, Quantity, TimeValue, ValueFormatError, parse_quantity, parse_time, per_unit_from_label,
)
from policykg.namespaces import PK, PROV, RDF, SOSA

_FIELD = re.compile(r"「\s*(\d+)\s*([^」]+)」\s*の分野")
_COLUMN_KINDS = {"目標値": "target", "基準値": "baseline", "推進目標": "goal"}


@dataclass(frozen=True)
class Column:
    kind: str  # target | baseline | goal
    name: str  # header text without spaces, e.g. 目標値(2025/R7)
    time: TimeValue | None
    time_text: str | None


@dataclass
class IndicatorRow:
    label: str
    direction: Direction
    line: int
    goal: str | None = None
    target: Quantity | None = None
    baseline: Quantity | None = None
    target_line: int = 0
    columns: list[Column] = field(default_factory=list)

    @property
    def numeric(self) -> bool:
        return self.goal is None


def _column(cell: str, file: str, line: int) -> Column | None:
    text = normalize_label(strip_markup(cell))
    for word, kind in _COLUMN_KINDS.items():
        if text.startswith(word):
            inner = re.search(r"\((.+)\)", text)
            time = None
            if inner:
                try:
                    time = parse_time(inner.group(1))
                except ValueFormatError as exc:
                    raise SourceError(str(exc), file, line, word) from exc
            return Column(kind, text, time, inner.group(1) if inner else None)
    return None


def _header(cells: list[str], file: str, line: int) -> list[Column | None]:
    return [_column(c, file, line) if c else None for c in cells[1:]]


def parse_indicators(deck: Deck, local: LocalStructure, file: str) -> list[IndicatorRow]:
    """Every indicator row after the first 「n …」の分野 line, matched to its direction.

    :raises SourceError: truncated row, non-numeric target, unknown unit/era, unmatched direction.
    """
    rows: list[IndicatorRow] = []
    area: int | None = None
    direction: Direction | None = None
    header: list[Column | None] | None = None
    pending: IndicatorRow | None = None
    for line in deck.lines:
        h = heading_of(line)
        text = h.text if h else strip_markup(line.text)
        if m := _FIELD.search(text):
            area, direction, header, pending = int(m.group(1)), None, None, None
            if area not in local.areas:
                raise SourceError(f"indicator table for area {area}, but no area heading ({area}) precedes it", file, line.no, "分野")
            continue
        if area is None or h or line.is_blank or line.no in deck.page_lines:
            continue
        cells = line.cells
        first = clean_label(cells[0])
        rest = [c for c in cells[1:] if c]
        if normalize_label(first) == "指標":
            header = _header(cells, file, line.no)
            pending = None
        elif first and not rest:
            direction = _match_direction(local, area, first, file, line.no, strict=line.is_table_row) or direction
        elif first and any(_column(c, file, line.no) for c in rest):
            header = _header(cells, file, line.no)
            pending = _new_row(first, direction, file, line.no)
            rows.append(pending)
        elif not first and pending is not None:
            _fill(pending, header or [], cells, file, line.no, values_line=True)
            pending = None
        elif first and header is not None:
            row = _new_row(first, direction, file, line.no)
            _fill(row, header, cells, file, line.no, values_line=False)
            rows.append(row)
        elif not first:
            raise SourceError("values without an indicator label", file, line.no, "指標")
    for row in rows:
        if row.numeric and row.target is None:
            raise SourceError(f"indicator {row.label!r} has no values", file, row.line, "目標値")
    return rows


def _new_row(label: str, direction: Direction | None, file: str, line: int) -> IndicatorRow:
    if direction is None:
        raise SourceError(f"indicator {label!r} appears before any direction row", file, line, "指標")
    return IndicatorRow(label, direction, line)


def _match_direction(local: LocalStructure, area: int, label: str, file: str, line: int, *, strict: bool) -> Direction | None:
    found = best_match(label, local.areas[area].directions, key=lambda d: d.label)
    if found is None:
        for d in local.areas[area].directions:
            if any(best_match(label, [v], key=lambda v: v[0]) for v in d.variants):
                found = d
    if found is None and strict:
        names = "、".join(d.label for d in local.areas[area].directions)
        raise SourceError(f"direction {label!r} matches no direction of area {area} ({names})", file, line, "施策の展開方針")
    if found is not None:
        found.variants.append((label, line))
    return found


def _fill(row: IndicatorRow, header: list[Column | None], cells: list[str], file: str, line: int, *, values_line: bool) -> None:
    values = cells[1:]
    row.columns = [c for c in header if c]
    for i, col in enumerate(header):
        if col is None:
            continue
        if i >= len(values) or not values[i].strip():
            raise SourceError(f"row is truncated: no {col.name} for {row.label!r}", file, line, col.name)
        cell = value_text(values[i])
        if col.kind == "goal":
            row.goal = tidy(cell)
            continue
        try:
            q = parse_quantity(cell, default_unit_text=per_unit_from_label(row.label))
        except ValueFormatError as exc:
            raise SourceError(str(exc), file, line, col.name) from exc
        if q.time is None and col.time is not None:
            q = replace(q, time=col.time, time_text=col.time_text)
        if col.kind == "target":
            if q.value is None:
                raise SourceError(f"target of {row.label!r} is not a number: {cell!r}", file, line, col.name)
            row.target, row.target_line = q, line
        else:
            row.baseline = q
    if values_line:
        row.target_line = line


def indicator_iri(jur: str, label: str) -> URIRef:
    return labelled_iri(jur, "indicator", "i", label)


def desired_direction(target: Quantity, baseline: Quantity | None) -> URIRef:
    """An explicit 以上/以下 decides; otherwise a target below the baseline means lower is better."""
    if target.comparator:
        return PK.HigherIsBetter if target.comparator == "AtLeast" else PK.LowerIsBetter
    if baseline is not None and baseline.value is not None and target.value is not None:
        return PK.LowerIsBetter if target.value < baseline.value else PK.HigherIsBetter
    return PK.HigherIsBetter


def emit_indicators(em: Emitter, rows: list[IndicatorRow], jur: str, plan: URIRef) -> None:
    """Numeric indicators with baseline and target nodes; qualitative ones with their 推進目標."""
    for row in rows:
        iri = indicator_iri(jur, row.label)
        direction = direction_iri(jur, row.direction.notation)
        if not row.numeric:
            em.entity(iri, (PK.QualitativeIndicator, PK.Indicator), row.label, row.line, scheme=plan)
            em.add(iri, PK.evaluates, direction)
            em.text(iri, PK.promotionGoal, row.goal or "")
            continue
        target = row.target
        if target is None:  # parse_indicators already rejects this; kept so emission never guesses
            raise SourceError(f"indicator {row.label!r} has no target", None, row.line, "目標値")
        em.entity(iri, (PK.NumericIndicator, PK.Indicator), row.label, row.line, scheme=plan)
        em.add(iri, PK.evaluates, direction)
        em.add(iri, PK.unit, unit_iri(target.unit))
        em.add(iri, PK.unitText, Literal(target.unit_text))
        better = desired_direction(target, row.baseline)
        em.add(iri, PK.desiredDirection, better)
        if row.baseline is not None and row.baseline.value is not None:
            b = URIRef(f"{iri}-baseline")
            em.add(iri, PK.hasBaseline, b)
            for cls in (PK.Baseline, SOSA.Observation):
                em.add(b, RDF.type, cls)
            em.add(b, SOSA.observedProperty, iri)
            _part(em, b, row.baseline, row.target_line or row.line)
            if row.baseline.time is not None:
                em.add(b, SOSA.phenomenonTime, em.time(row.baseline.time))
                em.add(b, PK.date, end_date(row.baseline.time))
        t = URIRef(f"{iri}-target-1")
        em.add(iri, PK.hasTarget, t)
        em.add(t, RDF.type, PK.Target)
        em.add(t, PK.targetOf, iri)
        _part(em, t, target, row.target_line or row.line)
        comparator = target.comparator or ("AtMost" if better == PK.LowerIsBetter else "AtLeast")
        em.add(t, PK.comparator, PK[comparator])
        if target.maintain:
            em.add(t, PK.maintain, Literal(True))
        if target.time is not None:
            em.add(t, PK.targetTime, em.time(target.time))
            em.add(t, PK.dueDate, end_date(target.time))
            if isinstance(target.time, Interval):
                em.add(t, PK.periodTarget, Literal(True))


def _part(em: Emitter, node: URIRef, q: Quantity, line: int) -> None:
    quantity(em, node, q)
    em.add(node, PROV.wasDerivedFrom, em.doc)
    em.locate(node, line)


__all__ = ["Column", "IndicatorRow", "parse_indicators", "emit_indicators", "indicator_iri", "desired_direction"]
