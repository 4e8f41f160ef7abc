"""Plain and Markdown text as lines: whitespace and Markdown markup stripped, table rows split
into cells, and runs of table lines collected into rows.

Tables arrive three ways: Markdown pipe rows, tab-separated rows (text exports, empty cells
kept: "审核领导小组\\t\\t\\t" is a row whose other cells are empty), and tables flattened one
cell per line with rows separated by blank lines (seed 001: each cell "\\t…" on its own line).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_MD_HEADING = re.compile(r"^(#{1,6})\s*")
_MD_BULLET = re.compile(r"^[-*+]\s+")
_HTML_COMMENT = re.compile(r"^<!--.*-->$")
_MD_TABLE_ROW = re.compile(r"^\|.*\|$")
_MD_TABLE_RULE = re.compile(r"^\|[\s:|-]+\|$")
_EMPHASIS = re.compile(r"\*\*|__")
SPACE = " \t\u3000\r\f\v\u00a0"
_NOT_TAB = " \u3000\r\f\v\u00a0"


@dataclass(slots=True)
class Line:
    text: str
    md_level: int = 0
    cells: list[str] | None = None  # a table row (pipe or tab separated)
    lone_cell: bool = False  # one cell of a table flattened one cell per line
    bullet: str | None = None  # the Markdown list marker the line opened with


def read_lines(source: str) -> list[Line | None]:
    """Split into lines, stripping whitespace and markdown markup; None marks a blank line."""
    out: list[Line | None] = []
    for raw in source.split("\n"):
        body = raw.strip(SPACE)
        if not body and "\t" in raw:  # an empty cell of a one-cell-per-line table
            out.append(Line("", lone_cell=True))
            continue
        if not body or _HTML_COMMENT.match(body):
            out.append(None)
            continue
        if _MD_TABLE_ROW.match(body):
            if not _MD_TABLE_RULE.match(body):
                cells = [_EMPHASIS.sub("", c).strip(SPACE) for c in body.strip("|").split("|")]
                out.append(Line(body, cells=cells))
            continue
        fields = raw.strip(_NOT_TAB).split("\t")
        filled = [f for f in fields if f.strip(SPACE)]
        if len(fields) > 1 and not (raw[:1] == "\t" and len(filled) == 1):
            out.append(Line(body, cells=[f.strip(SPACE) for f in fields]))
            continue
        md_level, bullet = 0, None
        m = _MD_HEADING.match(body) or _MD_BULLET.match(body)
        if m:
            if m.re is _MD_HEADING:
                md_level = len(m.group(1))
            else:
                bullet = m.group(0).strip()
            body = body[m.end():]
        text = _EMPHASIS.sub("", body).strip(SPACE)
        if not text:
            out.append(None)
            continue
        out.append(Line(text, md_level=md_level, lone_cell=raw[:1] == "\t", bullet=bullet))
    return out


def collect_table(lines: list[Line | None], i: int) -> tuple[list[list[str]], int]:
    """Collect a table starting at line i; return its rows and the index after it."""
    rows: list[list[str]] = []
    first = lines[i]
    assert first is not None
    if first.cells is not None:  # one row per line
        while i < len(lines) and (lines[i] is None or lines[i].cells is not None):
            if lines[i] is not None:
                rows.append(lines[i].cells)
            elif i + 1 < len(lines) and (lines[i + 1] is None or lines[i + 1].cells is None):
                break
            i += 1
        return rows, i
    # One cell per line starting with a tab; rows separated by blank lines; a line without
    # a tab right after a cell continues that cell ("广东省工业总产值" / "（亿元）").
    row: list[str] = []
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
            row.append(line.text)
        elif not previous_blank and row:
            row[-1] += line.text
        elif previous_blank and rows and len(line.text) <= 20 and _next_is_cell(lines, i + 1):
            # A merged header cell broken by a blank line ("佛山市" / "工业废水"): the row
            # that just ended goes on.
            row = rows.pop()
            row[-1] += line.text
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
