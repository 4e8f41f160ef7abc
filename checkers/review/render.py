"""A review as plain text (the `draft`), Markdown, DOCX (宋体 body, 黑体 headings) and terminal.

Issue texts carry no [n] markers: the renderer appends them from each issue's `citations`,
numbering the policy passages in the order the kept issues first cite them.
"""

from __future__ import annotations

import re
from pathlib import Path

from assistant.models import Citation
from checkers.review.models import Review, ReviewIssue
from checkers.review.passages import cited_text

TITLE = "清洁生产审核报告评审意见"
HEADINGS = ("一、总体评价", "二、主要问题", "三、修改意见", "四、结论建议")
REFERENCES = "政策依据"
SIGNATURE = "评审专家（签字）：                    日期：      年    月    日"
_MARKER = re.compile(r"\s*\[\d{1,3}\]")
_END = re.compile(r"[。；！？.!?]+$")
# Characters XML 1.0 cannot hold (control characters but tab and line breaks, lone surrogates,
# U+FFFE/U+FFFF): python-docx refuses them, and an edited review JSON may carry them.
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def numbered(review: Review) -> tuple[list[tuple[ReviewIssue, str]], list[Citation]]:
    """Kept issues with their text and [n] markers, and the citations they use, renumbered."""
    by_n = {c.n: c for c in review.citations}
    renumber: dict[int, int] = {}
    out = []
    for issue in review.kept():
        marks = ""
        for n in issue.citations:
            if n in by_n:
                renumber.setdefault(n, len(renumber) + 1)
                marks += f"[{renumber[n]}]"
        text = _MARKER.sub("", issue.text).strip()
        end = _END.search(text)
        text = f"{text[:end.start()]}{marks}{end.group(0)}" if end else f"{text}{marks}。"
        out.append((issue, text))
    cited = [by_n[n].model_copy(update={"n": new}) for n, new in renumber.items()]
    return out, cited


def _heading_line(review: Review) -> str:
    return f"报告名称：《{review.title}》" if review.title else f"报告文件：{review.report}"


def draft_text(review: Review) -> str:
    issues, cited = numbered(review)
    lines = [TITLE, "", _heading_line(review), "", HEADINGS[0], review.overall, "", HEADINGS[1]]
    lines += [f"{k}. {text}" for k, (_, text) in enumerate(issues, start=1)] or ["无。"]
    lines += ["", HEADINGS[2]]
    lines += [f"{k}. {s}" for k, s in enumerate(review.suggestions, start=1)] or ["无。"]
    lines += ["", HEADINGS[3], review.conclusion]
    if cited:
        lines += ["", REFERENCES] + [f"[{c.n}] {cited_text(c)}" for c in cited]
    return "\n".join(lines).strip() + "\n"


def markdown(review: Review) -> str:
    issues, cited = numbered(review)
    out = [f"# {TITLE}", "", _heading_line(review), "", f"## {HEADINGS[0]}", "", review.overall,
           "", f"## {HEADINGS[1]}", ""]
    out += [f"{k}. {text}" for k, (_, text) in enumerate(issues, start=1)] or ["无。"]
    out += ["", f"## {HEADINGS[2]}", ""]
    out += [f"{k}. {s}" for k, s in enumerate(review.suggestions, start=1)] or ["无。"]
    out += ["", f"## {HEADINGS[3]}", "", f"**{review.conclusion}**", ""]
    if cited:
        out += [f"## {REFERENCES}", ""] + [f"[{c.n}] {cited_text(c)}  " for c in cited] + [""]
    out += [SIGNATURE, ""]
    if issues:
        by_id = {f.id: f for f in review.findings}
        out += ["---", "", "附：问题与检查结果对照（供评审人核对，定稿时删除）", "",
                "| 问题 | 检查项 | 规则 | 位置 |", "| --- | --- | --- | --- |"]
        for k, (issue, _) in enumerate(issues, start=1):
            for fid in issue.finding_ids:
                f = by_id[fid]
                out.append(f"| {k} | {fid} | {f.rule_id} | {_cell(f.where)} |")
        out.append("")
    return "\n".join(out)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def write_docx(review: Review, path: str | Path) -> Path:
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    issues, cited = numbered(review)
    document = docx.Document()
    _styles(document)
    for section in document.sections:
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.left_margin = section.right_margin = Mm(28)
        section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    core = document.core_properties
    core.title, core.subject = xml_text(TITLE), xml_text(review.title or review.report)
    core.author = core.last_modified_by = "cpaudit"
    _heading(document, TITLE, 0).alignment = WD_ALIGN_PARAGRAPH.CENTER
    _para(document, _heading_line(review), indent=False)
    _heading(document, HEADINGS[0], 1)
    _para(document, review.overall)
    _heading(document, HEADINGS[1], 1)
    for k, (_, text) in enumerate(issues, start=1):
        _para(document, f"{k}. {text}")
    if not issues:
        _para(document, "无。")
    _heading(document, HEADINGS[2], 1)
    for k, s in enumerate(review.suggestions, start=1):
        _para(document, f"{k}. {s}")
    if not review.suggestions:
        _para(document, "无。")
    _heading(document, HEADINGS[3], 1)
    _para(document, review.conclusion, bold=True)
    if cited:
        _heading(document, REFERENCES, 2)
        for c in cited:
            p = _para(document, f"[{c.n}] {cited_text(c)}", indent=False)
            for run in p.runs:
                run.font.size = Pt(10.5)
    document.add_paragraph()
    _para(document, SIGNATURE, indent=False).paragraph_format.space_before = Pt(24)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
    return path


def xml_text(text: str) -> str:
    """The text without the characters a DOCX (XML) cannot hold; every DOCX text goes through it."""
    return _NOT_XML.sub("", text)


def _heading(document, text: str, level: int):
    return document.add_heading(xml_text(text), level=level)


def _para(document, text: str, *, indent: bool = True, bold: bool = False):
    from docx.shared import Pt

    p = document.add_paragraph()
    if indent:
        p.paragraph_format.first_line_indent = Pt(24)  # two characters of 小四
    run = p.add_run(xml_text(text))
    run.bold = bold or None
    return p


def _styles(document) -> None:
    from docx.shared import Pt, RGBColor

    normal = document.styles["Normal"]
    set_fonts(normal, "Times New Roman", "宋体")
    normal.font.size = Pt(12)
    normal.paragraph_format.line_spacing = 1.5
    normal.paragraph_format.space_after = Pt(0)
    for name, size in (("Title", 18), ("Heading 1", 14), ("Heading 2", 12)):
        style = document.styles[name]
        set_fonts(style, "Times New Roman", "黑体")
        style.font.size = Pt(size)
        style.font.bold = False  # 黑体 is heavy already
        style.font.italic = False
        style.font.color.rgb = RGBColor(0, 0, 0)
        style.paragraph_format.space_before = Pt(12 if name != "Title" else 0)
        style.paragraph_format.space_after = Pt(6)
    pbdr = document.styles["Title"].element.pPr.find(_qn("w:pBdr"))
    if pbdr is not None:  # the Title style's bottom rule has no place in a review form
        document.styles["Title"].element.pPr.remove(pbdr)


def set_fonts(target, latin: str, east_asian: str) -> None:
    """Latin and East-Asian font of a style: python-docx's font.name sets only w:ascii/w:hAnsi;
    Word takes Chinese glyphs from w:eastAsia, and theme fonts would override both."""
    target.font.name = latin
    rfonts = target.element.get_or_add_rPr().get_or_add_rFonts()
    rfonts.set(_qn("w:eastAsia"), east_asian)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(_qn(attr), None)


def _qn(tag: str) -> str:
    from docx.oxml.ns import qn

    return qn(tag)


def terminal(review: Review, console=None) -> None:
    """The draft for the terminal, with each issue's finding ids and rule ids beside it."""
    from rich.console import Console

    from assistant.render import shown

    console = console or Console(soft_wrap=True)
    colour = {"通过": "green", "修改后通过": "yellow", "不通过": "red"}[review.verdict]
    console.print(f"[bold]{TITLE}[/bold]  {shown(_heading_line(review))}")
    console.print(f"结论 / verdict: [bold {colour}]{review.verdict}[/]  {shown(review.verdict_reason)}"
                  f"  （起草：{review.drafter}，规则：{review.verdict_profile}）")
    console.print(f"\n[bold]{HEADINGS[0]}[/bold]\n{shown(review.overall)}")
    console.print(f"\n[bold]{HEADINGS[1]}[/bold]")
    issues, cited = numbered(review)
    by_id = {f.id: f for f in review.findings}
    for k, (issue, text) in enumerate(issues, start=1):
        console.print(f"{k}. {shown(text)}")
        rules = "、".join(dict.fromkeys(by_id[f].rule_id for f in issue.finding_ids if f in by_id))
        console.print(f"   [dim]{issue.id} ← {', '.join(issue.finding_ids)}（{rules}）"
                      f"{' 已修改' if issue.status == 'edited' else ''}[/dim]")
    console.print(f"\n[bold]{HEADINGS[2]}[/bold]")
    for k, s in enumerate(review.suggestions, start=1):
        console.print(f"{k}. {shown(s)}")
    console.print(f"\n[bold]{HEADINGS[3]}[/bold]\n[bold {colour}]{shown(review.conclusion)}[/]")
    if cited:
        console.print(f"\n[bold]{REFERENCES}[/bold]")
        for c in cited:
            console.print(shown(f"[{c.n}] {cited_text(c)}"), highlight=False)
    for note in review.notes:
        console.print(f"[yellow]注：{shown(note)}[/yellow]")
