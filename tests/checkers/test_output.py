"""What `cpaudit check` prints and writes: the terminal table, JSON, Markdown and HTML."""

from __future__ import annotations

import html
import json
from pathlib import Path

from assistant.cli import main

REPORTS = Path(__file__).resolve().parents[1] / "fixtures" / "reports"
DONE_WHEN = REPORTS / "generated" / "done-when.docx"


def test_terminal_table(settings, capsys):
    assert main(["check", str(DONE_WHEN)]) == 0
    out = capsys.readouterr().out
    assert "需重大修改" in out and "可行性分析" in out and "第五十二条" in out
    assert "陶瓷（自动识别，依据：封面“行业”：陶瓷" in out


def test_json_is_one_object_with_verdict_summary_findings(settings, capsys):
    assert main(["check", str(DONE_WHEN), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {"verdict", "summary", "findings"} <= set(data)
    assert data["verdict"] == "需重大修改"
    assert data["summary"]["by_severity"] == {"error": 5, "warning": 1, "info": 0}
    assert data["summary"]["by_category"]["team"] == {"error": 1, "warning": 1, "info": 0}
    finding = data["findings"][0]
    assert set(finding) == {"rule_id", "category", "severity", "subject", "message", "location",
                            "evidence", "basis"}
    assert set(finding["location"]) == {"page", "heading_path", "line", "table", "row"}
    assert set(finding["basis"]) == {"chunk_id", "doc_id", "title", "section", "article", "page",
                                     "quote", "start", "end", "source"}


def test_markdown_and_html_files(settings, tmp_path, capsys):
    md, html = tmp_path / "r.md", tmp_path / "r.html"
    assert main(["check", str(DONE_WHEN), "--format", "md", "-o", str(md)]) == 0
    assert main(["check", str(DONE_WHEN), "--format", "html", "-o", str(html)]) == 0
    text = md.read_text("utf-8")
    assert text.startswith("# 审核报告预审结果") and "需重大修改" in text
    assert "《广州市全面推行清洁生产行动方案》" in text and "CON-REDUCTION" in text
    page = html.read_text("utf-8")
    assert page.startswith("<!DOCTYPE html>") and "第五十二条" in page
    assert str(md) in capsys.readouterr().out


def test_html_escapes_report_text(settings, tmp_path):
    from checkers import check_report
    from checkers.render import to_html

    source = (REPORTS / "src" / "done-when.md").read_text("utf-8").replace(
        "## 1.1 审核背景与依据", "## 1.1 审核背景与依据\n\n<script>alert(1)</script>根据《某某<b>办法</b>》")
    path = tmp_path / "evil.md"
    path.write_text(source, encoding="utf-8")
    page = to_html(check_report(path))
    assert "<script>" not in page and "<b>" not in page
    assert "&lt;b&gt;" in page  # the cited title 《某某<b>办法</b>》 is shown, escaped


def test_industry_and_profiles_from_the_command_line(settings, capsys):
    report = str(REPORTS / "src" / "defect-team.md")
    assert main(["check", report, "--json", "--profile", "lenient"]) == 0
    data = json.loads(capsys.readouterr().out)
    severities = {f["subject"]: f["severity"] for f in data["findings"]}
    assert severities == {"组长": "error", "财务": "info", "审核师证书编号": "info"}
    assert data["verdict"] == "修改后提交"
    assert main(["check", report, "--json", "--industry", "dyeing"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["report"]["industry"] == "dyeing" and not data["report"]["industry_detected"]


def test_terminal_shows_report_text_as_written(settings, tmp_path, capsys, monkeypatch):
    """Square brackets in a report are text, not rich markup: "[/b]" does not crash the table
    and "产量[t/a]" keeps its unit."""
    monkeypatch.setenv("COLUMNS", "400")  # wide enough that no cell is folded
    source = (REPORTS / "src" / "complete-ceramics.md").read_text("utf-8").replace(
        "## 1.1 领导支持\n", "## 1.1 领导支持\n\n依据《某某办法[/b]》和《产量[t/a]核算规范[bold red]》开展审核。\n")
    path = tmp_path / "brackets[red].md"
    path.write_text(source, encoding="utf-8")
    assert main(["check", str(path)]) == 0
    out, err = capsys.readouterr()
    assert "内部错误" not in err
    assert "某某办法[/b]" in out and "产量[t/a]核算规范[bold red]" in out
    assert "《产量[t/a]核算规范[bold red]》" in out  # the evidence, as the report wrote it


def test_review_lists_findings_where_the_check_locates_them(settings, tmp_path, capsys):
    """One location text: the review's finding list says where, exactly as `cpaudit check`."""
    report = str(REPORTS / "src" / "done-when.md")
    assert main(["check", report, "--format", "md", "-o", str(tmp_path / "check.md")]) == 0
    checked = [html.unescape(line.removeprefix("- 位置：")) for line in
               (tmp_path / "check.md").read_text("utf-8").splitlines() if line.startswith("- 位置：")]
    capsys.readouterr()
    assert main(["review", report, "--json", "--no-llm"]) == 0
    review = json.loads(capsys.readouterr().out)
    assert [f["where"] for f in review["findings"]] == checked
    assert any("表5-1" in where and " · " in where for where in checked)
