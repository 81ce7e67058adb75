"""``policykg align suggest | evaluate | accept`` and ``policykg trace``: thin commands over ``run_*`` functions.

Exit codes: 0 ok, 1 validation failed, 2 input or runtime error (unknown label: the message lists the
closest labels; a bad accepted row: file, line and column, and the CSV is left untouched).
"""

from __future__ import annotations

import datetime as dt
import getpass
import json
from pathlib import Path
from typing import Annotated

import typer
from rdflib import Graph

from policykg.cli.app import align_app, app
from policykg.cli.common import BackendOption, StoreOption, cli_errors, open_store_for_cli
from policykg.errors import SourceError
from policykg.graph.analysis.suggest import DEFAULT_METHOD, METHODS, inferred_graph, suggest
from policykg.graph.pipeline import load_graphs, union_after
from policykg.graph.store import Store
from policykg.namespaces import INFERRED_ALIGNMENTS_GRAPH

__all__ = ["run_suggest", "run_evaluate", "run_accept", "run_trace", "format_trace", "format_national", "default_alignment_file"]

JsonOption = Annotated[bool, typer.Option("--json", help="JSON で出力 / print JSON")]
MethodOption = Annotated[str, typer.Option("--method", help=f"手法 / method: {', '.join(METHODS)}")]


# --- run_* (importable, no printing) -------------------------------------------------------------


def run_suggest(store: Store, *, method: str = DEFAULT_METHOD, top: int = 5, record: bool = False) -> list[dict]:
    """Rank national items per measure; with ``record`` replace graph/alignments-inferred with the result.

    :raises ValueError: an unknown method or a ``top`` below 1.
    :raises ValidationFailed: the recorded graph breaks the SHACL shapes; the store is unchanged.
    """
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; choose one of {', '.join(METHODS)}")
    if top < 1:
        raise ValueError("--top must be at least 1")
    result = suggest(store, method=method, top=top)
    if record:
        now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0, tzinfo=None).isoformat()
        load_graphs(store, {INFERRED_ALIGNMENTS_GRAPH: inferred_graph(result, method=method, generated=now)})
        getattr(store, "flush", lambda: None)()
    return result


def run_evaluate(store: Store, *, methods: list[str] | None = None) -> dict:
    """Metrics of each method against the curated and stated measure links.

    :raises ValueError: an unknown method.
    """
    unknown = [m for m in methods or [] if m not in METHODS]
    if unknown:
        raise ValueError(f"unknown method(s) {', '.join(unknown)}; choose from {', '.join(METHODS)}")
    from policykg.graph.analysis.evaluate import evaluate_methods  # networkx and friends: only when asked

    return evaluate_methods(store, methods or None)


def default_alignment_file() -> Path:
    """The bundled curated CSV when there is exactly one (else ``--file`` is needed).

    :raises SourceError: none or several bundled CSVs.
    """
    from policykg.graph.build import bundled_alignment_files

    found = bundled_alignment_files()
    if len(found) != 1:
        raise SourceError(f"{len(found)} alignment CSVs are bundled; choose one with --file", field="--file")
    return found[0]


def run_accept(store: Store, local: str, national: str, *, rationale: str, relation: str = "supports",
               curator: str, date: str, file: Path, evidence: str = "curated", source_slide: str = "") -> Graph:
    """Append one curated row to ``file`` after re-validating the whole file against ``store``.

    :raises SourceError: the row or file is invalid (file, line, column); nothing is written.
    """
    from policykg.loaders.alignments import append_alignment

    def side(name: str, value: str) -> dict[str, str]:
        key = "iri" if value.startswith(("http://", "https://")) else "label"
        return {f"{name}_{key}": value}

    row = {**side("local", local), **side("national", national), "relation": relation, "evidence": evidence,
           "rationale": rationale, "curator": curator, "date": date, "source_slide": source_slide}
    return append_alignment(file, row, union_after(store, {}))


def run_trace(store: Store, target: str | None = None, *, all_measures: bool = False, national: str | None = None,
              include_inferred: bool = False) -> dict | list:
    """One measure's trace, every measure's, or a national item's supporters.

    :raises ValueError: not exactly one of ``target``, ``all_measures`` and ``national``.
    :raises LabelNotFound: / :raises AmbiguousLabel: / :raises EntityNotFound: see :mod:`policykg.graph.analysis.trace`.
    """
    if sum(bool(x) for x in (target, all_measures, national)) != 1:
        raise ValueError("give exactly one of LABEL|IRI, --all, --national LABEL|IRI")
    from policykg.graph.analysis.trace import trace_all, trace_measure, trace_national

    if all_measures:
        return trace_all(store, include_inferred=include_inferred)
    if national:
        return trace_national(store, national, include_inferred=include_inferred)
    return trace_measure(store, target, include_inferred=include_inferred)


# --- readable output ----------------------------------------------------------------------------


def _link_line(link: dict) -> str:
    score = f" {link['score']:.2f}" if link.get("score") is not None else ""
    return f"[{link.get('relation') or '-'} / {link['evidence']}{score}]"


def format_trace(trace: dict) -> str:
    """A measure's trace as a Japanese tree."""
    lines = [f"施策 / measure: {trace['measure']['label']}"]
    for d in trace["directions"]:
        area = f"（{d['area']['label']}）" if d.get("area") else ""
        lines.append(f"  展開方針 / direction: {d['label']}{area}")
    if not trace["supports"]:
        lines.append("  国の施策との対応付けなし / no alignment to a national item")
    for s in trace["supports"]:
        lines.append(f"  └ {s['label']} {_link_line(s)}")
        path = [a["label"] for a in s["ancestors"]] + ([s["plan"]["label"]] if s.get("plan") else [])
        if path:
            lines.append(f"      位置 / in: {' ＞ '.join(path)}")
        if s.get("rationale"):
            lines.append(f"      根拠 / rationale: {s['rationale']}")
    return "\n".join(lines)


def format_national(doc: dict) -> str:
    """A national item's supporters as a Japanese tree."""
    n = doc["national"]
    lines = [f"国の施策 / national item: {n['label']}" + (f"（{n['plan']['label']}）" if n.get("plan") else "")]
    for key, title in (("measures", "施策 / measures"), ("directions", "展開方針 / directions"), ("roadmap_rows", "ロードマップ区分 / roadmap rows")):
        lines.append(f"  {title}: {len(doc[key])}")
        for entry in doc[key]:
            for link in entry["links"]:
                via = "" if link["via"]["iri"] == n["iri"] else f" ← {link['via']['label']}"
                lines.append(f"    └ {entry['label']} {_link_line(link)}{via}")
    lines.append(f"  指標 / indicators: {len(doc['indicators'])}")
    lines.extend(f"    └ {i['label']}（{i['direction']['label']}）" for i in doc["indicators"])
    return "\n".join(lines)


def _print_json(value: object) -> None:
    typer.echo(json.dumps(value, ensure_ascii=False, indent=2))


# --- commands -----------------------------------------------------------------------------------


@align_app.command("suggest")
def suggest_command(
    as_json: JsonOption = False,
    top: Annotated[int, typer.Option("--top", help="施策ごとの候補数 / candidates per measure")] = 5,
    method: MethodOption = DEFAULT_METHOD,
    record: Annotated[bool, typer.Option("--record", help="推定結果を graph/alignments-inferred に保存（--store 必須） / store as inferred alignments (needs --store)")] = False,
    store_dir: StoreOption = None,
    backend: BackendOption = "oxigraph",
) -> None:
    """施策ごとに対応しそうな国の施策を提案 / suggest national items for each measure (never reads curated links)."""
    with cli_errors():
        if record and store_dir is None:
            raise ValueError("--record はストアに書き込みます。--store を指定してください / --record writes into a store on disk: give --store DIR")
        result = run_suggest(open_store_for_cli(store_dir, backend, read_only=not record), method=method, top=top, record=record)
    if as_json:
        _print_json(result)
        return
    for entry in result:
        typer.echo(entry["measure"]["label"])
        for c in entry["candidates"]:
            typer.echo(f"  {c['score']:.3f}  {c['label']}")


@align_app.command("evaluate")
def evaluate_command(
    as_json: JsonOption = False,
    method: Annotated[list[str] | None, typer.Option("--method", help="評価する手法（複数可、既定は全て） / methods (default all)")] = None,
    store_dir: StoreOption = None,
    backend: BackendOption = "oxigraph",
) -> None:
    """提案の精度を人手の対応付けで評価 / precision@1, recall@3, recall@5, MRR against curated links."""
    with cli_errors():
        result = run_evaluate(open_store_for_cli(store_dir, backend, read_only=True), methods=method)
    if as_json:
        _print_json(result)
        return
    typer.echo(f"{'method':<14} {'P@1':>6} {'R@3':>6} {'R@5':>6} {'MRR':>6}")
    for name, m in result["methods"].items():
        typer.echo(f"{name:<14} {m['precision@1']:>6.3f} {m['recall@3']:>6.3f} {m['recall@5']:>6.3f} {m['mrr']:>6.3f}")
    typer.echo(f"正解のある施策 / measures with gold links: {next(iter(result['methods'].values()))['measures']}"
               f" / {result['measures_total']}")


@align_app.command("accept")
def accept_command(
    measure: Annotated[str, typer.Argument(help="道の施策（または展開方針・ロードマップ区分）のラベルかIRI / local item label or IRI")],
    national: Annotated[str, typer.Argument(help="国の施策・計画のラベルかIRI / national item label or IRI")],
    rationale: Annotated[str, typer.Option("--rationale", help="対応付けの理由（日本語） / why, in Japanese")],
    relation: Annotated[str, typer.Option("--relation", help="supports または contributes_to")] = "supports",
    curator: Annotated[str | None, typer.Option("--curator", help="判断した人（既定はログイン名） / curator (default: login name)")] = None,
    date: Annotated[str | None, typer.Option("--date", help="YYYY-MM-DD（既定は今日） / default today")] = None,
    file: Annotated[Path | None, typer.Option("--file", help="追記する CSV（既定は同梱の1ファイル） / CSV to append to", dir_okay=False)] = None,
    store_dir: StoreOption = None,
    backend: BackendOption = "oxigraph",
) -> None:
    """人手の対応付けを1行追加（ファイル全体を検証してから書き込み） / append a curated alignment row, validated first."""
    with cli_errors():
        target = file or default_alignment_file()
        graph = run_accept(open_store_for_cli(store_dir, backend, read_only=True), measure, national,
                           rationale=rationale, relation=relation, curator=curator or getpass.getuser(),
                           date=date or dt.date.today().isoformat(), file=target)
    typer.echo(f"追加しました / appended to {target} ({len(graph)} triples in file)")


@app.command("trace")
def trace_command(
    target: Annotated[str | None, typer.Argument(help="施策のラベルかIRI / measure label or IRI")] = None,
    all_measures: Annotated[bool, typer.Option("--all", help="全施策 / every measure")] = False,
    national: Annotated[str | None, typer.Option("--national", help="国の施策のラベルかIRI：支える道の取組を表示 / show supporters of a national item")] = None,
    include_inferred: Annotated[bool, typer.Option("--include-inferred", help="推定の対応付けも含める / include inferred links")] = False,
    as_json: JsonOption = False,
    store_dir: StoreOption = None,
    backend: BackendOption = "oxigraph",
    jurisdiction: Annotated[str | None, typer.Option("--jurisdiction", help="この自治体の施策だけ（キーか名前） / one jurisdiction's measures only (key or name)")] = None,
) -> None:
    """施策から国の施策への対応をたどる / trace measures to national items (or back with --national)."""
    with cli_errors():
        source = open_store_for_cli(store_dir, backend, read_only=True)
        if jurisdiction is not None:
            from policykg.graph.jurisdictions import jurisdiction_scope

            source = jurisdiction_scope(source, jurisdiction)
        result = run_trace(source, target, all_measures=all_measures,
                           national=national, include_inferred=include_inferred)
    if as_json:
        _print_json(result)
    elif isinstance(result, list):
        typer.echo("\n\n".join(format_trace(t) for t in result))
    elif "national" in result:
        typer.echo(format_national(result))
    else:
        typer.echo(format_trace(result))
