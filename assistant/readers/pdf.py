"""PDF as people lay it out, read from where the text sits on the page (pypdfium2).

Text runs are grouped into lines by their position; lines into paragraphs by the margins and
the spacing (a line that stops short of the right margin ends its paragraph). Running headers,
footers and page numbers — lines at the top or bottom of the page that repeat across pages,
or hold only a page number — are dropped. Ruled tables are rebuilt from their drawn cell
borders: a cell that no border divides is a merged cell. A paragraph that runs over a page
break is one paragraph; a table that continues on the next page with the same columns is one
table, its repeated header row dropped.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from assistant.assemble import is_toc_entry, is_unit_row
from assistant.budget import DocumentBudget
from assistant.readers.pdf_aligned import aligned_tables
from assistant.readers.pdf_grid import Grid, fill, ruled_tables, same_columns
from assistant.readers.pdf_page import path_boxes, text_segments
from assistant.readers.pdf_pages import read_pages
from assistant.readers.pdf_text import Line, Seg, ascii_join, group_lines
from assistant.readers.raw import Raw, RawRow, RawTable, RawText
from assistant.structure import looks_like_heading_start

_PAGE_NUMBER = re.compile(
    r"^[-—–－\s]*(?:第\s*\d{1,4}\s*页(?:\s*[，,/]?\s*共\s*\d{1,4}\s*页)?|\d{1,4}(?:\s*/\s*\d{1,4})?"
    r"|[Pp]age\s*\d{1,4}(?:\s*of\s*\d{1,4})?)[-—–－\s]*$")
_TERMINAL = tuple("。！？；：:;!?）)」』】”\"…")
_FURNITURE_ZONE = 0.12  # share of the page height at the top and bottom where furniture sits


@dataclass
class _Page:
    number: int
    height: float
    lines: list[Line]
    grids: list[Grid]
    items: list[tuple[float, object]] = field(default_factory=list)  # (top, line or grid)
    chars: int = 0  # characters of text on the page (the document budget counts them)


def read_pdf(pdf, budget: DocumentBudget | None = None, data: bytes | None = None) -> list[Raw]:
    """`pdf`: an open pypdfium2.PdfDocument; `budget` stops the reading at its first excess;
    `data`, the file's bytes, lets a long file's pages be read on two cores."""
    if budget is not None:
        budget.pages(len(pdf))
    pages = read_pages(pdf, data, _read_page, budget, lambda page: page.chars)
    _drop_furniture(pages)
    for page in pages:
        _find_aligned_tables(page)
    flow = _Flow(*_margins(pages))
    for page in pages:
        for _, item in sorted(page.items, key=lambda t: t[0]):
            if isinstance(item, Grid):
                flow.table(item, page.number)
            else:
                flow.line(item)
    return flow.items


def _read_page(page, number: int) -> _Page:
    width, height = page.get_size()
    segs = text_segments(page.get_textpage(), height)
    edges = []
    for left, bottom, right, top in path_boxes(page):
        if right - left > 0.9 * width and top - bottom > 0.9 * height:
            continue  # a page border
        edges.append((left, height - top, right, height - bottom))
    grids = ruled_tables(edges)
    in_grid: dict[int, list[Seg]] = {}
    free = [] if grids else segs
    boxes = [grid.box for grid in grids]
    for seg in segs if grids else ():
        cx, cy = (seg.x0 + seg.x1) / 2, (seg.top + seg.bottom) / 2
        for k, (x0, y0, x1, y1) in enumerate(boxes):  # the first table holding its centre
            if x0 - 1 <= cx <= x1 + 1 and y0 - 1 <= cy <= y1 + 1:
                in_grid.setdefault(k, []).append(seg)
                break
        else:
            free.append(seg)
    result = _Page(number, height, group_lines(free, number), [],
                   chars=sum(len(seg.text) for seg in segs))
    for k, grid in enumerate(grids):
        fill(grid, in_grid.get(k, []))
        if any(any(c.text for c in row) for row in grid.rows):
            result.grids.append(grid)
    result.items = [(line.top, line) for line in result.lines] + \
        [(grid.ys[0], grid) for grid in result.grids]
    return result


# ---- page furniture -----------------------------------------------------------------------

def _drop_furniture(pages: list[_Page]) -> None:
    """Drop running headers, footers and page numbers: lines at the top or bottom of the page
    that hold only a page number, or whose wording (digits aside) recurs on other pages."""
    def key(line: Line) -> str:
        return re.sub(r"\d+", "#", "".join(line.text.split()))

    def edge_lines(page: _Page) -> list[Line]:
        ordered = sorted(page.items, key=lambda t: t[0])
        out = []
        for end in (ordered[:2], ordered[::-1][:2]):
            for _, item in end:
                if not isinstance(item, Line):
                    break
                zone = _FURNITURE_ZONE * page.height
                if item.top <= zone or item.bottom >= page.height - zone:
                    out.append(item)
        return out

    candidates = {id(page): edge_lines(page) for page in pages}
    counts = Counter(k for page in pages for k in {key(line) for line in candidates[id(page)]})
    repeat = max(2, (len(pages) + 1) // 3)
    for page in pages:
        drop = {id(line) for line in candidates[id(page)]
                if _PAGE_NUMBER.match(line.text) or counts[key(line)] >= repeat}
        page.items = [(top, item) for top, item in page.items if id(item) not in drop]


def _find_aligned_tables(page: _Page) -> None:
    lines = [item for _, item in sorted(page.items, key=lambda t: t[0]) if isinstance(item, Line)]
    for grid, consumed in aligned_tables(lines):
        gone = {id(line) for line in consumed}
        page.items = [(top, item) for top, item in page.items if id(item) not in gone]
        page.items.append((grid.ys[0], grid))


# ---- paragraphs ---------------------------------------------------------------------------

def _margins(pages: list[_Page]) -> tuple[float, float, float]:
    """The body's left and right edges and the usual distance between lines."""
    lines = [item for page in pages for _, item in page.items if isinstance(item, Line)]
    if not lines:
        return 0.0, 0.0, 0.0
    x0 = Counter(round(line.x0) for line in lines).most_common(1)[0][0]
    ends = sorted(line.x1 for line in lines)
    x1 = ends[int(0.9 * (len(ends) - 1))]
    steps = []
    for page in pages:
        body = [item for _, item in sorted(page.items, key=lambda t: t[0])
                if isinstance(item, Line)]
        steps += [round(b.top - a.top, 1) for a, b in zip(body, body[1:], strict=False)
                  if b.top > a.top]
    pitch = Counter(steps).most_common(1)[0][0] if steps else 0.0
    return float(x0), x1, pitch


class _Flow:
    """Lines and tables in reading order, joined into paragraphs and tables across pages."""

    def __init__(self, body_x0: float, body_x1: float, pitch: float) -> None:
        self.body_x0, self.body_x1, self.pitch = body_x0, body_x1, pitch
        self.items: list[Raw] = []
        self.last_line: Line | None = None  # the last line of the paragraph still open
        self.last_grid: Grid | None = None  # the last page's part of the table still open

    def line(self, line: Line) -> None:
        text = line.text
        open_paragraph = self.items[-1] if self.items and self.last_line is not None else None
        if isinstance(open_paragraph, RawText) and self._continues(self.last_line, line):
            joiner = " " if ascii_join(open_paragraph.text, text) else ""
            open_paragraph.pieces.append((joiner + text, line.page))
        else:
            self.items.append(RawText([(text, line.page)], size=line.size))
        self.last_line, self.last_grid = line, None

    def _continues(self, last: Line, nxt: Line) -> bool:
        """Does the paragraph whose last line is `last` go on with `nxt`?"""
        text, following = last.text, nxt.text
        char = max(last.bottom - last.top, 6.0)
        if is_toc_entry(text) or is_toc_entry(following) or looks_like_heading_start(following):
            return False
        if last.x1 < self.body_x1 - 2 * char:
            return False  # the line stops short of the margin: its paragraph ends there
        if nxt.x0 > self.body_x0 + 1.2 * char:
            return False  # an indented first line opens a new paragraph
        if nxt.page == last.page:
            # a blank line's worth of space between them ends the paragraph
            return not (self.pitch and nxt.top - last.top > 1.6 * self.pitch)
        return not text.endswith(_TERMINAL)  # over a page break, only an unfinished sentence

    def table(self, grid: Grid, page: int) -> None:
        rows = [RawRow(cells, page=page) for cells in grid.rows]
        previous = self.items[-1] if self.items else None
        if isinstance(previous, RawTable) and self.last_grid is not None \
                and previous.rows[-1].page != page and same_columns(self.last_grid, grid):
            # the unit row and the header, repeated at the top of the next page, are dropped
            texts = [[c.text for c in r.cells] for r in previous.rows]
            lead = next((n for n, t in enumerate(texts) if not is_unit_row(t)), 0) + 1
            while rows and [c.text for c in rows[0].cells] in texts[:lead]:
                rows = rows[1:]
            previous.rows.extend(rows)
        else:
            self.items.append(RawTable(rows))
        self.last_line, self.last_grid = None, grid


