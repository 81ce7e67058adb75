"""The workbook's sheets and columns: ONE table that drives the template, reading, validation and export.

Every header cell reads ``<Japanese> / <English>`` (either half alone is accepted when reading).
Sheet titles are ``<Japanese> <English>`` (Excel forbids ``/`` in sheet names); a CSV folder names its
files after the English key (``areas.csv``), the Japanese name (``分野.csv``) or the title.

>>> SHEETS["areas"].title
'分野 areas'
>>> SHEETS["areas"].column("label").header
'分野名 / area name'
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

MAX_ROWS = 5000
"""Data rows per sheet; more is refused (a plan has hundreds of rows, not tens of thousands)."""

LIST_SEPARATORS = r"[;；\n]"
"""Cells holding several values (directions of a measure, alternative labels) split on these."""


@dataclass(frozen=True)
class Column:
    """One column: internal key, headers, value type, whether it must be filled, dropdown list, help."""

    key: str
    ja: str
    en: str
    kind: str = "text"  # text | int | date | value | list | choice | url | id | code
    required: bool = False
    choices: str | None = None  # key of CHOICES (a dropdown in the template)
    help: str = ""

    @property
    def header(self) -> str:
        return f"{self.ja} / {self.en}"


@dataclass(frozen=True)
class Sheet:
    """One sheet: key, titles, columns, and whether it must hold at least one row / at most one row."""

    key: str
    ja: str
    en: str
    columns: tuple[Column, ...]
    help: str
    min_rows: int = 0
    single: bool = False
    example: dict[str, str] = field(default_factory=dict)

    @property
    def title(self) -> str:
        return f"{self.ja} {self.en}"

    @property
    def label(self) -> str:
        """How errors name the sheet: 「分野」 / 'areas'."""
        return f"{self.ja} / {self.en}"

    def column(self, key: str) -> Column:
        return self._by_key[key]

    @cached_property
    def _by_key(self) -> dict[str, Column]:
        return {c.key: c for c in self.columns}


def _id(what: str) -> Column:
    return Column("id", "ID", "id", "id", help=f"空欄でよい。{what}の API ID（URL に使う英数字）を固定したいときだけ書く / optional: the {what}'s API id")


def _alt() -> Column:
    return Column("alt_labels", "別表記", "alternative labels", "list", help="同じ対象の別の書き方（; 区切り） / other wordings, separated by ;")


CHOICES: dict[str, dict[str, str]] = {
    "indicator_kind": {"数値": "numeric", "定性": "qualitative"},
    "better": {"高いほど良い": "HigherIsBetter", "低いほど良い": "LowerIsBetter"},
    "comparator": {"以上": "AtLeast", "以下": "AtMost", "ちょうど": "Exactly",
                   "以上を維持": "AtLeast+maintain", "以下を維持": "AtMost+maintain", "維持": "Exactly+maintain"},
    "phase_kind": {"当初の重点": "InitialFocus", "計画の方向": "PlanDirectionPhase"},
    "relation": {"支える": "Supports", "貢献する": "ContributesTo"},
    "evidence": {"計画に明記": "Stated", "確認済み": "Curated"},
}
"""Dropdown values (Japanese, as planners pick them) → internal value. The English internal names
(``supports``, ``HigherIsBetter``…) are accepted too. Units and national items are filled from data."""

ENGLISH_CHOICES: dict[str, dict[str, str]] = {
    "indicator_kind": {"numeric": "numeric", "qualitative": "qualitative"},
    "better": {"higher": "HigherIsBetter", "lower": "LowerIsBetter"},
    "comparator": {"at least": "AtLeast", "at most": "AtMost", "exactly": "Exactly"},
    "phase_kind": {"initial focus": "InitialFocus", "plan direction": "PlanDirectionPhase"},
    "relation": {"supports": "Supports", "contributes_to": "ContributesTo", "contributes to": "ContributesTo"},
    "evidence": {"stated": "Stated", "curated": "Curated"},
}

SHEETS_LIST: tuple[Sheet, ...] = (
    Sheet("jurisdiction", "自治体", "jurisdiction", (
        Column("name", "団体名", "name", required=True, help="例: 北海道、浜松市 / e.g. 北海道"),
        Column("code", "全国地方公共団体コード", "local government code", "code",
               help="6桁（検査数字込み）。総務省の一覧の値 / the 6-digit code incl. check digit"),
        Column("key", "キー", "key", "id", help="IRI に使う英字（空欄なら団体コードから） / IRI key; blank: from the code"),
        Column("name_en", "英語名", "English name"),
    ), "計画を持つ自治体（1行） / the government whose plan this is (one row)", min_rows=1, single=True,
        example={"name": "サンプル市", "code": "999997", "key": "sample-city", "name_en": "Sample City"}),
    Sheet("plan", "計画", "plan", (
        Column("title", "計画名", "title", required=True),
        Column("title_en", "英語名", "English title"),
        Column("edition", "版", "edition", help="例: 第2版"),
        Column("period", "計画期間", "plan period", "date", help="例: 2024~2028、R6~R10（年度） / fiscal years"),
        Column("adopted", "策定日", "adoption date", "date", help="例: 2024-03-29、令和6年3月29日"),
        Column("source_url", "出典URL", "source URL", "url"),
        Column("roadmap_title", "ロードマップ名", "roadmap title"),
        Column("roadmap_period", "ロードマップ期間", "roadmap period", "date"),
        _id("計画"),
    ), "計画そのもの（1行） / the plan itself (one row)", min_rows=1, single=True,
        example={"title": "サンプル市DX推進計画", "edition": "第1版", "period": "2024~2028", "adopted": "令和6年3月29日",
                 "source_url": "https://www.example.jp/dx/plan.pdf", "roadmap_title": "DXロードマップ",
                 "roadmap_period": "2024~2028"}),
    Sheet("areas", "分野", "areas", (
        Column("number", "番号", "number", "int", required=True, help="1, 2, 3 …"),
        Column("label", "分野名", "area name", required=True),
        Column("label_en", "英語名", "English name"),
        Column("goal", "目指す姿", "goal"),
        _alt(),
        _id("分野"),
    ), "計画の柱となる分野 / the plan's policy areas", min_rows=1,
        example={"number": "1", "label": "暮らし", "label_en": "Living", "goal": "誰もが安心して暮らせるまち"}),
    Sheet("directions", "展開方針", "directions", (
        Column("area", "分野番号", "area number", "int", required=True),
        Column("letter", "記号", "letter", required=True, help="a〜z。分野番号と合わせて 1a のように呼ぶ / a-z; with the area number: 1a"),
        Column("label", "方針名", "direction", required=True),
        Column("label_en", "英語名", "English name"),
        _alt(),
        _id("展開方針"),
    ), "分野ごとの施策の展開方針 / policy directions of each area", min_rows=1,
        example={"area": "1", "letter": "a", "label": "オンライン診療の推進"}),
    Sheet("measures", "施策", "measures", (
        Column("label", "施策名", "measure", required=True),
        Column("directions", "展開方針", "directions", "list", required=True,
               help="記号（1a）または方針名。複数は ; 区切り / code (1a) or name; several separated by ;"),
        Column("period", "取組期間", "roadmap years", "date", help="例: 2024~2026（年度） / fiscal years"),
        Column("label_en", "英語名", "English name"),
        _alt(),
        _id("施策"),
    ), "主な取組 / measures (one row each)",
        example={"label": "オンライン診療拠点の整備", "directions": "1a", "period": "2024~2026"}),
    Sheet("indicators", "指標", "indicators", (
        Column("label", "指標名", "indicator", required=True,
               help="目標が複数ある指標は同じ指標名の行を続け、2行目以降は目標の列だけ書く / more targets: more rows with the same name"),
        Column("direction", "展開方針", "direction", help="記号（1a）または方針名 / code or name"),
        Column("kind", "種類", "kind", "choice", choices="indicator_kind"),
        Column("unit", "単位", "unit", "choice", choices="unit"),
        Column("baseline", "基準値", "baseline value", "value"),
        Column("baseline_date", "基準時期", "baseline date", "date"),
        Column("target", "目標値", "target value", "value"),
        Column("target_date", "目標時期", "target date", "date", help="例: 2027年度、令和9年度末、R2~R6（期間の累計）"),
        Column("comparator", "以上・以下・維持", "comparator", "choice", choices="comparator"),
        Column("better", "望ましい方向", "which way is better", "choice", choices="better"),
        Column("goal", "推進目標", "qualitative goal", help="定性の指標の目標（文章） / the goal of a qualitative indicator"),
        Column("label_en", "英語名", "English name"),
        _alt(),
        _id("指標"),
    ), "施策の展開方針を評価する指標 / indicators evaluating directions",
        example={"label": "オンライン診療の利用件数", "direction": "1a", "kind": "数値", "unit": "件", "baseline": "120",
                 "baseline_date": "2023-03-31", "target": "500", "target_date": "令和9年度末", "comparator": "以上",
                 "better": "高いほど良い"}),
    Sheet("roadmap", "ロードマップ", "roadmap", (
        Column("area", "分野番号", "area number", "int", required=True),
        Column("label", "区分", "field", required=True),
        Column("directions", "対応する展開方針", "directions", "list"),
        _id("区分"),
    ), "ロードマップの行（分野×区分） / roadmap rows",
        example={"area": "1", "label": "医療", "directions": "1a"}),
    Sheet("phases", "ロードマップの段階", "roadmap phases", (
        Column("area", "分野番号", "area number", "int", required=True),
        Column("label", "段階", "phase", required=True),
        Column("kind", "種類", "kind", "choice", choices="phase_kind",
               help="空欄: 展開方針があれば「計画の方向」、なければ「当初の重点」"),
        Column("direction", "対応する展開方針", "direction"),
        Column("period", "期間", "period", "date"),
        Column("after", "前の段階", "preceded by", "list", help="この段階の前の段階（→ の左側） / the phase(s) before this one"),
        _id("段階"),
    ), "ロードマップの段階（→ で移る） / roadmap phases and transitions",
        example={"area": "1", "label": "オンライン診療の推進", "direction": "1a", "period": "2024~2028"}),
    Sheet("alignments", "対応付け", "alignments", (
        Column("local", "施策", "measure", required=True, help="施策名（展開方針名・区分も可） / a measure (or direction, roadmap row)"),
        Column("national", "国の項目", "national item", "choice", required=True, choices="national"),
        Column("relation", "関係", "relation", "choice", required=True, choices="relation"),
        Column("evidence", "根拠の種類", "evidence", "choice", required=True, choices="evidence"),
        Column("rationale", "理由", "rationale", required=True),
        Column("curator", "評価者", "curator", required=True),
        Column("date", "日付", "date", "date", required=True),
    ), "施策と国の計画の項目との対応付け / alignments of measures to national items",
        example={"local": "オンライン診療拠点の整備", "national": "デジタル基盤整備", "relation": "支える", "evidence": "確認済み",
                 "rationale": "オンライン診療の拠点整備は国の基礎条件「デジタル基盤整備」と同じ対象である。",
                 "curator": "サンプル市DX推進課", "date": "2024-04-01"}),
    Sheet("observations", "実績", "observations", (
        Column("indicator", "指標名", "indicator", required=True),
        Column("date", "時点", "date", "date", required=True),
        Column("value", "実績値", "value", "value", required=True),
        Column("unit", "単位", "unit", "choice", choices="unit"),
        Column("source", "出典", "source"),
        Column("note", "注記", "note"),
    ), "指標の実績値 / observed values of indicators",
        example={"indicator": "オンライン診療の利用件数", "date": "2024-03-31", "value": "180", "unit": "件",
                 "source": "サンプル市 保健福祉局 集計"}),
)

SHEETS: dict[str, Sheet] = {s.key: s for s in SHEETS_LIST}
INSTRUCTIONS_TITLE = "説明 instructions"

__all__ = ["Column", "Sheet", "SHEETS", "SHEETS_LIST", "CHOICES", "ENGLISH_CHOICES", "MAX_ROWS",
           "LIST_SEPARATORS", "INSTRUCTIONS_TITLE"]
