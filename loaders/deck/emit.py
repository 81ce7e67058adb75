"""RDF emission helpers shared by the deck loader's parts, and dates for the observation CSV (docs/model.md is the contract).

Why one place: every entity needs the same label / provenance / source-location triples, and every
date the same OWL-Time shape; writing them in each parser would drift.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from policykg.graphs import blank, literal
from policykg.ids import normalize_label
from policykg.loaders.deck.segment import Deck
from policykg.values import Interval, Quantity, TimeValue
from policykg.namespaces import DCTERMS, PK, PROV, QUDT, RDF, RDFS, SKOS, TIME, UNIT, XSD

_TIME_UNIT = {"year": TIME.unitYear, "month": TIME.unitMonth, "day": TIME.unitDay}
_XSD_DATE, _XSD_GYEAR = XSD.date, XSD.gYear
# OWL-Time terms looked up once: rdflib resolves TIME.x through a closed-namespace check (~7 µs a time),
# and a workbook of 3,000 indicators writes some 40,000 of them.
_TYPE, _INSTANT, _INTERVAL = RDF.type, TIME.Instant, TIME.ProperInterval
_BEGINNING, _END, _IN_DATE, _UNIT_TYPE = TIME.hasBeginning, TIME.hasEnd, TIME.inXSDDate, TIME.unitType
_FISCAL_YEAR, _ORIGINAL_TEXT = PK.fiscalYear, PK.originalText


@dataclass
class Emitter:
    """Writes triples for one source document into ``graph``."""

    graph: Graph
    deck: Deck
    doc: URIRef

    def add(self, s: Node, p: Node, o: Node) -> None:
        self.graph.add((s, p, o))

    def entity(
        self, iri: URIRef, classes: tuple[URIRef, ...], label: str, line: int, *,
        scheme: URIRef | None = None, en: str | None = None,
    ) -> URIRef:
        """Types, ja (and en) prefLabel + rdfs:label, provenance and one source location."""
        for cls in classes:
            self.add(iri, RDF.type, cls)
        if (iri, SKOS.prefLabel, None) not in self.graph:
            self.add(iri, SKOS.prefLabel, Literal(label, lang="ja"))
            self.add(iri, RDFS.label, Literal(label, lang="ja"))
        if en and (iri, SKOS.prefLabel, Literal(en, lang="en")) not in self.graph:
            self.add(iri, SKOS.prefLabel, Literal(en, lang="en"))
            self.add(iri, RDFS.label, Literal(en, lang="en"))
        if scheme is not None:
            self.add(iri, SKOS.inScheme, scheme)
        self.add(iri, PROV.wasDerivedFrom, self.doc)
        self.locate(iri, line)
        return iri

    def locate(self, iri: URIRef, line: int) -> None:
        """Add a pk:sourceLocation (slide, section, line) unless this line is already recorded."""
        for loc in self.graph.objects(iri, PK.sourceLocation):
            if (loc, PK.line, Literal(line)) in self.graph:
                return
        slide, section = self.deck.locate(line)
        loc = BNode()
        self.add(iri, PK.sourceLocation, loc)
        self.add(loc, RDF.type, PK.SourceLocation)
        self.add(loc, PK.document, self.doc)
        self.add(loc, PK.slide, Literal(slide))
        if section:
            self.add(loc, PK.section, Literal(section))
        self.add(loc, PK.line, Literal(line))

    def alt_label(self, iri: URIRef, label: str) -> None:
        """A wording variant, unless it equals (after normalisation) a label already present."""
        key = normalize_label(label)
        for p in (SKOS.prefLabel, SKOS.altLabel):
            if any(normalize_label(str(o)) == key for o in self.graph.objects(iri, p)):
                return
        self.add(iri, SKOS.altLabel, Literal(label, lang="ja"))

    def text(self, iri: URIRef, prop: URIRef, value: str, lang: str = "ja") -> None:
        if value:
            self.add(iri, prop, Literal(value, lang=lang))

    def describe(self, iri: URIRef, description: str) -> None:
        self.text(iri, DCTERMS.description, description)

    def time(self, value: TimeValue) -> BNode:
        """An OWL-Time node (Instant or ProperInterval) keeping the original text."""
        return time_node(self.graph, value)


def time_node(graph: Graph, value: TimeValue) -> BNode:
    """An OWL-Time node (Instant or ProperInterval) keeping the original text, added to ``graph``.

    Every loader writes dates this way (the observation CSV too), so queries read them alike.
    """
    node = blank()
    store = graph.store

    def add(p: URIRef, o: Node) -> None:  # past Graph.add's per-term checks: every term here is ours
        store.add((node, p, o), graph)

    if isinstance(value, Interval):
        add(_TYPE, _INTERVAL)
        add(_BEGINNING, time_node(graph, value.begin))
        add(_END, time_node(graph, value.end))
    else:
        add(_TYPE, _INSTANT)
        add(_IN_DATE, literal(value.date, datatype=_XSD_DATE))
        add(_UNIT_TYPE, _TIME_UNIT[value.unit])
        if value.fiscal_year is not None:
            add(_FISCAL_YEAR, literal(str(value.fiscal_year), datatype=_XSD_GYEAR))
    add(_ORIGINAL_TEXT, literal(value.text))
    return node


def quantity(em: Emitter, node: URIRef, q: Quantity) -> None:
    """Value, unit and original text of a baseline / target / observation node."""
    if q.value is not None:
        em.add(node, QUDT.numericValue, decimal(q.value))
        em.add(node, QUDT.unit, unit_iri(q.unit))
        em.add(node, PK.unitText, Literal(q.unit_text))
    em.add(node, PK.valueText, Literal(q.text))
    for note in q.notes:
        em.add(node, PK.note, Literal(note, lang="ja"))


def end_date(value: TimeValue) -> Literal:
    """The ``pk:date`` / ``pk:dueDate`` shortcut: the resolved date (a period: its end)."""
    instant = value.end if isinstance(value, Interval) else value
    return literal(instant.date, datatype=_XSD_DATE)


def decimal(value: Decimal) -> Literal:
    return Literal(value, datatype=XSD.decimal)


def unit_iri(key: str) -> URIRef:
    return UNIT[key]


__all__ = ["Emitter", "time_node", "quantity", "end_date", "decimal", "unit_iri"]
