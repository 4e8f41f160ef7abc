"""Rendering a CheckResult: a terminal table (rich), JSON, Markdown and self-contained HTML.

Report text (subjects, messages, evidence, locations, bases) is untrusted: the terminal table
escapes rich markup in everything it shows; the HTML and the Markdown escape HTML.
"""

from __future__ import annotations

import html
import json

from assistant.models import QuotedPassage
from checkers.findings import CheckResult, Finding
from checkers.report import Location
from checkers.rules import CATEGORIES, SEVERITIES

SEVERITY_ZH = {"error": "错误", "warning": "警告", "info": "提示"}
CATEGORY_ZH = {"section": "章节", "team": "审核小组", "indicator": "指标", "consistency": "一致性",
               "citation": "引用", "format": "格式"}
_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def location_text(loc: Location) -> str:
    """The full location, for the check's outputs and the review's finding list:
    第3页 第12行 · 1 筹划和组织 > 1.2 审核小组 · 表1-1 审核小组成员 第2行."""
    parts = []
    if loc.page is not None:
        parts.append(f"第{loc.page}页")
    if loc.line is not None:
        parts.append(f"第{loc.line}行")
    where = " ".join(parts)
    path = " > ".join(loc.heading_path)
    table = loc.table or ""
    if table and loc.row:
        table += f" 第{loc.row}行"
    return " · ".join(p for p in (where, path, table) if p) or "（全文）"


def basis_text(basis: QuotedPassage) -> str:
    if basis.doc_id:
        ref = basis.article or basis.section or ""
        page = f"（第{basis.page}页）" if basis.page else ""
        quote = f"：“{basis.quote}”" if basis.quote else ""
        return f"《{basis.title}》{ref}{page}{quote}"
    return basis.source or ""


def to_json(result: CheckResult) -> str:
    return json.dumps(result.model_dump(mode="json"), ensure_ascii=False, indent=1)


def summary_line(result: CheckResult) -> str:
    counts = "，".join(f"{SEVERITY_ZH[s]} {result.summary.by_severity[s]}" for s in SEVERITIES)
    return f"结论：{result.verdict}（{result.verdict_reason}）  {counts}"


def print_table(result: CheckResult, console=None) -> None:
    from rich.console import Console
    from rich.table import Table

    from assistant.render import shown

    console = console or Console()
    info = result.report
    console.print(f"[bold]{shown(info.title or info.name)}[/bold]  {info.format.upper()}  "
                  f"行业：{shown(info.industry_title)}"
                  f"{'（自动识别，依据：' + shown(info.industry_reason) + '）' if info.industry_detected else ''}")
    if result.findings:
        table = Table(show_lines=True, expand=True)
        for name, ratio in (("级别", 1), ("类别", 1), ("对象", 2), ("问题", 6), ("位置", 4),
                            ("依据", 5)):
            table.add_column(name, ratio=ratio, overflow="fold")
        for f in result.findings:
            table.add_row(f"[{_STYLE[f.severity]}]{SEVERITY_ZH[f.severity]}[/]",
                          CATEGORY_ZH[f.category], shown(f.subject),
                          f"{shown(f.message)}\n[dim]{shown(f.rule_id)}  原文：{shown(f.evidence)}[/dim]",
                          shown(location_text(f.location)), shown(basis_text(f.basis)))
        console.print(table)
    else:
        console.print("未发现问题。")
    console.print(_counts_table(result))
    console.print(f"[bold]{shown(summary_line(result))}[/bold]")


def _counts_table(result: CheckResult):
    from rich.table import Table

    table = Table(title="问题统计", show_header=True)
    table.add_column("类别")
    for s in SEVERITIES:
        table.add_column(SEVERITY_ZH[s], justify="right")
    for c in CATEGORIES:
        table.add_row(CATEGORY_ZH[c], *(str(result.summary.by_category[c][s]) for s in SEVERITIES))
    return table


def to_markdown(result: CheckResult) -> str:
    info = result.report
    lines = [f"# 审核报告预审结果：{info.title or info.name}", "",
             f"- 文件：{info.name}（{info.format.upper()}）",
             f"- 行业：{info.industry_title}"
             f"{'（自动识别，依据：' + info.industry_reason + '）' if info.industry_detected else ''}",
             f"- **{summary_line(result)}**", "", "## 问题统计", "",
             "| 类别 | " + " | ".join(SEVERITY_ZH[s] for s in SEVERITIES) + " |",
             "| --- |" + " ---: |" * len(SEVERITIES)]
    for c in CATEGORIES:
        counts = " | ".join(str(result.summary.by_category[c][s]) for s in SEVERITIES)
        lines.append(f"| {CATEGORY_ZH[c]} | {counts} |")
    lines += ["", "## 问题清单", ""]
    for n, f in enumerate(result.findings, start=1):
        lines += [f"### {n}. [{SEVERITY_ZH[f.severity]}] {CATEGORY_ZH[f.category]}：{f.subject}",
                  "", f"{_md(f.message)}", "", f"- 规则：`{f.rule_id}`",
                  f"- 位置：{_md(location_text(f.location))}"]
        if f.evidence:
            lines.append(f"- 原文：{_md(f.evidence)}")
        lines += [f"- 依据：{_md(basis_text(f.basis))}", ""]
    if not result.findings:
        lines.append("未发现问题。")
    return "\n".join(lines).rstrip() + "\n"


def _md(text: str) -> str:
    return html.escape(text, quote=False).replace("|", "\\|").replace("*", "\\*")


_CSS = """body{font-family:"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:2em;color:#222}
table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 8px;
vertical-align:top}th{background:#f3f3f3}.error{color:#b00020;font-weight:bold}
.warning{color:#a66400}.info{color:#005f87}.ev,.basis{color:#555;font-size:90%}"""


def to_html(result: CheckResult) -> str:
    e = html.escape
    info = result.report
    head = "".join(f"<th>{SEVERITY_ZH[s]}</th>" for s in SEVERITIES)
    counts = "".join(
        f"<tr><td>{CATEGORY_ZH[c]}</td>"
        + "".join(f"<td>{result.summary.by_category[c][s]}</td>" for s in SEVERITIES) + "</tr>"
        for c in CATEGORIES)
    rows = "".join(_html_row(n, f) for n, f in enumerate(result.findings, start=1))
    body = (f"<table><tr><th>#</th><th>级别</th><th>类别</th><th>对象</th><th>问题</th>"
            f"<th>位置</th><th>依据</th></tr>{rows}</table>" if rows else "<p>未发现问题。</p>")
    return (f"<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
            f"<title>审核报告预审结果 — {e(info.title or info.name)}</title>"
            f"<style>{_CSS}</style></head><body>"
            f"<h1>审核报告预审结果：{e(info.title or info.name)}</h1>"
            f"<p>文件：{e(info.name)}（{e(info.format.upper())}）；行业：{e(info.industry_title)}</p>"
            f"<p><strong>{e(summary_line(result))}</strong></p>"
            f"<h2>问题统计</h2><table><tr><th>类别</th>{head}</tr>{counts}</table>"
            f"<h2>问题清单</h2>{body}</body></html>\n")


def _html_row(n: int, f: Finding) -> str:
    e = html.escape
    evidence = f"<div class=\"ev\">原文：{e(f.evidence)}</div>" if f.evidence else ""
    return (f"<tr><td>{n}</td><td class=\"{f.severity}\">{SEVERITY_ZH[f.severity]}</td>"
            f"<td>{CATEGORY_ZH[f.category]}</td><td>{e(f.subject)}</td>"
            f"<td>{e(f.message)}<div class=\"ev\">{e(f.rule_id)}</div>{evidence}</td>"
            f"<td>{e(location_text(f.location))}</td>"
            f"<td class=\"basis\">{e(basis_text(f.basis))}</td></tr>")
