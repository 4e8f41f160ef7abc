"""What `cpaudit check` prints and writes: the terminal table, JSON, Markdown and HTML."""

from __future__ import annotations

import json
from pathlib import Path

from assistant.cli import main

REPORTS = Path(__file__).resolve().parents[1] / "fixtures" / "reports"
DONE_WHEN = REPORTS / "generated" / "done-when.docx"


def test_terminal_table(settings, capsys):
    assert main(["check", str(DONE_WHEN)]) == 0
    out = capsys.readouterr().out
    assert "需重大修改" in out and "可行性分析" in out and "第五十二条" in out
    assert "陶瓷（自动识别）" in out


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
    assert set(finding["basis"]) == {"doc_id", "title", "article", "section", "page", "quote",
                                     "source"}


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
