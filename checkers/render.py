"""Rendering a CheckResult: a terminal table (rich), JSON, Markdown and self-contained HTML.

Report text (subjects, messages, evidence, locations, bases) is untrusted: the terminal view
prints it as rich Text (never markup) through `terminal_safe`; the HTML and the Markdown escape
HTML.
"""

from __future__ import annotations

import html
import json

from assistant.assemble import table_label
from assistant.models import QuotedPassage
from assistant.render import TerminalView, display_width, terminal_safe
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


def place_text(location: Location) -> str:
    """Where in the report, as a reviewer names it in a sentence: 第3页表5-1 / 第3页“1.1 审核依据”."""
    page = f"第{location.page}页" if location.page else ""
    if location.table:
        return page + (table_label(location.table) or f"“{location.table.strip()}”")
    if location.heading_path:
        return f"{page}“{location.heading_path[-1].strip()}”"
    return page


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
    """The terminal view, laid out for the terminal's width (80 columns and up)."""
    terminal_view(result).print(console)


def terminal_view(result: CheckResult, width: int | None = None) -> TerminalView:
    """The verdict and counts first, then each finding with its level and category on one
    line and its message wrapped beneath, then each policy basis once, referenced as [依据n]."""
    safe = terminal_safe
    info = result.report
    view = TerminalView(width)
    verdict_style = {"可提交": "bold green", "修改后提交": "bold yellow"}.get(result.verdict,
                                                                         "bold red")
    view.add(f"{result.verdict}（{safe(result.verdict_reason)}）", verdict_style, "判定：")
    view.add(severity_counts(result), "bold")
    industry = safe(info.industry_title) + (
        f"（自动识别，依据：{safe(info.industry_reason)}）" if info.industry_detected else "")
    view.add(f"{safe(info.title or info.name)}（{info.format.upper()}）", first="报告：")
    view.add(industry, first="行业：")
    if not result.findings:
        view.heading("未发现问题。")
        return view
    bases: dict[str, int] = {}
    view.heading(f"问题清单（{len(result.findings)} 项）")
    for n, f in enumerate(result.findings, start=1):
        mark = f"{n:>2}. "
        indent = " " * len(mark)
        view.add(f"{SEVERITY_ZH[f.severity]} · {CATEGORY_ZH[f.category]} · {safe(f.subject)}",
                 _STYLE[f.severity], mark, indent)
        view.add(safe(f.message), None, indent)
        view.add(safe(location_text(f.location)), "dim", indent + "位置：")
        if f.evidence:
            view.add(safe(f.evidence), "dim", indent + "原文：")
        basis = basis_text(f.basis)
        ref = f" · [依据{bases.setdefault(basis, len(bases) + 1)}]" if basis else ""
        view.add(f"{f.rule_id}{ref}", "dim", indent + "规则：")
    if bases:
        view.heading(f"依据（{len(bases)} 条）")
    for basis, n in bases.items():
        view.add(safe(basis), None, f"[依据{n}] ")
    view.heading("问题统计")
    for line in _counts_lines(result):
        view.add(line)
    return view


def severity_counts(result: CheckResult) -> str:
    counts = " · ".join(f"{SEVERITY_ZH[s]} {result.summary.by_severity[s]}" for s in SEVERITIES)
    return f"{counts}（共 {result.summary.total} 项）"


def _counts_lines(result: CheckResult) -> list[str]:
    def cell(text: str, size: int) -> str:
        return text + " " * (size - display_width(text))

    lines = [cell("类别", 10) + "".join(f"{SEVERITY_ZH[s]:>5}" for s in SEVERITIES)]
    for c in CATEGORIES:
        counts = result.summary.by_category[c]
        lines.append(cell(CATEGORY_ZH[c], 10) + "".join(f"{counts[s]:>7}" for s in SEVERITIES))
    return lines


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
