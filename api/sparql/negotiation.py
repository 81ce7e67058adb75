"""HTTP content negotiation as a table (as rdflib-endpoint does): Accept header → one offered media type.

The offered types come from :mod:`policykg.graph.results`, so the endpoint and the CLI write the same
formats. Common synonyms (``application/json``, ``text/xml``…) map onto the canonical SPARQL types.
"""

from __future__ import annotations

from dataclasses import dataclass

from policykg.graph import results

SELECT_TYPES: list[str] = list(results.SELECT_SERIALIZERS)
"""Media types for SELECT/ASK, default (W3C JSON) first."""

GRAPH_TYPES: list[str] = list(results.GRAPH_SERIALIZERS)
"""Media types for CONSTRUCT/DESCRIBE and the service description, default (Turtle) first."""

SYNONYMS: dict[str, dict[str, str]] = {
    "select": {
        "application/json": results.SPARQL_JSON,
        "application/xml": results.SPARQL_XML,
        "text/xml": results.SPARQL_XML,
    },
    "graph": {
        "application/x-turtle": results.TURTLE,
        "text/plain": results.NTRIPLES,
        "application/json": results.JSONLD,
        "application/xml": results.RDFXML,
        "text/xml": results.RDFXML,
    },
}


@dataclass(frozen=True)
class MediaRange:
    type: str
    subtype: str
    q: float
    order: int

    @property
    def specificity(self) -> int:
        return (self.type != "*") + (self.subtype != "*")


def parse_accept(header: str | None) -> list[MediaRange]:
    """The media ranges of an Accept header; a missing or empty header means ``*/*``.

    >>> [(r.type, r.subtype, r.q) for r in parse_accept("text/turtle;q=0.5, */*;q=0.1")]
    [('text', 'turtle', 0.5), ('*', '*', 0.1)]
    """
    if not header or not header.strip():
        return [MediaRange("*", "*", 1.0, 0)]
    ranges = []
    for order, part in enumerate(header.split(",")):
        pieces = [p.strip() for p in part.split(";")]
        mtype, _, subtype = pieces[0].lower().partition("/")
        if not mtype or not subtype:
            continue
        q = 1.0
        for param in pieces[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = min(max(float(value), 0.0), 1.0)
                except ValueError:
                    q = 0.0
        ranges.append(MediaRange(mtype, subtype, q, order))
    return ranges


def _quality(offer: str, ranges: list[MediaRange]) -> float:
    """The q of the most specific range that matches ``offer`` (RFC 9110 §12.5.1)."""
    mtype, _, subtype = offer.partition("/")
    best: MediaRange | None = None
    for r in ranges:
        if (r.type in ("*", mtype)) and (r.subtype in ("*", subtype)):
            if best is None or r.specificity > best.specificity:
                best = r
    return best.q if best is not None else 0.0


def choose(accept: str | None, kind: str) -> str | None:
    """The offered media type the client prefers most, or ``None`` (→ 406).

    ``kind`` is ``"select"`` (SELECT/ASK) or ``"graph"`` (CONSTRUCT/DESCRIBE/service description).
    Ties go to the server's order (JSON, Turtle first); synonyms rank like the type they stand for.

    >>> choose("text/csv;q=0.9, application/sparql-results+xml", "select")
    'application/sparql-results+xml'
    >>> choose("*/*", "graph")
    'text/turtle'
    >>> choose("image/png", "select") is None
    True
    """
    offers = SELECT_TYPES if kind == "select" else GRAPH_TYPES
    ranges = parse_accept(accept)
    scored: list[tuple[float, int, str]] = []
    for rank, offer in enumerate(offers):
        q = _quality(offer, ranges)
        for synonym, target in SYNONYMS[kind].items():
            if target == offer:
                q = max(q, _exact_quality(synonym, ranges))
        if q > 0:
            scored.append((q, -rank, offer))
    if not scored:
        return None
    return max(scored)[2]


def _exact_quality(media: str, ranges: list[MediaRange]) -> float:
    mtype, _, subtype = media.partition("/")
    return max((r.q for r in ranges if r.type == mtype and r.subtype == subtype), default=0.0)
