"""Server time of each planner page type on the Hokkaido graph (in process, TestClient), answer cache on.

Usage: ``.venv/bin/python benchmarks/pages_bench.py [--repeat 40]``. Prints a Markdown table:
the first (cold) request of each page, then p50 and p95 of the repeats (warm: the answer cache
holds the analyses, the page is rendered every time).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=40)
    args = parser.parse_args()
    from fastapi.testclient import TestClient

    from app_support import api_settings
    from policykg.api.app import create_app
    from policykg.graph.build import build_store
    from policykg.graph.analysis.trace import projection
    from policykg.namespaces import PK

    store = build_store()
    index = projection(store).index

    def page(label: str, kinds) -> str:
        return "/id/" + str(index.resolve(label, kinds=kinds)).split("/id/", 1)[1]

    pages = {
        "home": "/",
        "measure (aligned)": page("北海道型のMaaSの展開", {PK.Measure}),
        "measure (unaligned, suggestions)": page("介護ロボット導入の推進", {PK.Measure}),
        "national pillar": page("デジタル基盤整備", {PK.Pillar}),
        "gaps": "/gaps?as_of=2026-12-03",
        "indicators": "/indicators?as_of=2026-12-03",
        "indicator (chart)": page("温室効果ガスの排出量", {PK.NumericIndicator}) + "?as_of=2026-12-03",
        "gaps.xlsx": "/gaps.xlsx?as_of=2026-12-03",
        "measures.csv": "/measures.csv",
    }
    with TestClient(create_app(api_settings(), store=store)) as client:
        print("| page | first request | p50 | p95 |")
        print("|---|---:|---:|---:|")
        for name, url in pages.items():
            start = time.perf_counter()
            assert client.get(url).status_code == 200, url
            cold = time.perf_counter() - start
            times = []
            for _ in range(args.repeat):
                start = time.perf_counter()
                client.get(url)
                times.append(time.perf_counter() - start)
            times.sort()
            p95 = times[max(0, int(round(0.95 * len(times))) - 1)]
            print(f"| {name} | {cold * 1000:.1f} ms | {statistics.median(times) * 1000:.1f} ms | {p95 * 1000:.1f} ms |")


if __name__ == "__main__":
    main()
