"""The workbook tests' fictional city and template filler, importable as ``workbook_support`` (pytest
``pythonpath = tests``; ``from conftest import …`` would depend on which conftest.py was imported first).

The city (テスト市, key ``test-city``) has areas named like Hokkaido's (暮らし, 産業) and a direction
``1a``, so the tests see that the same names do not collide.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path

CITY_ROWS: dict[str, list[dict[str, object]]] = {
    "jurisdiction": [{"name": "テスト市", "code": "999997", "key": "test-city", "name_en": "Test City"}],
    "plan": [{"title": "テスト市DX推進計画", "edition": "第1版", "period": "令和6年度~令和10年度",
              "adopted": dt.datetime(2024, 3, 29), "source_url": "https://www.example.jp/dx/plan.pdf",
              "roadmap_title": "テスト市DXロードマップ", "roadmap_period": "2024~2028"}],
    "areas": [{"number": 1, "label": "暮らし", "label_en": "Living", "goal": "誰もが安心して暮らせるまち"},
              {"number": 2, "label": "産業", "goal": "稼ぐ力のあるまち"}],
    "directions": [{"area": 1, "letter": "a", "label": "オンライン行政手続の拡充"},
                   {"area": 2, "letter": "a", "label": "中小企業のデジタル化支援"}],
    "measures": [{"label": "電子申請の全手続対応", "directions": "1a", "period": "2024~2026"},
                 {"label": "職業訓練によるデジタル人材育成", "directions": "2a; 1a"}],
    "indicators": [
        {"label": "電子申請に対応した手続の割合", "direction": "1a", "kind": "数値", "unit": "%", "baseline": 35,
         "baseline_date": "2023-03-31", "target": 80, "target_date": "令和6年度末", "comparator": "以上",
         "better": "高いほど良い"},
        {"label": "電子申請に対応した手続の割合", "target": 100, "target_date": "2027年度"},
        {"label": "デジタル化支援を受けた企業の満足度向上", "direction": "2a", "kind": "定性",
         "goal": "支援を受けた企業の多くが効果を実感している"},
    ],
    "roadmap": [{"area": 1, "label": "行政手続", "directions": "1a"}],
    "phases": [{"area": 1, "label": "紙の手続の棚卸し", "kind": "当初の重点", "period": "2024"},
               {"area": 1, "label": "オンライン行政手続の拡充", "direction": "1a", "period": "2025~2028",
                "after": "紙の手続の棚卸し"}],
    "alignments": [{"local": "職業訓練によるデジタル人材育成", "national": "職業訓練のデジタル分野の重点化",
                    "relation": "支える", "evidence": "確認済み",
                    "rationale": "市の職業訓練でデジタル分野を重点化しており、国の施策と同じ対象である。",
                    "curator": "テスト市DX推進課", "date": "2024-04-01"}],
    "observations": [{"indicator": "電子申請に対応した手続の割合", "date": "2024-03-31", "value": 52, "unit": "%",
                      "source": "テスト市 行政改革課"}],
}
"""The fictional city's plan, sheet by sheet (keys are the schema's column keys)."""


def fill_template(template: Path, out: Path, rows: Mapping[str, Sequence[Mapping[str, object]]]) -> Path:
    """Open the template with openpyxl as a planner's Excel would, replace each sheet's example row by
    ``rows[sheet key]`` (matched to the header cells), and save as ``out``."""
    from openpyxl import load_workbook

    from policykg.loaders.workbook.schema import SHEETS

    wb = load_workbook(template)
    for key, sheet in SHEETS.items():
        ws = wb[sheet.title]
        ws.delete_rows(2, ws.max_row)
        headers = {cell.value: cell.column for cell in ws[1]}
        for r, row in enumerate(rows.get(key, ()), start=2):
            for col_key, value in row.items():
                ws.cell(r, headers[sheet.column(col_key).header], value)
    wb.save(out)
    return out
