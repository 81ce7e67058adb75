"""Canned queries for one jurisdiction vs the whole graph, the national roll-ups, and /api/gaps for one
jurisdiction through FastAPI vs the engine's own time, on an on-disk Oxigraph store (issue 13 items 2–3).

The store is a ``policykg build --store DIR`` of the bundled data plus a national synthetic file bulk
loaded (``benchmarks/national.py``; see benchmarks/results/national.md), e.g.::

    .venv/bin/policykg build --store /tmp/national/scoped/base --no-validate
    cp -r /tmp/national/scoped/base /tmp/national/scoped-1m
    .venv/bin/python -c "import pyoxigraph as ox; s = ox.Store('/tmp/national/scoped-1m'); \
        s.bulk_load(path='/tmp/national/national-1m.nq', format=ox.RdfFormat.N_QUADS); s.optimize()"
    nice .venv/bin/python benchmarks/scope_bench.py --store /tmp/national/scoped-1m --label 1M \
        --rdflib /tmp/national/national-1m.nq --out benchmarks/results/scope-1m.json

The summaries are written first when the store has none (``policykg.graph.summaries.rebuild``, timed).
Each figure is the median of ``--repeat`` runs (whole-graph forms: fewer, see ``--whole-repeat``; a form
slower than ``--cap`` seconds on its first run is not repeated). API figures go through a TestClient
(lifespan not run: no warm-up); each /api/gaps request asks another ``as_of`` day so the answer cache
never answers it; each /api/rollups request follows a bump of the store generation (the benchmark's
own trick) for the same reason. The /api/gaps figures carry the process CPU time (median, ms) beside the
wall time and the load average, because the machine may be shared.

``--read-only`` opens the store as a reader (``pyoxigraph.Store.read_only``: works while another process
holds it, writes nothing): the summaries must already be there, and the write-maintenance timing and
``--optimize`` are skipped.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import time
from pathlib import Path

from rdflib import Literal
from rdflib.namespace import XSD

from policykg.graph import summaries
from policykg.graph.jurisdictions import select_in
from policykg.graph.queries import list_queries, select
from policykg.graph.store import OxigraphStore, RdflibStore

AS_OF = dt.date(2026, 12, 7)


def _bindings(query):
    return {"asOf": Literal(AS_OF.isoformat(), datatype=XSD.date)} if any(p.name == "asOf" for p in query.params) else None


def timed_cpu(fn, repeat: int) -> tuple[float, float, object]:
    """(median wall ms, median process CPU ms, last result) of ``repeat`` runs."""
    walls, cpus, result = [], [], None
    for _ in range(repeat):
        cpu, start = time.process_time(), time.perf_counter()
        result = fn()
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls) * 1000, statistics.median(cpus) * 1000, result


def timed(fn, repeat: int, cap: float | None = None) -> tuple[float, int, object]:
    """(median ms, runs, last result); stops repeating once a run took longer than ``cap`` seconds."""
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
        if cap is not None and times[-1] > cap:
            break
    return statistics.median(times) * 1000, len(times), result


_CHILD = """
import json, sys, time, statistics
from policykg.graph.store import OxigraphStore
from policykg.graph.queries import load_query, select
from rdflib import Literal
from rdflib.namespace import XSD
path, name, repeat, cap = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
store = OxigraphStore(path, read_only=True)
query = load_query(name)
b = {"asOf": Literal("%s", datatype=XSD.date)} if any(p.name == "asOf" for p in query.params) else None
times = []
for _ in range(repeat):
    start = time.perf_counter(); rows = select(store, query, b); times.append(time.perf_counter() - start)
    if times[-1] > cap:
        break
print(json.dumps({"ms": statistics.median(times) * 1000, "runs": len(times), "rows": len(rows)}))
""" % AS_OF.isoformat()


def whole_in_child(path: Path, name: str, repeat: int, cap: float, timeout: float) -> dict:
    """The whole-graph form in a child process (read-only), abandoned after ``timeout`` seconds."""
    import subprocess
    import sys

    try:
        out = subprocess.run([sys.executable, "-c", _CHILD, str(path), name, str(repeat), str(cap)],
                             capture_output=True, text=True, timeout=timeout, check=True).stdout
    except subprocess.TimeoutExpired:
        return {"whole_ms": f"> {timeout:.0f} s", "whole_runs": 0}
    found = json.loads(out.strip().splitlines()[-1])
    return {"whole_ms": round(found["ms"], 1), "whole_runs": found["runs"], "whole_rows": found["rows"]}


def bench_queries(store, key: str, repeat: int, whole_repeat: int, cap: float, whole: bool = True,
                  whole_timeout: float = 90.0) -> list[dict]:
    rows = []
    for query in list_queries():
        if query.name.startswith("rollup-"):
            continue
        b = _bindings(query)
        scoped_ms, _, scoped = timed(lambda: select_in(store, key, query, b), repeat)
        row = {"query": query.name, "scoped_ms": round(scoped_ms, 1), "scoped_rows": len(scoped)}
        if whole and getattr(store, "path", None) is not None:
            row.update(whole_in_child(store.path, query.name, whole_repeat, cap, whole_timeout))
        elif whole:
            whole_ms, runs, result = timed(lambda: select(store, query, b), whole_repeat, cap)
            row.update(whole_ms=round(whole_ms, 1), whole_runs=runs, whole_rows=len(result))
        rows.append(row)
        print(json.dumps(row, ensure_ascii=False), flush=True)
    return rows


class Capped(Exception):
    pass


def _capped(fn, seconds: int):
    """``fn()``, or :class:`Capped` after ``seconds`` (SIGALRM: rdflib evaluates in Python, so it stops)."""
    import signal

    def stop(*_):
        raise Capped()

    old = signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)
    try:
        return fn()
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def bench_rdflib(mem, key: str, repeat: int, cap: int) -> list[dict]:
    """rdflib's Memory store: each canned query scoped (the index computed from the data once, timed
    separately) and over the whole graph, abandoned after ``cap`` seconds."""
    from policykg.graph.jurisdictions import graph_jurisdictions

    start = time.perf_counter()
    try:
        _capped(lambda: graph_jurisdictions(mem), cap * 5)
        index_s = round(time.perf_counter() - start, 1)
    except Capped:
        index_s = None
    print(json.dumps({"rdflib_index_s": index_s}), flush=True)
    rows = [{"query": "(graph index)", "scoped_ms": None if index_s is None else index_s * 1000}]
    for query in list_queries():
        if query.name.startswith("rollup-"):
            continue
        b = _bindings(query)
        row = {"query": query.name}
        for form, run in (("scoped", lambda: select_in(mem, key, query, b)), ("whole", lambda: select(mem, query, b))):
            if form == "scoped" and index_s is None:
                row["scoped_ms"] = None
                continue
            try:
                ms, _, result = timed(lambda: _capped(run, cap), repeat if form == "scoped" else 1)
                row[f"{form}_ms"], row[f"{form}_rows"] = round(ms, 1), len(result)
            except Capped:
                row[f"{form}_ms"] = f"> {cap} s"
        rows.append(row)
        print(json.dumps(row, ensure_ascii=False), flush=True)
    return rows


def bench_rollups(store, repeat: int) -> list[dict]:
    from fastapi.testclient import TestClient

    from policykg.api.app import create_app
    from policykg.api.settings import Settings

    from policykg.graph.queries import load_query

    rows = []
    for name in ("rollup-national-items", "rollup-jurisdiction-gaps", "rollup-indicator-status"):
        query = load_query(name)
        ms, _, result = timed(lambda: store.query(query.text), repeat)
        row = {"rollup": name, "engine_ms": round(ms, 1), "rows": len(result.rows)}
        rows.append(row)
        print(json.dumps(row), flush=True)
    defaults = {n: f.default for n, f in Settings.model_fields.items()}
    app = create_app(Settings(_env_file=None, **{**defaults, "rate_limit": 0, "query_workers": 1}), store=store)
    client = TestClient(app)
    for part in ("national_items", "jurisdictions", "indicator_status"):
        def call():
            store.generation += 1  # benchmark only: no cached answer
            return client.get("/api/rollups", params={"part": part})  # the reply is parsed outside the timing
        from policykg.api.routes.gaps import rollups_for

        engine_ms, _, _ = timed(lambda: rollups_for(store, part), repeat)
        api_ms, _, reply = timed(call, repeat)
        assert reply.status_code == 200, reply.text
        result = reply.json()[part]
        row = {"rollup": f"/api/rollups?part={part}", "engine_ms": round(engine_ms, 1), "api_ms": round(api_ms, 1),
               "rows": len(result), "ratio": round(api_ms / engine_ms, 2)}
        rows.append(row)
        print(json.dumps(row), flush=True)
    return rows


def bench_gaps(store, key: str, repeat: int, cap: float, whole: bool = True) -> dict:
    from fastapi.testclient import TestClient

    from policykg.api.app import create_app
    from policykg.api.routes.gaps import gaps_for
    from policykg.api.settings import Settings
    from policykg.graph.analysis.gaps import build_gaps

    defaults = {n: f.default for n, f in Settings.model_fields.items()}
    app = create_app(Settings(_env_file=None, **{**defaults, "rate_limit": 0, "query_workers": 1}), store=store)
    client = TestClient(app)
    days = iter(AS_OF - dt.timedelta(days=i) for i in range(10_000))
    client.get("/api/gaps", params={"jurisdiction": key, "as_of": next(days).isoformat()})  # jurisdiction keys cached

    def api():  # the reply is parsed outside the timing
        return client.get("/api/gaps", params={"jurisdiction": key, "as_of": next(days).isoformat()})

    load_before = os.getloadavg()[0]
    engine, answers = [], []  # interleaved (engine, API, engine, API, ...): both see the same load
    for _ in range(repeat):
        engine.append(timed_cpu(lambda: gaps_for(store, next(days), key), 1))
        answers.append(timed_cpu(api, 1))
    engine_ms, engine_cpu = (statistics.median(t[i] for t in engine) for i in (0, 1))
    api_ms, api_cpu = (statistics.median(t[i] for t in answers) for i in (0, 1))
    doc, reply = engine[-1][2], answers[-1][2]
    assert reply.status_code == 200, reply.text
    row = {"key": key, "gaps_engine_ms": round(engine_ms, 1), "gaps_engine_cpu_ms": round(engine_cpu, 1),
           "gaps_api_ms": round(api_ms, 1), "gaps_api_cpu_ms": round(api_cpu, 1), "ratio": round(api_ms / engine_ms, 2),
           "runs": repeat, "load_1min": [round(load_before, 2), round(os.getloadavg()[0], 2)],
           "measures_without_alignment": len(doc["measures_without_alignment"])}
    if whole:  # the whole-graph document runs coverage-matrix and every gap query: skipped above 1M quads
        if len(store) < 2_000_000:
            whole_ms, runs, _ = timed(lambda: build_gaps(store, as_of=AS_OF), 1, cap)
            row.update(gaps_whole_ms=round(whole_ms, 1))
        else:
            row.update(gaps_whole_ms="not run (sum of the whole-graph gap queries above)")
    print(json.dumps(row), flush=True)
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", required=True, type=Path)
    parser.add_argument("--label", default="")
    parser.add_argument("--key", action="append", help="jurisdiction key (repeatable; default synth-010006 and hokkaido)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--whole-repeat", type=int, default=3)
    parser.add_argument("--cap", type=float, default=20.0, help="seconds: a whole-graph form slower than this runs once")
    parser.add_argument("--rdflib", type=Path, help="N-Quads file to time rdflib's Memory store on (1M only)")
    parser.add_argument("--rdflib-repeat", type=int, default=3)
    parser.add_argument("--rdflib-cap", type=int, default=60, help="seconds: an rdflib query still running is abandoned")
    parser.add_argument("--out", type=Path)
    parser.add_argument("--optimize", action="store_true", help="optimize the store first (after writing the summaries)")
    parser.add_argument("--only", default="queries,rollups,gaps", help="comma-separated parts to run")
    parser.add_argument("--gaps-before", action="store_true",
                        help="/api/gaps as computed before the issue-13 speed-up (the reference builder of "
                             "tests/gaps/reference.py; run from the repository root), for before/after figures")
    parser.add_argument("--read-only", action="store_true",
                        help="open the store read-only (another process may hold it): no summaries written, no optimize, "
                             "no write-maintenance timing")
    args = parser.parse_args()
    keys = args.key or ["synth-010006", "hokkaido"]
    result: dict = {"label": args.label, "store": str(args.store), "keys": keys}

    store = OxigraphStore(args.store, read_only=args.read_only)
    result["quads"] = len(store)
    if args.read_only and not summaries.enabled(store):
        parser.error("--read-only: the store keeps no summaries (run once without --read-only to write them)")
    if not summaries.enabled(store):
        start = time.perf_counter()
        summaries.rebuild(store)
        store.flush()
        result["summaries_rebuild_s"] = round(time.perf_counter() - start, 1)
    if args.optimize and not args.read_only:
        start = time.perf_counter()
        store.engine.optimize()
        result["optimize_s"] = round(time.perf_counter() - start, 1)
    from rdflib import URIRef
    parts = set(args.only.split(","))
    # one write's maintenance: rewrite the first key's graph(s) unchanged through replace_graphs
    from policykg.graph.jurisdictions import scope_index
    if not args.read_only:
        own = [g for g, k in scope_index(store, keys[0]).items() if k]
        start = time.perf_counter()
        summaries.maintain_update(store, own)
        result["maintain_one_jurisdiction_ms"] = round((time.perf_counter() - start) * 1000, 1)
    print(json.dumps({k: v for k, v in result.items()}), flush=True)

    if "queries" in parts:
        result["queries"] = {key: bench_queries(store, key, args.repeat, args.whole_repeat, args.cap, whole=(i == 0))
                             for i, key in enumerate(keys)}
    if "rollups" in parts:
        result["rollups"] = bench_rollups(store, args.repeat)
    if "gaps" in parts:
        from contextlib import nullcontext

        if args.gaps_before:
            import sys

            sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
            from tests.gaps.reference import old_builder
        with old_builder() if args.gaps_before else nullcontext():
            result["gaps"] = {key: bench_gaps(store, key, args.repeat, args.cap, whole=(i == 0 and "queries" in parts))
                              for i, key in enumerate(keys)}

    if args.rdflib:
        start = time.perf_counter()
        mem = RdflibStore()
        mem.dataset.parse(str(args.rdflib), format="nquads")
        # the bundled graphs and the meta graph (index and roll-ups) too, as in the Oxigraph store
        for s, p, o, g in store.quads():
            if not str(g).startswith("https://w3id.org/policykg/graph/synthetic-"):
                mem.dataset.add((s, p, o, URIRef(g)))
        result["rdflib_load_s"] = round(time.perf_counter() - start, 1)
        print(json.dumps({"rdflib_load_s": result["rdflib_load_s"]}), flush=True)
        result["rdflib"] = bench_rdflib(mem, keys[0], args.rdflib_repeat, args.rdflib_cap)
    if args.out:
        args.out.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
