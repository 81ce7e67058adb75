"""IRIs of a deck's local entities minted from their labels, unique across jurisdictions.

A measure, indicator, event or roadmap row is named by a digest of its label. Two governments' plans
can hold the same label (「電子申請の推進」), and the API id of an entity is its last IRI segment
(:func:`policykg.ids.local_id`), so that segment starts with the jurisdiction key:
``<key>-m-<digest>``. Jurisdictions marked ``unprefixed_ids = true`` in jurisdictions.toml (Hokkaido,
whose ids were published before a second jurisdiction could be loaded) keep ``m-<digest>``, so links
to them stay stable; no other jurisdiction may use the unprefixed form.
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources

from rdflib import URIRef

from policykg.ids import digest, entity_iri, local_id


@cache
def unprefixed_keys() -> frozenset[str]:
    """Keys of the jurisdictions whose ids keep the unprefixed form.

    >>> sorted(unprefixed_keys())
    ['hokkaido']
    """
    registry = tomllib.loads(resources.files(__package__).joinpath("jurisdictions.toml").read_text(encoding="utf-8"))
    return frozenset(j["key"] for j in registry.get("jurisdiction", []) if j.get("unprefixed_ids"))


def labelled_iri(jur: str, kind: str, prefix: str, *labels: str, under: tuple[str, ...] = ()) -> URIRef:
    """``pkid:<jur>/<kind>[/<under>…]/<jur>-<prefix>-<digest(labels)>`` (unprefixed for Hokkaido).

    >>> hokkaido, city = (labelled_iri(key, "measure", "m", "電子申請") for key in ("hokkaido", "sapporo"))
    >>> local_id(hokkaido).startswith("m-"), local_id(city).startswith("sapporo-m-"), local_id(hokkaido)[2:] == local_id(city)[10:]
    (True, True, True)
    """
    tail = f"{prefix}-{digest(*labels)}"
    return entity_iri(jur, kind, *under, tail if jur in unprefixed_keys() else f"{jur}-{tail}")


__all__ = ["unprefixed_keys", "labelled_iri"]
