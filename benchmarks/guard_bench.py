"""Cost of the parse-tree guard (issue 9 item 1): ``inspect_query`` on bodies of 10 KB to 1 MB.

The guard runs in the query worker (as the worker does: a 256 MB stack, a high recursion limit), so
its cost delays only that request; this measures how large a query can be before the parse alone
reaches the 10 s query timeout. Report: ``benchmarks/results/guard.md``.
"""

from __future__ import annotations

import sys
import threading
import time
from pathlib import Path

from policykg.errors import PolicyKGError
from policykg.graph.sparql_guard import inspect_query

SIZES = (10_000, 100_000, 1_000_000)


def triples(size: int) -> str:
    body, i = [], 0
    while sum(map(len, body)) < size:
        body.append(f'?s <http://example.org/p{i}> "value {i}" .\n')
        i += 1
    return "SELECT * WHERE {\n" + "".join(body) + "}"


def values(size: int) -> str:
    items, i = [], 0
    while sum(map(len, items)) < size:
        items.append(f'"v{i}" ')
        i += 1
    return "SELECT * WHERE { VALUES ?x { " + "".join(items) + "} }"


def long_string(size: int) -> str:
    return 'SELECT * WHERE { ?s ?p "' + "x" * size + '" }'


def measure(text: str, limit: float = 15.0) -> str:
    result: dict = {}

    def run() -> None:
        start = time.perf_counter()
        try:
            inspect_query(text)
            result["t"] = time.perf_counter() - start
        except PolicyKGError as exc:
            result["t"] = time.perf_counter() - start
            result["err"] = type(exc).__name__

    sys.setrecursionlimit(100_000)
    threading.stack_size(256 * 1024 * 1024)
    t = threading.Thread(target=run, daemon=True)
    t.start()
    t.join(limit)
    if t.is_alive():
        return f"> {limit:.0f} s"
    return f"{result['t'] * 1000:,.0f} ms" + (f" ({result['err']})" if "err" in result else "")


def main() -> None:
    rows = ["| body | " + " | ".join(f"{s // 1000:,} KB" for s in SIZES) + " |", "|---|" + "---:|" * len(SIZES)]
    for name, make in (("triple patterns", triples), ("VALUES list", values), ("one long string", long_string)):
        rows.append(f"| {name} | " + " | ".join(measure(make(size)) for size in SIZES) + " |")
    report = "\n".join(["# Guard parse cost", "", "`inspect_query` (rdflib's SPARQL grammar) on this 2-core machine.", "", *rows, ""])
    (Path(__file__).parent / "results" / "guard.md").write_text(report, encoding="utf-8")
    print(report)


if __name__ == "__main__":
    main()
