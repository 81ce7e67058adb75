"""What the network draws: node kinds, relations, evidence and progress statuses, with styles and ja/en names.

One table so the model, the legend, the JSON twin and the browser code agree. Kinds come from
ontology classes only (never from a jurisdiction's strings), so any plan loaded to the contract works.
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import URIRef

from policykg.graph.analysis.label_index import NATIONAL_PLAN_CLASSES
from policykg.namespaces import PK, SKOS


@dataclass(frozen=True)
class KindStyle:
    """How one node kind looks and where it sits in the hierarchical layout."""

    key: str
    ja: str
    en: str
    color: str
    shape: str
    level: int
    classes: tuple[URIRef, ...]
    size: int
    """Radius in canvas units: by role (plan > pillar group > pillar/area > item, measure …), never above MAX_NODE_SIZE."""
    font: int
    """Label font size in canvas units before the page scales it up to stay readable."""


# Order matters: an entity with several classes gets the FIRST kind whose classes it has
# (a pillar is also a pk:NationalItem; the generic national item comes last).
KINDS: tuple[KindStyle, ...] = (
    KindStyle("plan", "計画", "Plan", "#34495e", "dot", 0, (PK.NationalPlan, PK.Guideline, PK.LocalPlan), 24, 20),
    KindStyle("pillar_group", "柱のグループ", "Pillar group", "#7d3c98", "square", 1,
              (PK.PillarGroup, PK.PrincipleGroup, PK.StrategyGroup), 16, 16),
    KindStyle("pillar", "柱・基本戦略", "Pillar / strategy", "#c39bd3", "diamond", 2, (PK.Pillar, PK.BasicStrategy), 14, 15),
    KindStyle("area", "分野", "Area", "#c0392b", "square", 8, (PK.PolicyArea,), 14, 16),
    KindStyle("direction", "施策の展開方針", "Policy direction", "#e67e22", "triangle", 6, (PK.PolicyDirection,), 11, 14),
    KindStyle("measure", "主な取組", "Measure", "#27ae60", "dot", 4, (PK.Measure,), 9, 14),
    KindStyle("indicator", "指標", "Indicator", "#95a5a6", "triangleDown", 5,
              (PK.Indicator, PK.NumericIndicator, PK.QualitativeIndicator), 9, 14),
    KindStyle("phase", "ロードマップの段階", "Roadmap phase", "#d4ac0d", "star", 7, (PK.RoadmapPhase,), 9, 14),
    KindStyle("roadmap_row", "ロードマップの区分", "Roadmap row", "#a04000", "dot", 7, (PK.RoadmapRow,), 8, 14),
    KindStyle("national_item", "国の施策・項目", "National item", "#2e86c1", "hexagon", 3,
              (PK.NationalItem, PK.NationalMeasure, PK.Principle, PK.RevisionPoint, PK.ProcedureStep), 10, 14),
)
MAX_NODE_SIZE = 24
"""No node is drawn larger than this radius (canvas units): roles differ by size, nothing is a giant shape."""
MIN_LABEL_PX = 12
"""Labels are drawn at least this large on screen at the first view, or not at all (then hover shows them)."""
KIND_BY_KEY: dict[str, KindStyle] = {k.key: k for k in KINDS}
LOCAL_PLAN_LEVEL = 9
"""The local plan sits at the far side of the hierarchical layout; national plans at level 0."""
NATIONAL_INDICATOR_LEVEL = 1
"""A national KPI hangs off its national plan, so it sits beside the plan, not among local indicators."""


def kind_of(classes: set[URIRef]) -> str | None:
    """The kind key for an entity's classes, or None when it is not drawn.

    >>> kind_of({PK.NationalItem, PK.Pillar})
    'pillar'
    >>> kind_of({PK.Alignment}) is None
    True
    """
    for kind in KINDS:
        if classes.intersection(kind.classes):
            return kind.key
    return None


# Structural predicates: predicate -> (relation key, reversed?). Edges always point child -> parent
# (measure -> direction -> area -> plan), so reversed predicates (plan pk:hasArea area) are flipped.
STRUCTURE_PREDICATES: dict[URIRef, tuple[str, bool]] = {
    PK.direction: ("direction", False),
    PK.evaluates: ("evaluates", False),
    PK.correspondsTo: ("correspondsTo", False),
    PK.area: ("area", False),
    PK.indicatorOf: ("indicatorOf", False),
    PK.implements: ("implements", False),
    PK.references: ("references", False),
    PK.accompanies: ("accompanies", False),
    SKOS.broader: ("broader", False),
    SKOS.topConceptOf: ("topConceptOf", False),
    PK.hasArea: ("topConceptOf", True),
}

RELATIONS: dict[str, tuple[str, str, str]] = {
    # key: (ja, en, colour)
    "broader": ("上位項目", "broader item", "#7f8c8d"),
    "topConceptOf": ("計画の最上位項目", "top item of plan", "#7f8c8d"),
    "direction": ("展開方針", "policy direction", "#e59866"),
    "area": ("分野", "area", "#cd6155"),
    "evaluates": ("評価する", "evaluates", "#aab7b8"),
    "indicatorOf": ("計画の指標", "indicator of plan", "#aab7b8"),
    "correspondsTo": ("対応する方針", "corresponds to", "#f7dc6f"),
    "transition": ("移行", "transition", "#b7950b"),
    "implements": ("実施する", "implements", "#34495e"),
    "references": ("参照する", "references", "#34495e"),
    "accompanies": ("付随する", "accompanies", "#34495e"),
    "Supports": ("支える", "supports", "#1e8449"),
    "ContributesTo": ("寄与する", "contributes to", "#2874a6"),
}

EVIDENCE: dict[str, tuple[str, str]] = {
    "structure": ("計画の構造", "plan structure"),
    "stated": ("資料に明記", "stated in the source"),
    "curated": ("人手による対応付け", "curated"),
    "inferred": ("推定（破線・スコア付き）", "inferred (dashed, with score)"),
}
ALIGNMENT_EVIDENCE = ("stated", "curated", "inferred")

STATUSES: dict[str, tuple[str, str, str]] = {
    # pk:Status* local name: (ja, en, colour)
    "StatusAchieved": ("達成", "achieved", "#1e8449"),
    "StatusOnTrack": ("順調", "on track", "#58d68d"),
    "StatusAccelerationNeeded": ("加速が必要", "acceleration needed", "#f4d03f"),
    "StatusLimitedProgress": ("進捗が限定的", "limited progress", "#eb984e"),
    "StatusDeterioration": ("悪化", "deterioration", "#922b21"),
    "StatusTargetPassedNoData": ("期限経過・データなし", "target passed, no data", "#6c3483"),
    "StatusNoData": ("データなし", "no data", "#d5dbdb"),
    "StatusInsufficientData": ("データ不足", "insufficient data", "#d5dbdb"),
    "StatusNoTarget": ("目標なし", "no target", "#d5dbdb"),
}
NO_STATUS_COLOR = "#95a5a6"


def legend() -> dict:
    """The legend as plain data: the browser draws it (and styles nodes/edges) from this."""
    return {
        "kinds": [
            {"key": k.key, "ja": k.ja, "en": k.en, "color": k.color, "shape": k.shape, "size": k.size, "font": k.font}
            for k in KINDS
        ],
        "relations": [{"key": key, "ja": ja, "en": en, "color": c} for key, (ja, en, c) in RELATIONS.items()],
        "evidence": [{"key": key, "ja": ja, "en": en, "dashes": key == "inferred"} for key, (ja, en) in EVIDENCE.items()],
        "statuses": [{"key": key, "ja": ja, "en": en, "color": c} for key, (ja, en, c) in STATUSES.items()],
        "noStatusColor": NO_STATUS_COLOR,
        "maxNodeSize": MAX_NODE_SIZE,
        "minLabelPx": MIN_LABEL_PX,
    }


__all__ = [
    "KindStyle", "KINDS", "KIND_BY_KEY", "kind_of", "STRUCTURE_PREDICATES", "RELATIONS", "EVIDENCE",
    "ALIGNMENT_EVIDENCE", "STATUSES", "NO_STATUS_COLOR", "legend", "LOCAL_PLAN_LEVEL",
    "NATIONAL_INDICATOR_LEVEL", "NATIONAL_PLAN_CLASSES", "MAX_NODE_SIZE", "MIN_LABEL_PX",
]
