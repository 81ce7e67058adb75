"""Stable, URL-safe identifiers minted from content.

An entity keeps its IRI across revised editions of a source as long as its
normalised label is unchanged, so links (alignments, observations) survive.
"""

from __future__ import annotations

import base64
import hashlib
import re
import unicodedata

from rdflib import URIRef

from policykg.namespaces import ID

_SPACES = re.compile(r"[\s\u3000]+")


def normalize_label(text: str) -> str:
    """NFKC, no whitespace at all (Japanese labels are split by extraction at random places).

    >>> normalize_label("ＩＣＴ を 活用した　鳥獣害対策")
    'ICTを活用した鳥獣害対策'
    """
    return _SPACES.sub("", unicodedata.normalize("NFKC", text)).strip()


def digest(*parts: str, length: int = 10) -> str:
    """A short lowercase base32 hash of the normalised parts.

    >>> digest("遠隔医療・遠隔介護等の推進") == digest("遠隔医療・遠隔介護等 の推進")
    True
    """
    joined = "\x1f".join(normalize_label(p) for p in parts)
    raw = hashlib.sha1(joined.encode("utf-8")).digest()
    return base64.b32encode(raw).decode("ascii").lower()[:length]


def entity_iri(*path: str) -> URIRef:
    """``ID`` + the path segments joined by '/'.

    >>> str(entity_iri("hokkaido", "area", "1"))
    'https://w3id.org/policykg/id/hokkaido/area/1'
    """
    for segment in path:
        if not re.fullmatch(r"[A-Za-z0-9._~-]+", segment):
            raise ValueError(f"IRI path segment is not URL-safe: {segment!r}")
    return ID["/".join(path)]


def local_id(iri: str) -> str:
    """The API id of an entity: its last IRI segment.

    >>> local_id("https://w3id.org/policykg/id/hokkaido/measure/abc")
    'abc'
    """
    return str(iri).rstrip("/").rsplit("/", 1)[-1]


def alignment_iri(local: URIRef, national: URIRef, evidence: str) -> URIRef:
    """``pkid:alignment/al-<digest(local iri, national iri, evidence)>`` (docs/model.md).

    >>> str(alignment_iri(URIRef("x:a"), URIRef("x:b"), "curated")).startswith("https://w3id.org/policykg/id/alignment/al-")
    True
    """
    return entity_iri("alignment", "al-" + digest(str(local), str(national), evidence))


__all__ = ["normalize_label", "digest", "entity_iri", "local_id", "alignment_iri"]
