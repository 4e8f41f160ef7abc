"""Ruled tables on a PDF page, rebuilt from their drawn borders.

Rule lines and cell rectangles that touch form one table; the distinct border positions give
its grid, and a grid cell with no border between it and its neighbour is part of a merged
cell: across columns it is left empty (merged "col"), down rows it repeats the text (merged
"row"), so every value stays under its own header and each member row keeps its department.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

import numpy as np

from assistant.readers.pdf_text import Seg, ascii_join, float_rows, group_lines
from assistant.readers.raw import RawCell

_EDGE = 2.5  # a drawn path thinner than this (pt) is a rule line
_SNAP = 2.5  # border coordinates closer than this are the same border


@dataclass
class Grid:
    """A ruled table on one page: its borders and the cells between them."""

    xs: list[float]
    ys: list[float]
    rows: list[list[RawCell]] = field(default_factory=list)  # a ruled table's: by `fill`
    origin: list[list[tuple[int, int]]] = field(default_factory=list)  # where each merge starts

    @property
    def box(self) -> tuple[float, float, float, float]:
        return self.xs[0], self.ys[0], self.xs[-1], self.ys[-1]


def ruled_tables(boxes: list[tuple[float, float, float, float]]) -> list[Grid]:
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
            grid = Grid(xs, ys)
            grid.origin = _origins(grid, hs, vs)
            grids.append(grid)
    return grids


def _touching(horizontal, vertical):
    """Connected groups of rule lines (a horizontal and a vertical line touch when they cross)."""
    n_h = len(horizontal)
    label = np.arange(n_h + len(vertical))  # each line's group: the least line index in it
    if horizontal and vertical:
        # Every (horizontal, vertical) pair tested at once, and the groups joined in numpy:
        # a Python union per crossing cost more than the rest of the page's tables.
        h, v = float_rows(horizontal, 3), float_rows(vertical, 3)
        y, hx0, hx1 = h[:, 0, None], h[:, 1, None], h[:, 2, None]
        x, vy0, vy1 = v[None, :, 0], v[None, :, 1], v[None, :, 2]
        crossing = (hx0 - _SNAP <= x) & (x <= hx1 + _SNAP) & (vy0 - _SNAP <= y) & (y <= vy1 + _SNAP)
        label = _components(label, *np.nonzero(crossing), n_h)
    groups: dict[int, tuple[list, list]] = {}
    labels = label.tolist()  # Python ints: a numpy scalar per line costs more than the line
    for h, group in zip(horizontal, labels[:n_h], strict=True):
        groups.setdefault(group, ([], []))[0].append(h)
    for v, group in zip(vertical, labels[n_h:], strict=True):
        groups.setdefault(group, ([], []))[1].append(v)
    return list(groups.values())


def _components(label: np.ndarray, hi: np.ndarray, vj: np.ndarray, n_h: int) -> np.ndarray:
    """Each line's group as the least line index in it, given the crossing pairs: the root of
    every pair's ends is hooked to the smaller label, then labels jump to their roots, until
    both ends of every pair agree (union-find, a whole round of pairs at a time)."""
    a, b = hi.astype(np.int64), vj.astype(np.int64) + n_h
    while True:
        low = np.minimum(label[a], label[b])
        np.minimum.at(label, label[a], low)
        np.minimum.at(label, label[b], low)
        while True:
            jumped = label[label]
            if (jumped == label).all():
                break
            label = jumped
        if (label[a] == label[b]).all():
            return label


def _snap(values: list[float]) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > _SNAP:
            out.append(v)
    return out


def _covered(lines, fixed: np.ndarray, along: np.ndarray) -> np.ndarray:
    """covered[i, j]: a line of `lines` (fixed, from, to) lies at fixed[i] and spans along[j]
    — the same float comparisons as a test per line, for every border and midpoint at once."""
    if not lines:
        return np.zeros((len(fixed), len(along)), dtype=bool)
    f, a, b = float_rows(lines, 3).T
    at = np.abs(f[None, :] - fixed[:, None]) <= _SNAP  # (borders, lines)
    spans = (a[None, :] - _SNAP <= along[:, None]) & (along[:, None] <= b[None, :] + _SNAP)
    return (at[:, None, :] & spans[None, :, :]).any(axis=2)


def _origins(grid: Grid, hs, vs) -> list[list[tuple[int, int]]]:
    """For each grid cell, the cell its merge starts from (no border between them)."""
    nrows, ncols = len(grid.ys) - 1, len(grid.xs) - 1
    xs, ys = np.asarray(grid.xs), np.asarray(grid.ys)
    x_mids, y_mids = (xs[:-1] + xs[1:]) / 2, (ys[:-1] + ys[1:]) / 2
    v_border = _covered(vs, xs, y_mids).tolist()  # [c][r]: a vertical border left of (r, c)
    h_border = _covered(hs, ys, x_mids).tolist()  # [r][c]: a horizontal border above (r, c)
    origin = [[(r, c) for c in range(ncols)] for r in range(nrows)]
    for r in range(nrows):
        for c in range(ncols):
            if c > 0 and not v_border[c][r]:
                origin[r][c] = origin[r][c - 1]
            elif r > 0 and not h_border[r][c]:
                origin[r][c] = origin[r - 1][c]
    return origin


def fill(grid: Grid, segs: list[Seg]) -> None:
    """The cells of a ruled table from the runs of text inside it."""
    nrows, ncols = len(grid.ys) - 1, len(grid.xs) - 1
    texts: dict[tuple[int, int], list[Seg]] = {}
    for seg in segs:  # a slot is always a row (column) of the grid: no clamping
        cx, cy = (seg.x0 + seg.x1) / 2, (seg.top + seg.bottom) / 2
        r = _slot(grid.ys, cy)
        c = _slot(grid.xs, seg.x0 + 1 if seg.x1 - seg.x0 > 40 else cx)
        texts.setdefault(grid.origin[r][c], []).append(seg)
    rows: list[list[RawCell]] = []
    for r in range(nrows):
        row: list[RawCell] = []
        for c in range(ncols):
            o = grid.origin[r][c]
            if o == (r, c):
                row.append(RawCell(_cell_text(texts.get(o, []))))
            elif o[0] == r:
                row.append(RawCell("", "col"))
            else:
                above = rows[r - 1][c]
                row.append(RawCell(above.text, "row" if above.merged != "col" else "col"))
        rows.append(row)
    grid.rows = [row for row in rows if any(c.text for c in row) or not row]


def _slot(bounds: list[float], v: float) -> int:
    """The first i with v < bounds[i + 1] (the borders are sorted), else the last slot: always
    one of 0 … len(bounds) - 2."""
    return bisect.bisect_right(bounds, v, 1, len(bounds) - 1) - 1


def _cell_text(segs: list[Seg]) -> str:
    if len(segs) <= 1:  # most cells: one run, or none (what the lines below give for them)
        return segs[0].text if segs else ""
    lines = group_lines(segs, 0)
    out = ""
    for line in lines:
        out += (" " if ascii_join(out, line.text) else "") + line.text
    return out


def same_columns(a: Grid, b: Grid) -> bool:
    return len(a.xs) == len(b.xs) and all(abs(x - y) <= 3 for x, y in zip(a.xs, b.xs, strict=True))
