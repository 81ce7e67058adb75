"""A national synthetic dataset: every Japanese local government (47 prefectures + 1,741 municipalities)
with a DX plan in the project's shape, built THROUGH THE WORKBOOK MODEL, streamed as N-Quads.

Why: the bundled data holds one real local plan (Hokkaido) and one small example (Oita); questions about
a national store (1,788 plans side by side, national items that many or no plans support) need data of
that shape and size. Nothing here is real except the prefectures' 全国地方公共団体コード.

How each plan is made: the rows a planner would type into the workbook (sheets 自治体, 計画, 分野, 展開方針,
施策, 指標, ロードマップ, ロードマップの段階, 対応付け, 実績; ``loaders/workbook/schema.py``) are generated,
wrapped in the reader's own in-memory model (:class:`~policykg.loaders.workbook.read.WorkbookData`,
``SheetData``, ``Row`` — what ``read_csv_folder`` returns) and turned into RDF by the project's parser
(:func:`policykg.loaders.workbook.parse_workbook`), so each graph is what ``policykg build --add
synthetic-<code>/`` would load for a CSV folder of those rows. Two things are added after parsing:

* ``pk:synthetic true`` on every IRI node of the graph (plan, areas, directions, measures, indicators,
  baselines, targets, roadmap parts, alignments, observations, the source document, the curator agent).
  ``pk:synthetic`` is the ontology's marker for made-up data (``loaders/observations.py`` writes it for
  test observations); the workbook has no column for it, so it is added here. Blank nodes (source
  locations, OWL-Time instants) are parts of a marked node. Labels say it too: 「合成市0001」,
  「…（合成データ）」, and every IRI carries the key ``synth-<code>``.
* Blank nodes get deterministic labels (``_:s<code>…``, from their owner, predicate and content), and
  each jurisdiction's lines are sorted, so the same seed gives byte-identical output.

Shape (at ``scale=1``, "realistic"): a prefecture ~5 areas, ~20 directions, ~80 measures, ~150
indicators; a designated city a little smaller; cities, Tokyo's special wards, towns and villages smaller
and varied (see :data:`PROFILES`). Indicators carry unit, baseline (value, date), one or two targets
(value, date, comparator 以上/以下/以上を維持), the better direction, and observations for FY2022–2024.
Measures carry roadmap years and about one alignment each to the national reference data's items
(``data/national/``), chosen with a seeded skew: a few items are popular, about a fifth are never used.
A size target (``--quads``) is met by scaling every plan's counts (areas and directions sub-linearly,
measures, indicators linearly); all 1,788 jurisdictions are always present.

CLI::

    .venv/bin/python benchmarks/national.py --quads 1000000 --seed 7 --out /tmp/national-1m.nq

API (pure; graphs come one jurisdiction at a time)::

    >>> from benchmarks.national import roster, generate
    >>> len(roster()), roster()[0].name, roster()[0].code, roster()[47].name
    (1788, '合成県01', '010006', '合成市0001')
    >>> key, graph = next(generate(seed=7, scale=0.05, jurisdictions=["020001"]))
    >>> key, str(graph.identifier).rsplit("/", 1)[-1]
    ('synth-020001', 'synthetic-020001')
"""

from __future__ import annotations

import argparse
import bisect
import hashlib
import json
import random
import resource
import sys
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef

if __name__ == "__main__" and __package__ in (None, ""):  # run as a script: make ``benchmarks`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from policykg.namespaces import PK, RDF, SKOS, XSD  # noqa: E402

SYNTHETIC_NOTE = "合成データ / synthetic"
"""The wording ``benchmarks/synthetic.py`` uses for its rationales; reused in rationales and observation notes."""

# --- the roster: 47 prefectures and 1,741 municipalities -------------------------------------------

PREFECTURE_MUNICIPALITIES = (
    179, 40, 33, 35, 25, 35, 59, 44, 25, 35, 63, 54, 62, 33, 30, 15, 19, 17, 27, 77, 42, 35, 54, 29,
    19, 26, 43, 41, 39, 30, 19, 19, 27, 23, 19, 24, 17, 20, 34, 60, 20, 21, 45, 18, 26, 43, 41,
)
"""Municipalities per prefecture (prefecture codes 01–47), summing to 1,741 (Tokyo's 62 include the 23 wards)."""

MUNICIPALITY_KINDS = {"city": 792, "town": 743, "village": 183, "ward": 23}
"""市 792, 町 743, 村 183 and Tokyo's 23 特別区: 1,741."""

DESIGNATED_CITIES = {1: 1, 4: 1, 11: 1, 12: 1, 14: 3, 15: 1, 22: 2, 23: 1, 26: 1, 27: 2, 28: 1, 33: 1, 34: 1, 40: 2, 43: 1}
"""政令指定都市 per prefecture (20 in all): the first cities of those prefectures get the larger profile."""

_KIND_JA = {"prefecture": "県", "designated": "市", "city": "市", "ward": "区", "town": "町", "village": "村"}
_KIND_EN = {"prefecture": "Prefecture", "designated": "City", "city": "City", "ward": "Ward", "town": "Town",
            "village": "Village"}


def check_digit(five: str) -> str:
    """The JIS X 0402 / 総務省 check digit of a 5-digit code: ``(11 - Σ dᵢ·(6,5,4,3,2) mod 11) mod 10``.

    >>> check_digit("01000"), check_digit("13000"), check_digit("47000")
    ('6', '1', '7')
    """
    total = sum(int(d) * w for d, w in zip(five, (6, 5, 4, 3, 2)))
    return str((11 - total % 11) % 10)


@dataclass(frozen=True)
class Jurisdiction:
    """One government: workbook key (``synth-<code>``), 6-digit code, synthetic names, kind, prefecture number."""

    code: str
    name: str
    name_en: str
    kind: str  # prefecture | designated | city | ward | town | village
    prefecture: int

    @property
    def key(self) -> str:
        return f"synth-{self.code}"

    @property
    def file(self) -> str:
        """The workbook's (CSV folder's) name: it names the named graph and the source document."""
        return f"synthetic-{self.code}"


@lru_cache(maxsize=1)
def roster() -> tuple[Jurisdiction, ...]:
    """All 1,788 jurisdictions: prefectures first (real codes 010006…470007), then municipalities by prefecture.

    Municipal codes are synthetic: the prefecture's two digits, a municipal part from 801 upwards (real
    codes use 1xx for wards, 2xx for cities and 3xx–7xx for towns and villages, so none is a real code),
    and the check digit. Names are 「合成県01」, 「合成市0001」, 「合成町0001」, 「合成村0001」, 「合成区0001」.
    Cities, towns and villages are spread over the prefectures in proportion to their size (largest
    remainder), so every prefecture has cities; Tokyo (13) has the 23 wards.

    >>> r = roster(); len(r), sum(j.kind == "prefecture" for j in r), Counter(j.kind for j in r)["designated"]
    (1788, 47, 20)
    >>> [j.code for j in r[:2]], r[-1].code[:2]
    (['010006', '020001'], '47')
    """
    out = [Jurisdiction(f"{p:02d}000" + check_digit(f"{p:02d}000"), f"合成県{p:02d}", f"Synthetic Prefecture {p:02d}",
                        "prefecture", p) for p in range(1, 48)]
    others = [n - (23 if p == 13 else 0) for p, n in enumerate(PREFECTURE_MUNICIPALITIES, start=1)]
    total = sum(others)
    kinds = {k: _largest_remainder(MUNICIPALITY_KINDS[k], others, total) for k in ("city", "village")}
    numbers: Counter[str] = Counter()
    for p, n in enumerate(PREFECTURE_MUNICIPALITIES, start=1):
        cities, villages = kinds["city"][p - 1], kinds["village"][p - 1]
        cities = max(cities, DESIGNATED_CITIES.get(p, 0))
        plan = (["ward"] * 23 if p == 13 else []) + ["city"] * cities
        plan += ["town"] * (n - len(plan) - villages) + ["village"] * villages
        for i, kind in enumerate(plan[:n]):
            shown = "designated" if kind == "city" and (i - (23 if p == 13 else 0)) < DESIGNATED_CITIES.get(p, 0) else kind
            numbers[kind] += 1
            five = f"{p:02d}{801 + i:03d}"
            out.append(Jurisdiction(five + check_digit(five), f"合成{_KIND_JA[kind]}{numbers[kind]:04d}",
                                    f"Synthetic {_KIND_EN[kind]} {numbers[kind]:04d}", shown, p))
    return tuple(out)


def _largest_remainder(count: int, weights: Sequence[int], total: int) -> list[int]:
    shares = [count * w / total for w in weights]
    floors = [int(s) for s in shares]
    for i in sorted(range(len(shares)), key=lambda i: (floors[i] - shares[i], i))[: count - sum(floors)]:
        floors[i] += 1
    return floors


# --- sizes -----------------------------------------------------------------------------------------

PROFILES: dict[str, dict[str, tuple[int, int]]] = {
    "prefecture": {"areas": (4, 6), "directions": (16, 24), "measures": (60, 100), "indicators": (120, 180), "years": (3, 3)},
    "designated": {"areas": (4, 6), "directions": (14, 22), "measures": (50, 90), "indicators": (90, 140), "years": (3, 3)},
    "city": {"areas": (3, 5), "directions": (8, 16), "measures": (20, 50), "indicators": (25, 70), "years": (2, 3)},
    "ward": {"areas": (3, 5), "directions": (8, 14), "measures": (25, 45), "indicators": (30, 60), "years": (2, 3)},
    "town": {"areas": (2, 4), "directions": (4, 10), "measures": (8, 25), "indicators": (8, 25), "years": (1, 2)},
    "village": {"areas": (2, 3), "directions": (3, 6), "measures": (5, 12), "indicators": (4, 12), "years": (1, 1)},
}
"""Ranges drawn (uniformly, seeded per jurisdiction) at ``scale=1``; ``years`` of observations (FY2022 on)."""

QUALITATIVE_SHARE = 0.1
OBSERVED_SHARE = 0.7
MAX_SHEET_ROWS = 5000  # the workbook's limit per sheet (schema.MAX_ROWS); counts are capped to stay within it


@dataclass(frozen=True)
class PlanSize:
    """Counts of one plan: areas, directions per area, measures, numeric / qualitative indicators, observed
    indicators and observation years."""

    directions: tuple[int, ...]
    measures: int
    numeric: int
    qualitative: int
    observed: int
    years: int

    @property
    def areas(self) -> int:
        return len(self.directions)

    def counts(self) -> dict[str, int]:
        return {"plan": 1, "area": self.areas, "direction": sum(self.directions), "measure": self.measures,
                "numeric": self.numeric, "qualitative": self.qualitative, "observation": self.observed * self.years}


def _rng(seed: int, *parts: object) -> random.Random:
    return random.Random(":".join(str(p) for p in (seed, *parts)))  # str seeds hash with SHA-512: stable


@lru_cache(maxsize=8192)
def _base_size(j: Jurisdiction, seed: int) -> tuple[int, int, int, int, int]:
    rng = _rng(seed, j.code, "size")
    prof = PROFILES[j.kind]
    return tuple(rng.randint(*prof[k]) for k in ("areas", "directions", "measures", "indicators", "years"))  # type: ignore[return-value]


def plan_size(j: Jurisdiction, seed: int, scale: float) -> PlanSize:
    """The counts of ``j``'s plan at ``scale`` (1 = realistic). Areas grow with ``scale ** (1/3)``, directions
    with ``scale ** 0.5``, measures and indicators linearly; at least 1 of each; monotone in ``scale``.

    >>> j = roster()[0]; s = plan_size(j, 7, 1.0); (s.areas, sum(s.directions), s.measures, s.numeric + s.qualitative)
    (4, 16, 67, 127)
    >>> s = plan_size(j, 7, 0.01); (s.areas, sum(s.directions), s.measures, s.numeric + s.qualitative)
    (1, 2, 1, 1)
    """
    a0, d0, m0, i0, years = _base_size(j, seed)
    areas = min(len(AREAS), max(1, round(a0 * scale ** (1 / 3))))
    dirs = min(26 * areas, max(areas, round(d0 * scale ** 0.5)))
    per_area = tuple(dirs // areas + (1 if k < dirs % areas else 0) for k in range(areas))
    measures = min(MAX_SHEET_ROWS // 2, max(1, round(m0 * scale)))
    indicators = min(MAX_SHEET_ROWS // 2, max(1, round(i0 * scale)))
    qualitative = int(indicators * QUALITATIVE_SHARE)
    numeric = indicators - qualitative
    observed = min(round(numeric * OBSERVED_SHARE), MAX_SHEET_ROWS // max(years, 1))
    return PlanSize(per_area, measures, numeric, qualitative, observed, years)


# --- vocabulary -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Area:
    label: str
    en: str
    goal: str
    directions: tuple[str, ...]
    subjects: tuple[str, ...]


AREAS: tuple[Area, ...] = (
    Area("行政のデジタル化", "Digital administration", "手続がオンラインで完結する、便利で効率的な行政",
         ("行政手続のオンライン化", "窓口のデジタル化", "業務の効率化と働き方改革", "情報システムの標準化・共通化",
          "キャッシュレス決済の推進", "マイナンバーカードの利活用"),
         ("電子申請", "書かない窓口", "オンライン相談", "AI-OCR", "RPA", "テレワーク", "ペーパーレス会議", "電子契約",
          "公金のキャッシュレス納付", "標準準拠システム", "ガバメントクラウド", "マイナンバーカード")),
    Area("暮らし・医療・福祉", "Living, health and welfare", "デジタルで誰もが安心して暮らし続けられる地域",
         ("オンライン診療の推進", "介護・福祉の負担軽減", "健康づくりの支援", "見守りの充実", "誰一人取り残されないデジタル化"),
         ("オンライン診療", "電子お薬手帳", "介護記録の電子化", "見守りセンサー", "健康アプリ", "オンライン健康相談",
          "スマホ教室", "デジタル活用支援員", "PHR", "遠隔服薬指導")),
    Area("教育・子育て", "Education and child-rearing", "一人一人に合った学びと安心の子育て",
         ("GIGAスクールの推進", "校務のデジタル化", "子育て手続のオンライン化", "学びの場の拡充"),
         ("学習用端末", "デジタル教材", "校務支援システム", "保育施設のICT化", "子育てアプリ", "オンライン学習",
          "プログラミング教育", "図書館の電子書籍")),
    Area("産業・観光", "Industry and tourism", "デジタルで稼ぐ力を高める地域経済",
         ("中小企業のDX支援", "スマート農林水産業", "観光DX", "スタートアップの創出"),
         ("中小企業DX相談", "スマート農業機器", "ドローン農薬散布", "観光アプリ", "観光データ分析", "EC販路開拓",
          "キャッシュレス店舗", "サテライトオフィス", "ワーケーション", "スマート漁業")),
    Area("防災・安全", "Disaster preparedness and safety", "デジタルで守る安全・安心なまち",
         ("防災情報の迅速な伝達", "避難所運営のデジタル化", "インフラ点検の高度化", "防犯・交通安全"),
         ("防災アプリ", "河川監視カメラ", "避難所受付システム", "ドローン点検", "防災メール", "被災者支援システム",
          "防犯カメラ", "橋梁点検AI")),
    Area("地域交通・まちづくり", "Mobility and town planning", "移動しやすく住み続けたいまち",
         ("地域交通の確保", "MaaSの推進", "スマートシティの推進", "空き家・土地のデータ活用"),
         ("デマンド交通", "MaaSアプリ", "自動運転バス", "3D都市モデル", "スマート街路灯", "空き家バンク",
          "公共施設予約システム", "シェアサイクル")),
    Area("データ利活用", "Data utilisation", "データで地域課題を解決するまち",
         ("オープンデータの推進", "データに基づく政策立案", "官民データ連携"),
         ("オープンデータ", "データ連携基盤", "EBPM", "ダッシュボード", "統計データ活用", "官民データ連携")),
    Area("デジタル基盤・人材", "Digital infrastructure and skills", "誰もがデジタルの恩恵を受けられる基盤と人材",
         ("通信基盤の整備", "デジタル人材の育成・確保", "情報セキュリティの確保"),
         ("光ファイバー", "5G", "公衆無線LAN", "DX推進リーダー", "デジタル人材研修", "外部デジタル人材",
          "情報セキュリティ研修", "ゼロトラスト")),
    Area("環境・脱炭素", "Environment and decarbonisation", "デジタルで進める脱炭素のまち",
         ("庁舎の省エネルギー化", "地域の脱炭素化"),
         ("エネルギー管理システム", "電気自動車", "スマートメーター", "ごみ収集ルート最適化", "再生可能エネルギー")),
)

ACTIONS = ("の導入", "の推進", "の拡充", "の普及促進", "の全域展開", "の高度化", "の利用促進", "の運用改善")

# (label suffix, unit, better, baseline range, target factor range); a factor < 1 means lower is better
NUMERIC = (
    ("の利用率", "%", 5, 40, None),
    ("の利用件数", "件", 100, 20000, (1.5, 3.0)),
    ("に関する研修の受講者数", "人", 20, 2000, (1.5, 3.0)),
    ("に要する年間経費", "円", 1_000_000, 200_000_000, (0.6, 0.9)),
    ("に参加する団体数", "団体", 2, 60, (1.3, 2.5)),
)
SPECIAL = {
    "教育・子育て": ("学習用端末1台当たりの児童生徒数", "児童生徒数/台", 2, 6, None),
    "環境・脱炭素": ("庁舎の温室効果ガス排出量", "t-CO2", 1000, 50000, (0.5, 0.8)),
}


# --- national items and their popularity ----------------------------------------------------------

@lru_cache(maxsize=1)
def national_context() -> Graph:
    """The ontology and the bundled national reference data (``data/national/*.ttl``): what a workbook's
    alignments resolve against, and what the output is validated with."""
    from policykg.graph.build import bundled_national_files
    from policykg.ontology import ontology_graph

    g = Graph()
    g += ontology_graph()
    for path in bundled_national_files():
        g.parse(path)
    return g


@lru_cache(maxsize=4)
def national_items(context: Graph | None = None) -> tuple[tuple[URIRef, str], ...]:
    """``(IRI, label)`` of every national item whose label names it unambiguously (all 90 of the bundled
    data), sorted by IRI: the choices of the workbook's 国の項目 column."""
    from policykg.labels import NATIONAL_ITEM_CLASSES, NATIONAL_KINDS, LabelIndex

    g = context if context is not None else national_context()
    index = LabelIndex.from_graph(g)
    out = []
    for iri in sorted({s for c in NATIONAL_ITEM_CLASSES for s in g.subjects(RDF.type, c) if isinstance(s, URIRef)}):
        label = g.value(iri, SKOS.prefLabel)
        try:
            if label is not None and index.resolve(str(label), kinds=NATIONAL_KINDS) == iri:
                out.append((iri, str(label)))
        except Exception:  # noqa: BLE001 — an ambiguous label is simply not offered
            continue
    return tuple(out)


def popularity(seed: int, items: Sequence[tuple[URIRef, str]]) -> list[float]:
    """Seeded weights over ``items``: a random order, Zipf-like weights (1/rank^1.2), a fifth of them 0
    (never chosen). The same for every jurisdiction of one seed.

    >>> w = popularity(7, [(URIRef(f"urn:x:{i}"), str(i)) for i in range(10)]); (len(w), sum(x == 0 for x in w))
    (10, 2)
    """
    rng = _rng(seed, "popularity")
    order = list(range(len(items)))
    rng.shuffle(order)
    unused = len(items) // 5
    weights = [0.0] * len(items)
    for rank, i in enumerate(order[: len(items) - unused], start=1):
        weights[i] = 1 / rank ** 1.2
    return weights


# --- rows of one workbook -------------------------------------------------------------------------

def _fy(year: int) -> str:
    """A fiscal year in 和暦: 2028 → 令和10年度."""
    return f"令和{year - 2018}年度"


def _number(value: float, unit: str) -> str:
    if unit == "児童生徒数/台":
        return f"{value:.1f}"
    return str(int(round(value)))


def _unique(label: str, seen: set[str]) -> str:
    base, k = label, 2
    while label in seen:
        label, k = f"{base}（{k}）", k + 1
    seen.add(label)
    return label


def workbook_rows(j: Jurisdiction, *, seed: int, scale: float,
                  items: Sequence[tuple[URIRef, str]] | None = None) -> dict[str, list[dict[str, str]]]:
    """The rows of ``j``'s workbook, keyed by sheet (``loaders/workbook/schema.py`` keys), cells as text.

    Deterministic for ``(j, seed, scale)`` and independent of every other jurisdiction.

    >>> rows = workbook_rows(roster()[100], seed=7, scale=0.3)
    >>> rows["jurisdiction"][0]["name"], rows["measures"][0]["directions"], sorted(rows)[:3]
    ('合成市0054', '2a;2b', ['alignments', 'areas', 'directions'])
    """
    items = national_items() if items is None else items
    weights = popularity(seed, items)
    cumulative = [0.0]
    for w in weights:
        cumulative.append(cumulative[-1] + w)
    rng = _rng(seed, j.code, "rows")
    size = plan_size(j, seed, scale)
    area_ids = sorted(rng.sample(range(len(AREAS)), size.areas))
    areas = [AREAS[a] for a in area_ids]
    rows: dict[str, list[dict[str, str]]] = {k: [] for k in (
        "jurisdiction", "plan", "areas", "directions", "measures", "indicators", "roadmap", "phases", "alignments",
        "observations")}
    rows["jurisdiction"].append({"name": j.name, "code": j.code, "key": j.key, "name_en": j.name_en})
    rows["plan"].append({"title": f"{j.name}DX推進計画（合成データ）", "title_en": f"{j.name_en} DX Plan (synthetic data)",
                         "edition": "第1版", "period": "2024~2028", "adopted": "令和6年3月29日",
                         "roadmap_title": "DX推進ロードマップ（合成データ）", "roadmap_period": "2024~2028"})
    codes: list[list[str]] = []
    for n, (area, count) in enumerate(zip(areas, size.directions), start=1):
        rows["areas"].append({"number": str(n), "label": area.label, "label_en": area.en, "goal": area.goal})
        seen: set[str] = set()
        mine = []
        for k in range(count):
            letter = "abcdefghijklmnopqrstuvwxyz"[k]
            label = _unique(area.directions[k % len(area.directions)], seen)
            rows["directions"].append({"area": str(n), "letter": letter, "label": label})
            mine.append(f"{n}{letter}")
        codes.append(mine)
        rows["roadmap"].append({"area": str(n), "label": area.label.split("・")[0], "directions": ";".join(mine)})
        first = f"{area.label}の基盤づくり（{j.name}）"
        rows["phases"].append({"area": str(n), "label": first, "kind": "当初の重点", "period": "2024~2025"})
        rows["phases"].append({"area": str(n), "label": f"{area.label}の本格展開（{j.name}）", "kind": "計画の方向",
                               "direction": mine[0], "period": "2026~2028", "after": first})
    curator = f"{j.name}DX推進課（合成データ）"
    measure_labels: set[str] = set()
    for m in range(size.measures):
        a = rng.randrange(len(areas))
        label = _unique(rng.choice(areas[a].subjects) + rng.choice(ACTIONS), measure_labels)
        dirs = [rng.choice(codes[a])]
        if rng.random() < 0.15 and len(codes[a]) > 1:
            dirs = sorted({*dirs, rng.choice(codes[a])})
        start = rng.randint(2024, 2026)
        rows["measures"].append({"label": label, "directions": ";".join(dirs),
                                 "period": f"{start}~{rng.randint(start + 1, 2028)}"})
        links = 0 if rng.random() < 0.2 else 2 if rng.random() < 0.25 else 1
        chosen: set[int] = set()
        for _ in range(links):
            i = bisect.bisect_right(cumulative, rng.random() * cumulative[-1]) - 1
            i = min(max(i, 0), len(items) - 1)
            if i in chosen or weights[i] == 0:
                continue
            chosen.add(i)
            stated = rng.random() < 0.3
            rows["alignments"].append({
                "local": label, "national": items[i][1], "relation": "支える" if rng.random() < 0.7 else "貢献する",
                "evidence": "計画に明記" if stated else "確認済み",
                "rationale": f"{SYNTHETIC_NOTE}: 施策「{label}」は国の項目「{items[i][1]}」と同じ対象を扱う（乱数による対応付け）。",
                "curator": curator, "date": "2024-04-01"})
    indicator_labels: set[str] = set()
    numeric: list[tuple[str, str, float, float, bool]] = []
    for i in range(size.numeric + size.qualitative):
        a = rng.randrange(len(areas))
        direction = rng.choice(codes[a])
        subject = rng.choice(areas[a].subjects)
        if i >= size.numeric:
            label = _unique(f"{subject}の推進状況", indicator_labels)
            rows["indicators"].append({"label": label, "direction": direction, "kind": "定性",
                                       "goal": f"{subject}を全庁的に推進し、取組状況を毎年度公表する"})
            continue
        special = SPECIAL.get(areas[a].label)
        suffix, unit, low, high, factor = special if special and rng.random() < 0.2 else rng.choice(NUMERIC)
        label = _unique(suffix if special and suffix == special[0] else subject + suffix, indicator_labels)
        baseline = rng.uniform(low, high)
        if unit == "%":
            target, lower = rng.uniform(max(baseline + 10, 50), 100), False
        elif unit == "児童生徒数/台":
            target, lower = 1.0, True
        else:
            target = baseline * rng.uniform(*factor)
            lower = factor[1] < 1
        maintain = not lower and unit == "%" and target >= 95 and rng.random() < 0.5
        comparator = "以上を維持" if maintain else "以下" if lower else "以上"
        row = {"label": label, "direction": direction, "kind": "数値", "unit": unit,
               "baseline": _number(baseline, unit), "baseline_date": _fy(2022),
               "target": _number(target, unit), "target_date": _fy(2028), "comparator": comparator,
               "better": "低いほど良い" if lower else "高いほど良い"}
        if rng.random() < 0.3:  # an interim target first, the final one on a second row
            mid = baseline + (target - baseline) * 0.6
            rows["indicators"].append({**row, "target": _number(mid, unit), "target_date": _fy(2026),
                                       "comparator": "以下" if lower else "以上"})
            rows["indicators"].append({"label": label, "target": _number(target, unit), "target_date": _fy(2028),
                                       "comparator": comparator})
        else:
            rows["indicators"].append(row)
        numeric.append((label, unit, float(_number(baseline, unit)), float(_number(target, unit)), lower))
    for label, unit, baseline, target, lower in numeric[: size.observed]:
        for y in range(size.years):
            progress = (y + 1) / 6 + rng.uniform(-0.05, 0.1)
            value = baseline + (target - baseline) * progress
            if unit == "%":
                value = min(100.0, max(0.0, value))
            rows["observations"].append({"indicator": label, "date": f"{2023 + y}-03-31", "value": _number(max(value, 0), unit),
                                         "source": f"{j.name} 集計（合成データ）", "note": SYNTHETIC_NOTE})
    return rows


def workbook_data(j: Jurisdiction, rows: dict[str, list[dict[str, str]]]):
    """``rows`` as the reader's in-memory model (what ``read_csv_folder`` returns for a CSV folder of them).

    Row numbers are the CSV line numbers (header = 1); empty cells are left out, as the reader does.
    """
    from policykg.loaders.workbook.read import Row, SheetData, WorkbookData
    from policykg.loaders.workbook.schema import SHEETS_LIST

    sheets = {}
    for sheet in SHEETS_LIST:
        data = SheetData(sheet)
        for number, cells in enumerate(rows.get(sheet.key, []), start=2):
            data.rows.append(Row(number, {k: v for k, v in cells.items() if v not in (None, "")}))
        sheets[sheet.key] = data
    blob = json.dumps(rows, ensure_ascii=False, sort_keys=True).encode("utf-8")
    return WorkbookData(j.file, sheets, blob)


# --- graphs ---------------------------------------------------------------------------------------

def graph_name(j: Jurisdiction) -> URIRef:
    """The named graph the workbook loader gives ``j``'s workbook: ``graph/synthetic-<code>``."""
    from policykg.loaders.workbook import workbook_graph_name

    return workbook_graph_name(j.file)


def jurisdiction_graph(j: Jurisdiction, *, seed: int, scale: float, context: Graph | None = None) -> Graph:
    """``j``'s plan graph: workbook rows → the project's workbook parser → ``pk:synthetic true`` on every
    IRI node → deterministic blank node labels. The graph's identifier is its named graph.

    :raises SourceError: the parser refused a generated row (a bug here, or a stricter loader).
    """
    out = Graph(store="SimpleMemory", identifier=graph_name(j))
    from policykg.namespaces import PREFIXES

    for prefix, iri in PREFIXES.items():
        out.bind(prefix, iri)
    for triple in jurisdiction_triples(j, seed=seed, scale=scale, context=context):
        out.add(triple)
    return out


def jurisdiction_triples(j: Jurisdiction, *, seed: int, scale: float, context: Graph | None = None,
                         check: bool = False) -> list[tuple]:
    """The triples of :func:`jurisdiction_graph` as a list (the writer's path: no second Graph is built).

    ``check=True`` parses through the public :func:`policykg.loaders.workbook.parse_workbook` as well and
    raises if the fast path (the same steps with the national label index built once) differs.
    """
    ctx = context if context is not None else national_context()
    items = national_items(ctx) if context is not None else national_items()
    data = workbook_data(j, workbook_rows(j, seed=seed, scale=scale, items=items))
    parsed = _parse(data, ctx)
    if check:
        from policykg.loaders.workbook import parse_workbook

        public = parse_workbook(data, context=ctx)
        if set(_finish(public, f"s{j.code}")) != set(_finish(parsed, f"s{j.code}")):
            raise AssertionError(f"{j.key}: the fast path differs from parse_workbook")
    return _finish(parsed, f"s{j.code}")


_INDEX: dict[int, object] = {}


def _parse(data, context: Graph) -> Graph:
    """:func:`policykg.loaders.workbook.parse_workbook` with the national label index built once per
    context instead of once per workbook (a tenth of a second each: three minutes over 1,788 plans)."""
    from policykg.labels import LabelIndex
    from policykg.loaders.workbook import parse_workbook

    index = _INDEX.get(id(context))
    if index is None:
        index = _INDEX[id(context)] = LabelIndex.from_graph(context)
    return parse_workbook(data, context=context, index=index)


def _finish(parsed: Graph, prefix: str) -> list[tuple]:
    """The triples with canonical blank node ids, plus the synthetic marker on every IRI subject."""
    labels = _canonical_bnodes(parsed, prefix)
    true = Literal(True)
    marked: set[URIRef] = set()
    out: list[tuple] = []
    for s, p, o in parsed:
        if isinstance(s, BNode):
            s = labels[s]
        elif s not in marked:
            marked.add(s)
            out.append((s, PK.synthetic, true))
        if isinstance(o, BNode):
            o = labels[o]
        out.append((s, p, o))
    return out


def _canonical_bnodes(g: Graph, prefix: str) -> dict[BNode, BNode]:
    """Blank node → ``BNode(<prefix>b<digest>)`` from its owner's id, the linking predicate and its content
    (own triples, children's content), so labels do not depend on rdflib's random ids or triple order."""
    own: dict[BNode, list[str]] = {}
    children: dict[BNode, list[tuple[str, BNode]]] = {}
    parent: dict[BNode, tuple[object, str]] = {}
    for s, p, o in g:
        if isinstance(s, BNode):
            if isinstance(o, BNode):
                children.setdefault(s, []).append((str(p), o))
            else:
                own.setdefault(s, []).append(f"{p} {o!r}")
        if isinstance(o, BNode):
            parent[o] = (s, str(p))
            own.setdefault(o, [])
    content: dict[BNode, str] = {}

    def content_of(b: BNode) -> str:
        if b not in content:
            parts = sorted(own.get(b, [])) + sorted(f"{p} {content_of(c)}" for p, c in children.get(b, []))
            content[b] = hashlib.sha1("\n".join(parts).encode()).hexdigest()
        return content[b]

    labels: dict[BNode, BNode] = {}
    used: Counter[str] = Counter()

    def label_of(b: BNode) -> BNode:
        if b not in labels:
            s, p = parent.get(b, (None, ""))
            owner = str(label_of(s)) if isinstance(s, BNode) else str(s)
            h = hashlib.sha1(f"{owner}\n{p}\n{content_of(b)}".encode()).hexdigest()[:16]
            used[h] += 1  # identical siblings (same owner, predicate, content) are interchangeable
            labels[b] = BNode(f"{prefix}b{h}" + (f"x{used[h]}" if used[h] > 1 else ""))
        return labels[b]

    for b in sorted(own, key=lambda b: (content_of(b))):
        label_of(b)
    return labels


def generate(seed: int = 7, scale: float = 1.0, *, jurisdictions: Iterable[str] | None = None,
             context: Graph | None = None) -> Iterator[tuple[str, Graph]]:
    """``(jurisdiction key, graph)`` for every jurisdiction of :func:`roster` (or those whose code or key is
    in ``jurisdictions``), one at a time, in roster order. ``graph.identifier`` is its named graph.

    ``context`` is the graph the workbooks are parsed against (default: ontology + national reference
    data; pass the bundled build's union to get exactly ``build --add`` beside Hokkaido: then each plan
    also gets ``pk:realizes`` Society 5.0).

    >>> [(k, len(g) > 100) for k, g in generate(7, 0.05, jurisdictions=["010006", "synth-01801X"])]
    [('synth-010006', True)]
    """
    wanted = None if jurisdictions is None else set(jurisdictions)
    for j in roster():
        if wanted is None or j.code in wanted or j.key in wanted:
            yield j.key, jurisdiction_graph(j, seed=seed, scale=scale, context=context)


# --- sizing: quads → scale -------------------------------------------------------------------------

_KIND_OF_CLASS = {
    PK.PolicyArea: "area", PK.RoadmapRow: "area", PK.RoadmapPhase: "area", PK.Transition: "area",
    PK.PolicyDirection: "direction", PK.Measure: "measure", PK.Alignment: "measure",
    PK.NumericIndicator: "numeric", PK.Baseline: "numeric", PK.Target: "numeric",
    PK.QualitativeIndicator: "qualitative", PK.IndicatorObservation: "observation",
}
PILOT = ("prefecture", "city", "town", "village")
PILOT_SCALE = 0.5


@lru_cache(maxsize=8)
def quad_costs(seed: int = 7) -> dict[str, float]:
    """Quads per plan (``plan``) and per area, direction, measure (with its alignments), numeric indicator
    (baseline, targets), qualitative indicator and observation, measured on real output: one pilot plan of
    each kind in :data:`PILOT` at :data:`PILOT_SCALE` (about 6,000 quads in all), every triple attributed to
    the row kind of the node that owns it (blank nodes to their owner; a plan-level link to what it links)."""
    firsts = {}
    for j in roster():
        firsts.setdefault(j.kind, j)
    totals: Counter[str] = Counter()
    rows: Counter[str] = Counter()
    for kind in PILOT:
        j = firsts[kind]
        g = jurisdiction_graph(j, seed=seed, scale=PILOT_SCALE)
        totals.update(_attribute(g))
        rows.update(plan_size(j, seed, PILOT_SCALE).counts())
    return {k: totals[k] / rows[k] for k in rows if rows[k]}


def _attribute(g: Graph) -> Counter[str]:
    kinds: dict[object, str] = {}
    for s, _p, o in g.triples((None, RDF.type, None)):
        if o in _KIND_OF_CLASS and s not in kinds:
            kinds[s] = _KIND_OF_CLASS[o]
    parent = {o: s for s, _p, o in g if isinstance(o, BNode)}

    def owner(n):
        while isinstance(n, BNode) and n in parent:
            n = parent[n]
        return n

    out: Counter[str] = Counter()
    for s, _p, o in g:
        kind = kinds.get(owner(s), "plan")
        if kind == "plan" and isinstance(o, URIRef):
            kind = kinds.get(o, "plan")
        out[kind] += 1
    return out


def predicted_quads(seed: int, scale: float, jurisdictions: Sequence[Jurisdiction] | None = None) -> float:
    """The quad count :func:`quad_costs` predicts for ``jurisdictions`` (default: all) at ``scale``."""
    costs = quad_costs(seed)
    total = 0.0
    for j in roster() if jurisdictions is None else jurisdictions:
        total += sum(costs.get(k, 0.0) * n for k, n in plan_size(j, seed, scale).counts().items())
    return total


def scale_for(quads: int, seed: int = 7, jurisdictions: Sequence[Jurisdiction] | None = None) -> float:
    """The scale whose predicted size is closest to ``quads`` (bisection; every count is monotone in scale).
    Below the smallest possible size (every plan at its minimum) the answer is 0 (the minimum)."""
    lo, hi = 0.0, 1.0
    while predicted_quads(seed, hi, jurisdictions) < quads and hi < 1e4:
        lo, hi = hi, hi * 2
    for _ in range(30):
        mid = (lo + hi) / 2
        if predicted_quads(seed, mid, jurisdictions) < quads:
            lo = mid
        else:
            hi = mid
    return hi


# --- N-Quads --------------------------------------------------------------------------------------

def _term(t) -> str:
    if isinstance(t, URIRef):
        return f"<{t}>"
    if isinstance(t, BNode):
        return f"_:{t}"
    text = str(t).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    if t.language:
        return f'"{text}"@{t.language}'
    if t.datatype is not None and t.datatype != XSD.string:
        return f'"{text}"^^<{t.datatype}>'
    return f'"{text}"'


def nquads(graph: Graph | Iterable[tuple], name: URIRef | None = None) -> list[str]:
    """Triples as sorted N-Quads lines in the named graph ``name`` (default: ``graph.identifier``).

    >>> g = Graph(identifier=URIRef("urn:g")); _ = g.add((URIRef("urn:s"), URIRef("urn:p"), Literal('a "b"', lang="ja")))
    >>> nquads(g)
    ['<urn:s> <urn:p> "a \\\\"b\\\\""@ja <urn:g> .\\n']
    """
    tail = f" <{name if name is not None else graph.identifier}> .\n"  # type: ignore[union-attr]
    return sorted(f"{_term(s)} {_term(p)} {_term(o)}{tail}" for s, p, o in graph)


@dataclass
class Stats:
    """What :func:`write_nquads` wrote: quads, jurisdictions, the scale used, seconds, the process's peak RSS."""

    quads: int = 0
    jurisdictions: int = 0
    scale: float = 0.0
    seconds: float = 0.0
    peak_rss_mb: float = 0.0


def write_nquads(out: Path | str, *, seed: int = 7, quads: int | None = None, scale: float | None = None,
                 jurisdictions: Iterable[str] | None = None, progress=None) -> Stats:
    """Stream the dataset to ``out`` (N-Quads), one jurisdiction at a time; the size comes from ``scale``
    or, if not given, from ``quads`` (:func:`scale_for`). Returns counts, time and the process's peak RSS."""
    start = time.perf_counter()
    wanted = None if jurisdictions is None else list(jurisdictions)
    chosen = [j for j in roster() if wanted is None or j.code in wanted or j.key in wanted]
    if scale is None:
        scale = scale_for(quads if quads is not None else 1_000_000, seed, chosen if wanted is not None else None)
    stats = Stats(scale=scale)
    with open(out, "w", encoding="utf-8") as fh:
        for j in chosen:
            lines = nquads(jurisdiction_triples(j, seed=seed, scale=scale), graph_name(j))
            fh.writelines(lines)
            stats.quads += len(lines)
            stats.jurisdictions += 1
            if progress and stats.jurisdictions % 200 == 0:
                progress(f"{stats.jurisdictions:,} jurisdictions, {stats.quads:,} quads, {time.perf_counter() - start:.0f} s")
    stats.seconds = time.perf_counter() - start
    stats.peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return stats


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quads", type=int, default=1_000_000, help="target size (quads); ignored with --scale")
    parser.add_argument("--scale", type=float, help="plan size factor (1 = realistic) instead of --quads")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, default=Path("/tmp/national.nq"))
    parser.add_argument("--only", nargs="*", help="codes or keys of the jurisdictions to write (default: all 1,788)")
    args = parser.parse_args(argv)
    say = lambda msg: print(msg, file=sys.stderr, flush=True)  # noqa: E731
    t0 = time.perf_counter()
    chosen = None if args.only is None else [j for j in roster() if j.code in args.only or j.key in args.only]
    scale = args.scale if args.scale is not None else scale_for(args.quads, args.seed, chosen)
    predicted = predicted_quads(args.seed, scale, chosen)
    say(f"scale {scale:.4f} (predicted {predicted:,.0f} quads; sizing took {time.perf_counter() - t0:.1f} s)")
    if args.scale is None and predicted > args.quads * 1.1:
        say(f"note: {args.quads:,} quads is below the smallest dataset of these jurisdictions (every plan at its "
            f"minimum, about {predicted_quads(args.seed, 0.0, chosen):,.0f} quads); writing the minimum")
    stats = write_nquads(args.out, seed=args.seed, scale=scale, jurisdictions=args.only, progress=say)
    print(f"{stats.quads:,} quads, {stats.jurisdictions:,} jurisdictions, scale {scale:.4f}, "
          f"{time.perf_counter() - t0:.1f} s total ({stats.seconds:.1f} s generating and writing), "
          f"peak RSS {stats.peak_rss_mb:,.0f} MB → {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
