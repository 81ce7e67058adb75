"""Cross-origin clients (issue 9, item 8): CORS for queries and the read-only JSON API, never for
updates or anything that carries the token.

First the rules over HTTP (TestClient), then the real thing: YASGUI (npm ``@zazuko/yasgui``, installed
into tests/browser_assets by ``scripts/setup.sh --test``) served by this test from one loopback port,
querying ``policykg serve`` on another port, in Debian's headless Chromium. No request may leave
127.0.0.1: foreign requests are recorded and aborted, and fail the test.
"""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlparse

import pytest

from chromium import launch, require
from live_server import live_server
from project_paths import ROOT

AREAS = "PREFIX pk: <https://w3id.org/policykg/ontology#> SELECT ?a WHERE { ?a a pk:PolicyArea } ORDER BY ?a"
UPDATE = "INSERT DATA { <urn:x:a> <urn:x:b> <urn:x:c> }"
ORIGIN = "http://127.0.0.1:8662"
ACAO = "access-control-allow-origin"


# -- the rules over HTTP -------------------------------------------------------------------------

def _preflight(client, path: str, method: str, headers: str | None = None):
    sent = {"Origin": ORIGIN, "Access-Control-Request-Method": method}
    if headers:
        sent["Access-Control-Request-Headers"] = headers
    return client.options(path, headers=sent)


def test_queries_and_the_json_api_allow_any_origin_without_credentials(make_client):
    client = make_client()
    answers = {
        "GET /sparql?query": client.get("/sparql", params={"query": AREAS}, headers={"Origin": ORIGIN}),
        "GET /sparql (service description)": client.get("/sparql", headers={"Origin": ORIGIN}),
        "POST form query": client.post("/sparql", data={"query": AREAS}, headers={"Origin": ORIGIN}),
        "POST sparql-query": client.post("/sparql", content=AREAS, headers={
            "Origin": ORIGIN, "Content-Type": "application/sparql-query"}),
        "GET /api/areas": client.get("/api/areas", headers={"Origin": ORIGIN}),
        "a query error (400) is readable too": client.get("/sparql", params={"query": "SELEC"}, headers={"Origin": ORIGIN}),
    }
    for case, r in answers.items():
        assert r.headers.get(ACAO) == "*", case
        assert "access-control-allow-credentials" not in r.headers, case
    assert "X-PolicyKG-Truncated" in answers["GET /sparql?query"].headers["access-control-expose-headers"]
    _assert_no_cors_for_updates_or_the_token([client, make_client(api_token="s3cret")])


def _assert_no_cors_for_updates_or_the_token(clients) -> None:
    for client in clients:
        refused = {
            "POST form update": client.post("/sparql", data={"update": UPDATE}, headers={"Origin": ORIGIN}),
            "POST sparql-update": client.post("/sparql", content=UPDATE, headers={
                "Origin": ORIGIN, "Content-Type": "application/sparql-update"}),
            "a query with Authorization": client.get("/sparql", params={"query": AREAS}, headers={
                "Origin": ORIGIN, "Authorization": "Bearer s3cret"}),
            "an update with the token": client.post("/sparql", data={"update": UPDATE}, headers={
                "Origin": ORIGIN, "Authorization": "Bearer s3cret"}),
            "a form with both query and update": client.post("/sparql", data={"query": AREAS, "update": UPDATE},
                                                             headers={"Origin": ORIGIN}),
            "pages are not an API": client.get("/measures", headers={"Origin": ORIGIN}),
        }
        for case, r in refused.items():
            assert ACAO not in r.headers, case
            assert "access-control-allow-credentials" not in r.headers, case


def test_preflights(make_client):
    client = make_client()
    allowed = {
        "GET /sparql": _preflight(client, "/sparql", "GET", "accept"),
        "POST /sparql (form)": _preflight(client, "/sparql", "POST"),
        "GET /api/areas": _preflight(client, "/api/areas", "GET", "Accept, Accept-Language"),
    }
    for case, r in allowed.items():
        assert r.status_code == 204, case
        assert r.headers[ACAO] == "*", case
        assert "authorization" not in r.headers["access-control-allow-headers"].lower(), case
        assert "content-type" not in r.headers["access-control-allow-headers"].lower(), case
        assert "access-control-allow-credentials" not in r.headers, case
    assert "POST" in allowed["POST /sparql (form)"].headers["access-control-allow-methods"]
    refused = {
        "Authorization asked": _preflight(client, "/sparql", "GET", "authorization"),
        "application/sparql-update (names content-type)": _preflight(client, "/sparql", "POST", "content-type"),
        "POST on the read-only API": _preflight(client, "/api/areas", "POST"),
        "DELETE": _preflight(client, "/sparql", "DELETE"),
        "a page": _preflight(client, "/measures", "GET"),
        "an update in the URL": _preflight(client, "/sparql?update=x", "GET"),
    }
    for case, r in refused.items():
        assert ACAO not in r.headers, case
        assert r.status_code >= 400, case


def test_cors_setting(make_client):
    """On by default (``cors``, ``POLICYKG_CORS``); off: no CORS header anywhere."""
    for cors, expected in ((True, "*"), (False, None)):
        client = make_client(cors=cors)
        assert client.get("/sparql", params={"query": AREAS}, headers={"Origin": ORIGIN}).headers.get(ACAO) == expected
        assert client.get("/api/areas", headers={"Origin": ORIGIN}).headers.get(ACAO) == expected
        assert _preflight(client, "/sparql", "GET").headers.get(ACAO) == expected


# -- YASGUI in Chromium ---------------------------------------------------------------------------

YASGUI = ROOT / "tests" / "browser_assets" / "node_modules" / "@zazuko" / "yasgui" / "build"

PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>YASGUI</title>
<link rel="stylesheet" href="/yasgui.min.css"><script src="/yasgui.min.js"></script></head>
<body><div id="yasgui"></div>
<script>
window.yasgui = new Yasgui(document.getElementById("yasgui"), {
  requestConfig: { endpoint: "ENDPOINT", method: "POST" },
  copyEndpointOnNewTab: false, persistenceId: null, endpointCatalogueOptions: { getData: () => [] },
  yasqe: { prefixCcApi: null }, yasr: { prefixes: {} },
});
</script></body></html>
"""


def _wait(page, expression: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        assert time.monotonic() < deadline, f"timed out waiting for {expression}"
        time.sleep(0.05)


class _Assets(ThreadingHTTPServer):
    """The test's own loopback server: the YASGUI page and YASGUI's built files, nothing else."""

    def __init__(self, endpoint: str) -> None:
        files = {
            "/": (PAGE.replace("ENDPOINT", endpoint).encode("utf-8"), "text/html; charset=utf-8"),
            "/yasgui.min.js": ((YASGUI / "yasgui.min.js").read_bytes(), "text/javascript"),
            "/yasgui.min.css": ((YASGUI / "yasgui.min.css").read_bytes(), "text/css"),
        }

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                body, media = files.get(self.path, (b"not found", "text/plain"))
                self.send_response(200 if self.path in files else 404)
                self.send_header("Content-Type", media)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args) -> None:
                pass

        super().__init__(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server_address[1]}"


@pytest.fixture(scope="module")
def browser():
    require(YASGUI / "yasgui.min.js", "YASGUI", "bash scripts/setup.sh --test (npm install in tests/browser_assets)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        instance = launch(pw)
        yield instance
        instance.close()


@pytest.mark.browser
def test_yasgui_on_another_origin_queries_the_endpoint(browser):
    with live_server() as api:
        assets = _Assets(api + "/sparql")
        thread = threading.Thread(target=assets.serve_forever, daemon=True)
        thread.start()
        context = browser.new_context()
        requests: list[str] = []
        foreign: list[str] = []
        errors: list[str] = []

        def leaves_loopback(url: str) -> bool:
            return urlparse(url).hostname != "127.0.0.1" and urlparse(url).scheme not in ("data", "blob", "about")

        def abort_foreign(route) -> None:
            foreign.append(route.request.url)
            route.abort()

        # Only foreign requests are routed: loopback ones go untouched, so Chromium applies CORS itself.
        context.route(leaves_loopback, abort_foreign)
        page = context.new_page()
        page.on("request", lambda request: requests.append(request.url))
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        try:
            assert urlparse(assets.url).port != urlparse(api).port, "two origins"
            page.goto(assets.url + "/")
            _wait(page, "!!(window.yasgui && window.yasgui.getTab() && window.yasgui.getTab().getYasqe())")
            page.evaluate("(q) => { const tab = window.yasgui.getTab(); tab.getYasqe().setValue(q); tab.getYasqe().query(); }",
                          AREAS)
            _wait(page, "document.querySelectorAll('.yasr table tbody tr').length === 2 "
                        "|| !!document.querySelector('.yasr .errorResult')")
            assert not page.evaluate("!!document.querySelector('.yasr .errorResult')"), page.inner_text(".yasr")
            shown = page.inner_text(".yasr table tbody")
            assert "area-1" in shown and "area-2" in shown, shown

            # Plain fetch() from the same page: a preflighted read is answered; an update or the token is not.
            outcomes = page.evaluate(
                """async ([endpoint, q, u]) => {
                  const run = async (url, init) => { try { const r = await fetch(url, init); return r.status; }
                                                     catch (e) { return 'blocked'; } };
                  return {
                    preflighted_get: await run(endpoint + '?query=' + encodeURIComponent(q),
                                               {headers: {Accept: 'application/sparql-results+json, text/plain;x="(1)"'}}),
                    api: await run(endpoint.replace('/sparql', '/api/areas'), {}),
                    direct_update: await run(endpoint, {method: 'POST', body: u,
                                                        headers: {'Content-Type': 'application/sparql-update'}}),
                    form_update: await run(endpoint, {method: 'POST', body: new URLSearchParams({update: u})}),
                    with_token: await run(endpoint + '?query=' + encodeURIComponent(q),
                                          {headers: {Authorization: 'Bearer x'}}),
                  };
                }""",
                [api + "/sparql", AREAS, UPDATE],
            )
            assert outcomes == {"preflighted_get": 200, "api": 200, "direct_update": "blocked",
                                "form_update": "blocked", "with_token": "blocked"}, outcomes
            assert any(urlparse(r).port == urlparse(api).port for r in requests), "YASGUI never called the endpoint"
            assert foreign == [], f"requests left localhost: {foreign}"
            assert errors == [], f"page errors: {errors}"
        finally:
            context.close()
            assets.shutdown()
            assets.server_close()
