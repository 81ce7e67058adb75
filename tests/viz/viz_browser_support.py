"""What the network page's Chromium tests share: waiting on the page, and a page whose requests, console and
dialogs are recorded (anything not on 127.0.0.1, a file or a data URL is aborted and fails the test)."""

from __future__ import annotations

import time
from urllib.parse import urlparse

READY = "document.body.dataset.ready === '1'"


def wait_until(page, expression: str, timeout: float = 30.0) -> None:
    """Poll a JS expression with page.evaluate: Playwright's wait_for_function compiles its predicate
    with eval, which the page's CSP (rightly) forbids."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {expression}")
        time.sleep(0.05)


class Watched:
    """A page whose requests, console and dialogs are recorded; ``check()`` asserts all were clean.
    ``bypass_csp`` only for injecting axe-core."""

    def __init__(self, browser, *, bypass_csp: bool = False) -> None:
        self.context = browser.new_context(viewport={"width": 1400, "height": 900}, bypass_csp=bypass_csp)
        self.requests: list[str] = []
        self.foreign: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", self._dialog)

    def _route(self, route) -> None:
        url = route.request.url
        self.requests.append(url)
        parsed = urlparse(url)
        if parsed.scheme in ("file", "data") or parsed.hostname == "127.0.0.1":
            route.continue_()
        else:
            self.foreign.append(url)
            route.abort()

    def _dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def open(self, url: str) -> "Watched":
        self.page.goto(url)
        wait_until(self.page, READY)
        return self

    def check(self) -> None:
        assert self.requests, "no request recorded: routing is not active"
        assert self.foreign == [], f"requests left localhost: {self.foreign}"
        assert self.errors == [], f"console errors: {self.errors}"
        assert self.dialogs == [], f"a dialog opened (script ran): {self.dialogs}"

    def ids(self) -> set[str]:
        return set(self.page.evaluate("window.pkViz.nodes.getIds()"))

    def node_point(self, node_id: str, scale: float = 1.5) -> tuple[float, float]:
        """Where the node is on screen: centre it, then getPositions + canvasToDOM + the canvas offset."""
        point = self.page.evaluate(
            """([id, scale]) => { const net = window.pkViz.network; net.focus(id, {scale, animation: false});
                                  const p = net.getPositions([id])[id]; return net.canvasToDOM(p); }""", [node_id, scale])
        box = self.page.locator("#pk-network canvas").bounding_box()
        return box["x"] + point["x"], box["y"] + point["y"]

    def click_node(self, node_id: str, scale: float = 1.5) -> None:
        """A real mouse click at the node's on-screen position."""
        self.page.mouse.click(*self.node_point(node_id, scale))

    def visible(self) -> int:
        return int(self.page.evaluate("document.body.dataset.visibleNodes"))

    def close(self) -> None:
        self.context.close()
