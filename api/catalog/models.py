"""Response models of the JSON API: they document the shapes (with examples) in the OpenAPI spec.

Descriptions are Japanese first, then English, as in the rest of the UI.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

_AREA_IRI = "https://w3id.org/policykg/id/hokkaido/area/hokkaido-area-1"


class Ref(BaseModel):
    """A link to one entity (ラベルは ?lang= の言語、なければ日本語)."""

    id: str = Field(description="API の id（IRI の最後の区切り）/ API id: the IRI's last segment")
    iri: str = Field(description="実体の IRI / entity IRI")
    label: str = Field(description="表示名 / label in the requested language (ja fallback)")
    url: str = Field(description="このサーバ上のページ / page on this server")

    model_config = ConfigDict(json_schema_extra={"examples": [
        {"id": "hokkaido-area-1", "iri": _AREA_IRI, "label": "暮らし", "url": "/id/hokkaido/area/hokkaido-area-1"}]})


class JurisdictionRef(BaseModel):
    """自治体 / the jurisdiction a local entity belongs to (``?jurisdiction=`` takes its key)."""

    key: str = Field(description="自治体のキー（IRI の最初の区切り、例: hokkaido）/ key, e.g. hokkaido")
    label: str = Field(description="自治体名 / jurisdiction name (requested language, ja fallback)")


def _jurisdiction_field():
    return Field(None, description="自治体（国の項目は null）/ jurisdiction (null for national entities)")


class NotationRef(Ref):
    notation: str | None = Field(None, description="番号（例: 1a）/ notation such as 1a")


class Area(Ref):
    """分野 / policy area."""

    notation: str | None = Field(None, description="番号 / notation (1..5)")
    ordinal: int | None = Field(None, description="計画内の順序 / order in the plan")
    goal: str | None = Field(None, description="目指す姿 / the area's goal")
    plan: Ref | None = Field(None, description="所属する計画 / the plan")
    directions: list[NotationRef] = Field(description="施策の展開方針 / its policy directions")
    jurisdiction: JurisdictionRef | None = _jurisdiction_field()


class Direction(Ref):
    """施策の展開方針 / policy direction."""

    notation: str | None = Field(None, description="番号（例: 1a）/ notation, e.g. 1a")
    letter: str | None = Field(None, description="記号 (a, b, …) / letter")
    alt_labels: list[str] = Field(description="表記ゆれ / wording variants in the source")
    area: Ref | None = Field(None, description="分野 / area")
    jurisdiction: JurisdictionRef | None = _jurisdiction_field()


class SourceLocation(BaseModel):
    """出典箇所 / where the source states it."""

    document: Ref | None = None
    slide: int | None = Field(None, description="スライド番号 / slide (page) number")
    section: str | None = Field(None, description="見出し / nearest heading(s)")
    line: int | None = Field(None, description="元ファイルの行 (1 始まり) / 1-based line in the source file")


class Measure(Ref):
    """主な取組 / measure, with the directions it serves and their areas."""

    alt_labels: list[str] = Field(description="表記ゆれ / wording variants")
    directions: list[NotationRef] = Field(description="施策の展開方針（再掲を含む）/ directions (incl. re-listings)")
    areas: list[Ref] = Field(description="分野 / areas of those directions")
    jurisdiction: JurisdictionRef | None = _jurisdiction_field()


class MeasureDetail(Measure):
    source_locations: list[SourceLocation] = Field(description="出典箇所 / source locations")
    trace_url: str = Field(description="国の計画への追跡 (JSON) / trace to national items")
    viz_url: str = Field(description="ネットワーク表示 / network view focused on it")


class NationalPlan(Ref):
    kind: str | None = Field(None, description="NationalPlan または Guideline")
    decision_type: str | None = Field(None, description="決定の種類（例: 閣議決定）/ decision type")
    decided: str | None = Field(None, description="決定日 (xsd:date) / decision date")
    decided_text: str | None = Field(None, description="原文の日付（例: 令和4年6月）/ original date text")
    edition: str | None = Field(None, description="版 / edition")


class NationalItem(Ref):
    """国の計画の項目 / national plan item."""

    kind: str | None = Field(None, description="具体的なクラス（Principle, Pillar, NationalMeasure …）/ specific class")
    plan: Ref | None = Field(None, description="計画 / plan")
    parent: Ref | None = Field(None, description="上位項目 (skos:broader) / parent item")
    ordinal: int | None = Field(None, description="出典内の順序 / order in the source")
    description: str | None = Field(None, description="説明 / description")
    jurisdiction: JurisdictionRef | None = _jurisdiction_field()


class Baseline(BaseModel):
    """基準値 / baseline."""

    id: str
    value: float | None = Field(None, description="数値（万・億は展開済み）/ number (万/億 multiplied out)")
    value_text: str | None = Field(None, description="原文 / original cell text")
    unit_text: str | None = None
    date: str | None = Field(None, description="基準日 (期間なら終了日) / resolved date")
    original_text: str | None = Field(None, description="原文の時点（例: 2019/R1）/ original time text")
    period_start: str | None = None
    period_end: str | None = None
    note: str | None = Field(None, description="注記 / note")


class Target(BaseModel):
    """目標値 / target."""

    id: str
    value: float | None = Field(None, description="数値 / number")
    value_text: str | None = Field(None, description="原文 / original text")
    unit_text: str | None = None
    due_date: str | None = Field(None, description="期限 (年度末) / due date (fiscal-year end)")
    original_text: str | None = Field(None, description="原文の時点（例: 2025/R7, R2~R6）")
    period_start: str | None = Field(None, description="期間目標の開始 / period start")
    period_end: str | None = Field(None, description="期間目標の終了 / period end")
    comparator: str | None = Field(None, description="AtLeast (以上) / AtMost / Exactly")
    maintain: bool = Field(False, description="「以上を維持」/ 'maintain at least'")
    period_target: bool = Field(False, description="期間中の累計 / counted over a period")


class Indicator(Ref):
    """指標 / indicator."""

    kind: str = Field(description="numeric（目標値・基準値あり）/ qualitative（推進目標）")
    evaluates: list[Ref] = Field(description="評価する施策の展開方針 / directions it evaluates")
    indicator_of: list[Ref] = Field(description="国の KPI の計画 / plan of a national KPI")
    unit: str | None = Field(None, description="単位 (unit:) / unit")
    unit_text: str | None = Field(None, description="原文の単位 / unit as written")
    desired_direction: str | None = Field(None, description="HigherIsBetter / LowerIsBetter")
    promotion_goal: str | None = Field(None, description="推進目標 / promotion goal (qualitative)")
    baseline: Baseline | None = None
    targets: list[Target] = Field(description="目標値 / targets, earliest first")
    jurisdiction: JurisdictionRef | None = _jurisdiction_field()

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "id": "i-xxxx", "iri": "https://w3id.org/policykg/id/hokkaido/indicator/i-xxxx",
        "label": "自動運転実証試験件数", "url": "/id/hokkaido/indicator/i-xxxx", "kind": "numeric",
        "evaluates": [], "indicator_of": [], "unit": "Count", "unit_text": "件",
        "desired_direction": "HigherIsBetter", "promotion_goal": None,
        "baseline": {"id": "i-xxxx-baseline", "value": 24, "value_text": "24件", "date": "2020-03-31",
                     "original_text": "2019/R1"},
        "targets": [{"id": "i-xxxx-target-1", "value": 36, "value_text": "36件", "due_date": "2026-03-31",
                     "original_text": "2025/R7", "comparator": "AtLeast"}],
    }]})


class SearchHit(Ref):
    kind: str | None = Field(None, description="クラス / class")
    matched: str = Field(description="一致した名称（別名を含む）/ the label that matched (altLabels too)")
    matched_lang: str | None = None
    score: float = Field(description="順位付けの得点 (1 = 完全一致) / rank score (1 = exact)")
    jurisdiction: JurisdictionRef | None = _jurisdiction_field()


class QueryParam(BaseModel):
    name: str = Field(description="変数名（? なし）/ variable name without ?")
    datatype: str = Field(description="型（iri, xsd:date …）/ declared type")
    default: str | None = Field(None, description="既定値 / default value")


class CannedQuery(BaseModel):
    name: str
    title: str
    description: str
    title_ja: str | None = None
    title_en: str | None = None
    description_ja: str | None = None
    description_en: str | None = None
    params: list[QueryParam] = Field(description="値としてバインドされるパラメータ / parameters bound as values")
    url: str
    text: str = Field(description="SPARQL 本文 / query text")


class ClassCount(Ref):
    count: int


class Overview(BaseModel):
    """グラフの収録内容 / what the graph holds."""

    triples: int
    graphs: list[str]
    counts: dict[str, int] = Field(description="主要な種類ごとの件数 / headline counts per kind")
    classes: list[ClassCount] = Field(description="クラスごとの件数 / count per class")

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "triples": 5000, "graphs": [], "classes": [],
        "counts": {"areas": 5, "directions": 18, "measures": 40, "indicators": 40},
    }]})


class Page(BaseModel):
    total: int = Field(description="全件数 / total items")
    limit: int
    offset: int
    lang: str


def page_of(item: type[BaseModel], name: str) -> type[BaseModel]:
    """A list response model ``{total, limit, offset, lang, items: [item]}``."""
    return type(name, (Page,), {"__annotations__": {"items": list[item]}, "__module__": __name__})


AreaPage = page_of(Area, "AreaPage")
DirectionPage = page_of(Direction, "DirectionPage")
MeasurePage = page_of(Measure, "MeasurePage")
NationalItemPage = page_of(NationalItem, "NationalItemPage")
NationalPlanPage = page_of(NationalPlan, "NationalPlanPage")
IndicatorPage = page_of(Indicator, "IndicatorPage")
SearchPage = page_of(SearchHit, "SearchPage")
QueryList = page_of(CannedQuery, "QueryList")


class ErrorBody(BaseModel):
    """共通のエラー形式 / the one error shape."""

    ok: bool = False
    status: int
    error: str
    errors: list = Field(default_factory=list)


__all__ = [
    "Ref", "JurisdictionRef", "NotationRef", "Area", "Direction", "SourceLocation", "Measure", "MeasureDetail", "NationalPlan",
    "NationalItem", "Baseline", "Target", "Indicator", "SearchHit", "QueryParam", "CannedQuery", "ClassCount", "Overview",
    "Page", "page_of", "AreaPage", "DirectionPage", "MeasurePage", "NationalItemPage", "NationalPlanPage",
    "IndicatorPage", "SearchPage", "QueryList", "ErrorBody",
]
