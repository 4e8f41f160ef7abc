"""Tables in PDF and plain-text reports, best effort, from lines whose fields line up.

pypdf gives a drawn table as one line per row with cells separated by spaces; empty cells
vanish. `tabulate` turns runs of such lines into tab-separated rows (same length, so every
offset into the extracted text stays valid) for the normalizer to rebuild as table rows, and
`align_rows` puts each short row's fields back under the right columns, using what kind of
value (number or text) each column holds in the complete rows.
"""

from __future__ import annotations

import re

from assistant.loader import SourceDocument, SourcePage
from assistant.structure import classify_heading

_FIELD_SEP = re.compile(r"[ \u3000]+")
_INNER_SEP = re.compile(r"(?<=\S)[ \u3000]+(?=\S)")  # replaced in place: offsets stay valid
NUMBER = re.compile(r"^[-+−]?\d[\d,]*(?:\.\d+)?%?$")
_DASH = {"—", "-", "–", "－", "/", "——", "--"}
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
    # A sparse row (cells left empty) continues a table: two fields, one of them a number.
    return (continuing and len(fields) == 2 and any(is_number(f) for f in fields)
            and classify_heading(body) is None)


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


def is_number(text: str) -> bool:
    return bool(NUMBER.match(text.strip()))


def _kind(text: str) -> str:
    text = text.strip()
    if not text:
        return "empty"
    if is_number(text) or text in _DASH:
        return "num"
    return "text"


def align_rows(rows: list[list[str]]) -> list[list[str]]:
    """Pad or merge each row's fields to the header's column count, by column kinds."""
    if not rows:
        return rows
    header = rows[0]
    n = len(header)
    full = [r for r in rows[1:] if len(r) == n]
    kinds = []
    for c in range(n):
        votes = [_kind(r[c]) for r in full if r[c].strip()]
        kinds.append("num" if votes and votes.count("num") * 2 >= len(votes) else "text")
    out = [header]
    for row in rows[1:]:
        if row == header:
            continue  # the header repeated at the top of the next page
        out.append(row if len(row) == n else _align(row, kinds))
    return out


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
    joined = " ".join(group)
    if kind == "num" and _kind(joined) != "num":
        cost += 2.0
    if kind == "text" and _kind(joined) == "num" and col > 0:
        cost += 2.0
    return cost
