"""Load benchmark: ``policykg serve`` on loopback under ``wrk`` (50 connections, 30 s per target).

Targets: a simple SELECT on ``/sparql`` (GET) and ``/api/measures`` (skipped with a note when the route
is missing). Reports p50/p99 latency, requests/s and errors per target, plus the engine's own time for
the same SELECT measured in-process, and the API/engine ratio. Writes ``benchmarks/results/load.md``.

Only 127.0.0.1 is ever targeted. Run: ``.venv/bin/python benchmarks/load_bench.py [--duration 30]``.
"""

from __future__ import annotations

import argparse
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
QUERY = (
    "PREFIX pk: <https://w3id.org/policykg/ontology#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
    "SELECT ?a ?label WHERE { ?a a pk:PolicyArea ; skos:prefLabel ?label } ORDER BY ?a"
)
TARGET_P99_MS = 50.0


@dataclass
class WrkResult:
    target: str
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


def parse_wrk(target: str, text: str) -> WrkResult:
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
    return WrkResult(target, p50, p99, rps, requests, errors + non2xx, non2xx=non2xx)


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


def run_wrk(target: str, url: str, *, connections: int, duration: int, threads: int) -> WrkResult:
    assert urllib.parse.urlsplit(url).hostname == HOST, "the benchmark only targets loopback"
    cmd = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--timeout", "5s", "--latency", url]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=duration + 60, check=True).stdout
    return parse_wrk(target, out)


def engine_time_ms(repeat: int = 300) -> tuple[float, float]:
    """Median ms of the same SELECT in-process: through ``Store.query`` and on the raw pyoxigraph store."""
    from policykg.build import build_store

    store = build_store()
    for _ in range(20):
        store.query(QUERY)
    timings = []
    for _ in range(repeat):
        t = time.perf_counter()
        store.query(QUERY)
        timings.append((time.perf_counter() - t) * 1000)
    raw = []
    engine = store.engine
    for _ in range(repeat):
        t = time.perf_counter()
        list(engine.query(QUERY, use_default_graph_as_union=True))
        raw.append((time.perf_counter() - t) * 1000)
    return statistics.median(timings), statistics.median(raw)


def write_report(results: list[WrkResult], engine_ms: float, raw_ms: float, args: argparse.Namespace) -> str:
    lines = [
        "# Load benchmark / 負荷試験",
        "",
        f"`benchmarks/load_bench.py` — `policykg serve` on {HOST} (bundled graph in memory, "
        f"{args.workers} query worker(s)), `wrk -c{args.connections} -t{args.threads} -d{args.duration}s`. "
        f"Run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} on a machine with {os.cpu_count()} cores "
        f"shared with other work (load average {args.load[0]:.1f} before, {args.load[1]:.1f} after), "
        "so numbers are indicative; uvicorn with uvloop + httptools.",
        "",
        "| target | p50 ms | p99 ms | req/s | requests | errors | p99 < 50 ms | note |",
        "|---|---:|---:|---:|---:|---:|---|---|",
    ]
    for r in results:
        if r.note and not r.requests:
            lines.append(f"| `{r.target}` | – | – | – | – | – | – | {r.note} |")
            continue
        ok = "yes" if r.p99_ms < TARGET_P99_MS and r.errors == 0 else "**no**"
        lines.append(
            f"| `{r.target}` | {r.p50_ms:.2f} | {r.p99_ms:.2f} | {r.requests_per_s:.0f} | {r.requests} | {r.errors} | {ok} | {r.note} |"
        )
    sparql = next((r for r in results if r.target.startswith("/sparql") and r.note.endswith("off")), None)
    lines += [
        "",
        "Engine time for the same SELECT, in-process (median of 300):",
        f"* `Store.query` (Oxigraph + conversion to rdflib terms): **{engine_ms:.3f} ms**",
        f"* raw `pyoxigraph.Store.query`: **{raw_ms:.3f} ms**",
    ]
    if sparql:
        lines.append(
            f"* API p50 (cache off) / engine (`Store.query`) = **{sparql.p50_ms / engine_ms:.0f}×** — with 50 connections in "
            "flight the p50 is mostly queueing: 50 / req/s ≈ "
            f"{50 / sparql.requests_per_s * 1000:.1f} ms; the per-request cost is 1000 / req/s ≈ "
            f"{1000 / sparql.requests_per_s:.2f} ms (HTTP, protocol parsing, guard, hand-off to the worker process, "
            "serialisation)."
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
    for cache_env, label in (({}, "answer cache on (default)"), ({"POLICYKG_RESULT_CACHE_SIZE": "0"}, "answer cache off")):
        port = free_port()
        base = f"http://{HOST}:{port}"
        proc = start_server(port, args.workers, cache_env)
        try:
            sparql_url = f"{base}/sparql?" + urllib.parse.urlencode({"query": QUERY})
            result = run_wrk("/sparql (GET, SELECT)", sparql_url, **wrk)
            result.note = label
            results.append(result)
            if cache_env:
                continue
            measures_status = status_of(f"{base}/api/measures")
            if measures_status == 200:
                results.append(run_wrk("/api/measures", f"{base}/api/measures", **wrk))
            else:
                results.append(WrkResult("/api/measures", 0, 0, 0, 0, 0, note=f"skipped: the route answered {measures_status} (not there yet)"))
            floor = run_wrk("/no-such-page (404)", f"{base}/no-such-page", **wrk)
            floor.errors -= floor.non2xx  # every answer is the expected 404
            floor.note = f"floor: FastAPI + middleware + JSON error body, no store ({floor.non2xx} expected 404s)"
            results.append(floor)
        finally:
            stop_server(proc)
    args.load = (load_before, os.getloadavg()[0])
    engine_ms, raw_ms = engine_time_ms()
    report = write_report(results, engine_ms, raw_ms, args)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(report, encoding="utf-8")
    print(report)


if __name__ == "__main__":
    main()
