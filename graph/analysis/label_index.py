"""Resolve what a planner types (a label, an IRI or an API id) to one entity IRI.

Planners name things by their Japanese label, and PDF extraction splits those labels with stray
spaces, so resolution goes: exact ``skos:prefLabel``/``skos:altLabel``/``rdfs:label`` → the same
after NFKC + whitespace removal (:func:`policykg.ids.normalize_label`) → :class:`LabelNotFound`
carrying the closest labels. Several entities behind one label raise :class:`AmbiguousLabel`
instead of guessing. Callers narrow the search with ``kinds`` (e.g. only measures), which is how
"デジタル人材の育成・確保" can mean the roadmap row on the local side and the デジ田 pillar on the national side.
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from rdflib import Graph, Literal, URIRef
from rdflib.graph import ConjunctiveGraph

from policykg.errors import AmbiguousLabel, EntityNotFound, LabelNotFound
from policykg.graph.labels import pick_label
from policykg.ids import local_id, normalize_label
from policykg.namespaces import PK, RDF, RDFS, SKOS, sparql_prefixes

LOCAL_KINDS = frozenset({PK.Measure, PK.PolicyDirection, PK.RoadmapRow})
"""Classes a local item of an alignment may have."""
NATIONAL_ITEM_CLASSES = frozenset({
    PK.NationalItem, PK.PrincipleGroup, PK.Principle, PK.StrategyGroup, PK.BasicStrategy, PK.PillarGroup,
    PK.Pillar, PK.NationalMeasure, PK.RevisionPoint, PK.ProcedureStep,
})
"""Every specific national-item class, so a loader that omits the pk:NationalItem superclass still resolves."""
NATIONAL_PLAN_CLASSES = frozenset({PK.NationalPlan, PK.Guideline})
NATIONAL_KINDS = NATIONAL_ITEM_CLASSES | NATIONAL_PLAN_CLASSES
"""Classes a national item of an alignment may have (items of any kind, plans, guidelines)."""

_LABEL_PREDICATES = (SKOS.prefLabel, SKOS.altLabel, RDFS.label)

_ENTRIES_QUERY = sparql_prefixes() + """
SELECT ?s ?type ?label WHERE {
  ?s a ?type .
  ?s skos:prefLabel|skos:altLabel|rdfs:label ?label .
}"""
_PREF_QUERY = sparql_prefixes() + "SELECT ?s ?label WHERE { ?s skos:prefLabel ?label }"


@dataclass
class LabelIndex:
    """Labels and types of every labelled entity; build with :meth:`from_graph` or :meth:`from_store`.

    >>> from rdflib import Graph, Literal, URIRef
    >>> g = Graph()
    >>> m = URIRef("https://w3id.org/policykg/id/x/measure/m-1")
    >>> _ = g.add((m, RDF.type, PK.Measure)); _ = g.add((m, SKOS.prefLabel, Literal("ICTを活用した防災対策", lang="ja")))
    >>> str(LabelIndex.from_graph(g).resolve("ＩＣＴを活用した 防災対策")) == str(m)
    True
    """

    types: dict[URIRef, set[URIRef]] = field(default_factory=lambda: defaultdict(set))
    exact: dict[str, set[URIRef]] = field(default_factory=lambda: defaultdict(set))
    normalized: dict[str, set[URIRef]] = field(default_factory=lambda: defaultdict(set))
    pref: dict[URIRef, list[Literal]] = field(default_factory=lambda: defaultdict(list))

    @classmethod
    def from_entries(cls, entries: Iterable[tuple[URIRef, URIRef, Literal]], prefs: Iterable[tuple[URIRef, Literal]] = ()) -> LabelIndex:
        """Pure constructor from ``(entity, rdf:type, label)`` rows and ``(entity, prefLabel)`` rows."""
        index = cls()
        for s, t, label in entries:
            if not isinstance(s, URIRef):
                continue
            index.types[s].add(t)
            index.exact[str(label)].add(s)
            index.normalized[normalize_label(str(label))].add(s)
        for s, label in prefs:
            if isinstance(s, URIRef) and label not in index.pref[s]:
                index.pref[s].append(label)
        return index

    @classmethod
    def from_graph(cls, graph: Graph) -> LabelIndex:
        """From an rdflib Graph, ConjunctiveGraph or Dataset (all named graphs are read)."""
        def triples(pattern):
            if isinstance(graph, ConjunctiveGraph):
                for s, p, o, _g in graph.quads(pattern):
                    yield s, p, o
            else:
                yield from graph.triples(pattern)

        types: dict = defaultdict(set)
        for s, _p, t in triples((None, RDF.type, None)):
            types[s].add(t)
        entries, prefs = [], []
        for predicate in _LABEL_PREDICATES:
            for s, _p, label in triples((None, predicate, None)):
                for t in types.get(s, ()):
                    entries.append((s, t, label))
                if predicate == SKOS.prefLabel:
                    prefs.append((s, label))
        return cls.from_entries(sorted(entries), sorted(prefs))

    @classmethod
    def from_store(cls, store) -> LabelIndex:
        """From a :class:`policykg.graph.store.Store` (union of all named graphs)."""
        rows = store.query(_ENTRIES_QUERY).rows
        prefs = store.query(_PREF_QUERY).rows
        return cls.from_entries(
            sorted((r["s"], r["type"], r["label"]) for r in rows),
            sorted((r["s"], r["label"]) for r in prefs),
        )

    # -- lookups --------------------------------------------------------------------------------

    def label_of(self, iri: URIRef, lang: str = "ja") -> str:
        """The entity's display label (prefLabel in ``lang``, else Japanese, else its id)."""
        return pick_label(self.pref.get(iri, ()), lang, local_id(iri))

    def has_kind(self, iri: URIRef, kinds: Iterable[URIRef] | None) -> bool:
        if kinds is None:
            return iri in self.types
        return bool(self.types.get(iri, set()) & set(kinds))

    def resolve(self, text: str, *, kinds: Iterable[URIRef] | None = None) -> URIRef:
        """The one entity that ``text`` (IRI or label) names, among entities of ``kinds``.

        :raises EntityNotFound: ``text`` is an IRI of no entity of those kinds.
        :raises AmbiguousLabel: several entities carry the label (candidates listed).
        :raises LabelNotFound: no entity carries it, even after normalisation (closest labels listed).
        """
        kinds = frozenset(kinds) if kinds is not None else None
        text = text.strip()
        if text.startswith(("http://", "https://", "urn:")):
            iri = URIRef(text)
            if not self.has_kind(iri, kinds):
                raise EntityNotFound(f"対象が見つかりません / no such entity: {text}")
            return iri
        for table, key in ((self.exact, text), (self.normalized, normalize_label(text))):
            hits = sorted(i for i in table.get(key, ()) if self.has_kind(i, kinds))
            if len(hits) == 1:
                return hits[0]
            if len(hits) > 1:
                raise AmbiguousLabel(text, [str(h) for h in hits])
        raise LabelNotFound(text, self.closest(text, kinds=kinds))

    def resolve_id(self, entity_id: str, *, kinds: Iterable[URIRef] | None = None) -> URIRef:
        """The entity whose last IRI segment is ``entity_id`` (the API id).

        :raises EntityNotFound: no entity of those kinds has that id.
        """
        hits = sorted(i for i in self.types if local_id(i) == entity_id and self.has_kind(i, kinds))
        if len(hits) != 1:
            raise EntityNotFound(f"対象が見つかりません / no such entity: {entity_id}")
        return hits[0]

    def closest(self, text: str, *, kinds: Iterable[URIRef] | None = None, n: int = 5) -> list[str]:
        """Labels of entities of ``kinds`` most similar to ``text`` (difflib ratio over normalised text)."""
        by_norm: dict[str, str] = {}
        for label, iris in self.exact.items():
            if any(self.has_kind(i, kinds) for i in iris):
                by_norm.setdefault(normalize_label(label), label)
        matches = difflib.get_close_matches(normalize_label(text), sorted(by_norm), n=n, cutoff=0.4)
        return [by_norm[m] for m in matches]

    def entities(self, kinds: Iterable[URIRef]) -> list[URIRef]:
        """Every entity of ``kinds``, sorted by IRI."""
        return sorted(i for i in self.types if self.has_kind(i, kinds))


__all__ = ["LabelIndex", "LOCAL_KINDS", "NATIONAL_KINDS", "NATIONAL_ITEM_CLASSES", "NATIONAL_PLAN_CLASSES"]
