"""A slide as a tree: headings, list items, table rows, paragraphs and ✓ checkpoints.

Why: the national slides present plans as outlines (## group → ### item → - sub-item, numbered
principles, ✓ checkpoints, ①… table rows). Reading the outline once lets national.py classify
nodes by shape instead of by wording.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from policykg.loaders.deck.cells import clean_label, split_joined, strip_markup, tidy
from policykg.loaders.deck.segment import Line, Slide, heading_of

_LIST = re.compile(r"^\s*(?:[-*・]|(\d{1,2})[.．)])\s+(.*)$")
_CHECK = re.compile(r"^[✓✔☑]\s*")
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_STEP = re.compile(r"^ステップ\s*(\d+)$")
_CITATION = re.compile(r"より引用$")

ITEM_LEVEL = 10


@dataclass
class Node:
    """A heading (level 1–6), a list item or a table row (level 10); children in source order."""

    label: str
    line: int
    level: int
    kind: str  # heading | item | row
    number: int | None = None  # "1." list number, ① row number, ステップN
    description: list[str] = field(default_factory=list)
    children: list[Node] = field(default_factory=list)
    checks: list[tuple[str, int]] = field(default_factory=list)
    paragraphs: list[tuple[str, int]] = field(default_factory=list)  # every paragraph, in order

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()


def _item(text: str, line: int, number: int | None) -> list[Node]:
    """A list line; ``A □ B`` gives two items, ``label：explanation`` splits off a description."""
    nodes = []
    for label in split_joined(text):
        head, sep, rest = label.partition("：")
        node = Node(head if sep else label, line, ITEM_LEVEL, "item", number)
        if sep and rest:
            node.description.append(rest)
        nodes.append(node)
    return nodes


def _row(line: Line) -> Node | None:
    cells = [c for c in line.cells if c]
    if not cells or cells[0][0] not in _CIRCLED:
        return None
    node = Node(clean_label(cells[0]), line.no, ITEM_LEVEL, "row", _CIRCLED.index(cells[0][0]) + 1)
    if len(cells) > 1:
        bullets = [tidy(b) for b in re.split(r"(?:^|\s)・", strip_markup(" ".join(cells[1:]))) if b.strip()]
        node.description.append("\n".join(bullets))
    return node


def outline(slide: Slide) -> Node:
    """The slide's tree under a synthetic root (level 0)."""
    root = Node("", slide.start, 0, "root")
    stack: list[Node] = [root]
    last_item: Node | None = None
    paragraph: list[str] = []
    para_line = 0

    def flush() -> None:
        nonlocal paragraph
        if paragraph:
            text = tidy(" ".join(paragraph))
            top = stack[-1]
            top.paragraphs.append((text, para_line))
            if not top.children and not top.checks:
                top.description.append(text)
        paragraph = []

    for line in slide.lines:
        if line.is_blank:
            flush()
            continue
        h = heading_of(line)
        if h:
            flush()
            label = tidy(h.text)
            step = _STEP.match(label)
            if step is None and stack[-1].kind == "heading" and stack[-1].level == h.level and stack[-1].number is not None \
                    and stack[-1].label.startswith("ステップ"):
                stack[-1].label = label  # "#### ステップ0" then "#### title": one step node
                stack[-1].line = h.line
                continue
            while stack[-1].level >= h.level:
                stack.pop()
            node = Node(label, h.line, h.level, "heading", int(step.group(1)) if step else None)
            stack[-1].children.append(node)
            stack.append(node)
            last_item = None
            continue
        if line.is_table_row:
            flush()
            node = _row(line)
            if node:
                stack[-1].children.append(node)
            continue
        m = _LIST.match(line.text)
        if m:
            flush()
            raw = m.group(2)
            if _CHECK.match(strip_markup(raw)):
                stack[-1].checks.append((tidy(_CHECK.sub("", strip_markup(raw))), line.no))
                continue
            items = _item(raw, line.no, int(m.group(1)) if m.group(1) else None)
            stack[-1].children.extend(items)
            last_item = items[-1] if items else None
            continue
        text = strip_markup(line.text)
        if _CITATION.search(text) or line.text.strip().isdigit():
            flush()
            continue
        if last_item is not None and line.text.startswith((" ", "\u3000")):
            last_item.description.append(tidy(text))
            continue
        if not paragraph:
            para_line = line.no
        paragraph.append(text)
    flush()
    return root


__all__ = ["Node", "outline", "ITEM_LEVEL"]
