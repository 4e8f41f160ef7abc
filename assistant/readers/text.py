"""Markdown and plain text: paragraphs rejoined, tables rebuilt, headings by "#" or numbering.

Extracted Chinese text breaks sentences across lines (seed 002 splits "清" / "洁生产" across a
blank line) and flattens tables one cell per line (seed 001). Tables arrive as Markdown pipe
rows, tab-separated rows, columns aligned with runs of spaces, or one cell per line; all
become the same table rows.
"""

from __future__ import annotations

import re

from assistant.budget import checkpoint
from assistant.rawlines import Line, collect_table, read_lines
from assistant.readers.raw import Raw, RawCell, RawRow, RawTable, RawText
from assistant.structure import classify_heading, looks_like_heading_start

# A line ending in one of these closes its sentence or clause list; otherwise it continues.
_TERMINAL = set("。！？；：:;!?）)」』】”\"…")
_MIN_WRAPPED_LINE = 20
_ALIGNED_GAP = re.compile(r"[ \u3000]{2,}")


def read_text(text: str) -> list[Raw]:
    text = _tabs_for_aligned_columns(text)
    lines = read_lines(text)
    items: list[Raw] = []
    i = 0
    while i < len(lines):
        checkpoint()
        line = lines[i]
        if line is None:
            i += 1
            continue
        if line.cells is not None or line.lone_cell:
            rows, i = collect_table(lines, i)
            items.append(RawTable([RawRow([RawCell(t) for t in cells]) for cells in rows]))
            continue
        group = [line]
        i += 1
        while _continues(group[-1], lines, i):
            while lines[i] is None:
                i += 1
            group.append(lines[i])
            i += 1
        items.append(RawText([(_join(group), None)], style_level=group[0].md_level,
                             list_marker=group[0].bullet))
    return items


def _join(group: list[Line]) -> str:
    text = group[0].text
    for prev, line in zip(group, group[1:], strict=False):
        text += (" " if _needs_space(prev.text, line.text) else "") + line.text
    return text


def _needs_space(left: str, right: str) -> bool:
    return left[-1:].isascii() and left[-1:].isalnum() and right[:1].isascii() \
        and right[:1].isalnum()


def _continues(last: Line, lines: list[Line | None], i: int) -> bool:
    """Does the paragraph ending with `last` continue on the next non-blank line?"""
    j = i
    while j < len(lines) and lines[j] is None:
        j += 1
    if j >= len(lines):
        return False
    nxt = lines[j]
    if nxt.cells is not None or nxt.lone_cell or nxt.md_level or last.md_level or nxt.bullet:
        return False
    if last.text[-1] in _TERMINAL or looks_like_heading_start(nxt.text):
        return False
    # Only long lines get wrapped; a short unpunctuated line is a title, a 文号 or a date.
    if len(last.text) < _MIN_WRAPPED_LINE:
        return False
    # A short numbered line with no closing punctuation is a heading, not a broken sentence;
    # a law article (第X条 …) always carries text, so its first line may wrap.
    heading = classify_heading(last.text)
    return not (len(last.text) <= 30 and heading is not None and heading.kind != "article")


def _tabs_for_aligned_columns(text: str) -> str:
    """Runs of two or more lines whose fields are separated by wide gaps ("指标    审核前    审核后")
    become tab-separated rows, as a table exported to text lays them out."""
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        j = i
        while j < len(lines) and _aligned_row(lines[j]):
            j += 1
        if j - i >= 2:
            for k in range(i, j):
                lines[k] = _ALIGNED_GAP.sub("\t", lines[k].strip())
        i = max(j, i + 1)
    return "\n".join(lines)


def _aligned_row(line: str) -> bool:
    body = line.strip()
    if not body or "\t" in body or body.startswith("|") or body.endswith(("。", "；")):
        return False
    fields = _ALIGNED_GAP.split(body)
    return len(fields) >= 3 and all(len(f) <= 30 for f in fields)
