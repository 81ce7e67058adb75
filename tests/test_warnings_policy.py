"""The suite runs with the project's own warnings as errors (issue 9, item 11).

pyproject's ``filterwarnings`` turns any warning attributed to a ``policykg.*`` module into an error,
so an rdflib deprecation called from our code, or our own ``warnings.warn``, fails the test that
triggers it. These probes raise a warning as if from such a module, and from elsewhere.
"""

from __future__ import annotations

import warnings

import pytest

PROBE = compile("import warnings\nwarnings.warn('probe warning', DeprecationWarning)\n", "<probe>", "exec")


def test_a_warning_from_a_policykg_module_is_an_error():
    with pytest.raises(DeprecationWarning, match="probe warning"):
        exec(PROBE, {"__name__": "policykg.graph.probe"})


def test_a_warning_from_another_module_stays_a_warning():
    with pytest.warns(DeprecationWarning, match="probe warning"):
        exec(PROBE, {"__name__": "somebody_else.probe"})


def test_rdflib_called_from_our_store_raises_no_deprecation():
    """``Dataset.contexts()`` in graph/store.py was one: the rdflib backend now uses ``graphs()``."""
    from rdflib import Literal, URIRef

    from policykg.graph.store import open_store

    store = open_store(backend="rdflib")
    store.replace_graphs({URIRef("urn:g"): [(URIRef("urn:s"), URIRef("urn:p"), Literal(1))]})
    with warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)
        assert store.graph_names() == [URIRef("urn:g")]
