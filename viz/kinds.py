"""What the network draws: node kinds, relations, evidence and progress statuses, with their styles.

One table so the model, the legend, the JSON twin and the browser code agree. Kinds come from
ontology classes only (never from a jurisdiction's strings), so any plan loaded to the contract works.
Their ja/en names are :mod:`policykg.words`' (the ontology's labels), as on the pages and in the report.
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import URIRef

from policykg.labels import NATIONAL_PLAN_CLASSES
from policykg.namespaces import PK, SKOS
from policykg.words import LANGS, STATUS, STATUS_COLOUR, WordTable, kind_word, status_key, status_term, t, term_word


@dataclass(frozen=True)
class KindStyle:
    """How one node kind looks and where it sits in the hierarchical layout."""

    key: str
    color: str
    shape: str
    level: int
    classes: tuple[URIRef, ...]
    size: int
    """Radius in canvas units: by role (plan > pillar group > pillar/area > item, measure …), never above MAX_NODE_SIZE."""
    font: int
    """Label font size in canvas units before the page scales it up to stay readable."""

    @property
    def ja(self) -> str:
        return kind_word(self.key, "ja")

    @property
    def en(self) -> str:
        return kind_word(self.key, "en")


# Order matters: an entity with several classes gets the FIRST kind whose classes it has
# (a pillar is also a pk:NationalItem; the generic national item comes last).
KINDS: tuple[KindStyle, ...] = (
    KindStyle("plan", "#34495e", "dot", 0, (PK.NationalPlan, PK.Guideline, PK.LocalPlan), 24, 20),
    KindStyle("pillar_group", "#7d3c98", "square", 1,
              (PK.PillarGroup, PK.PrincipleGroup, PK.StrategyGroup), 16, 16),
    KindStyle("pillar", "#c39bd3", "diamond", 2, (PK.Pillar, PK.BasicStrategy), 14, 15),
    KindStyle("area", "#c0392b", "square", 8, (PK.PolicyArea,), 14, 16),
    KindStyle("direction", "#e67e22", "triangle", 6, (PK.PolicyDirection,), 11, 14),
    KindStyle("measure", "#27ae60", "dot", 4, (PK.Measure,), 9, 14),
    KindStyle("indicator", "#95a5a6", "triangleDown", 5,
              (PK.Indicator, PK.NumericIndicator, PK.QualitativeIndicator), 9, 14),
    KindStyle("phase", "#d4ac0d", "star", 7, (PK.RoadmapPhase,), 9, 14),
    KindStyle("roadmap_row", "#a04000", "dot", 7, (PK.RoadmapRow,), 8, 14),
    KindStyle("national_item", "#2e86c1", "hexagon", 3,
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

RELATION_STYLES: dict[str, tuple[URIRef, str]] = {
    # key: (the term that names it, colour)
    "broader": (SKOS.broader, "#7f8c8d"),
    "topConceptOf": (SKOS.topConceptOf, "#7f8c8d"),
    "direction": (PK.direction, "#e59866"),
    "area": (PK.area, "#cd6155"),
    "evaluates": (PK.evaluates, "#aab7b8"),
    "indicatorOf": (PK.indicatorOf, "#aab7b8"),
    "correspondsTo": (PK.correspondsTo, "#f7dc6f"),
    "transition": (PK.Transition, "#b7950b"),
    "implements": (PK.implements, "#34495e"),
    "references": (PK.references, "#34495e"),
    "accompanies": (PK.accompanies, "#34495e"),
    "Supports": (PK.Supports, "#1e8449"),
    "ContributesTo": (PK.ContributesTo, "#2874a6"),
}


def _relation(key: str) -> tuple[str, str, str]:
    term, colour = RELATION_STYLES[key]
    return term_word(term, "ja") or key, term_word(term, "en") or key, colour


RELATIONS: WordTable[tuple[str, str, str]] = WordTable(lambda: RELATION_STYLES, _relation)
"""Relation key → (ja, en, colour); the names are the terms' labels (:func:`policykg.words.term_word`)."""

ALIGNMENT_EVIDENCE = ("stated", "curated", "inferred")


def _evidence(key: str) -> tuple[str, str]:
    hint = key == "inferred"  # the legend says how an inferred edge looks
    return tuple(t(f"ev_{key}", lang) + (t("dashed_with_score", lang) if hint else "") for lang in LANGS)


EVIDENCE: WordTable[tuple[str, str]] = WordTable(lambda: ("structure", *ALIGNMENT_EVIDENCE), _evidence)
"""Evidence key → (ja, en): plan structure, then the ontology's evidence kinds."""


def _status(name: str) -> tuple[str, str, str]:
    key = status_key(name)
    return STATUS[key]["ja"], STATUS[key]["en"], STATUS_COLOUR[key]


STATUSES: WordTable[tuple[str, str, str]] = WordTable(
    lambda: [str(status_term(key)).rpartition("#")[2] for key in STATUS_COLOUR], _status)
"""``pk:Status…`` local name → (ja, en, colour), as the pages and the report say and colour it."""
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
    "ALIGNMENT_EVIDENCE", "STATUSES", "RELATION_STYLES", "NO_STATUS_COLOR", "legend", "LOCAL_PLAN_LEVEL",
    "NATIONAL_INDICATOR_LEVEL", "NATIONAL_PLAN_CLASSES", "MAX_NODE_SIZE", "MIN_LABEL_PX",
]
