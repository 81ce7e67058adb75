"""Graph benchmark: build time of the bundled graph, latency of typical queries, Oxigraph vs rdflib at ~1M triples.

Run from the repository root (it takes a few minutes; rdflib is the slow part)::

    .venv/bin/python -m benchmarks.graph_bench            # full run, writes benchmarks/results/graph.{md,json}
    .venv/bin/python -m benchmarks.graph_bench --triples 100000 --cap 20   # quicker

rdflib runs in a worker process so a query that runs past ``--cap`` seconds can be stopped; it is
then reported as "> cap s" and the Oxigraph/rdflib ratio as a lower bound.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pyoxigraph
import rdflib
from rdflib import URIRef

from benchmarks.synthetic import write as write_synthetic
from policykg.graph.build import build_store
from policykg.graph.store import OxigraphStore, RdflibStore, Store
from policykg.namespaces import sparql_prefixes

RESULTS = Path(__file__).parent / "results"

QUERIES: dict[str, tuple[str, str]] = {
    "measure-list": ("施策一覧（計画単位） / measures of one plan with their directions", """
        SELECT ?measure ?label ?direction ?directionLabel WHERE {
          ?measure a pk:Measure ; skos:inScheme ?plan ; skos:prefLabel ?label ; pk:direction ?direction .
          ?direction skos:prefLabel ?directionLabel .
          FILTER(LANG(?label) = "ja")
        } ORDER BY ?label"""),
    "indicator-table": ("指標表 / indicator table of one plan (baseline, target, due date)", """
        SELECT ?indicator ?label ?unit ?baseline ?target ?due WHERE {
          ?area skos:topConceptOf ?plan .
          ?direction pk:area ?area .
          ?indicator pk:evaluates ?direction ; a pk:NumericIndicator ; skos:prefLabel ?label .
          OPTIONAL { ?indicator pk:unitText ?unit }
          OPTIONAL { ?indicator pk:hasBaseline/qudt:numericValue ?baseline }
          OPTIONAL { ?indicator pk:hasTarget ?t . ?t qudt:numericValue ?target . OPTIONAL { ?t pk:dueDate ?due } }
        } ORDER BY ?label"""),
    "trace": ("トレース / trace one measure: direction → area, alignment → national item → ancestors", """
        SELECT ?direction ?area ?alignment ?item ?ancestor ?nationalPlan WHERE {
          ?measure pk:direction ?direction . ?direction pk:area ?area .
          OPTIONAL {
            ?alignment pk:localItem ?measure ; pk:nationalItem ?item .
            ?item skos:broader* ?ancestor .
            OPTIONAL { ?ancestor pk:inPlan ?nationalPlan }
          }
        }"""),
    "pillars-without-measure": ("ギャップ / national pillars supported by no measure (stated or curated)", """
        SELECT ?pillar ?label WHERE {
          ?pillar a pk:Pillar .
          OPTIONAL { ?pillar skos:prefLabel ?label }
          MINUS {
            { SELECT DISTINCT ?item WHERE {
                ?alignment pk:nationalItem ?item ; pk:evidence ?evidence ; pk:localItem ?measure .
                ?measure a pk:Measure .
                FILTER(?evidence IN (pk:Stated, pk:Curated)) } }
            ?item skos:broader* ?pillar .
          }
        }"""),
}
"""Typical queries, in the order they run (the gap query last: it is the one rdflib may not finish).

The gap query collects the distinct supported items first and subtracts their ancestors with MINUS:
the same question as a per-pillar ``FILTER NOT EXISTS { ?item skos:broader* ?pillar ... }`` took
Oxigraph 7 s at 60k triples (the NOT EXISTS pattern is re-evaluated per pillar) and 7.5 ms this way."""


def say(message: str) -> None:
    print(f"[graph_bench] {message}", file=sys.stderr, flush=True)


def timed(fn: Callable[[], object], repeat: int) -> tuple[list[float], object]:
    """Wall times in ms of ``repeat`` runs (after one warm-up run), and the last result."""
    result = fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - start) * 1000)
    return times, result


def summary(times: list[float]) -> dict[str, float]:
    ordered = sorted(times)
    return {"median_ms": round(statistics.median(ordered), 3),
            "p95_ms": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))], 3),
            "runs": len(ordered)}


def _rows(result: object) -> int:
    return len(getattr(result, "rows", []) or [])


def query_text(name: str) -> str:
    return sparql_prefixes() + QUERIES[name][1]


def bindings_for(name: str, plan: URIRef, measure: URIRef) -> dict[str, URIRef]:
    return {"measure-list": {"plan": plan}, "indicator-table": {"plan": plan},
            "trace": {"measure": measure}}.get(name, {})


# --- bundled graph -----------------------------------------------------------------------------


def bench_build(repeat: int) -> dict:
    out = {}
    for validate in (True, False):
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            store = build_store(validate=validate)
            times.append((time.perf_counter() - start) * 1000)
        out["with_validation" if validate else "without_validation"] = summary(times)
        out["quads"] = len(store)
    return out


def hokkaido_subjects(store: Store) -> tuple[URIRef, URIRef]:
    """The local plan, and a measure listed under two directions (the （再掲） case, e.g. 北海道型のMaaSの展開)."""
    plan = store.query(sparql_prefixes() + "SELECT ?p WHERE { ?p a pk:LocalPlan } LIMIT 1").rows[0]["p"]
    rows = store.query(sparql_prefixes() + """SELECT ?m WHERE { ?m a pk:Measure ; pk:direction ?a, ?b .
        FILTER(?a != ?b) } ORDER BY ?m LIMIT 1""").rows
    return plan, rows[0]["m"]


def synthetic_subjects(store: Store) -> tuple[URIRef, URIRef]:
    """A local plan in the middle of the synthetic data, and one of its measures that has an alignment."""
    plans = store.query(sparql_prefixes() + "SELECT ?p WHERE { ?p a pk:LocalPlan } ORDER BY ?p").rows
    plan = plans[len(plans) // 2]["p"]
    measure = store.query(sparql_prefixes() + """SELECT ?m WHERE { ?m skos:inScheme ?plan .
        ?al pk:localItem ?m } ORDER BY ?m LIMIT 1""", bindings={"plan": plan}).rows[0]["m"]
    return plan, measure


def bench_queries(store: Store, plan: URIRef, measure: URIRef, repeat: int) -> dict:
    out = {}
    for name in QUERIES:
        times, result = timed(lambda n=name: store.query(query_text(n), bindings=bindings_for(n, plan, measure)), repeat)
        out[name] = {**summary(times), "rows": _rows(result)}
    return out


# --- synthetic graph, rdflib in a worker ---------------------------------------------------------


def _rdflib_worker(path: str, conn) -> None:
    store = RdflibStore()
    start = time.perf_counter()
    store.dataset.parse(path, format="nquads")
    conn.send(("loaded", (time.perf_counter() - start) * 1000, len(store.dataset)))
    while True:
        message = conn.recv()
        if message is None:
            return
        name, text, bindings = message
        start = time.perf_counter()
        result = store.query(text, bindings=bindings)
        conn.send(("done", (time.perf_counter() - start) * 1000, _rows(result)))


class RdflibWorker:
    """rdflib memory store in a child process, so a long query can be stopped at the cap."""

    def __init__(self, path: Path, load_cap: float) -> None:
        ctx = mp.get_context("spawn")
        self.parent, child = ctx.Pipe()
        self.process = ctx.Process(target=_rdflib_worker, args=(str(path), child), daemon=True)
        self.process.start()
        if not self.parent.poll(load_cap):
            self.stop()
            raise TimeoutError(f"rdflib did not load the synthetic graph within {load_cap:.0f} s")
        _, self.load_ms, self.quads = self.parent.recv()

    def query(self, name: str, text: str, bindings: dict, cap: float) -> dict:
        self.parent.send((name, text, bindings))
        if not self.parent.poll(cap):
            self.stop()
            return {"timed_out": True, "cap_s": cap}
        _, ms, rows = self.parent.recv()
        return {"median_ms": round(ms, 3), "runs": 1, "rows": rows}

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)


def bench_synthetic(triples: int, cap: float, load_cap: float, repeat: int) -> dict:
    path = Path(os.environ.get("POLICYKG_BENCH_DIR", "/tmp")) / f"policykg-synthetic-{triples}.nq"
    say(f"writing synthetic graph (~{triples} triples) to {path}")
    quads = write_synthetic(path, triples)

    say("loading into Oxigraph")
    ox_store = OxigraphStore()
    start = time.perf_counter()
    ox_store.engine.bulk_load(path=str(path), format=pyoxigraph.RdfFormat.N_QUADS)
    ox_load = (time.perf_counter() - start) * 1000
    plan, measure = synthetic_subjects(ox_store)
    ox_queries = bench_queries(ox_store, plan, measure, repeat)

    say(f"loading into rdflib (worker process, cap {load_cap:.0f} s)")
    out = {"quads": quads, "file": str(path), "oxigraph": {"load_ms": round(ox_load, 1), "queries": ox_queries}}
    rd: dict = {"queries": {}}
    worker = None
    try:
        worker = RdflibWorker(path, load_cap)
        rd["load_ms"] = round(worker.load_ms, 1)
        for name in QUERIES:
            if worker is None:
                worker = RdflibWorker(path, load_cap)
            say(f"rdflib: {name}")
            rd["queries"][name] = worker.query(name, query_text(name), bindings_for(name, plan, measure), cap)
            if rd["queries"][name].get("timed_out"):
                worker = None
    except TimeoutError as exc:
        rd["error"] = str(exc)
    finally:
        if worker is not None:
            worker.parent.send(None)
            worker.stop()
    out["rdflib"] = rd
    return out


# --- report ----------------------------------------------------------------------------------------


def _fmt_rd(entry: dict | None) -> str:
    if not entry:
        return "—"
    if entry.get("timed_out"):
        return f"> {entry['cap_s']:.0f} s"
    return f"{entry['median_ms']:.1f} ms"


def _ratio(ox: dict, rd: dict | None) -> str:
    if not rd:
        return "—"
    ox_ms = max(ox["median_ms"], 0.001)
    if rd.get("timed_out"):
        return f"> {rd['cap_s'] * 1000 / ox_ms:,.0f}×"
    return f"{rd['median_ms'] / ox_ms:,.0f}×"


def markdown(report: dict) -> str:
    b, h, hr, s = report["build"], report["hokkaido"], report["hokkaido_rdflib"], report["synthetic"]
    lines = [
        "# Graph benchmark (`benchmarks/graph_bench.py`)", "",
        f"Machine: {report['machine']['cpus']} CPU(s), Python {report['machine']['python']}, "
        f"pyoxigraph {report['machine']['pyoxigraph']}, rdflib {report['machine']['rdflib']}. "
        f"Generated {report['generated']}.", "",
        "## Bundled Hokkaido graph", "",
        f"Build ({b['quads']} quads: ontology + deck + curated alignments), median of {b['with_validation']['runs']}:", "",
        "| build | median | p95 |", "|---|---:|---:|",
        f"| with SHACL validation | {b['with_validation']['median_ms']:.0f} ms | {b['with_validation']['p95_ms']:.0f} ms |",
        f"| without validation | {b['without_validation']['median_ms']:.0f} ms | {b['without_validation']['p95_ms']:.0f} ms |",
        "", "Typical queries through `Store.query` (bound parameters, results converted to rdflib terms):", "",
        "| query | rows | Oxigraph median | Oxigraph p95 | rdflib median |", "|---|---:|---:|---:|---:|",
    ]
    for name, entry in h.items():
        lines.append(f"| {name} | {entry['rows']} | {entry['median_ms']:.2f} ms | {entry['p95_ms']:.2f} ms | "
                     f"{hr[name]['median_ms']:.2f} ms |")
    rd = s["rdflib"]
    lines += [
        "", f"## Synthetic graph ({s['quads']:,} quads, `benchmarks/synthetic.py`)", "",
        f"Load: Oxigraph bulk load {s['oxigraph']['load_ms'] / 1000:.1f} s; rdflib "
        + (f"{rd['load_ms'] / 1000:.1f} s" if "load_ms" in rd else rd.get("error", "—")) + ".", "",
        "| query | rows | Oxigraph median | rdflib | rdflib / Oxigraph |", "|---|---:|---:|---:|---:|",
    ]
    for name, entry in s["oxigraph"]["queries"].items():
        r = rd["queries"].get(name)
        lines.append(f"| {name} | {entry['rows']} | {entry['median_ms']:.2f} ms | {_fmt_rd(r)} | {_ratio(entry, r)} |")
    lines += ["", "Queries:", ""]
    lines += [f"- **{name}**: {title}" for name, (title, _text) in QUERIES.items()]
    lines += ["", "rdflib runs in a worker process; a query past the cap is stopped and shown as \"> cap\"."]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description="policykg graph benchmark")
    parser.add_argument("--triples", type=int, default=1_000_000, help="size of the synthetic graph")
    parser.add_argument("--cap", type=float, default=60.0, help="seconds an rdflib query may run")
    parser.add_argument("--load-cap", type=float, default=900.0, help="seconds rdflib may take to load")
    parser.add_argument("--repeat", type=int, default=30, help="timed runs per query (Oxigraph, Hokkaido)")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)

    report: dict = {
        "generated": time.strftime("%Y-%m-%d %H:%M:%S"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                    "pyoxigraph": pyoxigraph.__version__, "rdflib": rdflib.__version__},
    }
    say("building the bundled graph")
    report["build"] = bench_build(repeat=5)
    store = build_store()
    plan, measure = hokkaido_subjects(store)
    report["hokkaido"] = bench_queries(store, plan, measure, args.repeat)
    rd_store = build_store(backend="rdflib")
    report["hokkaido_rdflib"] = bench_queries(rd_store, plan, measure, 2)  # rdflib is slow: 2 timed runs
    report["synthetic"] = bench_synthetic(args.triples, args.cap, args.load_cap, repeat=5)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "graph.json").write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    (args.out / "graph.md").write_text(markdown(report), encoding="utf-8")
    say(f"wrote {args.out / 'graph.md'}")
    return report


if __name__ == "__main__":
    main()
