"""Words users see, in Japanese (default) and English: the one owner of the page languages, the UI
words and their :func:`t`, and the names of statuses, alignment relations, evidence kinds and entity
kinds (with the status colours).

Pages (``api``), the network view (``viz``) and the planner report (``report``) all take their words
from here, so a word is said the same way everywhere. Words that name an ontology term (a progress
status, an alignment relation, an evidence kind, an entity kind) are the ontology's own labels
(``rdfs:label`` / ``skos:prefLabel`` ``@ja`` / ``@en`` in ``ontology/policykg.ttl``), read once and
cached; :data:`UI` holds the page furniture only.

A core module: it imports the standard library, rdflib, :mod:`policykg.ontology` and
:mod:`policykg.namespaces` only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from enum import Enum
from functools import cache, cached_property
from typing import TypeVar

from rdflib import Literal, URIRef

from policykg.namespaces import DCTERMS, PK, PROV, QUDT, RDF, RDFS, SKOS, SOSA, TIME
from policykg.ontology import ontology_graph

LANGS = ("ja", "en")
"""The page languages, Japanese first."""
DEFAULT_LANG = "ja"
"""The built-in default language (a server may configure another, see :mod:`policykg.urls`);
also the language a word falls back to when it has none in the language asked for."""


class Lang(str, Enum):
    """The page languages as a closed choice (routes and the CLI)."""

    ja = "ja"
    en = "en"


assert tuple(Lang) == LANGS, "Lang and LANGS list the same languages"

UI: dict[str, dict[str, str]] = {
    # pages
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
    "gaps": {"ja": "ギャップ分析", "en": "Gap analysis"},
    "search": {"ja": "検索", "en": "Search"},
    "search_placeholder": {"ja": "名称で検索（例: MaaS）", "en": "Search labels (e.g. MaaS)"},
    "json": {"ja": "JSON 版", "en": "JSON version"},
    "lang_switch": {"ja": "English", "en": "日本語"},
    "intro": {"ja": "国のデジタル政策と地方の計画の対応関係を RDF グラフとして収録しています。", "en": "National digital-policy plans and a local plan, linked as an RDF graph."},
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
    "tasks": {"ja": "目的から探す", "en": "Start from a task"},
    "task_trace": {"ja": "国の政策への追跡", "en": "Trace to national policy"},
    "task_trace_text": {"ja": "道の取組がどの国の施策を支えるか、根拠とともに確かめます。", "en": "Which national policies a local measure supports, and on what evidence."},
    "task_gaps": {"ja": "ギャップ分析", "en": "Gap analysis"},
    "task_gaps_text": {"ja": "道の取組が支えていない国の項目、数値目標や実績のない指標を一覧にします。", "en": "National items no local measure supports; indicators without targets or data."},
    "task_progress": {"ja": "指標の進捗", "en": "Indicator progress"},
    "task_progress_text": {"ja": "指標ごとに最新の実績、進捗状況、目標までの道筋を示します。", "en": "Latest value, status and the path to the target of each indicator."},
    "task_network": {"ja": "ネットワーク", "en": "Network"},
    "task_network_text": {"ja": "計画・施策・指標のつながりを図で見ます。", "en": "Plans, measures and indicators as an interactive network."},
    "task_sparql": {"ja": "SPARQL", "en": "SPARQL"},
    "task_sparql_text": {"ja": "定型クエリや自由なクエリでグラフを直接調べます。", "en": "Query the graph directly, with canned or your own queries."},
    "browse_by_kind": {"ja": "種類から探す", "en": "Browse by kind"},
    "pick_jurisdiction": {"ja": "団体を選ぶと、その計画の分野と施策の展開方針が表示されます。",
                          "en": "Pick a government to see its plan's areas and policy directions."},
    "find_measure": {"ja": "取組名で探す", "en": "Find a measure by name"},
    "all_measures": {"ja": "主な取組の一覧", "en": "All measures"},
    "supports_national": {"ja": "この取組が支える国の政策", "en": "National policies this measure supports"},
    "supports_national_local": {"ja": "この項目が支える国の政策", "en": "National policies this item supports"},
    "supports_nothing_local": {"ja": "この項目は、国の項目と直接には対応付けられていません。", "en": "This item is not aligned to any national item directly."},
    "national_item": {"ja": "国の項目", "en": "National item"},
    "relation": {"ja": "関係", "en": "Relation"},
    "evidence": {"ja": "根拠", "en": "Evidence"},
    "rationale": {"ja": "理由", "en": "Rationale"},
    "curator": {"ja": "判断した人", "en": "Curator"},
    "date": {"ja": "日付", "en": "Date"},
    "source_slide_line": {"ja": "出典（スライド・行）", "en": "Source (slide, line)"},
    "csv_row": {"ja": "対応付けファイルの行", "en": "alignment file line"},
    "score": {"ja": "スコア", "en": "score"},
    "chain": {"ja": "国の計画までのつながり", "en": "Chain up to the national plan"},
    "chain_item": {"ja": "項目", "en": "Item"},
    "upper_items": {"ja": "上位の柱・戦略", "en": "Pillar and strategy above"},
    "law": {"ja": "根拠法", "en": "Law"},
    "agency": {"ja": "所管", "en": "Agency"},
    "local_directions": {"ja": "この取組の施策の展開方針", "en": "Policy directions of this measure"},
    "supports_nothing": {"ja": "この取組は、国の項目とまだ対応付けられていません。", "en": "This measure is not yet aligned to any national item."},
    "suggestions": {"ja": "候補（自動推定・未確認）", "en": "Candidates (inferred, unreviewed)"},
    "suggestions_note": {"ja": "文言の類似度による候補です。採用するには policykg align accept で対応付けを記録します。", "en": "Ranked by wording similarity. Record one with policykg align accept."},
    "supporters_title": {"ja": "この項目を支える地方の取組", "en": "Local measures supporting this item"},
    "rolled_up": {"ja": "下位の項目に対応付けられた取組も含みます。", "en": "Includes measures aligned to the items below it."},
    "no_local_measure": {"ja": "この項目を支える地方の取組はありません。", "en": "No local measure supports this item."},
    "jurisdiction": {"ja": "自治体", "en": "Jurisdiction"},
    "all_jurisdictions": {"ja": "すべての自治体", "en": "All jurisdictions"},
    "show": {"ja": "表示", "en": "Show"},
    "jurisdictions": {"ja": "自治体", "en": "Jurisdictions"},
    "by_jurisdiction": {"ja": "自治体ごとの取組", "en": "What each jurisdiction does"},
    "national_item_jurisdictions": {"ja": "国の項目を支える自治体", "en": "Jurisdictions supporting national items"},
    "national_item_jurisdictions_text": {
        "ja": "国の項目ごとに、その項目（または下位項目）を明示または確認済みの対応付けで支える施策を持つ自治体と施策の数。"
              "項目名から、各自治体の取組の一覧へ進めます。",
        "en": "Per national item, the jurisdictions with measures supporting it (or a sub-item) through a stated or "
              "curated alignment, and how many. Follow an item to see what each jurisdiction does for it."},
    "jurisdiction_count": {"ja": "自治体数", "en": "Jurisdictions"},
    "measure_count": {"ja": "施策数", "en": "Measures"},
    "areas_of": {"ja": "分野", "en": "Areas"},
    "jurisdiction_unknown": {"ja": "自治体の記載なし", "en": "Jurisdiction not stated"},
    "via": {"ja": "対応付け先", "en": "Aligned to"},
    "supporting_directions": {"ja": "この項目に対応する施策の展開方針・ロードマップ", "en": "Directions and roadmap rows aligned to this item"},
    "related_indicators": {"ja": "関連する指標", "en": "Related indicators"},
    "csv": {"ja": "CSV", "en": "CSV"},
    "excel": {"ja": "Excel", "en": "Excel"},
    "gaps_page": {"ja": "ギャップ分析", "en": "Gap analysis"},
    "gaps_intro": {"ja": "国の計画と地方の計画のずれと、指標の進捗状況です。基準日を変えると再計算します。", "en": "Where the local plan does not line up with the national plans, and indicator progress. Change the as-of date to recompute."},
    "as_of": {"ja": "基準日", "en": "As of"},
    "recompute": {"ja": "再計算", "en": "Recompute"},
    "coverage": {"ja": "国の柱 × 地方の分野（支える取組の数）", "en": "National pillars × local areas (supporting measures)"},
    "coverage_caption": {"ja": "各セルは、その柱の項目を支える、その分野の取組の数です。色が濃いほど多く、0 は薄い灰色です。", "en": "Each cell counts the measures of the area that support an item of the pillar; darker = more, 0 = pale grey."},
    "pillar": {"ja": "国の柱", "en": "National pillar"},
    "gap_lists": {"ja": "ギャップの一覧", "en": "Gap lists"},
    "status_summary": {"ja": "指標の状況", "en": "Indicator status"},
    "none_found": {"ja": "該当はありません。", "en": "None."},
    "detail": {"ja": "補足", "en": "Detail"},
    "items_count": {"ja": "件", "en": "items"},
    "progress_title": {"ja": "指標の進捗", "en": "Indicator progress"},
    "status": {"ja": "状況", "en": "Status"},
    "latest": {"ja": "最新の実績", "en": "Latest value"},
    "trend": {"ja": "傾向", "en": "Trend"},
    "trend_up": {"ja": "↑ 増加", "en": "↑ rising"},
    "trend_down": {"ja": "↓ 減少", "en": "↓ falling"},
    "trend_flat": {"ja": "→ 横ばい", "en": "→ flat"},
    "trend_none": {"ja": "—", "en": "—"},
    "better_up": {"ja": "大きいほど良い", "en": "higher is better"},
    "better_down": {"ja": "小さいほど良い", "en": "lower is better"},
    "maintain": {"ja": "維持", "en": "maintain"},
    "ratio": {"ja": "進捗比 R", "en": "Ratio R"},
    "period_total": {"ja": "期間累計", "en": "Period total"},
    "chart": {"ja": "推移のグラフ", "en": "Chart"},
    "chart_table": {"ja": "グラフの数値", "en": "Numbers in the chart"},
    "series_baseline": {"ja": "基準値", "en": "Baseline"},
    "series_target": {"ja": "目標値", "en": "Target"},
    "series_observation": {"ja": "実績値", "en": "Observation"},
    "series_path": {"ja": "目標までの道筋", "en": "Path to target"},
    "value": {"ja": "値", "en": "Value"},
    "qualitative_note": {"ja": "推進目標（数値目標なし）の指標です。", "en": "A promotion goal (no numeric target)."},
    "numeric_indicators": {"ja": "数値指標", "en": "Numeric indicators"},
    "qualitative_indicators": {"ja": "推進目標の指標", "en": "Promotion-goal indicators"},
    "no_observation": {"ja": "実績値はまだありません。", "en": "No observation yet."},
    "unit": {"ja": "単位", "en": "Unit"},
    "method": {"ja": "算出方法", "en": "Method"},
    "skip_link": {"ja": "本文へ移動", "en": "Skip to content"},
    "main_nav": {"ja": "主なページ", "en": "Main pages"},
    "alignment_of": {"ja": "対応付け", "en": "Alignment"},
    "share_link": {"ja": "このクエリへのリンク", "en": "Link to this query"},
    "obs_title": {"ja": "実績値の登録", "en": "Upload observations"},
    "obs_intro": {"ja": "指標の実績値を CSV（UTF-8）または Excel（.xlsx、最初のシート）で登録します。列はひな形と同じです。1 行でも誤りがあれば何も登録しません。登録すると進捗をすぐに計算し直します。", "en": "Upload indicator values as a UTF-8 CSV or an Excel workbook (first sheet) with the template's columns. One bad row and nothing is loaded. Progress is recomputed at once."},
    "obs_template": {"ja": "ひな形（CSV）", "en": "Template (CSV)"},
    "obs_file": {"ja": "ファイル（.csv または .xlsx）", "en": "File (.csv or .xlsx)"},
    "obs_token": {"ja": "API トークン", "en": "API token"},
    "obs_upload": {"ja": "検証して登録", "en": "Validate and upload"},
    "obs_refused": {"ja": "登録できませんでした", "en": "Not uploaded"},
    "obs_nothing_loaded": {"ja": "何も登録していません。次の箇所を直して、もう一度お試しください。", "en": "Nothing was loaded. Fix the following and try again."},
    "obs_column": {"ja": "列", "en": "Column"},
    "obs_loaded": {"ja": "登録しました", "en": "Uploaded"},
    "obs_read_only": {"ja": "このサーバーは読み取り専用です（API トークンが設定されていません）。", "en": "This server is read-only (no API token is configured)."},
    # the planner report (HTML page and workbook)
    "report_title": {"ja": "政策整合ギャップ報告書", "en": "Policy alignment gap report"},
    "summary": {"ja": "概要", "en": "Summary"},
    "coverage_sheet": {"ja": "対応状況", "en": "Coverage"},
    "charts": {"ja": "指標のグラフ（基準値・目標・道筋・最新の実績）", "en": "Indicator charts (baseline, target, path, latest value)"},
    "indicator": {"ja": "指標", "en": "Indicator"},
    "progress": {"ja": "進み具合", "en": "Progress"},
    "iri": {"ja": "IRI", "en": "IRI"},
    "no_pillar": {"ja": "（柱なし）", "en": "(no pillar)"},
    "footer": {"ja": "policykg が生成。状況の規則は docs/progress.md、各一覧の定義は docs/gaps.md を参照。", "en": "Generated by policykg. Status rules: docs/progress.md; list definitions: docs/gaps.md."},
    # gap lists: section titles, and their Excel sheet names (at most 31 characters, none of []:*?/\\)
    "national_items_without_measures": {"ja": "地方の施策に支えられていない国の項目", "en": "National items without supporting measures"},
    "measures_without_alignment": {"ja": "国の項目と対応付けられていない施策", "en": "Measures without alignment"},
    "directions_without_numeric_indicator": {"ja": "数値目標のない施策の展開方針", "en": "Directions without a numeric indicator"},
    "indicators_without_baseline": {"ja": "基準値のない数値指標", "en": "Indicators without a baseline"},
    "indicators_without_target": {"ja": "目標値のない数値指標", "en": "Indicators without a target"},
    "indicators_past_target_without_observation": {"ja": "目標年度を過ぎても実績値のない指標", "en": "Past target date without observation"},
    "roadmap_rows_without_measure_or_indicator": {"ja": "施策・指標のないロードマップ区分", "en": "Roadmap rows without measure or indicator"},
    "roadmap_phases_without_measure_or_indicator": {"ja": "施策・指標のないロードマップ段階", "en": "Roadmap phases without measure or indicator"},
    "sheet_national_items_without_measures": {"ja": "未対応の国の項目", "en": "National items unsupported"},
    "sheet_measures_without_alignment": {"ja": "未対応の施策", "en": "Measures unaligned"},
    "sheet_directions_without_numeric_indicator": {"ja": "数値目標なしの方針", "en": "Directions no numeric"},
    "sheet_indicators_without_baseline": {"ja": "基準値なし", "en": "No baseline"},
    "sheet_indicators_without_target": {"ja": "目標値なし", "en": "No target"},
    "sheet_indicators_past_target_without_observation": {"ja": "期限経過・実績なし", "en": "Past target no data"},
    "sheet_roadmap_rows_without_measure_or_indicator": {"ja": "ロードマップ区分", "en": "Roadmap rows"},
    "sheet_roadmap_phases_without_measure_or_indicator": {"ja": "ロードマップ段階", "en": "Roadmap phases"},
    # the network view
    "kind_plan": {"ja": "計画", "en": "Plan"},
    "kind_pillar_group": {"ja": "柱のグループ", "en": "Pillar group"},
    "kind_pillar": {"ja": "柱・基本戦略", "en": "Pillar / strategy"},
    "ev_structure": {"ja": "計画の構造", "en": "plan structure"},
    "dashed_with_score": {"ja": "（破線・スコア付き）", "en": " (dashed, with score)"},
    "network_title": {"ja": "政策整合ネットワーク", "en": "Policy alignment network"},
    "node_search_placeholder": {"ja": "ラベルで検索（日本語・英語）", "en": "Search labels (Japanese or English)"},
    "no_match": {"ja": "一致するノードはありません", "en": "No matching node"},
    "candidates": {"ja": "候補", "en": "Candidates"},
    "filters": {"ja": "絞り込み", "en": "Filters"},
    "all": {"ja": "すべて", "en": "All"},
    "kinds": {"ja": "種別", "en": "Kinds"},
    "min_score": {"ja": "推定の最小スコア", "en": "Minimum inferred score"},
    "reset_filters": {"ja": "絞り込みを解除", "en": "Clear filters"},
    "legend": {"ja": "凡例", "en": "Legend"},
    "relations": {"ja": "関係", "en": "Relations"},
    "no_status": {"ja": "評価なし", "en": "not assessed"},
    "other_label": {"ja": "英語表記", "en": "Japanese label"},
    "alt_labels": {"ja": "別表記", "en": "Other wordings"},
    "connections": {"ja": "つながり", "en": "Connections"},
    "links": {"ja": "リンク", "en": "Links"},
    "entity_page": {"ja": "詳細ページ", "en": "Entity page"},
    "focus": {"ja": "周辺を表示", "en": "Show neighbourhood"},
    "hops": {"ja": "ホップ数", "en": "Hops"},
    "show_all": {"ja": "すべて表示", "en": "Show all"},
    "close": {"ja": "閉じる", "en": "Close"},
    "shown": {"ja": "表示中", "en": "Shown"},
    "nodes": {"ja": "ノード", "en": "nodes"},
    "edges": {"ja": "エッジ", "en": "edges"},
    # the network view at scale: groups (issue 13)
    "group_national": {"ja": "国の計画ごとのまとまり", "en": "Group: national plan"},
    "group_jurisdiction": {"ja": "自治体ごとのまとまり", "en": "Group: jurisdiction"},
    "group_area": {"ja": "分野ごとのまとまり", "en": "Group: policy area"},
    "group_plan": {"ja": "計画ごとのまとまり", "en": "Group: plan"},
    "group_other": {"ja": "その他のまとまり", "en": "Group: other"},
    "group_other_label": {"ja": "その他", "en": "Other"},
    "groups": {"ja": "まとまり", "en": "Groups"},
    "group_note": {"ja": "ノードが多いため、まとまりごとに表示しています。まとまりを選んで展開できます。",
                   "en": "There are many nodes, so they are shown in groups. Choose a group to expand it."},
    "group_choice": {"ja": "展開するまとまり", "en": "Group to expand"},
    "expand": {"ja": "展開する", "en": "Expand"},
    "expanding": {"ja": "読み込み中…", "en": "Loading…"},
    "expanded": {"ja": "展開しました", "en": "Expanded"},
    "expand_failed": {"ja": "展開できませんでした", "en": "Could not expand"},
    "group_members": {"ja": "含まれるノード", "en": "Nodes in the group"},
    "group_links": {"ja": "つながりの数", "en": "Links"},
    "group_alone": {"ja": "このまとまりだけを表示", "en": "Show this group alone"},
    "partly_shown": {"ja": "一部のみ展開", "en": "Partly expanded"},
    "node_total": {"ja": "全体", "en": "In all"},
}
"""UI word key → {lang: text}: page furniture, report headings, gap-list titles, network-view controls."""

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
"""Names for reused vocabulary terms (SKOS, PROV, …) that the ontology does not label itself."""

STATUS_COLOUR: dict[str, str] = {
    "achieved": "#1a7f37", "on_track": "#2da44e", "acceleration_needed": "#bf8700", "limited_progress": "#d1242f",
    "deterioration": "#82071e", "target_passed_no_data": "#57606a", "no_data": "#8c959f",
    "insufficient_data": "#8c959f", "no_target": "#afb8c1",
}
"""Progress status key → colour (white text reads on each), in the ontology's order of ``pk:ProgressStatus``.

A status key is the local name of its ``pk:Status…`` individual in snake case (``on_track`` ↔
``pk:StatusOnTrack``): see :func:`status_key` and :func:`status_term`.
"""

KIND_TERMS: dict[str, URIRef] = {
    "area": PK.PolicyArea,
    "direction": PK.PolicyDirection,
    "measure": PK.Measure,
    "indicator": PK.Indicator,
    "phase": PK.RoadmapPhase,
    "roadmap_row": PK.RoadmapRow,
    "national_item": PK.NationalItem,
}
"""Entity kind key → the ontology class whose label names it. The kinds that gather several classes
with no common label (``plan``, ``pillar_group``, ``pillar``) are named by :data:`UI` (``kind_<key>``)."""

ONTOLOGY_WORDS: dict[str, URIRef] = {
    "rel_supports": PK.Supports,
    "rel_contributes_to": PK.ContributesTo,
    "ev_stated": PK.Stated,
    "ev_curated": PK.Curated,
    "ev_inferred": PK.Inferred,
    **{f"kind_{key}": term for key, term in KIND_TERMS.items()},
}
"""UI word keys whose word is an ontology label (``status_<key>`` keys are too, see :func:`status_term`)."""


def status_key(name: str) -> str:
    """The status key of a ``pk:Status…`` individual (its IRI or local name).

    >>> status_key("StatusTargetPassedNoData"), status_key(str(PK.StatusOnTrack))
    ('target_passed_no_data', 'on_track')
    """
    local = str(name).replace("#", "/").rpartition("/")[2].removeprefix("Status")
    return "".join("_" + c.lower() if c.isupper() else c for c in local).lstrip("_")


def status_term(key: str) -> URIRef:
    """The ``pk:Status…`` individual of a status key.

    >>> status_term("no_target") == PK.StatusNoTarget
    True

    :data:`STATUS_COLOUR` lists the ontology's statuses, in its order:

    >>> from rdflib.collection import Collection
    >>> from policykg.namespaces import OWL
    >>> graph = ontology_graph()
    >>> [status_key(s) for s in Collection(graph, graph.value(PK.ProgressStatus, OWL.oneOf))] == list(STATUS_COLOUR)
    True
    """
    return PK["Status" + "".join(part.title() for part in key.split("_"))]


@cache
def _ontology_labels() -> dict[str, dict[str, str]]:
    """Term IRI → {lang: label} from the ontology (skos:prefLabel over rdfs:label), read once."""
    graph = ontology_graph()
    labels: dict[str, dict[str, str]] = {}
    for predicate in (RDFS.label, SKOS.prefLabel):  # prefLabel last: it wins
        for term, _, label in graph.triples((None, predicate, None)):
            if isinstance(label, Literal) and label.language:
                labels.setdefault(str(term), {})[label.language] = str(label)
    return labels


def _pick(entry: Mapping[str, str], lang: str) -> str:
    return entry.get(lang) or entry[DEFAULT_LANG]


def term_label(iri: str, lang: str) -> str | None:
    """The name of a reused vocabulary term (:data:`TERM_LABELS`), or ``None``.

    >>> term_label(str(SKOS.broader), "en"), term_label(str(PK.Measure), "en")
    ('broader', None)
    """
    entry = TERM_LABELS.get(str(iri))
    return _pick(entry, lang) if entry else None


def term_word(iri: str, lang: str) -> str | None:
    """The name of a term: the ontology's label, else the name of a reused vocabulary term, else ``None``.

    >>> term_word(PK.Supports, "ja"), term_word(PK.Supports, "en"), term_word(SKOS.broader, "ja")
    ('推進する', 'supports', '上位')
    """
    entry = _ontology_labels().get(str(iri))
    return _pick(entry, lang) if entry else term_label(iri, lang)


def t(key: str, lang: str) -> str:
    """The word ``key`` in ``lang`` (Japanese when there is none in ``lang``): a UI word of :data:`UI`,
    or the ontology's label for a status (``status_<key>``), relation, evidence or kind key.

    >>> t("measures", "en"), t("measures", "ja"), t("status", "fr")
    ('Measures', '主な取組', '状況')
    >>> t("status_no_target", "ja"), t("rel_supports", "ja"), t("ev_curated", "en")
    ('数値目標なし', '推進する', 'curated')
    """
    entry = UI.get(key)
    if entry is not None:
        return _pick(entry, lang)
    if key.startswith("status_") and key[len("status_"):] in STATUS_COLOUR:
        term = status_term(key[len("status_"):])
    else:
        term = ONTOLOGY_WORDS[key]
    word = term_word(term, lang)
    if word is None:
        raise KeyError(f"the ontology has no label for {term}")
    return word


def status_word(key: str, lang: str) -> str:
    """The name of a progress status (the ontology's label of ``pk:Status…``).

    >>> status_word("target_passed_no_data", "en"), status_word("on_track", "ja")
    ('target date passed, no data', '順調')
    """
    return t(f"status_{key}", lang)


def kind_word(key: str, lang: str) -> str:
    """The name of an entity kind of the network view: the ontology label of its class (English
    capitalised, as a heading), or the UI word of a kind that gathers several classes.

    >>> kind_word("area", "en"), kind_word("national_item", "ja"), kind_word("pillar_group", "en")
    ('Policy area', '国の計画項目', 'Pillar group')
    """
    word = t(f"kind_{key}", lang)
    return word[:1].upper() + word[1:]


V = TypeVar("V")


class WordTable(Mapping[str, V]):
    """A read-only table whose rows hold words from the ontology: built on first use (so importing a
    module that keeps one never reads the ontology), then kept."""

    def __init__(self, keys: Callable[[], Iterable[str]], row: Callable[[str], V]) -> None:
        self._keys, self._row = keys, row

    @cached_property
    def _rows(self) -> dict[str, V]:
        return {key: self._row(key) for key in self._keys()}

    def __getitem__(self, key: str) -> V:
        return self._rows[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._rows)

    def __len__(self) -> int:
        return len(self._rows)

    def __repr__(self) -> str:
        return repr(self._rows)


STATUS: Mapping[str, dict[str, str]] = WordTable(lambda: STATUS_COLOUR, lambda key: {lang: status_word(key, lang) for lang in LANGS})
"""Progress status key → {lang: word}, in the ontology's order (the words are the ontology's labels).

>>> STATUS["no_target"], list(STATUS)[:2]
({'ja': '数値目標なし', 'en': 'no target'}, ['achieved', 'on_track'])
"""

SECTIONS: Mapping[str, dict[str, str]] = {key: entry for key, entry in UI.items() if f"sheet_{key}" in UI}
"""Gap list key → {lang: section title} (a view of :data:`UI`: the keys that have an Excel sheet name,
``sheet_<key>``); the lists themselves are :data:`policykg.graph.analysis.gaps.GAP_LISTS`."""


__all__ = [
    "LANGS", "DEFAULT_LANG", "Lang", "UI", "TERM_LABELS", "t", "term_label", "term_word",
    "STATUS", "STATUS_COLOUR", "WordTable", "status_key", "status_term", "status_word",
    "KIND_TERMS", "ONTOLOGY_WORDS", "kind_word", "SECTIONS",
]
