"""A live server and a watched Chromium page for the planner's browser tests, importable as ``browser_support``.

Debian's /usr/bin/chromium only (never a downloaded browser). Every request is routed: anything
not on 127.0.0.1 is aborted and recorded; console errors and page errors are recorded; ``check()``
fails the test on any of them. axe-core is served to the page from the test's own files
(tests/browser_assets/node_modules/axe-core, installed by scripts/setup.sh --test) under a
same-origin URL, so the page's CSP (``script-src 'self'``) admits it and nothing leaves the machine.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

import pytest

from chromium import launch  # noqa: F401 — re-exported for the page tests
from project_paths import ROOT

ARTIFACTS = ROOT / "artifacts" / "pages"
AXE = ROOT / "tests" / "browser_assets" / "node_modules" / "axe-core" / "axe.min.js"
AXE_URL_PATH = "/__test-assets__/axe.min.js"


class Watched:
    """A page whose requests and console are recorded; ``check()`` asserts they were clean."""

    def __init__(self, browser, base: str, *, width: int = 1280, height: int = 900) -> None:
        self.base = base
        self.context = browser.new_context(viewport={"width": width, "height": height}, locale="ja-JP")
        self.requests: list[str] = []
        self.foreign: list[str] = []
        self.errors: list[str] = []
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

    def _route(self, route) -> None:
        url = route.request.url
        self.requests.append(url)
        parsed = urlparse(url)
        if parsed.hostname != "127.0.0.1":
            self.foreign.append(url)
            route.abort()
        elif parsed.path == AXE_URL_PATH:
            route.fulfill(status=200, content_type="text/javascript", body=AXE.read_text(encoding="utf-8"))
        else:
            route.continue_()

    def open(self, path: str) -> "Watched":
        self.page.goto(self.base + path)
        self.page.wait_for_load_state("load")
        return self

    def shot(self, name: str, *, full_page: bool = True) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=full_page)
        return path

    def axe(self) -> list[dict]:
        """axe-core's violations of WCAG 2.x A/AA rules (and best practices) on the current page."""
        if not AXE.exists():
            pytest.fail(f"{AXE} is missing: run `bash scripts/setup.sh --test` (npm install in tests/browser_assets)")
        self.page.add_script_tag(url=self.base + AXE_URL_PATH)
        result = self.page.evaluate("""async () => {
            const r = await axe.run(document, {runOnly: {type: 'tag',
                values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']}});
            return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 5).map(n => n.target.join(' '))}));
        }""")
        return result

    def tab_through(self, limit: int = 2000) -> tuple[int, int, list[str]]:
        """Press Tab until focus cycles; returns (controls on the page, controls reached, unreached)."""
        page = self.page
        page.evaluate("""() => {
            const sel = 'a[href], button, input:not([type=hidden]), select, textarea, [tabindex]:not([tabindex="-1"])';
            window.__controls = [...document.querySelectorAll(sel)].filter(e =>
                !e.disabled && e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden');
            window.__controls.forEach((e, i) => e.dataset.ctl = i);
            window.__reached = new Set();
            document.addEventListener('focusin', ev => {
                if (ev.target.dataset && ev.target.dataset.ctl !== undefined) window.__reached.add(ev.target.dataset.ctl);
            });
            document.activeElement && document.activeElement.blur();
        }""")
        total = page.evaluate("window.__controls.length")
        # date inputs take one Tab per field (year, month, day), so allow a few presses per control
        for n in range(min(limit, 3 * total + 10)):
            page.keyboard.press("Tab")
            if n >= total and n % 10 == 0 and page.evaluate("window.__reached.size") == total:
                break
        reached = page.evaluate("window.__reached.size")
        missing = page.evaluate("""() => window.__controls.filter(e => !window.__reached.has(e.dataset.ctl))
                                      .slice(0, 10).map(e => e.outerHTML.slice(0, 120))""")
        return total, reached, missing

    def check(self) -> None:
        assert self.requests, "no request recorded: routing is not active"
        assert self.foreign == [], f"requests left localhost: {self.foreign}"
        assert self.errors == [], f"console errors: {self.errors}"

    def close(self) -> None:
        self.context.close()
