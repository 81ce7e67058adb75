"""Load benchmark: ``policykg serve`` on loopback under ``wrk`` (50 connections, 30 s per target).

Targets: a simple SELECT on ``/sparql`` (GET) and ``/api/measures``, each with the server's answer caches
on (the default) and off (``POLICYKG_RESULT_CACHE_SIZE=0``, ``POLICYKG_API_CACHE_SIZE=0``), plus a 404
floor. Reports p50/p99 latency, requests/s and errors per target, the engine's own time for the same
work measured in-process, and the API/engine ratios. Writes ``benchmarks/results/load.md`` and
``benchmarks/results/load.json``.

Only 127.0.0.1 is ever targeted. Run: ``.venv/bin/python benchmarks/load_bench.py [--duration 30]``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

HOST = "127.0.0.1"
RESULTS = Path(__file__).resolve().parent / "results" / "load.md"
CACHES_OFF = {"POLICYKG_RESULT_CACHE_SIZE": "0", "POLICYKG_API_CACHE_SIZE": "0"}
QUERY = (
    "PREFIX pk: <https://w3id.org/policykg/ontology#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
    "SELECT ?a ?label WHERE { ?a a pk:PolicyArea ; skos:prefLabel ?label } ORDER BY ?a"
)
TARGET_P99_MS = 50.0


@dataclass
class WrkResult:
    target: str
    cache: str
    p50_ms: float
    p99_ms: float
    requests_per_s: float
    requests: int
    errors: int
    note: str = ""
    non2xx: int = 0


def _ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def parse_wrk(target: str, cache: str, text: str) -> WrkResult:
    """p50/p99, req/s and errors (socket errors + non-2xx/3xx) from ``wrk --latency`` output."""
    p50 = _ms(re.search(r"^\s*50%\s+(\S+)", text, re.M).group(1))
    p99 = _ms(re.search(r"^\s*99%\s+(\S+)", text, re.M).group(1))
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
    requests = int(re.search(r"(\d+) requests in", text).group(1))
    errors = 0
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    if socket_errors:
        errors += sum(int(n) for n in socket_errors.groups())
    match = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    non2xx = int(match.group(1)) if match else 0
    return WrkResult(target, cache, p50, p99, rps, requests, errors + non2xx, non2xx=non2xx)


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def start_server(port: int, workers: int, extra_env: dict[str, str] | None = None) -> subprocess.Popen:
    exe = Path(sys.executable).with_name("policykg")
    env = {k: v for k, v in os.environ.items() if not k.startswith("POLICYKG_")}
    env.update(extra_env or {})
    proc = subprocess.Popen(
        [str(exe), "serve", "--host", HOST, "--port", str(port), "--workers", str(workers)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    url = f"http://{HOST}:{port}/sparql?" + urllib.parse.urlencode({"query": QUERY})
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("server exited: " + proc.stderr.read().decode(errors="replace")[-2000:])
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                response.read()
                return proc
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError("server did not start within 120 s")


def stop_server(proc: subprocess.Popen) -> None:
    proc.send_signal(signal.SIGINT)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def status_of(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def run_wrk(target: str, cache: str, url: str, *, connections: int, duration: int, threads: int) -> WrkResult:
    assert urllib.parse.urlsplit(url).hostname == HOST, "the benchmark only targets loopback"
    cmd = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--timeout", "5s", "--latency", url]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=duration + 60, check=True).stdout
    return parse_wrk(target, cache, out)


def _median_ms(fn, repeat: int) -> float:
    for _ in range(min(20, repeat)):
        fn()
    timings = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        timings.append((time.perf_counter() - t) * 1000)
    return statistics.median(timings)


def engine_times_ms(repeat: int = 300) -> dict[str, float]:
    """Median ms, in-process, of the work behind each target.

    * ``select``: the /sparql SELECT through ``Store.query``; ``select_raw``: on the raw pyoxigraph store;
    * ``measures_query``: the SPARQL of /api/measures (``api/catalog/queries/measures.rq``) through ``Store.query``;
    * ``measures_list``: the whole uncached answer in-process (query, assembly with the label index,
      response-model validation of the first page, JSON encoding).
    """
    from policykg.api.answers import encode_json
    from policykg.api.catalog import measures
    from policykg.api.catalog.models import MeasurePage
    from policykg.api.catalog.sparql import load_rq, page
    from policykg.graph.build import build_store

    store = build_store()
    engine = store.engine
    measures_rq = load_rq("measures")
    return {
        "select": _median_ms(lambda: store.query(QUERY), repeat),
        "select_raw": _median_ms(lambda: list(engine.query(QUERY, use_default_graph_as_union=True)), repeat),
        "measures_query": _median_ms(lambda: store.query(measures_rq), repeat),
        "measures_list": _median_ms(
            lambda: encode_json({**page(measures.list_measures(store, "ja"), 100, 0), "lang": "ja"}, MeasurePage),
            max(20, repeat // 10),
        ),
    }


def write_report(results: list[WrkResult], engine: dict[str, float], args: argparse.Namespace) -> str:
    lines = [
        "# Load benchmark / 負荷試験",
        "",
        f"`benchmarks/load_bench.py` — `policykg serve` on {HOST} (bundled graph in memory, "
        f"{args.workers} query worker(s)), `wrk -c{args.connections} -t{args.threads} -d{args.duration}s`. "
        f"Run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} on a machine with {os.cpu_count()} cores "
        f"shared with other work and with wrk itself (load average {args.load[0]:.1f} before, {args.load[1]:.1f} after), "
        "so numbers are indicative; uvicorn with uvloop + httptools. \"caches off\" = "
        "`POLICYKG_RESULT_CACHE_SIZE=0 POLICYKG_API_CACHE_SIZE=0`.",
        "",
        "| target | caches | p50 ms | p99 ms | req/s | requests | errors | p99 < 50 ms | note |",
        "|---|---|---:|---:|---:|---:|---:|---|---|",
    ]
    for r in results:
        ok = "yes" if r.p99_ms < TARGET_P99_MS and r.errors == 0 else "**no**"
        lines.append(
            f"| `{r.target}` | {r.cache} | {r.p50_ms:.2f} | {r.p99_ms:.2f} | {r.requests_per_s:.0f} | {r.requests} | "
            f"{r.errors} | {ok} | {r.note} |"
        )
    lines += [
        "",
        "Engine time for the same work, in-process (median):",
        f"* `/sparql` SELECT through `Store.query` (Oxigraph + conversion to rdflib terms): **{engine['select']:.3f} ms**;"
        f" raw `pyoxigraph.Store.query`: **{engine['select_raw']:.3f} ms**",
        f"* `/api/measures` SPARQL (`measures.rq`) through `Store.query`: **{engine['measures_query']:.3f} ms**;"
        f" the whole uncached answer (query + assembly + validation + JSON): **{engine['measures_list']:.3f} ms**",
        "",
        "API time / engine time. *Per request* = 1000 / req/s (the server's cost of one answer, 50 in flight);"
        " *p50* includes queueing behind the other 49 connections (≈ 50 / req/s).",
        "",
        "| target | caches | per request ms | / engine | p50 / engine |",
        "|---|---|---:|---:|---:|",
    ]
    for r in results:
        if r.target.startswith("/sparql"):
            base = engine["select"]
        elif r.target.startswith("/api/measures"):
            base = engine["measures_query"]
        else:
            continue
        per_request = 1000 / r.requests_per_s if r.requests_per_s else float("nan")
        lines.append(
            f"| `{r.target}` | {r.cache} | {per_request:.3f} | {per_request / base:.1f}× | {r.p50_ms / base:.0f}× |"
        )
    lines += ["", f"Query: `{QUERY}`", ""]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=30, help="seconds per target (default 30)")
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=1, help="query worker processes of the server")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed")
    wrk = {"connections": args.connections, "duration": args.duration, "threads": args.threads}
    results: list[WrkResult] = []
    load_before = os.getloadavg()[0]
    for cache_env, label in (({}, "on (default)"), (CACHES_OFF, "off")):
        port = free_port()
        base = f"http://{HOST}:{port}"
        proc = start_server(port, args.workers, cache_env)
        try:
            sparql_url = f"{base}/sparql?" + urllib.parse.urlencode({"query": QUERY})
            results.append(run_wrk("/sparql (GET, SELECT)", label, sparql_url, **wrk))
            status = status_of(f"{base}/api/measures")
            if status != 200:
                raise RuntimeError(f"/api/measures answered {status}")
            results.append(run_wrk("/api/measures", label, f"{base}/api/measures", **wrk))
            if cache_env:
                continue
            floor = run_wrk("/no-such-page (404)", "–", f"{base}/no-such-page", **wrk)
            floor.errors -= floor.non2xx  # every answer is the expected 404
            floor.note = f"floor: FastAPI + middleware + JSON error body, no store ({floor.non2xx} expected 404s)"
            results.append(floor)
        finally:
            stop_server(proc)
    args.load = (load_before, os.getloadavg()[0])
    engine = engine_times_ms()
    report = write_report(results, engine, args)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(report, encoding="utf-8")
    summary = {
        "run": time.strftime("%Y-%m-%dT%H:%MZ", time.gmtime()),
        "wrk": {"connections": args.connections, "threads": args.threads, "duration_s": args.duration},
        "cores": os.cpu_count(),
        "load_average": {"before": round(args.load[0], 2), "after": round(args.load[1], 2)},
        "targets": [
            {"target": r.target, "caches": r.cache, "p50_ms": r.p50_ms, "p99_ms": r.p99_ms,
             "requests_per_s": r.requests_per_s, "requests": r.requests, "errors": r.errors}
            for r in results
        ],
        "engine_ms": {k: round(v, 4) for k, v in engine.items()},
        "query": QUERY,
    }
    args.out.with_suffix(".json").write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(report)


if __name__ == "__main__":
    main()
