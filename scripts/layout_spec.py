"""The layout-fixture source format (YAML): loading, headings, 合计 checks, shared constants.

Used by scripts/layout_docx.py and scripts/layout_pdf.py, which render one source into DOCX and
PDF; scripts/make_layout_fixtures.py and scripts/make_report_set.py drive them.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
BASE = ROOT / "tests" / "fixtures" / "layout"
SOURCES = BASE / "src"
GENERATED = BASE / "generated"
DATE = datetime(2024, 11, 30, tzinfo=UTC)
CREATOR = "cpaudit scripts/make_layout_fixtures.py"
COVERED = "^"  # a cell covered by a rowspan from the row above
SPANNED = "<"  # a header cell covered by a colspan from the cell on its left

Spec = dict[str, Any]


def load(path: Path) -> Spec:
    # BaseLoader: every scalar stays text ("18.6", "2.0", "0" exactly as written).
    return yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)


def heading_text(block: Spec, level: int) -> str:
    number = block.get("number")
    return f"{number} {block[f'h{level}']}" if number else block[f"h{level}"]


def level_of(block: Spec) -> int:
    return next((n for n in (1, 2, 3) if f"h{n}" in block), 0)


def check_totals(spec: Spec) -> None:
    """A table's 合计 row must be the sum of every row above it (on every page)."""
    for block in spec["body"]:
        table = block.get("table")
        if not table or "total" not in table:
            continue
        rows = [r for r in table["rows"] if isinstance(r, list)]
        label = table["total"]["label"]
        total = next(r for r in rows if r[0] == label)
        for col in map(int, table["total"]["columns"]):
            got = sum(Decimal(r[col]) for r in rows if r is not total and r[col])
            if got != Decimal(total[col]):
                raise SystemExit(f"{table['caption']}: column {col} sums to {got}, "
                                 f"the {label} row says {total[col]}")


def header_rows(table: Spec) -> list[list[str]]:
    """The table's header: one row (`header`) or several (`header_rows`, the last row naming the
    columns; "<" marks a cell spanned from the left, "^" one spanned from above)."""
    return table.get("header_rows") or [table["header"]]


def header_cells(rows: list[list[str]]) -> list[tuple[int, int, str, int, int]]:
    """(row, column, text, rows down, columns right) for every header cell a span does not cover."""
    cells = []
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            if text in (COVERED, SPANNED):
                continue
            right = 1
            while c + right < len(row) and row[c + right] == SPANNED:
                right += 1
            down = 1
            while r + down < len(rows) and rows[r + down][c] == COVERED:
                down += 1
            cells.append((r, c, text, down, right))
    return cells


def table_parts(table: Spec) -> list[tuple[str, Spec]]:
    """(caption, table) pieces: one, or two when the source splits the table with a 续表
    caption (`continued: {at: N, caption: 续表…}`) as a Word user does across a page."""
    cont = table.get("continued")
    if not cont:
        return [(table["caption"], table)]
    at = int(cont["at"])
    first, second = dict(table), dict(table)
    first["rows"], second["rows"] = table["rows"][:at], table["rows"][at:]
    return [(table["caption"], first), (cont["caption"], second)]
