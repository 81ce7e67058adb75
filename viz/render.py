"""Render a network model as ONE self-contained HTML page (served at /viz, exported by ``policykg viz``).

Why not pyvis's own ``Network.show/generate_html``: in pyvis 0.3.2 every ``cdn_resources`` mode
still links Bootstrap or vis-network from a CDN, a node title containing "href" switches tooltips
to innerHTML, and the heading is not escaped. So we only borrow pyvis's bundled vis-network 9.1.2
files and render with our own autoescaping Jinja template:

- the data travels in a ``<script type="application/json">`` block, with ``<``, ``>``, ``&`` and
  U+2028/2029 escaped, so no label can close the block or be parsed as markup;
- the browser code writes to the DOM with ``textContent`` only and draws its own tooltip;
- a Content-Security-Policy allows no other origin at all and only the inline scripts and
  styles whose SHA-256 hashes it lists (no ``'unsafe-inline'``, no ``'unsafe-eval'``).
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from policykg.viz.cluster import group_positions
from policykg.viz.layout import LARGE_GRAPH_NODES, Layout, precompute_positions, vis_options
from policykg.viz.ui_text import LANGS, UI_TEXT

VIS_VERSION = "9.1.2"
_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


@dataclass(frozen=True)
class RenderedPage:
    """The HTML text and the CSP it carries (also sent as a header when served)."""

    html: str
    csp: str


@lru_cache(maxsize=None)
def _asset(package: str, *path: str) -> str:
    return (files(package).joinpath(*path)).read_text(encoding="utf-8")


def vis_assets() -> tuple[str, str]:
    """vis-network's JS and CSS as shipped inside the pyvis package (no network, no CDN)."""
    base = ("templates", "lib", f"vis-{VIS_VERSION}")
    return _asset("pyvis", *base, "vis-network.min.js"), _asset("pyvis", *base, "vis-network.css")


def app_assets() -> tuple[str, str]:
    """Our page script and stylesheet (viz/static)."""
    return _asset("policykg.viz", "static", "network.js"), _asset("policykg.viz", "static", "network.css")


@lru_cache(maxsize=1)
def _environment() -> Environment:
    folder = files("policykg.viz") / "templates"
    return Environment(loader=FileSystemLoader(str(folder)), autoescape=select_autoescape(default=True),
                       trim_blocks=True, lstrip_blocks=True)


def script_json(value: object) -> str:
    """JSON safe to place inside a ``<script>`` element: nothing in it can end the element.

    >>> script_json({"label": "</script><img src=x>"})
    '{"label":"\\\\u003c/script\\\\u003e\\\\u003cimg src=x\\\\u003e"}'
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for char, escape in _JSON_ESCAPES.items():
        text = text.replace(char, escape)
    return text


def _inline(text: str, closing: str) -> Markup:
    """Trusted shipped code as raw element content; refuses anything that could end the element."""
    if closing in text.lower():
        raise ValueError(f"asset contains {closing!r}; it cannot be inlined safely")
    return Markup(text)


def csp_hash(text: str) -> str:
    """The CSP source expression for one inline script or style."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def content_security_policy(scripts: list[str], styles: list[str], *, connect: bool = False) -> str:
    """No other origin, no eval, no inline code except the listed hashes; data: images for vis CSS.
    ``connect``: the page may fetch from its own origin (a grouped page expanding a group), nowhere else."""
    return "; ".join([
        "default-src 'none'",
        "script-src " + " ".join(csp_hash(s) for s in scripts),
        "style-src " + " ".join(csp_hash(s) for s in styles),
        "img-src data:",
        "connect-src 'self'" if connect else "connect-src 'none'",
        "base-uri 'none'",
        "form-action 'none'",
    ])


def page_data(model: dict, *, lang: str, layout: Layout, group_url: str | None = None) -> dict:
    """What the browser code receives: the model plus options, UI strings and (large graphs) positions.

    A grouped model (:func:`policykg.viz.cluster.cluster_model`) is always placed by the server (group
    grid, physics off); ``group_url`` is where the page fetches a group's members (served pages only)."""
    nodes, edges = model["nodes"], model["edges"]
    grouped = model.get("grouped")
    large = len(nodes) > LARGE_GRAPH_NODES or grouped is not None
    if grouped is not None:
        positions = group_positions(nodes)
        nodes = [{**n, "x": positions[n["id"]][0], "y": positions[n["id"]][1]} for n in nodes]
    elif large:
        positions = precompute_positions(nodes, edges, layout)
        nodes = [{**n, "x": positions[n["id"]][0], "y": positions[n["id"]][1]} for n in nodes]
    else:
        # Levels without a node would leave empty columns (a filtered or focus view): close them up.
        rank = {level: i for i, level in enumerate(sorted({n["level"] for n in nodes}))}
        nodes = [{**n, "level": rank[n["level"]]} for n in nodes]
    return {
        "lang": lang,
        "layout": layout.value,
        "large": large,
        "focus": model.get("focus"),
        "generation": model.get("generation", 0),
        "nodes": nodes,
        "edges": edges,
        "legend": model["legend"],
        "ui": UI_TEXT,
        "options": vis_options(layout, large=large, node_count=len(nodes)),
        "grouped": None if grouped is None else {**grouped, "url": group_url},
    }


@lru_cache(maxsize=2)
def _shipped_code(connect: bool = False) -> tuple[str, dict[str, Markup]]:
    """The CSP and the inlined scripts and styles: the same for every page, so hashed and checked once."""
    vis_js, vis_css = vis_assets()
    app_js, app_css = app_assets()
    csp = content_security_policy([vis_js, app_js], [vis_css, app_css], connect=connect)
    return csp, {
        "vis_js": _inline(vis_js, "</script"),
        "app_js": _inline(app_js, "</script"),
        "vis_css": _inline(vis_css, "</style"),
        "app_css": _inline(app_css, "</style"),
    }


def render_page(model: dict, *, lang: str = "ja", layout: Layout = Layout.hierarchical,
                json_url: str | None = None, group_url: str | None = None) -> RenderedPage:
    """The page for ``model`` (already filtered, or grouped). ``json_url`` links the JSON twin when served;
    ``group_url`` (grouped pages, served) is the members route, and lets the page fetch from its origin."""
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}; choose one of {', '.join(LANGS)}")
    data = script_json(page_data(model, lang=lang, layout=layout, group_url=group_url))
    csp, code = _shipped_code(bool(group_url))
    html = _environment().get_template("network.html").render(
        lang=lang,
        ui=UI_TEXT[lang],
        csp=csp,
        json_url=json_url,
        data_json=_inline(data, "</script"),
        **code,
        node_count=len(model["nodes"]),
        edge_count=len(model["edges"]),
        grouped=model.get("grouped"),
    )
    return RenderedPage(html=html, csp=csp)


__all__ = ["RenderedPage", "render_page", "page_data", "script_json", "content_security_policy", "csp_hash",
           "vis_assets", "app_assets", "VIS_VERSION"]
