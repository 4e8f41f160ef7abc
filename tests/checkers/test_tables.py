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


def test_indicator_patterns_are_regular_expressions_as_written():
    r"""\d and \s in a pattern keep their meaning (the label is normalized, the pattern is not
    upper-cased into \D and \S), and a pattern matches in any case."""
    from checkers.rule_models import IndicatorEntry
    from checkers.rules import load_pack
    from checkers.tables import indicator

    cfg = load_pack().indicators.model_copy(update={"indicators": [
        IndicatorEntry(name="一号炉燃煤", kind="energy", patterns=[r"^\d号炉燃煤"]),
        IndicatorEntry(name="烟尘", kind="pollutant", patterns=[r"烟\s*尘"]),
        IndicatorEntry(name="颗粒物", kind="pollutant", patterns=[r"pm\d+"]),
    ]})
    assert indicator("1号炉燃煤量", cfg).name == "一号炉燃煤"
    assert indicator("一号炉燃煤量", cfg).name != "一号炉燃煤"  # \D would have matched
    assert indicator("烟 尘排放量", cfg).name == "烟尘"
    assert indicator("烟气含尘量", cfg).name != "烟尘"  # \S* would have matched
    assert indicator("PM10排放量", cfg).name == "颗粒物"
    assert indicator("单位产品PM2.5排放量", cfg).name == "单位产品颗粒物"


def test_a_digit_pattern_in_the_pack_names_the_row(settings, index, tmp_path):
    """A pack whose 颗粒物 pattern is ^PM\\d+ recognises the row "PM10排放量" of 表6-1 in a
    ceramics report: the required indicator is not reported missing."""
    import shutil

    import yaml

    from checkers import check_report
    from checkers.rules import RULES_DIR

    rules = tmp_path / "rules"
    shutil.copytree(RULES_DIR, rules)
    data = yaml.safe_load((rules / "indicators.yaml").read_text("utf-8"))
    entry = next(e for e in data["indicators"] if e["name"] == "颗粒物")
    entry["patterns"] = ["颗粒物", r"^PM\d+"]
    (rules / "indicators.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    path = ceramics(tmp_path, lambda t: t.replace("| 颗粒物排放量 | t/a | 32.0 | 20.8 | 11.2 |",
                                                  "| PM10排放量 | t/a | 32.0 | 20.8 | 11.2 |", 1))
    result = check_report(path, index=index, rules_dir=rules)
    assert [(f.rule_id, f.subject) for f in result.findings] == []
