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

from assistant.assemble import Raw, RawCell, RawRow, RawTable, RawText, is_toc_entry
from assistant.structure import looks_like_heading_start

_PAGE_NUMBER = re.compile(
    r"^[-—–－\s]*(?:第\s*\d{1,4}\s*页(?:\s*[，,/]?\s*共\s*\d{1,4}\s*页)?|\d{1,4}(?:\s*/\s*\d{1,4})?"
    r"|[Pp]age\s*\d{1,4}(?:\s*of\s*\d{1,4})?)[-—–－\s]*$")
_TERMINAL = tuple("。！？；：:;!?）)」』】”\"…")
_SPACES = re.compile(r"[ \t\r\n]+")  # ASCII spaces and line ends; an ideographic space stays
_EDGE = 2.5  # a drawn path thinner than this (pt) is a rule line
_SNAP = 2.5  # border coordinates closer than this are the same border
_FURNITURE_ZONE = 0.12  # share of the page height at the top and bottom where furniture sits


@dataclass
class _Seg:
    x0: float
    x1: float
    top: float
    bottom: float
    text: str
    size: float = 0.0  # font size of its first character


@dataclass
class _Line:
    segs: list[_Seg]
    page: int

    @property
    def x0(self) -> float:
        return self.segs[0].x0

    @property
    def x1(self) -> float:
        return self.segs[-1].x1

    @property
    def top(self) -> float:
        return min(s.top for s in self.segs)

    @property
    def bottom(self) -> float:
        return max(s.bottom for s in self.segs)

    @property
    def size(self) -> float:
        return max(s.size for s in self.segs)

    @property
    def text(self) -> str:
        out, prev_x1 = "", 0.0
        for seg in self.segs:
            # runs apart on one line (a gap, or two Latin words) are separated by a space
            if out and (_ascii_join(out, seg.text) or seg.x0 - prev_x1 > 6):
                out += " "
            out += seg.text
            prev_x1 = seg.x1
        return out


@dataclass
class _Grid:
    """A ruled table on one page: its borders and the cells between them."""

    xs: list[float]
    ys: list[float]
    rows: list[list[RawCell]] = field(default_factory=list)
    origin: list[list[tuple[int, int]]] = field(default_factory=list)  # where each merge starts

    @property
    def box(self) -> tuple[float, float, float, float]:
        return self.xs[0], self.ys[0], self.xs[-1], self.ys[-1]


@dataclass
class _Page:
    number: int
    height: float
    lines: list[_Line]
    grids: list[_Grid]
    items: list[tuple[float, object]] = field(default_factory=list)  # (top, line or grid)


def read_pdf(pdf) -> list[Raw]:
    """`pdf`: an open pypdfium2.PdfDocument."""
    pages = [_read_page(pdf[i], i + 1) for i in range(len(pdf))]
    _drop_furniture(pages)
    flow = _Flow(*_margins(pages))
    for page in pages:
        for _, item in sorted(page.items, key=lambda t: t[0]):
            if isinstance(item, _Grid):
                flow.table(item, page.number)
            else:
                flow.line(item)
    return flow.items


def _read_page(page, number: int) -> _Page:
    import pypdfium2.raw as pdfium_c

    width, height = page.get_size()
    textpage = page.get_textpage()
    segs = []
    for i in range(textpage.count_rects()):
        left, bottom, right, top = textpage.get_rect(i)
        text = _SPACES.sub(" ", textpage.get_text_bounded(left, bottom, right, top)).strip()
        if text:
            first = textpage.get_index(left + 1, (bottom + top) / 2, 2, 2)
            size = pdfium_c.FPDFText_GetFontSize(textpage.raw, first) if first is not None and first >= 0 else 0.0
            segs.append(_Seg(left, right, height - top, height - bottom, text, size))
    edges = []
    for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH], max_depth=3):
        left, bottom, right, top = obj.get_bounds()
        if right - left > 0.9 * width and top - bottom > 0.9 * height:
            continue  # a page border
        edges.append((left, height - top, right, height - bottom))
    grids = _grids(edges)
    in_grid: dict[int, list[_Seg]] = {}
    free = []
    for seg in segs:
        cx, cy = (seg.x0 + seg.x1) / 2, (seg.top + seg.bottom) / 2
        g = next((k for k, grid in enumerate(grids) if _inside(grid.box, cx, cy)), None)
        if g is None:
            free.append(seg)
        else:
            in_grid.setdefault(g, []).append(seg)
    result = _Page(number, height, _lines(free, number), [])
    for k, grid in enumerate(grids):
        _fill(grid, in_grid.get(k, []))
        if any(any(c.text for c in row) for row in grid.rows):
            result.grids.append(grid)
    result.items = [(line.top, line) for line in result.lines] + \
        [(grid.ys[0], grid) for grid in result.grids]
    return result


def _inside(box: tuple[float, float, float, float], x: float, y: float) -> bool:
    return box[0] - 1 <= x <= box[2] + 1 and box[1] - 1 <= y <= box[3] + 1


def _lines(segs: list[_Seg], page: int) -> list[_Line]:
    lines: list[_Line] = []
    for seg in sorted(segs, key=lambda s: (s.top, s.x0)):
        mid = (seg.top + seg.bottom) / 2
        for line in reversed(lines[-3:]):
            if line.top - 1 <= mid <= line.bottom + 1:
                line.segs.append(seg)
                line.segs.sort(key=lambda s: s.x0)
                break
        else:
            lines.append(_Line([seg], page))
    return lines


# ---- ruled tables -------------------------------------------------------------------------

def _grids(boxes: list[tuple[float, float, float, float]]) -> list[_Grid]:
    """Tables from drawn paths: rule lines and cell rectangles, grouped where they touch."""
    horizontal, vertical = [], []  # (fixed, from, to)
    for x0, y0, x1, y1 in boxes:
        w, h = x1 - x0, y1 - y0
        if h <= _EDGE and w > _EDGE:
            horizontal.append(((y0 + y1) / 2, x0, x1))
        elif w <= _EDGE and h > _EDGE:
            vertical.append(((x0 + x1) / 2, y0, y1))
        elif w > _EDGE and h > _EDGE:  # a cell rectangle: its four sides
            horizontal += [(y0, x0, x1), (y1, x0, x1)]
            vertical += [(x0, y0, y1), (x1, y0, y1)]
    groups = _touching(horizontal, vertical)
    grids = []
    for hs, vs in groups:
        ys = _snap([y for y, _, _ in hs])
        xs = _snap([x for x, _, _ in vs])
        if len(ys) >= 2 and len(xs) >= 2:
            grid = _Grid(xs, ys)
            grid.rows = _cells(grid, hs, vs)
            grids.append(grid)
    return grids


def _touching(horizontal, vertical):
    """Connected groups of rule lines (a horizontal and a vertical line touch when they cross)."""
    parent = list(range(len(horizontal) + len(vertical)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, (y, hx0, hx1) in enumerate(horizontal):
        for j, (x, vy0, vy1) in enumerate(vertical):
            if hx0 - _SNAP <= x <= hx1 + _SNAP and vy0 - _SNAP <= y <= vy1 + _SNAP:
                parent[find(i)] = find(len(horizontal) + j)
    groups: dict[int, tuple[list, list]] = {}
    for i, h in enumerate(horizontal):
        groups.setdefault(find(i), ([], []))[0].append(h)
    for j, v in enumerate(vertical):
        groups.setdefault(find(len(horizontal) + j), ([], []))[1].append(v)
    return list(groups.values())


def _snap(values: list[float]) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > _SNAP:
            out.append(v)
    return out


def _covered(lines, fixed: float, along: float) -> bool:
    return any(abs(f - fixed) <= _SNAP and a - _SNAP <= along <= b + _SNAP for f, a, b in lines)


def _cells(grid: _Grid, hs, vs) -> list[list[RawCell]]:
    """Grid cells, each pointing at the cell its merge starts from (no border between them)."""
    nrows, ncols = len(grid.ys) - 1, len(grid.xs) - 1
    origin = [[(r, c) for c in range(ncols)] for r in range(nrows)]
    for r in range(nrows):
        y_mid = (grid.ys[r] + grid.ys[r + 1]) / 2
        for c in range(ncols):
            x_mid = (grid.xs[c] + grid.xs[c + 1]) / 2
            if c > 0 and not _covered(vs, grid.xs[c], y_mid):
                origin[r][c] = origin[r][c - 1]
            elif r > 0 and not _covered(hs, grid.ys[r], x_mid):
                origin[r][c] = origin[r - 1][c]
    grid.origin = origin
    return [[RawCell("") for _ in range(ncols)] for _ in range(nrows)]


def _fill(grid: _Grid, segs: list[_Seg]) -> None:
    nrows, ncols = len(grid.rows), len(grid.xs) - 1
    texts: dict[tuple[int, int], list[_Seg]] = {}
    for seg in segs:
        cx, cy = (seg.x0 + seg.x1) / 2, (seg.top + seg.bottom) / 2
        r = max(0, min(nrows - 1, _slot(grid.ys, cy)))
        c = max(0, min(ncols - 1, _slot(grid.xs, seg.x0 + 1 if seg.x1 - seg.x0 > 40 else cx)))
        texts.setdefault(grid.origin[r][c], []).append(seg)
    for r in range(nrows):
        for c in range(ncols):
            o = grid.origin[r][c]
            if o == (r, c):
                grid.rows[r][c] = RawCell(_cell_text(texts.get(o, [])))
            elif o[0] == r:
                grid.rows[r][c] = RawCell("", "col")
            else:
                above = grid.rows[r - 1][c]
                grid.rows[r][c] = RawCell(above.text, "row" if above.merged != "col" else "col")
    grid.rows = [row for row in grid.rows if any(c.text for c in row) or not row]


def _slot(bounds: list[float], v: float) -> int:
    for i in range(len(bounds) - 1):
        if v < bounds[i + 1]:
            return i
    return len(bounds) - 2


def _cell_text(segs: list[_Seg]) -> str:
    lines = _lines(segs, 0)
    out = ""
    for line in lines:
        out += (" " if _ascii_join(out, line.text) else "") + line.text
    return out


# ---- page furniture -----------------------------------------------------------------------

def _drop_furniture(pages: list[_Page]) -> None:
    """Drop running headers, footers and page numbers: lines at the top or bottom of the page
    that hold only a page number, or whose wording (digits aside) recurs on other pages."""
    def key(line: _Line) -> str:
        return re.sub(r"\d+", "#", "".join(line.text.split()))

    def edge_lines(page: _Page) -> list[_Line]:
        ordered = sorted(page.items, key=lambda t: t[0])
        out = []
        for end in (ordered[:2], ordered[::-1][:2]):
            for _, item in end:
                if not isinstance(item, _Line):
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


# ---- paragraphs ---------------------------------------------------------------------------

def _margins(pages: list[_Page]) -> tuple[float, float, float]:
    """The body's left and right edges and the usual distance between lines."""
    lines = [item for page in pages for _, item in page.items if isinstance(item, _Line)]
    if not lines:
        return 0.0, 0.0, 0.0
    x0 = Counter(round(line.x0) for line in lines).most_common(1)[0][0]
    ends = sorted(line.x1 for line in lines)
    x1 = ends[int(0.9 * (len(ends) - 1))]
    steps = []
    for page in pages:
        body = [item for _, item in sorted(page.items, key=lambda t: t[0])
                if isinstance(item, _Line)]
        steps += [round(b.top - a.top, 1) for a, b in zip(body, body[1:], strict=False)
                  if b.top > a.top]
    pitch = Counter(steps).most_common(1)[0][0] if steps else 0.0
    return float(x0), x1, pitch


class _Flow:
    """Lines and tables in reading order, joined into paragraphs and tables across pages."""

    def __init__(self, body_x0: float, body_x1: float, pitch: float) -> None:
        self.body_x0, self.body_x1, self.pitch = body_x0, body_x1, pitch
        self.items: list[Raw] = []
        self.last_line: _Line | None = None  # the last line of the paragraph still open
        self.last_grid: _Grid | None = None  # the last page's part of the table still open

    def line(self, line: _Line) -> None:
        text = line.text
        open_paragraph = self.items[-1] if self.items and self.last_line is not None else None
        if isinstance(open_paragraph, RawText) and self._continues(self.last_line, line):
            joiner = " " if _ascii_join(open_paragraph.text, text) else ""
            open_paragraph.pieces.append((joiner + text, line.page))
        else:
            self.items.append(RawText([(text, line.page)], size=line.size))
        self.last_line, self.last_grid = line, None

    def _continues(self, last: _Line, nxt: _Line) -> bool:
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

    def table(self, grid: _Grid, page: int) -> None:
        rows = [RawRow(cells, page=page) for cells in grid.rows]
        previous = self.items[-1] if self.items else None
        if isinstance(previous, RawTable) and self.last_grid is not None \
                and previous.rows[-1].page != page and _same_columns(self.last_grid, grid):
            header = [c.text for c in previous.rows[0].cells]
            if rows and [c.text for c in rows[0].cells] == header:
                rows = rows[1:]  # the header repeated at the top of the next page
            previous.rows.extend(rows)
        else:
            self.items.append(RawTable(rows))
        self.last_line, self.last_grid = None, grid


def _ascii_join(left: str, right: str) -> bool:
    return left[-1:].isascii() and left[-1:].isalnum() and right[:1].isascii() \
        and right[:1].isalnum()


# ---- tables -------------------------------------------------------------------------------

def _same_columns(a: _Grid, b: _Grid) -> bool:
    return len(a.xs) == len(b.xs) and all(abs(x - y) <= 3 for x, y in zip(a.xs, b.xs, strict=True))
