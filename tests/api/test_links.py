"""Links from data (issue 9, item 5): pages link only http(s), urn and mailto IRIs (and the site's own
paths); ``javascript:`` and every other IRI from the data is shown as text, not as ``<a href>``.

One rule, :func:`policykg.urls.safe_href`, used by the ``link`` macro of ``_macros.html``.
The Content-Security-Policy would also stop a ``javascript:`` link; these tests do not rely on it.
"""

from __future__ import annotations

from html.parser import HTMLParser

import pyoxigraph as ox
import pytest

from policykg.urls import safe_href

from app_support import load_trig
from project_paths import SPARQL_DATA

SAFE = [
    "http://example.org/a",
    "https://example.org/a?x=1#f",
    "HTTPS://EXAMPLE.ORG/",
    "urn:isbn:978-4-00-000000-0",
    "mailto:info@example.org",
    "/id/test/m-1",
    "/measures?lang=en",
    "#main",
    "?offset=100",
]
UNSAFE = [
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "java\nscript:alert(1)",
    "\x01javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "file:///etc/passwd",
    "ftp://example.org/x",
    "//evil.example/x",
    "/\\evil.example/x",
    "http:alert(1)",
    "https://",
    "urn:",
    "mailto:",
    "",
    None,
]


@pytest.mark.parametrize("iri", SAFE)
def test_safe_href_links_web_urn_mailto_and_own_paths(iri):
    assert safe_href(iri) == iri


@pytest.mark.parametrize("iri", UNSAFE)
def test_safe_href_refuses_everything_else(iri):
    assert safe_href(iri) is None


# -- pages ----------------------------------------------------------------------------------------

BAD = ["javascript:alert(1)", "JaVaScRiPt:alert(2)", "data:text/html,x", "vbscript:msgbox(3)"]
GOOD = ["https://example.org/doc", "urn:isbn:978-4-00-000000-0", "mailto:info@example.org"]

DATA = """
@prefix pk: <https://w3id.org/policykg/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix t: <https://w3id.org/policykg/id/test/> .
<https://w3id.org/policykg/graph/test-links> {
  t:m-9 a pk:Measure ; skos:prefLabel "リンク試験"@ja ; pk:area t:area-1 ;
      dct:source <javascript:alert(1)>, <JaVaScRiPt:alert(2)>, <data:text/html,x>, <vbscript:msgbox(3)>,
                 <https://example.org/doc>, <urn:isbn:978-4-00-000000-0>, <mailto:info@example.org> .
  <javascript:alert(4)> a pk:Measure ; skos:prefLabel "悪意リンク施策"@ja ; pk:area t:area-1 .
}
"""


class _Links(HTMLParser):
    """Every href of a page, and its text outside links."""

    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.texts: list[str] = []
        self._in_a = 0

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self._in_a += 1
            self.hrefs.extend(v for k, v in attrs if k == "href" and v is not None)

    def handle_endtag(self, tag):
        if tag == "a":
            self._in_a -= 1

    def handle_data(self, data):
        if not self._in_a:
            self.texts.append(data)


def _links(html: str) -> _Links:
    parser = _Links()
    parser.feed(html)
    return parser


@pytest.fixture()
def client(make_client):
    store = load_trig(SPARQL_DATA / "small.trig")
    store.engine.load(input=DATA.encode("utf-8"), format=ox.RdfFormat.TRIG)
    return make_client(store=store)


def _assert_only_safe_links(page: _Links, where: str) -> None:
    unsafe = [h for h in page.hrefs if safe_href(h) is None]
    assert not unsafe, f"{where} links {unsafe}"
    assert not any(h.strip().lower().startswith(("javascript", "data:", "vbscript")) for h in page.hrefs), where


def test_entity_page_links_web_iris_and_shows_the_rest_as_text(client):
    r = client.get("/id/test/m-9")
    assert r.status_code == 200
    page = _links(r.text)
    _assert_only_safe_links(page, "the entity page")
    for iri in GOOD:
        assert iri in page.hrefs, f"{iri} should be a link"
    text = "".join(page.texts)
    for iri in BAD:
        assert iri in text or iri.replace("<", "&lt;") in text, f"{iri} should be shown as text"


def test_measure_list_does_not_link_a_foreign_iri(client):
    """A measure whose IRI is ``javascript:…`` is listed (by its label, through the ``ref`` macro) but not linked."""
    r = client.get("/measures")
    assert r.status_code == 200
    page = _links(r.text)
    _assert_only_safe_links(page, "/measures")
    assert "悪意リンク施策" in "".join(page.texts), "the label is still shown"


def test_console_links_the_same_schemes(client):
    values = " ".join(f"<{iri}>" for iri in GOOD + BAD)
    r = client.get("/query", params={"query": f"SELECT ?x WHERE {{ VALUES ?x {{ {values} }} }}"})
    assert r.status_code == 200
    page = _links(r.text)
    _assert_only_safe_links(page, "the console")
    for iri in GOOD:
        assert iri in page.hrefs, f"{iri} should be a link in the console, as on entity pages"
    assert all(iri in "".join(page.texts) for iri in BAD)
