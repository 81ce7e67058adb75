"""The import contract: imports flow one way, ontology → core → loaders → graph → viz | report → api → cli.

Read from the source with ``ast`` (every import, including those inside functions), so a cycle cannot
come back through a lazy import. Layers, lowest first:

- ``ontology`` — the OWL/SHACL files and their paths;
- core — the modules directly in ``policykg/`` (IRIs, ids, URLs, CURIEs, labels, words, Japanese dates
  and quantities, errors): they import no subpackage but the ontology;
- ``loaders`` — sources → RDF;
- ``graph`` — store, build pipeline, queries, analysis (the pipeline reads sources through loaders);
- ``viz`` and ``report`` — side by side, neither imports the other;
- ``api`` — serves pages, the network view and reports;
- ``cli`` (with ``policykg.__main__``) — the console script, on top.
"""

from __future__ import annotations

import ast
import tomllib
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

LAYERS: list[set[str]] = [
    {"ontology"},
    {"core"},
    {"loaders"},
    {"graph"},
    {"viz", "report"},
    {"api"},
    {"cli"},
]
RANK = {name: rank for rank, names in enumerate(LAYERS) for name in names}


def _package_dirs() -> dict[str, Path]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return {name: ROOT / folder for name, folder in config["tool"]["setuptools"]["package-dir"].items()}


def _modules() -> dict[str, Path]:
    """Every module of the distribution: dotted name → file."""
    found: dict[str, Path] = {}
    for package, folder in _package_dirs().items():
        for path in folder.rglob("*.py"):
            rel = path.relative_to(folder).with_suffix("").parts
            if rel[-1] == "__init__":
                rel = rel[:-1]
            name = ".".join((package, *rel))
            # a nested package-dir (policykg.graph inside policykg/?) never overlaps here; keep the deepest
            found.setdefault(name, path)
    return found


def layer_of(module: str) -> str | None:
    """The layer of a dotted module name of ours (``None`` for anything else).

    >>> layer_of("policykg.graph.store"), layer_of("policykg.urls"), layer_of("policykg.__main__")
    ('graph', 'core', 'cli')
    """
    parts = module.split(".")
    if parts[0] != "policykg":
        return None
    if len(parts) == 1:
        return "core"
    if parts[1] == "__main__":
        return "cli"
    if parts[1] in RANK:
        return parts[1]
    if parts[1] == "data":
        return "data"
    return "core"


def _imports(path: Path, module: str) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join(anchor + ([base] if base else []))
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return {_owner(name) for name in names if name.startswith("policykg")}


MODULES = _modules()


def _owner(name: str) -> str:
    """The module an imported name lives in (``policykg.ids.local_id`` → ``policykg.ids``)."""
    while name not in MODULES and "." in name:
        name = name.rpartition(".")[0]
    return name


EDGES = {name: _imports(path, name) for name, path in MODULES.items()}


def test_the_walk_sees_every_layer() -> None:
    seen = {layer_of(name) for name in MODULES}
    assert seen >= {"ontology", "core", "loaders", "graph", "viz", "report", "api", "cli"}
    assert len(MODULES) > 100


def _violations() -> list[str]:
    found = []
    for source, targets in sorted(EDGES.items()):
        low = layer_of(source)
        for target in sorted(targets):
            high = layer_of(target)
            if high is None or high == low or high == "data":
                continue
            if RANK[high] >= RANK[low]:
                found.append(f"{source} ({low}) imports {target} ({high})")
    return found


def test_imports_flow_one_way() -> None:
    assert _violations() == []


def test_no_module_cycles() -> None:
    """No two modules import each other, directly or round a longer loop (Tarjan's SCCs), counting
    imports inside functions too: a lazy import hides a cycle, it does not remove it."""
    graph = defaultdict(set)
    for name, targets in EDGES.items():
        # importing a package's submodule imports the package first: that is not a cycle of ours
        graph[name] = {t for t in targets if t in MODULES and t != name and not name.startswith(t + ".")}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []
    counter = [0]

    def visit(node: str) -> None:
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for nxt in graph.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    assert cycles == []


@pytest.mark.parametrize(
    ("source", "target", "allowed"),
    [
        ("policykg.viz.model", "policykg.api.urls", False),
        ("policykg.report.html", "policykg.viz.model", False),
        ("policykg.loaders.alignments", "policykg.graph.store", False),
        ("policykg.graph.build", "policykg.loaders.registry", True),
        ("policykg.api.routes.viz", "policykg.viz.model", True),
        ("policykg.urls", "policykg.ontology", True),
    ],
)
def test_the_rule_itself(source: str, target: str, allowed: bool) -> None:
    """The checker refuses what the contract forbids (so an empty violation list means something)."""
    low, high = layer_of(source), layer_of(target)
    assert (high == low or RANK[high] < RANK[low]) is allowed
