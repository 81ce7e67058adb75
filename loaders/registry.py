"""Pick the reader for a source file: by extension, and for CSV by its header row.

Each reader returns graphs keyed by named-graph IRI, so the build can replace them atomically.
Readers written by colleagues (deck, alignments, observations) are imported on first use, so a
missing or broken one only affects files of its own kind.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

from rdflib import Graph, URIRef

from policykg.errors import SourceError
from policykg.loaders.rdf_files import FORMATS as RDF_FORMATS
from policykg.loaders.rdf_files import read_rdf_file
from policykg.namespaces import CURATED_ALIGNMENTS_GRAPH_PREFIX, graph_name

DOCUMENT_SUFFIXES = (".txt", ".md")
CSV_SUFFIXES = (".csv",)
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
"""A planner's workbook (policykg.loaders.workbook); a folder of its sheets as CSV files is one too."""

OBSERVATION_COLUMNS = frozenset({"indicator", "date", "value"})
"""A CSV whose header has all of these is an observation CSV (data/observations/template.csv)."""
ALIGNMENT_HINTS = ("relation", "evidence", "national", "関係", "根拠")
"""A CSV with a column whose name contains one of these is an alignment CSV (data/alignments/*.csv)."""
OBSERVATIONS_GRAPH_PREFIX = "observations-"


def accepted_kinds() -> str:
    """Human-readable list of what :func:`read_source` accepts, for error messages."""
    rdf = " ".join(sorted(RDF_FORMATS))
    return f"documents (.txt .md), RDF ({rdf}), alignment or observation CSV (.csv), plan workbook (.xlsx or a folder of its CSV sheets)"


def source_kind(path: Path) -> str:
    """``document``, ``rdf`` or ``csv`` by extension.

    >>> source_kind(Path("deck.txt")), source_kind(Path("x.trig")), source_kind(Path("a.CSV"))
    ('document', 'rdf', 'csv')
    """
    suffix = path.suffix.lower()
    if suffix in WORKBOOK_SUFFIXES or path.is_dir():
        return "workbook"
    if suffix in DOCUMENT_SUFFIXES:
        return "document"
    if suffix in RDF_FORMATS:
        return "rdf"
    if suffix in CSV_SUFFIXES:
        return "csv"
    raise SourceError(f"unknown kind of source {suffix or '(no extension)'!r}; accepted: {accepted_kinds()}",
                      file=str(path), field="extension")


def csv_kind(path: Path) -> str:
    """``alignments`` or ``observations``, decided by the header row.

    :raises SourceError: unreadable, empty, or a header that fits neither template.
    """
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            header = next(csv.reader(fh), [])
    except (OSError, UnicodeDecodeError) as exc:
        raise SourceError(f"cannot read CSV: {exc}", file=str(path), line=1) from None
    columns = {h.strip().lower() for h in header}
    if OBSERVATION_COLUMNS <= columns:
        return "observations"
    if any(hint in column for column in columns for hint in ALIGNMENT_HINTS):
        return "alignments"
    raise SourceError(
        "CSV header fits neither template: alignments need a column such as "
        f"{', '.join(ALIGNMENT_HINTS)}; observations need {', '.join(sorted(OBSERVATION_COLUMNS))}; "
        f"found {', '.join(header) or '(empty)'}",
        file=str(path), line=1, field="header",
    )


def _read_document(path: Path, context: Graph) -> dict[URIRef, Graph]:
    from policykg.loaders.deck import read_deck

    source_name, graph = read_deck(path)
    return {graph_name(source_name): graph}


def _read_alignments(path: Path, context: Graph) -> dict[URIRef, Graph]:
    from policykg.loaders.alignments import read_alignments

    return {graph_name(CURATED_ALIGNMENTS_GRAPH_PREFIX + path.stem): read_alignments(path, context)}


def _read_observations(path: Path, context: Graph) -> dict[URIRef, Graph]:
    from policykg.loaders.observations import read_observations

    return {graph_name(OBSERVATIONS_GRAPH_PREFIX + path.stem): read_observations(path, context)}


def _read_workbook(path: Path, context: Graph) -> dict[URIRef, Graph]:
    from policykg.loaders.workbook import read_workbook

    return read_workbook(path, context=context)


READERS: dict[str, Callable[[Path, Graph], dict[URIRef, Graph]]] = {
    "workbook": _read_workbook,
    "document": _read_document,
    "rdf": lambda path, context: read_rdf_file(path),
    "alignments": _read_alignments,
    "observations": _read_observations,
}
"""Kind → reader. Every reader returns ``{named graph IRI: Graph}``."""


def read_source(path: str | Path, *, context: Graph | None = None) -> dict[URIRef, Graph]:
    """Read one source file into named graphs without touching any store.

    ``context`` is the graph loaded so far; CSV readers resolve labels against it.

    :raises SourceError: unknown kind, missing file, or whatever the reader rejects (file, line, field).
    """
    path = Path(path)
    kind = source_kind(path)
    if not path.is_file() and not (kind == "workbook" and path.is_dir()):
        raise SourceError("no such file", file=str(path))
    if kind == "csv":
        kind = csv_kind(path)
    return READERS[kind](path, context if context is not None else Graph())


__all__ = ["read_source", "source_kind", "csv_kind", "accepted_kinds", "READERS",
           "OBSERVATION_COLUMNS", "ALIGNMENT_HINTS"]
