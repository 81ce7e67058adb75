"""Rank national items for each local measure by wording, without looking at any alignment.

A measure's text is its label plus the wording around it in the deck (its directions, area goal,
the roadmap's starting focus for those directions, the indicators that evaluate them). A national
item's text is its label plus its description, checklist lines, parents, children and plan.
Each side is a weighted bag of terms per :class:`Weights`; methods (:data:`METHODS`) differ in the
tokeniser and scorer. Nothing here reads pk:Alignment nodes, so evaluation against the curated
links (:mod:`policykg.graph.analysis.evaluate`) measures the method, not a leak of the answers.
Output is deterministic: ties break by IRI, scores are rounded to 4 places.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field

from rdflib import Graph, Literal, URIRef

from policykg.graph.analysis.similarity import (
    bm25, char_ngrams, cosine, idf, sudachi_tokens, tfidf, weighted_bag,
)
from policykg.graph.queries import internal_query, read_label_index, select
from policykg.ids import alignment_iri, digest, entity_iri
from policykg.namespaces import PK, PROV, RDF, RDFS, XSD

Texts = Mapping[URIRef, list[tuple[str, str]]]
"""Entity → ``(field, text)`` pairs."""


@dataclass(frozen=True)
class Weights:
    """How much each field counts in the bag of terms (0 drops the field)."""

    label: float = 1.0
    direction: float = 0.5
    area: float = 0.15
    indicator: float = 0.25
    phase: float = 0.15
    roadmap: float = 0.1
    n_label: float = 1.0
    n_description: float = 0.5
    n_parent: float = 0.3
    n_parent_description: float = 0.15
    n_children: float = 0.2
    n_plan: float = 0.1

    def measure(self, name: str) -> float:
        return getattr(self, name, 0.0)

    def national(self, name: str) -> float:
        return getattr(self, "n_" + name, 0.0)


@dataclass(frozen=True)
class Method:
    """A named scoring method and its parameters (recorded on the prov:Activity of inferred links)."""

    name: str
    tokenizer: str = "sudachi"        # sudachi | ngram
    sudachi_mode: str = "CA"
    ngram_sizes: tuple[int, ...] = (2, 3)
    scorer: str = "tfidf"             # tfidf | bm25 | fusion
    fusion_weight: float = 0.5        # share of the sudachi score in a fusion
    idf_scope: str = "all"            # all: IDF over measures and national items; national: over national items only
    prf_docs: int = 0                 # pseudo-relevance feedback: add the top-k national vectors to the query (0 = off)
    prf_weight: float = 0.3
    weights: Weights = field(default_factory=Weights)

    def parameters(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True)


METHODS: dict[str, Method] = {
    "sudachi": Method("sudachi", tokenizer="sudachi"),
    "ngram": Method("ngram", tokenizer="ngram"),
    "bm25-sudachi": Method("bm25-sudachi", tokenizer="sudachi", scorer="bm25"),
    "bm25-ngram": Method("bm25-ngram", tokenizer="ngram", scorer="bm25"),
    "fusion": Method("fusion", scorer="fusion"),
}
"""Methods ``policykg align suggest --method`` and ``align evaluate`` know; ``fusion`` is the default."""
DEFAULT_METHOD = "fusion"


def read_texts(store) -> tuple[dict[URIRef, list[tuple[str, str]]], dict[URIRef, list[tuple[str, str]]]]:
    """``(measure texts, national item texts)`` from a store (``suggest-*-text.rq``); reads no alignment."""
    def collect(name: str) -> dict[URIRef, list[tuple[str, str]]]:
        out: dict[URIRef, list[tuple[str, str]]] = defaultdict(list)
        for row in select(store, internal_query(name)):
            out[row["item"]].append((str(row["field"]), str(row["text"])))
        return {k: sorted(v) for k, v in sorted(out.items())}

    return collect("suggest-measure-text"), collect("suggest-national-text")


def _tokens(method: Method) -> Callable[[str], tuple[str, ...]]:
    if method.tokenizer == "ngram":
        return lambda text: char_ngrams(text, sizes=method.ngram_sizes)
    return lambda text: sudachi_tokens(text, mode=method.sudachi_mode)


def _bags(texts: Texts, tokens, weight_of) -> dict[URIRef, dict[str, float]]:
    return {item: weighted_bag((tokens(t), weight_of(f)) for f, t in pairs if weight_of(f) > 0) for item, pairs in texts.items()}


def score_matrix(measures: Texts, nationals: Texts, method: Method) -> dict[URIRef, dict[URIRef, float]]:
    """Score of every (measure, national item) pair in 0..1 (pure)."""
    if method.scorer == "fusion":
        common = {"weights": method.weights, "idf_scope": method.idf_scope, "prf_docs": method.prf_docs,
                  "prf_weight": method.prf_weight}
        a = score_matrix(measures, nationals, Method("s", tokenizer="sudachi", sudachi_mode=method.sudachi_mode, **common))
        b = score_matrix(measures, nationals, Method("n", tokenizer="ngram", ngram_sizes=method.ngram_sizes, **common))
        w = method.fusion_weight
        return {m: {n: w * a[m][n] + (1 - w) * b[m][n] for n in a[m]} for m in a}
    tokens = _tokens(method)
    q_bags = _bags(measures, tokens, method.weights.measure)
    d_bags = _bags(nationals, tokens, method.weights.national)
    items = sorted(d_bags)
    if method.scorer == "bm25":
        docs = [d_bags[n] for n in items]
        return {m: dict(zip(items, bm25(q, docs))) for m, q in q_bags.items()}
    corpus = [d_bags[n] for n in items] + (list(q_bags.values()) if method.idf_scope == "all" else [])
    weights = idf(corpus)
    d_vecs = {n: tfidf(d_bags[n], weights) for n in items}
    out = {}
    for m, q in q_bags.items():
        q_vec = tfidf(q, weights)
        scores = {n: cosine(q_vec, d_vecs[n]) for n in items}
        if method.prf_docs:
            q_vec = _feedback(q_vec, [d_vecs[n] for n in sorted(items, key=lambda n: (-scores[n], str(n)))[:method.prf_docs]],
                              method.prf_weight)
            scores = {n: cosine(q_vec, d_vecs[n]) for n in items}
        out[m] = scores
    return out


def _feedback(query: dict[str, float], top_docs: list[dict[str, float]], weight: float) -> dict[str, float]:
    """Rocchio: the query plus ``weight`` × the mean of the best documents, L2-normalised again."""
    merged = dict(query)
    for doc in top_docs:
        for t, v in doc.items():
            merged[t] = merged.get(t, 0.0) + weight * v / len(top_docs)
    norm = sum(v * v for v in merged.values()) ** 0.5
    return {t: v / norm for t, v in merged.items()} if norm else merged


def rank(measures: Texts, nationals: Texts, method: Method) -> dict[URIRef, list[tuple[URIRef, float]]]:
    """National items for each measure, best first (score desc, then IRI), scores rounded to 4 places."""
    matrix = score_matrix(measures, nationals, method)
    return {
        m: sorted(((n, round(s, 4)) for n, s in row.items()), key=lambda t: (-t[1], str(t[0])))
        for m, row in sorted(matrix.items())
    }


def suggest(store, *, method: str = DEFAULT_METHOD, top: int = 5, lang: str = "ja") -> list[dict]:
    """``[{"measure": {"iri","label"}, "candidates": [{"iri","label","score"}]}]``, one per measure.

    :raises KeyError: an unknown method name (see :data:`METHODS`).
    """
    chosen = METHODS[method]
    measures, nationals = read_texts(store)
    index = read_label_index(store)
    ranked = rank(measures, nationals, chosen)
    order = sorted(ranked, key=lambda m: (index.label(m), str(m)))
    return [
        {"measure": {"iri": str(m), "label": index.label(m, lang)},
         "candidates": [{"iri": str(n), "label": index.label(n, lang), "score": s} for n, s in ranked[m][:top]]}
        for m in order
    ]


def inferred_graph(suggestions: list[dict], *, method: str = DEFAULT_METHOD, generated: str | None = None) -> Graph:
    """The suggestions as pk:Alignment nodes with ``pk:evidence pk:Inferred`` for graph/alignments-inferred.

    ``generated`` (``xsd:dateTime`` text) defaults to now, UTC, to the second; pass it for a reproducible graph.
    Each node has its score and ``prov:wasGeneratedBy`` one prov:Activity carrying the method and its parameters.
    Relation is pk:ContributesTo: wording similarity does not show that a measure delivers the item.
    """
    chosen = METHODS[method]
    if generated is None:
        generated = dt.datetime.now(dt.timezone.utc).replace(microsecond=0, tzinfo=None).isoformat()
    activity = entity_iri("activity", "act-" + digest(chosen.name, chosen.parameters()))
    g = Graph()
    g.add((activity, RDF.type, PROV.Activity))
    g.add((activity, RDFS.label, Literal(f"対応付け候補の推定 ({chosen.name}) / alignment suggestion", lang="ja")))
    g.add((activity, PK.method, Literal(chosen.name)))
    g.add((activity, PK.parameters, Literal(chosen.parameters())))
    g.add((activity, PROV.endedAtTime, Literal(generated, datatype=XSD.dateTime)))
    for entry in suggestions:
        local = URIRef(entry["measure"]["iri"])
        for cand in entry["candidates"]:
            national = URIRef(cand["iri"])
            node = alignment_iri(local, national, "inferred")
            for triple in (
                (node, RDF.type, PK.Alignment), (node, RDF.type, PROV.Entity),
                (node, PK.localItem, local), (node, PK.nationalItem, national),
                (node, PK.relation, PK.ContributesTo), (node, PK.evidence, PK.Inferred),
                (node, PK.score, Literal(f"{cand['score']:.4f}", datatype=XSD.decimal)),
                (node, PROV.wasGeneratedBy, activity),
                (node, PROV.generatedAtTime, Literal(generated, datatype=XSD.dateTime)),
            ):
                g.add(triple)
    return g


__all__ = [
    "Weights", "Method", "METHODS", "DEFAULT_METHOD", "read_texts", "score_matrix", "rank", "suggest",
    "inferred_graph",
]
