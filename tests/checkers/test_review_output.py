"""`cpaudit review`: terminal, --json, Markdown and DOCX (opened back with python-docx), and the
editing loop through `--from edited.json`."""

from __future__ import annotations

import json
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from assistant.cli import main

REPORTS = Path(__file__).resolve().parents[1] / "fixtures" / "reports"
HEADINGS = ["一、总体评价", "二、主要问题", "三、修改意见", "四、结论建议"]


def cli(capsys, *args) -> tuple[int, str, str]:
    code = main(["review", *map(str, args)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def east_asian(style) -> str | None:
    return style.element.rPr.rFonts.get(qn("w:eastAsia"))


@pytest.mark.parametrize("fmt", ["md", "docx", "pdf"])
def test_done_when_docx_is_signable(fmt, settings, tmp_path, capsys):
    source = REPORTS / ("src/done-when.md" if fmt == "md" else f"generated/done-when.{fmt}")
    target = tmp_path / "评审意见.docx"
    code, out, _ = cli(capsys, source, "--docx", target, "--no-llm")
    assert code == 0 and "written" in out and "不通过" in out
    document = docx.Document(str(target))
    paragraphs = [p for p in document.paragraphs if p.text.strip()]
    texts = [p.text for p in paragraphs]
    assert texts[0] == "清洁生产审核报告评审意见" and paragraphs[0].style.name == "Title"
    assert [p.text for p in paragraphs if p.style.name == "Heading 1"] == HEADINGS
    issues = texts[texts.index("二、主要问题") + 1: texts.index("三、修改意见")]
    assert len(issues) == 5 and [t[:2] for t in issues] == ["1.", "2.", "3.", "4.", "5."]
    assert "可行性分析" in issues[0] and "组长" in issues[1] and "财务" in issues[1]
    conclusion = texts[texts.index("四、结论建议") + 1]
    assert conclusion.startswith("不通过。") and paragraphs[texts.index(conclusion)].runs[0].bold
    references = texts[texts.index("政策依据") + 1:]
    assert references[0].startswith("[1] ") and any("《广州市全面推行清洁生产行动方案》" in r for r in references)
    assert texts[-1].startswith("评审专家（签字）")
    # 宋体 body, 黑体 headings, through w:eastAsia; no theme fonts overriding them
    styles = document.styles
    assert east_asian(styles["Normal"]) == "宋体"
    assert east_asian(styles["Heading 1"]) == east_asian(styles["Title"]) == "黑体"
    for name in ("Normal", "Heading 1", "Title"):
        assert styles[name].element.rPr.rFonts.get(qn("w:eastAsiaTheme")) is None
    assert round(document.sections[0].page_width.mm) == 210
    assert document.core_properties.title == "清洁生产审核报告评审意见"


def test_json_then_edit_then_regenerate(settings, tmp_path, capsys):
    code, out, err = cli(capsys, REPORTS / "src/done-when.md", "--json", "--no-llm",
                         "--md", tmp_path / "first.md")
    assert code == 0 and "written" in err
    data = json.loads(out)
    assert data["verdict"] == "不通过" and len(data["issues"]) == 5
    assert {"verdict", "issues", "citations", "draft"} <= set(data)
    assert data["issues"][1]["finding_ids"] == ["F2", "F6"]
    assert data["citations"][1]["doc_id"] == "gz-action-plan"
    first_md = (tmp_path / "first.md").read_text(encoding="utf-8")
    assert "## 二、主要问题" in first_md and "| 2 | F6 | TEAM-ROLE-UNCOVERED |" in first_md

    data["issues"][4]["status"] = "rejected"
    data["issues"][3]["text"] = "表5-1中二氧化硫排放量的削减量（4.6 t/a）与审核前后数值之差（3.6 t/a）不符。"
    data["issues"][3]["suggestion"] = "请核实二氧化硫排放量的监测数据，更正削减量。"
    edited = tmp_path / "edited.json"
    edited.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    code, out, _ = cli(capsys, "--from", edited, "--md", tmp_path / "final.md",
                       "--docx", tmp_path / "final.docx")
    assert code == 0
    final_md = (tmp_path / "final.md").read_text(encoding="utf-8")
    assert "第五十二条" not in final_md
    assert "4. 表5-1中二氧化硫排放量的削减量（4.6 t/a）与审核前后数值之差（3.6 t/a）不符[4]。" in final_md
    assert "4. 请核实二氧化硫排放量的监测数据，更正削减量。" in final_md
    assert "[5]" not in final_md
    texts = [p.text for p in docx.Document(str(tmp_path / "final.docx")).paragraphs]
    assert any(t.startswith("4. 表5-1中二氧化硫排放量的削减量") for t in texts)
    assert not any("第五十二条" in t for t in texts)
    assert any(t.startswith("不通过。") for t in texts)  # the missing phase is still there

    code, out, _ = cli(capsys, "--from", edited, "--json")
    again = json.loads(out)
    assert [i["status"] for i in again["issues"]] == ["accepted"] * 3 + ["edited", "rejected"]


def test_terminal_shows_finding_ids(settings, capsys):
    code, out, _ = cli(capsys, REPORTS / "src/defect-team.md", "--no-llm")
    assert code == 0
    assert "修改后通过" in out and "I1 ← F1, F2, F3" in out and "TEAM-LEADER-NOT-PRINCIPAL" in out


@pytest.mark.parametrize(("args", "message"), [
    ([], "请指定审核报告"),
    (["--from", "missing.json"], "找不到评审意见文件"),
    (["x.md", "--from", "y.json"], "不能同时指定"),
    (["--from", "{bad}"], "不是有效的 JSON"),
    (["--from", "{\"a\": 1,\n bad}"], "第 2 行第 2 列"),  # where, not the parser's text
    (["--from", "{\"verdict\": \"通过\"}"], "评审意见文件的内容有误"),
])
def test_user_errors_say_how_to_fix(args, message, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    if len(args) == 2 and args[1].startswith("{"):
        (tmp_path / "e.json").write_text(args[1], encoding="utf-8")
        args = ["--from", "e.json"]
    code, _, err = cli(capsys, *args)
    assert code == 2 and message in err and "Error" in err
    assert "Traceback" not in err


def _edited(capsys, tmp_path: Path, change) -> Path:
    code, out, _ = cli(capsys, REPORTS / "src/defect-team.md", "--json", "--no-llm")
    assert code == 0
    data = json.loads(out)
    change(data)
    path = tmp_path / "edited.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_edited_json_with_an_unknown_verdict_profile(settings, tmp_path, capsys):
    edited = _edited(capsys, tmp_path, lambda d: d.update(verdict_profile="strictest"))
    code, _, err = cli(capsys, "--from", edited, "--docx", tmp_path / "r.docx")
    assert code == 2 and "未知的评审结论配置：strictest" in err and "standard" in err
    assert "Unknown verdict profile" in err and "Traceback" not in err
    assert not (tmp_path / "r.docx").exists()


def test_edited_json_with_control_characters_still_gives_a_docx(settings, tmp_path, capsys):
    def type_badly(data):
        data["issues"][0]["text"] = "审核小组\x0b组长许建明\x00不是企业主要负责人。"
        data["issues"][0]["suggestion"] = "由主要负责人\x08担任组长。"
        data["conclusion"] = "修改后通过。\x1f"
        data["title"] = "江门市恒信纸业\x0c有限公司清洁生产审核报告"

    edited = _edited(capsys, tmp_path, type_badly)
    code, _, err = cli(capsys, "--from", edited, "--docx", tmp_path / "r.docx", "--md",
                       tmp_path / "r.md")
    assert code == 0, err
    document = docx.Document(str(tmp_path / "r.docx"))
    texts = [p.text for p in document.paragraphs]
    assert any(t.startswith("1. 审核小组组长许建明不是企业主要负责人") for t in texts)
    assert "1. 由主要负责人担任组长。" in texts and "修改后通过。" in texts
    assert document.core_properties.subject == "江门市恒信纸业有限公司清洁生产审核报告"
