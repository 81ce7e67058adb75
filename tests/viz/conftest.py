"""Fixtures for the network view: a tiny hand-written graph (tests/viz/data) in stores, models and apps."""

from __future__ import annotations

import pytest

from policykg.graph.store import OxigraphStore

from chromium import launch, require
from viz_browser_support import Watched
from viz_support import DATA, load_trig


@pytest.fixture(scope="session")
def mini_store() -> OxigraphStore:
    """tests/viz/data/mini.trig (18 drawable entities). Read-only: tests must not write to it."""
    return load_trig(DATA / "mini.trig")


@pytest.fixture()
def mini_store_rw() -> OxigraphStore:
    """A fresh copy of the mini graph that a test may change."""
    return load_trig(DATA / "mini.trig")


@pytest.fixture(scope="session")
def mini_model(mini_store):
    from policykg.viz.model import build_network

    return build_network(mini_store)


@pytest.fixture(scope="session")
def xss_store() -> OxigraphStore:
    """tests/viz/data/xss.trig: labels, rationale and sections that are HTML/JS payloads."""
    return load_trig(DATA / "xss.trig")


@pytest.fixture(scope="session")
def groups_store() -> OxigraphStore:
    """Three jurisdictions over one national side: testpref (テスト県), otherpref (別の県) and xss. Read-only."""
    from viz_support import load_two_jurisdictions

    return load_two_jurisdictions()


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium, headless (tests/chromium.py; never a downloaded browser)."""
    require()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        instance = launch(pw)
        yield instance
        instance.close()


@pytest.fixture()
def watched(browser):
    page = Watched(browser)
    yield page
    page.close()
