"""What a line of a report is: a heading (and how deep), the title, or a cover field.

Markdown/DOCX heading levels decide when the report has them; otherwise the numbering does
(assistant.structure.classify_heading, plus 第X部分 and "1 筹划和组织"). The cover's
"key：value" lines (企业名称, 行业, 编制单位 …) feed industry detection and the consultant check.
The unnumbered headings and the cover keys are data: rules/report.yaml.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from functools import lru_cache

from assistant.normalize import Paragraph as RawParagraph
from assistant.structure import CN_NUM, classify_heading

_PART = re.compile(rf"^第[{CN_NUM}\d]+部分")
_NUM_SPACE = re.compile(r"^\d{1,2}[ \u3000]+(?=\S)")
_TITLE_END = re.compile(r"报告(?:[（(][^）)]{0,12}[）)])?")
_MARKER_TAIL = re.compile(r"^[\s\u3000、．.:：]+")
_COVER_LINE = re.compile(r"^([\u4e00-\u9fff]{2,8})[：:\s]\s*(.+)$")


def heading_kind(para: RawParagraph, md_mode: bool,
                 unnumbered: Collection[str]) -> tuple[str, float, str] | None:
    """(kind, rank, marker) of a heading line, or None for body text. `unnumbered`: the
    headings a report uses without a number (前言, 结论 …)."""
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
    if text in unnumbered:
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


@lru_cache(maxsize=8)
def _cover_keys(keys: tuple[str, ...]) -> re.Pattern[str]:
    words = "|".join(map(re.escape, sorted(keys, key=len, reverse=True)))
    return re.compile(rf"(?:{words})[：:\s]")


def cover_fields(text: str, keys: Collection[str]) -> dict[str, str]:
    """"key：value" fields of a cover line, cut before each of `keys` a wrapped line runs on to."""
    pattern = _cover_keys(tuple(keys))
    cuts = [0] + [m.start() for m in pattern.finditer(text) if m.start()] + [len(text)]
    fields: dict[str, str] = {}
    for a, b in zip(cuts, cuts[1:], strict=False):
        if m := _COVER_LINE.match(text[a:b].strip()):
            fields.setdefault(m.group(1), m.group(2).strip())
    return fields
