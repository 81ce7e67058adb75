"""Meetings, schedule items, working groups and publicity activities (slides 18–19).

- Meetings: 「<m>月に第N回<…>会議」 statements; months belong to the fiscal year stated in the
  nearest heading (「【令和4年度の予定】」), so 2月 of FY2022 is February 2023.
- Schedule items: numbered lines with a month range 「（5月～12月）」; the indented line below is
  their description (「ワーキンググループは3～4回の会合を実施」).
- Working groups: the name ワーキンググループ / WG wherever the deck names one (one entity).
- Publicity: bullet items on slides whose headings speak of 広報/周知; a ※ line below is the note.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal as Lit

from rdflib import Literal, URIRef

from policykg.errors import SourceError
from policykg.ids import normalize_label
from policykg.loaders.deck.cells import strip_markup, tidy
from policykg.loaders.deck.emit import Emitter
from policykg.loaders.deck.ids import labelled_iri
from policykg.loaders.deck.segment import Deck, Slide, heading_of
from policykg.values import Instant, Interval, ValueFormatError, find_time, month_instant
from policykg.namespaces import DCTERMS, PK, XSD

_MEETING = re.compile(r"(\d{1,2})月に(第\d+回[^、。,]*?会議)")
_RANGE = re.compile(r"^(.+?)[（(]\s*(\d{1,2})月\s*[～~〜-]\s*(\d{1,2})月\s*[）)]\s*$")
_NUMBERED = re.compile(r"^\s*\d{1,2}[.．)]\s+(.*)$")
_BULLET = re.compile(r"^\s*[-*・]\s+(.*)$")
_WG = re.compile(r"ワーキンググループ|WG")
_PUBLICITY = re.compile(r"広報|周知")


@dataclass
class Event:
    kind: URIRef
    label: str
    line: int
    time: Instant | Interval | None = None
    fiscal_year: int | None = None
    description: list[str] = field(default_factory=list)


def _fy_month(fy: int, month: int, text: str, at: Lit["start", "end"] = "end") -> Instant:
    """A month of a Japanese fiscal year (April–March): 1–3月 fall in the next calendar year."""
    return month_instant(fy + 1 if month <= 3 else fy, month, text, at=at)


def _fiscal_year(deck: Deck, slide: Slide, line_no: int, file: str) -> int | None:
    """The fiscal year stated in the nearest heading above the line on its slide (〇〇年度)."""
    heads = [h for h in map(heading_of, slide.lines) if h and h.line <= line_no]
    for h in reversed(heads):
        try:
            found = find_time(h.text)
        except ValueFormatError as exc:
            raise SourceError(str(exc), file, h.line, "年度") from exc
        if found and isinstance(found[0], Instant) and found[0].fiscal_year and "年度" in found[1]:
            return found[0].fiscal_year
    return None


def parse_events(deck: Deck, slides: list[Slide], file: str) -> list[Event]:
    """Events on the given slides (those after the local-plan slides, before the indicator tables)."""
    events: list[Event] = []
    for slide in slides:
        publicity = any(_PUBLICITY.search(h.text) for h in map(heading_of, slide.lines) if h)
        last: Event | None = None
        for line in slide.lines:
            text = strip_markup(line.text)
            if line.is_blank or heading_of(line):
                last = None
                continue
            if m := _NUMBERED.match(text):
                last = _numbered(deck, slide, tidy(m.group(1)), line.no, file, events)
            elif (m := _BULLET.match(text)) and publicity:
                text = tidy(m.group(1))
                last = Event(PK.PublicityActivity, text.rstrip("。"), line.no, description=[text])
                events.append(last)
            elif last is not None:
                last.description.append(tidy(text).lstrip("※"))
    return events


def _numbered(deck: Deck, slide: Slide, text: str, line: int, file: str, events: list[Event]) -> Event | None:
    fy = _fiscal_year(deck, slide, line, file)
    meetings = list(_MEETING.finditer(text))
    if meetings and fy is not None:
        for m in meetings:
            when = _fy_month(fy, int(m.group(1)), f"{m.group(1)}月")
            events.append(Event(PK.Meeting, m.group(2), line, when, fy, [text]))
        return None
    if (m := _RANGE.match(text)) and fy is not None:
        begin = _fy_month(fy, int(m.group(2)), f"{m.group(2)}月", at="start")
        end = _fy_month(fy, int(m.group(3)), f"{m.group(3)}月")
        event = Event(PK.ScheduleItem, m.group(1), line, Interval(begin, end, f"{m.group(2)}月～{m.group(3)}月"), fy)
    else:
        event = Event(PK.ScheduleItem, text.rstrip("。"), line, None, fy)
    events.append(event)
    return event


def working_group_lines(deck: Deck) -> list[int]:
    return [ln.no for ln in deck.lines if _WG.search(normalize_label(strip_markup(ln.text)))]


def emit_events(em: Emitter, events: list[Event], jur: str, plan: URIRef, wg_lines: list[int]) -> None:
    """Events with label, time, fiscal year and description; one pk:WorkingGroup where named."""
    for event in events:
        iri = em.entity(labelled_iri(jur, "event", "ev", event.label), (event.kind,), event.label, event.line)
        em.add(iri, DCTERMS.relation, plan)
        if event.time is not None:
            em.add(iri, PK.scheduledTime, em.time(event.time))
        if event.fiscal_year is not None:
            em.add(iri, PK.fiscalYear, Literal(str(event.fiscal_year), datatype=XSD.gYear))
        if event.description:
            em.describe(iri, "\n".join(event.description))
    if wg_lines:
        wg = em.entity(labelled_iri(jur, "event", "ev", "ワーキンググループ"), (PK.WorkingGroup,),
                       "ワーキンググループ", wg_lines[0], en="Working group")
        for line in wg_lines[1:]:
            em.locate(wg, line)


__all__ = ["Event", "parse_events", "emit_events", "working_group_lines"]
