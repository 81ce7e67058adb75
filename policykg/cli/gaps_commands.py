"""``policykg gaps`` and ``policykg report``: thin commands over :func:`run_gaps` and :func:`run_report`.

``gaps --json`` prints exactly the document ``GET /api/gaps`` returns (both call
:func:`policykg.graph.analysis.gaps.build_gaps`). Exit codes: 0 ok, 1 validation failed
(an observation CSV breaks the SHACL shapes), 2 input or runtime error (bad ``--as-of``,
a bad observation row: the message names file, line and column).

With ``--store DIR`` both open the store read-only: ``--observations`` are analysed in an
in-memory copy, and only ``gaps --save`` adds them to the store (``--record`` writes graph/progress).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from policykg.cli.app import app
from policykg.cli.common import BackendOption, StoreOption, cli_errors, open_store_for_cli, progress
from policykg.graph.analysis.gaps import GAP_LISTS, build_gaps, parse_as_of
from policykg.graph.store import Store

__all__ = ["run_gaps", "run_report", "load_observations", "with_observations", "format_summary"]

AsOfOption = Annotated[str | None, typer.Option("--as-of", help="基準日 YYYY-MM-DD（既定は今日） / as-of date (default today)")]
JurisdictionOption = Annotated[
    str | None, typer.Option("--jurisdiction", help="この自治体の計画だけで分析（キーか名前） / one jurisdiction's plan only (key or name)"),
]
ObservationsOption = Annotated[
    list[Path] | None,
    typer.Option("--observations", help="実績値の CSV（data/observations/template.csv の形式、複数可） / observation CSV(s)",
                 exists=False, dir_okay=False),
]


def load_observations(store: Store, paths: Sequence[Path]) -> None:
    """Load observation CSVs into ``store`` (one named graph each), validated, all or nothing.

    :raises SourceError: a bad row (file, line, column); the store is left as it was.
    :raises ValidationFailed: the observations break the SHACL shapes; the store is left as it was.
    """
    if not paths:
        return
    from policykg.graph.build import build_store

    build_store(list(paths), store=store, progress=progress)


def with_observations(store: Store, paths: Sequence[Path], *, save: bool = False) -> Store:
    """The store to analyse: ``store`` itself with the observations added for good when ``save``, else an
    in-memory copy holding them (the store is not changed). No observations: ``store`` unchanged.

    :raises SourceError: / :raises ValidationFailed: see :func:`load_observations`.
    """
    if not paths:
        return store
    from policykg.graph.build import memory_copy

    target = store if save else memory_copy(store)
    load_observations(target, paths)
    return target


def run_gaps(store: Store, *, as_of: date, observations: Sequence[Path] = (), record: bool = False,
             save: bool = False) -> dict:
    """The gaps document for ``as_of``, with ``observations`` (saved into ``store`` only when ``save``).

    ``record`` writes the progress assessments into the store it analyses.
    """
    return build_gaps(with_observations(store, observations, save=save), as_of=as_of, record=record)


def format_summary(doc: dict) -> str:
    """A plain-text summary for the terminal: each gap list with its entries, then status counts."""
    from policykg.words import SECTIONS  # the gap lists' titles; imported here, not at CLI start-up

    lines = [f"基準日 / as of: {doc['as_of']}"]
    for key in GAP_LISTS:
        items = doc[key]
        ja, en = SECTIONS[key]["ja"], SECTIONS[key]["en"]
        lines.append(f"\n{ja} / {en[:1].lower()}{en[1:]}: {len(items)}")
        for item in items:
            extra = f"  ({item['target_date']})" if "target_date" in item else ""
            lines.append(f"  - {item['label']}{extra}")
    lines.append("\n指標の進捗 / indicator status:")
    for status, count in doc["status_counts"].items():
        if count:
            lines.append(f"  {status}: {count}")
    return "\n".join(lines)


def run_report(store: Store, *, out: Path, as_of: date, lang: str = "ja", base_url: str = "http://127.0.0.1:8000",
               observations: Sequence[Path] = ()) -> list[Path]:
    """Write ``report.html`` and ``report.xlsx`` into ``out``; returns their paths."""
    from policykg.report import write_report

    doc = run_gaps(store, as_of=as_of, observations=observations)
    return write_report(doc, out, lang=lang, base_url=base_url)


@app.command("gaps")
def gaps_command(
    as_of: AsOfOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON で出力（GET /api/gaps と同じ） / print the JSON document")] = False,
    observations: ObservationsOption = None,
    save: Annotated[bool, typer.Option("--save", help="--observations をストアに保存（--store 必須） / add the observations to the store for good (needs --store)")] = False,
    record: Annotated[bool, typer.Option("--record", help="進捗評価を graph/progress に記録 / record assessments in graph/progress")] = False,
    store: StoreOption = None,
    backend: BackendOption = "oxigraph",
    jurisdiction: JurisdictionOption = None,
) -> None:
    """ギャップ分析と指標の進捗 / gap analysis and indicator progress (the store is only changed with --save or --record)."""
    with cli_errors():
        day = parse_as_of(as_of)
        if save and (store is None or not observations):
            raise ValueError("--save には --store と --observations が必要です / --save needs --store DIR and --observations FILE")
        if record and observations and store is not None and not save:
            raise ValueError("--record と --observations を併用するときは --save も指定してください（記録が保存されない実績値を指すため）"
                             " / --record with --observations needs --save: the recorded assessments refer to the observations")
        target = open_store_for_cli(store, backend, read_only=not (save or record))
        if jurisdiction is not None:
            from policykg.graph.jurisdictions import jurisdiction_scope, jurisdiction_view

            if save or record:
                raise ValueError("--jurisdiction は --save・--record と同時に使えません / --jurisdiction cannot be combined with --save or --record")
            # the scope reads the jurisdiction's named graphs where they are; observations are added to a copy
            target = jurisdiction_view(target, jurisdiction) if observations else jurisdiction_scope(target, jurisdiction)
        doc = run_gaps(target, as_of=day, observations=observations or (), record=record, save=save)
        typer.echo(json.dumps(doc, ensure_ascii=False, indent=2) if as_json else format_summary(doc))


@app.command("report")
def report_command(
    out: Annotated[Path, typer.Option("--out", help="出力先ディレクトリ / output directory", file_okay=False)],
    as_of: AsOfOption = None,
    lang: Annotated[str, typer.Option("--lang", help="ja（既定）または en / report language")] = "ja",
    base_url: Annotated[str, typer.Option("--base-url", help="対象ページへのリンクの基点 / base URL of entity links")] = "http://127.0.0.1:8000",
    observations: ObservationsOption = None,
    store: StoreOption = None,
    backend: BackendOption = "oxigraph",
    jurisdiction: JurisdictionOption = None,
) -> None:
    """HTML と Excel の報告書 / an offline HTML report and an Excel workbook (never changes the store)."""
    with cli_errors():
        day = parse_as_of(as_of)
        from policykg.words import LANGS

        if lang not in LANGS:
            raise ValueError(f"--lang は ja か en です / --lang must be ja or en, got {lang!r}")
        target = open_store_for_cli(store, backend, read_only=True)
        if jurisdiction is not None:
            from policykg.graph.jurisdictions import jurisdiction_scope, jurisdiction_view

            # the report is the gaps document written out: the same scope as `gaps --jurisdiction`
            target = jurisdiction_view(target, jurisdiction) if observations else jurisdiction_scope(target, jurisdiction)
        for path in run_report(target, out=out, as_of=day, lang=lang, base_url=base_url, observations=observations or ()):
            typer.echo(str(path))
