"""UI strings in Japanese (default) and English, and names for the reused vocabulary terms.

Labels of our own ontology terms come from the ontology itself; this table only covers the page
furniture and the few external terms (SKOS, PROV, …) the ontology does not label.
"""

from __future__ import annotations

from policykg.namespaces import DCTERMS, PROV, QUDT, RDF, RDFS, SKOS, SOSA, TIME

STRINGS: dict[str, dict[str, str]] = {
    "site_title": {"ja": "政策整合ナレッジグラフ", "en": "Policy alignment knowledge graph"},
    "home": {"ja": "ホーム", "en": "Home"},
    "areas": {"ja": "分野", "en": "Areas"},
    "directions": {"ja": "施策の展開方針", "en": "Policy directions"},
    "measures": {"ja": "主な取組", "en": "Measures"},
    "national_items": {"ja": "国の計画の項目", "en": "National plan items"},
    "national_plans": {"ja": "国の計画", "en": "National plans"},
    "indicators": {"ja": "指標", "en": "Indicators"},
    "alignments": {"ja": "対応付け", "en": "Alignments"},
    "roadmap_phases": {"ja": "ロードマップの段階", "en": "Roadmap phases"},
    "query": {"ja": "SPARQL コンソール", "en": "SPARQL console"},
    "docs": {"ja": "API 仕様", "en": "API reference"},
    "viz": {"ja": "ネットワーク表示", "en": "Network view"},
    "gaps": {"ja": "ギャップ分析 (JSON)", "en": "Gap report (JSON)"},
    "search": {"ja": "検索", "en": "Search"},
    "search_placeholder": {"ja": "名称で検索（例: MaaS）", "en": "Search labels (e.g. MaaS)"},
    "json": {"ja": "JSON 版", "en": "JSON version"},
    "lang_switch": {"ja": "English", "en": "日本語"},
    "intro": {
        "ja": "国のデジタル政策と地方の計画の対応関係を RDF グラフとして収録しています。",
        "en": "National digital-policy plans and a local plan, linked as an RDF graph.",
    },
    "holds": {"ja": "収録内容", "en": "What the graph holds"},
    "entry_points": {"ja": "入口", "en": "Entry points"},
    "triples": {"ja": "トリプル数", "en": "Triples"},
    "count": {"ja": "件数", "en": "Count"},
    "label": {"ja": "名称", "en": "Label"},
    "kind": {"ja": "種別", "en": "Kind"},
    "plan": {"ja": "計画", "en": "Plan"},
    "parent": {"ja": "上位項目", "en": "Parent"},
    "area": {"ja": "分野", "en": "Area"},
    "notation": {"ja": "番号", "en": "No."},
    "baseline": {"ja": "基準値", "en": "Baseline"},
    "target": {"ja": "目標値", "en": "Target"},
    "due": {"ja": "期限", "en": "Due"},
    "promotion_goal": {"ja": "推進目標", "en": "Promotion goal"},
    "evaluates": {"ja": "評価対象", "en": "Evaluates"},
    "labels": {"ja": "名称", "en": "Labels"},
    "types": {"ja": "クラス", "en": "Classes"},
    "outgoing": {"ja": "この対象からの関係", "en": "Relations from this entity"},
    "incoming": {"ja": "この対象への関係", "en": "Relations to this entity"},
    "source": {"ja": "出典箇所", "en": "Source location"},
    "slide": {"ja": "スライド", "en": "Slide"},
    "section": {"ja": "見出し", "en": "Section"},
    "line": {"ja": "行", "en": "Line"},
    "document": {"ja": "資料", "en": "Document"},
    "trace": {"ja": "国の計画への追跡 (JSON)", "en": "Trace to national plans (JSON)"},
    "supporters": {"ja": "支える道の取組 (JSON)", "en": "Supporting local measures (JSON)"},
    "formats": {"ja": "RDF 形式", "en": "RDF formats"},
    "run": {"ja": "実行", "en": "Run"},
    "examples": {"ja": "定型クエリ（例）", "en": "Canned queries (examples)"},
    "results": {"ja": "結果", "en": "Results"},
    "rows": {"ja": "行", "en": "rows"},
    "download": {"ja": "ダウンロード", "en": "Download"},
    "no_results": {"ja": "該当なし", "en": "No results"},
    "error": {"ja": "エラー", "en": "Error"},
    "truncated": {"ja": "表示件数の上限に達したため一部のみ表示しています。", "en": "Only the first rows are shown (row cap)."},
    "operations": {"ja": "操作一覧", "en": "Operations"},
    "parameters": {"ja": "パラメータ", "en": "Parameters"},
    "matched": {"ja": "一致した名称", "en": "Matched label"},
    "openapi_json": {"ja": "OpenAPI (JSON)", "en": "OpenAPI (JSON)"},
}
"""UI string key → {lang: text}."""

TERM_LABELS: dict[str, dict[str, str]] = {
    str(RDF.type): {"ja": "種別", "en": "type"},
    str(RDFS.label): {"ja": "ラベル", "en": "label"},
    str(RDFS.comment): {"ja": "説明", "en": "comment"},
    str(SKOS.prefLabel): {"ja": "名称", "en": "preferred label"},
    str(SKOS.altLabel): {"ja": "別名", "en": "alternative label"},
    str(SKOS.notation): {"ja": "番号", "en": "notation"},
    str(SKOS.broader): {"ja": "上位", "en": "broader"},
    str(SKOS.narrower): {"ja": "下位", "en": "narrower"},
    str(SKOS.inScheme): {"ja": "所属する計画", "en": "in scheme"},
    str(SKOS.topConceptOf): {"ja": "最上位項目の計画", "en": "top concept of"},
    str(SKOS.exactMatch): {"ja": "同一の概念", "en": "exact match"},
    str(SKOS.Concept): {"ja": "概念", "en": "concept"},
    str(SKOS.ConceptScheme): {"ja": "概念体系", "en": "concept scheme"},
    str(DCTERMS.title): {"ja": "題名", "en": "title"},
    str(DCTERMS.description): {"ja": "説明", "en": "description"},
    str(DCTERMS.created): {"ja": "作成日", "en": "created"},
    str(DCTERMS.source): {"ja": "出典", "en": "source"},
    str(PROV.wasDerivedFrom): {"ja": "出典資料", "en": "derived from"},
    str(PROV.wasAttributedTo): {"ja": "担当者", "en": "attributed to"},
    str(PROV.generatedAtTime): {"ja": "作成日時", "en": "generated at"},
    str(PROV.wasGeneratedBy): {"ja": "生成処理", "en": "generated by"},
    str(PROV.used): {"ja": "使用したデータ", "en": "used"},
    str(PROV.Entity): {"ja": "実体 (PROV)", "en": "entity (PROV)"},
    str(SOSA.observedProperty): {"ja": "観測対象", "en": "observed property"},
    str(SOSA.phenomenonTime): {"ja": "時点", "en": "phenomenon time"},
    str(SOSA.Observation): {"ja": "観測", "en": "observation"},
    str(TIME.inXSDDate): {"ja": "日付", "en": "date"},
    str(TIME.unitType): {"ja": "時間単位", "en": "unit type"},
    str(TIME.hasBeginning): {"ja": "開始", "en": "beginning"},
    str(TIME.hasEnd): {"ja": "終了", "en": "end"},
    str(TIME.Instant): {"ja": "時点", "en": "instant"},
    str(TIME.unitYear): {"ja": "年", "en": "year"},
    str(TIME.unitMonth): {"ja": "月", "en": "month"},
    str(TIME.unitDay): {"ja": "日", "en": "day"},
    str(QUDT.numericValue): {"ja": "数値", "en": "numeric value"},
    str(QUDT.unit): {"ja": "単位", "en": "unit"},
    str(TIME.ProperInterval): {"ja": "期間", "en": "interval"},
}
"""Names for reused vocabulary terms the ontology does not label itself."""


def t(key: str, lang: str) -> str:
    """The UI string ``key`` in ``lang`` (Japanese when English is missing).

    >>> t("measures", "en"), t("measures", "ja")
    ('Measures', '主な取組')
    """
    entry = STRINGS[key]
    return entry.get(lang) or entry["ja"]


def term_label(iri: str, lang: str) -> str | None:
    """The table's name for a reused vocabulary term, or ``None``."""
    entry = TERM_LABELS.get(str(iri))
    return (entry.get(lang) or entry["ja"]) if entry else None


__all__ = ["STRINGS", "TERM_LABELS", "t", "term_label"]
