"""Paths every test module may need, importable as ``project_paths`` (pytest ``pythonpath = tests``).

Kept out of conftest.py: pytest imports each conftest.py under the module name "conftest",
so ``from conftest import X`` would depend on which one was imported first.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DECK_FILE = "hokkaido-society5-fy2023-secretariat-deck.txt"
SOURCE_DECK = ROOT / "data" / "sources" / DECK_FILE
SHARED = ROOT.parent / "shared"
W3C = SHARED / "w3c-sparql11"
SPARQL_DATA = ROOT / "tests" / "data" / "sparql"
CATALOG_DATA = ROOT / "tests" / "data" / "catalog"
CURATED_CSV = ROOT / "data" / "alignments" / "hokkaido-curated.csv"
