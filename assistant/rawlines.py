"""Extracted text as lines: whitespace and Markdown markup stripped, table rows split into
cells, and runs of table lines collected into rows — each piece with its offsets in the source.

Tables arrive three ways: Markdown pipe rows, tab-separated rows (DOCX tables, text exports),
and tables flattened one cell per line with rows separated by blank lines (seed 001).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_MD_HEADING = re.compile(r"^(#{1,6})\s*")
_MD_BULLET = re.compile(r"^[-*+]\s+")
_HTML_COMMENT = re.compile(r"^<!--.*-->$")
_MD_TABLE_ROW = re.compile(r"^\|.*\|$")
_MD_TABLE_RULE = re.compile(r"^\|[\s:|-]+\|$")
SPACE = " \t\u3000\r\f\v\u00a0"


@dataclass(slots=True)
class Line:
    text: str
    segments: list[tuple[int, int]]  # (source_start, length) pieces that make up text
    md_level: int = 0
    cells: list[tuple[str, list[tuple[int, int]]]] | None = None  # a tab-separated row
    lone_cell: bool = False  # one cell of a table flattened one cell per line


def read_lines(source: str) -> list[Line | None]:
    """Split into lines, stripping whitespace and markdown markup; None marks a blank line."""
    out: list[Line | None] = []
    pos = 0
    for raw in source.split("\n"):
        start, raw_len = pos, len(raw)
        pos += raw_len + 1
        lead = len(raw) - len(raw.lstrip(SPACE))
        body = raw.strip(SPACE)
        if not body and "\t" in raw:  # an empty cell of a one-cell-per-line table
            out.append(Line("", [], lone_cell=True))
            continue
        if not body or _HTML_COMMENT.match(body):
            out.append(None)
            continue
        begin = start + lead
        if _MD_TABLE_ROW.match(body):
            if not _MD_TABLE_RULE.match(body):
                out.append(Line(body, [(begin, len(body))], cells=_md_cells(body, begin)))
            continue
        if "\t" in body:
            cells = []
            cursor = begin
            for cell in body.split("\t"):
                c_lead = len(cell) - len(cell.lstrip(SPACE))
                c_body = cell.strip(SPACE)
                if c_body:
                    cells.append((c_body, [(cursor + c_lead, len(c_body))]))
                cursor += len(cell) + 1
            out.append(Line(body, [(begin, len(body))], cells=cells))
            continue
        md_level = 0
        m = _MD_HEADING.match(body) or _MD_BULLET.match(body)
        if m:
            if m.re is _MD_HEADING:
                md_level = len(m.group(1))
            body, begin = body[m.end():], begin + m.end()
        text, segments = _drop_emphasis(body, begin)
        if not text:
            out.append(None)
            continue
        out.append(Line(text, segments, md_level=md_level, lone_cell=raw[:1] == "\t"))
    return out


def _md_cells(body: str, begin: int) -> list[tuple[str, list[tuple[int, int]]]]:
    cells, cursor = [], 0
    for part in body.strip("|").split("|"):
        cursor += 1  # the "|" before this cell
        c_lead = len(part) - len(part.lstrip(SPACE))
        c_body = part.strip(SPACE)
        cells.append((c_body, [(begin + cursor + c_lead, len(c_body))] if c_body else []))
        cursor += len(part)
    return cells


def _drop_emphasis(body: str, begin: int) -> tuple[str, list[tuple[int, int]]]:
    if "**" not in body and "__" not in body:
        return body, [(begin, len(body))]
    pieces, segments, cursor = [], [], 0
    for m in re.finditer(r"\*\*|__", body):
        if m.start() > cursor:
            pieces.append(body[cursor:m.start()])
            segments.append((begin + cursor, m.start() - cursor))
        cursor = m.end()
    if cursor < len(body):
        pieces.append(body[cursor:])
        segments.append((begin + cursor, len(body) - cursor))
    return "".join(pieces), segments


def collect_table(
    lines: list[Line | None], i: int
) -> tuple[list[list[tuple[str, list[tuple[int, int]]]]], int]:
    """Collect a table starting at line i; return its rows and the index after it."""
    rows: list[list[tuple[str, list[tuple[int, int]]]]] = []
    first = lines[i]
    assert first is not None
    if first.cells is not None:  # one row per line, cells separated by tabs
        while i < len(lines) and (lines[i] is None or lines[i].cells is not None):
            if lines[i] is not None and lines[i].cells:
                rows.append(lines[i].cells)
            elif lines[i] is None and i + 1 < len(lines) and (
                lines[i + 1] is None or lines[i + 1].cells is None
            ):
                break
            i += 1
        return rows, i
    # One cell per line starting with a tab; rows separated by blank lines; a line without
    # a tab right after a cell continues that cell ("广东省工业总产值" / "（亿元）").
    row: list[tuple[str, list[tuple[int, int]]]] = []
    previous_blank = False
    while i < len(lines):
        line = lines[i]
        if line is None:
            if row:
                rows.append(row)
                row = []
            previous_blank = True
            i += 1
            continue
        if line.lone_cell:
            row.append((line.text, list(line.segments)))
        elif not previous_blank and row:
            text, segments = row[-1]
            row[-1] = (text + line.text, segments + line.segments)
        elif previous_blank and rows and len(line.text) <= 20 and _next_is_cell(lines, i + 1):
            # A merged header cell broken by a blank line ("佛山市" / "工业废水"): the row
            # that just ended goes on.
            row = rows.pop()
            text, segments = row[-1]
            row[-1] = (text + line.text, segments + line.segments)
        else:
            break
        previous_blank = False
        i += 1
    if row:
        rows.append(row)
    return rows, i


def _next_is_cell(lines: list[Line | None], j: int) -> bool:
    while j < len(lines) and lines[j] is None:
        j += 1
    return j < len(lines) and lines[j].lone_cell


