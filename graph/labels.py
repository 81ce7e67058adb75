"""One place that decides how a node is named (skos:prefLabel > rdfs:label > dcterms:title > IRI).

The API pages, the JSON API and the network view all call :func:`pick_label`.
"""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import Literal

LABEL_PREDICATE_ORDER = ("prefLabel", "label", "title")


def pick_label(literals: Iterable[Literal], lang: str = "ja", fallback: str = "") -> str:
    """The best label in ``lang``; else Japanese; else any; else ``fallback``.

    >>> from rdflib import Literal
    >>> pick_label([Literal("Living", lang="en"), Literal("暮らし", lang="ja")], "en")
    'Living'
    >>> pick_label([Literal("暮らし", lang="ja")], "en")
    '暮らし'
    >>> pick_label([], "ja", "x")
    'x'
    """
    items = list(literals)
    for wanted in (lang, "ja", None):
        for lit in items:
            if wanted is None or getattr(lit, "language", None) == wanted:
                return str(lit)
    return fallback


__all__ = ["pick_label", "LABEL_PREDICATE_ORDER"]
