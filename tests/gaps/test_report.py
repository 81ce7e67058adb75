"""The planner report: the HTML parses, works offline, escapes labels and links to entity pages;
the workbook reads back with openpyxl."""

from __future__ import annotations

from datetime import date
from html.parser import HTMLParser

import pytest
from openpyxl import load_workbook

from policykg.graph.analysis.gaps import GAP_LISTS, build_gaps
from policykg.report import write_report
from policykg.report.html import check_base_url, render_html
from policykg.words import t

from tests.gaps.stores import mini_store


class Page(HTMLParser):
    """Collects tags, links, external references and text."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.links: list[str] = []
        self.sources: list[str] = []
        self.text: list[str] = []
        self.section_ids: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        if tag == "section":
            self.section_ids.append(attrs.get("id", ""))
        for name in ("src", "srcset"):
            if name in attrs:
                self.sources.append(attrs[name])
        if tag == "link":
            self.sources.append(attrs.get("href", ""))

    def handle_data(self, data):
        self.text.append(data)


@pytest.fixture(scope="module")
def mini_doc():
    return build_gaps(mini_store(), as_of=date(2024, 6, 1))


@pytest.fixture(scope="module")
def hokkaido_doc(hokkaido_store):
    return build_gaps(hokkaido_store, as_of=date(2026, 12, 3))


def parse(html: str) -> Page:
    page = Page()
    page.feed(html)
    page.close()
    return page


def test_labels_are_escaped(mini_doc):
    page = parse(render_html(mini_doc))
    assert "script" not in page.tags and "b" not in page.tags
    text = "".join(page.text)
    assert "<script>alert(1)</script>" in text  # shown as text, not run
    assert "産業<b>" in text


@pytest.mark.parametrize("lang,heading", [("ja", "政策整合ギャップ報告書"), ("en", "Policy alignment gap report")])
def test_html_offline_with_links(tmp_path, hokkaido_doc, lang, heading):
    html_path, xlsx_path = write_report(hokkaido_doc, tmp_path, lang=lang, base_url="http://planner.example:8000/")
    html = html_path.read_text(encoding="utf-8")
    page = parse(html)
    assert page.sources == []                       # no external scripts, images or stylesheets
    assert "script" not in page.tags and "<style>" in html
    assert heading in "".join(page.text)
    assert page.links and all(link.startswith(("#", "http://planner.example:8000/id/")) for link in page.links)
    assert "http://planner.example:8000/id/hokkaido/indicator/" in html
    assert set(page.section_ids) >= {"summary", "coverage", "indicators", *GAP_LISTS}
    assert xlsx_path.exists()


def test_relative_links_and_bad_base_url(hokkaido_doc):
    page = parse(render_html(hokkaido_doc, base_url=""))
    assert any(link.startswith("/id/hokkaido/") for link in page.links)
    with pytest.raises(ValueError):
        check_base_url("javascript:alert(1)")


def test_progress_bars_and_heatmap(mini_doc):
    html = render_html(mini_doc)
    # 遠隔医療件数: 100 → 150 of a 100 → 200 target = 50 % of the way
    assert 'style="width:50%' in html
    assert html.count('class="heat"') == 4  # 2 pillars × 2 areas


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_workbook_reads_back(tmp_path, hokkaido_doc, lang):
    _html, xlsx_path = write_report(hokkaido_doc, tmp_path, lang=lang)
    wb = load_workbook(xlsx_path, read_only=True)
    names = wb.sheetnames
    assert len(names) == 2 + len(GAP_LISTS)
    assert names[2:] == [t(f"sheet_{key}", lang) for key in GAP_LISTS]
    coverage = list(wb[names[0]].iter_rows(values_only=True))
    assert len(coverage) == 1 + 7 and len(coverage[0]) == 1 + 5   # header + 7 pillars, label + 5 areas
    indicators = list(wb[names[1]].iter_rows(values_only=True))
    assert len(indicators) == 1 + 22 + 6   # 21 local numeric + 7 national KPIs (data/national, docs/national.md)
    for key, name in zip(GAP_LISTS, names[2:]):
        rows = list(wb[name].iter_rows(values_only=True))
        assert len(rows) == 1 + len(hokkaido_doc[key])
        assert [r[2] for r in rows[1:]] == [item["iri"] for item in hokkaido_doc[key]]


def test_workbook_keeps_formula_like_labels_as_text(tmp_path, mini_doc):
    doc = {**mini_doc, "measures_without_alignment": [{"iri": "urn:x", "label": "=HYPERLINK(\"http://evil\")"}]}
    _html, xlsx_path = write_report(doc, tmp_path)
    ws = load_workbook(xlsx_path)[t("sheet_measures_without_alignment", "ja")]
    assert ws["A2"].data_type == "s" and ws["A2"].value.startswith("=HYPERLINK")
