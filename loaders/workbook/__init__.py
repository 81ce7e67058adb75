"""The planner's workbook: a local plan in Excel (or a folder of CSV files), in and out.

``policykg template`` writes a blank workbook (:mod:`template`); ``policykg build --add plan.xlsx``
reads one (:func:`read_workbook`); ``policykg export --workbook`` writes a loaded plan back
(:mod:`export`). One table, :mod:`schema`, defines every sheet and column for all three.
See docs/workbook.md.

```python
from policykg.loaders.workbook import parse_workbook, read_workbook
graph = parse_workbook(read_workbook_data("plan.xlsx"), context=national_graph)   # pure
graphs = read_workbook("plan.xlsx", context=national_graph)                       # {named graph: Graph}
```
"""

from __future__ import annotations

import re
from pathlib import Path

from rdflib import Graph, URIRef

from policykg.labels import NATIONAL_KINDS, LabelIndex
from policykg.loaders.workbook.read import WORKBOOK_SUFFIXES, WorkbookData, read_workbook_data
from policykg.namespaces import graph_name


def parse_workbook(data: WorkbookData, *, context: Graph, index: LabelIndex | None = None) -> Graph:
    """The graph of one workbook's plan, alignments and observations, resolved against ``context``
    (national items; other jurisdictions, whose ids must not be reused). ``index``: the label index of
    ``context`` when the caller already has it (it costs a tenth of a second to build per call).

    :raises SourceError: the first bad cell, naming sheet, row and column (ja / en).
    """
    from policykg.loaders.deck import jurisdictions
    from policykg.loaders.workbook.indicators import parse_indicators
    from policykg.loaders.workbook.links import parse_alignments, parse_observations, parse_roadmap
    from policykg.loaders.workbook.parse import WorkbookParser

    parser = WorkbookParser(data, context, jurisdictions())
    plan = parser.plan()
    parser.areas(plan)
    parser.directions(plan)
    parser.measures(plan)
    parse_indicators(parser, plan)
    parse_roadmap(parser, plan)
    if parser.data.sheets["alignments"].rows:
        parse_alignments(parser, plan, index if index is not None else LabelIndex.from_graph(context, kinds=NATIONAL_KINDS))
    parse_observations(parser, plan)
    return parser.em.graph


def workbook_graph_name(path: str | Path) -> URIRef:
    """``graph/<file stem>`` (unsafe characters replaced), like other sources."""
    stem = re.sub(r"[^A-Za-z0-9._~-]+", "-", Path(path).stem).strip("-") or "workbook"
    return graph_name(stem)


def read_workbook(path: str | Path, *, context: Graph) -> dict[URIRef, Graph]:
    """Read and parse an .xlsx workbook or CSV folder into ``{named graph: Graph}``.

    :raises SourceError: see :func:`read_workbook_data` and :func:`parse_workbook`.
    """
    return {workbook_graph_name(path): parse_workbook(read_workbook_data(path), context=context)}


__all__ = ["parse_workbook", "read_workbook", "read_workbook_data", "workbook_graph_name", "WORKBOOK_SUFFIXES"]
