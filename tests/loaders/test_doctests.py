"""The examples in the loader modules' docstrings run and hold."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = ["values", "deck.cells", "deck.segment", "deck.match", "deck.roadmap"]


@pytest.mark.parametrize("name", MODULES)
def test_doctests(name) -> None:
    module = importlib.import_module(f"policykg.loaders.{name}")
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0 and result.attempted > 0
