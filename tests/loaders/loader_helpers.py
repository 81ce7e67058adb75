"""Helpers shared by the loader tests (imported by name: pytest puts this folder on sys.path)."""

from __future__ import annotations

from rdflib import Graph

from policykg.namespaces import sparql_prefixes


def run_query(graph: Graph, text: str, **bindings) -> list[tuple]:
    """SELECT rows as tuples of Python values (literals → toPython(), IRIs stay URIRef)."""
    rows = graph.query(sparql_prefixes() + text, initBindings=bindings)
    return [tuple(v.toPython() if hasattr(v, "datatype") else v for v in row) for row in rows]


def edit_line(text: str, line: int, old: str, new: str) -> str:
    """The deck with one substring replaced on one 1-based line (asserting the original is there)."""
    lines = text.split("\n")
    assert old in lines[line - 1], (line, lines[line - 1])
    lines[line - 1] = lines[line - 1].replace(old, new, 1)
    return "\n".join(lines)
