"""The national reference ledger → Turtle (data/national/reference.toml → jp-national-reference.ttl).

``reference.toml`` is the fact ledger: every fact names the page it was read on. :func:`reference_turtle`
writes it as Turtle, one block per entity, each entity located by the line its block starts on
(``pk:sourceLocation`` in the generated file). Regenerate after editing the ledger::

    .venv/bin/python -m policykg.loaders.deck.national_ledger

tests/national/ fails when the Turtle is out of date. docs/national.md describes the tables.
"""

from __future__ import annotations

import sys
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import Graph, Literal, URIRef

from policykg.ids import digest, entity_iri
from policykg.loaders.deck.emit import decimal, end_date
from policykg.loaders.deck.national_reference import (
    DOCUMENT, FACTS_FILE, REFERENCE_FILE, data_dir, item_iri, kpi_iri, target_time_iri,
)
from policykg.values import Interval, TimeValue, parse_quantity, parse_time
from policykg.namespaces import DCTERMS, ID, RDFS, SKOS

SOCIETY5 = entity_iri("jp", "society5")

_PREFIXES = {
    "pk": "https://w3id.org/policykg/ontology#", "unit": "https://w3id.org/policykg/unit/",
    "skos": str(SKOS), "rdfs": str(RDFS), "dcterms": str(DCTERMS), "prov": "http://www.w3.org/ns/prov#",
    "time": "http://www.w3.org/2006/time#", "qudt": "http://qudt.org/schema/qudt/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
_TIME_UNIT = {"year": "time:unitYear", "month": "time:unitMonth", "day": "time:unitDay"}
_XSD = Graph().namespace_manager
"""Writes typed literals as ``"…"^^xsd:…`` (rdflib binds ``xsd`` by default)."""


def read_facts(path: Path | None = None) -> dict[str, Any]:
    """The fact ledger as a dict (tomllib)."""
    return tomllib.loads((path or data_dir() / FACTS_FILE).read_text(encoding="utf-8"))


def _iri(term: URIRef) -> str:
    text = str(term)
    return f"<{text[len(str(ID)):]}>" if text.startswith(str(ID)) else f"<{text}>"


def _lit(text: str, lang: str | None = "ja") -> str:
    return Literal(text, lang=lang).n3()


def _time(value: TimeValue) -> str:
    """An inline OWL-Time node, the deck's shape (loaders/deck/emit.py time_node)."""
    if isinstance(value, Interval):
        return (f"[ a time:ProperInterval ; time:hasBeginning {_time(value.begin)} ; time:hasEnd {_time(value.end)} ; "
                f"pk:originalText {_lit(value.text, None)} ]")
    parts = [f"a time:Instant ; time:inXSDDate \"{value.date.isoformat()}\"^^xsd:date ; time:unitType {_TIME_UNIT[value.unit]}"]
    if value.fiscal_year is not None:
        parts.append(f"pk:fiscalYear \"{value.fiscal_year}\"^^xsd:gYear")
    parts.append(f"pk:originalText {_lit(value.text, None)}")
    return "[ " + " ; ".join(parts) + " ]"


@dataclass
class _Block:
    subject: str
    props: list[tuple[str, list[str]]] = field(default_factory=list)
    located: bool = True

    def add(self, pred: str, *objs: str) -> None:
        if objs:
            self.props.append((pred, list(objs)))


class _Writer:
    """Collects subject blocks, then writes them with each entity's pk:sourceLocation line = its first line."""

    def __init__(self) -> None:
        self.blocks: list[_Block | str] = []

    def block(self, subject: URIRef, types: Iterable[str], *, located: bool = True) -> _Block:
        b = _Block(_iri(subject), located=located)
        b.add("a", *types)
        self.blocks.append(b)
        return b

    def comment(self, text: str) -> None:
        self.blocks.append(text)

    def text(self, header: str) -> str:
        lines = header.splitlines()
        for b in self.blocks:
            if isinstance(b, str):
                lines += ["", *[f"# {t}".rstrip() for t in b.splitlines()]]
                continue
            lines.append("")
            start = len(lines) + 1
            props = list(b.props)
            if b.located:
                props.append(("pk:sourceLocation", [f"[ a pk:SourceLocation ; pk:document {_iri(DOCUMENT)} ; pk:line {start} ]"]))
            lines.append(f"{b.subject} {props[0][0]} {' , '.join(props[0][1])} ;" if len(props) > 1
                         else f"{b.subject} {props[0][0]} {' , '.join(props[0][1])} .")
            for k, (pred, objs) in enumerate(props[1:], start=1):
                end = " ." if k == len(props) - 1 else " ;"
                lines.append(f"    {pred} {' , '.join(objs)}{end}")
        return "\n".join(lines) + "\n"


def _check_pin(kind: str, label: str, minted: URIRef, pinned: str | None) -> URIRef:
    if pinned is not None and str(minted) != str(ID) + "jp/" + pinned:
        raise ValueError(f"{kind} {label!r}: its IRI would move from jp/{pinned} to {minted}; keep the label or the IRI")
    return minted


class _Ledger:
    def __init__(self, facts: dict[str, Any]) -> None:
        self.facts = facts
        self.seen = facts["seen"]
        self.sources = {s["id"]: s for s in facts.get("source", [])}
        self.plans = {p["key"]: p for p in facts.get("plan", [])}
        self.laws = {x["label"]: self._pinned("law", "law", "law-", x) for x in facts.get("law", [])}
        self.agencies = {x["label"]: self._pinned("agency", "agency", "ag-", x) for x in facts.get("agency", [])}

    def _pinned(self, kind: str, segment: str, prefix: str, fact: dict) -> URIRef:
        return _check_pin(kind, fact["label"], entity_iri("jp", segment, prefix + digest(fact["label"])), fact.get("iri"))

    def source_urls(self, ids: list[str], where: str) -> list[str]:
        missing = [i for i in ids if i not in self.sources]
        if missing or not ids:
            raise ValueError(f"{where}: every fact needs a known source; unknown or none: {missing or ids}")
        return [f"<{self.sources[i]['url']}>" for i in ids]

    def plan_iri(self, key: str) -> URIRef:
        if key not in self.plans:
            raise ValueError(f"unknown plan key {key!r}; known: {', '.join(self.plans)}")
        return entity_iri("jp", "plan", key)

    def edition_iri(self, plan: str, slug: str) -> URIRef:
        return entity_iri("jp", "edition", f"{plan}-{slug}")


def _labels(b: _Block, ja: str, en: str | None = None) -> None:
    b.add("skos:prefLabel", _lit(ja), *([_lit(en, "en")] if en else []))
    b.add("rdfs:label", _lit(ja), *([_lit(en, "en")] if en else []))


def _common(b: _Block, ledger: _Ledger, fact: dict, where: str) -> None:
    b.add("dcterms:source", *ledger.source_urls(fact.get("sources", []), where))
    b.add("prov:wasDerivedFrom", _iri(DOCUMENT))
    if fact.get("note"):
        b.add("skos:editorialNote", _lit(fact["note"]))


def reference_turtle(facts: dict[str, Any]) -> str:
    """The reference data as Turtle (deterministic, one block per entity, located by line).

    :raises ValueError: a fact without a known source, an unknown plan or parent, a moved pinned IRI,
        or two items of one plan with the same label.
    """
    ledger = _Ledger(facts)
    w = _Writer()
    _document(w, ledger)
    _sources(w, ledger)
    w.comment("--- Society 5.0, agencies, laws ---")
    vision = w.block(SOCIETY5, ["pk:Vision"])
    _labels(vision, "Society 5.0", "Society 5.0")
    _common(vision, ledger, {"sources": ["hokkaido-deck"]}, "Society 5.0")
    for kind, table, cls in (("agency", ledger.agencies, "pk:Agency"), ("law", ledger.laws, "pk:Law")):
        for fact in facts.get(kind, []):
            b = w.block(table[fact["label"]], [cls])
            _labels(b, fact["label"], fact.get("en"))
            _common(b, ledger, fact, f"{kind} {fact['label']}")
    items = _item_iris(ledger)
    w.comment("--- plans and their editions ---")
    for plan in facts.get("plan", []):
        _plan(w, ledger, plan, items)
    for edition in facts.get("edition", []):
        _edition(w, ledger, edition)
    w.comment("--- national KPIs ---")
    for kpi in facts.get("kpi", []):
        _kpi(w, ledger, kpi)
    w.comment("--- national items ---")
    for item in facts.get("item", []):
        _item(w, ledger, item, items)
    return w.text(_header(ledger))


def _header(ledger: _Ledger) -> str:
    a = ledger.facts["attribution"]
    lines = [
        "# 国の計画の参照データ / National reference data (policykg)",
        f"# GENERATED from {FACTS_FILE} by policykg.loaders.deck.national_ledger: edit the ledger, not this file.",
        f"# 出典: each fact's dcterms:source (pages read {ledger.seen.isoformat()}). {a['edited']}.",
        f"# 利用条件: {a['licence_name']} <{a['licence']}> / {a['successor_name']} <{a['successor']}> (CC BY 4.0 互換).",
        "",
    ]
    lines += [f"@prefix {p}: <{iri}> ." for p, iri in sorted(_PREFIXES.items())]
    lines.append(f"@base <{ID}> .")
    return "\n".join(lines)


def _document(w: _Writer, ledger: _Ledger) -> None:
    a = ledger.facts["attribution"]
    b = w.block(DOCUMENT, ["pk:SourceDocument", "prov:Entity"], located=False)
    b.add("pk:fileName", _lit(REFERENCE_FILE, None))
    b.add("dcterms:title", _lit("国の計画の参照データ（デジタル政策）"), _lit("National reference data (digital policy plans)", "en"))
    b.add("dcterms:created", f"\"{ledger.seen.isoformat()}\"^^xsd:date")
    b.add("dcterms:license", f"<{a['licence']}>", f"<{a['successor']}>")
    b.add("dcterms:rights", _lit(f"{a['licence_name']}・{a['successor_name']}に基づき出典を記載。{a['edited']}。"))
    b.add("rdfs:seeAlso", f"<{a['cc_by']}>")


def _sources(w: _Writer, ledger: _Ledger) -> None:
    w.comment("--- the pages facts were read on (dcterms:date = the date seen) ---")
    day = f"{ledger.seen.year}年{ledger.seen.month}月{ledger.seen.day}日"
    for s in ledger.sources.values():
        if s["url"].startswith(str(ID)):
            continue                      # a source document of this repository: described by its own loader
        b = w.block(URIRef(s["url"]), ["dcterms:BibliographicResource"], located=False)
        b.add("dcterms:title", _lit(s["title"]))
        b.add("dcterms:publisher", _lit(s["publisher"]))
        b.add("dcterms:date", f"\"{ledger.seen.isoformat()}\"^^xsd:date")
        b.add("dcterms:bibliographicCitation",
              _lit(f"出典：「{s['title']}」（{s['publisher']}）（{s['url']}）（{day}に利用）を加工して作成"))
        b.add("rdfs:comment", _lit("公式の公開資料" if s["official"] else "二次資料（公式資料を報じる記事等）"))


def _plan(w: _Writer, ledger: _Ledger, plan: dict, items: dict) -> None:
    cls = "pk:Guideline" if plan.get("kind") == "Guideline" else "pk:NationalPlan"
    iri = ledger.plan_iri(plan["key"])
    b = w.block(iri, [cls, "pk:PolicyDocument", "skos:ConceptScheme"])
    _labels(b, plan["name"], plan.get("en"))
    b.add("skos:altLabel", *[_lit(a) for a in plan.get("aliases", [])])
    b.add("pk:legalBasis", *[_iri(ledger.laws[x]) for x in plan.get("laws", [])])
    b.add("pk:responsibleAgency", *[_iri(ledger.agencies[x]) for x in plan.get("agencies", [])])
    b.add("pk:realizes", _iri(SOCIETY5))
    for prop in ("implements", "references", "accompanies"):
        b.add(f"pk:{prop}", *[_iri(ledger.plan_iri(k)) for k in plan.get(prop, [])])
    tops = [i for i in ledger.facts.get("item", []) if i["plan"] == plan["key"] and "parent" not in i]
    b.add("skos:hasTopConcept", *[_iri(items[(i["plan"], i["label"])]) for i in tops])
    editions = [e for e in ledger.facts.get("edition", []) if e["plan"] == plan["key"]]
    b.add("dcterms:hasVersion", *[_iri(ledger.edition_iri(plan["key"], e["slug"])) for e in editions])
    if plan.get("partial"):
        b.add("rdfs:comment", _lit("partial: " + plan["partial"]))
    _common(b, ledger, plan, f"plan {plan['key']}")


def _edition(w: _Writer, ledger: _Ledger, e: dict) -> None:
    plan = ledger.plans[e["plan"]]
    decided = parse_time(e["decided"])
    label = f"{plan['name']}【{e['edition']}】" if e.get("edition") else f"{plan['name']}（{e['decided']}{e.get('decision', '')}）"
    b = w.block(ledger.edition_iri(e["plan"], e["slug"]), ["pk:PolicyDocument", "prov:Entity"])
    _labels(b, label)
    b.add("dcterms:isVersionOf", _iri(ledger.plan_iri(e["plan"])))
    if e.get("edition"):
        b.add("pk:edition", _lit(e["edition"]))
    b.add("pk:decided", _time(decided))
    if e.get("decision"):
        b.add("pk:decisionType", _lit(e["decision"]))
    if e.get("period"):
        b.add("pk:planPeriod", _time(parse_time(e["period"])))
    _common(b, ledger, e, f"edition {e['plan']} {e['slug']}")


def _kpi(w: _Writer, ledger: _Ledger, kpi: dict) -> None:
    iri = _check_pin("KPI", kpi["label"], kpi_iri(kpi["plan"], kpi["label"]), kpi.get("iri"))
    plan = ledger.plan_iri(kpi["plan"])
    targets = [(parse_time(when), parse_quantity(value)) for when, value in kpi["targets"]]
    b = w.block(iri, ["pk:NumericIndicator", "pk:Indicator"])
    _labels(b, kpi["label"])
    b.add("skos:inScheme", _iri(plan))
    b.add("pk:indicatorOf", _iri(plan))
    b.add("pk:desiredDirection", "pk:HigherIsBetter")
    b.add("pk:unit", f"unit:{targets[0][1].unit}")
    b.add("pk:unitText", _lit(targets[0][1].unit_text, None))
    b.add("pk:hasTarget", *[_iri(URIRef(f"{iri}-target-{k}")) for k in range(1, len(targets) + 1)])
    _common(b, ledger, kpi, f"KPI {kpi['label']}")
    for k, (when, q) in enumerate(targets, start=1):
        if q.value is None:
            raise ValueError(f"KPI {kpi['label']!r}: target {q.text!r} is not a number")
        t = w.block(URIRef(f"{iri}-target-{k}"), ["pk:Target"], located=False)
        t.add("pk:targetOf", _iri(iri))
        t.add("qudt:numericValue", decimal(q.value).n3(_XSD))
        t.add("qudt:unit", f"unit:{q.unit}")
        t.add("pk:unitText", _lit(q.unit_text, None))
        t.add("pk:valueText", _lit(q.text, None))
        t.add("pk:comparator", f"pk:{q.comparator or 'AtLeast'}")
        t.add("pk:targetTime", _iri(target_time_iri(iri, k)))
        t.add("pk:dueDate", end_date(when).n3(_XSD))
        t.add("dcterms:source", *ledger.source_urls(kpi["sources"], f"KPI {kpi['label']}"))
        tt = w.block(target_time_iri(iri, k), [], located=False)
        tt.props = [(p, [o]) for p, o in _instant_props(when)]


def _instant_props(value: TimeValue) -> list[tuple[str, str]]:
    if isinstance(value, Interval):
        raise ValueError(f"a KPI target time must be one year or date, not a period: {value.text!r}")
    props = [("a", "time:Instant"), ("time:inXSDDate", f"\"{value.date.isoformat()}\"^^xsd:date"),
             ("time:unitType", _TIME_UNIT[value.unit])]
    if value.fiscal_year is not None:
        props.append(("pk:fiscalYear", f"\"{value.fiscal_year}\"^^xsd:gYear"))
    props.append(("pk:originalText", _lit(value.text, None)))
    return props


def _item_iris(ledger: _Ledger) -> dict[tuple[str, str], URIRef]:
    out: dict[tuple[str, str], URIRef] = {}
    for item in ledger.facts.get("item", []):
        key = (item["plan"], item["label"])
        if key in out:
            raise ValueError(f"two items of plan {item['plan']} are labelled {item['label']!r}")
        parent = item.get("parent") or ledger.plans[item["plan"]]["name"]
        out[key] = _check_pin("item", item["label"], item_iri(item["plan"], parent, item["label"]), item.get("iri"))
    return out


def _item(w: _Writer, ledger: _Ledger, item: dict, items: dict) -> None:
    plan = ledger.plan_iri(item["plan"])
    cls = item["class"]
    types = ["pk:NationalItem", "skos:Concept"] if cls == "NationalItem" else [f"pk:{cls}", "pk:NationalItem", "skos:Concept"]
    b = w.block(items[(item["plan"], item["label"])], types)
    _labels(b, item["label"], item.get("en"))
    b.add("skos:inScheme", _iri(plan))
    b.add("pk:inPlan", _iri(plan))
    if "parent" in item:
        if (item["plan"], item["parent"]) not in items:
            raise ValueError(f"item {item['label']!r}: unknown parent {item['parent']!r} in plan {item['plan']}")
        b.add("skos:broader", _iri(items[(item["plan"], item["parent"])]))
    else:
        b.add("skos:topConceptOf", _iri(plan))
    b.add("pk:ordinal", f"\"{item['ordinal']}\"^^xsd:integer")
    if item.get("description"):
        b.add("dcterms:description", _lit(item["description"]))
    if item.get("edition"):
        b.add("dcterms:isPartOf", _iri(ledger.edition_iri(item["plan"], item["edition"])))
    _common(b, ledger, {**item, "sources": item.get("sources") or ledger.plans[item["plan"]].get("item_sources", [])},
            f"item {item['label']}")


def write_reference(folder: Path | None = None) -> Path:
    """Regenerate ``jp-national-reference.ttl`` from the ledger in ``folder`` (default: the bundled one)."""
    folder = folder or data_dir()
    out = folder / REFERENCE_FILE
    out.write_text(reference_turtle(read_facts(folder / FACTS_FILE)), encoding="utf-8")
    return out


__all__ = ["reference_turtle", "read_facts", "write_reference"]


if __name__ == "__main__":  # pragma: no cover - maintenance entry point
    print(write_reference(Path(sys.argv[1]) if len(sys.argv) > 1 else None))
