"""Tables without vertical rules (三线表, or none at all), from text runs that line up.

A table drawn with only horizontal rules, or none, reaches us as lines whose runs of text sit
apart in columns ("指标    单位    审核前    审核后"). A run of such lines whose fields line up
becomes a table: the columns are the fields of its widest line, and every field of every row
goes under the column it sits in, so a sparse row ("合计 … 17.66") keeps its values in place.
"""

from __future__ import annotations

from assistant.assemble import is_toc_entry
from assistant.readers.pdf_grid import Grid
from assistant.readers.pdf_text import Line, Seg, ascii_join
from assistant.readers.raw import RawCell

_GAP = 1.5  # fields are at least this many characters apart
_ROW_STEP = 2.6  # consecutive rows are at most this many line heights apart
_MAX_FIELD = 40


def aligned_tables(lines: list[Line]) -> list[tuple[Grid, list[Line]]]:
    """Tables found among the page's lines (in reading order), with the lines they consumed."""
    out: list[tuple[Grid, list[Line]]] = []
    i = 0
    while i < len(lines):
        j = i
        while j < len(lines) and _row_like(lines[j]) and (j == i or _next_row(lines[j - 1], lines[j])):
            j += 1
        run = lines[i:j]
        if _is_table(run):
            out.append((_grid(run), run))
            i = j
        else:
            i += 1
    return out


def _fields(line: Line) -> list[list[Seg]]:
    """The line's runs grouped into fields: runs closer than a gap belong to one field."""
    char = max(line.bottom - line.top, 6.0)
    fields: list[list[Seg]] = []
    for seg in line.segs:
        if fields and seg.x0 - fields[-1][-1].x1 < _GAP * char:
            fields[-1].append(seg)
        else:
            fields.append([seg])
    return fields


def _row_like(line: Line) -> bool:
    text = line.text
    if is_toc_entry(text) or text.endswith(("。", "；")):
        return False
    fields = _fields(line)
    return len(fields) >= 2 and all(len(_text(f)) <= _MAX_FIELD for f in fields)


def _next_row(a: Line, b: Line) -> bool:
    return 0 < b.top - a.top <= _ROW_STEP * max(a.bottom - a.top, 6.0)


def _is_table(run: list[Line]) -> bool:
    if len(run) < 2:
        return False
    counts = [len(_fields(line)) for line in run]
    if sum(1 for c in counts if c >= 3) >= 2:
        return True
    # two columns: only when the second column starts at the same place on every line
    seconds = [_fields(line)[1][0].x0 for line in run]
    return len(run) >= 3 and max(seconds) - min(seconds) <= 4


def _text(field: list[Seg]) -> str:
    out = ""
    for seg in field:
        out += (" " if ascii_join(out, seg.text) else "") + seg.text
    return out


def _grid(run: list[Line]) -> Grid:
    widest = max(run, key=lambda line: len(_fields(line)))
    columns = _fields(widest)
    # a field belongs to the column whose span (halfway to its neighbours) holds its centre
    bounds = [(a[-1].x1 + b[0].x0) / 2 for a, b in zip(columns, columns[1:], strict=False)]
    left = min(line.x0 for line in run)
    right = max(line.x1 for line in run)
    grid = Grid(xs=[left, *bounds, right], ys=[line.top for line in run] + [run[-1].bottom])
    for line in run:
        cells = [""] * len(columns)
        for field in _fields(line):
            centre = (field[0].x0 + field[-1].x1) / 2
            col = sum(1 for b in bounds if centre > b)
            cells[col] = (cells[col] + " " + _text(field)).strip() if cells[col] else _text(field)
        grid.rows.append([RawCell(text) for text in cells])
    return grid
