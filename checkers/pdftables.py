"""Tables in PDF and plain-text reports, best effort, from lines whose fields line up.

pypdf gives a drawn table as one line per row with cells separated by spaces; empty cells
vanish. `tabulate` turns runs of such lines into tab-separated rows (same length, so every
offset into the extracted text stays valid) for the normalizer to rebuild as table rows, and
`align_rows` puts each short row's fields back under the right columns: by where the fields
start on the page (pypdf's layout mode, `PdfLayout`) when the PDF is at hand, else by what
kind of value (number, code or text) each column holds in the complete rows.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from assistant.loader import SourceDocument, SourcePage
from assistant.structure import classify_heading
from checkers.numbers import is_dash, is_number

_FIELD_SEP = re.compile(r"[ \u3000]+")
_INNER_SEP = re.compile(r"(?<=\S)[ \u3000]+(?=\S)")  # replaced in place: offsets stay valid
_CODE = re.compile(r"^(?=.*\d)[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+$")  # QJSC-2019-0153
_UNIT_TOKEN = re.compile(r"^[A-Za-z/%·²³₂ₓ万千亿元吨年tkgm]{1,12}(?:/[A-Za-z万a]+)?$")
_MAX_FIELD = 30


def tabulate(doc: SourceDocument) -> SourceDocument:
    """A copy of a PDF/TXT document with aligned-column runs turned into tab-separated rows."""
    if doc.format not in ("pdf", "txt"):
        return doc
    pages = [SourcePage(number=p.number, text=_tabulate_text(p.text)) for p in doc.pages]
    return doc.model_copy(update={"pages": pages})


def _fields(line: str) -> list[str]:
    return [f for f in _FIELD_SEP.split(line.strip()) if f]


def _row_like(line: str, continuing: bool) -> bool:
    body = line.strip()
    if "\t" in body or not body or len(body) > 200 or body.endswith(("。", "；")):
        return False
    fields = _fields(body)
    if any(len(f) > _MAX_FIELD for f in fields):
        return False
    if len(fields) >= 3:
        return True
    # A sparse row (cells left empty) continues a table: a label and a number ("合计 818"),
    # not a numbered heading ("3 评估").
    return (continuing and len(fields) == 2 and is_number(fields[1])
            and not is_number(fields[0]) and classify_heading(body) is None)


def _tabulate_text(text: str) -> str:
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        if not _row_like(lines[i], continuing=False):
            i += 1
            continue
        j = i + 1
        while j < len(lines) and _row_like(lines[j], continuing=True):
            j += 1
        run = lines[i:j]
        if len(run) >= 2 and _looks_tabular(run):
            for k in range(i, j):
                lines[k] = _INNER_SEP.sub(lambda m: "\t" + m.group(0)[1:], lines[k])
        i = j
    return "\n".join(lines)


def _looks_tabular(run: list[str]) -> bool:
    counts = [len(_fields(line)) for line in run]
    numeric = sum(1 for line in run for f in _fields(line) if is_number(f))
    return numeric >= len(run) - 1 or (len(run) >= 3 and counts.count(counts[0]) >= len(run) - 1)


def _kind(text: str) -> str:
    text = text.strip()
    if not text:
        return "empty"
    if is_number(text) or is_dash(text):
        return "num"
    return "code" if _CODE.match(text) else "text"


Positions = Callable[[int, list[str]], list[int] | None]


def align_rows(rows: list[list[str]], pages: list[int | None] | None = None,
               positions: Positions | None = None) -> list[tuple[int, list[str]]]:
    """Pad or merge each row's fields to the header's column count: (row index, cells).

    `positions(page, fields)` gives where each field starts on the page (from the PDF's
    layout); rows it can place go under the header field starting nearest to them.
    """
    if not rows:
        return []
    header = rows[0]
    n = len(header)
    pages = pages or [None] * len(rows)
    starts: dict[int | None, list[int] | None] = {}  # header field starts per page
    full = [r for r in rows[1:] if len(r) == n]
    kinds = []
    for c in range(n):
        votes = [_kind(r[c]) for r in full if r[c].strip()]
        kinds.append(max(("num", "code", "text"), key=votes.count) if votes else "text")
    out = [(0, header)]
    for i, (row, page) in enumerate(zip(rows[1:], pages[1:], strict=False), start=1):
        if row == header:
            continue  # the header repeated at the top of the next page
        if len(row) == n:
            out.append((i, row))
            continue
        placed = None
        if positions is not None:
            # A table split across pages repeats its header: look for it on the row's page,
            # else on the table's first page. Only pages with short rows are laid out.
            for where in (page, pages[0]):
                if where not in starts:
                    starts[where] = positions(where, header)
            header_at = starts[page] or starts[pages[0]]
            placed = _place(row, header_at, positions(page, row)) if header_at else None
        out.append((i, placed or _align(row, kinds)))
    return out


def _place(row: list[str], header: list[int] | None, at: list[int] | None) -> list[str] | None:
    if header is None or at is None:
        return None
    cells = [""] * len(header)
    last = -1
    for field, x in zip(row, at, strict=True):
        options = range(last + 1, len(header))
        if not options:
            return None
        col = min(options, key=lambda c: (abs(header[c] - x), c))
        if col > last + 1 or not cells[col]:
            cells[col] = field
        last = col
    return cells


def _align(fields: list[str], kinds: list[str]) -> list[str]:
    """Assign fields, in order, to columns: each column takes zero, one or several fields."""
    m, n = len(fields), len(kinds)
    inf = float("inf")
    # best[i][j]: cost of placing fields[:i] into columns[:j]
    best = [[inf] * (n + 1) for _ in range(m + 1)]
    back: list[list[int]] = [[0] * (n + 1) for _ in range(m + 1)]
    best[0][0] = 0.0
    for j in range(1, n + 1):
        for i in range(m + 1):
            for k in range(0, min(i, 3) + 1):  # column j-1 takes fields[i-k:i]
                prev = best[i - k][j - 1]
                if prev == inf:
                    continue
                cost = prev + _cost(fields[i - k:i], kinds[j - 1], j - 1, n)
                if cost < best[i][j]:
                    best[i][j], back[i][j] = cost, k
    cells: list[str] = []
    i = m
    for j in range(n, 0, -1):
        k = back[i][j]
        cells.append(" ".join(fields[i - k:i]))
        i -= k
    return cells[::-1]


def _cost(group: list[str], kind: str, col: int, n: int) -> float:
    if not group:
        return 1.0 + 0.01 * (n - col)  # an empty cell; empties towards the right are likelier
    cost = 0.0
    for left, right in zip(group, group[1:], strict=False):
        cost += 0.5 if _UNIT_TOKEN.match(right) and not is_number(right) else 1.5
    if _kind(" ".join(group)) != kind and col > 0:
        cost += 2.0
    return cost


def _starts(lines: list[str], fields: list[str]) -> list[int] | None:
    """Columns where the fields start, on the line made of exactly these fields."""
    joined = "".join(fields)
    for line in lines:
        if "".join(line.split()) != joined:
            continue
        starts, pos = [], 0
        for field in fields:
            pos = line.find(field, pos)
            if pos < 0:
                break
            starts.append(pos)
            pos += len(field)
        if len(starts) == len(fields):
            return starts
    return None


class PdfLayout:
    """Where fields start on a PDF page, from pypdf's layout-mode text (read on demand)."""

    def __init__(self, data: bytes) -> None:
        import io

        from pypdf import PdfReader

        self._reader = PdfReader(io.BytesIO(data))
        self._pages: dict[int, list[str]] = {}

    def __call__(self, page: int, fields: list[str]) -> list[int] | None:
        if page not in self._pages:
            try:
                text = self._reader.pages[page - 1].extract_text(extraction_mode="layout")
            except Exception:  # layout extraction is a refinement: without it, fall back
                text = ""
            self._pages[page] = text.split("\n")
        return _starts(self._pages[page], fields)


def text_layout(doc: SourceDocument) -> Positions | None:
    """For a text file whose tables are aligned with runs of spaces: fields' start columns."""
    lines = [line for p in doc.pages for line in p.text.split("\n") if "  " in line.strip()]
    if doc.format != "txt" or not lines:
        return None
    return lambda page, fields: _starts(lines, fields)
