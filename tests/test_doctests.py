"""Every docstring example in the package runs and holds (one test per module that has examples)."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import policykg


SUBPACKAGES = ["ontology", "graph", "loaders", "api", "viz", "report", "cli"]
"""Mapped from their own folders (pyproject's package-dir), so each is walked from its own path."""


def _modules() -> set[str]:
    names = {policykg.__name__}
    roots = [policykg] + [importlib.import_module(f"policykg.{sub}") for sub in SUBPACKAGES]
    for root in roots:
        names.add(root.__name__)
        for info in pkgutil.walk_packages(root.__path__, prefix=root.__name__ + "."):
            names.add(info.name)
    return names


def _with_examples(name: str) -> bool:
    module = importlib.import_module(name)
    finder = doctest.DocTestFinder(exclude_empty=True)
    return any(test.examples for test in finder.find(module))


MODULES = [name for name in sorted(_modules()) if not name.endswith("__main__") and _with_examples(name)]


def test_the_examples_are_found() -> None:
    """The walk sees the whole package (a broken walk would run nothing and pass)."""
    assert {"policykg.values", "policykg.urls", "policykg.ids", "policykg.graph.sparql_guard"} <= set(MODULES)
    assert len(MODULES) >= 40


@pytest.mark.parametrize("name", MODULES)
def test_doctests(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0 and result.attempted > 0
