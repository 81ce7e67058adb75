"""Content negotiation for ``/id/<path>`` as one table, and the RDF serialisation of a description.

``*/*`` (and a missing Accept) means the HTML page: people follow IRIs in browsers; machines ask
for an RDF type or use a suffix (``.ttl``, ``.jsonld``, ``.nt``, ``.rdf``).
"""

from __future__ import annotations

from rdflib import Graph

from policykg.namespaces import PREFIXES

ACCEPT_TABLE: dict[str, str] = {
    "text/html": "html",
    "application/xhtml+xml": "html",
    "text/turtle": "turtle",
    "application/x-turtle": "turtle",
    "application/ld+json": "json-ld",
    "application/json": "json-ld",
    "application/n-triples": "nt",
    "text/plain": "nt",
    "application/rdf+xml": "xml",
    "application/xml": "xml",
    "text/xml": "xml",
    "text/*": "html",
    "application/*": "json-ld",
    "*/*": "html",
}
"""Accepted media type (or range) → output format."""

MEDIA_TYPES: dict[str, str] = {
    "html": "text/html; charset=utf-8",
    "turtle": "text/turtle; charset=utf-8",
    "json-ld": "application/ld+json",
    "nt": "application/n-triples",
    "xml": "application/rdf+xml",
}
"""Output format → Content-Type."""


def parse_accept(header: str | None) -> list[tuple[str, float]]:
    """Media ranges by preference (q descending, header order kept on ties); q=0 dropped.

    >>> parse_accept("text/turtle;q=0.5, application/ld+json")
    [('application/ld+json', 1.0), ('text/turtle', 0.5)]
    """
    if not header or not header.strip():
        return [("*/*", 1.0)]
    ranges = []
    for part in header.split(","):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if not media:
            continue
        q = 1.0
        for param in fields[1:]:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(value)))
                except ValueError:
                    q = 0.0
        if q > 0:
            ranges.append((media, q))
    return sorted(ranges, key=lambda mq: -mq[1])


def negotiate(header: str | None) -> str | None:
    """The output format for an Accept header, or ``None`` when nothing offered is acceptable.

    >>> negotiate("text/html,application/xhtml+xml,*/*;q=0.8"), negotiate("text/turtle")
    ('html', 'turtle')
    >>> negotiate("image/png") is None
    True
    """
    for media, _q in parse_accept(header):
        if media in ACCEPT_TABLE:
            return ACCEPT_TABLE[media]
    return None


def serialize_graph(graph: Graph, fmt: str) -> bytes:
    """A description in one RDF format; JSON-LD is compacted with our prefixes (no remote context)."""
    if fmt == "json-ld":
        data = graph.serialize(format="json-ld", context=dict(PREFIXES), auto_compact=True, encoding="utf-8")
    else:
        data = graph.serialize(format=fmt, encoding="utf-8")
    return data if isinstance(data, bytes) else data.encode("utf-8")


__all__ = ["ACCEPT_TABLE", "MEDIA_TYPES", "parse_accept", "negotiate", "serialize_graph"]
