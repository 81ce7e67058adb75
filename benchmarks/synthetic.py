"""A synthetic policy graph in the shape of docs/model.md, at any size (≈1,550 triples per local plan).

Why: the bundled graph is tiny (a few thousand triples), so it says nothing about how queries scale
when many municipalities' plans and alignments share one store. This generator writes N-Quads
directly (no rdflib objects), deterministic for a seed, with:

* ``national_plans`` national plans, each with 2 pillar groups, 7 pillars, 20 items per pillar and
  3 sub-items per item (``skos:broader`` chains, as in デジ田);
* local plans (one named graph each) with 5 areas × 4 directions × 3 measures, one numeric indicator
  per direction (baseline + target), and curated/stated alignments for about half the measures;
* alignments only ever point into the first ``national_plans - 2`` plans, so the pillars of the last
  two plans are supported by nothing — the "national pillars with no measure" gap query has answers.

Usage: ``python -m benchmarks.synthetic --triples 1000000 --out /tmp/synthetic.nq``
"""

from __future__ import annotations

import argparse
import random
from collections.abc import Iterator
from pathlib import Path

from policykg.namespaces import GRAPH as GRAPH_NS, PREFIXES

# Plain strings of the project's namespaces (policykg.namespaces): the lines are built by concatenation.
PK, ID, SKOS, PROV, QUDT, XSD, SOSA, UNIT = (
    PREFIXES[p] for p in ("pk", "pkid", "skos", "prov", "qudt", "xsd", "sosa", "unit"))
GRAPH = str(GRAPH_NS)
RDF_TYPE = PREFIXES["rdf"] + "type"
RDFS_LABEL = PREFIXES["rdfs"] + "label"

TRIPLES_PER_LOCAL_PLAN = 1_550
"""Rough size of one synthetic local plan, to turn a triple target into a plan count."""


def _iri(value: str) -> str:
    return f"<{value}>"


def _lit(text: str, lang: str | None = None, datatype: str | None = None) -> str:
    body = '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if lang:
        return f"{body}@{lang}"
    if datatype:
        return f"{body}^^<{XSD}{datatype}>"
    return body


class _Writer:
    """Collects N-Quads lines for one named graph."""

    def __init__(self, graph: str) -> None:
        self.g = _iri(graph)
        self.lines: list[str] = []

    def add(self, s: str, p: str, o: str) -> None:
        self.lines.append(f"{s} {p} {o} {self.g} .\n")


def national_side(plans: int) -> tuple[list[str], list[list[str]]]:
    """N-Quads of the national plans; also the alignable items per plan (items and sub-items)."""
    w = _Writer(GRAPH + "synthetic-national")
    typ, label, broader, in_plan = _iri(RDF_TYPE), _iri(SKOS + "prefLabel"), _iri(SKOS + "broader"), _iri(PK + "inPlan")
    items_per_plan: list[list[str]] = []
    for p in range(plans):
        plan = _iri(f"{ID}jp/plan/synthetic-{p}")
        w.add(plan, typ, _iri(PK + "NationalPlan"))
        w.add(plan, typ, _iri(SKOS + "ConceptScheme"))
        w.add(plan, label, _lit(f"国の計画{p}", "ja"))
        alignable: list[str] = []
        for g in range(2):
            group = _iri(f"{ID}jp/synthetic-{p}/n-g{g}")
            for triple in ((typ, _iri(PK + "PillarGroup")), (typ, _iri(PK + "NationalItem")),
                           (label, _lit(f"柱グループ{p}-{g}", "ja")), (in_plan, plan),
                           (_iri(SKOS + "topConceptOf"), plan)):
                w.add(group, *triple)
            for k in range(3 if g == 0 else 4):
                pillar = _iri(f"{ID}jp/synthetic-{p}/n-p{g}{k}")
                for triple in ((typ, _iri(PK + "Pillar")), (typ, _iri(PK + "NationalItem")),
                               (label, _lit(f"柱{p}-{g}-{k}", "ja")), (in_plan, plan), (broader, group)):
                    w.add(pillar, *triple)
                for i in range(20):
                    item = _iri(f"{ID}jp/synthetic-{p}/n-i{g}{k}-{i}")
                    for triple in ((typ, _iri(PK + "NationalMeasure")), (typ, _iri(PK + "NationalItem")),
                                   (label, _lit(f"国の施策{p}-{g}-{k}-{i}", "ja")), (in_plan, plan),
                                   (broader, pillar), (_iri(PK + "ordinal"), _lit(str(i), datatype="integer"))):
                        w.add(item, *triple)
                    alignable.append(item)
                    for j in range(3):
                        sub = _iri(f"{ID}jp/synthetic-{p}/n-s{g}{k}-{i}-{j}")
                        for triple in ((typ, _iri(PK + "NationalMeasure")), (typ, _iri(PK + "NationalItem")),
                                       (label, _lit(f"細目{p}-{g}-{k}-{i}-{j}", "ja")), (in_plan, plan),
                                       (broader, item)):
                            w.add(sub, *triple)
                        alignable.append(sub)
        items_per_plan.append(alignable)
    return w.lines, items_per_plan


def local_plan(n: int, alignable: list[str], rng: random.Random) -> list[str]:
    """N-Quads of one local plan ``synth-<n>`` with its indicators and alignments."""
    jur = f"synth-{n:05d}"
    w = _Writer(f"{GRAPH}synthetic-{jur}")
    typ, label, broader = _iri(RDF_TYPE), _iri(SKOS + "prefLabel"), _iri(SKOS + "broader")
    plan = _iri(f"{ID}{jur}/plan")
    source = _iri(f"{ID}source/{jur}")
    w.add(plan, typ, _iri(PK + "LocalPlan"))
    w.add(plan, typ, _iri(SKOS + "ConceptScheme"))
    w.add(plan, label, _lit(f"自治体{n}のSociety5.0推進計画", "ja"))
    w.add(plan, _iri(PK + "jurisdiction"), _lit(f"自治体{n}", "ja"))
    w.add(source, typ, _iri(PK + "SourceDocument"))
    for a in range(1, 6):
        area = _iri(f"{ID}{jur}/area/{jur}-area-{a}")
        for triple in ((typ, _iri(PK + "PolicyArea")), (label, _lit(f"分野{a}", "ja")), (label, _lit(f"Area {a}", "en")),
                       (_iri(SKOS + "notation"), _lit(str(a))), (_iri(PK + "ordinal"), _lit(str(a), datatype="integer")),
                       (_iri(SKOS + "topConceptOf"), plan), (_iri(PK + "goal"), _lit(f"分野{a}の目標", "ja"))):
            w.add(area, *triple)
        w.add(plan, _iri(PK + "hasArea"), area)
        for letter in "abcd":
            d = _iri(f"{ID}{jur}/direction/{jur}-dir-{a}{letter}")
            for triple in ((typ, _iri(PK + "PolicyDirection")), (label, _lit(f"展開方針{a}{letter}", "ja")),
                           (_iri(PK + "letter"), _lit(letter)), (_iri(SKOS + "notation"), _lit(f"{a}{letter}")),
                           (_iri(PK + "area"), area), (broader, area)):
                w.add(d, *triple)
            for m in range(3):
                measure = _iri(f"{ID}{jur}/measure/m-{a}{letter}{m}")
                loc = f"_:loc{n}x{a}{letter}{m}"
                for triple in ((typ, _iri(PK + "Measure")), (label, _lit(f"施策{n}-{a}{letter}{m}", "ja")),
                               (_iri(RDFS_LABEL), _lit(f"施策{n}-{a}{letter}{m}", "ja")),
                               (_iri(SKOS + "inScheme"), plan), (_iri(PK + "direction"), d), (broader, d),
                               (_iri(PROV + "wasDerivedFrom"), source), (_iri(PK + "sourceLocation"), loc)):
                    w.add(measure, *triple)
                for triple in ((typ, _iri(PK + "SourceLocation")), (_iri(PK + "document"), source),
                               (_iri(PK + "slide"), _lit(str(10 + a), datatype="integer")),
                               (_iri(PK + "line"), _lit(str(100 + m), datatype="integer"))):
                    w.add(loc, *triple)
                if rng.random() < 0.5:
                    al = _iri(f"{ID}alignment/al-{jur}-{a}{letter}{m}")
                    evidence = "Stated" if rng.random() < 0.2 else "Curated"
                    for triple in ((typ, _iri(PK + "Alignment")), (typ, _iri(PROV + "Entity")),
                                   (_iri(PK + "localItem"), measure), (_iri(PK + "nationalItem"), rng.choice(alignable)),
                                   (_iri(PK + "relation"), _iri(PK + "Supports")), (_iri(PK + "evidence"), _iri(PK + evidence)),
                                   (_iri(PK + "rationale"), _lit("合成データ / synthetic", "ja")),
                                   (_iri(PROV + "generatedAtTime"), _lit("2026-12-02T00:00:00", datatype="dateTime"))):
                        w.add(al, *triple)
            ind = _iri(f"{ID}{jur}/indicator/i-{a}{letter}")
            base, target = _iri(f"{ID}{jur}/indicator/i-{a}{letter}-baseline"), _iri(f"{ID}{jur}/indicator/i-{a}{letter}-target-1")
            value = rng.randint(10, 1000)
            for triple in ((typ, _iri(PK + "NumericIndicator")), (typ, _iri(PK + "Indicator")),
                           (label, _lit(f"指標{n}-{a}{letter}", "ja")), (_iri(PK + "evaluates"), d),
                           (_iri(PK + "unit"), _iri(UNIT + "Count")), (_iri(PK + "unitText"), _lit("件")),
                           (_iri(PK + "desiredDirection"), _iri(PK + "HigherIsBetter")),
                           (_iri(PK + "hasBaseline"), base), (_iri(PK + "hasTarget"), target)):
                w.add(ind, *triple)
            for triple in ((typ, _iri(PK + "Baseline")), (_iri(SOSA + "observedProperty"), ind),
                           (_iri(QUDT + "numericValue"), _lit(str(value), datatype="decimal")),
                           (_iri(PK + "valueText"), _lit(f"{value}件")),
                           (_iri(PK + "date"), _lit("2020-03-31", datatype="date"))):
                w.add(base, *triple)
            for triple in ((typ, _iri(PK + "Target")), (_iri(PK + "targetOf"), ind),
                           (_iri(QUDT + "numericValue"), _lit(str(value * 2), datatype="decimal")),
                           (_iri(PK + "valueText"), _lit(f"{value * 2}件")),
                           (_iri(PK + "comparator"), _iri(PK + "AtLeast")),
                           (_iri(PK + "dueDate"), _lit("2026-03-31", datatype="date"))):
                w.add(target, *triple)
    return w.lines


def generate(triples: int = 1_000_000, *, national_plans: int = 10, seed: int = 7) -> Iterator[str]:
    """N-Quads lines, about ``triples`` of them."""
    rng = random.Random(seed)
    national, items = national_side(national_plans)
    yield from national
    alignable = [i for plan_items in items[: max(1, national_plans - 2)] for i in plan_items]
    for n in range(max(1, (triples - len(national)) // TRIPLES_PER_LOCAL_PLAN)):
        yield from local_plan(n, alignable, rng)


def write(path: Path, triples: int = 1_000_000, **kwargs) -> int:
    """Write the synthetic graph to ``path`` (N-Quads); returns the number of quads."""
    count = 0
    with path.open("w", encoding="utf-8") as fh:
        for line in generate(triples, **kwargs):
            fh.write(line)
            count += 1
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--out", type=Path, default=Path("/tmp/policykg-synthetic.nq"))
    args = parser.parse_args()
    print(f"{write(args.out, args.triples)} quads → {args.out}")


if __name__ == "__main__":
    main()
