"""Workbook rows → one rdflib Graph of a local plan (pure: no files; see :mod:`read` for I/O).

The graph uses the deck loader's classes and properties (docs/model.md), so gaps, trace, the API
and the pages work for it unchanged. IRIs carry the jurisdiction key in their last segment
(``<key>-area-1``, ``<key>-m-<digest>``) so API ids never clash with another jurisdiction's; an
``ID`` cell fixes an entity's id instead (``policykg export --workbook`` writes them).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Literal, URIRef

from policykg.errors import SourceError
from policykg.ids import digest, entity_iri, local_id, normalize_label
from policykg.values import Instant, Interval, TimeValue, fiscal_year_instant
from policykg.loaders.workbook.cells import Cells
from policykg.loaders.workbook.emit import RowEmitter
from policykg.loaders.workbook.read import WorkbookData
from policykg.loaders.workbook.schema import SHEETS
from policykg.namespaces import DCTERMS, ID, PK, PROV, RDF, SKOS, XSD

SOCIETY5 = entity_iri("jp", "society5")


def check_code(code: str) -> bool:
    """Whether a 全国地方公共団体コード is well formed: 5 digits, or 6 with a correct check digit.

    >>> check_code("010006"), check_code("221309"), check_code("221300"), check_code("01000")
    (True, True, False, True)
    """
    if not re.fullmatch(r"\d{5,6}", code):
        return False
    if len(code) == 5:
        return True
    total = sum(int(d) * w for d, w in zip(code[:5], (6, 5, 4, 3, 2)))
    return (11 - total % 11) % 10 == int(code[5])


def code_text(value: object) -> str:
    """A code cell as text; a number (Excel drops leading zeros: 10006) gets its zeros back.

    >>> code_text(10006), code_text("010006"), code_text(1000), code_text(None)
    ('010006', '010006', '01000', '')
    """
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and float(value).is_integer():
        digits = str(int(value))
        return digits.zfill(6) if check_code(digits.zfill(6)) else digits.zfill(5)
    return str(value).strip()


def document_iri(file_name: str) -> URIRef:
    """``pkid:source/<file stem>`` (the same rule the observation loader uses for its rows)."""
    stem = re.sub(r"[^A-Za-z0-9._~-]+", "-", Path(file_name).stem).strip("-") or "workbook"
    return entity_iri("source", stem)


def as_period(value: TimeValue) -> Interval:
    """A period as is; a fiscal year or a month as the interval it spans; a day as a one-day interval.

    >>> from policykg.loaders.workbook.dates import parse_date_cell
    >>> p = as_period(parse_date_cell("2025年度")); (p.begin.date, p.end.date)
    (datetime.date(2025, 4, 1), datetime.date(2026, 3, 31))
    """
    if isinstance(value, Interval):
        return value
    if value.unit == "year" and value.fiscal_year is not None:
        return Interval(fiscal_year_instant(value.fiscal_year, value.text, at="start"), value, value.text)
    if value.unit == "month":
        return Interval(Instant(value.date.replace(day=1), "month", value.text), value, value.text)
    return Interval(value, value, value.text)


@dataclass
class Plan:
    """What later sheets resolve against: the plan, its areas, directions, measures, indicators."""

    key: str
    iri: URIRef
    areas: dict[int, URIRef] = field(default_factory=dict)
    area_labels: dict[int, str] = field(default_factory=dict)
    directions: dict[str, URIRef] = field(default_factory=dict)  # notation and normalised labels
    measures: dict[str, URIRef] = field(default_factory=dict)
    indicators: dict[str, URIRef] = field(default_factory=dict)
    rows: dict[str, URIRef] = field(default_factory=dict)
    ids: dict[str, tuple[str, int]] = field(default_factory=dict)  # local id → (sheet, row)
    by_id: dict[str, URIRef] = field(default_factory=dict)


class WorkbookParser:
    """One pass over the sheets in dependency order; raises at the first bad cell."""

    def __init__(self, data: WorkbookData, context: Graph, known_jurisdictions: list[dict]) -> None:
        self.data = data
        self.file = Path(data.file).name
        self.context = context
        self.known = known_jurisdictions
        self.doc = document_iri(data.file)
        self.em = RowEmitter(self.doc)
        self._context_ids: dict[str, URIRef] | None = None
        self.roadmap_cells: Cells | None = None  # the plan row: it carries the roadmap's title and period

    def rows(self, key: str):
        sheet = SHEETS[key]
        for row in self.data.sheets[key].rows:
            yield Cells(self.data.file, sheet, row)

    # --- identity ---------------------------------------------------------------------------

    def context_ids(self) -> dict[str, URIRef]:
        """API ids already taken in the context by entities of other sources."""
        if self._context_ids is None:
            own = set(self.context.subjects(PROV.wasDerivedFrom, self.doc))
            self._context_ids = {local_id(s): s for s in set(self.context.subjects(RDF.type, None))
                                 if isinstance(s, URIRef) and s.startswith(str(ID)) and s not in own}
        return self._context_ids

    def mint(self, c: Cells, plan: Plan, folder: str, default: str, *parents: str) -> URIRef:
        ident = c.ident() if "id" in {col.key for col in c.sheet.columns} else None
        ident = ident or default
        iri = entity_iri(plan.key, folder, *parents, ident)
        if ident in plan.ids:
            sheet, row = plan.ids[ident]
            raise c.fail("id" if c.row.get("id") else None,
                         f"ID「{ident}」はシート「{sheet}」の{row}行目と重なります / the id {ident!r} is also used on sheet "
                         f"{sheet!r} row {row}")
        other = self.context_ids().get(ident)
        if other is not None and other != iri:
            raise c.fail("id" if c.row.get("id") else None,
                         f"ID「{ident}」は読み込み済みの <{other}> と重なります / the id {ident!r} is taken by <{other}>")
        plan.ids[ident] = (c.sheet.label, c.row.number)
        plan.by_id[ident] = iri
        return iri

    # --- sheets -----------------------------------------------------------------------------

    def jurisdiction(self) -> tuple[str, str, str, str]:
        c = next(self.rows("jurisdiction"))
        name, code, name_en = c.text("name"), code_text(c.row.get("code")), c.text("name_en")
        if code and not check_code(code):
            raise c.fail("code", f"全国地方公共団体コードは5桁、または検査数字を含む6桁です: {code!r} / a local government "
                                 f"code has 5 digits, or 6 with a valid check digit: {code!r}")
        key = c.ident("key")
        if key is None:
            registered = next((j for j in self.known if j["name"] == name), None)
            if registered is not None:
                key = registered["key"]
            elif code:
                key = f"lg-{code}"
            else:
                raise c.fail("key", "キーか全国地方公共団体コードを書いてください / give a key or the local government code")
        return name, code, name_en, key.lower()

    def plan(self) -> Plan:
        name, code, name_en, key = self.jurisdiction()
        c = next(self.rows("plan"))
        plan = Plan(key, URIRef(""))
        plan.iri = self.mint(c, plan, "plan", f"{key}-plan")
        for other in self.context.subjects(RDF.type, PK.LocalPlan):
            loaded_from = set(self.context.objects(other, PROV.wasDerivedFrom))
            same = other == plan.iri or Literal(name, lang="ja") in set(self.context.objects(other, PK.jurisdiction))
            if same and self.doc not in loaded_from:
                raise SourceError(
                    f"「{name}」の計画は既に読み込まれています（<{other}>）。同じ自治体を2回読み込めません / a plan of "
                    f"{name!r} is already loaded (<{other}>); build without that source (--source) to replace it",
                    file=self.data.file, line=c.row.number, field=SHEETS["jurisdiction"].column("name").header,
                    sheet=SHEETS["jurisdiction"].label)
        title = c.text("title")
        self.em.source_document(self.file, hashlib.sha256(self.data.digest_source).hexdigest(), f"{title}（{self.file}）")
        p = self.em.entity(plan.iri, (PK.LocalPlan, PK.PolicyDocument, SKOS.ConceptScheme), title,
                           c.sheet.title, c.row.number, en=c.text("title_en"))
        self.em.add(p, PK.jurisdiction, Literal(name, lang="ja"))
        if name_en:
            self.em.add(p, PK.jurisdiction, Literal(name_en, lang="en"))
        if code:
            self.em.add(p, PK.localGovernmentCode, Literal(code))
        if (SOCIETY5, RDF.type, PK.Vision) in self.context:
            self.em.add(p, PK.realizes, SOCIETY5)
        self.em.text(p, PK.edition, c.text("edition"))
        if (period := c.date("period")) is not None:
            self.em.add(p, PK.planPeriod, self.em.time(period))
        if (adopted := c.date("adopted")) is not None:
            self.em.add(p, PK.decided, self.em.time(adopted))
        if url := c.text("source_url"):
            if not re.match(r"^https?://\S+$", url):
                raise c.fail("source_url", f"http(s):// で始まる URL を書いてください: {url!r} / not an http(s) URL: {url!r}")
            self.em.add(p, DCTERMS.source, URIRef(url))
        self.roadmap_cells = c
        return plan

    def areas(self, plan: Plan) -> None:
        for c in self.rows("areas"):
            n = c.integer("number")
            if n in plan.areas:
                raise c.fail("number", f"分野番号 {n} が重複しています / area number {n} appears twice")
            a = self.mint(c, plan, "area", f"{plan.key}-area-{n}")
            label = c.text("label")
            self.em.entity(a, (PK.PolicyArea, SKOS.Concept), label, c.sheet.title, c.row.number,
                           scheme=plan.iri, en=c.text("label_en"))
            self.em.add(a, SKOS.notation, Literal(str(n)))
            self.em.add(a, PK.ordinal, Literal(n, datatype=XSD.integer))
            self.em.text(a, PK.goal, c.text("goal"))
            self.em.add(a, SKOS.topConceptOf, plan.iri)
            self.em.add(plan.iri, SKOS.hasTopConcept, a)
            self.em.add(plan.iri, PK.hasArea, a)
            self.em.alt_labels(a, c.items("alt_labels"))
            plan.areas[n], plan.area_labels[n] = a, label

    def area_of(self, c: Cells, plan: Plan) -> tuple[int, URIRef]:
        n = c.integer("area")
        if n not in plan.areas:
            known = "、".join(str(k) for k in sorted(plan.areas))
            raise c.fail("area", f"分野番号 {n} はシート「分野」にありません（ある番号: {known}） / no area number {n} "
                                 f"on sheet 'areas' (numbers: {known})")
        return n, plan.areas[n]

    def directions(self, plan: Plan) -> None:
        for c in self.rows("directions"):
            n, area = self.area_of(c, plan)
            letter = c.text("letter").lower()
            if not re.fullmatch(r"[a-z]", letter):
                raise c.fail("letter", f"記号は a〜z の1文字です: {letter!r} / the letter is one of a-z: {letter!r}")
            notation = f"{n}{letter}"
            if notation in plan.directions:
                raise c.fail("letter", f"展開方針 {notation} が重複しています / direction {notation} appears twice")
            d = self.mint(c, plan, "direction", f"{plan.key}-dir-{notation}")
            label = c.text("label")
            self.em.entity(d, (PK.PolicyDirection, SKOS.Concept), label, c.sheet.title, c.row.number,
                           scheme=plan.iri, en=c.text("label_en"))
            self.em.add(d, PK.letter, Literal(letter))
            self.em.add(d, SKOS.notation, Literal(notation))
            self.em.add(d, PK.area, area)
            self.em.add(d, SKOS.broader, area)
            alts = c.items("alt_labels")
            self.em.alt_labels(d, alts)
            plan.directions[notation] = d
            for text in (label, *alts):
                plan.directions.setdefault(normalize_label(text), d)

    def direction_ref(self, c: Cells, plan: Plan, key: str, text: str) -> URIRef:
        found = plan.directions.get(text.strip().lower()) or plan.directions.get(normalize_label(text))
        if found is None:
            codes = "、".join(k for k in plan.directions if re.fullmatch(r"\d+[a-z]", k))
            raise c.fail(key, f"展開方針「{text}」がシート「展開方針」にありません（記号: {codes}） / no direction {text!r} "
                              f"on sheet 'directions' (codes: {codes})")
        return found

    def measures(self, plan: Plan) -> None:
        for c in self.rows("measures"):
            label = c.text("label")
            norm = normalize_label(label)
            if norm in plan.measures:
                raise c.fail("label", f"施策「{label}」が重複しています。複数の展開方針は1行に ; 区切りで書きます / "
                                      f"duplicate measure {label!r}; list several directions in one row, separated by ;")
            directions = [self.direction_ref(c, plan, "directions", t) for t in c.items("directions")]
            if not directions:
                raise c.fail("directions", "展開方針を書いてください / a direction is required")
            m = self.mint(c, plan, "measure", f"{plan.key}-m-{digest(label)}")
            self.em.entity(m, (PK.Measure, SKOS.Concept), label, c.sheet.title, c.row.number,
                           scheme=plan.iri, en=c.text("label_en"))
            for d in directions:
                self.em.add(m, PK.direction, d)
                self.em.add(m, SKOS.broader, d)
            if (period := c.date("period")) is not None:
                self.em.add(m, PK.implementationPeriod, self.em.time(as_period(period)))
            self.em.alt_labels(m, c.items("alt_labels"))
            plan.measures[norm] = m


__all__ = ["WorkbookParser", "Plan", "check_code", "document_iri", "SOCIETY5"]
