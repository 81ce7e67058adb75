"""Lines → slides → sections, with 1-based line numbers kept everywhere.

Why: the deck is a text extraction of a slide deck. Every entity must say where it came from
(slide, section, line), and the structure (headings, tab-separated tables, page numbers on lines
of their own) is the only reliable signal — the wording changes between editions.

Slide rule (docs/loader.md): a line holding only a 1–3 digit number between blank lines is a
printed page number and ENDS a slide. Text between two page numbers is split at level-1
headings (``# ``); if that still gives fewer slides than the printed numbers skipped, it is also
split at level-2 headings. Unnumbered slides are numbered backwards from the printed number
that ends their run, or forwards from the last printed number at the end of the document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from policykg.loaders.deck.cells import denoise

_PAGE = re.compile(r"^\s*(\d{1,3})\s*$")
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")


@dataclass(frozen=True)
class Line:
    """One physical line of the source (``no`` is 1-based, ``text`` without the newline)."""

    no: int
    text: str

    @property
    def is_blank(self) -> bool:
        return not self.text.strip()

    @property
    def cells(self) -> list[str]:
        """Tab-separated cells, stripped (a line without tabs is one cell)."""
        return [c.strip() for c in self.text.split("\t")]

    @property
    def is_table_row(self) -> bool:
        return "\t" in self.text


@dataclass(frozen=True)
class Heading:
    level: int
    text: str
    line: int


@dataclass
class Slide:
    """A run of lines shown on one page; ``printed`` says whether its number was in the text."""

    number: int
    printed: bool
    lines: list[Line] = field(default_factory=list)

    @property
    def start(self) -> int:
        return self.lines[0].no if self.lines else 0


def heading_of(line: Line) -> Heading | None:
    """The markdown heading on this line, if any (text cleaned of markup and stray numbers)."""
    m = _HEADING.match(line.text)
    if not m or "\t" in line.text:
        return None
    return Heading(len(m.group(1)), denoise(m.group(2)), line.no)


@dataclass
class Deck:
    """The segmented document: all lines, slides, and a line → (slide, section) index."""

    lines: list[Line]
    slides: list[Slide]
    page_lines: set[int]
    _slide_of: dict[int, int] = field(default_factory=dict)
    _section_of: dict[int, str] = field(default_factory=dict)

    def locate(self, line_no: int) -> tuple[int, str]:
        """(slide number, section) of a 1-based line."""
        return self._slide_of.get(line_no, 0), self._section_of.get(line_no, "")

    def slide_number(self, line_no: int) -> int:
        return self._slide_of.get(line_no, 0)


def _is_page_number(lines: list[Line], i: int) -> bool:
    if "\t" in lines[i].text or not _PAGE.match(lines[i].text):
        return False
    before_blank = i == 0 or lines[i - 1].is_blank
    after_blank = i + 1 >= len(lines) or lines[i + 1].is_blank
    return before_blank and after_blank


def _split(run: list[Line], level: int) -> list[list[Line]]:
    """Split a run of lines before each heading of ``level`` that follows some content."""
    pieces: list[list[Line]] = [[]]
    for line in run:
        h = heading_of(line)
        if h and h.level == level and any(not x.is_blank for x in pieces[-1]):
            pieces.append([])
        pieces[-1].append(line)
    return [p for p in pieces if p]


def _split_to(run: list[Line], wanted: int | None) -> list[list[Line]]:
    pieces = _split(run, 1)
    if wanted is None or len(pieces) >= wanted:
        return pieces
    refined: list[list[Line]] = []
    extra = wanted - len(pieces)
    for piece in pieces:
        sub = _split(piece, 2)
        while len(sub) > 1 and len(sub) - 1 > extra:
            sub[-2:] = [sub[-2] + sub[-1]]
        extra -= len(sub) - 1
        refined.extend(sub)
    return refined


def segment(text: str) -> Deck:
    """Split the document into lines and slides and index each line's slide and section.

    >>> d = segment("# A\\n\\nx\\n\\n2\\n\\n# B\\n\\ny\\n")
    >>> [(s.number, s.printed) for s in d.slides], d.locate(9)
    ([(2, True), (3, False)], (3, 'B'))
    """
    raw = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if raw and raw[-1] == "":
        raw.pop()
    lines = [Line(i + 1, t) for i, t in enumerate(raw)]
    page_lines = {lines[i].no for i in range(len(lines)) if _is_page_number(lines, i)}
    slides: list[Slide] = []
    run: list[Line] = []
    last_printed = 0
    for line in lines:
        if line.no not in page_lines:
            run.append(line)
            continue
        number = int(line.text.strip())
        wanted = number - last_printed if number > last_printed else None
        pieces = _split_to(run, wanted)
        for k, piece in enumerate(pieces):
            n = number - (len(pieces) - 1 - k)
            slides.append(Slide(n, k == len(pieces) - 1, piece))
        if pieces:
            slides[-1].lines.append(line)
        else:
            slides.append(Slide(number, True, [line]))
        last_printed = number
        run = []
    if any(not x.is_blank for x in run):
        for k, piece in enumerate(_split(run, 1)):
            slides.append(Slide(last_printed + k + 1, False, piece))
    deck = Deck(lines, slides, page_lines)
    _index(deck)
    return deck


def _index(deck: Deck) -> None:
    """Fill the line → slide and line → section maps (section = heading path within the slide)."""
    stack: list[Heading] = []
    for slide in deck.slides:
        inherited = list(stack)
        stack = []
        for line in slide.lines:
            h = heading_of(line)
            if h:
                stack = [x for x in stack if x.level < h.level] + [h]
            deck._slide_of[line.no] = slide.number
            deck._section_of[line.no] = " > ".join(x.text for x in (stack or inherited))
        stack = stack or inherited


__all__ = ["Line", "Heading", "Slide", "Deck", "segment", "heading_of"]
