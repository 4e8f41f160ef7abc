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


