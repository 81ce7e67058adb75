"""The local plan's areas, policy directions and measures (the 道の取組 slides).

Structure, not strings: an area is a heading ``(n) label～goal``; below it, on the same slide, a
tab-separated table whose rows carry a cell ``(a) direction`` followed by a cell of checkbox / □
items (the measures). A measure marked （再掲） is the same entity as its first occurrence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from policykg.ids import entity_iri
from policykg.loaders.deck.cells import cell_items, clean_label, tidy
from policykg.loaders.deck.emit import Emitter
from policykg.loaders.deck.ids import labelled_iri
from policykg.loaders.deck.segment import Deck, heading_of
from policykg.namespaces import PK, SKOS, XSD
from rdflib import Literal, URIRef

_AREA = re.compile(r"^\((\d+)\)\s*(.+)$")
_DIRECTION = re.compile(r"^\(([a-z])\)\s*(.+)$")
_GOAL_SEP = re.compile(r"\s*[～~〜]\s*")


@dataclass
class Direction:
    area: int
    letter: str
    label: str
    line: int
    variants: list[tuple[str, int]] = field(default_factory=list)

    @property
    def notation(self) -> str:
        return f"{self.area}{self.letter}"


@dataclass
class Area:
    number: int
    label: str
    goal: str
    line: int
    directions: list[Direction] = field(default_factory=list)
    variants: list[tuple[str, int]] = field(default_factory=list)


@dataclass(frozen=True)
class MeasureUse:
    label: str
    direction: str  # notation, e.g. "2d"
    line: int
    repost: bool


@dataclass
class LocalStructure:
    areas: dict[int, Area] = field(default_factory=dict)
    measures: list[MeasureUse] = field(default_factory=list)

    def direction(self, notation: str) -> Direction:
        area = self.areas[int(notation[:-1])]
        return next(d for d in area.directions if d.letter == notation[-1])

    def all_directions(self) -> list[Direction]:
        return [d for n in sorted(self.areas) for d in self.areas[n].directions]


def _area_from_heading(text: str, line: int) -> Area | None:
    m = _AREA.match(tidy(text))
    if not m:
        return None
    head, *rest = _GOAL_SEP.split(m.group(2), maxsplit=1)
    label = head.strip("「」『』 ")
    return Area(int(m.group(1)), label, rest[0] if rest else "", line)


def parse_local(deck: Deck) -> LocalStructure:
    """Areas, directions and measure occurrences, in document order."""
    out = LocalStructure()
    for slide in deck.slides:
        area: Area | None = None
        for line in slide.lines:
            h = heading_of(line)
            if h:
                found = _area_from_heading(h.text, line.no)
                if found:
                    area = out.areas.setdefault(found.number, found)
                    if area is not found:
                        area.variants.append((found.label, line.no))
                continue
            if area is None or not line.is_table_row:
                continue
            _table_row(out, area, line.no, line.cells)
    return out


def _table_row(out: LocalStructure, area: Area, line_no: int, cells: list[str]) -> None:
    for i, cell in enumerate(cells):
        m = _DIRECTION.match(clean_label(cell))
        if not m:
            continue
        if i > 0 and cells[0]:
            area.variants.append((clean_label(cells[0]), line_no))
        letter, label = m.group(1), m.group(2)
        existing = next((d for d in area.directions if d.letter == letter), None)
        if existing is None:
            existing = Direction(area.number, letter, label, line_no)
            area.directions.append(existing)
        else:
            existing.variants.append((label, line_no))
        for item in cell_items(" ".join(cells[i + 1:])):
            out.measures.append(MeasureUse(item.label, existing.notation, line_no, item.repost))
        return


def area_iri(jur: str, n: int) -> URIRef:
    return entity_iri(jur, "area", f"{jur}-area-{n}")


def direction_iri(jur: str, notation: str) -> URIRef:
    return entity_iri(jur, "direction", f"{jur}-dir-{notation}")


def measure_iri(jur: str, label: str) -> URIRef:
    return labelled_iri(jur, "measure", "m", label)


def emit_local(em: Emitter, local: LocalStructure, jur: str, plan: URIRef, area_en: dict[str, str]) -> None:
    """Areas (top concepts of the plan), directions (narrower than their area) and measures."""
    for n in sorted(local.areas):
        area = local.areas[n]
        a = em.entity(area_iri(jur, n), (PK.PolicyArea, SKOS.Concept), area.label, area.line,
                      scheme=plan, en=area_en.get(area.label))
        em.add(a, SKOS.notation, Literal(str(n)))
        em.add(a, PK.ordinal, Literal(n, datatype=XSD.integer))
        em.text(a, PK.goal, area.goal)
        em.add(a, SKOS.topConceptOf, plan)
        em.add(plan, SKOS.hasTopConcept, a)
        em.add(plan, PK.hasArea, a)
        for label, line in area.variants:
            em.alt_label(a, label)
            em.locate(a, line)
        for d in area.directions:
            emit_direction(em, d, jur, plan)
    seen: set[URIRef] = set()
    for use in local.measures:
        m = measure_iri(jur, use.label)
        if m not in seen:
            em.entity(m, (PK.Measure, SKOS.Concept), use.label, use.line, scheme=plan)
            seen.add(m)
        else:
            em.locate(m, use.line)
        d = direction_iri(jur, use.direction)
        em.add(m, PK.direction, d)
        em.add(m, SKOS.broader, d)


def emit_direction(em: Emitter, d: Direction, jur: str, plan: URIRef) -> URIRef:
    """One policy direction with its wording variants as skos:altLabel."""
    iri = em.entity(direction_iri(jur, d.notation), (PK.PolicyDirection, SKOS.Concept), d.label, d.line,
                    scheme=plan)
    a = area_iri(jur, d.area)
    em.add(iri, PK.letter, Literal(d.letter))
    em.add(iri, SKOS.notation, Literal(d.notation))
    em.add(iri, PK.area, a)
    em.add(iri, SKOS.broader, a)
    for label, line in d.variants:
        em.alt_label(iri, label)
        em.locate(iri, line)
    return iri


__all__ = [
    "Direction", "Area", "MeasureUse", "LocalStructure", "parse_local", "emit_local", "emit_direction",
    "area_iri", "direction_iri", "measure_iri",
]
