"""Build a store from sources: ontology, then documents and RDF files, then CSVs, validated, written once.

Order matters: CSV readers (alignments, observations) resolve planner-facing labels against the
graph loaded before them, so they get the merged graph as ``context``. Everything is parsed and
validated before the store is touched (see :mod:`policykg.graph.pipeline`), so a bad source
leaves an existing store exactly as it was.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from importlib import resources
from pathlib import Path

from rdflib import Graph, URIRef

from policykg.errors import SourceError
from policykg.graph.pipeline import load_graphs, union_after
from policykg.graph.store import OxigraphStore, Store, open_store
from policykg.loaders.registry import read_source, source_kind
from policykg.namespaces import ONTOLOGY_GRAPH

Progress = Callable[[str], None]
BUNDLED_DECK = "hokkaido-society5-fy2023-secretariat-deck.txt"


def bundled_data_dir() -> Path:
    """The folder of ``policykg.data`` (bundled sources), found through importlib.resources."""
    return Path(str(resources.files("policykg.data")))


def default_sources() -> list[Path]:
    """The bundled deck, then every curated alignment CSV in ``data/alignments`` (sorted by name).

    >>> [p.name for p in default_sources()][0]
    'hokkaido-society5-fy2023-secretariat-deck.txt'
    """
    return [bundled_data_dir() / "sources" / BUNDLED_DECK, *bundled_alignment_files()]


def bundled_alignment_files() -> list[Path]:
    """The curated alignment CSVs in ``data/alignments``, sorted by name."""
    folder = bundled_data_dir() / "alignments"
    return sorted(folder.glob("*.csv")) if folder.is_dir() else []


def _phase(path: Path) -> int:
    """Documents and RDF first (0), CSVs after (1): CSVs need the graph they refer to."""
    return 1 if source_kind(path) == "csv" else 0


def read_sources(
    sources: Iterable[str | Path],
    *,
    context: Graph | None = None,
    progress: Progress | None = None,
) -> dict[URIRef, Graph]:
    """Parse every source into named graphs (no store involved). The ontology graph comes first.

    ``context`` is extra graph content CSV readers may resolve labels against (e.g. a store's current content).

    :raises SourceError: an unreadable source, or two sources that would fill the same named graph.
    """
    say = progress or (lambda _msg: None)
    from policykg.ontology import ontology_graph

    ontology = ontology_graph()
    graphs: dict[URIRef, Graph] = {ONTOLOGY_GRAPH: ontology}
    origin: dict[URIRef, str] = {ONTOLOGY_GRAPH: "policykg ontology"}
    merged = Graph()
    merged += ontology
    if context is not None:
        merged += context
    for path in sorted((Path(s) for s in sources), key=_phase):
        say(f"reading {path.name}")
        for name, graph in read_source(path, context=merged).items():
            if name in graphs:
                raise SourceError(
                    f"named graph <{name}> would be filled twice (also by {origin[name]}); rename one file",
                    file=str(path), field="graph name",
                )
            graphs[name], origin[name] = graph, str(path)
            merged += graph
    return graphs


def build_store(
    sources: Iterable[str | Path] | None = None,
    *,
    store: Store | None = None,
    store_dir: str | Path | None = None,
    backend: str = "oxigraph",
    validate: bool = True,
    progress: Progress | None = None,
) -> Store:
    """Load ``sources`` (default: :func:`default_sources`) plus the ontology into a store.

    Into ``store`` if given (its other graphs are kept), else a new store: on disk at ``store_dir``
    (Oxigraph) or in memory.

    :raises SourceError: a source cannot be read; nothing is written.
    :raises ValidationFailed: SHACL violations; nothing is written.
    :raises ValueError: an unknown backend, or ``store_dir`` with the memory-only rdflib backend.
    """
    target = store if store is not None else open_store(store_dir, backend=backend)
    existing = union_after(target, {}) if len(target) else None
    graphs = read_sources(default_sources() if sources is None else sources, context=existing, progress=progress)
    load_graphs(target, graphs, validate=validate, progress=progress)
    if isinstance(target, OxigraphStore):
        target.flush()
    return target


def open_or_build(store_dir: str | Path | None, *, backend: str = "oxigraph") -> Store:
    """Open the store at ``store_dir`` read-write if it holds data; else build the bundled graph there (or in memory).

    :raises ValueError: ``store_dir`` with the rdflib backend (memory only).
    """
    if store_dir is None:
        return build_store(backend=backend)
    store = open_store(store_dir, backend=backend)
    if len(store) == 0:
        build_store(store=store)
    return store


__all__ = [
    "default_sources", "bundled_data_dir", "bundled_alignment_files", "read_sources", "build_store", "open_or_build",
    "BUNDLED_DECK",
]
