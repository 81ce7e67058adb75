"""Shipped static assets (``api/static``) and their cache-busting URLs."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from importlib import resources


@lru_cache(maxsize=None)
def _static_hash(name: str) -> str:
    data = resources.files("policykg.api").joinpath("static", name).read_bytes()
    return hashlib.sha256(data).hexdigest()[:12]


def static_url(name: str) -> str:
    """A shipped asset with its content hash, so browsers never keep a stale copy.

    >>> static_url("style.css").startswith("/static/style.css?v=")
    True
    """
    return f"/static/{name}?v={_static_hash(name)}"
