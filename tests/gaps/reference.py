"""The gaps document as it was computed before the /api/gaps speed-up (issue 13 item 3): the reference
the faster queries are checked against (tests/gaps/test_gaps_reference.py, and by hand on the national
stores: ``POLICYKG_NATIONAL_STORES``).

What changed and is kept here in its old form:

* the canned gap queries rewritten for speed (same columns, same rows, same order): their old text below;
* the progress inputs, read before by the canned ``progress-indicators``, ``progress-targets`` and
  ``progress-observations`` queries in their own order (those files are unchanged: they are the reference),
  now by unsorted internal twins sorted in Python.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from unittest import mock

from rdflib.term import Identifier

from policykg.graph.analysis import gaps as gaps_module
from policykg.graph.analysis import progress_store
from policykg.graph.analysis.progress import Point, Series, TargetSpec
from policykg.graph.queries import CannedQuery, load_query, parse_query_file
from policykg.graph.store import Store
from policykg.namespaces import PK

OLD_TEXT: dict[str, str] = {
    "indicators-without-baseline": """\
SELECT ?indicator ?label ?labelEn ?evaluates ?evaluatesLabel WHERE {
  ?indicator a pk:NumericIndicator .
  FILTER NOT EXISTS { ?indicator pk:hasBaseline ?baseline }
  OPTIONAL { ?indicator pk:evaluates|pk:indicatorOf ?evaluates .
    OPTIONAL { ?evaluates skos:prefLabel ?evaluatesLabel FILTER(LANG(?evaluatesLabel) = "ja") } }
  OPTIONAL { ?indicator skos:prefLabel ?label FILTER(LANG(?label) = "ja") }
  OPTIONAL { ?indicator skos:prefLabel ?labelEn FILTER(LANG(?labelEn) = "en") }
}
ORDER BY ?label ?indicator
""",
    "indicators-without-target": """\
SELECT ?indicator ?label ?labelEn ?evaluates ?evaluatesLabel WHERE {
  ?indicator a pk:NumericIndicator .
  FILTER NOT EXISTS { ?indicator pk:hasTarget ?target }
  FILTER NOT EXISTS { ?target2 pk:targetOf ?indicator }
  OPTIONAL { ?indicator pk:evaluates|pk:indicatorOf ?evaluates .
    OPTIONAL { ?evaluates skos:prefLabel ?evaluatesLabel FILTER(LANG(?evaluatesLabel) = "ja") } }
  OPTIONAL { ?indicator skos:prefLabel ?label FILTER(LANG(?label) = "ja") }
  OPTIONAL { ?indicator skos:prefLabel ?labelEn FILTER(LANG(?labelEn) = "en") }
}
ORDER BY ?label ?indicator
""",
    "indicators-past-target-without-observation": """\
SELECT DISTINCT ?indicator ?label ?labelEn ?target ?dueDate ?targetValue ?at WHERE {
  BIND(COALESCE(?asOf, xsd:date(SUBSTR(STR(NOW()), 1, 10))) AS ?at)
  { ?target pk:targetOf ?indicator } UNION { ?indicator pk:hasTarget ?target }
  ?target pk:dueDate ?dueDate .
  FILTER(?dueDate < ?at)
  ?indicator a pk:NumericIndicator .
  MINUS {
    { ?target pk:targetOf ?indicator } UNION { ?indicator pk:hasTarget ?target }
    ?target pk:dueDate ?dueDate .
    ?observation sosa:observedProperty ?indicator ; pk:date ?observed ; a pk:IndicatorObservation .
    FILTER(?observed >= ?dueDate)
  }
  OPTIONAL { ?target qudt:numericValue ?targetValue }
  OPTIONAL { ?indicator skos:prefLabel ?label FILTER(LANG(?label) = "ja") }
  OPTIONAL { ?indicator skos:prefLabel ?labelEn FILTER(LANG(?labelEn) = "en") }
}
ORDER BY ?dueDate ?label ?indicator
""",
    "national-items-without-measures": """\
SELECT ?item ?label ?labelEn ?kind ?plan ?planLabel ?pillar ?pillarLabel WHERE {
  ?item a pk:NationalItem ; pk:inPlan ?plan .
  MINUS {
    # supported = the aligned items and all their ancestors; distinct aligned items first
    SELECT DISTINCT ?item WHERE {
      { SELECT DISTINCT ?aligned WHERE {
          VALUES ?evidence { pk:Stated pk:Curated }
          ?al pk:evidence ?evidence ; pk:nationalItem ?aligned ; pk:localItem ?measure .
          ?measure a pk:Measure .
      } }
      ?aligned skos:broader* ?item .
    }
  }
  OPTIONAL { ?item a ?kind . FILTER(?kind != pk:NationalItem && STRSTARTS(STR(?kind), STR(pk:))) }
  OPTIONAL { ?item skos:broader* ?pillar . ?pillar a pk:Pillar .
    OPTIONAL { ?pillar skos:prefLabel ?pillarLabel FILTER(LANG(?pillarLabel) = "ja") }
    OPTIONAL { ?pillar pk:ordinal ?pillarOrdinal }
    OPTIONAL { ?pillar skos:broader/pk:ordinal ?groupOrdinal } }
  OPTIONAL { ?item skos:prefLabel ?label FILTER(LANG(?label) = "ja") }
  OPTIONAL { ?item skos:prefLabel ?labelEn FILTER(LANG(?labelEn) = "en") }
  OPTIONAL { ?plan skos:prefLabel ?planLabel FILTER(LANG(?planLabel) = "ja") }
  OPTIONAL { ?item pk:ordinal ?ordinal }
}
ORDER BY ?plan ?groupOrdinal ?pillarOrdinal ?ordinal ?label ?item
""",
}
"""The canned queries' text before the speed-up (header comments left out)."""


def old_query(name: str) -> CannedQuery:
    """The canned query ``name`` as it was before the speed-up (unchanged ones as they are)."""
    if name in OLD_TEXT:
        return parse_query_file(name, OLD_TEXT[name])
    return load_query(name)


def reference_indicator_series(store: Store) -> list[tuple[dict[str, Identifier], Series]]:
    """The old ``indicator_series``: the three canned progress queries, in their own ``ORDER BY``."""
    run = progress_store.run_select
    indicators: dict[str, dict[str, Identifier]] = {}
    for row in run(store, "progress-indicators"):
        indicators.setdefault(str(row["indicator"]), row)
    targets: dict[str, list[TargetSpec]] = {}
    for row in run(store, "progress-targets"):
        info = indicators.get(str(row["indicator"]), {})
        spec = progress_store._target(row, info.get("desired") == PK.LowerIsBetter)
        if spec is not None:
            targets.setdefault(str(row["indicator"]), []).append(spec)
    observations: dict[str, list[Point]] = {}
    for row in run(store, "progress-observations"):
        when, value = progress_store._date(row.get("date")), progress_store._float(row.get("value"))
        if when is not None and value is not None:
            observations.setdefault(str(row["indicator"]), []).append(Point(when, value, str(row["observation"])))
    out = []
    for iri, row in indicators.items():
        when, value = progress_store._date(row.get("baselineDate")), progress_store._float(row.get("baselineValue"))
        baseline = Point(when, value, str(row["baseline"])) if when is not None and value is not None else None
        out.append((row, Series(baseline, tuple(targets.get(iri, ())), tuple(observations.get(iri, ())))))
    return out


@contextmanager
def old_builder() -> Iterator[None]:
    """Within the block, :func:`policykg.graph.analysis.gaps.build_gaps` computes as before the speed-up."""
    with mock.patch.object(progress_store, "load_query", old_query), \
            mock.patch.object(progress_store, "indicator_series", reference_indicator_series):
        yield


def reference_gaps(store: Store, *, as_of: date) -> dict:
    """The gaps document of ``store`` as the old builder made it."""
    with old_builder():
        return gaps_module.build_gaps(store, as_of=as_of)
