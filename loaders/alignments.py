"""Curated alignment CSV (data/alignments/*.csv) → pk:Alignment nodes, per docs/model.md "Alignment".

A planner edits the CSV in Excel (UTF-8 with BOM), naming both sides by their Japanese label, so
every row is resolved against the graph loaded before it (``context``); a local label other plans share
is read as the item of the plan the table's other rows name. Any bad row stops the whole
file with a :class:`SourceError` naming file, line and column: the build replaces named graphs
atomically, so nothing from a bad file reaches the store. ``.xlsx`` is not read (save as CSV UTF-8).

Split like networkx readwrite: :func:`csv_rows` and :func:`parse_alignments` are pure,
:func:`read_alignments` and :func:`append_alignment` are the thin file wrappers.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef

from policykg.errors import AmbiguousLabel, EntityNotFound, LabelNotFound, SourceError
from policykg.ids import alignment_iri
from policykg.ids import digest, entity_iri
from policykg.labels import LOCAL_KINDS, NATIONAL_KINDS, LabelIndex
from policykg.namespaces import DCTERMS, PK, PROV, RDF, RDFS, XSD

COLUMNS = (
    "local_label", "local_iri", "national_label", "national_iri", "relation", "evidence",
    "rationale", "curator", "date", "source_slide",
)
"""Columns in file order. ``*_iri`` and ``source_slide`` may be empty (``source_slide`` not for stated rows)."""
REQUIRED_COLUMNS = frozenset(COLUMNS) - {"local_iri", "national_iri"}
RELATIONS = {"supports": PK.Supports, "contributes_to": PK.ContributesTo}
EVIDENCE = {"curated": PK.Curated, "stated": PK.Stated}
"""Evidence a curated file may state; ``inferred`` links come only from ``policykg align suggest --record``."""

Row = tuple[int, Mapping[str, str]]
"""A CSV record with the 1-based file line it starts on."""


def csv_rows(text: str, *, file_name: str = "<input>") -> list[Row]:
    """Records of a CSV text (BOM stripped) with the line each starts on; blank records dropped.

    >>> csv_rows("a,b\\n1,2\\n\\n3,4\\n")
    [(2, {'a': '1', 'b': '2'}), (4, {'a': '3', 'b': '4'})]

    :raises SourceError: a record has too many cells, or a quote that never closes (file and line).
    """
    text = text.removeprefix("\ufeff")
    reader = csv.DictReader(io.StringIO(text, newline=""), restkey="\x00extra", strict=True)
    try:
        header = [h.strip() for h in (reader.fieldnames or [])]
    except csv.Error as exc:
        raise quote_error(exc, file_name=file_name, line=1) from None
    reader.fieldnames = header
    rows: list[Row] = []
    for record in iter_records(reader, file_name=file_name):
        # line_num is the record's last line; blank lines before it are skipped, so count back
        embedded = sum(v.count("\n") for v in record.values() if isinstance(v, str))
        start = reader.line_num - embedded
        if "\x00extra" in record:
            raise SourceError("too many cells in this row (a comma inside an unquoted rationale?)",
                              file=file_name, line=start, field="row")
        cells = {k: (v or "").strip() for k, v in record.items()}
        if any(cells.values()):
            rows.append((start, cells))
    return rows


def quote_error(exc: csv.Error, *, file_name: str, line: int) -> SourceError:
    """A CSV quoting error as a SourceError at the line where the bad record starts."""
    if "end of data" in str(exc) or "EOF" in str(exc):
        message = "unterminated quote: the quoted cell starting on this line never closes (add the closing \")"
    else:
        message = f"bad quoting ({exc}); write a \" inside a quoted cell as \"\""
    return SourceError(message, file=file_name, line=line, field="row")


def iter_records(reader: csv.DictReader, *, file_name: str) -> Iterator[dict]:
    """The records of a strict ``DictReader``; a quoting error names the line its record starts on."""
    while True:
        start = reader.line_num + 1
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise quote_error(exc, file_name=file_name, line=start) from None
        yield record


def check_header(columns: Iterable[str], *, file_name: str) -> None:
    """:raises SourceError: a required column is missing (line 1)."""
    missing = sorted(REQUIRED_COLUMNS - set(columns))
    if missing:
        raise SourceError(f"missing column(s) {', '.join(missing)}; expected: {', '.join(COLUMNS)}",
                          file=file_name, line=1, field="header")


def source_document_iri(file_name: str) -> URIRef:
    """``pkid:source/<stem>`` of the CSV (hashed when the stem is not URL-safe)."""
    stem = Path(file_name).stem
    if re.fullmatch(r"[A-Za-z0-9._~-]+", stem):
        return entity_iri("source", stem)
    return entity_iri("source", "src-" + digest(stem))


def agent_iri(name: str) -> URIRef:
    """The prov:Agent for a curator name: ``pkid:agent/agent-<digest(name)>``."""
    return entity_iri("agent", "agent-" + digest(name))


def parse_alignments(
    rows: Iterable[Row],
    *,
    file_name: str,
    context: Graph,
    sha256: str | None = None,
    index: LabelIndex | None = None,
) -> Graph:
    """Alignment rows → a graph of pk:Alignment nodes with PROV, resolved against ``context``.

    ``index`` may be passed to reuse a :class:`LabelIndex` already built from ``context``.

    :raises SourceError: an unknown or ambiguous label or IRI, an unknown relation or evidence, a missing
        rationale or curator, a bad date or slide, or a duplicate link; names file, line and column.
    """
    index = index or LabelIndex.from_graph(context)
    rows = list(rows)
    if rows:
        check_header(rows[0][1].keys(), file_name=file_name)
    doc = source_document_iri(file_name)
    out = Graph()
    out.add((doc, RDF.type, PK.SourceDocument))
    out.add((doc, RDF.type, PROV.Entity))
    out.add((doc, PK.fileName, Literal(Path(file_name).name)))
    out.add((doc, DCTERMS.title, Literal(f"対応付け表 {Path(file_name).name}", lang="ja")))
    out.add((doc, DCTERMS.title, Literal(f"Alignment table {Path(file_name).name}", lang="en")))
    if sha256:
        out.add((doc, PK.sha256, Literal(sha256)))
    seen: dict[URIRef, int] = {}
    homes = _home_documents(index, rows, context)
    for line, cells in rows:
        def fail(message: str, column: str) -> SourceError:
            return SourceError(message, file=file_name, line=line, field=column)

        local = _resolve(index, cells, "local", LOCAL_KINDS, fail, home=lambda item: _deck_of(context, item) in homes)
        national = _resolve(index, cells, "national", NATIONAL_KINDS, fail)
        relation = RELATIONS.get(cells.get("relation", "").lower())
        if relation is None:
            raise fail(f"unknown relation {cells.get('relation', '')!r}; allowed: {', '.join(RELATIONS)}", "relation")
        evidence_key = cells.get("evidence", "").lower()
        if evidence_key not in EVIDENCE:
            raise fail(f"unknown evidence {cells.get('evidence', '')!r}; allowed: {', '.join(EVIDENCE)}", "evidence")
        rationale = cells.get("rationale", "")
        if not rationale:
            raise fail("rationale is required: say in Japanese why the local item supports the national one", "rationale")
        curator = cells.get("curator", "")
        if not curator:
            raise fail("curator is required (who made this judgement)", "curator")
        date = _date(cells.get("date", ""), fail)
        slides = _slides(cells.get("source_slide", ""), fail)
        if evidence_key == "stated" and not slides:
            raise fail("a stated link needs the slide(s) where the document states it, e.g. 1;8", "source_slide")
        node = alignment_iri(local, national, evidence_key)
        if node in seen:
            raise fail(f"duplicate link (same local item, national item and evidence as line {seen[node]})", "national_label")
        seen[node] = line
        agent = agent_iri(curator)
        out.add((agent, RDF.type, PROV.Agent))
        out.add((agent, RDFS.label, Literal(curator)))
        for triple in (
            (node, RDF.type, PK.Alignment), (node, RDF.type, PROV.Entity),
            (node, PK.localItem, local), (node, PK.nationalItem, national),
            (node, PK.relation, relation), (node, PK.evidence, EVIDENCE[evidence_key]),
            (node, PK.rationale, Literal(rationale, lang="ja")),
            (node, PROV.wasAttributedTo, agent),
            (node, PROV.generatedAtTime, Literal(f"{date.isoformat()}T00:00:00", datatype=XSD.dateTime)),
            (node, PROV.wasDerivedFrom, doc),
        ):
            out.add(triple)
        row_loc = BNode(f"row{digest(str(node))}")
        out.add((node, PK.sourceRow, row_loc))
        out.add((row_loc, RDF.type, PK.SourceLocation))
        out.add((row_loc, PK.document, doc))
        out.add((row_loc, PK.line, Literal(line)))
        deck = _deck_of(context, local)
        if slides and deck is None:
            raise fail("source_slide given but the local item names no source document to point into", "source_slide")
        for slide in slides:
            loc = BNode(f"loc{digest(str(node), str(slide))}")
            out.add((node, PK.sourceLocation, loc))
            out.add((loc, RDF.type, PK.SourceLocation))
            out.add((loc, PK.document, deck))
            out.add((loc, PK.slide, Literal(slide)))
    return out


def _home_documents(index: LabelIndex, rows: list[Row], context: Graph) -> set[URIRef]:
    """The source documents of the local items the table names unambiguously (by label or IRI).

    An alignment table is about one plan: a label several plans use (two governments' directions both
    called 「デジタル人材の育成・確保」, as in a national store) is read as the item of the plan the table's
    other rows name, when exactly one candidate comes from it (:func:`_resolve`)."""
    def quiet(message: str, column: str) -> SourceError:
        return SourceError(message, field=column)

    homes: set[URIRef] = set()
    for _line, cells in rows:
        try:
            local = _resolve(index, cells, "local", LOCAL_KINDS, quiet)
        except SourceError:
            continue
        if (doc := _deck_of(context, local)) is not None:
            homes.add(doc)
    return homes


def _resolve(index: LabelIndex, cells: Mapping[str, str], side: str, kinds, fail,
             home: Callable[[URIRef], bool] | None = None) -> URIRef:
    """The item a row names on ``side``; of several items sharing its label, the one ``home`` accepts if only one is."""
    label, iri = cells.get(f"{side}_label", ""), cells.get(f"{side}_iri", "")
    what = "measure, direction or roadmap row" if side == "local" else "national item or plan"
    if not label and not iri:
        raise fail(f"{side}_label or {side}_iri is required (the {what})", f"{side}_label")
    resolved = None
    if iri:
        try:
            resolved = index.resolve(iri, kinds=kinds)
        except EntityNotFound:
            raise fail(f"no {what} has the IRI {iri}", f"{side}_iri") from None
    if label:
        try:
            by_label = index.resolve(label, kinds=kinds)
        except LabelNotFound as exc:
            hint = "、".join(exc.suggestions) or "none"
            raise fail(f"no {what} is labelled {label!r}; closest: {hint}", f"{side}_label") from None
        except AmbiguousLabel as exc:
            if resolved is not None and str(resolved) in exc.candidates:
                return resolved
            homely = [URIRef(c) for c in exc.candidates if home is not None and home(URIRef(c))]
            if resolved is None and len(homely) == 1:
                return homely[0]
            raise fail(f"{label!r} names several items ({', '.join(exc.candidates)}); give {side}_iri", f"{side}_label") from None
        if resolved is not None and resolved != by_label:
            raise fail(f"{side}_label {label!r} is <{by_label}>, but {side}_iri says <{resolved}>", f"{side}_label")
        resolved = by_label
    return resolved


def _date(text: str, fail) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise fail(f"bad date {text!r}; write YYYY-MM-DD (e.g. 2026-12-03)", "date") from None


def _slides(text: str, fail) -> list[int]:
    parts = [p.strip() for p in re.split(r"[;,、；]", text) if p.strip()]
    if not all(p.isdigit() and int(p) > 0 for p in parts):
        raise fail(f"bad slide number(s) {text!r}; write slide numbers separated by ';', e.g. 1;8", "source_slide")
    return [int(p) for p in parts]


def _deck_of(context: Graph, local: URIRef) -> URIRef | None:
    """The source document the local item was read from (its prov:wasDerivedFrom)."""
    for _s, _p, doc in sorted(context.triples((local, PROV.wasDerivedFrom, None))):
        return doc
    return None


def read_text(path: Path) -> str:
    """:raises SourceError: unreadable or not UTF-8 (e.g. an .xlsx or a Shift_JIS export)."""
    if path.suffix.lower() in (".xlsx", ".xls"):
        raise SourceError("Excel workbooks are not read; save as 'CSV UTF-8 (コンマ区切り)'", file=str(path), field="file")
    try:
        return path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SourceError(f"not UTF-8 (save as 'CSV UTF-8'): {exc.reason} at byte {exc.start}", file=str(path), field="encoding") from None
    except OSError as exc:
        raise SourceError(f"cannot read: {exc.strerror}", file=str(path), field="file") from None


def read_alignments(path: str | Path, context: Graph) -> Graph:
    """Read one alignment CSV. :raises SourceError: see :func:`parse_alignments`; also a file with no rows."""
    path = Path(path)
    text = read_text(path)
    rows = csv_rows(text, file_name=str(path))
    if not rows:
        check_header(csv_rows_header(text), file_name=str(path))
        raise SourceError("no rows: the file has a header but no alignment below it", file=str(path), line=1,
                          field="rows")
    sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return parse_alignments(rows, file_name=str(path), context=context, sha256=sha)


def csv_rows_header(text: str) -> list[str]:
    """The header cells of a CSV text."""
    return [h.strip() for h in next(csv.reader(io.StringIO(text.removeprefix("\ufeff"))), [])]


def append_alignment(path: str | Path, row: Mapping[str, str], context: Graph) -> Graph:
    """Append ``row`` to the CSV at ``path`` (created with a header if absent), after validating the whole new file.

    :raises SourceError: the new row or the file is invalid; the file is left unchanged.
    """
    path = Path(path)
    text = read_text(path) if path.exists() else "\ufeff" + ",".join(COLUMNS) + "\r\n"
    header = csv_rows_header(text) or list(COLUMNS)
    check_header(header, file_name=str(path))
    buffer = io.StringIO()
    if not text.endswith(("\n", "\r")):
        buffer.write("\r\n")
    csv.DictWriter(buffer, fieldnames=header, lineterminator="\r\n", extrasaction="ignore").writerow(
        {k: row.get(k, "") for k in header})
    new_text = text + buffer.getvalue()
    graph = parse_alignments(csv_rows(new_text, file_name=str(path)), file_name=str(path), context=context)
    path.write_text(new_text if new_text.startswith("\ufeff") else "\ufeff" + new_text, encoding="utf-8", newline="")
    return graph


__all__ = [
    "COLUMNS", "RELATIONS", "EVIDENCE", "csv_rows", "parse_alignments", "read_alignments", "append_alignment",
    "alignment_iri", "agent_iri", "source_document_iri",
]
