"""User-facing strings of the network page, Japanese first; the page switches language client-side."""

from __future__ import annotations

from enum import Enum

UI_TEXT: dict[str, dict[str, str]] = {
    "ja": {
        "title": "政策整合ネットワーク",
        "langButton": "English",
        "search": "検索",
        "searchPlaceholder": "ラベルで検索（日本語・英語）",
        "noMatch": "一致するノードはありません",
        "candidates": "候補",
        "filters": "絞り込み",
        "plan": "計画",
        "area": "分野",
        "all": "すべて",
        "kinds": "種類",
        "evidence": "根拠",
        "minScore": "推定の最小スコア",
        "reset": "絞り込みを解除",
        "legend": "凡例",
        "relations": "関係",
        "statuses": "指標の進捗",
        "noStatus": "評価なし",
        "kind": "種類",
        "otherLabel": "英語表記",
        "altLabels": "別表記",
        "source": "出典",
        "slide": "スライド",
        "line": "行",
        "alignments": "対応付け",
        "connections": "つながり",
        "score": "スコア",
        "rationale": "理由",
        "links": "リンク",
        "entityPage": "詳細ページ",
        "trace": "国の計画までのトレース (JSON)",
        "supporters": "支える道の取組 (JSON)",
        "focus": "周辺を表示",
        "hops": "ホップ数",
        "showAll": "すべて表示",
        "close": "閉じる",
        "status": "進捗",
        "shown": "表示中",
        "nodes": "ノード",
        "edges": "エッジ",
        "none": "なし",
    },
    "en": {
        "title": "Policy alignment network",
        "langButton": "日本語",
        "search": "Search",
        "searchPlaceholder": "Search labels (Japanese or English)",
        "noMatch": "No matching node",
        "candidates": "Candidates",
        "filters": "Filters",
        "plan": "Plan",
        "area": "Area",
        "all": "All",
        "kinds": "Kinds",
        "evidence": "Evidence",
        "minScore": "Minimum inferred score",
        "reset": "Clear filters",
        "legend": "Legend",
        "relations": "Relations",
        "statuses": "Indicator progress",
        "noStatus": "not assessed",
        "kind": "Kind",
        "otherLabel": "Japanese label",
        "altLabels": "Other wordings",
        "source": "Source",
        "slide": "slide",
        "line": "line",
        "alignments": "Alignments",
        "connections": "Connections",
        "score": "score",
        "rationale": "Rationale",
        "links": "Links",
        "entityPage": "Entity page",
        "trace": "Trace to national plans (JSON)",
        "supporters": "Supporting local measures (JSON)",
        "focus": "Show neighbourhood",
        "hops": "Hops",
        "showAll": "Show all",
        "close": "Close",
        "status": "Progress",
        "shown": "Shown",
        "nodes": "nodes",
        "edges": "edges",
        "none": "none",
    },
}
LANGS = tuple(UI_TEXT)


class Lang(str, Enum):
    """Page languages (closed choice for the route and the CLI)."""

    ja = "ja"
    en = "en"


__all__ = ["UI_TEXT", "LANGS", "Lang"]
