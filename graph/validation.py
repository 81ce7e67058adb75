"""SHACL validation of the whole graph, with reports a planner can act on.

pySHACL answers "focus node _:b12 violates sh:datatype"; a planner needs "遠隔医療… (IRI)
slide 14 「道の取組（②産業）」 line 212: qudt:numericValue: 数値は xsd:decimal …". So
:func:`validate` checks the *union* of all named graphs (cross-graph links such as an alignment
pointing at a measure must resolve) with the ontology mixed in (class targets reach subclasses)
and turns every result into a :class:`Violation` that carries the entity's label and source
location. A blank focus node (a source location, a time instant) is reported under the nearest
IRI that points at it.

Two engines give the same results: ``native`` (the default, :mod:`policykg.graph.shacl` over a
pyoxigraph Store, ~30× faster) and ``pyshacl`` (the reference, kept for differential tests).
pySHACL patches global rdflib state while it runs, so its calls are serialised with a lock.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID, ConjunctiveGraph
from rdflib.namespace import SH
from rdflib.term import Node

from policykg.errors import ValidationFailed
from policykg.graph.store import to_oxigraph, to_rdflib
from policykg.labels import LABEL_PREDICATES, graph_label, pick_label
from policykg.namespaces import PK, RDF, SOSA, curie

_LOCK = threading.Lock()
_SEVERITY_ORDER = {"Violation": 0, "Warning": 1, "Info": 2}
_SEVERITY_JA = {"Warning": "警告", "Info": "情報"}
_OWNER_HOPS = 3
_BELONGS_TO = (PK.targetOf, SOSA.observedProperty, PK.assesses, PK.localItem)


@dataclass(frozen=True)
class SourcePlace:
    """Where an entity is stated in its source (any part may be unknown)."""

    document: str | None
    slide: int | None
    section: str | None
    line: int | None


@dataclass(frozen=True)
class Violation:
    """One SHACL result, resolved to something a person can find in the source.

    ``focus`` is the node pySHACL reported; ``entity`` the nearest IRI (the focus itself, or the
    entity that owns a blank focus node through ``via``, e.g. ``pk:sourceLocation``).
    """

    focus: str
    entity: str | None
    via: str | None
    label: str | None
    location: SourcePlace | None
    path: str | None
    message: str
    message_en: str
    severity: str
    value: str | None
    shape: str | None


@dataclass(frozen=True)
class ValidationReport:
    """What :func:`validate` found; ``conforms`` ignores warnings (they are still listed)."""

    conforms: bool
    report_graph: Graph
    report_text: str
    violations: list[Violation]

    @property
    def errors(self) -> list[Violation]:
        """Only the results of severity Violation (the ones that make ``conforms`` false)."""
        return [v for v in self.violations if v.severity == "Violation"]


def validate(
    data: Graph | Dataset | ox.Store,
    *,
    shapes: Graph | None = None,
    ontology: Graph | None = None,
    engine: str = "native",
) -> ValidationReport:
    """Validate ``data`` against the shapes: a Graph, a Dataset or a pyoxigraph Store (also a
    :class:`policykg.graph.store.OxigraphStore`), whose named graphs and default graph are merged.

    ``shapes`` defaults to ontology/shapes.ttl and ``ontology`` to ontology/policykg.ttl; pass the
    same Graph objects again and the native engine reuses their compiled form. The input is never
    modified. ``engine="pyshacl"`` runs pySHACL instead (the reference the native engine is tested
    against; ~30× slower).

    >>> report = validate(Graph())
    >>> report.conforms, report.violations
    (True, [])

    :raises ValueError: ``engine`` is unknown, or (native) the shapes use a SHACL feature
        :mod:`policykg.graph.shacl` does not implement.
    :raises pyshacl.errors.ReportableRuntimeError: (pyshacl) the shapes graph itself is broken.
    """
    shacl = shapes if shapes is not None else _default_shapes()
    ont = ontology if ontology is not None else _default_ontology()
    if engine == "native":
        from policykg.graph import shacl as native

        store = _as_oxigraph(data)
        conforms, report_graph, report_text = native.validate_store(store, shapes=shacl, ontology=ont)
        lookup: Graph | _StoreView = _StoreView(store)
    elif engine == "pyshacl":
        import pyshacl

        lookup = union = _union(data)
        with _LOCK:
            conforms, report_graph, report_text = pyshacl.validate(
                union,
                shacl_graph=shacl,
                ont_graph=ont,
                inference="none",
                allow_warnings=True,
                advanced=False,
            )
    else:
        raise ValueError(f"不明な検証エンジン {engine!r}（native か pyshacl） / unknown engine {engine!r} (native or pyshacl)")
    nested = set(report_graph.objects(None, SH.detail))
    found = {
        _violation(report_graph, lookup, ont, result)
        for result in report_graph.subjects(RDF.type, SH.ValidationResult)
        if result not in nested
    }
    return ValidationReport(bool(conforms), report_graph, str(report_text), sorted(found, key=_sort_key))


def raise_for_report(report: ValidationReport, *, lang: str = "ja") -> None:
    """Raise :class:`policykg.errors.ValidationFailed` unless the report conforms.

    :raises ValidationFailed: with the readable report (:func:`format_report`) as its text.
    """
    if not report.conforms:
        raise ValidationFailed(format_report(report, lang=lang), len(report.errors))


def format_report(report: ValidationReport, lang: str = "ja") -> str:
    """One readable line per result, after a one-line summary.

    A line reads ``<label> (<iri>) slide 14 「道の取組（②産業）」 line 212: <path>: <message>``;
    warnings and infos are prefixed with ``[警告]`` / ``[warning]`` and ``[情報]`` / ``[info]``.
    """
    errors = len(report.errors)
    warnings = len(report.violations) - errors
    if lang == "ja":
        head = f"SHACL検証: {'適合' if report.conforms else '不適合'}（違反 {errors}件、警告・情報 {warnings}件）"
    else:
        head = f"SHACL validation: {'conforms' if report.conforms else 'does not conform'} ({errors} violation(s), {warnings} warning(s)/info)"
    return "\n".join([head, *(format_violation(v, lang) for v in report.violations)])


def format_violation(v: Violation, lang: str = "ja") -> str:
    """One result as a single line (see :func:`format_report`).

    >>> v = Violation(
    ...     focus="https://w3id.org/policykg/id/hokkaido/area/hokkaido-area-2",
    ...     entity="https://w3id.org/policykg/id/hokkaido/area/hokkaido-area-2", via=None, label="産業",
    ...     location=SourcePlace(document=None, slide=14, section="道の取組（②産業）", line=212),
    ...     path="pk:ordinal", message="分野には番号が必要です。", message_en="An area needs an ordinal.",
    ...     severity="Violation", value=None, shape=None)
    >>> format_violation(v)
    '産業 (https://w3id.org/policykg/id/hokkaido/area/hokkaido-area-2) slide 14 「道の取組（②産業）」 line 212: pk:ordinal: 分野には番号が必要です。'
    >>> format_violation(v, "en").endswith("pk:ordinal: An area needs an ordinal.")
    True
    """
    parts = []
    if v.severity != "Violation":
        parts.append(f"[{_SEVERITY_JA.get(v.severity, v.severity) if lang == 'ja' else v.severity.lower()}] ")
    parts.append(f"{v.label or '—'} ({v.entity or v.focus})")
    if v.location is not None:
        if v.location.slide is not None:
            parts.append(f" slide {v.location.slide}")
        if v.location.section:
            parts.append(f" 「{v.location.section}」")
        if v.location.line is not None:
            parts.append(f" line {v.location.line}")
    path = " / ".join(p for p in (v.via, v.path) if p)
    parts.append(f": {path or '-'}: {v.message if lang == 'ja' else v.message_en}")
    if v.value is not None:
        parts.append(f" ({'値' if lang == 'ja' else 'value'}: {v.value})")
    return "".join(parts)


# --- helpers -----------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _default_shapes() -> Graph:
    """ontology/shapes.ttl, parsed once per process (one identity, so its compiled form is cached)."""
    from policykg.ontology import shapes_graph

    return shapes_graph()


@lru_cache(maxsize=1)
def _default_ontology() -> Graph:
    from policykg.ontology import ontology_graph

    return ontology_graph()


def _as_oxigraph(data: Graph | Dataset | ox.Store) -> ox.Store:
    """``data`` as a pyoxigraph Store: a Store as is, a Graph or Dataset copied into a new in-memory one."""
    if isinstance(data, ox.Store):
        return data
    engine = getattr(data, "engine", None)
    if isinstance(engine, ox.Store):
        return engine
    store = ox.Store()
    if isinstance(data, ConjunctiveGraph):
        store.extend(
            ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o),
                    ox.DefaultGraph() if g is None or _graph_id(g) == DATASET_DEFAULT_GRAPH_ID else to_oxigraph(_graph_id(g)))
            for s, p, o, g in data.quads((None, None, None, None))
        )
    else:
        store.extend(ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o)) for s, p, o in data)
    return store


def _graph_id(g: Node | Graph) -> Node:
    return g.identifier if isinstance(g, Graph) else g


class _StoreView:
    """The three rdflib Graph lookups the report helpers use, over a pyoxigraph Store's union."""

    def __init__(self, store: ox.Store) -> None:
        self.store = store

    def objects(self, subject: Node | None = None, predicate: Node | None = None) -> list[Node]:
        if subject is None or isinstance(subject, Literal):
            return []
        p = to_oxigraph(predicate) if predicate is not None else None
        return list(dict.fromkeys(to_rdflib(q.object) for q in self.store.quads_for_pattern(to_oxigraph(subject), p, None, None)))

    def value(self, subject: Node | None = None, predicate: Node | None = None) -> Node | None:
        return next(iter(self.objects(subject, predicate)), None)

    def subject_predicates(self, obj: Node) -> list[tuple[Node, Node]]:
        quads = self.store.quads_for_pattern(None, None, to_oxigraph(obj), None)
        return list(dict.fromkeys((to_rdflib(q.subject), to_rdflib(q.predicate)) for q in quads))


def _union(data: Graph | Dataset | ox.Store) -> Graph:
    """The default-graph view queries see: every named graph merged into one Graph."""
    if isinstance(data, ox.Store) or isinstance(getattr(data, "engine", None), ox.Store):
        store = data if isinstance(data, ox.Store) else data.engine
        union = Graph()
        for q in store:
            union.add((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)))
        return union
    if not isinstance(data, ConjunctiveGraph):
        return data
    union = Graph()
    for prefix, namespace in data.namespaces():
        union.bind(prefix, namespace, override=True)
    for s, p, o, _ in data.quads((None, None, None, None)):
        union.add((s, p, o))
    return union


def _violation(report: Graph, data: Graph | _StoreView, ontology: Graph, result: Node) -> Violation:
    focus = report.value(result, SH.focusNode)
    entity, via = _owner(data, focus)
    label, location = _describe(data, ontology, entity) if entity is not None else (None, None)
    messages = list(report.objects(result, SH.resultMessage))
    path_node = report.value(result, SH.resultPath)
    value = report.value(result, SH.value)
    severity = report.value(result, SH.resultSeverity)
    shape = report.value(result, SH.sourceShape)
    return Violation(
        focus=str(focus),
        entity=str(entity) if entity is not None else None,
        via=via,
        label=label,
        location=location,
        path=_path_text(report, path_node) if path_node is not None else None,
        message=_pick_message(messages, "ja"),
        message_en=_pick_message(messages, "en"),
        severity=_local_name(severity) if severity is not None else "Violation",
        value=_value_text(value) if value is not None and value != focus else None,
        shape=str(shape) if isinstance(shape, URIRef) else None,
    )


def _owner(data: Graph | _StoreView, focus: Node | None) -> tuple[Node | None, str | None]:
    """The focus itself if it is an IRI; else the nearest IRI subject pointing at it, and how."""
    if focus is None or isinstance(focus, URIRef):
        return focus, None
    seen = {focus}
    queue: deque[tuple[Node, list[str]]] = deque([(focus, [])])
    while queue:
        node, chain = queue.popleft()
        if len(chain) >= _OWNER_HOPS:
            continue
        for subject, predicate in sorted(data.subject_predicates(node), key=lambda sp: (str(sp[0]), str(sp[1]))):
            step = [_curie(predicate), *chain]
            if isinstance(subject, URIRef):
                return subject, " / ".join(step)
            if subject not in seen:
                seen.add(subject)
                queue.append((subject, step))
    return None, None


def _describe(data: Graph | _StoreView, ontology: Graph, node: Node) -> tuple[str | None, SourcePlace | None]:
    """Label and source location of ``node``; an unlabelled node (a target, a baseline, an
    alignment) borrows them from the entity it belongs to: "自動運転実証試験件数 › 目標値"."""
    label, location = _label(data, node), _location(data, node)
    if label is not None:
        return label, location
    for predicate in _BELONGS_TO:
        owner = _first(data, node, predicate)
        owner_label = _label(data, owner) if owner is not None else None
        if owner_label is not None:
            kind = next((_label(ontology, t) for t in sorted(data.objects(node, RDF.type)) if _label(ontology, t)), None)
            return (f"{owner_label} › {kind}" if kind else owner_label), location or _location(data, owner)
    return None, location


def _label(data: Graph, node: Node) -> str | None:
    """The node's Japanese label (:func:`policykg.labels.choose_label`; a file name names a source document)."""
    return graph_label(data, node, "ja", predicates=(*LABEL_PREDICATES, PK.fileName)) or None


def _location(data: Graph, node: Node) -> SourcePlace | None:
    places = [
        SourcePlace(
            document=_str_or_none(_first(data, loc, PK.document)),
            slide=_int_or_none(_first(data, loc, PK.slide)),
            section=_str_or_none(_first(data, loc, PK.section)),
            line=_int_or_none(_first(data, loc, PK.line)),
        )
        for predicate in (PK.sourceLocation, PK.sourceRow)
        for loc in data.objects(node, predicate)
    ]
    if not places:
        return None
    return min(places, key=lambda p: (p.line is None, p.line or 0, p.document or ""))


def _first(data: Graph | _StoreView, node: Node, predicate: Node) -> Node | None:
    """One value of ``predicate``, the same whichever engine or store order: the least by N-Triples text."""
    return min(data.objects(node, predicate), key=lambda o: o.n3(), default=None)


def _path_text(report: Graph, path: Node) -> str:
    """A SHACL property path in SPARQL-like compact syntax (pk:a|pk:b, pk:a/pk:b, ^pk:a)."""
    if isinstance(path, URIRef):
        return _curie(path)
    alternatives = report.value(path, SH.alternativePath)
    if alternatives is not None:
        return "|".join(_path_text(report, p) for p in Collection(report, alternatives))
    inverse = report.value(path, SH.inversePath)
    if inverse is not None:
        return "^" + _path_text(report, inverse)
    for predicate, suffix in ((SH.zeroOrMorePath, "*"), (SH.oneOrMorePath, "+"), (SH.zeroOrOnePath, "?")):
        inner = report.value(path, predicate)
        if inner is not None:
            return _path_text(report, inner) + suffix
    if report.value(path, RDF.first) is not None:
        return "/".join(_path_text(report, p) for p in Collection(report, path))
    return str(path)


def _pick_message(messages: Iterable[Node], lang: str) -> str:
    literals = [m for m in messages if isinstance(m, Literal)]
    return pick_label(sorted(literals, key=_literal_key), lang, fallback="")


def _literal_key(literal: Literal) -> tuple[str, str]:
    return (literal.language or "", str(literal))


def _curie(iri: Node) -> str:
    return curie(str(iri)) or f"<{iri}>"


def _value_text(value: Node) -> str:
    if isinstance(value, Literal):
        datatype = f"^^{_curie(value.datatype)}" if value.datatype else ""
        lang = f"@{value.language}" if value.language else ""
        return f'"{value}"{lang}{datatype}'
    if isinstance(value, BNode):
        return "[]"
    return _curie(value)


def _local_name(iri: Node) -> str:
    return str(iri).rsplit("#", 1)[-1]


def _str_or_none(node: Node | None) -> str | None:
    return str(node) if node is not None else None


def _int_or_none(node: Node | None) -> int | None:
    if isinstance(node, Literal):
        try:
            return int(node)
        except (TypeError, ValueError):
            return None
    return None


def _sort_key(v: Violation) -> tuple:
    line = v.location.line if v.location and v.location.line is not None else 1 << 30
    return (_SEVERITY_ORDER.get(v.severity, 3), line, v.entity or v.focus, v.path or "", v.message)


__all__ = [
    "validate", "raise_for_report", "format_report", "format_violation",
    "ValidationReport", "Violation", "SourcePlace",
]
