"""The 2021–2030 roadmap (slide 1): rows (区分 × field), and per area a goal and its phases.

Layout read: a tab row with several 4-digit years is the header (its years give the period);
following rows are ``区分 \\t field`` (an empty 区分 repeats the one above); a cell of ``<p>``
paragraphs holds, per area, a bold goal then the phases. Phases are separated by spaces but
labels may contain spaces, so each paragraph is segmented by matching token spans against the
area's direction labels (dynamic programming on bigram similarity × length). ``X → Y`` is a
transition; an X that matches no direction is the initial (COVID-era) focus.

A row (field) corresponds to the direction of its area whose wording contains the field's wording
(「マイナンバー制度」 → 「マイナンバー制度の円滑な運用と…」): most of the row label's character bigrams
occur in the direction label. Rows such as 「教育」 whose words no direction repeats stay unlinked;
the gap query reports them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rdflib import Literal, URIRef

from policykg.ids import entity_iri
from policykg.loaders.deck.cells import clean_label, paragraphs, tidy
from policykg.loaders.deck.emit import Emitter
from policykg.loaders.deck.ids import labelled_iri
from policykg.loaders.deck.local_plan import Area, Direction, LocalStructure, area_iri, direction_iri
from policykg.loaders.deck.match import best_match, bigrams, segment_labels
from policykg.loaders.deck.segment import Deck, heading_of
from policykg.values import Interval, fiscal_year_instant
from policykg.namespaces import PK, XSD

_YEAR = re.compile(r"(?<!\d)(\d{4})(?!\d)")
_ARROW = re.compile(r"\s*(?:→|⇒|->)\s*")
ROW_COVERAGE = 0.8
"""Share of a row label's bigrams a direction label must contain for the row to correspond to it."""


@dataclass
class Phase:
    label: str
    direction: Direction | None  # None: initial focus


@dataclass
class Block:
    area: Area
    goal: str
    line: int
    phases: list[Phase] = field(default_factory=list)
    transitions: list[tuple[Phase, Phase]] = field(default_factory=list)


@dataclass
class Roadmap:
    label: str
    line: int
    period: Interval | None
    rows: list[tuple[Area, str, int]] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)


def _header_years(cells: list[str]) -> list[int]:
    return [int(y) for c in cells for y in _YEAR.findall(c)]


def parse_roadmap(deck: Deck, local: LocalStructure) -> Roadmap | None:
    """The first table whose header row carries two or more years; None when the deck has none."""
    areas = [local.areas[n] for n in sorted(local.areas)]
    for slide in deck.slides:
        header = next((ln for ln in slide.lines if ln.is_table_row and len(_header_years(ln.cells)) >= 2), None)
        if header is None:
            continue
        years = _header_years(header.cells)
        period = Interval(fiscal_year_instant(min(years), str(min(years)), at="start"),
                          fiscal_year_instant(max(years), str(max(years))), " ".join(c for c in header.cells[1:] if c))
        heads = [h for h in map(heading_of, slide.lines) if h and h.line < header.no]
        title = heads[-1] if heads else None
        m = re.search(r"[（(]([^（()）]*ロードマップ)[)）]", title.text) if title else None
        label = tidy(m.group(1) if m else (title.text if title else "ロードマップ"))
        roadmap = Roadmap(label, title.line if title else header.no, period)
        current = ""
        for line in slide.lines:
            if line.no <= header.no or not line.is_table_row:
                continue
            cells = line.cells
            if any("<p" in c for c in cells):
                roadmap.blocks += _blocks(" ".join(cells), line.no, areas)
                continue
            current = clean_label(cells[0]) or current
            field_label = clean_label(cells[1]) if len(cells) > 1 else ""
            if current and field_label:
                roadmap.rows.append((_area_for(current, areas, roadmap), field_label, line.no))
        return roadmap
    return None


def _area_for(label: str, areas: list[Area], roadmap: Roadmap) -> Area:
    """Area of a 区分 cell: prefix of the area label, else similarity, else the next area in order."""
    for area in areas:
        if area.label.startswith(label) or label.startswith(area.label):
            return area
    found = best_match(label, areas, key=lambda a: a.label)
    if found:
        return found
    seen = list(dict.fromkeys(a.number for a, _, _ in roadmap.rows))
    return areas[min(len(seen), len(areas) - 1)]


def _blocks(cell: str, line: int, areas: list[Area]) -> list[Block]:
    blocks: list[Block] = []
    for frag in paragraphs(cell):
        if frag.bold:
            area = best_match(frag.text, areas, key=lambda a: a.goal, minimum=0.3) or areas[min(len(blocks), len(areas) - 1)]
            blocks.append(Block(area, tidy(frag.text), line))
        elif blocks:
            _phases(blocks[-1], frag.text)
    return blocks


def _phases(block: Block, text: str) -> None:
    segments = _ARROW.split(text)
    previous_tail: Phase | None = None
    for k, segment in enumerate(segments):
        before_arrow = k < len(segments) - 1
        phases = segment_phases(segment.split(), block.area.directions, allow_unmatched_tail=before_arrow)
        if previous_tail is not None and phases:
            if previous_tail.direction is not None and previous_tail.direction is phases[0].direction:
                previous_tail.direction = None  # X → Y within one direction: X is the earlier focus
            block.transitions.append((previous_tail, phases[0]))
        block.phases += phases
        previous_tail = phases[-1] if phases else None


def segment_phases(tokens: list[str], directions: list[Direction], *, allow_unmatched_tail: bool) -> list[Phase]:
    """Split space-separated tokens into phases, each matching a direction (best total similarity).

    >>> d = [Direction(2, "d", "多彩な地域資源を活かした世界が憧れる観光立国北海道の更なる推進", 1),
    ...      Direction(2, "e", "産業活動や暮らしを支える社会資本の戦略的・効率的な整備", 1)]
    >>> [p.label for p in segment_phases("多彩な地域資源を活かした世界が憧れる 観光立国北海道の更なる推進 "
    ...      "産業活動や暮らしを支える社会資本の戦略的・効率的な整備".split(), d, allow_unmatched_tail=False)]
    ['多彩な地域資源を活かした世界が憧れる観光立国北海道の更なる推進', '産業活動や暮らしを支える社会資本の戦略的・効率的な整備']
    """
    spans = segment_labels(tokens, directions, key=lambda d: d.label, join=lambda t: tidy(" ".join(t)),
                           allow_unmatched_tail=allow_unmatched_tail)
    if spans is None:
        label = tidy(" ".join(tokens))
        return [Phase(label, None)] if label else []
    return [Phase(label, match) for label, match in spans]


def row_directions(label: str, directions: list[Direction]) -> list[Direction]:
    """Directions whose wording contains the row's (best coverage, ties kept; none below ROW_COVERAGE).

    >>> d = [Direction(3, "a", "利用者視点でのデジタル化の推進", 1), Direction(3, "b", "マイナンバー制度の円滑な運用", 1)]
    >>> [x.notation for x in row_directions("利用者視点のデジタル化", d)], row_directions("教育", d)
    (['3a'], [])
    """
    row = bigrams(label)
    scored = [(len(row & bigrams(d.label)) / len(row), d) for d in directions]
    best = max((score for score, _ in scored), default=0.0)
    return [d for score, d in scored if score >= ROW_COVERAGE and score == best]


def emit_roadmap(em: Emitter, roadmap: Roadmap, jur: str, plan: URIRef) -> None:
    """Roadmap, rows, phases (with pk:correspondsTo) and transitions; direction variants as altLabels."""
    base = f"{jur}-roadmap"
    r = em.entity(entity_iri(jur, "roadmap", base), (PK.Roadmap,), roadmap.label, roadmap.line)
    em.add(r, PK.roadmapOf, plan)
    if roadmap.period is not None:
        em.add(r, PK.period, em.time(roadmap.period))
        em.add(plan, PK.planPeriod, em.time(roadmap.period))
    for k, (area, label, line) in enumerate(roadmap.rows, start=1):
        row = em.entity(labelled_iri(jur, "roadmap", "row", area.label, label, under=(base,)), (PK.RoadmapRow,), label, line)
        em.add(row, PK.area, area_iri(jur, area.number))
        em.add(row, PK.ordinal, Literal(k, datatype=XSD.integer))
        em.add(r, PK.hasRow, row)
        for direction in row_directions(label, area.directions):
            em.add(row, PK.correspondsTo, direction_iri(jur, direction.notation))
    for block in roadmap.blocks:
        a = area_iri(jur, block.area.number)
        em.locate(a, block.line)
        iris: dict[int, URIRef] = {}
        for phase in block.phases:
            iri = em.entity(labelled_iri(jur, "roadmap", "phase", phase.label, under=(base,)), (PK.RoadmapPhase,),
                            phase.label, block.line)
            iris[id(phase)] = iri
            em.add(r, PK.hasPhase, iri)
            em.add(iri, PK.area, a)
            if phase.direction is None:
                em.add(iri, PK.phaseKind, PK.InitialFocus)
            else:
                d = direction_iri(jur, phase.direction.notation)
                em.add(iri, PK.phaseKind, PK.PlanDirectionPhase)
                em.add(iri, PK.correspondsTo, d)
                em.alt_label(d, phase.label)
                em.locate(d, block.line)
        for src, dst in block.transitions:
            t = em.entity(labelled_iri(jur, "roadmap", "transition", src.label, dst.label, under=(base,)), (PK.Transition,),
                          f"{src.label} → {dst.label}", block.line)
            em.add(t, PK.fromPhase, iris[id(src)])
            em.add(t, PK.toPhase, iris[id(dst)])
            em.add(t, PK.area, a)


__all__ = ["Phase", "Block", "Roadmap", "parse_roadmap", "segment_phases", "emit_roadmap"]
