"""Links from a network node to the rest of the site, through the one URL builder (``policykg.urls``).

``base_url`` prefixes every link, so an exported file opened from disk can still point at a server
(``policykg viz --base-url http://host:8000``); the served page uses site-relative links.
"""

from __future__ import annotations

from policykg.urls import entity_url, is_entity, supporters_url, trace_url
from policykg.ids import local_id

NATIONAL_ITEM_KINDS = frozenset({"pillar_group", "pillar", "national_item"})


def entity_links(iri: str, kind: str, *, base_url: str = "") -> dict[str, str | None]:
    """The entity page for any of our IRIs; the trace for measures; supporters for national items.

    >>> entity_links("https://w3id.org/policykg/id/pref/measure/m-abc", "measure")["trace"]
    '/api/measures/m-abc/trace'
    >>> entity_links("http://example.org/x", "measure")["url"] is None
    True
    """
    base = base_url.rstrip("/")
    if not is_entity(iri):
        return {"url": None, "trace": None, "supporters": None}
    key = local_id(iri)
    return {
        "url": base + entity_url(iri),
        "trace": base + trace_url(key) if kind == "measure" else None,
        "supporters": base + supporters_url(key) if kind in NATIONAL_ITEM_KINDS else None,
    }


__all__ = ["entity_links", "NATIONAL_ITEM_KINDS"]
