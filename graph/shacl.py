"""Native SHACL Core validation over a pyoxigraph Store: the same results as pySHACL, ~50× faster.

Only the SHACL Core features ``ontology/shapes.ttl`` uses are implemented (see :data:`SUPPORTED`);
:func:`compile_shapes` raises :class:`ValueError` for anything else, so a new shape can never be
silently ignored. The data graph is the union of the store's named graphs and its default graph,
plus what pySHACL copies in from the ontology (``ont_graph``: RDFS/OWL axioms and named
individuals), so class targets reach subclasses and ``sh:class`` sees the ontology's individuals.

Two passes, so Python only touches suspicious nodes:

1. *Candidates* (Rust): per constraint, one SPARQL query over the store returns the focus nodes
   that **might** violate it — a superset: every filter only says "surely conforms" when pySHACL
   would agree (literal validity is checked conservatively: anything unusual is a candidate).
2. *Exact check* (Python): each candidate is evaluated with pySHACL's semantics (rdflib literal
   parsing for ``sh:datatype``, rdflib comparisons for ranges), and only that produces results.

Differences from pySHACL are those of the store, not of the checks: Oxigraph keeps one canonical
form of a valid literal ("1.0"^^xsd:decimal is stored as "1"), so ``sh:value`` shows that form,
and two literals that differ only in lexical form count as one value.

>>> from rdflib import Graph
>>> shapes = Graph().parse(data='''
...     @prefix sh: <http://www.w3.org/ns/shacl#> .
...     <urn:S> a sh:NodeShape ; sh:targetClass <urn:C> ;
...         sh:property [ sh:path <urn:p> ; sh:minCount 1 ; sh:message "p がありません。"@ja ] .
... ''', format="turtle")
>>> store = ox.Store()
>>> store.add(ox.Quad(ox.NamedNode("urn:x"), ox.NamedNode(RDF_TYPE), ox.NamedNode("urn:C")))
>>> conforms, report, text = validate_store(store, shapes=shapes, ontology=Graph())
>>> conforms, [str(m) for m in report.objects(None, SH.resultMessage)]
(False, ['p がありません。'])
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SH, XSD
from rdflib.term import Node

from policykg.graph.store import to_oxigraph, to_rdflib

RDF_TYPE = str(RDF.type)
_OX_TYPE = ox.NamedNode(RDF_TYPE)
_OX_SUBCLASS = ox.NamedNode(str(RDFS.subClassOf))
_OK_SEVERITIES = {SH.Warning, SH.Info}
_SHAPE_TYPES = {SH.NodeShape, SH.PropertyShape, SH.Shape}

# Constraint parameter → component (a shape may carry several of each where SHACL allows it).
_COMPONENTS = {
    SH.minCount: SH.MinCountConstraintComponent, SH.maxCount: SH.MaxCountConstraintComponent,
    SH["class"]: SH.ClassConstraintComponent, SH.datatype: SH.DatatypeConstraintComponent,
    SH.nodeKind: SH.NodeKindConstraintComponent, SH["in"]: SH.InConstraintComponent,
    SH.uniqueLang: SH.UniqueLangConstraintComponent, SH.node: SH.NodeConstraintComponent,
    SH.minInclusive: SH.MinInclusiveConstraintComponent, SH.maxInclusive: SH.MaxInclusiveConstraintComponent,
    SH.minExclusive: SH.MinExclusiveConstraintComponent, SH.maxExclusive: SH.MaxExclusiveConstraintComponent,
    SH["or"]: SH.OrConstraintComponent, SH["and"]: SH.AndConstraintComponent, SH["not"]: SH.NotConstraintComponent,
    SH.qualifiedValueShape: SH.QualifiedMinCountConstraintComponent, SH.pattern: SH.PatternConstraintComponent,
    SH.minLength: SH.MinLengthConstraintComponent, SH.maxLength: SH.MaxLengthConstraintComponent,
    SH.hasValue: SH.HasValueConstraintComponent, SH.languageIn: SH.LanguageInConstraintComponent,
}
_NOT_CONSTRAINTS = {
    SH.path, SH.message, SH.severity, SH.deactivated, SH.name, SH.description, SH.order, SH.group,
    SH.defaultValue, SH.property, SH.targetClass, SH.qualifiedMinCount, SH.flags,
}
SUPPORTED = frozenset({*_COMPONENTS, *_NOT_CONSTRAINTS, SH.alternativePath, SH.inversePath})
"""Every ``sh:`` term a shape may use; anything else is refused when compiling."""


def _unsupported(feature: Node, shape: Node) -> ValueError:
    return ValueError(
        f"SHACL の {feature} はネイティブ検証器では未対応です（シェイプ {shape}）。engine=\"pyshacl\" を使うか、"
        f"policykg.graph.shacl に実装してください。 / SHACL feature {feature} is not supported by the native "
        f"validator (shape {shape}); use engine=\"pyshacl\" or implement it in policykg.graph.shacl."
    )


# --- compiled shapes -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Path:
    """A SHACL property path: an IRI, ``^p``, ``p|q`` or ``p/q``."""

    kind: str
    node: Node
    iri: ox.NamedNode | None = None
    parts: tuple["Path", ...] = ()

    def sparql(self) -> str:
        if self.kind == "iri":
            return str(self.iri)
        if self.kind == "inverse":
            return f"^({self.parts[0].sparql()})"
        sep = "|" if self.kind == "alternative" else "/"
        return "(" + sep.join(p.sparql() for p in self.parts) + ")"


@dataclass(frozen=True)
class Constraint:
    parameter: URIRef
    value: Any
    extra: Any = None


@dataclass(eq=False)
class Shape:
    """One node or property shape, with its constraints in evaluation order."""

    node: Node
    path: Path | None = None
    severity: URIRef = SH.Violation
    messages: tuple[Literal, ...] = ()
    deactivated: bool = False
    targets: tuple[URIRef, ...] = ()
    constraints: list[Constraint] = field(default_factory=list)
    properties: list["Shape"] = field(default_factory=list)


@dataclass
class CompiledShapes:
    """The shapes graph compiled once: top-level shapes, the ontology's contribution, subclass links."""

    shapes: list[Shape]
    ontology_triples: set[tuple]
    shapes_graph: Graph


_CACHE: dict[tuple[int, int], tuple[Graph, Graph, CompiledShapes]] = {}
_CACHE_LOCK = threading.Lock()


def compile_shapes(shapes: Graph, ontology: Graph) -> CompiledShapes:
    """Compile ``shapes`` (cached by the identity of both graphs; don't mutate them afterwards).

    :raises ValueError: a shape uses a SHACL feature the native validator does not implement.
    """
    key = (id(shapes), id(ontology))
    with _CACHE_LOCK:
        hit = _CACHE.get(key)
        if hit is not None and hit[0] is shapes and hit[1] is ontology:
            return hit[2]
    compiled = _Compiler(shapes).run(ontology)
    with _CACHE_LOCK:
        if len(_CACHE) > 8:
            _CACHE.clear()
        _CACHE[key] = (shapes, ontology, compiled)
    return compiled


class _Compiler:
    def __init__(self, graph: Graph) -> None:
        self.g = graph
        self.done: dict[Node, Shape] = {}

    def run(self, ontology: Graph) -> CompiledShapes:
        g = self.g
        for unsupported in (SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target):
            for s in g.subjects(unsupported, None):
                raise _unsupported(unsupported, s)
        candidates = {s for t in _SHAPE_TYPES for s in g.subjects(RDF.type, t)} | set(g.subjects(SH.targetClass, None))
        for s in candidates:
            if (s, RDF.type, RDFS.Class) in g or (s, RDF.type, OWL.Class) in g:
                raise _unsupported(URIRef("implicit class target"), s)
        tops = [self.shape(s) for s in sorted(candidates, key=str)]
        return CompiledShapes([s for s in tops if s.targets], _inoculation(ontology), g)

    def shape(self, node: Node) -> Shape:
        if node in self.done:
            return self.done[node]
        g = self.g
        shape = self.done[node] = Shape(node)
        for p in set(g.predicates(node, None)):
            if str(p).startswith(str(SH)) and p not in SUPPORTED:
                raise _unsupported(p, node)
        path = g.value(node, SH.path)
        shape.path = self.path(path, node) if path is not None else None
        shape.severity = g.value(node, SH.severity) or SH.Violation
        shape.messages = tuple(sorted(g.objects(node, SH.message), key=lambda m: (getattr(m, "language", "") or "", str(m))))
        deactivated = g.value(node, SH.deactivated)
        shape.deactivated = bool(deactivated.value) if isinstance(deactivated, Literal) else False
        shape.targets = tuple(sorted(g.objects(node, SH.targetClass), key=str))
        for parameter in _COMPONENTS:
            for value in sorted(g.objects(node, parameter), key=str):
                shape.constraints.append(self.constraint(node, parameter, value, shape))
        shape.properties = [self.shape(p) for p in sorted(g.objects(node, SH.property), key=str)]
        return shape

    def constraint(self, node: Node, parameter: URIRef, value: Node, shape: Shape) -> Constraint:
        g = self.g
        if parameter in (SH.minCount, SH.maxCount, SH.uniqueLang, SH.qualifiedValueShape) and shape.path is None:
            raise _unsupported(parameter, node)  # SHACL allows these on property shapes only
        if parameter in (SH.minCount, SH.maxCount, SH.minLength, SH.maxLength):
            return Constraint(parameter, int(value))
        if parameter in (SH["in"], SH.languageIn):
            return Constraint(parameter, tuple(Collection(g, value)))
        if parameter in (SH["or"], SH["and"]):
            return Constraint(parameter, tuple(self.shape(m) for m in Collection(g, value)))
        if parameter in (SH.node, SH["not"]):
            return Constraint(parameter, self.shape(value))
        if parameter == SH.qualifiedValueShape:
            if g.value(node, SH.qualifiedMaxCount) is not None or g.value(node, SH.qualifiedValueShapesDisjoint):
                raise _unsupported(SH.qualifiedMaxCount, node)
            minimum = g.value(node, SH.qualifiedMinCount)
            return Constraint(parameter, self.shape(value), int(minimum) if minimum is not None else None)
        if parameter == SH.pattern:
            flags = str(g.value(node, SH.flags) or "").lower()
            regex = re.compile(str(value), (re.I if "i" in flags else 0) | (re.M if "m" in flags else 0))
            return Constraint(parameter, regex, flags)
        if parameter == SH.uniqueLang:
            return Constraint(parameter, bool(value.value) if isinstance(value, Literal) else False)
        return Constraint(parameter, value)

    def path(self, node: Node, shape: Node) -> Path:
        g = self.g
        if isinstance(node, URIRef):
            return Path("iri", node, ox.NamedNode(str(node)))
        alternatives = g.value(node, SH.alternativePath)
        if alternatives is not None:
            return Path("alternative", node, parts=tuple(self.path(p, shape) for p in Collection(g, alternatives)))
        inverse = g.value(node, SH.inversePath)
        if inverse is not None:
            if not isinstance(inverse, URIRef):
                raise _unsupported(URIRef("sh:inversePath of a complex path"), shape)
            return Path("inverse", node, parts=(self.path(inverse, shape),))
        if g.value(node, RDF.first) is not None:
            return Path("sequence", node, parts=tuple(self.path(p, shape) for p in Collection(g, node)))
        kind = next((p for p in g.predicates(node, None) if str(p).startswith(str(SH))), URIRef("sh:path"))
        raise _unsupported(kind, shape)


def _inoculation(ontology: Graph) -> set[tuple]:
    """What pySHACL copies from ``ont_graph`` into the data graph (rdfutil/inoculate.py), as Oxigraph terms:
    RDFS/OWL typing and axioms, and every triple of and pointing at an owl:NamedIndividual."""
    rdfs_props = {RDFS.comment, RDFS.domain, RDFS.isDefinedBy, RDFS.label, RDFS.member, RDFS.range,
                  RDFS.seeAlso, RDFS.subClassOf, RDFS.subPropertyOf}
    rdfs_classes = {RDFS.Class, RDFS.Container, RDFS.ContainerMembershipProperty, RDFS.Datatype, RDFS.Literal, RDFS.Resource}
    individuals = set(ontology.subjects(RDF.type, OWL.NamedIndividual))
    picked: set[tuple] = set()
    for s, p, o in ontology:
        if ((p == RDF.type and (o in rdfs_classes or str(o).startswith(str(OWL))))
                or p in rdfs_props or (str(p).startswith(str(OWL)) and p != OWL.NamedIndividual)
                or s in individuals or o in individuals):
            picked.add((s, p, o))
    todo = [n for t in picked for n in (t[0], t[2]) if isinstance(n, BNode)]
    while todo:
        b = todo.pop()
        for t in ontology.triples((b, None, None)):
            if t not in picked:
                picked.add(t)
                if isinstance(t[2], BNode):
                    todo.append(t[2])
    return {tuple(to_oxigraph(x) for x in t) for t in picked}


# --- data access ---------------------------------------------------------------------------------


class _Data:
    """The data graph: the store's union plus the ontology's contribution (set semantics)."""

    def __init__(self, store: ox.Store, extra: set[tuple]) -> None:
        self.store = store
        self.out: dict[tuple, set] = {}
        self.inv: dict[tuple, set] = {}
        for s, p, o in extra:
            self.out.setdefault((s, p), set()).add(o)
            self.inv.setdefault((p, o), set()).add(s)
        self.extra_subjects = {s for s, _ in self.out}
        self._types: dict = {}

    def objects(self, s, p) -> set:
        if isinstance(s, ox.Literal):
            return set()
        found = {q.object for q in self.store.quads_for_pattern(s, p, None, None)}
        return found | self.out.get((s, p), set())

    def subjects(self, p, o) -> set:
        return {q.subject for q in self.store.quads_for_pattern(None, p, o, None)} | self.inv.get((p, o), set())

    def types(self, node) -> set:
        if node not in self._types:
            self._types[node] = self.objects(node, _OX_TYPE)
        return self._types[node]

    def values(self, node, path: Path) -> set:
        if path.kind == "iri":
            return self.objects(node, path.iri)
        if path.kind == "alternative":
            return set().union(*(self.values(node, p) for p in path.parts))
        if path.kind == "sequence":
            nodes = {node}
            for p in path.parts:
                nodes = set().union(*(self.values(n, p) for n in nodes)) if nodes else set()
            return nodes
        return self.subjects(path.parts[0].iri, node)

    def subclass_closure(self, classes: Iterable[URIRef]) -> set:
        """Every class that is rdfs:subClassOf* one of ``classes`` (store and ontology links)."""
        found = {ox.NamedNode(str(c)) for c in classes}
        todo = list(found)
        while todo:
            for sub in self.subjects(_OX_SUBCLASS, todo.pop()):
                if sub not in found:
                    found.add(sub)
                    todo.append(sub)
        return found


# --- exact evaluation (pySHACL semantics) --------------------------------------------------------


@dataclass(frozen=True)
class Result:
    """One validation result, in Oxigraph terms for focus and value."""

    focus: Any
    shape: Shape
    component: URIRef
    value: Any = None


class _Evaluator:
    def __init__(self, data: _Data) -> None:
        self.data = data
        self._closures: dict[URIRef, set] = {}
        self._literals: dict = {}

    def closure(self, cls: URIRef) -> set:
        if cls not in self._closures:
            self._closures[cls] = self.data.subclass_closure([cls])
        return self._closures[cls]

    def literal(self, term) -> Literal:
        if term not in self._literals:
            self._literals[term] = to_rdflib(term)
        return self._literals[term]

    def conforms(self, shape: Shape, node) -> bool:
        return not self.validate(shape, node, first=True)

    def validate(self, shape: Shape, focus, *, first: bool = False) -> list[Result]:
        if shape.deactivated:
            return []
        values = self.data.values(focus, shape.path) if shape.path is not None else {focus}
        results: list[Result] = []
        for c in shape.constraints:
            results.extend(self.check(shape, c, focus, values))
            if first and results:
                return results
        for prop in shape.properties:
            results.extend(self.validate(prop, focus, first=first))
            if first and results:
                return results
        return results

    def check(self, shape: Shape, c: Constraint, focus, values: set) -> list[Result]:
        p, comp = c.parameter, _COMPONENTS[c.parameter]
        if p == SH.minCount:
            return [Result(focus, shape, comp)] if len(values) < c.value else []
        if p == SH.maxCount:
            return [Result(focus, shape, comp)] if len(values) > c.value else []
        if p == SH.uniqueLang:
            if not c.value:
                return []
            seen: set[str] = set()
            dupes: set[str] = set()
            for v in values:
                if isinstance(v, ox.Literal) and v.language:
                    (dupes if v.language.lower() in seen else seen).add(v.language.lower())
            return [Result(focus, shape, comp) for _ in dupes]
        if p == SH.hasValue:
            target = to_oxigraph(c.value)
            return [] if target in values else [Result(focus, shape, comp)]
        if p == SH.qualifiedValueShape:
            count = sum(1 for v in values if self.conforms(c.value, v))
            return [Result(focus, shape, comp)] if c.extra is not None and count < c.extra else []
        test = self.value_test(c)
        return [Result(focus, shape, comp, v) for v in sorted(values, key=str) if not test(v)]

    def value_test(self, c: Constraint):
        p, value = c.parameter, c.value
        if p == SH["class"]:
            return lambda v: not isinstance(v, ox.Literal) and bool(self.data.types(v) & self.closure(value))
        if p == SH.datatype:
            return lambda v: isinstance(v, ox.Literal) and _datatype_ok(self.literal(v), value)
        if p == SH.nodeKind:
            return lambda v: _node_kind_ok(v, value)
        if p == SH["in"]:
            allowed = set(value)
            return lambda v: self.literal(v) in allowed if isinstance(v, ox.Literal) else to_rdflib(v) in allowed
        if p in (SH.minInclusive, SH.maxInclusive, SH.minExclusive, SH.maxExclusive):
            return lambda v: isinstance(v, ox.Literal) and _range_ok(self.literal(v), p, value)
        if p in (SH.minLength, SH.maxLength):
            if p == SH.minLength and value == 0:
                return lambda v: True
            return lambda v: not isinstance(v, ox.BlankNode) and _length_ok(self._string(v), p, value)
        if p == SH.pattern:
            return lambda v: not isinstance(v, ox.BlankNode) and value.search(self._string(v)) is not None
        if p == SH.languageIn:
            wanted = {str(x).lower() for x in value}
            return lambda v: isinstance(v, ox.Literal) and bool(v.language) and (
                "*" in wanted or v.language.lower() in wanted or v.language.split("-")[0].lower() in wanted)
        if p == SH.node:
            return lambda v: self.conforms(value, v)
        if p == SH["not"]:
            return lambda v: not self.conforms(value, v)
        if p == SH["or"]:
            return lambda v: any(self.conforms(m, v) for m in value)
        if p == SH["and"]:
            return lambda v: all(self.conforms(m, v) for m in value)
        raise _unsupported(p, "?")  # pragma: no cover - compile_shapes refuses these first

    def _string(self, v) -> str:
        """pySHACL's value_node_to_string."""
        if isinstance(v, ox.Literal):
            lit = self.literal(v)
            if lit.value is not None and lit.datatype in (None, RDF.langString, XSD.string):
                return str(lit.value)
            return str(lit)
        return v.value


def _length_ok(text: str, p: URIRef, bound: int) -> bool:
    return len(text) >= bound if p == SH.minLength else len(text) <= bound


def _node_kind_ok(v, kind: URIRef) -> bool:
    if isinstance(v, ox.BlankNode):
        return kind in (SH.BlankNode, SH.BlankNodeOrLiteral, SH.BlankNodeOrIRI)
    if isinstance(v, ox.Literal):
        return kind in (SH.Literal, SH.BlankNodeOrLiteral, SH.IRIOrLiteral)
    return kind in (SH.IRI, SH.IRIOrLiteral, SH.BlankNodeOrIRI)


def _datatype_ok(v: Literal, rule: URIRef) -> bool:
    """pySHACL's DatatypeConstraintComponent on one literal (ill-typed literals fail)."""
    from datetime import date, datetime, time
    from decimal import Decimal

    if v.datatype == rule:
        if getattr(v, "ill_typed", None) is True:
            return False
        expected = {XSD.string: (str, bytes), RDF.langString: (str, bytes), XSD.integer: int, XSD.float: float,
                    XSD.decimal: Decimal, XSD.boolean: bool, XSD.date: date, XSD.time: time,
                    XSD.dateTime: datetime}.get(rule)
        return expected is None or isinstance(v.value, expected)
    if rule == RDFS.Literal:
        return True
    if rule == RDFS.Datatype and v.datatype:
        return True
    if v.datatype is None and v.language is None and rule == XSD.string:
        return isinstance(v.value, (str, bytes))
    if rule == RDF.langString and v.language:
        return isinstance(v.value, (str, bytes))
    return False


def _range_ok(v: Literal, p: URIRef, bound: Literal) -> bool:
    """pySHACL's value range components (rdfutil.compare_literal) on one literal."""
    from datetime import datetime, time

    if isinstance(bound.value, str) != isinstance(v.value, str):
        return False
    try:
        if v.eq(bound):
            order = 0
        elif v.value.__class__ in (datetime, time):
            order = 0 if v.value == bound.value else (1 if v.value > bound.value else -1)
        else:
            order = 1 if v > bound else -1
    except (TypeError, NotImplementedError):
        return False
    return {SH.minInclusive: order >= 0, SH.maxInclusive: order <= 0,
            SH.minExclusive: order > 0, SH.maxExclusive: order < 0}[p]


# --- candidates: supersets of the violators, computed by Oxigraph -----------------------------------

_SIMPLE_REGEX = re.compile(r"^[\^$\[\]{}A-Za-z0-9,.*+?|() -]*$")
_SURE_LEXICAL = {
    # Oxigraph stores valid literals in canonical form; these forms also parse in rdflib.
    XSD.date: "^[1-9][0-9]{3}-[0-9]{2}-[0-9]{2}$",
    XSD.dateTime: "^[1-9][0-9]{3}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}([.][0-9]{1,6})?(Z|[+-][0-9]{2}:[0-9]{2})?$",
}
_NUMERIC = {XSD.integer, XSD.decimal, XSD.double, XSD.float}
_VALUE_TESTS = {SH["class"], SH.datatype, SH.nodeKind, SH["in"], SH.minInclusive, SH.maxInclusive, SH.minExclusive,
                SH.maxExclusive, SH.minLength, SH.maxLength, SH.pattern, SH.languageIn}


def _string(text: str) -> str:
    """A SPARQL string literal."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r") + '"'


def _no_parser(datatype: URIRef) -> bool:
    """rdflib has no lexical parser for ``datatype`` (xsd:gYear): every literal of it is well-typed to pySHACL."""
    from rdflib.term import _toPythonMapping

    return datatype not in _toPythonMapping


class _Planner:
    """Which focus nodes might violate a shape: one SPARQL query per constraint, sets combined in Python.

    Every filter is "surely conforms" only when pySHACL would agree, so the answer is a superset.
    """

    def __init__(self, data: _Data, evaluator: _Evaluator) -> None:
        self.data, self.ev, self.n, self.queries = data, evaluator, 0, 0

    def var(self) -> str:
        self.n += 1
        return f"?v{self.n}"

    def run(self, where: str) -> set:
        self.queries += 1
        query = f"SELECT DISTINCT ?t0 WHERE {{ {where} }}"
        return {row[0] for row in self.data.store.query(query, use_default_graph_as_union=True)}

    def focus(self, shape: Shape, classes: set) -> set:
        """The focus nodes of ``shape`` (instances of ``classes``) that might violate it."""
        maybe = self.violates(shape, "?t0")
        pattern = f"VALUES ?c0 {{ {' '.join(sorted(str(c) for c in classes))} }} ?t0 <{RDF_TYPE}> ?c0 ."
        return self.run(pattern if maybe == "true" else f"{pattern} FILTER({maybe})")

    def violates(self, shape: Shape, x: str) -> str:
        """A SPARQL condition: node ``x`` might violate ``shape`` (per-row EXISTS on bound subjects only:
        Oxigraph plans a join inside EXISTS badly)."""
        if shape.deactivated:
            return "false"
        parts: list[str] = []
        if shape.path is None:
            parts.extend(self.violates_values(shape, x, x))
        else:
            v = self.var()
            on_values = self.violates_values(shape, x, v)
            if on_values:
                parts.append(f"EXISTS {{ {x} {shape.path.sparql()} {v} . FILTER({' || '.join(on_values)}) }}")
            parts.extend(self.violates_counts(shape, x))
        parts.extend(self.violates(prop, x) for prop in shape.properties)
        parts = [p for p in parts if p != "false"]
        if "true" in parts:
            return "true"
        return " || ".join(f"({p})" for p in parts) if parts else "false"

    def violates_values(self, shape: Shape, x: str, v: str) -> list[str]:
        """Conditions on one value node ``v`` (``x`` itself for a node shape)."""
        parts = []
        for c in shape.constraints:
            p = c.parameter
            if p in _VALUE_TESTS:
                sure = self.sure_value(c, v)
                parts.append("true" if sure is None else f"!COALESCE({sure}, false)")
            elif p == SH.node:
                parts.append(self.violates(c.value, v))
            elif p == SH["or"]:
                members = [self.violates(m, v) for m in c.value]
                parts.append(" && ".join(f"({m})" for m in members) if members else "true")
            elif p == SH["and"]:
                parts.extend(self.violates(m, v) for m in c.value)
            elif p == SH["not"]:
                maybe = self.sure(c.value, v, over=True)
                parts.append("true" if maybe is None else f"COALESCE({maybe}, true)")
            elif p == SH.hasValue and shape.path is None:
                parts.append(f"!sameTerm({v}, <{c.value}>)" if isinstance(c.value, URIRef) else "true")
        return parts

    def violates_counts(self, shape: Shape, x: str) -> list[str]:
        """Conditions on the whole set of values of a property shape."""
        path = shape.path.sparql()
        parts = []
        for c in shape.constraints:
            p = c.parameter
            if p == SH.minCount and c.value > 0:
                parts.append(f"NOT EXISTS {{ {x} {path} {self.var()} . }}" if c.value == 1 else "true")
            elif p == SH.maxCount or (p == SH.uniqueLang and c.value):
                a, b = self.var(), self.var()
                if p == SH.maxCount and c.value == 0:
                    parts.append(f"EXISTS {{ {x} {path} {a} . }}")
                    continue
                same = f' && lang({a}) != "" && lcase(lang({a})) = lcase(lang({b}))' if p == SH.uniqueLang else ""
                parts.append(f"EXISTS {{ {x} {path} {a} . {x} {path} {b} . FILTER(!sameTerm({a}, {b}){same}) }}")
            elif p == SH.hasValue:
                parts.append(f"NOT EXISTS {{ {x} {path} <{c.value}> . }}" if isinstance(c.value, URIRef) else "true")
            elif p == SH.qualifiedValueShape and c.extra is not None and c.extra > 0:
                q = self.var()
                sure = self.sure(c.value, q)
                parts.append("true" if sure is None or c.extra != 1 else
                             f"NOT EXISTS {{ {x} {path} {q} . FILTER(COALESCE({sure}, false)) }}")
        return parts

    def sure(self, shape: Shape, v: str, *, over: bool = False) -> str | None:
        """A SPARQL condition: ``v`` surely conforms to ``shape`` (``over``: ``v`` might conform)."""
        if shape.deactivated:
            return "true"
        parts: list[str | None] = []
        path = shape.path.sparql() if shape.path is not None else None
        for c in shape.constraints:
            if path is None:
                parts.append(self.sure_value(c, v, over=over))
            elif c.parameter == SH.minCount and c.value == 1:
                parts.append(f"EXISTS {{ {v} {path} {self.var()} . }}")
            elif c.parameter == SH.hasValue and isinstance(c.value, URIRef):
                parts.append(f"EXISTS {{ {v} {path} <{c.value}> . }}")
            elif c.parameter == SH.qualifiedValueShape and c.extra == 1:
                q = self.var()
                inner = self.sure(c.value, q, over=over)
                parts.append(None if inner is None else
                             f"EXISTS {{ {v} {path} {q} . FILTER(COALESCE({inner}, {str(over).lower()})) }}")
            else:
                parts.append(None)
        parts.extend(self.sure(prop, v, over=over) for prop in shape.properties)
        if over:
            known = [x for x in parts if x is not None]
            return " && ".join(f"({x})" for x in known) if known else None
        if any(x is None for x in parts):
            return None
        return " && ".join(f"({x})" for x in parts) if parts else "true"

    def sure_value(self, c: Constraint, v: str, *, over: bool = False) -> str | None:
        p, value = c.parameter, c.value
        if p == SH["class"]:
            classes = self.ev.closure(value)
            t = self.var()
            test = f"EXISTS {{ {v} <{RDF_TYPE}> {t} . FILTER({t} IN ({', '.join(sorted(str(x) for x in classes))})) }}"
            individuals = sorted(str(s) for (s, pred), objs in self.data.out.items()
                                 if pred == _OX_TYPE and objs & classes and isinstance(s, ox.NamedNode))
            return f"{test} || {v} IN ({', '.join(individuals)})" if individuals else test
        if p == SH.nodeKind:
            kinds = {SH.IRI: ["isIRI"], SH.Literal: ["isLiteral"], SH.BlankNode: ["isBlank"],
                     SH.BlankNodeOrIRI: ["isBlank", "isIRI"], SH.BlankNodeOrLiteral: ["isBlank", "isLiteral"],
                     SH.IRIOrLiteral: ["isIRI", "isLiteral"]}.get(value)
            return " || ".join(f"{k}({v})" for k in kinds) if kinds else "false"
        if p == SH["in"]:
            if not all(isinstance(x, URIRef) for x in value):
                return None
            return " || ".join(f"sameTerm({v}, <{x}>)" for x in value) or "false"
        if p == SH.datatype:
            return self.sure_datatype(value, v, over)
        if p == SH.languageIn:
            wanted = sorted({str(x).lower() for x in value})
            if "*" in wanted:
                return f'isLiteral({v}) && lang({v}) != ""'
            listed = ", ".join(_string(x) for x in wanted)
            return (f'isLiteral({v}) && lang({v}) != "" && (lcase(lang({v})) IN ({listed}) '
                    f'|| lcase(strbefore(lang({v}), "-")) IN ({listed}))')
        if over:
            return None
        if p in (SH.minLength, SH.maxLength):
            if p == SH.minLength and value == 0:
                return "true"
            return f"!isBlank({v}) && strlen(str({v})) {'>=' if p == SH.minLength else '<='} {int(value)}"
        if p == SH.pattern:
            if not _SIMPLE_REGEX.match(value.pattern) or set(c.extra) - {"i", "m"}:
                return None
            return f"!isBlank({v}) && regex(str({v}), {_string(value.pattern)}, {_string(c.extra)})"
        if p in (SH.minInclusive, SH.maxInclusive, SH.minExclusive, SH.maxExclusive):
            if value.datatype not in _NUMERIC or isinstance(value.value, bool) or value.value is None:
                return None
            op = {SH.minInclusive: ">=", SH.maxInclusive: "<=", SH.minExclusive: ">", SH.maxExclusive: "<"}[p]
            return f"isNumeric({v}) && {v} {op} {to_oxigraph(value)}"
        if p == SH.node:
            return self.sure(value, v)
        return None

    def sure_datatype(self, rule: URIRef, v: str, over: bool) -> str | None:
        if rule == RDFS.Literal:
            return f"isLiteral({v})"
        if rule == RDF.langString:
            return f'isLiteral({v}) && lang({v}) != ""'
        if rule == RDFS.Datatype:
            return None
        same = f"isLiteral({v}) && datatype({v}) = <{rule}>"
        if over or rule == XSD.string or _no_parser(rule):
            return same
        if rule in _NUMERIC:
            return f"{same} && isNumeric({v})"
        if rule == XSD.boolean:
            return f'{same} && (str({v}) = "true" || str({v}) = "false")'
        if rule in _SURE_LEXICAL:
            return f"{same} && regex(str({v}), {_string(_SURE_LEXICAL[rule])}) && <{rule}>(str({v})) = {v}"
        return None


# --- entry point and report -------------------------------------------------------------------------


def evaluate(store: ox.Store, compiled: CompiledShapes) -> list[Result]:
    """Every result of validating the store's union against the compiled shapes."""
    data = _Data(store, compiled.ontology_triples)
    evaluator = _Evaluator(data)
    planner = _Planner(data, evaluator)
    results: list[Result] = []
    for shape in compiled.shapes:
        if shape.deactivated:
            continue
        classes = data.subclass_closure(shape.targets)
        focus = planner.focus(shape, classes)
        focus |= {s for s in data.extra_subjects if data.types(s) & classes}
        for node in sorted(focus, key=str):
            results.extend(evaluator.validate(shape, node))
    return results


def validate_store(store: ox.Store, *, shapes: Graph, ontology: Graph) -> tuple[bool, Graph, str]:
    """Validate the union of ``store``'s graphs; ``(conforms, report_graph, report_text)`` like pySHACL's
    ``validate(..., ont_graph=ontology, allow_warnings=True)``: warnings and infos do not break conformance.

    :raises ValueError: the shapes use a feature the native validator does not implement.
    """
    compiled = compile_shapes(shapes, ontology)
    results = evaluate(store, compiled)
    conforms = all(r.shape.severity in _OK_SEVERITIES for r in results)
    return conforms, report_graph(results, compiled.shapes_graph, conforms), report_text(results, conforms)


def report_graph(results: list[Result], shapes: Graph, conforms: bool) -> Graph:
    """The results as an sh:ValidationReport (bnode result paths copied from the shapes graph)."""
    g = Graph()
    g.bind("sh", SH)
    report = BNode()
    g.add((report, RDF.type, SH.ValidationReport))
    g.add((report, SH.conforms, Literal(conforms)))
    copied: set[Node] = set()
    for r in results:
        node = BNode()
        g.add((report, SH.result, node))
        g.add((node, RDF.type, SH.ValidationResult))
        g.add((node, SH.focusNode, to_rdflib(r.focus)))
        g.add((node, SH.resultSeverity, r.shape.severity))
        g.add((node, SH.sourceShape, r.shape.node))
        g.add((node, SH.sourceConstraintComponent, r.component))
        if r.value is not None:
            g.add((node, SH.value, to_rdflib(r.value)))
        if r.shape.path is not None:
            g.add((node, SH.resultPath, r.shape.path.node))
            _copy_bnode(shapes, r.shape.path.node, g, copied)
        for message in r.shape.messages or (Literal(f"{_local(r.component)} failed"),):
            g.add((node, SH.resultMessage, message))
    return g


def report_text(results: list[Result], conforms: bool) -> str:
    lines = ["Validation Report", f"Conforms: {conforms}", f"Results ({len(results)}):"]
    for r in results:
        lines.append(f"{_local(r.shape.severity)} in {_local(r.component)}: focus {to_rdflib(r.focus)}"
                     + (f", value {to_rdflib(r.value)}" if r.value is not None else ""))
    return "\n".join(lines) + "\n"


def _copy_bnode(source: Graph, node: Node, target: Graph, copied: set) -> None:
    if not isinstance(node, BNode) or node in copied:
        return
    copied.add(node)
    for _, p, o in source.triples((node, None, None)):
        target.add((node, p, o))
        _copy_bnode(source, o, target, copied)


def _local(iri: Node) -> str:
    return str(iri).rsplit("#", 1)[-1]


__all__ = ["validate_store", "compile_shapes", "evaluate", "report_graph", "report_text", "CompiledShapes",
           "Shape", "Path", "Constraint", "Result", "SUPPORTED"]
