"""Scale-out benchmark: 1 vs 2 ``policykg serve --sparql-endpoint`` processes over one ``oxigraph serve``.

Starts an Oxigraph server (PyPI ``oxigraph``) on a free loopback port, loads the bundled graph into it
(``policykg build --sparql-endpoint``), then for 1 and 2 API processes drives ``clients`` concurrent
httpx clients for ``duration`` seconds per target, spread round-robin over the processes:
``/api/search?q=…`` and the canned query ``/api/queries/national-items-without-measures``. The API's
answer caches are off (``POLICYKG_API_CACHE_SIZE=0``, ``POLICYKG_RESULT_CACHE_SIZE=0``) so every
request reaches the store server; the rate limit is off. One embedded ``policykg serve`` (no store
server) is measured first as the reference. Reports requests/s, p50 and p99. Writes
``benchmarks/results/remote.md``.

Only 127.0.0.1 is contacted. Run: ``.venv/bin/python benchmarks/remote_bench.py [--duration 10 --clients 20]``.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
TARGETS = {
    "/api/search?q=デジタル": "/api/search?q=%E3%83%87%E3%82%B8%E3%82%BF%E3%83%AB",
    "/api/queries/national-items-without-measures": "/api/queries/national-items-without-measures",
}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(url: str, process: subprocess.Popen, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"process for {url} exited with {process.returncode}")
        try:
            httpx.get(url, timeout=2, trust_env=False)
            return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise SystemExit(f"{url} did not answer within {seconds} s")


async def drive(urls: list[str], path: str, clients: int, duration: float) -> dict[str, float]:
    latencies: list[float] = []
    errors = 0
    failures: dict[str, int] = {}
    stop = time.monotonic() + duration

    async def client(index: int) -> None:
        nonlocal errors
        async with httpx.AsyncClient(trust_env=False, timeout=30) as http:
            n = index
            while time.monotonic() < stop:
                url = urls[n % len(urls)] + path
                n += 1
                started = time.perf_counter()
                try:
                    response = await http.get(url)
                    ok = response.status_code == 200
                    why = f"HTTP {response.status_code} {response.text[:120]}"
                except httpx.HTTPError as exc:
                    ok, why = False, type(exc).__name__
                if not ok:
                    failures[why] = failures.get(why, 0) + 1
                latencies.append(time.perf_counter() - started)
                errors += not ok

    began = time.monotonic()
    await asyncio.gather(*(client(i) for i in range(clients)))
    elapsed = time.monotonic() - began
    if failures:
        print("failures:", failures, flush=True)
    latencies.sort()
    pick = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000  # noqa: E731
    return {"requests": len(latencies), "rps": len(latencies) / elapsed, "ok_rps": (len(latencies) - errors) / elapsed,
            "p50": pick(0.50), "p99": pick(0.99), "errors": errors}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=10.0)
    parser.add_argument("--clients", type=int, default=20)
    args = parser.parse_args()
    oxigraph = BIN / "oxigraph"
    if not oxigraph.exists():
        raise SystemExit("the `oxigraph` command is missing: pip install 'oxigraph>=0.5'")
    workdir = Path(tempfile.mkdtemp(prefix="policykg-remote-bench-"))
    processes: list[subprocess.Popen] = []
    try:
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = subprocess.Popen([str(oxigraph), "serve", "--location", str(workdir / "data"), "--bind", f"127.0.0.1:{port}"],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        processes.append(server)
        wait_for(f"{base}/query?query=ASK%7B%7D", server)
        endpoints = ["--sparql-endpoint", f"{base}/query", "--update-endpoint", f"{base}/update", "--graph-store", f"{base}/store"]
        subprocess.run([str(BIN / "policykg"), "build", "--no-validate", *endpoints], check=True, stderr=subprocess.DEVNULL)
        env = {**os.environ, "POLICYKG_API_CACHE_SIZE": "0", "POLICYKG_RESULT_CACHE_SIZE": "0", "POLICYKG_RATE_LIMIT": "0"}
        rows: list[tuple[int | str, str, dict[str, float]]] = []
        embedded_port = free_port()
        embedded = subprocess.Popen([str(BIN / "policykg"), "serve", "--port", str(embedded_port)], env=env,
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        processes.append(embedded)
        wait_for(f"http://127.0.0.1:{embedded_port}/api/overview", embedded)
        for label, path in TARGETS.items():
            asyncio.run(drive([f"http://127.0.0.1:{embedded_port}"], path, 2, 1.0))
            result = asyncio.run(drive([f"http://127.0.0.1:{embedded_port}"], path, args.clients, args.duration))
            rows.append(("1 (embedded store, reference)", label, result))
            print("embedded", label, {k: round(v, 1) for k, v in result.items()}, flush=True)
        embedded.terminate()
        embedded.wait(timeout=10)
        apis: list[str] = []
        for count in (1, 2):
            while len(apis) < count:
                api_port = free_port()
                api = subprocess.Popen([str(BIN / "policykg"), "serve", "--port", str(api_port), *endpoints], env=env,
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                processes.append(api)
                wait_for(f"http://127.0.0.1:{api_port}/api/overview", api)
                apis.append(f"http://127.0.0.1:{api_port}")
            for label, path in TARGETS.items():
                asyncio.run(drive(apis, path, 2, 1.0))  # warm connections
                result = asyncio.run(drive(apis, path, args.clients, args.duration))
                rows.append((count, label, result))
                print(count, label, {k: round(v, 1) for k, v in result.items()}, flush=True)
        write_report(rows, args)
    finally:
        for process in reversed(processes):
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
        shutil.rmtree(workdir, ignore_errors=True)


def write_report(rows: list[tuple[int | str, str, dict[str, float]]], args: argparse.Namespace) -> None:
    lines = [
        "# Scale-out over one store server / 共有ストアサーバーでの水平分散",
        "",
        f"`benchmarks/remote_bench.py`: one `oxigraph serve` (bundled graph, {time.strftime('%Y-%m-%d')}), "
        f"N × `policykg serve --sparql-endpoint`, {args.clients} httpx clients × {args.duration:g} s per row, "
        "round-robin over the API processes, API answer caches off (every request reaches the store server), loopback. "
        "The machine has 2 cores shared by the store server, the API processes and the load generator, "
        f"so the numbers are indicative; load average when the report was written: {os.getloadavg()[0]:.1f} "
        "(other work on the machine competes too).",
        "",
        "| API processes | target | req/s | answered 200/s | p50 | p99 | errors |",
        "|---:|---|---:|---:|---:|---:|---:|",
    ]
    for count, label, r in rows:
        lines.append(f"| {count} | `{label}` | {r['rps']:,.0f} | {r['ok_rps']:,.0f} | {r['p50']:.1f} ms | {r['p99']:.1f} ms "
                     f"| {int(r['errors'])} |")
    out = ROOT / "benchmarks" / "results" / "remote.md"
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
