"""Indicator observations from a planner's CSV (``data/observations/template.csv``) as RDF.

Columns: ``indicator, date, value, unit, source, note`` (+ optional ``synthetic``). ``indicator``
is a label (prefLabel, altLabel or rdfs:label of a numeric indicator, found by the one rule of
:mod:`policykg.labels`: exact, then after NFKC/whitespace normalisation) or an IRI (``https://…`` or ``pkid:…``). Each row becomes a ``pk:IndicatorObservation``
in the same SOSA/QUDT shape as the deck's baselines (docs/model.md), so progress code reads both
alike. Why strict: a planner's typo must stop the load with the row and the column to fix,
never become a silent wrong number, so any bad row rejects the whole file (nothing is loaded).

Split as parse / read (networkx ``readwrite`` style): :func:`parse_observations` is pure over
rows and a context graph; :func:`read_observations` only opens the file.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, SOSA, XSD

from policykg.errors import AmbiguousLabel, LabelNotFound, SourceError
from policykg.ids import digest, entity_iri, local_id
from policykg.labels import MATCH_PREDICATES, LabelMatcher
from policykg.loaders.deck.emit import time_node
from policykg.values import Instant, ValueFormatError, parse_number, parse_time, unit_key_for
from policykg.namespaces import ID, PK, QUDT, UNIT, expand_prefixed

__all__ = ["COLUMNS", "REQUIRED", "parse_observations", "read_observations", "parse_date", "parse_unit"]

COLUMNS = ("indicator", "date", "value", "unit", "source", "note")
"""The template's columns, in order; ``synthetic`` (true/false) may follow for test data."""
REQUIRED = ("indicator", "date", "value")
_MULTIPLIERS = {"万": Decimal(10_000), "億": Decimal(100_000_000), "千": Decimal(1_000)}
_ISO = re.compile(r"^(\d{4})[-/](\d{1,2})(?:[-/](\d{1,2}))?$")
_TRUE = {"true", "1", "yes", "y", "はい"}
_FALSE = {"false", "0", "no", "n", "いいえ", ""}


@dataclass(frozen=True)
class _Indicator:
    iri: URIRef
    unit: URIRef | None
    unit_text: str | None


def _indicator_index(context: Graph) -> tuple[dict[URIRef, _Indicator], LabelMatcher[URIRef]]:
    by_iri: dict[URIRef, _Indicator] = {}
    by_label: LabelMatcher[URIRef] = LabelMatcher()
    for iri in sorted(set(context.subjects(RDF.type, PK.NumericIndicator))):
        if not isinstance(iri, URIRef):
            continue
        unit = context.value(iri, PK.unit)
        unit_text = context.value(iri, PK.unitText)
        by_iri[iri] = _Indicator(iri, unit if isinstance(unit, URIRef) else None,
                                 str(unit_text) if unit_text is not None else None)
        for predicate in MATCH_PREDICATES:
            for label in sorted(context.objects(iri, predicate)):
                by_label.add(str(label), iri)
    return by_iri, by_label


def _resolve_indicator(text: str, by_iri: Mapping[URIRef, _Indicator], by_label: LabelMatcher[URIRef]) -> _Indicator:
    text = expand_prefixed(text)
    if re.match(r"^https?://", text):
        if URIRef(text) in by_iri:
            return by_iri[URIRef(text)]
        raise ValueError(f"no numeric indicator with IRI <{text}>")
    try:
        return by_iri[by_label.find(text)]
    except AmbiguousLabel as exc:
        raise ValueError(f"label {text!r} names several indicators; use an IRI: {', '.join(exc.candidates)}") from None
    except LabelNotFound as exc:
        hint = f"; closest: {'、'.join(exc.suggestions)}" if exc.suggestions else ""
        raise ValueError(f"unknown indicator {text!r} (not a numeric indicator's label){hint}") from None


def parse_date(text: str) -> Instant:
    """A date cell: ISO ``2024-03-31`` / ``2024/3/31``, ``2024-03`` (month end), ``2024``
    (fiscal-year end), or Japanese ``令和6年3月31日`` / ``R5`` / ``令和5年度``.

    >>> parse_date("2024-03").date, parse_date("令和5年度").date, parse_date("2025").date
    (datetime.date(2024, 3, 31), datetime.date(2024, 3, 31), datetime.date(2026, 3, 31))

    :raises ValueError: impossible dates (``2025-02-30``), periods, or text that is not a date.
    """
    s = text.strip()
    if m := _ISO.match(s):
        year, month = int(m.group(1)), int(m.group(2))
        if m.group(3) is None:
            parsed = parse_time(f"{year}年{month}月")
        else:
            try:
                return Instant(dt.date(year, month, int(m.group(3))), "day", s)
            except ValueError as exc:
                raise ValueError(f"impossible date {s!r}: {exc}") from None
    else:
        try:
            parsed = parse_time(s)
        except ValueFormatError as exc:
            raise ValueError(str(exc)) from None
    if not isinstance(parsed, Instant):
        raise ValueError(f"{s!r} is a period; give the date the value refers to")
    return Instant(parsed.date, parsed.unit, s, parsed.fiscal_year)


def _parse_value(text: str) -> Decimal:
    s = text.strip()
    sign = Decimal(1)
    if s[:1] in ("-", "−", "－"):
        sign, s = Decimal(-1), s[1:]
    try:
        value, rest = parse_number(s)
    except ValueFormatError:
        raise ValueError(f"not a number: {text!r}") from None
    if rest:
        raise ValueError(f"not a number: {text!r} (put the unit in the unit column)")
    return sign * value


def parse_unit(text: str) -> tuple[URIRef, Decimal]:
    """A unit cell as (unit IRI, multiplier): ``万t-CO2`` → (unit:TonneCO2, 10000).

    >>> parse_unit("万円")[1], str(parse_unit("件")[0]).rsplit("/", 1)[-1], str(parse_unit("unit:Percent")[0])[-7:]
    (Decimal('10000'), 'Count', 'Percent')

    :raises ValueError: a unit policykg does not know.
    """
    s = text.strip()
    if s.startswith(str(UNIT)):
        return URIRef(s), Decimal(1)
    if s.startswith("unit:"):
        return UNIT[s[5:]], Decimal(1)
    if re.fullmatch(r"[A-Z][A-Za-z0-9]+", s):
        return UNIT[s], Decimal(1)
    multiplier = Decimal(1)
    if s[:1] in _MULTIPLIERS and len(s) > 1:
        multiplier, s = _MULTIPLIERS[s[:1]], s[1:]
    key = unit_key_for(s)
    if key is None:
        raise ValueError(f"unknown unit {text!r}; known: %, 件, 団体, 人, 円, t-CO2, m3, 児童生徒数/台 (万/億/千 prefixes allowed)")
    return UNIT[key], multiplier


def _flag(text: str) -> bool:
    s = text.strip().lower()
    if s in _TRUE:
        return True
    if s in _FALSE:
        return False
    raise ValueError(f"expected true or false, got {text!r}")


def _document_iri(file_name: str) -> URIRef:
    stem = re.sub(r"[^A-Za-z0-9._~-]+", "-", Path(file_name).stem).strip("-") or "observations"
    return entity_iri("source", stem)


def _row_triples(g: Graph, row: Mapping[str, str], line: int, file_name: str,
                 by_iri: Mapping[URIRef, _Indicator], by_label: LabelMatcher[URIRef],
                 seen: dict[URIRef, int]) -> None:
    def fail(field: str, message: str) -> SourceError:
        return SourceError(message, file=file_name, line=line, field=field)

    cell = {k: (row.get(k) or "").strip() for k in (*COLUMNS, "synthetic")}
    for column in REQUIRED:
        if not cell[column]:
            raise fail(column, f"{column} is empty")
    try:
        indicator = _resolve_indicator(cell["indicator"], by_iri, by_label)
    except ValueError as exc:
        raise fail("indicator", str(exc)) from None
    try:
        when = parse_date(cell["date"])
    except ValueError as exc:
        raise fail("date", str(exc)) from None
    try:
        value = _parse_value(cell["value"])
    except ValueError as exc:
        raise fail("value", str(exc)) from None
    unit, multiplier = indicator.unit or UNIT.Dimensionless, Decimal(1)
    if cell["unit"]:
        try:
            unit, multiplier = parse_unit(cell["unit"])
        except ValueError as exc:
            raise fail("unit", str(exc)) from None
        if indicator.unit is not None and unit != indicator.unit:
            wanted = indicator.unit_text or local_id(indicator.unit)
            raise fail("unit", f"unit {cell['unit']!r} does not match the indicator's unit {wanted!r} "
                               f"(<{indicator.unit}>); only 万/億/千 prefixes of it are accepted")
    try:
        synthetic = _flag(cell["synthetic"])
    except ValueError as exc:
        raise fail("synthetic", str(exc)) from None
    jurisdiction = str(indicator.iri)[len(str(ID)):].split("/", 1)[0]
    obs = entity_iri(jurisdiction, "observation", "obs-" + digest(str(indicator.iri), when.date.isoformat(), cell["source"]))
    if obs in seen:
        raise fail("date", f"duplicate observation: same indicator, date and source as line {seen[obs]}")
    seen[obs] = line
    number = value * multiplier
    number = number.quantize(Decimal(1)) if number == number.to_integral() else number.normalize()
    unit_text = cell["unit"] or indicator.unit_text or ""
    g.add((obs, RDF.type, PK.IndicatorObservation))
    g.add((obs, RDF.type, SOSA.Observation))
    g.add((obs, SOSA.observedProperty, indicator.iri))
    g.add((obs, QUDT.numericValue, Literal(str(number), datatype=XSD.decimal)))
    g.add((obs, QUDT.unit, unit))
    if unit_text:
        g.add((obs, PK.unitText, Literal(unit_text)))
    g.add((obs, PK.valueText, Literal(cell["value"] + unit_text)))
    g.add((obs, PK.date, Literal(when.date.isoformat(), datatype=XSD.date)))
    g.add((obs, SOSA.phenomenonTime, time_node(g, when)))  # when.text is the cell as written
    if cell["source"]:
        g.add((obs, DCTERMS.source, Literal(cell["source"])))
    if cell["note"]:
        g.add((obs, PK.note, Literal(cell["note"])))
    if synthetic:
        g.add((obs, PK.synthetic, Literal(True)))
    where = BNode()
    g.add((obs, PK.sourceRow, where))
    g.add((where, RDF.type, PK.SourceLocation))
    g.add((where, PK.document, _document_iri(file_name)))
    g.add((where, PK.line, Literal(line)))


def parse_observations(rows: Iterable[Mapping[str, str]], *, file_name: str, context: Graph) -> Graph:
    """Observation triples for ``rows`` (dicts keyed by column; the first row is line 2).

    ``context`` is the graph the indicators live in (labels, units). Values are converted to the
    indicator's base unit (``4,794`` with unit ``万t-CO2`` → 47940000 t-CO2).

    :raises SourceError: unknown or ambiguous indicator, unit of another kind, non-numeric value,
        impossible date, duplicate row; names the file, the line and the column. Nothing is returned.
    """
    by_iri, by_label = _indicator_index(context)
    g = Graph()
    seen: dict[URIRef, int] = {}
    for index, row in enumerate(rows):
        normalised = {str(k).strip().lower(): v for k, v in row.items() if k is not None}
        _row_triples(g, normalised, index + 2, file_name, by_iri, by_label, seen)
    return g


def read_observations(path: str | Path, context: Graph) -> Graph:
    """Read an observation CSV (UTF-8, BOM allowed) and parse it with :func:`parse_observations`.

    :raises SourceError: unreadable file, missing columns, a quote that never closes, no rows, or any bad
        row (see parse_observations); each names the file and the line.
    """
    from policykg.loaders.alignments import iter_records, quote_error

    path = Path(path)
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh, strict=True)
            try:
                fieldnames = reader.fieldnames
            except csv.Error as exc:
                raise quote_error(exc, file_name=str(path), line=1) from None
            header = [h.strip().lower() for h in (fieldnames or [])]
            missing = [c for c in REQUIRED if c not in header]
            if missing:
                raise SourceError(f"missing column(s) {', '.join(missing)}; the template has {', '.join(COLUMNS)}",
                                  file=str(path), line=1, field="header")
            rows = list(iter_records(reader, file_name=str(path)))
    except (OSError, UnicodeDecodeError) as exc:
        raise SourceError(f"cannot read CSV: {exc}", file=str(path)) from None
    if not rows:
        raise SourceError("no rows: the file has the header but no observation below it", file=str(path), line=1,
                          field="rows")
    return parse_observations(rows, file_name=str(path), context=context)
