"""Run the catalog's own ``queries/*.rq`` files with bound values (never spliced)."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

from rdflib.term import Identifier

from policykg.graph.store import SelectResult, Store
from policykg.namespaces import sparql_prefixes


@lru_cache(maxsize=None)
def load_rq(name: str) -> str:
    """The text of ``queries/<name>.rq`` with every project prefix declared."""
    text = resources.files("policykg.api.catalog").joinpath("queries", f"{name}.rq").read_text("utf-8")
    return sparql_prefixes() + text


def select(store: Store, name: str, **bindings: Identifier) -> list[dict[str, Identifier]]:
    """Rows of a SELECT catalog query; ``bindings`` are joined by the store as a VALUES block."""
    result = store.query(load_rq(name), bindings=bindings or None)
    if not isinstance(result, SelectResult):
        raise TypeError(f"catalog query {name} must be a SELECT")
    return result.rows


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
