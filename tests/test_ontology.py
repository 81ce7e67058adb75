"""The ontology declares every term of docs/model.md, bilingually, and the shapes are valid SHACL."""

from __future__ import annotations

import re
from pathlib import Path

import pyshacl
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.compare import isomorphic
from rdflib.namespace import OWL, RDF, RDFS, SH, SKOS

from policykg import namespaces as ns
from policykg.namespaces import ORG, PK, PROV, QUDT, QUDT_UNIT, UNIT
from policykg.ontology import ontology_graph, ontology_text, shapes_graph, shapes_text

from project_paths import ROOT

MODEL_DOC = (ROOT / "docs" / "model.md").read_text(encoding="utf-8")
ONT = ontology_graph()
SHAPES = shapes_graph()
TERM_TYPES = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.NamedIndividual)
TERMS = sorted(
    {s for t in TERM_TYPES for s in ONT.subjects(RDF.type, t) if isinstance(s, URIRef)
     and (str(s).startswith(str(PK)) or str(s).startswith(str(UNIT)))},
    key=str,
)


def _short(term: URIRef) -> str:
    return str(term).replace(str(PK), "pk:").replace(str(UNIT), "unit:")


def _langs(graph: Graph, subject, predicate) -> list[str | None]:
    return sorted((o.language or "") for o in graph.objects(subject, predicate) if isinstance(o, Literal))


def test_ontology_declares_a_reasonable_number_of_terms():
    # 60+ pk: terms in docs/model.md plus units: a parse that silently dropped half would show here.
    assert len(TERMS) > 150


@pytest.mark.parametrize("term", TERMS, ids=_short)
def test_every_term_has_one_label_and_one_comment_in_ja_and_en(term):
    assert _langs(ONT, term, RDFS.label) == ["en", "ja"], f"{_short(term)}: rdfs:label must be one @ja and one @en"
    assert _langs(ONT, term, RDFS.comment) == ["en", "ja"], f"{_short(term)}: rdfs:comment must be one @ja and one @en"
    for literal in ONT.objects(term, RDFS.label):
        assert str(literal).strip(), f"{_short(term)}: empty label"


@pytest.mark.parametrize("name", sorted(set(re.findall(r"\bpk:([A-Za-z]\w*)", MODEL_DOC))))
def test_every_pk_term_in_the_data_model_is_declared(name):
    term = PK[name]
    types = set(ONT.objects(term, RDF.type))
    assert types & set(TERM_TYPES), f"pk:{name} is used in docs/model.md but not declared in ontology/policykg.ttl"


@pytest.mark.parametrize("name", sorted(set(re.findall(r"\bunit:([A-Za-z]\w*)", MODEL_DOC))))
def test_every_unit_in_the_data_model_is_a_unit(name):
    assert (UNIT[name], RDF.type, PK.Unit) in ONT


def test_every_pk_iri_mentioned_in_the_ontology_is_declared():
    mentioned = {n for triple in ONT for n in triple if isinstance(n, URIRef) and str(n).startswith(str(PK))}
    undeclared = sorted(_short(n) for n in mentioned if not set(ONT.objects(n, RDF.type)) & set(TERM_TYPES))
    assert undeclared == []


@pytest.mark.parametrize(
    ("unit", "match", "qudt_unit"),
    [
        ("Percent", SKOS.exactMatch, QUDT_UNIT.PERCENT),
        ("Count", SKOS.exactMatch, QUDT_UNIT.NUM),
        ("CubicMetre", SKOS.exactMatch, QUDT_UNIT.M3),
        ("Dimensionless", SKOS.exactMatch, QUDT_UNIT.UNITLESS),
        ("TonneCO2", SKOS.closeMatch, QUDT_UNIT.TONNE),
        ("Person", SKOS.broadMatch, QUDT_UNIT.NUM),
        ("Yen", SKOS.exactMatch, URIRef("http://qudt.org/vocab/currency/JPY")),
    ],
)
def test_units_link_to_qudt(unit, match, qudt_unit):
    assert (UNIT[unit], match, qudt_unit) in ONT


def _superclasses(cls: URIRef) -> set[URIRef]:
    return set(ONT.transitive_objects(cls, RDFS.subClassOf)) - {cls}


@pytest.mark.parametrize(
    ("cls", "ancestor"),
    [
        (PK.Agency, ORG.Organization),
        (PK.WorkingGroup, ORG.Organization),
        (PK.Indicator, ns.SOSA.ObservableProperty),
        (PK.NumericIndicator, ns.SOSA.ObservableProperty),
        (PK.Baseline, ns.SOSA.Observation),
        (PK.IndicatorObservation, ns.SOSA.Observation),
        (PK.Target, QUDT.QuantityValue),
        (PK.Unit, QUDT.Unit),
        (PK.Pillar, SKOS.Concept),
        (PK.ProcedureStep, PK.NationalItem),
        (PK.Measure, PK.LocalItem),
        (PK.RoadmapRow, PK.LocalItem),
        (PK.LocalPlan, SKOS.ConceptScheme),
        (PK.Guideline, PK.PolicyDocument),
        (PK.SourceDocument, PROV.Entity),
        (PK.Alignment, PROV.Entity),
        (PK.Meeting, PROV.Activity),
    ],
)
def test_classes_reuse_standard_vocabularies(cls, ancestor):
    assert ancestor in _superclasses(cls), f"{_short(cls)} should be a subclass of {ancestor}"


@pytest.mark.parametrize(
    ("cls", "members"),
    [
        (PK.Comparator, ["AtLeast", "AtMost", "Exactly"]),
        (PK.DesiredDirection, ["HigherIsBetter", "LowerIsBetter"]),
        (PK.AlignmentRelation, ["Supports", "ContributesTo"]),
        (PK.EvidenceKind, ["Stated", "Curated", "Inferred"]),
        (PK.PhaseKind, ["InitialFocus", "PlanDirectionPhase"]),
        (PK.ProgressStatus, [
            "StatusAchieved", "StatusOnTrack", "StatusAccelerationNeeded", "StatusLimitedProgress",
            "StatusDeterioration", "StatusTargetPassedNoData", "StatusNoData", "StatusInsufficientData",
            "StatusNoTarget",
        ]),
    ],
)
def test_closed_value_lists_are_enumerated(cls, members):
    expected = [PK[m] for m in members]
    assert list(Collection(ONT, ONT.value(cls, OWL.oneOf))) == expected
    assert sorted(ONT.subjects(RDF.type, cls)) == sorted(expected)


def test_time_properties_point_at_owl_time():
    assert (PK.decided, RDFS.range, ns.TIME.Instant) in ONT
    assert (PK.planPeriod, RDFS.range, ns.TIME.ProperInterval) in ONT


def test_ontology_header_explains_sosa_over_data_cube():
    onto = URIRef("https://w3id.org/policykg/ontology")
    assert (onto, RDF.type, OWL.Ontology) in ONT
    descriptions = {o.language: str(o) for o in ONT.objects(onto, URIRef("http://purl.org/dc/terms/description"))}
    assert "Data Cube" in descriptions["en"] and "SOSA" in descriptions["en"]
    assert "SOSA" in descriptions["ja"]
    assert "Data Cube" in ontology_text().split("@prefix")[0], "the header comment must justify the choice too"


def test_loaders_return_independent_copies():
    first = ontology_graph()
    first.add((PK.Extra, RDF.type, OWL.Class))
    assert (PK.Extra, RDF.type, OWL.Class) not in ontology_graph()
    assert isomorphic(ontology_graph(), Graph().parse(data=ontology_text(), format="turtle"))
    assert isomorphic(shapes_graph(), Graph().parse(data=shapes_text(), format="turtle"))


# --- shapes ------------------------------------------------------------------------------------


def test_shapes_conform_to_shacl_shacl():
    meta = Graph().parse(Path(pyshacl.__file__).parent / "assets" / "shacl-shacl.ttl")
    conforms, _, text = pyshacl.validate(shapes_graph(), shacl_graph=meta)
    assert conforms, text


def test_shapes_load_in_pyshacl():
    # meta_shacl=True makes pySHACL check the shapes graph before using it; loading every
    # constraint would raise on a malformed one.
    conforms, _, text = pyshacl.validate(Graph(), shacl_graph=shapes_graph(), meta_shacl=True)
    assert conforms, text


def test_every_pk_iri_in_the_shapes_is_declared_in_the_ontology():
    mentioned = {n for triple in SHAPES for n in triple if isinstance(n, URIRef) and str(n).startswith(str(PK))}
    undeclared = sorted(_short(n) for n in mentioned if not set(ONT.objects(n, RDF.type)) & set(TERM_TYPES))
    assert undeclared == []


def _message_holders() -> list:
    holders = set(SHAPES.objects(None, SH.property))
    node_level = (SH["or"], SH["not"], SH["and"], SH.nodeKind, SH["class"])
    for shape in SHAPES.subjects(RDF.type, SH.NodeShape):
        if any(SHAPES.value(shape, p) is not None for p in node_level):
            holders.add(shape)
    named = sorted((_holder_name(h), sorted(map(str, SHAPES.objects(h, SH.message))), h) for h in holders)
    return [pytest.param(h, id=name) for name, _, h in named]


def _holder_name(node) -> str:
    """A test id that is the same in every process (blank node ids are not: xdist compares them)."""
    if isinstance(node, URIRef):
        return str(node).rsplit("#", 1)[-1].rsplit("/", 1)[-1]
    path = SHAPES.value(node, SH.path)
    path_name = _short(path) if isinstance(path, URIRef) else "complex-path"
    parent = next(SHAPES.subjects(SH.property, node), None)
    return f"{_holder_name(parent)}.{path_name}" if parent is not None else f"anonymous.{path_name}"


@pytest.mark.parametrize("shape", _message_holders())
def test_every_constraint_has_a_message_in_ja_and_en(shape):
    assert _langs(SHAPES, shape, SH.message) == ["en", "ja"]


@pytest.mark.parametrize(
    "cls",
    sorted({c for c in SHAPES.objects(None, SH.targetClass) if str(c).startswith(str(PK))}, key=str),
    ids=_short,
)
def test_shape_targets_are_ontology_classes(cls):
    assert (cls, RDF.type, OWL.Class) in ONT


@pytest.mark.parametrize(
    "cls",
    [PK.Measure, PK.PolicyDirection, PK.PolicyArea, PK.NumericIndicator, PK.QualitativeIndicator, PK.Baseline,
     PK.Target, PK.Alignment, PK.ProgressAssessment, PK.IndicatorObservation, PK.RoadmapPhase, PK.Transition,
     PK.SourceLocation, PK.SourceDocument, PK.NationalItem, PK.LocalPlan],
    ids=_short,
)
def test_every_emitted_class_is_covered_by_a_shape(cls):
    targeted = set(SHAPES.objects(None, SH.targetClass))
    assert cls in targeted or _superclasses(cls) & targeted
