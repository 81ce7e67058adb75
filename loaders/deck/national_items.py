"""National items: principles, strategies, pillars and their measures, revision points, procedure steps.

Each group (a level-2 heading on a plan's slide) is classified by its SHAPE, with the group's
head noun as a tie-breaker:
- children that are ステップN headings → pk:ProcedureStep (✓ lines become pk:checkpoint);
- children that are ①… table rows → pk:RevisionPoint;
- headings whose children are bullet lists → pk:PillarGroup / pk:Pillar / pk:NationalMeasure;
- otherwise a principle tree (…原則) or a strategy list (…戦略): groups vs. leaves.
A group with only paragraphs describes the plan itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rdflib import Literal, URIRef

from policykg.ids import normalize_label
from policykg.loaders.deck.emit import Emitter
from policykg.loaders.deck.match import best_match, segment_labels
from policykg.loaders.deck.national import NationalPlans, Plan, discover, read_facts, slide_plan
from policykg.loaders.deck.national_reference import bundled_reference, item_iri
from policykg.loaders.deck.outline import Node, outline
from policykg.loaders.deck.segment import Deck, Slide, heading_of
from policykg.namespaces import DCTERMS, PK, SKOS, XSD


MENTION_SIMILARITY = 0.8
"""A diagram box must be this close to an item label to count as a mention of it."""

_STATEMENT = re.compile(r"(決定|改定)$|までに\d")
"""Paragraphs that state a fact read elsewhere (decision, revision, KPI), not a description."""


@dataclass
class Item:
    iri: URIRef
    label: str
    cls: URIRef
    plan: Plan
    node: Node
    children: list[Item]


def _groups(root: Node) -> list[Node]:
    """Level-2 headings (or, without them, the children of the slide title)."""
    tops = [n for n in root.children if n.kind == "heading"]
    h1 = [n for n in tops if n.level == 1]
    below = [c for n in h1 for c in n.children if c.kind == "heading"] if h1 else tops
    return below


def _has(node: Node, predicate) -> bool:
    return any(predicate(n) for n in node.walk() if n is not node)


def _empty(node: Node) -> bool:
    """A heading with nothing under it (a caption over a picture in the slide)."""
    return not (node.children or node.paragraphs or node.checks)


def classify(group: Node) -> str:
    """steps | revisions | pillars | principles | strategies | description."""
    if _has(group, lambda n: n.kind == "heading" and n.number is not None):
        return "steps"
    if _has(group, lambda n: n.kind == "row"):
        return "revisions"
    heads = [c for c in group.children if c.kind == "heading" and not _empty(c)]
    if heads and all(any(k.kind == "item" for k in h.children) for h in heads):
        return "pillars"
    if heads or any(c.kind == "item" for c in group.children):
        return "strategies" if normalize_label(group.label).endswith("戦略") else "principles"
    return "description"


_CLASSES = {
    "pillars": (PK.PillarGroup, PK.Pillar, PK.NationalMeasure),
    "principles": (PK.PrincipleGroup, PK.PrincipleGroup, PK.Principle),
    "strategies": (PK.StrategyGroup, PK.BasicStrategy, PK.BasicStrategy),
}


def build_items(plan: Plan, root: Node) -> list[Item]:
    """The plan's items from one slide outline (plan description filled as a side effect)."""
    items: list[Item] = []
    title = root.children[0] if root.children and root.children[0].level == 1 else None
    if title is not None and plan.description is None:
        own = [d for d in title.description if not _STATEMENT.search(normalize_label(d))]
        plan.description = "\n".join(own) or None
    for group in _groups(root):
        kind = classify(group)
        if kind == "description":
            if group.description and plan.description is None:
                plan.description = "\n".join(group.description)
            continue
        if kind == "steps":
            steps = [n for n in group.walk() if n.kind == "heading" and n.number is not None]
            items += [_item(plan, s, PK.ProcedureStep, plan.name, []) for s in steps]
            for n in group.walk():
                if n.kind == "heading" and n.number is None and n.checks and plan.description is None:
                    plan.description = "\n".join(c for c, _ in n.checks)
            continue
        if kind == "revisions":
            rows = [n for n in group.walk() if n.kind == "row"]
            items += [_item(plan, r, PK.RevisionPoint, plan.name, []) for r in rows]
            continue
        items.append(_tree(plan, group, plan.name, _CLASSES[kind], 0))
    return items


def _item(plan: Plan, node: Node, cls: URIRef, parent_label: str, children: list[Item]) -> Item:
    """The item's IRI is the national reference data's when it names the item (plan + label), else minted alike."""
    iri = bundled_reference().item(plan.key, node.label) or item_iri(plan.key, parent_label, node.label)
    return Item(iri, node.label, cls, plan, node, children)


def _tree(plan: Plan, node: Node, parent_label: str, classes: tuple[URIRef, URIRef, URIRef], depth: int) -> Item:
    kids = [c for c in node.children if c.kind == "item" or (c.kind == "heading" and not _empty(c))]
    if depth == 0:
        cls = classes[0]
    elif kids:
        cls = classes[1]
    else:
        cls = classes[2] if classes[0] != PK.StrategyGroup else classes[1]
    if classes[0] == PK.PillarGroup and depth == 1:
        cls = PK.Pillar
    children = [_tree(plan, k, node.label, classes, depth + 1) for k in kids]
    return _item(plan, node, cls, parent_label, children)


def emit_items(em: Emitter, items: list[Item], parent: URIRef | None = None) -> None:
    """Items with class, plan, hierarchy, order (per plan at the top), description and checkpoints."""
    counters: dict[str, int] = {}
    for k, item in enumerate(items, start=1):
        if parent is None:
            k = counters[item.plan.key] = counters.get(item.plan.key, 0) + 1
        plan = item.plan.iri
        known = bundled_reference().pref_label(item.iri)
        iri = em.entity(item.iri, (item.cls, PK.NationalItem, SKOS.Concept), known or item.label, item.node.line, scheme=plan)
        if known is not None:
            em.alt_label(iri, item.label)
        em.add(iri, PK.inPlan, plan)
        if parent is None:
            em.add(iri, SKOS.topConceptOf, plan)
            em.add(plan, SKOS.hasTopConcept, iri)
        else:
            em.add(iri, SKOS.broader, parent)
        ordinal = item.node.number if item.node.number is not None else k
        em.add(iri, PK.ordinal, Literal(ordinal, datatype=XSD.integer))
        if item.node.description and (iri, DCTERMS.description, None) not in em.graph:
            em.describe(iri, "\n".join(item.node.description))
        for text, _ in item.node.checks:
            em.text(iri, PK.checkpoint, text)
        emit_items(em, item.children, iri)


def relate(plans: NationalPlans, items: list[Item]) -> None:
    """Plan-to-plan relations stated through items (docs/loader.md):
    a strategy naming another plan → that plan implements this one; a revision point naming another
    plan → this plan references it."""
    for item in (i for top in items for i in _flat(top)):
        other = plans.named_in(item.label)
        if item.cls == PK.BasicStrategy and other and other.key != item.plan.key:
            other.implements.add(item.plan.key)
        if item.cls == PK.RevisionPoint:
            for text in item.node.description:
                for plan in plans.plans.values():
                    if plan.key != item.plan.key and any(normalize_label(n) in normalize_label(text) for n in plan.names()):
                        item.plan.references.add(plan.key)


def _flat(item: Item):
    yield item
    for child in item.children:
        yield from _flat(child)


def overview_variants(em: Emitter, overview: list[Node], items: list[Item]) -> None:
    """On overview slides, a heading repeating a group's label lists short names of its children:
    each paragraph is matched to a child (similarity) and becomes its altLabel."""
    groups = [i for top in items for i in _flat(top) if i.children]
    for root in overview:
        for node in root.walk():
            if node.kind != "heading":
                continue
            group = next((g for g in groups if normalize_label(g.label) == normalize_label(node.label)), None)
            if group is None:
                continue
            em.locate(group.iri, node.line)
            for text, line in node.paragraphs:
                child = best_match(text, group.children, key=lambda c: c.label)
                if child is not None:
                    em.alt_label(child.iri, text)
                    em.locate(child.iri, line)




def mention_variants(em: Emitter, plans: NationalPlans, items: list[Item]) -> None:
    """Paragraph blocks on a plan's slides that consist of its item labels (a diagram's boxes, e.g.
    「地方に仕事をつくる / 結婚・出産子育ての希望をかなえる」): each box locates its item and adds its wording."""
    flat = [i for top in items for i in _flat(top)]
    for plan in plans.plans.values():
        own = [i for i in flat if i.plan is plan]
        for block in plan.blocks:
            spans = segment_labels([t for t, _ in block], own, key=lambda i: i.label, join="".join, minimum=MENTION_SIMILARITY)
            if spans is None:
                continue
            position = 0
            for label, item in spans:
                line = block[position][1]
                consumed = ""
                while position < len(block) and consumed != label:
                    consumed += block[position][0]
                    position += 1
                if item is not None:
                    em.alt_label(item.iri, label)
                    em.locate(item.iri, line)


def parse_national(deck: Deck, slides: list[Slide], registry: dict, file: str) -> tuple[NationalPlans, list[Item], list[Node]]:
    """Plans, their items and the overview slides' outlines, from the national slides."""
    plans = discover(deck, slides, registry)
    items: list[Item] = []
    overview: list[Node] = []
    for slide in slides:
        root = outline(slide)
        plan = slide_plan(plans, slide)
        if plan is None:
            overview.append(root)
            continue
        read_facts(plan, slide, file)
        items += build_items(plan, root)
        title = next((h for h in map(heading_of, slide.lines) if h and h.level == 1), None)
        host = plans.named_in(title.text) if title else None
        if plan.kind == "Guideline" and host is not None and host.key != plan.key:
            plan.accompanies.add(host.key)
    relate(plans, items)
    return plans, items, overview


__all__ = ["Item", "classify", "build_items", "emit_items", "relate", "overview_variants", "mention_variants", "parse_national"]
