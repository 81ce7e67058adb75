"""HTTP content negotiation for every route, as one table (as rdflib-endpoint does): Accept header →
one offered media type.

One Accept parser (:func:`parse_accept`) and one chooser (:func:`choose`) serve ``/sparql``, entity
pages (``/id/…``) and the JSON API. What each kind of answer can be written as is one table,
:data:`OFFERS`: ``select`` (SELECT/ASK results), ``graph`` (CONSTRUCT/DESCRIBE and the service
description) and ``page`` (an entity: its HTML page or its description in an RDF format). The media
types themselves come from :mod:`policykg.graph.results`, so the endpoint and the CLI write the same
formats. Common synonyms (``application/json``, ``text/xml``…) rank like the type they stand for.

Rules (RFC 9110 §12.5.1): an offer gets the q of the most specific range that matches it; the highest
q wins; ties go to the server's order (the first offer of the kind: JSON, Turtle, the HTML page); q=0
or nothing matching means 406. A missing or empty Accept is ``*/*``.

The ``format=`` request parameter (Virtuoso's convention, sent by SPARQLWrapper on every query) is read
through one kind-aware table, :data:`FORMAT_PARAMETER`: ``format=xml`` is SPARQL-results XML for
SELECT/ASK but RDF/XML for CONSTRUCT/DESCRIBE, as clients expect (:func:`accept_for`).
"""

from __future__ import annotations

from dataclasses import dataclass

from policykg.graph import results

HTML = "text/html"
JSON = "application/json"
"""The JSON API's media type."""

_GRAPH_SYNONYMS = {
    "application/x-turtle": results.TURTLE,
    "text/plain": results.NTRIPLES,
    "application/json": results.JSONLD,
    "application/xml": results.RDFXML,
    "text/xml": results.RDFXML,
    # Turtle is a subset of N3: an N3 client (SPARQLWrapper's N3, rdflib) reads the Turtle we write.
    "text/n3": results.TURTLE,
    "text/rdf+n3": results.TURTLE,
    "application/n3": results.TURTLE,
    "application/turtle": results.TURTLE,
}

OFFERS: dict[str, list[str]] = {
    "select": list(results.SELECT_SERIALIZERS),
    "graph": list(results.GRAPH_SERIALIZERS),
    "page": [HTML, results.TURTLE, results.JSONLD, results.NTRIPLES, results.RDFXML],
    "form": [HTML, JSON],
}
"""Kind of answer → the media types it can be written as, in the server's order (default first).
``*/*`` (and a missing Accept) gives the first: W3C JSON results, Turtle, and for an entity its HTML
page (people follow IRIs in browsers; machines ask for an RDF type or use a suffix; ``application/*``
gets JSON-LD); ``form`` is a page that answers a form post (the observation upload) as HTML, or as
the JSON API's error shape for a client that asks for JSON only."""

SELECT_TYPES: list[str] = OFFERS["select"]
GRAPH_TYPES: list[str] = OFFERS["graph"]

SYNONYMS: dict[str, dict[str, str]] = {
    "select": {
        "application/json": results.SPARQL_JSON,
        "application/xml": results.SPARQL_XML,
        "text/xml": results.SPARQL_XML,
    },
    "graph": _GRAPH_SYNONYMS,
    "page": {**_GRAPH_SYNONYMS, "application/xhtml+xml": HTML},
}
"""Per kind, a media type a client may send → the offered type it stands for (exact matches only)."""

FORMAT_PARAMETER: dict[str, dict[str, str]] = {
    "select": {
        "json": results.SPARQL_JSON,
        "srj": results.SPARQL_JSON,
        "xml": results.SPARQL_XML,
        "srx": results.SPARQL_XML,
        "csv": results.CSV,
        "tsv": results.TSV,
    },
    "graph": {
        "xml": results.RDFXML,
        "rdf": results.RDFXML,
        "rdfxml": results.RDFXML,
        "rdf+xml": results.RDFXML,
        "turtle": results.TURTLE,
        "ttl": results.TURTLE,
        "n3": results.TURTLE,
        "nt": results.NTRIPLES,
        "ntriples": results.NTRIPLES,
        "n-triples": results.NTRIPLES,
        "json-ld": results.JSONLD,
        "jsonld": results.JSONLD,
        "json": results.JSONLD,
    },
}
"""``format=`` value → media type, per result kind (``select``: SELECT/ASK; ``graph``: CONSTRUCT/DESCRIBE).

A value outside this table is read as a media type (``format=application/rdf+xml``, with the synonyms
above); one that names nothing this kind of result can be written as gets 406, like a bad Accept."""


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


def _exact_quality(media: str, ranges: list[MediaRange]) -> float:
    mtype, _, subtype = media.partition("/")
    return max((r.q for r in ranges if r.type == mtype and r.subtype == subtype), default=0.0)


def choose(accept: str | None, kind: str) -> str | None:
    """The offered media type of ``kind`` (a key of :data:`OFFERS`) the client prefers most, or
    ``None`` (→ 406).

    >>> choose("text/csv;q=0.9, application/sparql-results+xml", "select")
    'application/sparql-results+xml'
    >>> choose("*/*", "graph"), choose("*/*", "page"), choose("application/*", "page")
    ('text/turtle', 'text/html', 'application/ld+json')
    >>> choose("text/html,application/xhtml+xml,*/*;q=0.8", "page"), choose("text/plain", "page")
    ('text/html', 'application/n-triples')
    >>> choose("image/png", "select") is None
    True
    >>> choose("application/json", "form"), choose("text/html, application/json", "form"), choose(None, "form")
    ('application/json', 'text/html', 'text/html')
    """
    ranges = parse_accept(accept)
    scored: list[tuple[float, int, str]] = []
    for rank, offer in enumerate(OFFERS[kind]):
        q = _quality(offer, ranges)
        for synonym, target in SYNONYMS.get(kind, {}).items():
            if target == offer:
                q = max(q, _exact_quality(synonym, ranges))
        if q > 0:
            scored.append((q, -rank, offer))
    if not scored:
        return None
    return max(scored)[2]


def accept_for(format_values: list[str], accept: str | None, kind: str) -> str | None:
    """The Accept header to negotiate with: the ``format=`` values when any is given, else ``accept``.

    ``format_values`` are all the request's ``format`` parameters (SPARQLWrapper sends two for some
    formats, e.g. ``json-ld`` and ``application/ld+json``; empty ones are ignored). Each is looked up in
    :data:`FORMAT_PARAMETER` for ``kind``, so the same word may mean different media types.

    >>> accept_for(["xml"], "application/rdf+xml", "graph")
    'application/rdf+xml'
    >>> accept_for(["xml"], None, "select")
    'application/sparql-results+xml'
    >>> accept_for(["json-ld", "application/ld+json"], None, "graph")
    'application/ld+json, application/ld+json'
    >>> accept_for(["", " "], "text/csv", "select")
    'text/csv'
    """
    table = FORMAT_PARAMETER[kind]
    wanted = [value.strip() for value in format_values if value and value.strip()]
    if not wanted:
        return accept
    return ", ".join(table.get(value.lower(), value) for value in wanted)


__all__ = [
    "HTML", "JSON", "OFFERS", "SELECT_TYPES", "GRAPH_TYPES", "SYNONYMS", "FORMAT_PARAMETER", "MediaRange",
    "parse_accept", "choose", "accept_for",
]
