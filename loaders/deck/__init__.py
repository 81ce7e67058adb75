"""Loader for a secretariat slide deck (text extraction) linking national plans to a local plan.

``parse_deck(text, file_name=...)`` is pure (text in, rdflib.Graph out); ``read_deck(path)`` is the
thin I/O wrapper that also rejects empty, binary and non-UTF-8 files. See docs/loader.md for the
rules and docs/model.md for what is emitted.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

from rdflib import Graph, Literal

from policykg.errors import SourceError
from policykg.ids import digest, entity_iri, normalize_label
from policykg.loaders.deck.cells import tidy
from policykg.loaders.deck.emit import Emitter
from policykg.loaders.deck.events import emit_events, parse_events, working_group_lines
from policykg.loaders.deck.indicators import emit_indicators, parse_indicators
from policykg.loaders.deck.local_plan import emit_local, parse_local
from policykg.loaders.deck.national import emit_plans
from policykg.loaders.deck.roadmap import emit_roadmap, parse_roadmap
from policykg.loaders.deck.national_items import emit_items, mention_variants, overview_variants, parse_national
from policykg.loaders.deck.segment import Deck, heading_of, segment
from policykg.values import Interval, ValueFormatError, find_time
from policykg.namespaces import DCTERMS, PK, PREFIXES, PROV, RDF, SKOS, XSD

SOCIETY5 = entity_iri("jp", "society5")


def _registry(name: str) -> dict[str, Any]:
    return tomllib.loads(resources.files(__package__).joinpath(name).read_text(encoding="utf-8"))


def jurisdictions() -> list[dict[str, Any]]:
    """Known jurisdictions (loaders/deck/jurisdictions.toml)."""
    return list(_registry("jurisdictions.toml").get("jurisdiction", []))


def _check_text(text: str, file: str) -> None:
    if not text.strip():
        raise SourceError("the document is empty", file, 1, "document")
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise SourceError("the document is binary, not text", file, line, "encoding")


def _plan_name(deck: Deck, known: list[dict[str, Any]], file: str) -> tuple[str, int]:
    """The local plan's name: a heading that names a plan (…計画) and a chapter, or starts with a known jurisdiction."""
    names = [j["name"] for j in known]
    candidates: list[tuple[int, str, int]] = []
    for line in deck.lines:
        h = heading_of(line)
        if not h:
            continue
        m = re.match(r"^(.+?計画)(第\d+章.*)?$", tidy(h.text))
        if not m:
            continue
        rank = 0 if any(m.group(1).startswith(n) for n in names) else 1 if m.group(2) else 2
        if rank < 2:
            candidates.append((rank, m.group(1), line.no))
    if not candidates:
        raise SourceError("no local plan name (a heading such as 「…推進計画 第4章…」)", file, 1, "plan")
    _, name, line = min(candidates)
    return name, line


def _jurisdiction(plan_name: str, known: list[dict[str, Any]]) -> dict[str, Any]:
    for j in sorted(known, key=lambda j: -len(j["name"])):
        if plan_name.startswith(j["name"]):
            return j
    return {"name": plan_name, "key": f"loc-{digest(plan_name)}", "area_en": {}}


def _source(em: Emitter, deck: Deck, file_name: str, text: str) -> None:
    doc = em.doc
    em.add(doc, RDF.type, PK.SourceDocument)
    em.add(doc, RDF.type, PROV.Entity)
    em.add(doc, PK.fileName, Literal(file_name))
    em.add(doc, PK.sha256, Literal(hashlib.sha256(text.encode("utf-8")).hexdigest()))
    title = next((h for h in map(heading_of, deck.lines) if h and h.level == 1), None)
    if title is None:
        return
    em.add(doc, DCTERMS.title, Literal(title.text, lang="ja"))
    try:
        found = find_time(title.text)
    except ValueFormatError as exc:
        raise SourceError(str(exc), file_name, title.line, "title") from exc
    if found and not isinstance(found[0], Interval) and found[0].fiscal_year:
        em.add(doc, PK.fiscalYear, Literal(str(found[0].fiscal_year), datatype=XSD.gYear))


def _vision(em: Emitter, deck: Deck, jurisdiction: str) -> None:
    """Society 5.0: located where the deck first names it on its own (not as 「<jurisdiction>Society5.0」)."""
    line = next((ln.no for ln in deck.lines
                 if re.search(r"(?<!" + re.escape(jurisdiction) + r")Society5\.0", normalize_label(ln.text))), 1)
    em.entity(SOCIETY5, (PK.Vision,), "Society 5.0", line, en="Society 5.0")


def parse_deck(text: str, *, file_name: str) -> Graph:
    """The RDF graph of one deck (docs/model.md); ``file_name`` names the source in errors and IRIs.

    :raises SourceError: empty or binary text, no recognisable plan structure, or a bad value
        (truncated indicator row, non-numeric target, unknown unit, unknown/inconsistent era).
    """
    _check_text(text, file_name)
    deck = segment(text)
    local = parse_local(deck)
    if not local.areas or not local.all_directions():
        raise SourceError("no recognisable plan structure: no 「(n) area～goal」 heading with an (a)… direction table",
                          file_name, 1, "structure")
    known = jurisdictions()
    plan_name, plan_line = _plan_name(deck, known, file_name)
    jur = _jurisdiction(plan_name, known)
    rows = parse_indicators(deck, local, file_name)
    roadmap = parse_roadmap(deck, local)
    first_local = min(deck.slide_number(a.line) for a in local.areas.values())
    national_slides = [s for s in deck.slides if s.number < first_local]
    last_local = max(deck.slide_number(a.line) for a in local.areas.values())
    first_reference = min((deck.slide_number(r.line) for r in rows), default=deck.slides[-1].number + 1)
    events = parse_events(deck, [s for s in deck.slides if last_local < s.number < first_reference], file_name)
    plans, items, overview = parse_national(deck, national_slides, _registry("national_plans.toml"), file_name)

    graph = Graph()
    for prefix, iri in PREFIXES.items():
        graph.bind(prefix, iri)
    stem = Path(file_name).stem
    em = Emitter(graph, deck, entity_iri("source", stem))
    _source(em, deck, file_name, text)
    key = jur["key"]
    plan = em.entity(entity_iri(key, "plan", f"{key}-plan"), (PK.LocalPlan, PK.PolicyDocument, SKOS.ConceptScheme), plan_name, plan_line)
    em.add(plan, PK.jurisdiction, Literal(jur["name"], lang="ja"))
    if jur.get("code"):
        em.add(plan, PK.localGovernmentCode, Literal(jur["code"]))
    _vision(em, deck, jur["name"])
    em.add(plan, PK.realizes, SOCIETY5)
    emit_local(em, local, key, plan, jur.get("area_en", {}))
    emit_indicators(em, rows, key, plan)
    if roadmap is not None:
        emit_roadmap(em, roadmap, key, plan)
    emit_plans(em, plans, SOCIETY5, file_name)
    emit_items(em, items)
    overview_variants(em, overview, items)
    mention_variants(em, plans, items)
    emit_events(em, events, key, plan, working_group_lines(deck))
    return graph


def read_deck(path: str | Path) -> tuple[str, Graph]:
    """Read and parse a deck file; returns (source name = file stem, graph).

    :raises SourceError: unreadable, empty, binary or non-UTF-8 file, or any parse error.
    """
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise SourceError(f"cannot read the file: {exc.strerror}", str(p), None, "file") from exc
    if b"\x00" in data:
        raise SourceError("the file is binary, not text", str(p), data.count(b"\n", 0, data.index(b"\x00")) + 1, "encoding")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise SourceError(f"not UTF-8 text (byte {exc.start})", str(p), line, "encoding") from exc
    return p.stem, parse_deck(text, file_name=p.name)


__all__ = ["parse_deck", "read_deck", "jurisdictions", "SOCIETY5"]
