"""Issue 12 item 3: the bundled Hokkaido plan → workbook → graph is the same local-plan graph (provenance aside)."""

from __future__ import annotations

import pytest
from rdflib import Graph
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from policykg.loaders.workbook.export import PROVENANCE, find_plan, local_plan_graph, plan_entities
from policykg.namespaces import PK, RDF


@pytest.fixture(scope="module")
def exported(tmp_path_factory, hokkaido_store):
    from policykg.cli.workbook_commands import run_export

    return run_export(hokkaido_store, tmp_path_factory.mktemp("export") / "hokkaido.xlsx")


@pytest.fixture(scope="module")
def national_only(hokkaido_store) -> Graph:
    """The bundled graph without Hokkaido's plan and alignments: what the exported workbook is read against."""
    from policykg.graph.pipeline import union_after

    g = union_after(hokkaido_store, {})
    plan = find_plan(g, "hokkaido")
    drop = local_plan_graph(g, plan, provenance=True)
    out = Graph()
    for t in g:
        if t not in drop and (t[0], RDF.type, PK.Alignment) not in g:
            out.add(t)
    return out


def _diff(a: Graph, b: Graph) -> str:
    _both, first, second = graph_diff(to_isomorphic(a), to_isomorphic(b))
    return "\n".join([f"- {t}" for t in sorted(first)[:10]] + [f"+ {t}" for t in sorted(second)[:10]])


def test_export_then_build_gives_the_same_local_plan_graph(exported, national_only, hokkaido_store):
    from policykg.graph.pipeline import union_after
    from policykg.loaders.workbook import read_workbook

    original = union_after(hokkaido_store, {})
    plan = find_plan(original, "hokkaido")
    rebuilt = next(iter(read_workbook(exported, context=national_only).values()))
    a, b = local_plan_graph(original, plan), local_plan_graph(rebuilt, plan)
    counts = {k: len(v) for k, v in plan_entities(rebuilt, plan).items()}
    assert counts["areas"] == 5 and counts["directions"] == 18 and counts["measures"] == 39, counts
    assert len(a) > 1500 and not any(p in PROVENANCE for _s, p, _o in a)
    assert isomorphic(a, b), _diff(a, b)


def test_the_curated_alignments_come_back_too(exported, national_only, hokkaido_store):
    from policykg.graph.pipeline import union_after
    from policykg.loaders.workbook import read_workbook

    def links(g: Graph) -> set:
        return {(g.value(a, PK.localItem), g.value(a, PK.nationalItem), g.value(a, PK.evidence), g.value(a, PK.relation),
                 g.value(a, PK.rationale)) for a in g.subjects(RDF.type, PK.Alignment)
                if g.value(a, PK.evidence) in (PK.Stated, PK.Curated)}

    rebuilt = next(iter(read_workbook(exported, context=national_only).values()))
    original = links(union_after(hokkaido_store, {}))
    assert len(original) > 40 and links(rebuilt) == original


def test_the_exported_workbook_passes_shacl_beside_the_national_data(exported, national_only):
    from policykg.graph.pipeline import validate_union
    from policykg.loaders.workbook import read_workbook

    union = Graph()
    union += national_only
    union += next(iter(read_workbook(exported, context=national_only).values()))
    report = validate_union(union)
    assert report.conforms, report.report_text


def test_a_workbook_plan_round_trips_too(tmp_path, city_workbook, bundled_context):
    """The fictional city (two targets, a qualitative indicator, phases, an observation, an Excel date)."""
    from policykg.loaders.workbook import read_workbook
    from policykg.loaders.workbook.export import export_workbook

    first = next(iter(read_workbook(city_workbook(), context=bundled_context).values()))
    union = Graph()
    union += bundled_context
    union += first
    path = export_workbook(union, tmp_path / "again.xlsx", jurisdiction="テスト市")
    second = next(iter(read_workbook(path, context=bundled_context).values()))
    plan = find_plan(first, None)
    a, b = local_plan_graph(first, plan), local_plan_graph(second, plan)
    assert len(a) > 150 and isomorphic(a, b), _diff(a, b)
    observed = [(s, p, o) for s, p, o in second if p == RDF.type and o == PK.IndicatorObservation]
    assert len(observed) == 1
