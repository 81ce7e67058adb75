"""Read RDF files safely: nothing is ever fetched, and hostile XML is refused before parsing.

Closed government networks must be able to load any file we accept without a network, and a
hostile file must not be able to make us fetch (JSON-LD remote ``@context``) or blow up memory
(XML entity expansion). So:

* every file is read as bytes by us and handed to rdflib as ``data=`` (never a URL or a path
  rdflib could resolve);
* JSON-LD is walked first: a ``@context`` given by reference (a string, or a list containing one)
  and ``@import`` are refused with a :class:`~policykg.errors.SourceError`;
* RDF/XML is screened with defusedxml (no DTD at all, so no entities), then parsed;
* TriG / N-Quads / JSON-LD keep their own graph names; triples in their default graph, and
  everything from triple formats, go to the file's graph ``graph/<file stem>``;
* syntax errors become a SourceError naming the file and the line, and so does an ill-typed
  literal (``"abc"^^xsd:integer``), which rdflib would only log: the whole file is refused.

Parse (bytes → graphs) is pure; :func:`read_rdf_file` is the thin I/O wrapper.
"""

from __future__ import annotations

import json
import logging
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from xml.sax import SAXParseException

import defusedxml.ElementTree as safe_xml
from defusedxml import DefusedXmlException
from rdflib import XSD, Dataset, Graph, Literal, URIRef
from rdflib.exceptions import ParserError
from rdflib.plugins.parsers.notation3 import BadSyntax

from policykg.errors import SourceError
from policykg.namespaces import graph_name

FORMATS: dict[str, str] = {
    ".ttl": "turtle",
    ".trig": "trig",
    ".nt": "nt",
    ".nq": "nquads",
    ".jsonld": "json-ld",
    ".rdf": "xml",
    ".owl": "xml",
    ".xml": "xml",
}
"""File extension → rdflib parser name. Anything else is not an RDF file for us."""

QUAD_FORMATS = {"trig", "nquads", "json-ld"}
_RDFLIB_DEFAULT = "urn:x-rdflib:default"


def rdf_format(path: Path) -> str:
    """The parser for ``path`` by extension.

    :raises SourceError: not one of :data:`FORMATS`.
    """
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise SourceError(
            f"not an RDF file we read; accepted: {', '.join(sorted(FORMATS))}", file=str(path), field="extension"
        )
    return fmt


# --- screening -----------------------------------------------------------------------------------


def _walk_contexts(node: object, path: str) -> Iterator[tuple[str, object]]:
    """Every ``@context`` value (and ``@import``) in a JSON document, with a JSON path for messages."""
    if isinstance(node, dict):
        for key, value in node.items():
            here = f"{path}/{key}"
            if key in ("@context", "@import"):
                yield here, value
            yield from _walk_contexts(value, here)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _walk_contexts(value, f"{path}[{i}]")


def check_jsonld(text: str, *, file_name: str) -> None:
    """Refuse JSON-LD whose context must be fetched (URL, relative reference or ``@import``).

    >>> check_jsonld('{"@context": {"x": "http://x/"}, "x:p": 1}', file_name="ok.jsonld")
    >>> check_jsonld('{"@context": "https://schema.org/"}', file_name="bad.jsonld")
    Traceback (most recent call last):
    ...
    policykg.errors.SourceError: bad.jsonld:1 [/@context]: remote JSON-LD context 'https://schema.org/' refused: policykg never fetches; inline the context instead
    """
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SourceError(f"not valid JSON: {exc.msg}", file=file_name, line=exc.lineno) from None
    for where, value in _walk_contexts(doc, ""):
        refs = value if isinstance(value, list) else [value]
        for ref in refs:
            if isinstance(ref, str) or where.endswith("@import"):
                line = _line_of(text, json.dumps(ref, ensure_ascii=False) if isinstance(ref, str) else "@import")
                raise SourceError(
                    f"remote JSON-LD context {ref!r} refused: policykg never fetches; inline the context instead",
                    file=file_name, line=line, field=where,
                )


def _line_of(text: str, needle: str) -> int | None:
    index = text.find(needle)
    if index < 0 and needle.startswith('"'):
        index = text.find(needle.strip('"'))
    return text.count("\n", 0, index) + 1 if index >= 0 else None


def check_xml(data: bytes, *, file_name: str) -> None:
    """Refuse XML with a DTD (entities, external references) before any RDF/XML parser sees it."""
    try:
        safe_xml.fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise SourceError(
            f"XML with a DTD or entities refused (no entity expansion, no external references): {type(exc).__name__}",
            file=file_name, line=_line_of(data.decode("utf-8", "replace"), "<!DOCTYPE"), field="DOCTYPE",
        ) from None
    except safe_xml.ParseError as exc:
        line = exc.position[0] if getattr(exc, "position", None) else None
        raise SourceError(f"not well-formed XML: {exc}", file=file_name, line=line) from None


# --- parsing ---------------------------------------------------------------------------------------


def _decode(data: bytes, file_name: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise SourceError("not UTF-8 text", file=file_name, line=line, field="encoding") from None


def _line_based_error_line(text: str, fmt: str) -> int | None:
    """N-Triples/N-Quads hold one statement per line: find the first line rdflib rejects."""
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        try:
            Dataset().parse(data=line, format=fmt)
        except (ParserError, ValueError):
            return number
    return None


def parse_rdf(data: bytes, *, fmt: str, file_name: str, default_graph: URIRef) -> dict[URIRef, Graph]:
    """Parse RDF bytes into ``{graph name: Graph}`` without any network or file access.

    :raises SourceError: remote context, DTD, bad encoding or a syntax error (with its line).
    """
    if fmt == "xml":
        check_xml(data, file_name=file_name)
        text = None
    else:
        text = _decode(data, file_name)
        if fmt == "json-ld":
            check_jsonld(text, file_name=file_name)
    ds = Dataset()
    try:
        with quiet_literal_conversion():
            if text is None:
                ds.parse(data=data, format=fmt, publicID=f"file:///{Path(file_name).name}")
            else:
                ds.parse(data=text, format=fmt, publicID=f"file:///{Path(file_name).name}")
    except BadSyntax as exc:
        raise SourceError(f"syntax error: {exc._why if hasattr(exc, '_why') else exc}", file=file_name,
                          line=exc.lines + 1) from None
    except SAXParseException as exc:
        raise SourceError(f"RDF/XML error: {exc.getMessage()}", file=file_name, line=exc.getLineNumber()) from None
    except (ParserError, ValueError, TypeError, KeyError) as exc:
        line = _line_based_error_line(text, fmt) if fmt in ("nt", "nquads") and text is not None else None
        raise SourceError(f"syntax error: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}",
                          file=file_name, line=line) from None
    check_literals(ds, text=text if text is not None else data.decode("utf-8", "replace"), file_name=file_name)
    return split_graphs(ds, default_graph=default_graph)


# --- ill-typed literals ----------------------------------------------------------------------------


class _Drop(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return False


@contextmanager
def quiet_literal_conversion() -> Iterator[None]:
    """Parse without rdflib's per-literal log lines and warnings ("Failed to convert Literal lexical
    form", "Parsing weird boolean"): :func:`check_literals` reports ill-typed literals instead, with the line."""
    term_logger = logging.getLogger("rdflib.term")
    drop = _Drop()
    term_logger.addFilter(drop)
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=r"Parsing weird boolean", category=UserWarning)
            yield
    finally:
        term_logger.removeFilter(drop)


def check_literals(ds: Dataset, *, text: str, file_name: str) -> None:
    """Refuse a literal whose lexical form is not valid for its XSD datatype (``"abc"^^xsd:integer``).

    rdflib keeps such literals (``Literal.ill_typed``) and only logs; stores and SHACL would then
    disagree on their value. The line is found by searching the file for the lexical form.

    :raises SourceError: the first ill-typed literal, with its datatype and line.
    """
    for _s, _p, o, _g in ds.quads((None, None, None, None)):
        if isinstance(o, Literal) and o.ill_typed:
            lexical = str(o)
            raise SourceError(
                f"ill-typed literal {lexical!r}: not a valid {_short_datatype(o.datatype)}",
                file=file_name, line=_literal_line(text, lexical), field=_short_datatype(o.datatype),
            )


def _short_datatype(datatype: object) -> str:
    text = str(datatype)
    return "xsd:" + text[len(str(XSD)):] if text.startswith(str(XSD)) else f"<{text}>"


def _literal_line(text: str, lexical: str) -> int | None:
    """The first line where ``lexical`` appears as a quoted string (or a JSON-LD value)."""
    for quoted in (json.dumps(lexical, ensure_ascii=False), f"'{lexical}'", f'"{lexical}"', f">{lexical}<"):
        line = _line_of(text, quoted)
        if line is not None:
            return line
    return None


def split_graphs(ds: Dataset, *, default_graph: URIRef) -> dict[URIRef, Graph]:
    """Named graphs keep their names; default-graph triples go to ``default_graph``."""
    out: dict[URIRef, Graph] = {}
    for s, p, o, g in ds.quads((None, None, None, None)):
        gid = getattr(g, "identifier", g)
        if gid is None or str(gid) == _RDFLIB_DEFAULT or not isinstance(gid, URIRef):
            gid = default_graph
        out.setdefault(gid, Graph(identifier=gid)).add((s, p, o))
    return out


def read_rdf_file(path: str | Path) -> dict[URIRef, Graph]:
    """Read one RDF file: ``{graph name: Graph}``; the file's own default graph is ``graph/<stem>``.

    :raises SourceError: unknown extension, unreadable file, or anything :func:`parse_rdf` refuses.
    """
    path = Path(path)
    fmt = rdf_format(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SourceError(f"cannot read file: {exc.strerror}", file=str(path)) from None
    return parse_rdf(data, fmt=fmt, file_name=str(path), default_graph=graph_name(path.stem))


__all__ = [
    "FORMATS", "rdf_format", "check_jsonld", "check_xml", "check_literals", "quiet_literal_conversion",
    "parse_rdf", "split_graphs", "read_rdf_file",
]
