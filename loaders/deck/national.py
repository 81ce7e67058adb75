"""National plans (国の動向 slides): which plans, their laws, agencies, dates, editions, period and KPI.

Discovery is structural: a heading followed by a 【agency】 line or a line of laws (…法、…法) is a
plan; so is a heading naming a registry plan (national_plans.toml) or a heading with 【第n版】.
Each later slide belongs to the plan its deepest heading names (name or registry alias).
Plan facts are read with patterns over the slide text: 「<date>に閣議決定」, 「<date>に…【第2版】に改定」,
「<agency>が…作成 (<date>)」, 「YYYY年度からYYYY年度まで」 and KPI blocks 「…を / YYYY年度までにN団体」.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from rdflib import Literal, URIRef

from policykg.errors import SourceError
from policykg.ids import digest, entity_iri, normalize_label
from policykg.loaders.deck.cells import clean_label, strip_markup, tidy
from policykg.loaders.deck.emit import Emitter, end_date, quantity, unit_iri
from policykg.loaders.deck.national_reference import bundled_reference, kpi_iri, target_time_iri
from policykg.loaders.deck.segment import Deck, Slide, heading_of
from policykg.values import TimeValue, ValueFormatError, parse_quantity, parse_time
from policykg.namespaces import PK, RDF, SKOS

_AGENCY = re.compile(r"【([^】]*?(?:庁|府|省|局|本部|会議))】")
_EDITION = re.compile(r"【\s*(第[\d.０-９]+版)\s*】")
_DATE = r"((?:令和|平成|昭和)(?:\d+|元)年(?:\d+月)?|\d{4}年(?:\d+月)?)"
_DECIDED = re.compile(_DATE + r"に(閣議決定|決定)")
_REVISED = re.compile(_DATE + r"に[^。]*?(第[\d.]+版)】?に改定")
_CREATED = re.compile(r"([^\s、。]{1,8}?(?:省|庁|府))が.*?作成.*?\(\s*" + _DATE + r"\s*\)")
_PERIOD = re.compile(r"(\d{4}年度から\d{4}年度まで)")
_KPI_TARGET = re.compile(r"^(\d{4}年度|(?:令和|平成)\d+年度)までに(.+)$")


@dataclass
class Plan:
    key: str
    name: str
    line: int
    kind: str = "NationalPlan"
    en: str | None = None
    aliases: list[str] = field(default_factory=list)
    laws: list[tuple[str, int]] = field(default_factory=list)
    agencies: list[tuple[str, int]] = field(default_factory=list)
    decided: tuple[TimeValue, str, int] | None = None
    revised: list[tuple[TimeValue, int]] = field(default_factory=list)
    created: tuple[TimeValue, int] | None = None
    edition: str | None = None
    period: tuple[TimeValue, int] | None = None
    description: str | None = None
    kpis: list[tuple[str, int, list[tuple[TimeValue, str, int]]]] = field(default_factory=list)
    implements: set[str] = field(default_factory=set)
    references: set[str] = field(default_factory=set)
    accompanies: set[str] = field(default_factory=set)
    mentions: list[int] = field(default_factory=list)
    blocks: list[list[tuple[str, int]]] = field(default_factory=list)  # paragraph lines, for mentions

    def names(self) -> list[str]:
        return [self.name, *self.aliases]

    @property
    def iri(self) -> URIRef:
        return entity_iri("jp", "plan", self.key)


@dataclass
class NationalPlans:
    plans: dict[str, Plan] = field(default_factory=dict)
    registry: dict[str, Any] = field(default_factory=dict)

    def named_in(self, text: str) -> Plan | None:
        """The plan whose name or alias occurs in ``text`` (longest name wins)."""
        norm = normalize_label(text)
        hits = [(len(normalize_label(n)), p) for p in self.plans.values() for n in p.names() if normalize_label(n) in norm]
        return max(hits, key=lambda h: h[0])[1] if hits else None

    def add(self, name: str, line: int) -> Plan:
        found = self.named_in(name)
        if found and normalize_label(name) in {normalize_label(n) for n in found.names()}:
            return found
        known = next((p for p in self.registry.get("plan", []) if normalize_label(p["name"]) == normalize_label(name)), None)
        if known:
            plan = Plan(known["key"], known["name"], line, known.get("kind", "NationalPlan"), known.get("en"),
                        list(known.get("aliases", [])))
        else:
            kind = "Guideline" if re.search(r"(手順書|ガイドライン|指針)$", name) else "NationalPlan"
            plan = Plan(f"plan-{digest(name)}", name, line, kind)
        self.plans.setdefault(plan.key, plan)
        return self.plans[plan.key]


def _time(text: str, file: str, line: int, field_name: str) -> TimeValue:
    try:
        return parse_time(text)
    except ValueFormatError as exc:
        raise SourceError(str(exc), file, line, field_name) from exc


def _block_after(slide: Slide, index: int) -> list[tuple[str, int]]:
    out = []
    for line in slide.lines[index + 1:]:
        if heading_of(line):
            break
        if not line.is_blank:
            out.append((clean_label(line.text), line.no))
    return out


def discover(deck: Deck, national_slides: list[Slide], registry: dict[str, Any]) -> NationalPlans:
    """Plans named on the national slides, with laws and agencies from the lines under their heading."""
    out = NationalPlans(registry=registry)
    registry_names = {normalize_label(p["name"]) for p in registry.get("plan", [])}
    for slide in national_slides:
        for i, line in enumerate(slide.lines):
            h = heading_of(line)
            if not h:
                continue
            label = tidy(h.text)
            block = _block_after(slide, i)
            agencies = [(m, no) for text, no in block for m in _AGENCY.findall(text)]
            laws = [(law, no) for text, no in block if not _AGENCY.search(text) and text.endswith("法")
                    for law in re.split(r"[、,]", text) if law.endswith("法")]
            if agencies or laws or normalize_label(label) in registry_names:
                plan = out.add(label, line.no)
                plan.laws += laws
                plan.agencies += agencies
            elif _EDITION.search(label):
                quoted = re.search(r"「([^」]+)」", label)
                name = quoted.group(1) if quoted else _EDITION.split(label)[0]
                if out.named_in(name) is None and re.search(r"(計画|戦略|手順書|方針)$", name):
                    out.add(name, line.no)
    return out


def slide_plan(plans: NationalPlans, slide: Slide) -> Plan | None:
    """The plan named by the slide's deepest heading that names one."""
    headings = sorted((h for h in map(heading_of, slide.lines) if h), key=lambda h: -h.level)
    for h in headings:
        if h.level <= 2:
            found = plans.named_in(h.text)
            if found:
                found.mentions.append(h.line)
                return found
    return None


def read_facts(plan: Plan, slide: Slide, file: str) -> None:
    """Decision, revision, edition, creation, period and KPI statements on one of the plan's slides."""
    texts = [(strip_markup(line.text).strip(), line.no) for line in slide.lines if not line.is_blank]
    for text, no in texts:
        compacted = normalize_label(text)
        if (m := _DECIDED.search(compacted)) and plan.decided is None:
            plan.decided = (_time(m.group(1), file, no, "decided"), m.group(2), no)
        if h := _EDITION.search(text):
            plan.edition = plan.edition or h.group(1)
        if (m := _PERIOD.search(compacted)) and plan.period is None:
            plan.period = (_time(m.group(1), file, no, "planPeriod"), no)
    joined = normalize_label(" ".join(t for t, _ in texts))
    first_line = texts[0][1] if texts else slide.start
    for m in _REVISED.finditer(joined):
        value = _time(m.group(1), file, first_line, "revised")
        if all(v.text != value.text for v, _ in plan.revised):
            plan.revised.append((value, _line_of(texts, m.group(1), first_line)))
        plan.edition = plan.edition or m.group(2)
    if (m := _CREATED.search(joined)) and plan.created is None:
        plan.created = (_time(m.group(2), file, first_line, "created"), _line_of(texts, "作成", first_line))
        plan.agencies.append((m.group(1), _line_of(texts, m.group(1), first_line)))
    _kpis(plan, texts, file)
    block: list[tuple[str, int]] = []
    for line in [*slide.lines, None]:
        plain = line is not None and not line.is_blank and not heading_of(line) and not line.is_table_row \
            and not re.match(r"^\s*(?:[-*・]|\d{1,2}[.．)])\s", line.text)
        if plain and line is not None:
            block.append((tidy(strip_markup(line.text)), line.no))
        elif block:
            plan.blocks.append(block)
            block = []


def _line_of(texts: list[tuple[str, int]], needle: str, default: int) -> int:
    return next((no for t, no in texts if needle in normalize_label(t)), default)


def _kpis(plan: Plan, texts: list[tuple[str, int]], file: str) -> None:
    for i, (text, no) in enumerate(texts):
        label = tidy(text)
        if not label.endswith("を") or i + 1 >= len(texts) or not _KPI_TARGET.match(tidy(texts[i + 1][0])):
            continue
        targets = []
        for t, tno in texts[i + 1:]:
            m = _KPI_TARGET.match(tidy(t))
            if not m:
                break
            targets.append((_time(m.group(1), file, tno, "KPI"), m.group(2), tno))
        plan.kpis.append((label.removesuffix("を"), no, targets))


def emit_plans(em: Emitter, plans: NationalPlans, society5: URIRef, file: str) -> None:
    """Plans with laws, agencies, dates, editions, period, KPI and plan-to-plan relations."""
    agency_en = plans.registry.get("agency_en", {})
    law_en = plans.registry.get("law_en", {})
    ref = bundled_reference()
    for plan in plans.plans.values():
        classes = (PK.Guideline,) if plan.kind == "Guideline" else (PK.NationalPlan,)
        p = em.entity(plan.iri, (*classes, PK.PolicyDocument, SKOS.ConceptScheme), plan.name, plan.line, en=plan.en)
        em.add(p, PK.realizes, society5)
        for no in plan.mentions:
            em.locate(p, no)
        for alias in plan.aliases:
            em.alt_label(p, alias)
        for law, no in plan.laws:
            law_iri = ref.law(law) or entity_iri("jp", "law", f"law-{digest(law)}")
            iri = _mention(em, ref, law_iri, (PK.Law,), law, no, en=law_en.get(law))
            em.add(p, PK.legalBasis, iri)
        for agency, no in plan.agencies:
            agency_iri = ref.agency(agency) or entity_iri("jp", "agency", f"ag-{digest(agency)}")
            iri = _mention(em, ref, agency_iri, (PK.Agency,), agency, no, en=agency_en.get(agency))
            em.add(p, PK.responsibleAgency, iri)
        if plan.decided:
            value, kind, no = plan.decided
            em.add(p, PK.decided, em.time(value))
            em.text(p, PK.decisionType, kind)
            em.locate(p, no)
        for value, no in plan.revised:
            em.add(p, PK.revised, em.time(value))
            em.locate(p, no)
        if plan.created:
            em.add(p, PK.created, em.time(plan.created[0]))
        if plan.edition:
            em.text(p, PK.edition, plan.edition)
        if plan.period:
            em.add(p, PK.planPeriod, em.time(plan.period[0]))
        if plan.description:
            em.describe(p, plan.description)
        for prop, keys in ((PK.implements, plan.implements), (PK.references, plan.references),
                           (PK.accompanies, plan.accompanies)):
            for key in sorted(keys - {plan.key}):
                em.add(p, prop, plans.plans[key].iri)
        for label, no, targets in plan.kpis:
            _emit_kpi(em, plan, label, no, targets, file)


def _emit_kpi(em: Emitter, plan: Plan, label: str, line: int, targets: list[tuple[TimeValue, str, int]], file: str) -> None:
    ref = bundled_reference()
    iri = _mention(em, ref, ref.kpi(plan.key, label) or kpi_iri(plan.key, label), (PK.NumericIndicator, PK.Indicator),
                   label, line, scheme=plan.iri)
    em.add(iri, PK.indicatorOf, plan.iri)
    em.add(iri, PK.desiredDirection, PK.HigherIsBetter)
    for k, (when, value_text, no) in enumerate(targets, start=1):
        try:
            q = parse_quantity(value_text)
        except ValueFormatError as exc:
            raise SourceError(str(exc), file, no, "KPI") from exc
        if q.value is None:
            raise SourceError(f"KPI target is not a number: {value_text!r}", file, no, "KPI")
        t = URIRef(f"{iri}-target-{k}")
        em.add(iri, PK.hasTarget, t)
        em.add(t, RDF.type, PK.Target)
        em.add(t, PK.targetOf, iri)
        quantity(em, t, q)
        em.add(t, PK.comparator, PK[q.comparator or "AtLeast"])
        em.add(t, PK.targetTime, _target_time(em, target_time_iri(iri, k), when))
        em.add(t, PK.dueDate, end_date(when))
        em.locate(t, no)
        if k == 1:
            em.add(iri, PK.unit, unit_iri(q.unit))
            em.add(iri, PK.unitText, Literal(q.unit_text))


def _mention(em: Emitter, ref, iri: URIRef, classes: tuple[URIRef, ...], label: str, line: int, **kw) -> URIRef:
    """An entity the deck mentions; if the national reference data names it differently, its label wins
    and the deck's wording becomes an altLabel (one ja prefLabel per entity)."""
    known = ref.pref_label(iri)
    em.entity(iri, classes, known or label, line, **kw)
    if known is not None:
        em.alt_label(iri, label)
    return iri


def _target_time(em: Emitter, node: URIRef, when: TimeValue) -> URIRef:
    """A KPI target's time as an IRI node (national_reference.target_time_iri): the same node as the reference's."""
    blank = em.time(when)
    for p, o in list(em.graph.predicate_objects(blank)):
        em.add(node, p, o)
    em.graph.remove((blank, None, None))
    return node


__all__ = ["Plan", "NationalPlans", "discover", "slide_plan", "read_facts", "emit_plans"]
