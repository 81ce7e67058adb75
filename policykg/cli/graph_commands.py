"""``policykg build | validate | stats | query``: thin commands over importable ``run_*`` functions.

The ``run_*`` functions return data (or bytes) and raise typed errors; only the typer commands
print and choose exit codes (see :mod:`policykg.cli.common`).
"""

from __future__ import annotations

import io
import json
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any

import typer
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.term import Identifier

from policykg.cli.app import app
from policykg.cli.common import (
    BackendOption,
    GraphStoreOption,
    SparqlEndpointOption,
    StoreOption,
    UpdateEndpointOption,
    cli_errors,
    open_store_for_cli,
    progress,
    remote_store_for_cli,
)
from policykg.errors import QueryError, SourceError, SparqlSyntaxError
from policykg.graph.pipeline import union_after
from policykg.graph.results import serialize
from policykg.graph.store import GraphResult, QueryResult, SelectResult, Store, to_dataset
from policykg.namespaces import PREFIXES, curie

OUTPUT_FORMATS = {".trig": "trig", ".nq": "nquads", ".ttl": "turtle", ".nt": "nt", ".jsonld": "json-ld"}
"""``--out`` extension → rdflib format. ``.ttl`` and ``.nt`` cannot hold named graphs: they get the union."""
FLATTENED = {".ttl", ".nt"}
QUERY_FORMATS = ("table", "json", "xml", "csv", "tsv", "turtle", "nt", "jsonld", "rdfxml")


# --- build ---------------------------------------------------------------------------------------


def output_format(out: Path) -> str:
    """The rdflib format for ``--out`` by extension.

    :raises SourceError: an extension we cannot write (the message lists those we can).
    """
    fmt = OUTPUT_FORMATS.get(out.suffix.lower())
    if fmt is None:
        raise SourceError(f"cannot write {out.suffix or 'no extension'!r}; choose one of {', '.join(OUTPUT_FORMATS)}",
                          file=str(out), field="extension")
    return fmt


def write_store(store: Store, out: Path) -> int:
    """Serialise every quad to ``out`` (format by extension); returns the number of statements written."""
    fmt = output_format(out)
    data: Graph | Dataset = union_after(store, {}) if out.suffix.lower() in FLATTENED else to_dataset(store)
    for prefix, iri in PREFIXES.items():
        data.bind(prefix, iri, override=True)
    out.parent.mkdir(parents=True, exist_ok=True)
    data.serialize(destination=str(out), format=fmt, encoding="utf-8")
    return len(data)


def run_build(
    sources: Sequence[Path] | None = None,
    *,
    out: Path | None = None,
    store_dir: Path | None = None,
    backend: str = "oxigraph",
    validate: bool = True,
    add: Sequence[Path] = (),
    target: Store | None = None,
) -> Store:
    """Build (bundled sources unless ``sources``, replacing them), plus ``add`` (kept beside them: workbooks,
    documents, RDF, CSV), optionally into ``store_dir`` or ``target`` (a store server: its other graphs are kept)
    and/or to the file ``out``."""
    from policykg.graph.build import build_store, default_sources

    if out is not None:
        output_format(out)  # a bad extension fails before any work
    if add:
        sources = [*(sources or default_sources()), *add]
    kept = out is not None or store_dir is not None or target is not None
    store = build_store(sources or None, store=target, store_dir=store_dir, backend=backend, validate=validate,
                        progress=progress, rollups=kept)  # roll-ups only for a store that is kept
    if out is not None:
        progress(f"writing {out}")
        write_store(store, out)
    return store


# --- validate ------------------------------------------------------------------------------------


def run_validate(*, store_dir: Path | None = None, sources: Sequence[Path] | None = None, backend: str = "oxigraph"):
    """The SHACL report for ``sources`` (parsed, with the store's other graphs) or for the store itself.

    Nothing is written. Returns the validation module's report (``.conforms``, ``.violations``).
    """
    from policykg.graph.build import build_store, read_sources
    from policykg.graph.pipeline import validate_union

    if store_dir is not None:
        store = open_store_for_cli(store_dir, backend, read_only=True)
    elif sources:
        store = None
    else:
        progress("building the bundled graph in memory (not validated yet)")
        store = build_store(backend=backend, validate=False, progress=progress)
    graphs = read_sources(sources, progress=progress) if sources else {}
    progress("validating against SHACL shapes")
    return validate_union(union_after(store, graphs))


# --- stats ---------------------------------------------------------------------------------------

_GRAPH_SIZES = "SELECT ?graph (COUNT(*) AS ?triples) WHERE { GRAPH ?graph { ?s ?p ?o } } GROUP BY ?graph ORDER BY ?graph"


def run_stats(store: Store) -> dict[str, Any]:
    """Quads, triples per named graph, and entities per policykg class (the ``entity-counts`` query)."""
    from policykg.graph.queries import load_query

    graphs = store.query(_GRAPH_SIZES)
    classes = store.query(load_query("entity-counts").text)
    if not (isinstance(graphs, SelectResult) and isinstance(classes, SelectResult)):
        raise TypeError("the stats queries must be SELECT queries")
    return {
        "backend": store.backend,
        "quads": len(store),
        "graphs": [{"graph": str(r["graph"]), "triples": int(r["triples"])} for r in graphs.rows],
        "classes": [{"class": compact(r["class"]), "count": int(r["count"])} for r in classes.rows],
    }


def format_stats(stats: dict[str, Any]) -> str:
    """The stats as a short readable text."""
    lines = [f"quads: {stats['quads']}  ({stats['backend']})", "", "graphs:"]
    lines += [f"  {g['triples']:>8}  {g['graph']}" for g in stats["graphs"]]
    lines += ["", "classes:"]
    lines += [f"  {c['count']:>8}  {c['class']}" for c in stats["classes"]]
    return "\n".join(lines)


# --- query ---------------------------------------------------------------------------------------


def compact(term: Identifier) -> str:
    """An IRI as a prefixed name (:func:`policykg.namespaces.curie`) where its local part is a plain
    name; other IRIs in ``<…>``, other terms as their text.

    >>> compact(URIRef("https://w3id.org/policykg/ontology#Measure")), compact(URIRef("https://w3id.org/policykg/id/a/b"))
    ('pk:Measure', '<https://w3id.org/policykg/id/a/b>')
    """
    if isinstance(term, URIRef):
        name = curie(term)
        if name is not None and not set(name.partition(":")[2]) & {"/", "#"}:
            return name
        return f"<{term}>"
    if isinstance(term, Literal):
        return str(term)
    return f"_:{term}"


def terminal_width() -> int:
    """Columns of the terminal (``COLUMNS`` if set; 100 when output is not a terminal)."""
    import shutil

    return max(40, shutil.get_terminal_size((100, 24)).columns)


def format_table(result: SelectResult, *, width: int | None = None) -> str:
    """A SELECT result as a table within ``width`` columns (default: the terminal's).

    rich measures cells by East Asian width (a kanji takes two columns) and wraps long cells
    inside their column; no colours or markup, so the text is the same in a pipe.
    """
    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table(box=box.ASCII, show_edge=False, pad_edge=False, header_style="", highlight=False)
    for name in result.variables:
        table.add_column(Text(name), overflow="fold")
    for row in result.rows:
        table.add_row(*(Text(compact(row[v]).replace("\n", " ") if v in row else "") for v in result.variables))
    console = Console(width=width or terminal_width(), file=io.StringIO(), color_system=None,
                      force_terminal=False, highlight=False, emoji=False, markup=False, soft_wrap=False)
    with console.capture() as captured:
        console.print(table)
    lines = [line.rstrip() for line in captured.get().splitlines()]
    return "\n".join(lines) + f"\n({len(result.rows)} rows)\n"


def resolve_query_text(query: str | None, name: str | None, params: Sequence[str]) -> tuple[str, dict]:
    """The query text and typed bindings from ``QUERY|FILE`` or ``--name`` and ``--param k=v``.

    :raises QueryError: neither or both given, a malformed ``--param``, or a param the query does not declare.
    :raises QueryNotFound: an unknown ``--name``.
    """
    from policykg.graph.queries import CannedQuery, bind_params, load_query, parse_query_file

    if (query is None) == (name is None):
        raise QueryError("give a query (text or .rq file) or --name NAME (see --list), not both")
    values: dict[str, str] = {}
    for item in params:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise QueryError(f"--param expects NAME=VALUE, got {item!r}")
        values[key.strip().lstrip("?")] = value
    if name is not None:
        canned: CannedQuery = load_query(name)
        return canned.text, bind_params(canned, values)
    path = Path(query)
    if query.endswith(".rq") or (len(query) < 4096 and "\n" not in query and path.is_file()):
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise SourceError(f"cannot read query file: {exc.strerror}", file=query) from None
        parsed = parse_query_file(path.stem, text)
        return parsed.text, bind_params(parsed, values) if (parsed.params or values) else {}
    if values:
        raise QueryError("--param works with canned queries and .rq files that declare # params:")
    return query, {}


_UPDATE_WORDS = frozenset({"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"})
_QUERY_WORDS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
_PROLOGUE = re.compile(
    r"""(?:\s+|\#[^\n]*|(?i:PREFIX)\s+[^\s:]*:\s*<[^<>\s]*>|(?i:BASE)\s+<[^<>\s]*>)*""")


def query_form(text: str) -> str:
    r"""SELECT, ASK, CONSTRUCT or DESCRIBE: the word after the prologue (PREFIX / BASE, comments).

    >>> query_form("PREFIX ex: <http://e/> # c\nask { ?s ?p ?o }")
    'ASK'

    :raises QueryError: an update (the CLI is read-only).
    :raises SparqlSyntaxError: anything else, e.g. ``SELEC``, with its line and column.
    """
    start = _PROLOGUE.match(text).end()
    word = re.match(r"[^\s{(*]+", text[start:])
    if word is None:
        line, column = _position(text, start)
        raise SparqlSyntaxError(line, column, "the query is empty" if not text.strip()
                                else "expected SELECT, ASK, CONSTRUCT or DESCRIBE")
    found = word.group().upper()
    if found in _QUERY_WORDS:
        return found
    if found in _UPDATE_WORDS:
        raise QueryError("読み取り専用です。更新（INSERT、DELETE、LOAD など）は CLI では実行しません"
                         " / read-only: only SELECT, ASK, CONSTRUCT and DESCRIBE queries run from the CLI")
    line, column = _position(text, start)
    raise SparqlSyntaxError(line, column, f"expected SELECT, ASK, CONSTRUCT or DESCRIBE, found {word.group()[:30]!r}")


def _position(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column (in characters) of ``offset``."""
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def run_query(store: Store, text: str, *, bindings: dict | None = None) -> QueryResult:
    """Run a read-only query in a confined worker process (:func:`policykg.graph.confined.run_confined_query`):
    the same parse-tree guard, sandbox (no network, no file reads) and limits as the server. Updates are
    refused here; FROM / FROM NAMED may only name graphs of the store, passed to the engine as the dataset.

    :raises SparqlSyntaxError: the text does not parse (line, column, short reason).
    :raises QueryError: an update, nesting beyond the limit, or the engine failed while evaluating.
    :raises ForbiddenQuery: SERVICE, LOAD or a FROM graph the store does not hold.
    :raises QueryTimeout: it ran past the time limit.
    """
    from policykg.graph.confined import run_confined_query

    query_form(text)
    return run_confined_query(store, text, bindings=bindings)


def render(result: QueryResult, fmt: str) -> bytes:
    """``table`` for people; the rest are the W3C / RDF formats of :mod:`policykg.graph.results`."""
    if fmt not in QUERY_FORMATS:
        raise QueryError(f"unknown --format {fmt!r}; choose one of {', '.join(QUERY_FORMATS)}")
    if fmt == "table":
        if isinstance(result, SelectResult):
            return format_table(result).encode("utf-8")
        if isinstance(result, GraphResult):
            return serialize(result, "turtle")[0]
        return (("true" if result.value else "false") + "\n").encode("utf-8")
    return serialize(result, fmt)[0]


# --- commands ------------------------------------------------------------------------------------


@app.command("build")
def build_command(
    source: Annotated[list[Path] | None, typer.Option("--source", help="読み込む資料・RDF・CSV（繰り返し可）/ source file (repeatable); default: the bundled sources")] = None,
    out: Annotated[Path | None, typer.Option("--out", help="出力ファイル / write the graph to FILE (.trig .nq .ttl .nt .jsonld; .ttl/.nt = union)")] = None,
    store: StoreOption = None,
    backend: BackendOption = "oxigraph",
    no_validate: Annotated[bool, typer.Option("--no-validate", help="SHACL 検証をしない / skip SHACL validation")] = False,
    add: Annotated[list[Path] | None, typer.Option("--add", help="同梱の資料に加えて読み込む計画ブック（.xlsx・CSV フォルダー）など（繰り返し可）/ add a workbook or other source beside the bundled ones (repeatable; --source replaces them)")] = None,
    sparql_endpoint: SparqlEndpointOption = None,
    update_endpoint: UpdateEndpointOption = None,
    graph_store: GraphStoreOption = None,
) -> None:
    """グラフを構築する / build the graph from sources (validated before anything is written)."""
    with cli_errors():
        target = remote_store_for_cli(store, sparql_endpoint, update_endpoint, graph_store)
        built = run_build(source, out=out, store_dir=store, backend=backend, validate=not no_validate, add=add or (),
                          target=target)
        progress(f"done: {len(built)} quads in {len(built.graph_names())} graphs")
        if target is not None:
            target.close()


@app.command("validate")
def validate_command(
    store: StoreOption = None,
    source: Annotated[list[Path] | None, typer.Option("--source", help="検証する資料 / source file to validate (repeatable)")] = None,
    backend: BackendOption = "oxigraph",
) -> None:
    """SHACL で検証する / validate the store or sources (exit 1 with the report on violations)."""
    with cli_errors():
        from policykg.graph.pipeline import validation_module

        report = run_validate(store_dir=store, sources=source, backend=backend)
        if not report.conforms:
            validation_module().raise_for_report(report)
        print("OK: 検証に合格しました / conforms")


@app.command("stats")
def stats_command(
    store: StoreOption = None,
    backend: BackendOption = "oxigraph",
    as_json: Annotated[bool, typer.Option("--json", help="JSON で出力 / print JSON")] = False,
) -> None:
    """件数 / counts: quads, triples per graph, entities per class."""
    with cli_errors():
        stats = run_stats(open_store_for_cli(store, backend, read_only=True))
        print(json.dumps(stats, ensure_ascii=False, indent=2) if as_json else format_stats(stats))


@app.command("query")
def query_command(
    query: Annotated[str | None, typer.Argument(help="SPARQL 文または .rq ファイル / SPARQL text or a .rq file")] = None,
    name: Annotated[str | None, typer.Option("--name", help="定型クエリ名 / canned query name (see --list)")] = None,
    param: Annotated[list[str] | None, typer.Option("--param", help="NAME=VALUE（繰り返し可）/ bind a parameter")] = None,
    list_: Annotated[bool, typer.Option("--list", help="定型クエリの一覧 / list canned queries")] = False,
    fmt: Annotated[str, typer.Option("--format", help=f"出力形式 / output: {', '.join(QUERY_FORMATS)}")] = "table",
    store: StoreOption = None,
    backend: BackendOption = "oxigraph",
) -> None:
    """SPARQL を実行する（読み取り専用）/ run a read-only SPARQL query."""
    with cli_errors():
        if list_:
            from policykg.graph.queries import list_queries

            for q in list_queries():
                params = " ".join(f"?{p.name}" for p in q.params)
                print(f"{q.name}\t{q.title} / {q.title_en}" + (f"\t[{params}]" if params else ""))
            return
        text, bindings = resolve_query_text(query, name, param or [])
        if fmt not in QUERY_FORMATS:
            raise QueryError(f"unknown --format {fmt!r}; choose one of {', '.join(QUERY_FORMATS)}")
        query_form(text)  # a typo or an update fails before the store is opened or built
        result = run_query(open_store_for_cli(store, backend, read_only=True), text, bindings=bindings)
        sys.stdout.buffer.write(render(result, fmt))
        sys.stdout.flush()


__all__ = [
    "run_build", "run_validate", "run_stats", "run_query", "query_form", "resolve_query_text", "render",
    "write_store", "output_format", "format_table", "format_stats", "compact", "OUTPUT_FORMATS", "QUERY_FORMATS",
]
