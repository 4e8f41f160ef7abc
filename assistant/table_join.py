"""One table from its parts: a table continued under a 续表 caption, or repeated with its header
right after itself, is one table for sums and row lookups, in every format.

A report splits a long table by hand ("续表4-1 清洁生产方案汇总表" on the next page, the unit row
and the header repeated) or Word repeats it as a second table after a page break. Its 合计
sums both parts and its rows are looked up as one list, so the parts are joined here, once,
before the blocks are typed; the PDF reader already joins a table that runs over a page break
without a caption (assistant.readers.pdf).
"""

from __future__ import annotations

import re

from assistant.numbers import is_number
from assistant.readers.raw import Raw, RawRow, RawTable, RawText
from assistant.textfold import simplified

_NUMBER = r"[\dA-Za-z一二三四五六七八九十]+(?:\s*[-－—.．]\s*[\dA-Za-z]+)*"
# "表6-1", "续表6-1" (assistant.assemble.table_label cuts it from a caption)
TABLE_LABEL = re.compile(r"^(?:续)?表\s*[\dA-Za-z一二三四五六七八九十]+(?:[-－—.．][\dA-Za-z]+)*")
# "单位：万元", "（计量单位：t/a）": a table's unit, as a row of its own or a line above it
UNIT_LINE = re.compile(r"^[（(]?(?:计量)?单位\s*[:：]\s*(?P<unit>[^（）()]{1,20})[）)]?$")
# "续表4-1 …", "续表 4-1", "表4-1（续）", "续表", "（续表）", "续上表"
_CONTINUED = re.compile(
    rf"^(?:续\s*表\s*(?P<a>{_NUMBER})?|表\s*(?P<b>{_NUMBER})\s*[（(]\s*续\s*[）)]"
    r"|[（(]?\s*续\s*上?\s*表\s*[）)]?$)")
_MAX_HEADER_ROWS = 4  # header rows, a unit row and a second header row at most


def continuation_number(text: str) -> str | None:
    """"续表4-1 方案汇总" → "4-1"; "续表" → ""; None when the line is not a 续表 caption."""
    m = _CONTINUED.match(simplified(text.strip()))
    if not m:
        return None
    return _norm(m.group("a") or m.group("b") or "")


_DASHES = str.maketrans({"－": "-", "—": "-", "．": "."})


def _norm(number: str) -> str:
    return "".join(number.split()).translate(_DASHES)


def _caption_number(text: str) -> str | None:
    m = TABLE_LABEL.match(simplified(text.strip()))
    return _norm(m.group().lstrip("续")[1:]) if m else None


def join_continued_tables(items: list[Raw]) -> list[Raw]:
    """The items with every continuation appended to the table it continues: its 续表 caption
    (and a unit line under it) dropped, its repeated header and unit rows dropped."""
    out: list[Raw] = []
    for item in items:
        if isinstance(item, RawTable) and (k := _continues(out, item)) is not None:
            table = out[k]
            assert isinstance(table, RawTable)
            del out[k + 1:]
            table.rows.extend(_without_repeated_header(table, item))
            continue
        out.append(item)
    return out


def _continues(out: list[Raw], table: RawTable) -> int | None:
    """Index in `out` of the table `table` continues, or None. Between them only blank lines, a
    unit line and one 续表 caption whose number (if any) is the earlier table's; without a
    caption the parts must follow each other directly and the second repeat the header."""
    k = len(out) - 1
    caption: str | None = None
    while k >= 0 and isinstance(out[k], RawText):
        text = out[k].text.strip()
        if not text or UNIT_LINE.match(simplified(text)):
            k -= 1
            continue
        if caption is not None or (number := continuation_number(text)) is None:
            return None
        caption = number
        k -= 1
    if k < 0 or not isinstance(out[k], RawTable):
        return None
    previous = out[k]
    if caption is None:
        return k if _texts(table.rows[0]) == _texts(previous.rows[0]) and \
            len(previous.rows) > 1 else None
    own = _caption_number(_caption_before(out, k))
    return k if not caption or own is None or own == caption else None


def _caption_before(out: list[Raw], k: int) -> str:
    j = k - 1
    while j >= 0 and isinstance(out[j], RawText) and (
            not out[j].text.strip() or UNIT_LINE.match(simplified(out[j].text.strip()))):
        j -= 1
    return out[j].text if j >= 0 and isinstance(out[j], RawText) else ""


def _texts(row: RawRow) -> list[str]:
    return [" ".join(c.text.split()) for c in row.cells]


def _without_repeated_header(table: RawTable, part: RawTable) -> list[RawRow]:
    """The continuation's rows without the header and unit rows it repeats: the earlier
    table's leading rows that hold no number (header rows, a unit row)."""
    lead = []
    for row in table.rows[:_MAX_HEADER_ROWS]:
        if any(is_number(c.text.strip()) for c in row.cells if c.text.strip()):
            break
        lead.append(_texts(row))
    rows = list(part.rows)
    while rows and _texts(rows[0]) in lead:
        rows.pop(0)
    return rows
