"""Labels: how a node is named, the one label index, and how a typed label finds its entity.

Three things, one owner (a core module: rdflib, the standard library and policykg's core helpers only):

**Naming.** :func:`choose_label` names a node: the first of :data:`LABEL_PREDICATES`
(skos:prefLabel > rdfs:label > dcterms:title) that the node has, and among that predicate's
literals the one in the wanted language, else Japanese, else any (:func:`pick_label`), else a fallback
(the node's id). The API pages, the JSON API, trace, suggestions, the network view and the SHACL
report all name nodes with it.

**The index.** :class:`LabelIndex` holds the names (by predicate) and the types of every IRI of one
graph or store generation: built from triples (:meth:`LabelIndex.from_triples`), an rdflib graph, or
rows of the shared ``labels.rq`` / ``types.rq`` queries (the graph layer reads those; the API caches
the index per store generation).

**Finding an entity from a label** — one rule, :class:`LabelMatcher`, used by alignments, workbooks,
observations, trace and the network view's filters:

1. exact: the labels equal to the text as typed (surrounding spaces ignored);
2. exact after normalisation: :func:`label_key` (NFKC, every space removed, lower case), so
   ``ＩＣＴを活用した 防災対策`` finds ``ICTを活用した防災対策``;
3. otherwise nothing is guessed: :class:`~policykg.errors.LabelNotFound` carries at most
   :data:`SUGGESTION_COUNT` labels whose similarity to the text (difflib ratio of the normalised
   forms) is at least :data:`SUGGESTION_CUTOFF`, best first.

At steps 1 and 2 several entities behind the label raise :class:`~policykg.errors.AmbiguousLabel`
(candidates listed) instead of picking one; callers narrow the search by kind.
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Generic, TypeVar

from rdflib import Graph, Literal, URIRef
from rdflib.graph import ConjunctiveGraph
from rdflib.term import Node

from policykg import urls
from policykg.errors import AmbiguousLabel, EntityNotFound, LabelNotFound
from policykg.ids import local_id, normalize_label
from policykg.namespaces import DCTERMS, ID, PK, RDF, RDFS, SKOS, term_name

LABEL_PREDICATES = (SKOS.prefLabel, RDFS.label, DCTERMS.title)
"""The naming predicates, most preferred first: a node is named by the first one it has."""
NAME_PREDICATES = (*LABEL_PREDICATES, SKOS.altLabel)
"""Every predicate the index keeps (the naming ones and alternative labels)."""
MATCH_PREDICATES = (SKOS.prefLabel, SKOS.altLabel, RDFS.label)
"""The labels a typed text is matched against."""
SUGGESTION_CUTOFF = 0.4
"""Least difflib ratio (of the normalised forms) for a label to be suggested."""
SUGGESTION_COUNT = 5
"""At most this many suggestions."""

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

_UMBRELLA = {"NationalItem", "Indicator", "PolicyDocument"}
_IRI_PREFIXES = ("http://", "https://", "urn:")


# --- naming -----------------------------------------------------------------------------------


def pick_label(literals: Iterable[Literal], lang: str = "ja", fallback: str = "") -> str:
    """The literal in ``lang``; else Japanese; else any; else ``fallback``.

    >>> pick_label([Literal("Living", lang="en"), Literal("暮らし", lang="ja")], "en")
    'Living'
    >>> pick_label([Literal("暮らし", lang="ja")], "en")
    '暮らし'
    >>> pick_label([], "ja", "x")
    'x'
    """
    items = list(literals)
    for wanted in (lang, "ja", None):
        for lit in items:
            if wanted is None or getattr(lit, "language", None) == wanted:
                return str(lit)
    return fallback


def choose_label(
    by_predicate: Mapping[Node, Iterable[Node]],
    lang: str = "ja",
    fallback: str | None = "",
    *,
    predicates: Iterable[Node] = LABEL_PREDICATES,
    strict: bool = False,
) -> str | None:
    """A node's label from its literals grouped by predicate: the first of ``predicates`` the node
    has (default :data:`LABEL_PREDICATES`), then :func:`pick_label` among that predicate's literals.
    ``strict``: only a literal in ``lang`` itself counts (else ``fallback``).

    >>> choose_label({RDFS.label: [Literal("x")], SKOS.prefLabel: [Literal("暮らし", lang="ja")]}, "en")
    '暮らし'
    >>> choose_label({SKOS.prefLabel: [Literal("暮らし", lang="ja")]}, "en", None, strict=True) is None
    True
    >>> choose_label({DCTERMS.title: [Literal("Plan", lang="en")]}, "en"), choose_label({}, "ja", "m-1")
    ('Plan', 'm-1')
    """
    for predicate in predicates:
        literals = [o for o in by_predicate.get(predicate, ()) if isinstance(o, Literal)]
        if literals:
            if strict:
                return next((str(o) for o in literals if o.language == lang), fallback)
            return pick_label(literals, lang, fallback or "")
    return fallback


def graph_label(graph: Graph, node: Node, lang: str = "ja", fallback: str | None = "", *,
                predicates: Iterable[Node] = LABEL_PREDICATES) -> str | None:
    """:func:`choose_label` of ``node`` in an rdflib graph (literals of a predicate sorted by language, text)."""
    by_predicate = {
        p: sorted((o for o in graph.objects(node, p) if isinstance(o, Literal)), key=lambda o: (o.language or "", str(o)))
        for p in predicates
    }
    return choose_label(by_predicate, lang, fallback, predicates=predicates)


# --- matching ---------------------------------------------------------------------------------


def label_key(text: str) -> str:
    """The normalised form labels are compared in (NFKC, no spaces, lower case).

    >>> label_key(" ＩＣＴを活用した 防災対策 ") == label_key("ictを活用した防災対策")
    True
    """
    return normalize_label(text).lower()


def closest_labels(text: str, labels: Iterable[str]) -> list[str]:
    """Labels like ``text``: at most :data:`SUGGESTION_COUNT`, ratio ≥ :data:`SUGGESTION_CUTOFF`, best first.

    >>> closest_labels("遠隔医療の推進", ["遠隔医療・遠隔介護等の推進", "道路の整備"])
    ['遠隔医療・遠隔介護等の推進']
    """
    by_key: dict[str, str] = {}
    for label in sorted(set(labels)):
        by_key.setdefault(label_key(label), label)
    found = difflib.get_close_matches(label_key(text), sorted(by_key), n=SUGGESTION_COUNT, cutoff=SUGGESTION_CUTOFF)
    return [by_key[k] for k in found]


T = TypeVar("T", bound=Hashable)


@dataclass
class LabelMatcher(Generic[T]):
    """Items (IRIs, node ids…) by label, resolved by the one rule in the module docstring.

    >>> m = LabelMatcher.of([("暮らし", "a1"), ("Living", "a1"), ("産業", "a2")])
    >>> m.find("living"), m.find("産 業")
    ('a1', 'a2')
    """

    exact: dict[str, set[T]] = field(default_factory=lambda: defaultdict(set))
    keyed: dict[str, set[T]] = field(default_factory=lambda: defaultdict(set))

    @classmethod
    def of(cls, entries: Iterable[tuple[str, T]]) -> LabelMatcher[T]:
        """From ``(label, item)`` pairs."""
        matcher: LabelMatcher[T] = cls()
        for label, item in entries:
            matcher.add(str(label), item)
        return matcher

    def add(self, label: str, item: T) -> None:
        self.exact[label].add(item)
        self.keyed[label_key(label)].add(item)

    def find(self, text: str, accept: Callable[[T], bool] = lambda _item: True) -> T:
        """The one accepted item labelled ``text``.

        :raises AmbiguousLabel: several accepted items carry the label (candidates sorted).
        :raises LabelNotFound: none does, even after normalisation (closest labels attached).
        """
        text = text.strip()
        for table, key in ((self.exact, text), (self.keyed, label_key(text))):
            hits = sorted((i for i in table.get(key, ()) if accept(i)), key=str)
            if len(hits) == 1:
                return hits[0]
            if len(hits) > 1:
                raise AmbiguousLabel(text, [str(h) for h in hits])
        raise LabelNotFound(text, self.closest(text, accept))

    def closest(self, text: str, accept: Callable[[T], bool] = lambda _item: True) -> list[str]:
        """:func:`closest_labels` among the labels of accepted items."""
        return closest_labels(text, (label for label, items in self.exact.items() if any(accept(i) for i in items)))


# --- the index --------------------------------------------------------------------------------


@dataclass
class LabelIndex:
    """Names (by predicate), types and the id → IRI table of one graph or store generation.

    >>> g = Graph()
    >>> m = URIRef("https://w3id.org/policykg/id/x/measure/m-1")
    >>> _ = g.add((m, RDF.type, PK.Measure)); _ = g.add((m, SKOS.prefLabel, Literal("ICTを活用した防災対策", lang="ja")))
    >>> index = LabelIndex.from_graph(g)
    >>> str(index.resolve("ＩＣＴを活用した 防災対策")) == str(m), index.label(m, "en")
    (True, 'ICTを活用した防災対策')
    """

    names: dict[URIRef, dict[URIRef, list[Literal]]] = field(default_factory=dict)
    types: dict[URIRef, set[URIRef]] = field(default_factory=dict)
    by_id: dict[str, URIRef] = field(default_factory=dict)

    # -- building -----------------------------------------------------------------------------

    @classmethod
    def from_triples(cls, triples: Iterable[tuple[Node, Node, Node]]) -> LabelIndex:
        """From ``(s, p, o)`` triples: rdf:type and :data:`NAME_PREDICATES` of IRIs are kept, the rest skipped.
        Literals keep their order within a predicate."""
        names: dict[URIRef, dict[URIRef, list[Literal]]] = defaultdict(lambda: defaultdict(list))
        types: dict[URIRef, set[URIRef]] = defaultdict(set)
        for s, p, o in triples:
            if not isinstance(s, URIRef):
                continue
            if p == RDF.type and isinstance(o, URIRef):
                types[s].add(o)
            elif p in NAME_PREDICATES and isinstance(o, Literal):
                names[s][p].append(o)
        by_id: dict[str, URIRef] = {}
        for iri in sorted(set(types) | set(names), key=str):
            if str(iri).startswith(str(ID)):
                by_id.setdefault(local_id(iri), iri)
        return cls(names={s: dict(p) for s, p in names.items()}, types=dict(types), by_id=by_id)

    @classmethod
    def from_rows(cls, label_rows: Iterable[Mapping[str, Node]], type_rows: Iterable[Mapping[str, Node]]) -> LabelIndex:
        """From rows of the shared ``labels.rq`` (``?s ?p ?label``) and ``types.rq`` (``?s ?type``)."""
        def triples():
            for row in label_rows:
                yield row["s"], row["p"], row["label"]
            for row in type_rows:
                yield row["s"], RDF.type, row["type"]

        return cls.from_triples(triples())

    @classmethod
    def from_graph(cls, graph: Graph, *, kinds: Iterable[URIRef] | None = None) -> LabelIndex:
        """From an rdflib Graph, ConjunctiveGraph or Dataset (every named graph is read), sorted.

        ``kinds``: only the entities typed with one of them (all their types and names), looked up one by
        one — for a reader that resolves only those kinds in a large graph (a workbook names national
        items; a national store holds millions of other labels). ``resolve`` and ``closest`` within those
        kinds answer as over the whole index.

        >>> from rdflib import Literal
        >>> from policykg.namespaces import PK, SKOS
        >>> g = Graph()
        >>> for s, kind in (("http://x/n", PK.NationalItem), ("http://x/m", PK.Measure)):
        ...     _ = g.add((URIRef(s), RDF.type, kind)).add((URIRef(s), SKOS.prefLabel, Literal("同じ名前", lang="ja")))
        >>> small = LabelIndex.from_graph(g, kinds=NATIONAL_KINDS)
        >>> sorted(small.types), small.resolve("同じ名前", kinds=NATIONAL_KINDS) == LabelIndex.from_graph(g).resolve("同じ名前", kinds=NATIONAL_KINDS)
        ([rdflib.term.URIRef('http://x/n')], True)
        """
        if kinds is not None and not isinstance(graph, ConjunctiveGraph):
            subjects = {s for kind in kinds for s in graph.subjects(RDF.type, kind)}
            return cls.from_triples(sorted({(s, p, o) for s in subjects for p in (RDF.type, *NAME_PREDICATES)
                                            for o in graph.objects(s, p)}))

        def triples(predicate):
            if isinstance(graph, ConjunctiveGraph):
                return ((s, p, o) for s, p, o, _g in graph.quads((None, predicate, None)))
            return graph.triples((None, predicate, None))

        return cls.from_triples(sorted({t for p in (RDF.type, *NAME_PREDICATES) for t in triples(p)}))

    @classmethod
    def from_store(cls, store) -> LabelIndex:
        """From any store with ``quads()`` (the Store protocol), sorted. It reads every quad; the
        analyses and the API read only the label and type rows (``policykg.graph.queries.read_label_index``)."""
        return cls.from_triples(sorted({(s, p, o) for s, p, o, _g in store.quads() if p == RDF.type or p in NAME_PREDICATES}))

    # -- naming -------------------------------------------------------------------------------

    def label(self, iri: URIRef, lang: str = "ja") -> str:
        """The node's label (:func:`choose_label`), else its id."""
        return str(choose_label(self.names.get(iri, {}), lang, local_id(iri)))

    label_of = label
    """The same as :meth:`label`."""

    def alt_labels(self, iri: URIRef) -> list[str]:
        return sorted({str(lit) for lit in self.names.get(iri, {}).get(SKOS.altLabel, [])})

    def all_labels(self, iri: URIRef) -> list[tuple[URIRef, Literal]]:
        return [(p, lit) for p, lits in self.names.get(iri, {}).items() for lit in lits]

    def kind(self, iri: URIRef) -> str | None:
        """The local name of the most specific pk: class (ignoring the umbrella classes)."""
        own = sorted(str(t)[len(str(PK)):] for t in self.types.get(iri, ()) if str(t).startswith(str(PK)))
        specific = [k for k in own if k not in _UMBRELLA]
        return (specific or own or [None])[0]

    def ref(self, iri: URIRef, lang: str) -> dict:
        """The compact reference every list item and relation of the JSON API uses."""
        return {
            "id": local_id(iri) if urls.is_entity(iri) else term_name(iri),
            "iri": str(iri),
            "label": self.label(iri, lang),
            "url": urls.entity_url(iri, lang) if urls.is_entity(iri) else str(iri),
        }

    # -- kinds --------------------------------------------------------------------------------

    def has_type(self, iri: URIRef, cls: URIRef) -> bool:
        return cls in self.types.get(iri, set())

    def has_kind(self, iri: URIRef, kinds: Iterable[URIRef] | None) -> bool:
        """Whether ``iri`` has one of ``kinds`` (``None``: any type at all)."""
        if kinds is None:
            return iri in self.types
        return bool(self.types.get(iri, set()) & set(kinds))

    def entities(self, kinds: Iterable[URIRef]) -> list[URIRef]:
        """Every entity of ``kinds``, sorted by IRI."""
        kinds = frozenset(kinds)
        return sorted(i for i in self.types if self.has_kind(i, kinds))

    # -- finding ------------------------------------------------------------------------------

    @cached_property
    def matcher(self) -> LabelMatcher[URIRef]:
        """Typed entities by their :data:`MATCH_PREDICATES` labels."""
        return LabelMatcher.of(
            (str(lit), s)
            for s, by_predicate in sorted(self.names.items(), key=lambda kv: str(kv[0])) if s in self.types
            for p in MATCH_PREDICATES for lit in by_predicate.get(p, ())
        )

    def resolve(self, text: str, *, kinds: Iterable[URIRef] | None = None) -> URIRef:
        """The one entity of ``kinds`` that ``text`` (an IRI, or a label by the module's rule) names.

        :raises EntityNotFound: ``text`` is an IRI of no entity of those kinds.
        :raises AmbiguousLabel: several entities carry the label (candidates listed).
        :raises LabelNotFound: no entity carries it, even after normalisation (closest labels listed).
        """
        kinds = frozenset(kinds) if kinds is not None else None
        text = text.strip()
        if text.startswith(_IRI_PREFIXES):
            iri = URIRef(text)
            if not self.has_kind(iri, kinds):
                raise EntityNotFound(f"対象が見つかりません / no such entity: {text}")
            return iri
        return self.matcher.find(text, lambda i: self.has_kind(i, kinds))

    def resolve_id(self, entity_id: str, *, kinds: Iterable[URIRef] | None = None) -> URIRef:
        """The entity whose last IRI segment is ``entity_id`` (the API id).

        :raises EntityNotFound: no entity (or several) of those kinds has that id.
        """
        hits = sorted(i for i in self.types if local_id(i) == entity_id and self.has_kind(i, kinds))
        if len(hits) != 1:
            raise EntityNotFound(f"対象が見つかりません / no such entity: {entity_id}")
        return hits[0]

    def closest(self, text: str, *, kinds: Iterable[URIRef] | None = None) -> list[str]:
        """Labels of entities of ``kinds`` like ``text`` (:func:`closest_labels`)."""
        return self.matcher.closest(text, lambda i: self.has_kind(i, kinds))


__all__ = [
    "LABEL_PREDICATES", "NAME_PREDICATES", "MATCH_PREDICATES", "SUGGESTION_CUTOFF", "SUGGESTION_COUNT",
    "LOCAL_KINDS", "NATIONAL_KINDS", "NATIONAL_ITEM_CLASSES", "NATIONAL_PLAN_CLASSES",
    "pick_label", "choose_label", "graph_label", "label_key", "closest_labels", "LabelMatcher", "LabelIndex",
]
