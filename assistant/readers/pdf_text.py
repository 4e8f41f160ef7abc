"""Text on a PDF page as positioned runs and lines (pypdfium2 text rectangles)."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import chain

import numpy as np


@dataclass
class Seg:
    x0: float
    x1: float
    top: float
    bottom: float
    text: str
    size: float = 0.0  # font size of its first character


@dataclass
class Line:
    segs: list[Seg]
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
            if out and (ascii_join(out, seg.text) or seg.x0 - prev_x1 > 6):
                out += " "
            out += seg.text
            prev_x1 = seg.x1
        return out


def group_lines(segs: list[Seg], page: int) -> list[Line]:
    lines: list[Line] = []
    for seg in sorted(segs, key=lambda s: (s.top, s.x0)):
        mid = (seg.top + seg.bottom) / 2
        for line in reversed(lines[-3:]):
            if line.top - 1 <= mid <= line.bottom + 1:
                line.segs.append(seg)
                line.segs.sort(key=lambda s: s.x0)
                break
        else:
            lines.append(Line([seg], page))
    return lines


def ascii_join(left: str, right: str) -> bool:
    """Two pieces of one line or one wrapped cell need a space between them: Latin words do;
    digits split by a wrap ("10" / "0%") and Chinese do not."""
    return left[-1:].isascii() and left[-1:].isalpha() and right[:1].isascii() \
        and right[:1].isalpha()


def float_rows(rows: list[tuple[float, ...]], width: int) -> np.ndarray:
    """Equal-length tuples of floats (boxes, rule lines) as a (len, width) float64 array: the
    values np.asarray gives, without its discovery of the nesting (×2 faster on a page's runs)."""
    flat = np.fromiter(chain.from_iterable(rows), dtype=np.float64, count=width * len(rows))
    return flat.reshape(len(rows), width)
