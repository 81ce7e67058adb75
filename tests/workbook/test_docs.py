"""Issue 12 item 7: every command in the bash blocks of docs/workbook.md runs, in order, in an empty folder."""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys
from pathlib import Path

from project_paths import ROOT

DOC = ROOT / "docs" / "workbook.md"


def doc_commands() -> list[list[str]]:
    blocks = re.findall(r"```bash\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.S)
    lines = [line.strip() for block in blocks for line in block.splitlines()]
    return [shlex.split(line) for line in lines if line and not line.startswith("#")]


def test_the_walkthrough_is_japanese_first_and_has_commands():
    text = DOC.read_text(encoding="utf-8")
    assert text.startswith("# 自分の計画を読み込む")
    commands = doc_commands()
    assert [c[:2] for c in commands][:2] == [["policykg", "template"], ["policykg", "build"]]
    assert any(c[:2] == ["policykg", "export"] for c in commands)


def test_the_walkthrough_commands_run(tmp_path: Path):
    policykg = Path(sys.executable).with_name("policykg")
    outputs = []
    for command in doc_commands():
        assert command[0] == "policykg", command
        done = subprocess.run([str(policykg), *command[1:]], cwd=tmp_path, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, f"{shlex.join(command)}\n{done.stderr[-2000:]}"
        outputs.append(done.stdout)
    assert (tmp_path / "plan.xlsx").is_file() and (tmp_path / "hokkaido.xlsx").is_file()
    assert "デジタル基盤整備" in outputs[2]          # trace of the example measure reaches the national item
    assert "オンライン診療拠点の整備" in outputs[3]    # and the national item lists the example city's measure
    city_gaps = json.loads(outputs[5])                # gaps of the example city alone
    assert [m["label"] for m in city_gaps["measures_without_alignment"]] == []
    assert "介護ロボット導入の推進" in outputs[4]       # Hokkaido's unaligned measure is in the gaps of all
