"""Build a store from sources: ontology, then documents and RDF files, then CSVs, validated, written once.

Order matters: CSV readers (alignments, observations) resolve planner-facing labels against the
graph loaded before them, so they get the merged graph as ``context``. Everything is parsed and
validated before the store is touched (see :mod:`policykg.graph.pipeline`), so a bad source
leaves an existing store exactly as it was.
"""

from __future__ import annotations

import hashlib
import shutil
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import lru_cache
from importlib import resources
from pathlib import Path

from rdflib import Graph, URIRef

from policykg.errors import SourceError, StoreInUse, StoreNotFound
from policykg.graphs import bulk_objects, layered
from policykg.graph import summaries
from policykg.graph.bulk import is_bulk_source, read_bulk_source
from policykg.graph.pipeline import load_graphs, store_view
from policykg.graph.store import OxigraphStore, Store, open_store
from policykg.loaders.registry import read_source, source_kind
from policykg.loaders.workbook import parse_workbook, workbook_graph_name
from policykg.loaders.workbook.prefetch import WorkbookPrefetch
from policykg.namespaces import ONTOLOGY_GRAPH

Progress = Callable[[str], None]
BUNDLED_DECK = "hokkaido-society5-fy2023-secretariat-deck.txt"
READ_ONLY_ATTEMPTS = 3
"""Tries to open a store read-only while another process may be writing it (see :func:`open_existing`)."""


def bundled_data_dir() -> Path:
    """The folder of ``policykg.data`` (bundled sources), found through importlib.resources."""
    return Path(str(resources.files("policykg.data")))


def default_sources() -> list[Path]:
    """The bundled deck, the national reference data (``data/national/*.ttl``, docs/national.md), then every
    curated alignment CSV in ``data/alignments`` (sorted by name).

    >>> [p.name for p in default_sources()][:2]
    ['hokkaido-society5-fy2023-secretariat-deck.txt', 'jp-national-reference.ttl']
    """
    return [bundled_data_dir() / "sources" / BUNDLED_DECK, *bundled_national_files(), *bundled_alignment_files()]


def bundled_national_files() -> list[Path]:
    """The national reference data in ``data/national`` (Turtle), sorted by name."""
    folder = bundled_data_dir() / "national"
    return sorted(folder.glob("*.ttl")) if folder.is_dir() else []


def bundled_alignment_files() -> list[Path]:
    """The curated alignment CSVs in ``data/alignments``, sorted by name."""
    folder = bundled_data_dir() / "alignments"
    return sorted(folder.glob("*.csv")) if folder.is_dir() else []


def _phase(path: Path) -> int:
    """Documents and RDF first (0), CSVs after (1): CSVs need the graph they refer to. Workbooks last (2):
    they resolve national items, and the CSVs' labels must not meet another jurisdiction's."""
    kind = source_kind(path)
    return 2 if kind == "workbook" else 1 if kind == "csv" else 0


def read_sources(
    sources: Iterable[str | Path],
    *,
    context: Graph | None = None,
    progress: Progress | None = None,
    ontology: bool = True,
    origins: dict[URIRef, str] | None = None,
) -> dict[URIRef, Graph]:
    """Parse every source into named graphs (no store involved). The ontology graph comes first
    (``ontology=False``: left out, though its labels are still part of the context).

    ``context`` is extra graph content CSV readers may resolve labels against (e.g. a store's current content,
    :func:`policykg.graph.pipeline.store_view`); it is read where it is, never copied.
    ``origins``, when given, is filled with each graph's source file.

    :raises SourceError: an unreadable source, or two sources that would fill the same named graph.
    """
    say = progress or (lambda _msg: None)
    from policykg.ontology import ontology_graph

    vocabulary = ontology_graph()
    graphs: dict[URIRef, Graph] = {ONTOLOGY_GRAPH: vocabulary}
    origin: dict[URIRef, str] = {ONTOLOGY_GRAPH: "policykg ontology"}
    merged = Graph()  # what this build has read so far (only while a reader of context is still to come)
    merged += vocabulary
    view = merged if context is None else layered(merged, context)
    documents: list[URIRef] = []
    reference: list[Graph] = []
    ordered = sorted((Path(s) for s in sources), key=_phase)
    # Workbooks come last; while the sources before them are read, a child reads their .xlsx files.
    first_workbook = next((i for i, p in enumerate(ordered) if _phase(p) == 2), len(ordered))
    with WorkbookPrefetch(ordered[first_workbook:] if first_workbook else []) as ahead:
        for position, path in enumerate(ordered):
            say(f"reading {path.name}")
            kind = source_kind(path)
            bulk = is_bulk_source(path)
            # Only CSVs and workbooks read the context, so a source's graph joins it only while one of them
            # is still to come: the last workbook (often by far the largest graph) is never copied. Bulk
            # sources (N-Triples, N-Quads: millions of quads kept in Oxigraph) never join it (docs/workbook.md).
            needed_later = not bulk and any(_phase(later) > 0 for later in ordered[position + 1:])
            prefetched = ahead.take(path) if kind == "workbook" else None
            if bulk:
                read = read_bulk_source(path)
            elif prefetched is not None:
                read = {workbook_graph_name(path): parse_workbook(prefetched, context=view)}
            else:
                read = read_source(path, context=view)
            _collect(graphs, origin, path, read, merged if needed_later else None)
            if kind == "document":
                documents.extend(read)
            elif kind == "rdf" and not bulk:  # bulk graphs (other jurisdictions' plans) are no national reference
                reference.extend(read.values())
    for name in documents:
        graphs[name] = drop_restated(graphs[name], reference)
    if not ontology:
        del graphs[ONTOLOGY_GRAPH]
    if origins is not None:
        origins.update({name: origin[name] for name in graphs if name != ONTOLOGY_GRAPH})
    return graphs


def _collect(graphs: dict[URIRef, Graph], origin: dict[URIRef, str], path: Path, read: dict[URIRef, Graph],
             merged: Graph | None) -> None:
    """Add one source's graphs to ``graphs`` (and to ``merged``, the label context, when given)."""
    for name, graph in read.items():
        if name in graphs:
            raise SourceError(
                f"named graph <{name}> would be filled twice (also by {origin[name]}); rename one file",
                file=str(path), field="graph name",
            )
        graphs[name], origin[name] = graph, str(path)
        if merged is not None:
            merged += graph


@lru_cache(maxsize=1)
def _code_fingerprint() -> bytes:
    """A hash of what turns source files into graphs: the loaders, the ontology and its files, the core
    helpers and this module. A store built by other code reads every source again."""
    import policykg
    import policykg.loaders
    import policykg.ontology

    roots = [Path(policykg.loaders.__path__[0]), Path(policykg.ontology.__path__[0])]
    files = sorted(f for root in roots for f in root.rglob("*") if f.is_file() and "__pycache__" not in f.parts)
    files += sorted(Path(policykg.__file__).parent.glob("*.py")) + [Path(__file__)]
    digest = hashlib.sha256()
    for f in files:
        digest.update(f.name.encode("utf-8") + b"\0")
        _hash_file(digest, f)
    return digest.digest()


def _hash_file(digest: "hashlib._Hash", path: Path) -> None:
    """Feed ``path``'s bytes and an end mark to ``digest`` a megabyte at a time (a national N-Quads file is
    2 GB: never held whole just to be fingerprinted)."""
    with path.open("rb") as stream:
        while chunk := stream.read(1 << 20):
            digest.update(chunk)
    digest.update(b"\0")


def source_digest(path: Path) -> str:
    """The fingerprint of reading ``path`` now: its name and bytes (a folder: every file in it) and the code.

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp()); (folder / "a.ttl").write_text("x"); (folder / "b.ttl").write_text("x")
    1
    1
    >>> source_digest(folder / "a.ttl") == source_digest(folder / "a.ttl") != source_digest(folder / "b.ttl")
    True
    """
    digest = hashlib.sha256(_code_fingerprint())
    digest.update(path.name.encode("utf-8") + b"\0")
    files = sorted(f for f in path.rglob("*") if f.is_file()) if path.is_dir() else [path]
    for f in files:
        try:
            digest.update(f.relative_to(path).as_posix().encode("utf-8") if f != path else b"")
            digest.update(b"\0")
            _hash_file(digest, f)
        except OSError:  # unreadable: never "unchanged"; reading it reports the error
            return "unreadable:" + str(f)
    return digest.hexdigest()


def ontology_digest() -> str:
    """The fingerprint of the ontology graph (it comes from the code)."""
    return hashlib.sha256(_code_fingerprint() + b"ontology").hexdigest()


def _unchanged_head(paths: list[Path], digests: Mapping[Path, str], held: Mapping[str, set[URIRef]],
                    present: set[URIRef]) -> tuple[list[Path], list[Path]]:
    """(sources not to read, sources to read): in reading order, the sources at the head whose fingerprint
    the store recorded and whose graphs it still holds; from the first other one on, every source is read
    (later sources resolve labels against earlier ones, documents drop what the reference data states).

    >>> a, b, c = Path("a.ttl"), Path("b.csv"), Path("c.xlsx")
    >>> _unchanged_head([c, a, b], {a: "1", b: "2", c: "3"}, {"1": {URIRef("g:a")}, "3": {URIRef("g:c")}},
    ...                 {URIRef("g:a"), URIRef("g:c")})
    ([PosixPath('a.ttl')], [PosixPath('b.csv'), PosixPath('c.xlsx')])
    """
    ordered = sorted(paths, key=_phase)
    for position, path in enumerate(ordered):
        graphs = held.get(digests.get(path, ""), set())
        if not graphs or not graphs <= present:
            return ordered[:position], ordered[position:]
    return ordered, []


def drop_restated(graph: Graph, reference: Graph | Sequence[Graph]) -> Graph:
    """``graph`` without the triples ``reference`` already states.

    A document that quotes the national plans restates facts the national reference data
    (``data/national``) holds; kept twice, every triple would come back twice from the union default
    graph and multiply the rows of every query that joins them. The reference states them; the
    document keeps only what it adds (its own entities, its quotations' source locations).

    >>> from rdflib import Literal, URIRef
    >>> a, b = (URIRef("http://x/a"), URIRef("http://x/p"), Literal(1)), (URIRef("http://x/b"), URIRef("http://x/p"), Literal(2))
    >>> doc, ref = Graph(), Graph()
    >>> _ = doc.add(a).add(b); _ = ref.add(a)
    >>> sorted(t[0] for t in drop_restated(doc, ref))
    [rdflib.term.URIRef('http://x/b')]
    """
    references = [reference] if isinstance(reference, Graph) else list(reference)
    if not any(len(r) for r in references):
        return graph
    kept = Graph()
    for prefix, namespace in graph.namespaces():
        kept.bind(prefix, namespace, override=True)
    for triple in graph:
        if not any(triple in r for r in references):
            kept.add(triple)
    return kept


def build_store(
    sources: Iterable[str | Path] | None = None,
    *,
    store: Store | None = None,
    store_dir: str | Path | None = None,
    backend: str = "oxigraph",
    validate: bool = True,
    progress: Progress | None = None,
    rollups: bool = True,
) -> Store:
    """Load ``sources`` (default: :func:`default_sources`) plus the ontology into a store.

    Into ``store`` if given (its other graphs are kept), else a new store: on disk at ``store_dir``
    (Oxigraph) or in memory. ``rollups=False`` leaves the national roll-ups (:mod:`graph.summaries`)
    unwritten, for a store that is checked and thrown away (``policykg build`` with nowhere to write);
    the first roll-up request of a store without them builds them.

    :raises SourceError: a source cannot be read; nothing is written.
    :raises ValidationFailed: SHACL violations; nothing is written.
    :raises ValueError: an unknown backend, or ``store_dir`` with the memory-only rdflib backend.
    :raises StoreInUse: ``store_dir`` is held open for writing by another process.
    """
    created = store is None and store_dir is not None and not Path(store_dir).exists()
    try:
        target = store if store is not None else open_store(store_dir, backend=backend)
    except OSError as exc:
        if store_dir is not None and "lock" in str(exc).lower():
            raise StoreInUse(str(store_dir)) from None
        raise
    try:
        paths = [Path(s) for s in (default_sources() if sources is None else sources)]
        # A store on disk remembers which sources it was built from (their fingerprints, graph/summaries.py):
        # the unchanged ones at the head of the reading order are not read again, nor rewritten.
        remembers = rollups and isinstance(target, OxigraphStore) and target.path is not None
        digests = {p: source_digest(p) for p in paths} if remembers else {}
        held = summaries.source_digests(target) if remembers and not created else {}
        unchanged, paths = _unchanged_head(paths, digests, held, set(target.graph_names()) if held else set())
        keep_ontology = ONTOLOGY_GRAPH in held.get(ontology_digest(), ())
        if unchanged and progress is not None:
            progress(f"unchanged since the store was built from them, not read again: {', '.join(p.name for p in unchanged)}")
        if remembers and not paths and keep_ontology:
            if progress is not None:
                progress("nothing to read: the store already holds every source as it is now")
            return target
        origins: dict[URIRef, str] = {}
        with bulk_objects():
            existing = None if created else store_view(target)
            graphs = read_sources(paths, context=existing, progress=progress, ontology=not keep_ontology, origins=origins)
            load_graphs(target, graphs, validate=validate, progress=progress,
                        rollups=rollups and hasattr(target, "write_meta"))
        if rollups and hasattr(target, "write_meta"):  # the national roll-ups, kept current by every later write
            summaries.ensure(target)
        if remembers:
            records = {g: digests[Path(origins[g])] for g in graphs if g in origins}
            if ONTOLOGY_GRAPH in graphs:
                records[ONTOLOGY_GRAPH] = ontology_digest()
            update = summaries.record_sources_update(records)
            if update:
                target.write_meta(update)
    except BaseException:
        if created:  # a refused build leaves no half-made store directory behind
            del target
            shutil.rmtree(store_dir, ignore_errors=True)
        raise
    if isinstance(target, OxigraphStore):
        target.flush()
        if created:
            target.engine.optimize()  # a bulk-built store's files compacted once, before anyone reads them
    return target


def open_existing(store_dir: str | Path, *, backend: str = "oxigraph", read_only: bool = False) -> Store:
    """Open the on-disk store at ``store_dir``; never creates one (only :func:`build_store` does).

    ``read_only`` opens it as a reader, which works while another process (a running server) holds
    it for writing. Oxigraph calls reading while another process writes undefined: the reader sees
    the store as it was when opened, and an open that meets a compaction is tried again.

    :raises StoreNotFound: the path does not exist, is not a directory, is empty or holds no Oxigraph store.
    :raises StoreInUse: opening for writing while another process holds the store.
    :raises ValueError: the rdflib backend (memory only) or an unknown backend.
    """
    path = Path(store_dir)
    if backend != "oxigraph":
        return open_store(path, backend=backend)  # raises the ValueError that explains the choice
    if not path.exists():
        raise StoreNotFound(str(path))
    if not path.is_dir():
        raise StoreNotFound(str(path), "ディレクトリではありません", "is not a directory")
    if not any(path.iterdir()):
        raise StoreNotFound(str(path), "空です", "is empty")
    if not (path / "CURRENT").is_file():  # every RocksDB database (Oxigraph's on-disk format) has one
        raise StoreNotFound(str(path), "Oxigraph のストアではありません", "holds no Oxigraph store")
    attempt = 1
    while True:
        try:
            return open_store(path, backend=backend, read_only=read_only)
        except (OSError, RuntimeError) as exc:
            text = str(exc).lower()
            if "lock" in text and not read_only:
                raise StoreInUse(str(path)) from None
            # A reader that opens while the writer compacts can find a file already gone (RocksDB's
            # read-only mode is a snapshot of the file list): open again on the newer list.
            if not (read_only and ("corruption" in text or "no such file" in text)) or attempt == READ_ONLY_ATTEMPTS:
                raise
        time.sleep(0.05 * attempt)
        attempt += 1


def open_or_build(store_dir: str | Path | None, *, backend: str = "oxigraph") -> Store:
    """The bundled graph built in memory (``store_dir`` unset), else the existing store at ``store_dir``, read-write.

    :raises StoreNotFound: / :raises StoreInUse: / :raises ValueError: see :func:`open_existing`.
    """
    if store_dir is None:
        return build_store(backend=backend)
    return open_existing(store_dir, backend=backend)


def memory_copy(store: Store) -> Store:
    """An in-memory Oxigraph copy of every quad of ``store``: work on it and the original stays as it was."""
    copy = OxigraphStore()
    if isinstance(store, OxigraphStore):
        copy.engine.extend(store.engine.quads_for_pattern(None, None, None, None))
    else:
        graphs: dict[URIRef, Graph] = {}
        for s, p, o, g in store.quads():
            graphs.setdefault(g, Graph()).add((s, p, o))
        copy.replace_graphs(graphs)
    return copy


__all__ = [
    "default_sources", "bundled_data_dir", "bundled_alignment_files", "read_sources", "build_store", "open_or_build",
    "open_existing", "memory_copy", "BUNDLED_DECK",
]
