"""Helpers shared by the viz tests (a plain module, so test files can import it by a unique name)."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from pathlib import Path

from rdflib import Dataset

from policykg.graph.store import OxigraphStore, Store
from policykg.namespaces import sparql_prefixes

DATA = Path(__file__).parent / "data"


def load_trig(path: Path, store: OxigraphStore | None = None) -> OxigraphStore:
    """A store holding the named graphs of one TriG file."""
    ds = Dataset()
    ds.parse(path, format="trig")
    graphs = defaultdict(list)
    for s, p, o, g in ds.quads((None, None, None, None)):
        graphs[g].append((s, p, o))
    store = store if store is not None else OxigraphStore()
    store.replace_graphs(dict(graphs))
    return store


def sparql_count(store: Store, classes: str) -> int:
    """Distinct subjects typed with any of ``classes`` (space-separated, e.g. "pk:Measure pk:PolicyArea")."""
    query = sparql_prefixes() + f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ VALUES ?c {{ {classes} }} ?s a ?c }}"
    return int(store.query(query).rows[0]["n"])


def two_jurisdictions_trig() -> list[str]:
    """mini.trig twice — as "testpref" (named テスト県 / Test Prefecture) and as "otherpref" (別の県, no English
    name) — over the same national side: three TriG documents (the copy, its names, the original)."""
    import re

    text = (DATA / "mini.trig").read_text(encoding="utf-8")
    other = text.replace("testpref", "otherpref").replace("テスト県", "別の県").replace("/alignment/", "/alignment/other-")
    other = re.sub(r"^g:([\w-]+) \{", r"g:other-\1 {", other, flags=re.M)
    names = """
@prefix pk: <https://w3id.org/policykg/ontology#> .
@prefix g: <https://w3id.org/policykg/graph/> .
g:jurisdiction-names {
  <https://w3id.org/policykg/id/testpref/plan> pk:jurisdiction "テスト県"@ja, "Test Prefecture"@en .
  <https://w3id.org/policykg/id/otherpref/plan> pk:jurisdiction "別の県"@ja .
}
"""
    return [text, other, names]


def load_two_jurisdictions() -> OxigraphStore:
    """The store of :func:`two_jurisdictions_trig` plus tests/viz/data/xss.trig (a third jurisdiction,
    "xss", with no name and a hostile plan label)."""
    ds = Dataset()
    for document in two_jurisdictions_trig():
        ds.parse(data=document, format="trig")
    ds.parse(DATA / "xss.trig", format="trig")
    graphs = defaultdict(list)
    for s, p, o, g in ds.quads((None, None, None, None)):
        graphs[g].append((s, p, o))
    store = OxigraphStore()
    store.replace_graphs(dict(graphs))
    return store


def embedded(page_html: str) -> dict:
    """The network model a /viz page (or an exported file) carries in its ``pk-data`` JSON block."""
    block = re.search(r'<script type="application/json" id="pk-data">(.*?)</script>', page_html, re.S)
    return json.loads(block.group(1))
