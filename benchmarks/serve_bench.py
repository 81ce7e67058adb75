"""Start-up benchmark of ``policykg serve --store DIR`` on a national-scale on-disk store (issue 13, item 3).

1. Builds the store if ``DIR`` is absent: ``policykg build --store DIR`` (the bundled data and the
   ontology, so the app behaves as in production), then the national synthetic N-Quads
   (``benchmarks/national.py``) bulk-loaded into it with pyoxigraph and ``optimize()``.
2. Starts ``policykg serve --store DIR --port P`` (niced) and times, from the moment the process
   starts, the first successful answer of each of (polled side by side): ``GET /sparql`` (the service description: no
   store work, so "the server listens"), ``/``, ``/api/gaps?jurisdiction=KEY`` and one ``/sparql``
   query (which starts a confined query worker).
   Then ``/api/indicators?lang=en``, the last list the start-up warm-up computes: when it answers,
   the warm-up is over.
3. Samples the resident memory (RSS) of the server and of every process below it (query workers and
   the fork server) every 0.2 s and reports the peak of the sum.

Only 127.0.0.1 is contacted. Run::

    nice .venv/bin/python benchmarks/serve_bench.py --nquads /tmp/national/national-1m.nq \
        --store /tmp/national/store-1m --label "1M after"

Prints one Markdown table row per run (append it to ``benchmarks/results/serve.md``).
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SPARQL = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <https://w3id.org/policykg/graph/synthetic-010006> { ?s ?p ?o } }"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def build(store: Path, nquads: Path) -> None:
    """``policykg build --store`` (bundled data), then bulk-load ``nquads`` and optimise."""
    import pyoxigraph as ox

    started = time.monotonic()
    subprocess.run([str(BIN / "policykg"), "build", "--store", str(store)], check=True, cwd=ROOT)
    built = time.monotonic()
    engine = ox.Store(str(store))
    engine.bulk_load(path=str(nquads), format=ox.RdfFormat.N_QUADS)
    loaded = time.monotonic()
    engine.optimize()
    engine.flush()
    del engine
    print(f"store {store}: build {built - started:.1f} s, bulk load {loaded - built:.1f} s, "
          f"optimize {time.monotonic() - loaded:.1f} s", flush=True)


def _children(pid: int) -> list[int]:
    out: list[int] = []
    kids: list[int] = []
    try:  # children are listed per thread that started them (workers start from dispatcher threads)
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children", encoding="ascii") as f:
                kids.extend(int(k) for k in f.read().split())
    except OSError:
        return out
    for kid in kids:
        out.append(kid)
        out.extend(_children(kid))
    return out


def _rss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm", encoding="ascii") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


class Sampler(threading.Thread):
    """Peak RSS of the server alone and of the server plus all its descendants."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak_server = 0
        self.peak_total = 0
        self.peak_processes = 0
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            server = _rss(self.pid)
            kids = _children(self.pid)
            total = server + sum(_rss(k) for k in kids)
            self.peak_server = max(self.peak_server, server)
            self.peak_total = max(self.peak_total, total)
            self.peak_processes = max(self.peak_processes, 1 + len(kids))
            self.stop.wait(0.2)


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) used so far by ``pid`` and its descendants that are still running: on a
    shared machine, wall time includes waiting for a core; this does not."""
    total = 0.0
    for p in (pid, *_children(pid)):
        try:
            with open(f"/proc/{p}/stat", encoding="ascii") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except (OSError, ValueError, IndexError):
            continue
    return total


def first_answer(client: httpx.Client, method: str, url: str, started: float, deadline: float,
                 process: subprocess.Popen, **kwargs) -> tuple[float | None, int | None]:
    """Seconds from ``started`` to the first 2xx answer of ``url`` (``None`` past ``deadline``)."""
    status = None
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return None, status
        try:
            response = client.request(method, url, **kwargs)
            status = response.status_code
            if response.is_success:
                return time.monotonic() - started, status
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    return None, status


def server_command(tree: Path | None) -> tuple[list[str], dict[str, str], Path]:
    """The ``policykg`` command, environment and working directory: this checkout's, or the package laid
    out under ``tree`` (``tree/policykg/...``, e.g. ``git archive`` of an earlier commit with its
    package-dir folders moved under ``policykg/``) for a before/after comparison. That run uses
    ``python -S`` so the editable install's finder (which points here) is not loaded; the flag is
    passed on to the query workers' processes."""
    env = {**os.environ, "POLICYKG_RATE_LIMIT": "0"}
    if tree is None:
        return [str(BIN / "policykg")], env, ROOT
    import sysconfig

    env["PYTHONPATH"] = f"{tree}:{sysconfig.get_paths()['purelib']}"
    code = "import sys; from policykg.cli import main; sys.argv[0] = 'policykg'; sys.exit(main())"
    return [sys.executable, "-S", "-c", code], env, tree


def run(store: Path, key: str, budget: float, tree: Path | None = None) -> dict:
    log = open(store.parent / f"{store.name}-serve.log", "ab")  # the server's own output
    port = free_port()
    command, env, cwd = server_command(tree)
    started = time.monotonic()
    process = subprocess.Popen(
        ["nice", "-n", "5", *command, "serve", "--store", str(store), "--port", str(port)],
        cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=log,
    )
    sampler = Sampler(process.pid)
    sampler.start()
    base = f"http://127.0.0.1:{port}"
    deadline = started + budget
    timings: dict[str, object] = {}
    probes = (
        ("listening", "GET", "/sparql", {}),  # the service description: no store work
        ("/sparql", "POST", "/sparql", {"data": {"query": SPARQL},
                                        "headers": {"Accept": "application/sparql-results+json"}}),
        ("/", "GET", "/", {}),
        ("/api/gaps", "GET", f"/api/gaps?jurisdiction={key}", {}),
        ("warm", "GET", "/api/indicators?lang=en", {}),  # the last list the warm-up computes
    )

    def probe(name: str, method: str, url: str, kwargs: dict) -> None:
        # Each probe polls on its own from the start: one slow page does not delay the others' clocks.
        with httpx.Client(base_url=base, timeout=budget, trust_env=False) as client:
            seconds, status = first_answer(client, method, url, started, deadline, process, **kwargs)
        timings[name] = seconds
        timings[name + " status"] = status
        timings[name + " cpu"] = cpu_seconds(process.pid)

    try:
        threads = [threading.Thread(target=probe, args=p, daemon=True) for p in probes]
        for t in threads:
            t.start()
        for t in threads:
            t.join(max(0.0, deadline - time.monotonic()) + 5)
        time.sleep(1.0)  # let the sampler see the settled workers
    finally:
        sampler.stop.set()
        sampler.join()
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    timings["rss_server"] = sampler.peak_server
    timings["rss_total"] = sampler.peak_total
    timings["processes"] = sampler.peak_processes
    return timings


def _s(value: object) -> str:
    return "—" if value is None else f"{value:.1f} s"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nquads", type=Path, required=True)
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--key", default="synth-010006", help="jurisdiction key for /api/gaps")
    parser.add_argument("--budget", type=float, default=300.0, help="seconds to wait for all answers")
    parser.add_argument("--label", default="")
    parser.add_argument("--build-only", action="store_true")
    parser.add_argument("--tree", type=Path, help="serve from this package tree instead (before/after runs)")
    args = parser.parse_args()
    if not args.store.exists():
        build(args.store, args.nquads)
    if args.build_only:
        return
    result = run(args.store, args.key, args.budget, args.tree)
    gib = 1024 ** 3
    print("| run | listening | `/sparql` (first worker) | `/` | `/api/gaps?jurisdiction` | warm-up over | "
          "RSS server | RSS server + workers |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    print(f"| {args.label} | {_s(result['listening'])} | {_s(result['/sparql'])} | {_s(result['/'])} | "
          f"{_s(result['/api/gaps'])} | {_s(result['warm'])} | {result['rss_server'] / gib:.2f} GiB | "
          f"{result['rss_total'] / gib:.2f} GiB ({result['processes']} processes) |")
    print("CPU seconds used by then (server + live workers): " + ", ".join(
        f"{name} {result.get(name + ' cpu', 0.0):.1f}" for name in ("listening", "/sparql", "/", "/api/gaps", "warm")))
    print({k: v for k, v in result.items()}, flush=True)


if __name__ == "__main__":
    main()
