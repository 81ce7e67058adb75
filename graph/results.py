"""W3C SPARQL 1.1 result formats over the engine-neutral result types of :mod:`policykg.graph.store`.

One table maps a media type to a serialiser, so the HTTP endpoint and the CLI negotiate the same way
(rdflib-endpoint keeps content negotiation as a table too). Oxigraph writes SELECT/ASK results with
its own serialisers (:func:`write_engine_results`); the writers here serve the rdflib fallback and
engine-neutral results (canned CONSTRUCT rows). SELECT/ASK results follow

* SPARQL 1.1 Query Results JSON Format  (``application/sparql-results+json``)
* SPARQL Query Results XML Format        (``application/sparql-results+xml``)
* SPARQL 1.1 Query Results CSV and TSV   (``text/csv``: plain values, CRLF; ``text/tab-separated-values``:
  RDF terms in Turtle/N-Triples syntax, numbers abbreviated where their lexical form allows)

CONSTRUCT/DESCRIBE graphs go out as Turtle, N-Triples, JSON-LD or RDF/XML through rdflib's serialisers
(never with a remote JSON-LD context).

>>> from rdflib import URIRef, Literal
>>> r = SelectResult(["s", "o"], [{"s": URIRef("http://x/s"), "o": Literal(4)}])
>>> to_tsv(r)
b'?s\\t?o\\n<http://x/s>\\t4\\n'
>>> to_csv(r)
b's,o\\r\\nhttp://x/s,4\\r\\n'
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Mapping
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Identifier

from policykg.graph.store import AskResult, GraphResult, QueryResult, SelectResult

SPARQL_JSON = "application/sparql-results+json"
SPARQL_XML = "application/sparql-results+xml"
CSV = "text/csv"
TSV = "text/tab-separated-values"
TURTLE = "text/turtle"
NTRIPLES = "application/n-triples"
JSONLD = "application/ld+json"
RDFXML = "application/rdf+xml"

_XML_NS = "http://www.w3.org/2005/sparql-results#"

# Turtle's abbreviated numeric syntax: only these lexical forms may drop quotes and datatype in TSV.
_TURTLE_NUMBER = {
    XSD.integer: re.compile(r"[+-]?[0-9]+"),
    XSD.decimal: re.compile(r"[+-]?[0-9]*\.[0-9]+"),
    XSD.double: re.compile(r"[+-]?([0-9]+\.[0-9]*[eE][+-]?[0-9]+|\.[0-9]+[eE][+-]?[0-9]+|[0-9]+[eE][+-]?[0-9]+)"),
}


def _is_plain(lit: Literal) -> bool:
    """True for simple literals: RDF 1.1 makes ``"x"`` and ``"x"^^xsd:string`` the same term."""
    return lit.language is None and (lit.datatype is None or lit.datatype == XSD.string)


# --- JSON ----------------------------------------------------------------------------------------


def term_to_json(term: Identifier) -> dict[str, str]:
    """One RDF term in the SPARQL 1.1 JSON results shape.

    >>> term_to_json(Literal("暮らし", lang="ja"))
    {'type': 'literal', 'value': '暮らし', 'xml:lang': 'ja'}
    """
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    if isinstance(term, Literal):
        out = {"type": "literal", "value": str(term)}
        if term.language:
            out["xml:lang"] = term.language
        elif not _is_plain(term):
            out["datatype"] = str(term.datatype)
        return out
    raise TypeError(f"not an RDF term: {term!r}")


def to_json_object(result: SelectResult | AskResult) -> dict:
    """The SPARQL 1.1 JSON results document as a Python object (callers may add top-level keys)."""
    if isinstance(result, AskResult):
        return {"head": {}, "boolean": result.value}
    return {
        "head": {"vars": list(result.variables)},
        "results": {
            "bindings": [
                {name: term_to_json(value) for name, value in row.items() if name in result.variables}
                for row in result.rows
            ]
        },
    }


def to_json(result: SelectResult | AskResult) -> bytes:
    """``application/sparql-results+json`` (UTF-8, non-ASCII kept readable)."""
    return json.dumps(to_json_object(result), ensure_ascii=False).encode("utf-8")


# --- XML -----------------------------------------------------------------------------------------


def _term_to_xml(term: Identifier) -> str:
    if isinstance(term, URIRef):
        return f"<uri>{escape(str(term))}</uri>"
    if isinstance(term, BNode):
        return f"<bnode>{escape(str(term))}</bnode>"
    if term.language:
        return f"<literal xml:lang={quoteattr(term.language)}>{escape(str(term))}</literal>"
    if not _is_plain(term):
        return f"<literal datatype={quoteattr(str(term.datatype))}>{escape(str(term))}</literal>"
    return f"<literal>{escape(str(term))}</literal>"


def to_xml(result: SelectResult | AskResult) -> bytes:
    """``application/sparql-results+xml``; every value is escaped (labels may contain markup)."""
    out = ['<?xml version="1.0" encoding="UTF-8"?>', f'<sparql xmlns="{_XML_NS}">', "<head>"]
    if isinstance(result, AskResult):
        out += ["</head>", f"<boolean>{'true' if result.value else 'false'}</boolean>", "</sparql>"]
        return "\n".join(out).encode("utf-8")
    out += [f"<variable name={quoteattr(v)}/>" for v in result.variables]
    out += ["</head>", "<results>"]
    for row in result.rows:
        out.append("<result>")
        for name in result.variables:
            if name in row:
                out.append(f"<binding name={quoteattr(name)}>{_term_to_xml(row[name])}</binding>")
        out.append("</result>")
    out += ["</results>", "</sparql>"]
    return "\n".join(out).encode("utf-8")


# --- CSV / TSV -------------------------------------------------------------------------------------


def _csv_value(term: Identifier | None) -> str:
    if term is None:
        return ""
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


def to_csv(result: SelectResult | AskResult) -> bytes:
    """``text/csv``: a header of variable names, plain values, CRLF line ends, RFC 4180 quoting.

    ASK has no CSV form in the standard; we write the header ``boolean`` and ``true``/``false``.
    """
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    if isinstance(result, AskResult):
        writer.writerow(["boolean"])
        writer.writerow(["true" if result.value else "false"])
    else:
        writer.writerow(result.variables)
        for row in result.rows:
            writer.writerow([_csv_value(row.get(v)) for v in result.variables])
    return buf.getvalue().encode("utf-8")


_TSV_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _quote(text: str) -> str:
    return '"' + "".join(_TSV_ESCAPES.get(ch, ch) for ch in text) + '"'


def term_to_tsv(term: Identifier | None) -> str:
    """One term in TSV syntax: ``<iri>``, ``_:b``, ``"text"@ja``, ``"x"^^<dt>``, or a bare number.

    >>> term_to_tsv(Literal("1.0E6", datatype=XSD.double, normalize=False))
    '1.0E6'
    >>> term_to_tsv(Literal("-3", datatype=XSD.negativeInteger))
    '"-3"^^<http://www.w3.org/2001/XMLSchema#negativeInteger>'
    """
    if term is None:
        return ""
    if isinstance(term, URIRef):
        return "<" + "".join(f"\\u{ord(c):04X}" if c in '<>"{}|^`\\' or ord(c) <= 0x20 else c for c in str(term)) + ">"
    if isinstance(term, BNode):
        return f"_:{term}"
    lexical = str(term)
    if term.language:
        return f"{_quote(lexical)}@{term.language}"
    if _is_plain(term):
        return _quote(lexical)
    pattern = _TURTLE_NUMBER.get(term.datatype)
    if pattern is not None and pattern.fullmatch(lexical):
        return lexical
    return f"{_quote(lexical)}^^<{term.datatype}>"


def to_tsv(result: SelectResult | AskResult) -> bytes:
    """``text/tab-separated-values``: ``?var`` header, terms in Turtle syntax, LF line ends."""
    if isinstance(result, AskResult):
        return f"?boolean\n{'true' if result.value else 'false'}\n".encode("utf-8")
    lines = ["\t".join("?" + v for v in result.variables)]
    for row in result.rows:
        lines.append("\t".join(term_to_tsv(row.get(v)) for v in result.variables))
    return ("\n".join(lines) + "\n").encode("utf-8")


# --- graphs --------------------------------------------------------------------------------------

GRAPH_FORMATS: dict[str, str] = {TURTLE: "turtle", NTRIPLES: "nt", JSONLD: "json-ld", RDFXML: "xml"}
"""Media type → rdflib format name for CONSTRUCT/DESCRIBE graphs and entity descriptions (default first)."""


def serialize_graph(graph: Graph, media_type: str, *, context: Mapping[str, str] | None = None) -> bytes:
    """``graph`` in the RDF format of ``media_type`` (a key of :data:`GRAPH_FORMATS`); JSON-LD is
    compacted with ``context`` when given (inline prefixes, never a remote context)."""
    fmt = GRAPH_FORMATS[media_type]
    if fmt == "json-ld" and context is not None:
        data = graph.serialize(format=fmt, context=dict(context), auto_compact=True, encoding="utf-8")
    else:
        data = graph.serialize(format=fmt, encoding="utf-8")
    return data if isinstance(data, bytes) else data.encode("utf-8")


def _graph_serializer(media_type: str) -> Callable[[GraphResult], bytes]:
    def serialise(result: GraphResult) -> bytes:
        return serialize_graph(result.graph, media_type)

    serialise.__doc__ = f"A CONSTRUCT/DESCRIBE graph serialised by rdflib as {GRAPH_FORMATS[media_type]!r}."
    return serialise


SELECT_SERIALIZERS: dict[str, Callable[[SelectResult | AskResult], bytes]] = {
    SPARQL_JSON: to_json,
    SPARQL_XML: to_xml,
    CSV: to_csv,
    TSV: to_tsv,
}
"""Media type → serialiser for SELECT and ASK results (first entry = default)."""

GRAPH_SERIALIZERS: dict[str, Callable[[GraphResult], bytes]] = {media: _graph_serializer(media) for media in GRAPH_FORMATS}
"""Media type → serialiser for CONSTRUCT and DESCRIBE results (first entry = default)."""

FORMAT_ALIASES: dict[str, str] = {
    "json": SPARQL_JSON, "xml": SPARQL_XML, "csv": CSV, "tsv": TSV,
    "ttl": TURTLE, "turtle": TURTLE, "nt": NTRIPLES, "ntriples": NTRIPLES,
    "jsonld": JSONLD, "json-ld": JSONLD, "rdfxml": RDFXML, "rdf": RDFXML,
}
"""Short names accepted by ``?format=`` and ``--format``."""


def _serializers(result: QueryResult) -> dict[str, Callable]:
    return GRAPH_SERIALIZERS if isinstance(result, GraphResult) else SELECT_SERIALIZERS


def media_types_for(result: QueryResult) -> list[str]:
    """The media types this result can be written as, default first."""
    return list(_serializers(result))


def media_type(wanted: str | None, *, graph: bool) -> str:
    """The canonical media type for ``wanted`` (a media type or a short alias; ``None`` = default) of
    a graph (CONSTRUCT/DESCRIBE) or of SELECT/ASK results.

    >>> media_type("text/csv; charset=utf-8", graph=False), media_type(None, graph=True)
    ('text/csv', 'text/turtle')

    :raises ValueError: it does not fit this kind of result; the message lists those that do.
    """
    return _media(wanted, GRAPH_SERIALIZERS if graph else SELECT_SERIALIZERS)


def _media(media_type: str | None, table: Mapping[str, object]) -> str:
    wanted = media_type or next(iter(table))
    wanted = FORMAT_ALIASES.get(wanted.lower(), wanted.split(";")[0].strip().lower())
    if wanted not in table:
        raise ValueError(f"cannot write this result as {media_type!r}; choose one of: {', '.join(table)}")
    return wanted


def serialize(result: QueryResult, media_type: str | None = None) -> tuple[bytes, str]:
    """Serialise ``result`` as ``media_type`` (a media type or a short alias; ``None`` = default).

    Returns ``(body, media_type)``.

    :raises ValueError: the media type does not fit this kind of result; the message lists those that do.
    """
    table = _serializers(result)
    wanted = _media(media_type, table)
    return table[wanted](result), wanted


def cap(result: QueryResult, max_rows: int) -> tuple[QueryResult, bool]:
    """The result cut to ``max_rows`` rows (or triples), and whether anything was cut."""
    if isinstance(result, SelectResult) and len(result.rows) > max_rows:
        return SelectResult(result.variables, result.rows[:max_rows]), True
    if isinstance(result, GraphResult) and len(result.graph) > max_rows:
        graph = Graph()
        for i, triple in enumerate(result.graph):
            if i >= max_rows:
                break
            graph.add(triple)
        return GraphResult(graph), True
    return result, False


# --- Oxigraph's own serialisers -------------------------------------------------------------------


class _Enough(Exception):
    """Raised by :class:`_FirstLines` to stop the engine's writer (and its lazy evaluation) early."""


class _FirstLines:
    """A binary sink keeping the first ``limit`` lines written to it; ``more`` tells whether anything
    followed. Once it has, it raises :class:`_Enough`, so a runaway result is never computed past the cap."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.lines = 0
        self.more = False
        self._parts: list[bytes] = []

    def write(self, data) -> int:
        data = bytes(data)
        if not self.more and data:
            if self.lines >= self.limit:
                self.more = True
            else:
                cut = 0
                while self.lines < self.limit:
                    end = data.find(b"\n", cut)
                    if end < 0:
                        cut = len(data)
                        break
                    cut = end + 1
                    self.lines += 1
                self._parts.append(data[:cut])
                self.more = cut < len(data)
        if self.more:
            raise _Enough
        return len(data)

    def flush(self) -> None:
        pass

    def value(self) -> bytes:
        return b"".join(self._parts)


def write_results(result: SelectResult | AskResult | ox.QuerySolutions | ox.QueryBoolean, media_type: str,
                  max_rows: int) -> tuple[bytes, str, bool]:
    """A SELECT/ASK result (:meth:`policykg.graph.store.Store.solutions`) written as ``media_type`` with
    at most ``max_rows`` solutions: ``(body, media_type, truncated)``.

    Oxigraph's results are written by Oxigraph's serialisers: the solutions go out as TSV (one line
    per solution, every term exact), cut after ``max_rows`` lines, are read back and written in the
    wanted format. ASK has no CSV/TSV form in the standard; there :func:`to_csv` / :func:`to_tsv`
    write our ``boolean`` column. Engine-neutral results (the rdflib fallback) use the writers above.

    >>> store = ox.Store()
    >>> store.add(ox.Quad(ox.NamedNode("http://x/s"), ox.NamedNode("http://x/p"), ox.Literal("暮らし", language="ja")))
    >>> write_results(store.query("SELECT ?s ?o WHERE { ?s ?p ?o }"), "text/csv", 0)
    (b's,o\\r\\n', 'text/csv', True)
    >>> write_results(store.query("ASK { ?s ?p ?o }"), "json", 10)
    (b'{"head":{},"boolean":true}', 'application/sparql-results+json', False)
    >>> write_results(SelectResult(["s"], [{"s": URIRef("http://x/s")}] * 2), "tsv", 1)
    (b'?s\\n<http://x/s>\\n', 'text/tab-separated-values', True)

    :raises ValueError: ``media_type`` is not a SPARQL results type.
    """
    media = _media(media_type, SELECT_SERIALIZERS)
    if isinstance(result, (SelectResult, AskResult)):
        result, truncated = cap(result, max_rows)
        return SELECT_SERIALIZERS[media](result), media, truncated
    if isinstance(result, ox.QueryBoolean):
        if media in (CSV, TSV):
            return SELECT_SERIALIZERS[media](AskResult(bool(result))), media, False
        return result.serialize(format=ox.QueryResultsFormat.from_media_type(media)), media, False
    head = _FirstLines(max_rows + 1)  # the header line and max_rows solutions
    try:
        result.serialize(head, format=ox.QueryResultsFormat.TSV)
    except _Enough:  # the cap is reached: the rest is neither evaluated nor written
        pass
    tsv = head.value()
    if media == TSV:
        return tsv, media, head.more
    solutions = ox.parse_query_results(tsv, format=ox.QueryResultsFormat.TSV)
    return solutions.serialize(format=ox.QueryResultsFormat.from_media_type(media)), media, head.more


__all__ = [
    "SPARQL_JSON", "SPARQL_XML", "CSV", "TSV", "TURTLE", "NTRIPLES", "JSONLD", "RDFXML",
    "SELECT_SERIALIZERS", "GRAPH_SERIALIZERS", "GRAPH_FORMATS", "FORMAT_ALIASES",
    "term_to_json", "term_to_tsv", "to_json_object", "to_json", "to_xml", "to_csv", "to_tsv",
    "media_types_for", "media_type", "serialize", "serialize_graph", "cap", "write_results",
]
