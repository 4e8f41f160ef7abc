"""What a line of a report is: a heading (and how deep), the title, or a cover field.

Markdown/DOCX heading levels decide when the report has them; otherwise the numbering does
(assistant.structure.classify_heading, plus 第X部分 and "1 筹划和组织"). The cover's
"key：value" lines (企业名称, 行业, 编制单位 …) feed industry detection and the consultant check.
"""

from __future__ import annotations

import re

from assistant.normalize import Paragraph as RawParagraph
from assistant.structure import CN_NUM, classify_heading

# Unnumbered headings a report uses at its top level.
UNNUMBERED = {"前言", "概述", "总论", "结论", "结论与建议", "总结", "摘要", "目录", "附件", "附录",
              "附表", "附图", "审核结论"}
_PART = re.compile(rf"^第[{CN_NUM}\d]+部分")
_NUM_SPACE = re.compile(r"^\d{1,2}[ \u3000]+(?=\S)")
_TITLE_END = re.compile(r"报告(?:[（(][^）)]{0,12}[）)])?")
_MARKER_TAIL = re.compile(r"^[\s\u3000、．.:：]+")
_COVER_LINE = re.compile(r"^([\u4e00-\u9fff]{2,8})[：:\s]\s*(.+)$")
# Cover fields a wrapped PDF line may run together ("…有限公司日期：2024年12月").
_COVER_KEYS = re.compile(r"(?:企业名称|单位名称|所属行业|行业|企业地址|地址|编制单位|咨询机构|技术服务单位|"
                         r"审核周期|审核期|编制日期|日期|法定代表人)[：:\s]")


def heading_kind(para: RawParagraph, md_mode: bool) -> tuple[str, float, str] | None:
    """(kind, rank, marker) of a heading line, or None for body text."""
    text = para.text.strip()
    if md_mode:
        if not para.md_level:
            return None
        heading = classify_heading(text)
        m = _PART.match(text) or _NUM_SPACE.match(text)
        marker = heading.marker if heading else (m.group(0).strip() if m else "")
        return "markdown", float(para.md_level), marker
    if len(text) > 40 or text.endswith(("。", "；", "，", "：", ":")) or "。" in text:
        return None
    if text in UNNUMBERED:
        return "unnumbered", 0.0, ""
    if m := _PART.match(text):
        return "part", 2.0, m.group(0)
    heading = classify_heading(text)
    if heading is not None and heading.kind not in ("article", "attachment", "box"):
        return heading.kind, heading.rank, heading.marker
    if (m := _NUM_SPACE.match(text)) and len(text) <= 25:
        return "num", 7.0, m.group(0).strip()
    return None


def title_index(paras: list[RawParagraph], md_mode: bool) -> int | None:
    """The report's title: one of the first lines, naming a 报告."""
    for i, para in enumerate(paras[:3]):
        if para.cells is None and "报告" in para.text and (para.md_level or not md_mode):
            return i
    return None


def split_title(text: str) -> tuple[str, str]:
    """"…审核报告企业名称：…" → ("…审核报告", "企业名称：…"): a wrapped PDF title line runs
    into the next line of the cover."""
    m = _TITLE_END.search(text)
    if m is None:
        return text.strip(), ""
    return text[: m.end()].strip(), text[m.end():].strip()


def strip_marker(text: str, marker: str) -> str:
    if marker and text.startswith(marker):
        text = _MARKER_TAIL.sub("", text[len(marker):])
    return text.strip()


def cover_fields(text: str) -> dict[str, str]:
    cuts = [0] + [m.start() for m in _COVER_KEYS.finditer(text) if m.start()] + [len(text)]
    fields: dict[str, str] = {}
    for a, b in zip(cuts, cuts[1:], strict=False):
        if m := _COVER_LINE.match(text[a:b].strip()):
            fields.setdefault(m.group(1), m.group(2).strip())
    return fields
