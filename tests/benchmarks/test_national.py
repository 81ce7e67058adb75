"""benchmarks/national.py: the national synthetic dataset (1,788 jurisdictions through the workbook model).

Kept fast: graphs are generated for a handful of jurisdictions at small scales; the full roster is
checked without generating it.
"""

from __future__ import annotations

import doctest
import os
import subprocess
import sys
from collections import Counter

import pytest
from rdflib import BNode, Dataset, Graph, Literal, URIRef

from project_paths import ROOT

if str(ROOT) not in sys.path:  # ``benchmarks`` is a folder of the project root, not an installed package
    sys.path.insert(0, str(ROOT))

from benchmarks import national  # noqa: E402
from policykg.loaders.workbook.parse import check_code  # noqa: E402
from policykg.namespaces import PK, RDF  # noqa: E402

SEED = 7
SCALE = 0.03
SAMPLE = ("130001", "138011")  # Tokyo (its real code) and its first synthetic ward


def _sample_codes() -> list[str]:
    """One jurisdiction of every kind: prefecture, designated city, city, ward, town, village."""
    firsts: dict[str, str] = {}
    for j in national.roster():
        firsts.setdefault(j.kind, j.code)
    return list(firsts.values())


@pytest.fixture(scope="module")
def sample() -> dict[str, Graph]:
    return dict(national.generate(SEED, SCALE, jurisdictions=_sample_codes()))


def _lines(codes, seed: int = SEED, scale: float = SCALE) -> list[str]:
    out: list[str] = []
    for j in national.roster():
        if j.code in codes:
            out += national.nquads(national.jurisdiction_triples(j, seed=seed, scale=scale), national.graph_name(j))
    return out


def test_the_roster_has_every_government_with_a_unique_valid_code() -> None:
    roster = national.roster()
    kinds = Counter(j.kind for j in roster)
    assert len(roster) == 1788
    assert kinds["prefecture"] == 47 and len(roster) - kinds["prefecture"] == 1741
    assert kinds["city"] + kinds["designated"] == 792 and kinds["town"] == 743 and kinds["village"] == 183
    assert kinds["ward"] == 23 and kinds["designated"] == 20
    codes = [j.code for j in roster]
    assert len(set(codes)) == 1788 and len({j.key for j in roster}) == 1788 and len({j.name for j in roster}) == 1788
    assert all(len(c) == 6 and check_code(c) for c in codes)
    assert [j.code for j in roster if j.kind == "prefecture"] == [f"{p:02d}000{national.check_digit(f'{p:02d}000')}"
                                                                  for p in range(1, 48)]
    assert codes[0] == "010006" and codes[46] == "470007"
    assert all(j.code[:2] == f"{j.prefecture:02d}" for j in roster)
    assert all(int(j.code[2:5]) >= 801 for j in roster if j.kind != "prefecture")  # no real municipal code
    assert all(j.name.startswith("合成") and j.name_en.startswith("Synthetic") for j in roster)
    per_prefecture = Counter(j.prefecture for j in roster if j.kind != "prefecture")
    assert [per_prefecture[p] for p in range(1, 48)] == list(national.PREFECTURE_MUNICIPALITIES)


def test_same_seed_same_output_and_another_seed_differs(sample: dict[str, Graph]) -> None:
    first = [line for g in sample.values() for line in national.nquads(g)]  # through generate() and Graph
    assert first == _lines(_sample_codes())  # through the writer's path, generated again
    assert _lines(SAMPLE[:1], seed=8) != _lines(SAMPLE[:1])


def test_output_does_not_depend_on_the_process(tmp_path) -> None:
    """Blank node labels and line order hold across processes (another hash seed, another rdflib BNode id)."""
    assert [j.kind for j in national.roster() if j.code in SAMPLE] == ["prefecture", "ward"]
    here, there = tmp_path / "here.nq", tmp_path / "there.nq"
    national.write_nquads(here, seed=SEED, scale=SCALE, jurisdictions=SAMPLE)
    env = {**os.environ, "PYTHONHASHSEED": "123"}
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "national.py"), "--scale", str(SCALE), "--seed", str(SEED),
                    "--out", str(there), "--only", *SAMPLE], check=True, env=env, cwd=ROOT, capture_output=True, timeout=120)
    assert here.read_bytes() == there.read_bytes()


def test_the_fast_path_is_parse_workbook() -> None:
    """The writer's parse (national label index built once) gives parse_workbook's triples."""
    for j in national.roster():
        if j.code in SAMPLE:
            national.jurisdiction_triples(j, seed=SEED, scale=SCALE, check=True)


def test_every_node_is_marked_synthetic(sample: dict[str, Graph]) -> None:
    for key, g in sample.items():
        subjects = set(g.subjects())
        named = {s for s in subjects if isinstance(s, URIRef)}
        assert named and all((s, PK.synthetic, Literal(True)) in g for s in named), key
        assert all(str(s).startswith(f"https://w3id.org/policykg/id/{key}/") or "/source/" in str(s)
                   or "/agent/" in str(s) or "/alignment/" in str(s) for s in named), key
        # every blank node hangs from a marked node
        parent = {o: s for s, _p, o in g if isinstance(o, BNode)}
        for b in (s for s in subjects if isinstance(s, BNode)):
            while isinstance(b, BNode):
                b = parent[b]
            assert b in named
        plan = next(g.subjects(RDF.type, PK.LocalPlan))
        assert "合成" in str(g.value(plan, PK.jurisdiction))


def test_plans_have_the_project_shape(sample: dict[str, Graph]) -> None:
    union = Graph()
    for key, g in sample.items():
        for cls in (PK.LocalPlan, PK.PolicyArea, PK.PolicyDirection, PK.Measure, PK.NumericIndicator, PK.Baseline,
                    PK.Target, PK.IndicatorObservation, PK.Roadmap):
            assert (None, RDF.type, cls) in g, (key, cls)
        assert (None, PK.implementationPeriod, None) in g and (None, PK.comparator, None) in g
        assert (None, PK.desiredDirection, None) in g and (None, PK.localGovernmentCode, None) in g
        assert str(g.identifier).endswith(f"/graph/synthetic-{key.removeprefix('synth-')}")
        union += g
    for cls in (PK.Alignment, PK.Transition, PK.RoadmapRow):  # a tiny plan may lack one
        assert (None, RDF.type, cls) in union, cls


def test_a_prefecture_at_scale_one_is_realistic() -> None:
    size = national.plan_size(national.roster()[0], SEED, 1.0)
    assert 4 <= size.areas <= 6 and 16 <= sum(size.directions) <= 24
    assert 60 <= size.measures <= 100 and 120 <= size.numeric + size.qualitative <= 180
    assert size.qualitative >= 12 and size.observed * size.years >= 200
    rows = national.workbook_rows(national.roster()[0], seed=SEED, scale=1.0)
    assert len(rows["alignments"]) >= size.measures * 0.8 and len(rows["observations"]) == size.observed * size.years
    village = next(j for j in national.roster() if j.kind == "village")
    assert national.plan_size(village, SEED, 1.0).measures <= 12


def test_validates_with_the_national_reference_data(sample: dict[str, Graph]) -> None:
    from policykg.graph.validation import format_report, validate

    union = Graph()
    for g in sample.values():
        union += g
    union += national.national_context()
    report = validate(union)
    assert report.conforms, format_report(report)


def test_alignment_targets_are_national_items(sample: dict[str, Graph]) -> None:
    items = {iri for iri, _label in national.national_items()}
    assert len(items) == 90
    national_graph = national.national_context()
    used: Counter[URIRef] = Counter()
    for g in sample.values():
        for target in g.objects(None, PK.nationalItem):
            assert target in items and (target, RDF.type, PK.NationalItem) in national_graph
            used[target] += 1
    assert used
    weights = national.popularity(SEED, national.national_items())
    never = {iri for (iri, _l), w in zip(national.national_items(), weights) if w == 0}
    assert len(never) == 18 and not never & set(used)


def test_the_size_lands_near_the_target(tmp_path) -> None:
    """±10 % of a small target (50,000 quads) over a subset of the roster; every line is an N-Quad."""
    subset = [j.code for j in national.roster()[::25]]
    out = tmp_path / "small.nq"
    stats = national.write_nquads(out, seed=SEED, quads=50_000, jurisdictions=subset)
    assert stats.jurisdictions == len(subset) == 72
    assert abs(stats.quads - 50_000) <= 5_000, stats
    lines = out.read_text(encoding="utf-8").splitlines(keepends=True)
    assert len(lines) == stats.quads and all(line.endswith(" .\n") for line in lines)
    assert len({line.rsplit(" ", 2)[1] for line in lines}) == len(subset)  # one named graph each
    ds = Dataset()
    ds.parse(data="".join(lines[:4000]), format="nquads")  # rdflib reads them
    assert len(ds) == 4000


def test_the_full_roster_can_reach_one_million() -> None:
    """The smallest full dataset (every plan at its minimum) is well below 1M quads; the sizing hits 1M."""
    assert national.predicted_quads(SEED, 0.0) < 800_000
    scale = national.scale_for(1_000_000, SEED)
    assert abs(national.predicted_quads(SEED, scale) - 1_000_000) < 50_000


def test_docstring_examples() -> None:
    result = doctest.testmod(national, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0 and result.attempted > 0
