"""Benchmark (a script, not a test): every gap query on a ~1M-triple graph.

The bundled graph is replicated under jurisdictions j0…jN (national items shared), each replica's
measures get curated alignments to national measures and each numeric indicator two synthetic
observations. Run: ``.venv/bin/python benchmarks/gaps_bench.py [replicas]``.
"""

from __future__ import annotations

import random
import sys
import time
from datetime import date

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, XSD

from policykg.graph.build import build_store
from policykg.graph.analysis.gaps import build_gaps
from policykg.graph.analysis.progress_store import run_select
from policykg.graph.store import OxigraphStore
from policykg.namespaces import GRAPH, ID, PK, QUDT, SOSA

QUERIES = [
    "national-items-without-measures", "measures-without-alignment", "directions-without-numeric-indicator",
    "indicators-without-baseline", "indicators-without-target", "indicators-past-target-without-observation",
    "coverage-matrix", "roadmap-rows-without-measure-or-indicator", "roadmap-phases-without-measure-or-indicator",
    "progress-indicators", "progress-targets", "progress-observations",
]


def main(replicas: int = 250) -> None:
    base = build_store()
    quads = list(base.quads())
    local = f"{ID}hokkaido/"
    national = sorted({s for s, p, o, g in quads if p == RDF.type and o == PK.NationalMeasure})
    rng = random.Random(1)
    store = OxigraphStore()
    graphs: dict[URIRef, list] = {}
    for s, p, o, g in quads:
        graphs.setdefault(g, []).append((s, p, o))
    deck = [n for n in graphs if "deck" in str(n)][0]
    big: list = []
    for k in range(replicas):
        def ren(t, k=k):
            return URIRef(str(t).replace(local, f"{ID}j{k}/")) if isinstance(t, URIRef) and str(t).startswith(local) else t
        triples = [(ren(s), ren(p), ren(o)) for s, p, o in graphs[deck]]
        big.extend(triples)
        measures = {s for s, p, o in triples if p == RDF.type and o == PK.Measure}
        for i, m in enumerate(sorted(measures)):
            al = URIRef(f"{ID}alignment/al-bench-{k}-{i}")
            big += [(al, RDF.type, PK.Alignment), (al, PK.localItem, m), (al, PK.nationalItem, rng.choice(national)),
                    (al, PK.evidence, PK.Curated if i % 3 else PK.Inferred)]
        indicators = {s for s, p, o in triples if p == RDF.type and o == PK.NumericIndicator}
        for i, ind in enumerate(sorted(indicators)):
            for year in (2022, 2024):
                obs = URIRef(f"{ID}j{k}/observation/obs-bench-{i}-{year}")
                big += [(obs, RDF.type, PK.IndicatorObservation), (obs, SOSA.observedProperty, ind),
                        (obs, QUDT.numericValue, Literal(str(100 + i + year - 2022), datatype=XSD.decimal)),
                        (obs, PK.date, Literal(f"{year}-03-31", datatype=XSD.date))]
    graphs[GRAPH["bench"]] = big
    del graphs[deck]
    store.replace_graphs(graphs)
    print(f"{len(store):,} quads, {replicas} replicas")
    as_of = Literal("2026-12-03", datatype=XSD.date)
    for name in QUERIES:
        start = time.perf_counter()
        rows = run_select(store, name, {"asOf": as_of} if name == "indicators-past-target-without-observation" else None)
        print(f"{name:48s} {time.perf_counter() - start:7.2f} s {len(rows):8,} rows")
    start = time.perf_counter()
    doc = build_gaps(store, as_of=date(2026, 12, 3))
    print(f"{'build_gaps (whole document)':48s} {time.perf_counter() - start:7.2f} s "
          f"{len(doc['indicator_status']):8,} indicators")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 250)
