"""Debian's headless Chromium for the browser tests, importable as ``chromium`` (pytest ``pythonpath = tests``).

Never a downloaded browser: /usr/bin/chromium (scripts/setup.sh --test installs it). Without it the test
fails with the install command, unless POLICYKG_SKIP_BROWSER=1 asks to skip browser tests.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def require(path: Path | None = None, what: str = "", install: str = "") -> None:
    """Chromium (and ``path``, e.g. an npm asset, when given) must exist: else fail with how to install
    it, or skip where POLICYKG_SKIP_BROWSER=1."""
    missing = []
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        missing.append(("no chromium installed", "headless Chromium is missing: run `apt-get install chromium`"))
    if path is not None and not path.exists():
        missing.append((f"{what} not installed", f"{what} is not installed: run `{install}`"))
    for skip_reason, failure in missing:
        if os.environ.get("POLICYKG_SKIP_BROWSER") == "1":
            pytest.skip(f"POLICYKG_SKIP_BROWSER=1 and {skip_reason}")
        pytest.fail(f"{failure} (or set POLICYKG_SKIP_BROWSER=1 to skip browser tests)")


def launch(pw):
    """A headless Chromium browser from Playwright's ``pw`` (after :func:`require`)."""
    require()
    return pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
