"""Network view benchmark: generation time, file size and time to first stable render in Chromium.

Synthetic graphs in the shape of the bundled one (docs/model.md): per "unit" a national side
(4 plans, 7 pillar groups, 14 pillars, 56 national items, 1 KPI) and a local plan with 5 areas,
18 directions, 39 measures (some under two directions), 30 indicators (half with a progress status),
10 roadmap phases with transitions, and per measure one curated and two inferred alignments.
Units are repeated until the target node count is reached.

Two views per size: **every node** (the page before issue 13, still served with ``grouped=false`` and by
``policykg viz``) and **grouped** (what /viz serves above ``CLUSTER_THRESHOLD`` nodes: one node per
jurisdiction or national plan, links counted; ``viz/cluster.py``), plus the JSON a planner fetches when
expanding the largest group (``/viz/cluster``). ``--national FILE`` adds the national synthetic dataset
(``benchmarks/national.py`` N-Quads, with ``data/national`` as the national side), grouped only.

Run: ``nice .venv/bin/python benchmarks/viz_bench.py [--sizes 500 5000 20000] [--national /tmp/national/national-1m.nq]``
Needs /usr/bin/chromium (Debian package). Bounded: every page load times out after 180 s.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import sys
import tempfile
import time
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, SKOS, XSD

from policykg.graph.store import OxigraphStore
from policykg.namespaces import GRAPH, ID, PK
from policykg.viz.layout import LARGE_GRAPH_NODES, Layout
from policykg.graph.jurisdictions import jurisdictions
from policykg.viz.cluster import CLUSTER_THRESHOLD, choose_mode, cluster_model, group_members, grouping
from policykg.viz.filters import VizFilter
from policykg.viz.model import build_network
from policykg.viz.render import render_page

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
STATUSES = ["StatusAchieved", "StatusOnTrack", "StatusAccelerationNeeded", "StatusLimitedProgress", "StatusDeterioration"]


def _unit_triples(u: int, rng: random.Random) -> list[tuple]:
    """One national side + one local plan, with alignments between them (185 drawable nodes)."""
    t: list[tuple] = []

    def node(path: str, cls: URIRef, label: str, **links: URIRef) -> URIRef:
        iri = ID[f"u{u}/{path}"]
        t.append((iri, RDF.type, cls))
        t.append((iri, SKOS.prefLabel, Literal(f"{label} {u}", lang="ja")))
        for pred, obj in links.items():
            t.append((iri, {"scheme": SKOS.inScheme, "broader": SKOS.broader, "top": SKOS.topConceptOf,
                            "direction": PK.direction, "area": PK.area, "evaluates": PK.evaluates,
                            "indicatorOf": PK.indicatorOf, "corresponds": PK.correspondsTo}[pred], obj))
        return iri

    plans = [node(f"jp/plan/p{i}", PK.NationalPlan, f"国の計画{i}") for i in range(4)]
    items = []
    for g in range(7):
        plan = plans[g % 4]
        group = node(f"jp/g{g}", PK.PillarGroup, f"柱のグループ{g}", scheme=plan, top=plan)
        t.append((group, RDF.type, PK.NationalItem))
        for p in range(2):
            pillar = node(f"jp/g{g}p{p}", PK.Pillar, f"柱{g}-{p}", scheme=plan, broader=group)
            t.append((pillar, RDF.type, PK.NationalItem))
            items.append(pillar)
            for k in range(4):
                item = node(f"jp/g{g}p{p}i{k}", PK.NationalMeasure, f"国の施策{g}-{p}-{k}", scheme=plan, broader=pillar)
                t.append((item, RDF.type, PK.NationalItem))
                items.append(item)
    node("jp/kpi", PK.NumericIndicator, "国のKPI", indicatorOf=plans[1])
    local = node("pref/plan", PK.LocalPlan, "県の計画")
    directions, measures = [], []
    for a in range(5):
        area = node(f"pref/area/a{a}", PK.PolicyArea, f"分野{a}", scheme=local, top=local)
        phases = [node(f"pref/phase/a{a}f{f}", PK.RoadmapPhase, f"段階{a}-{f}", area=area) for f in range(2)]
        t.append((ID[f"u{u}/pref/tr{a}"], RDF.type, PK.Transition))
        t.append((ID[f"u{u}/pref/tr{a}"], PK.fromPhase, phases[0]))
        t.append((ID[f"u{u}/pref/tr{a}"], PK.toPhase, phases[1]))
        for d in range(4 if a < 3 else 3):
            direction = node(f"pref/dir/a{a}d{d}", PK.PolicyDirection, f"方針{a}-{d}", scheme=local, area=area, broader=area)
            directions.append(direction)
            if d == 0:
                t.append((phases[1], PK.correspondsTo, direction))
    for m in range(39):
        measure = node(f"pref/measure/m{m}", PK.Measure, f"主な取組{m}", scheme=local, direction=directions[m % 18])
        if m % 13 == 0:
            t.append((measure, PK.direction, directions[(m + 5) % 18]))
        measures.append(measure)
    for i in range(30):
        ind = node(f"pref/ind/i{i}", PK.NumericIndicator, f"指標{i}", evaluates=directions[i % 18])
        if i % 2 == 0:
            pa = ID[f"u{u}/pref/pa{i}"]
            t += [(pa, RDF.type, PK.ProgressAssessment), (pa, PK.assesses, ind),
                  (pa, PK.status, PK[STATUSES[i % len(STATUSES)]]), (pa, PK.asOf, Literal("2026-12-02", datatype=XSD.date))]
    for m, measure in enumerate(measures):
        for k, (evidence, score) in enumerate([(PK.Curated, None), (PK.Inferred, rng.random()), (PK.Inferred, rng.random())]):
            al = ID[f"u{u}/alignment/m{m}-{k}"]
            t += [(al, RDF.type, PK.Alignment), (al, PK.localItem, measure), (al, PK.nationalItem, rng.choice(items)),
                  (al, PK.relation, PK.Supports), (al, PK.evidence, evidence)]
            if score is not None:
                t.append((al, PK.score, Literal(f"{score:.2f}", datatype=XSD.decimal)))
    return t


def synthetic_store(target_nodes: int, seed: int = 7) -> OxigraphStore:
    rng = random.Random(seed)
    triples: list[tuple] = []
    for u in range(max(1, round(target_nodes / 185))):
        triples += _unit_triples(u, rng)
    store = OxigraphStore()
    store.replace_graphs({GRAPH["synthetic"]: triples})
    return store


def browser_render_seconds(browser, path: Path) -> float:
    """Seconds from navigation start to the page's ready mark (stabilised, or first draw with physics off)."""
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file://") else r.abort())
    try:
        page.goto(path.as_uri(), timeout=180_000)
        deadline = time.monotonic() + 180
        while not page.evaluate("document.body.dataset.ready === '1'"):
            if errors:
                raise RuntimeError(errors[0])
            if time.monotonic() > deadline:
                raise TimeoutError(f"{path.name} not ready after 180 s")
            time.sleep(0.05)
        return page.evaluate("window.pkViz.readyAt") / 1000.0
    finally:
        page.close()


def national_store(path: Path) -> OxigraphStore:
    """The national N-Quads file plus the bundled national reference data (the side plans align to)."""
    from rdflib import Graph

    store = OxigraphStore()
    store.load_nquads(path.read_bytes())
    national = Path(__file__).resolve().parents[1] / "data" / "national"
    for ttl in sorted(national.glob("*.ttl")):
        g = Graph().parse(ttl, format="turtle")
        store.replace_graphs({GRAPH[f"national-{ttl.stem}"]: list(g)})
    return store


def grouped_view(store, model: dict) -> tuple[dict, object, float]:
    """The grouped overview as /viz makes it (jurisdiction names from the store), and the seconds it took."""
    t0 = time.perf_counter()
    ja, en = jurisdictions(store, "ja"), jurisdictions(store, "en")
    g = grouping(choose_mode(model, VizFilter()), {k: {"ja": v, "en": en.get(k, v)} for k, v in ja.items()})
    grouped = cluster_model(model, g)
    return grouped, g, time.perf_counter() - t0


def measure(browser, tmp: Path, name: str, model: dict, layout: Layout) -> tuple[float, int, float]:
    """(render seconds, file bytes, first stable render seconds) of one page."""
    t1 = time.perf_counter()
    page = render_page(model, layout=layout)
    t_render = time.perf_counter() - t1
    path = tmp / f"viz-{name}-{layout.value}.html"
    path.write_text(page.html, encoding="utf-8")
    return t_render, path.stat().st_size, browser_render_seconds(browser, path)


def run(sizes: list[int], out: Path, national: Path | None = None) -> str:
    from playwright.sync_api import sync_playwright

    rows = []
    expansions = []

    def case(label: str, store, model: dict, flat: bool, t_model: float) -> None:
        grouped, g, t_group = grouped_view(store, model)
        views = ([("every node", model, 0.0)] if flat else []) + [("grouped", grouped, t_group)]
        for view, shown, t_view in views:
            for layout in Layout:
                t_render, size, seconds = measure(browser, Path(tmp), f"{label}-{view.replace(' ', '-')}", shown, layout)
                rows.append((label, len(model["nodes"]), len(model["edges"]), view, len(shown["nodes"]), len(shown["edges"]),
                             layout.value, t_model, t_view + t_render, size, seconds))
                print(f"{label:>8} {view:<10} {layout.value:<12} shown {len(shown['nodes']):>6} model {t_model:6.2f}s "
                      f"view+render {t_view + t_render:5.2f}s size {size / 1e6:6.2f} MB  first stable render {seconds:6.2f}s",
                      file=sys.stderr)
        largest = max(grouped["nodes"], key=lambda n: n["count"])
        t2 = time.perf_counter()
        answer = group_members(model, g, largest["key"])
        t_members = time.perf_counter() - t2
        body = json.dumps({"ok": True, **answer}, ensure_ascii=False).encode("utf-8")
        expansions.append((label, largest["label"]["ja"], largest["count"], answer["shown"], len(answer["edges"]),
                           len(answer["links"]), t_members, len(body)))

    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for size in sizes:
            store = synthetic_store(size)
            t0 = time.perf_counter()
            model = build_network(store)
            case(f"{size:,}", store, model, True, time.perf_counter() - t0)
        if national is not None:
            t0 = time.perf_counter()
            store = national_store(national)
            t_load = time.perf_counter() - t0
            print(f"national: loaded {len(store):,} quads in {t_load:.1f}s", file=sys.stderr)
            t0 = time.perf_counter()
            model = build_network(store)
            case(national.stem, store, model, False, time.perf_counter() - t0)
            del store
        browser.close()
    lines = [
        "# Network view benchmark (`benchmarks/viz_bench.py`)",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores shared with other work (load average "
        f"{os.getloadavg()[0]:.1f} at the end), Python {platform.python_version()}, Chromium {CHROMIUM} headless, "
        f"run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}.",
        f"**every node**: the whole filtered model in one page (before issue 13; now `/viz?grouped=false` and "
        f"`policykg viz`). Above {LARGE_GRAPH_NODES} nodes the server precomputes positions and physics is off; below, "
        "vis-network lays out (hierarchical) or runs at most 200 stabilisation iterations (force).",
        f"**grouped**: what `/viz` serves above {CLUSTER_THRESHOLD:,} nodes — one node per jurisdiction (or per "
        "area within one jurisdiction) and per national plan, sized by members, links counted; positions from "
        "the server, physics off. Groups expand in place from `/viz/cluster`.",
        "",
        "| graph | nodes | edges | view | drawn nodes | drawn edges | layout | model from store (s) | group + render HTML (s) | page size (MB) | first stable render in Chromium (s) |",
        "|---|---:|---:|---|---:|---:|---|---:|---:|---:|---:|",
    ]
    for label, n, e, view, dn, de, layout, tm, tr, size, secs in rows:
        lines.append(f"| {label} | {n:,} | {e:,} | {view} | {dn:,} | {de:,} | {layout} | {tm:.2f} | {tr:.2f} | "
                     f"{size / 1e6:.2f} | {secs:.2f} |")
    lines += ["", "Expanding the largest group (`/viz/cluster`, at most 1,500 members and 5,000 outside links):", "",
              "| graph | group | members | sent | edges inside | links outside | compute (s) | JSON (kB) |",
              "|---|---|---:|---:|---:|---:|---:|---:|"]
    for label, name, count, shown, inner, links, secs, size in expansions:
        lines.append(f"| {label} | {name} | {count:,} | {shown:,} | {inner:,} | {links:,} | {secs:.3f} | {size / 1e3:.0f} |")
    lines += ["", "Model time is fetch (8 SPARQL SELECTs over Oxigraph, in memory) + build; it is cached per store "
              "generation when served, as are the grouped model and the pages. First stable render = navigation "
              "start to the page's ready mark (`stabilizationIterationsDone`, or the first `afterDrawing` when "
              "physics is off), from a file, so server time is not included. Every page inlines vis-network "
              "9.1.2 (about 0.7 MB), the floor of any page size here."]
    text = "\n".join(lines) + "\n"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    return text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 5000, 20000])
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "results" / "viz.md")
    parser.add_argument("--national", type=Path, default=None,
                        help="N-Quads of benchmarks/national.py (e.g. /tmp/national/national-1m.nq): grouped view only")
    args = parser.parse_args(argv)
    print(run(args.sizes, args.out, args.national))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
