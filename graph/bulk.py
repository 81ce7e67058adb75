"""Bulk RDF sources: N-Triples and N-Quads files read by Oxigraph's parser, never by rdflib.

A national dataset is millions of quads (benchmarks/national.py); rdflib parses some tens of
thousands a second and holds each triple as Python objects, Oxigraph parses about a million a second
and keeps them in Rust. So a ``.nt`` / ``.nq`` source is parsed into an in-memory Oxigraph store and
handed on as :func:`policykg.graphs.native_graph` graphs: the pipeline stages, validates and writes
them without converting a term (:mod:`policykg.graph.pipeline`). The rules stay those of
:mod:`policykg.loaders.rdf_files`: N-Quads keep their graph names, default-graph triples (and every
N-Triples triple) go to ``graph/<file stem>``, a syntax error names the file and the line, an
ill-typed literal (``"abc"^^xsd:integer``) refuses the whole file. Nothing is fetched: these formats
cannot refer to anything outside the file.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, URIRef

from policykg.errors import SourceError
from policykg.graph.queries import internal_query, select
from policykg.graph.store import OxigraphStore
from policykg.graphs import native_graph
from policykg.loaders.rdf_files import rdf_format
from policykg.loaders.registry import source_kind
from policykg.namespaces import graph_name

BULK_FORMATS = {"nt": ox.RdfFormat.N_TRIPLES, "nquads": ox.RdfFormat.N_QUADS}
"""rdflib format name (:data:`policykg.loaders.rdf_files.FORMATS`) → Oxigraph format, for the line-based formats."""


def is_bulk_source(path: str | Path) -> bool:
    """``True`` for an N-Triples or N-Quads file (read by :func:`read_bulk_source`).

    >>> is_bulk_source("national.nq"), is_bulk_source("national.ttl"), is_bulk_source("plan.xlsx")
    (True, False, False)
    """
    p = Path(path)
    return source_kind(p) == "rdf" and rdf_format(p) in BULK_FORMATS


def read_bulk_source(path: str | Path) -> dict[URIRef, Graph]:
    """``{graph name: native graph}`` of one N-Triples / N-Quads file.

    :raises SourceError: unreadable file, a syntax error (with its line) or an ill-typed literal.
    """
    p = Path(path)
    file = str(p)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise SourceError(f"cannot read file: {exc.strerror}", file=file) from None
    default = ox.NamedNode(str(graph_name(p.stem)))
    fmt = BULK_FORMATS[rdf_format(p)]
    parsed = OxigraphStore()
    engine = parsed.engine
    try:
        # The bulk loader (parallel parsing, no transaction: nobody else sees this private store yet).
        engine.bulk_load(data, format=fmt, **({"to_graph": default} if fmt == ox.RdfFormat.N_TRIPLES else {}))
    except SyntaxError as exc:
        raise SourceError(f"syntax error: {exc.msg}", file=file, line=exc.lineno) from None
    _name_unnamed(engine, default)
    found = select(parsed, internal_query("ill-typed-literals"))
    if found:
        literal = found[0]["literal"]
        datatype = str(literal.datatype).replace("http://www.w3.org/2001/XMLSchema#", "xsd:")
        raise SourceError(f"ill-typed literal {str(literal)!r}: not a valid {datatype}", file=file,
                          line=_line_of(data, str(literal)), field=datatype)
    return {URIRef(g.value): native_graph(engine, g.value) for g in engine.named_graphs() if isinstance(g, ox.NamedNode)}


def _name_unnamed(engine: ox.Store, default: ox.NamedNode) -> None:
    """Move default-graph quads, and quads in blank-node graphs, to the file's graph ``default``."""
    unnamed = [ox.DefaultGraph(), *(g for g in engine.named_graphs() if isinstance(g, ox.BlankNode))]
    for graph in unnamed:
        moved = [ox.Quad(q.subject, q.predicate, q.object, default) for q in engine.quads_for_pattern(None, None, None, graph)]
        if moved:
            engine.extend(moved)
        if isinstance(graph, ox.DefaultGraph):
            engine.clear_graph(graph)
        else:
            engine.remove_graph(graph)


def _line_of(data: bytes, lexical: str) -> int | None:
    """The first line holding ``"<lexical>"`` (N-Triples escapes aside), for the error message."""
    index = data.find(f'"{lexical}"'.encode("utf-8"))
    return data.count(b"\n", 0, index) + 1 if index >= 0 else None


__all__ = ["BULK_FORMATS", "is_bulk_source", "read_bulk_source"]
