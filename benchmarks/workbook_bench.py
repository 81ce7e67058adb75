"""Benchmark (a script, not a test): load a generated workbook of 1,000 measures and 3,000 indicators.

The workbook (10 areas × 10 directions, 1,000 measures, 3,000 numeric indicators with a baseline and
a target, 1,000 alignments to national items, 10 roadmap rows) is written with openpyxl, then loaded
three ways: read + parse only (the workbook loader), the whole ``policykg build --add`` without SHACL,
and with SHACL over the union (bundled sources + workbook, in-memory Oxigraph store). The target for
the loader is ≤ 10 s.
Run: ``.venv/bin/python benchmarks/workbook_bench.py [measures] [indicators] [--no-build]``. Prints wall
and CPU seconds: on a shared machine the CPU time is the better guide.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from rdflib import Graph


def rows(measures: int, indicators: int, national: list[str]) -> dict[str, list[dict[str, object]]]:
    areas = [{"number": a, "label": f"分野{a}"} for a in range(1, 11)]
    letters = "abcdefghij"
    directions = [{"area": a, "letter": letters[d], "label": f"分野{a}の展開方針{letters[d]}"} for a in range(1, 11) for d in range(10)]
    codes = [f"{d['area']}{d['letter']}" for d in directions]
    return {
        "jurisdiction": [{"name": "ベンチ市", "code": "999997", "key": "bench-city"}],
        "plan": [{"title": "ベンチ市DX推進計画", "period": "2024~2028", "roadmap_title": "ロードマップ", "roadmap_period": "2024~2028"}],
        "areas": areas,
        "directions": directions,
        "measures": [{"label": f"施策{m:04d}", "directions": codes[m % len(codes)], "period": "2024~2026"} for m in range(measures)],
        "indicators": [{"label": f"指標{i:04d}", "direction": codes[i % len(codes)], "kind": "数値", "unit": "件",
                        "baseline": 100 + i, "baseline_date": "2023-03-31", "target": 200 + i, "target_date": "令和9年度末",
                        "comparator": "以上"} for i in range(indicators)],
        "roadmap": [{"area": a, "label": f"区分{a}", "directions": f"{a}a"} for a in range(1, 11)],
        "alignments": [{"local": f"施策{m:04d}", "national": national[m % len(national)], "relation": "支える",
                        "evidence": "確認済み", "rationale": "ベンチマーク用の対応付け。", "curator": "ベンチ", "date": "2024-04-01"}
                       for m in range(measures)],
    }


def main(measures: int = 1000, indicators: int = 3000, full: bool = True) -> None:
    from policykg.graph.build import build_store, default_sources, read_sources
    from policykg.labels import NATIONAL_KINDS, LabelIndex
    from policykg.loaders.workbook import parse_workbook, read_workbook_data
    from policykg.loaders.workbook.template import national_item_labels, write_workbook

    context = Graph()
    for graph in read_sources(default_sources()).values():
        context += graph
    index = LabelIndex.from_graph(context)
    labels = []
    for label in national_item_labels(context):
        try:
            index.resolve(label, kinds=NATIONAL_KINDS)
            labels.append(label)
        except Exception:  # ambiguous labels are left out of the generated alignments
            continue
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench-city.xlsx"
        written = _timed(lambda: write_workbook(path, rows(measures, indicators, labels), national=labels))
        size = path.stat().st_size
        read = _timed(lambda: read_workbook_data(path))
        parsed = _timed(lambda: parse_workbook(read.value, context=context))
        unvalidated = _timed(lambda: build_store([*default_sources(), path], validate=False)) if full else None
        built = _timed(lambda: build_store([*default_sources(), path])) if full else None
        cli = _cli(["build", "--add", str(path)]) if full else None
        cli_disk = _cli(["build", "--store", str(Path(tmp) / "store"), "--add", str(path)]) if full else None
        if full:  # the planner's usual case: the store exists and holds the bundled sources already
            _cli(["build", "--store", str(Path(tmp) / "existing")])
        cli_existing = _cli(["build", "--store", str(Path(tmp) / "existing"), "--add", str(path)]) if full else None
    print(f"workbook: {measures:,} measures, {indicators:,} indicators, {size:,} bytes  (wall s / CPU s)")
    print(f"write (openpyxl): {written}")
    print(f"read .xlsx (one read-only pass: no sheet holds a formula): {read}")
    print(f"parse to RDF ({len(parsed.value):,} triples): {parsed}")
    print(f"read + parse: {read.wall + parsed.wall:.2f} s wall / {read.cpu + parsed.cpu:.2f} s CPU")
    if unvalidated is not None:
        print(f"policykg build --add --no-validate (bundled sources + workbook, in-memory Oxigraph): {unvalidated}")
    if built is not None:
        print(f"policykg build --add (bundled sources + workbook, SHACL over the union, in-memory Oxigraph, "
              f"{len(built.value):,} quads): {built}")
    if cli is not None:
        print(f"`policykg build --add bench-city.xlsx` (a new process: imports included, in memory): {cli}")
        print(f"`policykg build --store DIR --add bench-city.xlsx` (a new on-disk store): {cli_disk}")
        print(f"`policykg build --store DIR --add bench-city.xlsx` (DIR built before from the bundled sources): {cli_existing}")


class _Timed:
    def __init__(self, value, wall: float, cpu: float) -> None:
        self.value, self.wall, self.cpu = value, wall, cpu

    def __str__(self) -> str:
        return f"{self.wall:.2f} s wall / {self.cpu:.2f} s CPU"


def _cli(args: list[str]) -> _Timed:
    """The console script in a child process: wall time, and the child's user + system CPU time."""
    import resource
    import subprocess

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall = time.perf_counter()
    subprocess.run([str(Path(sys.executable).with_name("policykg")), *args], check=True, capture_output=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return _Timed(None, time.perf_counter() - wall, cpu)


def _timed(work) -> _Timed:
    wall, cpu = time.perf_counter(), time.process_time()
    value = work()
    return _Timed(value, time.perf_counter() - wall, time.process_time() - cpu)


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:3] if a.isdigit()), full="--no-build" not in sys.argv)
