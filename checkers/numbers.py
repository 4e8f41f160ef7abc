"""Numbers as reports print them ("1,234.5", "−3", "12%", "5000元") and the marks of an empty
cell ("—", "/", "--"): one reading for the table checks and for rebuilding PDF/TXT tables."""

from __future__ import annotations

import re

_NUMBER = r"[-+−]?\d[\d,]*(?:\.(?P<decimals>\d+))?"
_BARE = re.compile(rf"^{_NUMBER}%?$")
_LEADING = re.compile(rf"^(?P<number>{_NUMBER})\s*(?P<rest>.*)$")
EMPTY_MARKS = frozenset({"—", "-", "–", "－", "/", "／", "——", "--"})


def is_number(text: str) -> bool:
    """A bare number, optionally a percentage: "1,234.5", "−3", "12%"."""
    return bool(_BARE.match(text.strip()))


def is_dash(text: str) -> bool:
    """A mark printed in a cell that has no value: "—", "/", "--"."""
    return text.strip() in EMPTY_MARKS


def is_empty(text: str) -> bool:
    return not text.strip() or is_dash(text)


def leading_number(text: str) -> tuple[float, int, str] | None:
    """(value, decimals printed, what follows) of a text starting with a number: "3.40 t/a" →
    (3.4, 2, "t/a"); None when it does not start with one. Spaces are the caller's business."""
    m = _LEADING.match(text)
    if m is None:
        return None
    number = float(m.group("number").replace(",", "").replace("−", "-"))
    return number, len(m.group("decimals") or ""), m.group("rest").strip()
