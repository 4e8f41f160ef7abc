"""Tables laid out differently from the sample reports: a complete report stays complete, and a
real inconsistency is one finding, never a crash. Each case edits complete-ceramics (which has
no findings) and checks the exact findings of the result."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from assistant.cli import main

SRC = Path(__file__).resolve().parents[1] / "fixtures" / "reports" / "src"
BEFORE_AFTER = "| 指标 | 单位 | 审核前 | 审核后 | 削减量 | 削减率（%） |"


def ceramics(tmp_path: Path, edit) -> Path:
    path = tmp_path / "report.md"
    path.write_text(edit((SRC / "complete-ceramics.md").read_text("utf-8")), encoding="utf-8")
    return path


def check(capsys, path: Path, *args: str) -> dict:
    code = main(["check", str(path), "--json", *args])
    out, err = capsys.readouterr()
    assert code == 0, err
    return json.loads(out)


def with_category_column(text: str) -> str:
    """表6-1 with a leading 类别 column: 类别 | 指标 | 单位 | 审核前 | 审核后 | …"""
    lines, inside = [], False
    for line in text.split("\n"):
        if line == BEFORE_AFTER:
            inside = True
            line = "| 类别 " + line
        elif inside and line.startswith("| ---"):
            line = "| --- " + line
        elif inside and line.startswith("| "):
            line = "| 能源与排放 " + line
        else:
            inside = False
        lines.append(line)
    return "\n".join(lines)


@pytest.mark.parametrize("edit", [with_category_column,
                                  lambda t: with_category_column(t).replace("| 类别 | 指标 |",
                                                                            "| 指标类别 | 指标名称 |")],
                         ids=["类别|指标", "指标类别|指标名称"])
def test_label_column_is_chosen_by_synonym_priority(edit, settings, tmp_path, capsys):
    """指标 names the rows even when a 类别 column comes first: no indicator goes missing."""
    data = check(capsys, ceramics(tmp_path, edit))
    assert data["findings"] == [] and data["verdict"] == "可提交"


def test_header_unit_contradicted_by_every_cell(settings, tmp_path, capsys):
    """投资（万元） over cells that all say …元: the header is where the column disagrees."""
    def in_yuan(text: str) -> str:  # the rows F1–F7 and 合计 of 表4-1
        text = re.sub(r"(?m)^(\| F\d \| [^|]+ \| )([\d.]+) \|",
                      lambda m: f"{m.group(1)}{round(float(m.group(2)) * 10000)}元 |", text)
        return text.replace("| 合计 | — | 8.6 |", "| 合计 | — | 86000元 |")

    data = check(capsys, ceramics(tmp_path, in_yuan))
    assert [(f["rule_id"], f["subject"], f["location"]["table"], f["location"]["row"])
            for f in data["findings"]] == [("CON-UNIT", "元", "表4-1 无/低费方案及实施情况", 0)]
    assert data["findings"][0]["message"] == "“投资（万元）”一栏混用单位（元、万元），应统一为元。"
    # The cells' own unit counts: 8000元 is 0.8 万元, below the 5 万元 of a 中/高费 option.
    assert main(["check", str(tmp_path / "report.md")]) == 0
    assert "内部错误" not in capsys.readouterr().err
