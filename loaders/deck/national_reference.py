"""National reference data (data/national/): where it lives, and the deck's lookup into it.

The deck parser resolves the national items, KPIs, laws and agencies it sees through
:class:`Reference` (plan key + normalised label → IRI), so a deck's mention and the reference entity
are one node. IRIs are minted the same way on both sides (docs/model.md), and an existing item's
IRI is pinned in the ledger (:mod:`policykg.loaders.deck.national_ledger` refuses a change that would
move it). docs/national.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

from rdflib import Graph, URIRef

from policykg.ids import digest, entity_iri, normalize_label
from policykg.namespaces import ID, PK, RDF, SKOS

FACTS_FILE = "reference.toml"
REFERENCE_FILE = "jp-national-reference.ttl"
DOCUMENT = entity_iri("source", "jp-national-reference")


def data_dir() -> Path:
    """``policykg.data/national`` (the ledger and the generated Turtle)."""
    return Path(str(resources.files("policykg.data"))) / "national"


def kpi_iri(plan_key: str, label: str) -> URIRef:
    """``jp/<plan>/kpi-<digest(label)>`` (the deck mints the same)."""
    return entity_iri("jp", plan_key, f"kpi-{digest(label)}")


def target_time_iri(kpi: URIRef, k: int) -> URIRef:
    """A national KPI target's time node is an IRI, so the deck and the reference state one node."""
    return URIRef(f"{kpi}-target-{k}-time")


def item_iri(plan_key: str, parent_label: str, label: str) -> URIRef:
    """``jp/<plan>/n-<digest(parent label, label)>`` (the deck mints the same)."""
    return entity_iri("jp", plan_key, f"n-{digest(parent_label, label)}")




@dataclass
class Reference:
    """Who is who in the reference data: (plan key, normalised label) → item / KPI IRI; label → law / agency."""

    graph: Graph
    items: dict[tuple[str, str], URIRef] = field(default_factory=dict)
    kpis: dict[tuple[str, str], URIRef] = field(default_factory=dict)
    laws: dict[str, URIRef] = field(default_factory=dict)
    agencies: dict[str, URIRef] = field(default_factory=dict)

    @classmethod
    def from_graph(cls, graph: Graph) -> Reference:
        ref = cls(graph)
        plans = {s: local for s in graph.subjects(RDF.type, PK.PolicyDocument)
                 if (local := str(s).rsplit("/", 1)[-1]) and str(s).startswith(str(ID) + "jp/plan/")}
        for table, cls_, keyed in ((ref.items, PK.NationalItem, PK.inPlan), (ref.kpis, PK.Indicator, PK.indicatorOf),
                                   (ref.laws, PK.Law, None), (ref.agencies, PK.Agency, None)):
            for s in graph.subjects(RDF.type, cls_):
                plan = plans.get(graph.value(s, keyed)) if keyed is not None else None
                for label in (*graph.objects(s, SKOS.prefLabel), *graph.objects(s, SKOS.altLabel)):
                    key = normalize_label(str(label))
                    table.setdefault((plan, key) if keyed is not None else key, s)  # type: ignore[index]
        return ref

    def item(self, plan_key: str, label: str) -> URIRef | None:
        return self.items.get((plan_key, normalize_label(label)))

    def kpi(self, plan_key: str, label: str) -> URIRef | None:
        return self.kpis.get((plan_key, normalize_label(label)))

    def law(self, label: str) -> URIRef | None:
        return self.laws.get(normalize_label(label))

    def agency(self, label: str) -> URIRef | None:
        return self.agencies.get(normalize_label(label))

    def pref_label(self, iri: URIRef) -> str | None:
        return next((str(o) for o in self.graph.objects(iri, SKOS.prefLabel) if o.language == "ja"), None)


@lru_cache(maxsize=1)
def bundled_reference() -> Reference:
    """The reference bundled in ``policykg.data/national`` (empty if the file is absent)."""
    path = data_dir() / REFERENCE_FILE
    graph = Graph()
    if path.is_file():
        graph.parse(data=path.read_text(encoding="utf-8"), format="turtle", publicID=f"file:///{REFERENCE_FILE}")
    return Reference.from_graph(graph)



__all__ = ["Reference", "bundled_reference", "item_iri", "kpi_iri", "target_time_iri", "data_dir", "DOCUMENT",
           "REFERENCE_FILE", "FACTS_FILE"]
