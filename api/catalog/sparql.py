"""Run the catalog's own ``queries/*.rq`` files with bound values (never spliced).

The files are read by the one loader, :func:`policykg.graph.queries.read_query`.
"""

from __future__ import annotations

from rdflib.term import Identifier

from policykg.graph import queries
from policykg.graph.store import Store

CATALOG = "policykg.api.catalog"


def load_rq(name: str) -> str:
    """The text of ``api/catalog/queries/<name>.rq`` with every project prefix declared."""
    return queries.read_query(CATALOG, name).text


def select(store: Store, name: str, **bindings: Identifier) -> list[dict[str, Identifier]]:
    """Rows of a SELECT catalog query; ``bindings`` are joined by the store as a VALUES block."""
    return queries.select(store, queries.read_query(CATALOG, name), bindings)


def page(items: list, limit: int, offset: int) -> dict:
    """One page of a list plus the total, in the shape every list endpoint returns."""
    return {"total": len(items), "limit": limit, "offset": offset, "items": items[offset:offset + limit]}


def py_value(term: Identifier | None) -> object:
    """A literal as a JSON-friendly Python value (numbers as float/int, dates as ISO text)."""
    if term is None:
        return None
    value = getattr(term, "toPython", lambda: term)()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, bool):
        return value
    if hasattr(value, "as_integer_ratio") and not isinstance(value, int):
        number = float(value)
        return int(number) if number.is_integer() and abs(number) < 2**53 else number
    return value if isinstance(value, (int, float, str)) else str(term)
