"""Flood benchmark (issue 9 items 2–4): 300 clients send runaway SPARQL for 20 s at a real server on loopback.

Measures, against the targets:
* ``/api/search`` with new terms during the flood: p95 ≤ 200 ms, 0 failures;
* excess SPARQL answered 503/429 within 50 ms (p95);
* ``/sparql`` back to normal (a simple SELECT answered in < 100 ms) ≤ 5 s after the flood;
* no worker above its memory cap (resident memory sampled every 100 ms).

Bounded in time and count, loopback only; needs `wrk` (Debian package, installed by scripts/setup.sh --test). Run: ``.venv/bin/python benchmarks/flood_bench.py``;
the report goes to ``benchmarks/results/flood.md``.
"""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

CLIENTS = 300
FLOOD_SECONDS = 20.0
MEMORY_MB = 1024
RUNAWAY = "SELECT ?c ?f WHERE {{ ?a ?b ?c . ?d ?e ?f }} ORDER BY ?c ?f LIMIT 1 # {n}"
QUICK = "SELECT ?s WHERE { ?s a <https://w3id.org/policykg/ontology#PolicyArea> }"
PROBE_PATIENCE = 3.0
"""Seconds the probe waits for its own runaway query. One within the client's rate limit is admitted and
runs to the timeout or the memory cap; the probe gives up on it (the server cancels work whose client has
gone) so that it keeps sampling. A refusal never takes this long; the report counts these separately."""
TERMS = ["医療", "交通", "行政", "データ", "教育", "農業", "観光", "防災", "ICT", "MaaS", "人材", "通信"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[18] if len(values) >= 20 else max(values, default=0.0)


def worker_rss_mb(server_pid: int) -> float:
    """Largest resident memory among the server's descendant processes (the query workers)."""
    biggest = 0.0
    for pid in os.listdir("/proc"):
        if not pid.isdigit() or int(pid) == server_pid:
            continue
        try:
            status = Path(f"/proc/{pid}/status").read_text()
            cmd = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
        if b"multiprocessing" not in cmd and b"forkserver" not in cmd:
            continue
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                biggest = max(biggest, int(line.split()[1]) / 1024)
    return biggest


WRK_SCRIPT = r"""
counter = 0
local function encode(s)
  return (s:gsub("[^%w%-_%.~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end
request = function()
  counter = counter + 1
  local q = "SELECT ?c ?f WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f LIMIT 1 # " .. counter .. "-" .. math.random(1000000000)
  return wrk.format("GET", "/sparql?query=" .. encode(q))
end
BACKOFF
done = function(summary, latency, requests)
  io.write(string.format("WRK %d %d %d\n", summary.requests, summary.errors.status, summary.errors.timeout))
end
"""


POLITE = r"""
local backoff = 0
response = function(status, headers, body)
  if status == 429 or status == 503 then backoff = 1000 else backoff = 0 end
end
delay = function() return backoff end
"""
"""Clients that wait a second after a 429 or 503 before their next request, as HTTP clients should."""


def flood(base: str, server_pid: int, *, polite: bool) -> dict:
    """``wrk`` (a separate C process) holds CLIENTS connections of runaway SPARQL; this process probes
    ``/api/search`` and sends excess SPARQL itself, one request at a time, so its timings are the server's."""
    script = Path(tempfile.mkdtemp()) / "flood.lua"
    script.write_text(WRK_SCRIPT.replace("BACKOFF", POLITE if polite else ""), encoding="utf-8")
    attack = subprocess.Popen(["wrk", f"-c{CLIENTS}", "-t2", f"-d{int(FLOOD_SECONDS)}s", "--timeout", "15s",
                               "-s", str(script), base], stdout=subprocess.PIPE, text=True)
    time.sleep(1.0)  # the flood is under way
    search: list[float] = []
    rejected: list[float] = []
    admitted: list[float] = []  # the probe's runaway queries that were within its limit and ran (504 at the timeout)
    codes: dict[int, int] = {}
    search_failures = 0
    rss: list[float] = []
    k = 0
    with httpx.Client(base_url=base, timeout=30) as client:
        while attack.poll() is None:
            k += 1
            start = time.monotonic()
            try:
                ok = client.get("/api/search", params={"q": f"{TERMS[k % len(TERMS)]}{k}"}).status_code == 200
            except httpx.HTTPError:
                ok = False
            search.append(time.monotonic() - start)
            search_failures += 0 if ok else 1
            start = time.monotonic()
            try:
                r = client.get("/sparql", params={"query": RUNAWAY.format(n=f"probe-{k}")}, timeout=PROBE_PATIENCE)
                codes[r.status_code] = codes.get(r.status_code, 0) + 1
                if r.status_code in (429, 503):
                    rejected.append(time.monotonic() - start)
                else:
                    admitted.append(time.monotonic() - start)
            except httpx.TimeoutException:  # within the limit and still queued or running: the probe moves on
                codes[0] = codes.get(0, 0) + 1
            except httpx.HTTPError:
                codes[-1] = codes.get(-1, 0) + 1
            rss.append(worker_rss_mb(server_pid))
            time.sleep(0.05)
        out = attack.communicate()[0]
        flood_end = time.monotonic()
        recovered = None
        while time.monotonic() - flood_end < 30:
            start = time.monotonic()
            r = client.get("/sparql", params={"query": QUICK + f" # {start}"})
            if r.status_code == 200 and time.monotonic() - start < 0.1:
                recovered = time.monotonic() - flood_end
                break
            time.sleep(0.1)
    wrk_line = next((line.split()[1:] for line in out.splitlines() if line.startswith("WRK ")), ["0", "0", "0"])
    return {"codes": codes, "rejected": rejected, "admitted": admitted, "search": search, "search_failures": search_failures,
            "rss": rss, "recovered": recovered, "wrk": [int(x) for x in wrk_line]}


def main() -> None:
    port = free_port()
    env = {**os.environ, "POLICYKG_WORKER_MEMORY_MB": str(MEMORY_MB), "POLICYKG_QUERY_TIMEOUT": "10"}
    server = subprocess.Popen([sys.executable, "-m", "policykg", "serve", "--host", "127.0.0.1", "--port", str(port)],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if httpx.get(base + "/sparql", params={"query": QUICK}, timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.5)
        results = {"polite": flood(base, server.pid, polite=True), "hostile": flood(base, server.pid, polite=False)}
    finally:
        server.terminate()
        server.wait(timeout=20)
    ms = lambda s: f"{s * 1000:.1f} ms"  # noqa: E731

    def recovered(r: dict) -> str:
        return "not within 30 s" if r["recovered"] is None else f"{r['recovered']:.2f} s"

    def admitted(r: dict) -> str:
        names = {0: f"no answer within {PROBE_PATIENCE:g} s", -1: "connection error"}
        codes = ", ".join(f"{n} × {names.get(code, code)}" for code, n in sorted(r["codes"].items())
                          if code not in (429, 503)) or "none"
        times = ", ".join(f"{t:.1f}" for t in r["admitted"])
        return f"{codes} ({times})" if times else codes

    pol, hos = results["polite"], results["hostile"]
    lines = [
        "# Flood benchmark",
        "",
        f"`wrk` holds {CLIENTS} connections of runaway SPARQL (a cross product sorted, each text new) for {FLOOD_SECONDS:.0f} s at",
        f"`policykg serve` (bundled graph, 1 worker, memory cap {MEMORY_MB} MB, defaults otherwise) on loopback,",
        "while a probe in another process asks `/api/search` for a new term and sends one more runaway query, one request",
        "at a time, every 50 ms (so its timings are the server's, not a busy client's). Two kinds of flood: clients that",
        "wait 1 s after a 429/503 before trying again (as HTTP clients should), and clients that ignore it and resend at",
        "once (a closed loop as fast as the server answers). Machine: 2 cores, shared.",
        "",
        "| measure | target | clients back off | clients ignore Retry-After |",
        "|---|---|---|---|",
        f"| `/api/search` p95 during the flood | ≤ 200 ms | {ms(p95(pol['search']))} ({len(pol['search'])} requests) | "
        f"{ms(p95(hos['search']))} ({len(hos['search'])} requests) |",
        f"| `/api/search` failures | 0 | {pol['search_failures']} | {hos['search_failures']} |",
        f"| excess SPARQL answered 503/429, p95 | ≤ 50 ms | {ms(p95(pol['rejected']))} ({len(pol['rejected'])}) | "
        f"{ms(p95(hos['rejected']))} ({len(hos['rejected'])}) |",
        f"| the probe's runaway queries that were within the limit, answered by status (seconds each) | | "
        f"{admitted(pol)} | {admitted(hos)} |",
        f"| `/sparql` simple SELECT < 100 ms again after the flood | ≤ 5 s | {recovered(pol)} | {recovered(hos)} |",
        f"| largest worker resident memory (cap {MEMORY_MB} MB) | ≤ cap | {max(pol['rss'], default=0):.0f} MB | "
        f"{max(hos['rss'], default=0):.0f} MB |",
        f"| flood requests sent by wrk | | {pol['wrk'][0]:,} | {hos['wrk'][0]:,} |",
        "",
    ]
    out = Path(__file__).parent / "results" / "flood.md"
    out.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
