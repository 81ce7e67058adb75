"""Layouts: vis-network options for small graphs, precomputed positions (physics off) for large ones.

A browser cannot run a force simulation over thousands of nodes and stay responsive, so above
:data:`LARGE_GRAPH_NODES` the server places every node itself (O(nodes + edges)) and the page
draws them with physics switched off. Below it, vis-network lays the graph out, with a bounded
number of stabilisation iterations, and physics is switched off once stable.
"""

from __future__ import annotations

import math
from collections import defaultdict
from enum import Enum

from policykg.viz.kinds import MIN_LABEL_PX


class Layout(str, Enum):
    hierarchical = "hierarchical"
    force = "force"


LARGE_GRAPH_NODES = 1000
"""Above this many nodes: precomputed positions, physics off, no edge smoothing."""
STABILIZATION_ITERATIONS = 200
"""Upper bound on force-layout iterations before the first stable render."""
LEVEL_GAP = 360.0
ROW_GAP = 34.0
COLUMN_GAP = 220.0
MAX_ROWS = 250
LABEL_WIDTH = 180
"""Labels wrap at this width (canvas units, below the hierarchical level separation), so neighbouring
columns' labels do not run into each other and a fit leaves room to enlarge them."""
SPACIOUS_NODES = 60
"""Up to this many nodes, hierarchical rows are spaced for wrapped labels several lines high."""


def ordered_levels(nodes: list[dict], edges: list[dict]) -> dict[int, list[str]]:
    """Node ids per level, each level ordered by the mean position of its already-placed
    neighbours (one barycentric sweep), so related nodes sit near each other.

    >>> ordered_levels([{"id": "a", "level": 0}, {"id": "b", "level": 1}, {"id": "c", "level": 0}],
    ...                [{"from": "b", "to": "c"}])[0]
    ['a', 'c']
    """
    by_level: dict[int, list[str]] = defaultdict(list)
    for n in nodes:
        by_level[n["level"]].append(n["id"])
    neighbours: dict[str, list[str]] = defaultdict(list)
    for e in edges:
        neighbours[e["from"]].append(e["to"])
        neighbours[e["to"]].append(e["from"])
    rank: dict[str, float] = {}
    result: dict[int, list[str]] = {}
    for level in sorted(by_level):
        ids = by_level[level]
        original = {nid: i for i, nid in enumerate(ids)}

        def key(nid: str) -> tuple[float, int]:
            placed = [rank[m] for m in neighbours[nid] if m in rank]
            return (sum(placed) / len(placed) if placed else original[nid] / max(len(ids), 1), original[nid])

        ordered = sorted(ids, key=key)
        for i, nid in enumerate(ordered):
            rank[nid] = i / max(len(ordered), 1)
        result[level] = ordered
    return result


def precompute_positions(nodes: list[dict], edges: list[dict], layout: Layout) -> dict[str, tuple[float, float]]:
    """Positions for every node: columns per level (hierarchical) or rings per level (force)."""
    levels = ordered_levels(nodes, edges)
    positions: dict[str, tuple[float, float]] = {}
    radius = 0.0
    left = 0.0
    for level in sorted(levels):
        ids = levels[level]
        if layout is Layout.hierarchical:
            # A level wraps into side-by-side sub-columns of MAX_ROWS, keeping the picture roughly
            # square: shorter edges, a closer initial zoom, far less canvas to rasterise.
            columns = math.ceil(len(ids) / MAX_ROWS)
            rows = math.ceil(len(ids) / columns)
            top = -(rows - 1) * ROW_GAP / 2
            for i, nid in enumerate(ids):
                positions[nid] = (left + (i // rows) * COLUMN_GAP, top + (i % rows) * ROW_GAP)
            left += (columns - 1) * COLUMN_GAP + LEVEL_GAP
        else:
            # Rings move outwards level by level; a ring grows with its population so nodes keep ROW_GAP apart.
            radius = max(radius + LEVEL_GAP, len(ids) * ROW_GAP / (2 * math.pi))
            for i, nid in enumerate(ids):
                angle = 2 * math.pi * i / max(len(ids), 1)
                positions[nid] = (round(radius * math.cos(angle), 1), round(radius * math.sin(angle), 1))
    return positions


def vis_options(layout: Layout, *, large: bool, node_count: int) -> dict:
    """vis-network options: hierarchical left-to-right (national plans left, local plan right) or force."""
    options: dict = {
        "autoResize": True,
        "interaction": {"hover": True, "tooltipDelay": 3_600_000, "hideEdgesOnDrag": large,
                        "hideEdgesOnZoom": large, "navigationButtons": False, "keyboard": False},
        "nodes": {"font": {"size": 14, "face": "sans-serif"}, "size": 10, "borderWidth": 1,
                  # vis skips a label under drawThreshold − 1 px on screen and fades it in up to
                  # drawThreshold: labels are opaque from MIN_LABEL_PX, gone below MIN_LABEL_PX − 1
                  "scaling": {"label": {"drawThreshold": MIN_LABEL_PX}}},
        "edges": {"smooth": False if large else {"type": "continuous"}, "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
                  "font": {"size": 11, "align": "middle"}},
        "layout": {"improvedLayout": not large and node_count <= 300},
        "physics": False,
    }
    if large:
        return options
    options["nodes"]["widthConstraint"] = {"maximum": LABEL_WIDTH}
    if layout is Layout.hierarchical:
        options["layout"]["hierarchical"] = {
            "enabled": True, "direction": "LR", "levelSeparation": 220,
            "nodeSpacing": 160 if node_count <= SPACIOUS_NODES else 40,
            "treeSpacing": 60, "sortMethod": "directed", "shakeTowards": "roots",
        }
        options["edges"]["smooth"] = {"type": "cubicBezier", "forceDirection": "horizontal", "roundness": 0.4}
    else:
        options["physics"] = {
            "enabled": True, "solver": "forceAtlas2Based",
            "forceAtlas2Based": {"gravitationalConstant": -60, "springLength": 120, "avoidOverlap": 0.3},
            "stabilization": {"enabled": True, "iterations": STABILIZATION_ITERATIONS, "updateInterval": 50, "fit": True},
        }
    return options


__all__ = ["Layout", "LARGE_GRAPH_NODES", "STABILIZATION_ITERATIONS", "ordered_levels", "precompute_positions", "vis_options",
           "LABEL_WIDTH", "SPACIOUS_NODES"]
