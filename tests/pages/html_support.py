"""Tiny HTML readers for page tests (standard library only), importable as ``html_support``."""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser

OPAQUE_ID = re.compile(r"\b(?:[a-z]{1,8}-)+[a-z0-9]{10}\b")
"""An id as the project mints them (``al-7sgy5osu2h``, ``m-svoxduklz6``, ``kpi-mwmovzpu7r``)."""


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str]] = []
        self._href: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self._href = dict(attrs).get("href")
            self._text = []

    def handle_data(self, data):
        if self._href is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "a" and self._href is not None:
            self.links.append((self._href, "".join(self._text).strip()))
            self._href = None


def links(html: str) -> list[tuple[str, str]]:
    """Every ``<a href>`` of a page as (href, visible text)."""
    parser = _Links()
    parser.feed(html)
    return parser.links


def section(html: str, element_id: str) -> str:
    """The markup of the ``<section id=...>`` (up to its closing tag; sections are not nested here)."""
    start = html.index(f'<section class="panel" id="{element_id}"' if f'class="panel" id="{element_id}"' in html
                       else f'<section id="{element_id}"')
    return html[start:html.index("</section>", start)]


def text(html: str) -> str:
    """The visible text, tags removed and whitespace collapsed."""
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))).strip()
