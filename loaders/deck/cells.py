"""The HTML fragments and extraction noise inside table cells and headings.

Why: the extraction left ``<p>``/``<b>``/``<ul><li>``/``<input type="checkbox">``/□ markup in cells,
unit exponents as ``<sub>2</sub>``, footnote markers as ``<sup>55</sup>`` and stray page digits glued
to labels. Everything downstream wants clean labels and item lists, so this is done once here.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from policykg.values import compact

_SUP_SUB = re.compile(r"\s*<(sup|sub)>\s*([^<]*?)\s*</\1>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")
_ITEM_MARK = re.compile(r"<input\b[^>]*>|<li\b[^>]*>|[□☐■◆●]", re.IGNORECASE)
_TRAILING_ETC = re.compile(r"\s*(?:など|ほか|等々)\s*$")
_STRAY_NUMBER = re.compile(r"(?<=[^\x00-\x7f])\s+\d{1,3}$")
_REPOST = re.compile(r"\s*[（(]\s*再掲\s*[)）]\s*")
_BOLD_MD = re.compile(r"\*\*(.*?)\*\*")


def _sup_sub(m: re.Match[str]) -> str:
    """A unit exponent (``m<sup>3</sup>``, ``CO<sub>2</sub>``) stays glued; a footnote marker goes."""
    start = m.start()
    before = m.string[start - 1] if start > 0 else ""
    if before.isascii() and before.isalpha():
        return m.group(2)
    return ""


def strip_markup(text: str) -> str:
    """Text without tags, footnote markers and markdown emphasis; unit exponents kept.

    >>> strip_markup("4,794万t-CO <sub>2</sub>")
    '4,794万t-CO2'
    >>> strip_markup("観光立国北海道の更なる推進 <sup>55</sup>")
    '観光立国北海道の更なる推進'
    """
    s = _SUP_SUB.sub(_sup_sub, text)
    s = _BOLD_MD.sub(r"\1", s)
    s = _TAG.sub(" ", s)
    return html.unescape(s).strip()


def clean_label(text: str) -> str:
    """A label: no markup, no stray trailing page digits, extraction spaces removed.

    >>> clean_label("(3) 行政～未来技術の活用 を前提とした仕組みづくり 15")
    '(3)行政～未来技術の活用を前提とした仕組みづくり'
    """
    return compact(denoise(text))


def tidy(text: str) -> str:
    """``clean_label`` for text whose markup is already stripped (so ``&lt;`` text stays text).

    >>> tidy("<script> ラベル 12")
    '<script>ラベル'
    """
    return compact(_collapse(text))


def denoise(text: str) -> str:
    """Markup and stray trailing page digits removed, runs of spaces collapsed (spaces kept).

    >>> denoise("国の動向 デジタル社会の実現に向けた重点計画③ 6")
    '国の動向 デジタル社会の実現に向けた重点計画③'
    """
    return _collapse(strip_markup(text))


def _collapse(text: str) -> str:
    """Runs of spaces collapsed to one, ends stripped, a stray trailing page digit removed."""
    return _STRAY_NUMBER.sub("", re.sub(r"[ \t\u3000\u00a0]+", " ", text).strip())


_STRAY_AFTER_VALUE = re.compile(r"(?<=[^\d\s,.])\s+\d{1,3}$")


def value_text(cell: str) -> str:
    """A value cell without markup and without a stray page digit glued after its unit.

    >>> value_text("1,700件 14"), value_text("13.5%<sup>2</sup>"), value_text("4.8")
    ('1,700件', '13.5%', '4.8')
    """
    return _STRAY_AFTER_VALUE.sub("", strip_markup(cell))


@dataclass(frozen=True)
class Item:
    """One entry of a list cell; ``repost`` is True for items marked （再掲）."""

    label: str
    repost: bool = False


def cell_items(cell: str) -> list[Item]:
    """Split a cell into its checkbox / □ / ``<li>`` items.

    >>> cell_items('<input type="checkbox"/> 北海道型のMaaSの展開（再掲） <input type="checkbox"/> 自動運転 など')
    [Item(label='北海道型のMaaSの展開', repost=True), Item(label='自動運転', repost=False)]
    """
    items: list[Item] = []
    for part in _ITEM_MARK.split(cell):
        text = _TRAILING_ETC.sub("", strip_markup(part))
        repost = bool(_REPOST.search(text))
        label = tidy(_REPOST.sub("", text))
        if label:
            items.append(Item(label, repost))
    return items


def split_joined(text: str) -> list[str]:
    """A list line whose items are joined by □ (``A □ B``) gives several labels."""
    parts = [tidy(p) for p in re.split(r"\s*[□☐]\s*", strip_markup(text))]
    return [p for p in parts if p]


@dataclass(frozen=True)
class Fragment:
    """A ``<p>`` paragraph of a cell; ``bold`` when the whole paragraph is ``<b>``."""

    text: str
    bold: bool


def paragraphs(cell: str) -> list[Fragment]:
    """The ``<p>`` paragraphs of a cell, raw spacing kept (phases are separated by spaces).

    >>> paragraphs("<p><b>goal</b></p> <p>a → b c</p>")
    [Fragment(text='goal', bold=True), Fragment(text='a → b c', bold=False)]
    """
    parts = re.findall(r"<p\b[^>]*>(.*?)</p>", cell, flags=re.IGNORECASE | re.DOTALL) or [cell]
    out = []
    for part in parts:
        bold = bool(re.fullmatch(r"\s*<(b|strong)>.*</\1>\s*", part, flags=re.DOTALL | re.IGNORECASE))
        text = re.sub(r"[ \u3000]+", " ", strip_markup(part)).strip()
        if text:
            out.append(Fragment(text, bold))
    return out


__all__ = ["strip_markup", "clean_label", "tidy", "denoise", "value_text", "Item", "cell_items", "split_joined", "Fragment", "paragraphs"]
