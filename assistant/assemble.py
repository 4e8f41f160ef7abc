"""From what a format reader found (paragraphs and tables, with pages) to the one Document.

Every reader (PDF, DOCX, text) hands over the same raw pieces; this module decides, once and
the same way for every format, what each piece is: a heading (and its depth), a numbered
paragraph or law article, a list item, a table with its caption, header, unit and group rows,
or an entry of the 目录 (kept out of the blocks). It also lays out Document.text and the
offsets of every block, row and cell.
"""

from __future__ import annotations

import re

from assistant.budget import checkpoint
from assistant.document import (
    Block,
    Document,
    Format,
    HeadingBlock,
    ListItemBlock,
    Numbering,
    PageStart,
    ParagraphBlock,
    RowKind,
    TableBlock,
)
from assistant.numbers import is_number
from assistant.readers.raw import Raw, RawCell, RawRow, RawTable, RawText
from assistant.structure import Heading, classify_heading, heading_line, title_label
from assistant.table_join import TABLE_LABEL, UNIT_LINE, join_continued_tables
from assistant.textfold import simplified

CELL_SEP = " | "
_FIELD = re.compile(r"^[\u4e00-\u9fff]{2,8}\s*[：:]")  # "企业名称：…", a cover field, not a heading
_SENTENCE_PUNCTUATION = ("。", "；", "，", "：", ":", "！", "？")
# A document whose headings carry styles (Markdown "#", Word heading styles) is structured by
# them; its numbered lines without a style are items, not headings.
_MIN_STYLED_HEADINGS = 3
_TOC_TITLE = re.compile(r"^目\s*录$|^contents$", re.IGNORECASE)
# "第1章 筹划和组织 ........ 3", "1.1 审核小组…………5", "前言\t1"
_TOC_ENTRY = re.compile(r"^(?P<title>\S.*?)\s*(?:[.．·…⋯_\-]{3,}|\t|\s{2,})\s*(?P<page>\d{1,3})$")
_TOC_LEADERS = re.compile(r"(?:[.．·…⋯_]{3,}|…{2,})\s*\d{1,3}$")
_CAPTION_UNIT = re.compile(r"[（(]\s*(?:计量)?单位\s*[:：]\s*(?P<unit>[^（）()]{1,20})[）)]\s*$")




def is_toc_entry(text: str) -> bool:
    """"第1章 筹划和组织 ........ 3": a line of a table of contents (leaders and a page)."""
    return bool(_TOC_LEADERS.search(text.strip()))


def is_unit_row(texts: list[str]) -> bool:
    """"单位：t/a" (once, or repeated across a merged row): a table's unit row."""
    filled = {" ".join(t.split()) for t in texts if t.strip()}
    return len(filled) == 1 and bool(UNIT_LINE.match(filled.pop()))


def table_label(caption: str) -> str | None:
    """"表6-1 审核前后主要指标对比" → "表6-1"; None when the text is not a table caption."""
    caption = caption.strip()
    m = TABLE_LABEL.match(simplified(caption))  # 續表 too, cut from the caption as written
    return re.sub(r"\s+", "", caption[:m.end()]) if m else None


def assemble(name: str, fmt: Format, items: list[Raw], *, encoding: str | None = None) -> Document:
    items, toc = _split_toc(items)
    items = join_continued_tables(items)
    items = _join_bare_numbers(items)
    styled = sum(1 for it in items if isinstance(it, RawText) and it.style_level) \
        >= _MIN_STYLED_HEADINGS
    layout = _Layout()
    sized = _heading_sizes(items)
    blocks: list[Block] = []
    for item in items:
        checkpoint()
        if isinstance(item, RawTable):
            if any(any(c.text for c in r.cells) for r in item.rows):
                blocks.append(_table(layout, item, blocks))
            continue
        if not item.text.strip():
            continue
        blocks.append(_text_block(layout, item, styled, sized))
    _nest(blocks, styled)
    return Document(name=name, format=fmt, encoding=encoding, text=layout.text(),
                    blocks=blocks, pages=layout.pages, toc=toc)


class _Layout:
    """Document.text as it is written, with the page each offset is on."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.pos = 0
        self.pages: list[PageStart] = []

    def write(self, text: str, page: int | None) -> tuple[int, int]:
        if not self.pages or self.pages[-1].number != page:
            if page is not None or not self.pages:
                self.pages.append(PageStart(number=page, offset=self.pos))
        start = self.pos
        self.parts.append(text)
        self.pos += len(text)
        return start, self.pos

    def newline(self) -> None:
        self.parts.append("\n")
        self.pos += 1

    def text(self) -> str:
        return "".join(self.parts)


def _split_toc(items: list[Raw]) -> tuple[list[Raw], list[str]]:
    """Take the 目录 (its title and its "title …… page" entries) out of the body."""
    kept: list[Raw] = []
    toc: list[str] = []
    in_toc = False
    for item in items:
        if isinstance(item, RawText):
            text = item.text.strip()
            if item.toc or _TOC_TITLE.match(simplified(text)):  # 目錄 too
                in_toc = True
                if item.toc:
                    toc.append(_toc_title(text))
                continue
            if in_toc and (m := _TOC_ENTRY.match(text)):
                toc.append(m.group("title").strip())
                continue
        in_toc = False
        kept.append(item)
    return kept, toc


def _join_bare_numbers(items: list[Raw]) -> list[Raw]:
    """"第一章" on one line and "筹划和组织" on the next (a chapter page) are one heading."""
    out: list[Raw] = []
    for item in items:
        previous = out[-1] if out else None
        if isinstance(item, RawText) and isinstance(previous, RawText) and not item.style_level \
                and _bare_number(previous.text) and _title_like(item.text):
            previous.pieces.append((" ", item.pieces[0][1]))
            previous.pieces.extend(item.pieces)
            continue
        out.append(item)
    return out


def _bare_number(text: str) -> bool:
    heading = heading_line(text)
    return heading is not None and heading.marker == text.strip()


def _title_like(text: str) -> bool:
    text = text.strip()
    return 0 < len(text) <= 30 and classify_heading(text) is None \
        and not any(p in text for p in _SENTENCE_PUNCTUATION)


def _toc_title(text: str) -> str:
    m = _TOC_ENTRY.match(text)
    return m.group("title").strip() if m else text


def _numbering(heading: Heading) -> Numbering:
    return Numbering(kind=heading.kind, rank=heading.rank, marker=heading.marker,
                     label=heading.label)


def _heading_sizes(items: list[Raw]) -> dict[float, float]:
    """Font size → heading rank, where numbered headings are set larger than the body text: an
    unnumbered line in the same size ("附则", "前言") is a heading of that rank (PDF only)."""
    texts = [it for it in items if isinstance(it, RawText) and it.size]
    if not texts:
        return {}
    weight: dict[float, int] = {}
    for it in texts:
        weight[round(it.size, 1)] = weight.get(round(it.size, 1), 0) + len(it.text)
    body = max(weight, key=weight.get)
    ranks: dict[float, float] = {}
    for it in texts:
        size = round(it.size, 1)
        if size > body * 1.1 and (line := heading_line(it.text)) is not None:
            ranks[size] = min(ranks.get(size, line.rank), line.rank)
    return ranks


def _unnumbered_heading(item: RawText, sized: dict[float, float]) -> Numbering | None:
    text = item.text.strip()
    if not item.size or round(item.size, 1) not in sized or len(text) > 30 \
            or text.endswith(_SENTENCE_PUNCTUATION) or "。" in text or _FIELD.match(text):
        return None
    return Numbering(kind="sized", rank=sized[round(item.size, 1)], marker="",
                     label=title_label(text))


def _text_block(layout: _Layout, item: RawText, styled: bool, sized: dict[float, float]) -> Block:
    start = layout.pos
    for text, page in item.pieces:
        layout.write(text, page)
    end = layout.pos
    layout.newline()
    pages = [p for _, p in item.pieces if p is not None]
    where = {"page": pages[0] if pages else None, "page_end": pages[-1] if pages else None,
             "start": start, "end": end}
    text = item.text
    numbered = classify_heading(text)
    if item.style_level:
        numbering = numbered or heading_line(text) or classify_heading(text, item.style_level)
        return HeadingBlock(text=text, title=_title(text, numbering.marker),
                            numbering=_numbering(numbering), level=1,
                            style_level=item.style_level, **where)
    if item.list_marker is not None:
        return ListItemBlock(text=text, marker=item.list_marker,
                             numbering=_numbering(numbered) if numbered else None, **where)
    line = None if styled else heading_line(text)
    if line is not None:
        return HeadingBlock(text=text, title=_title(text, line.marker), numbering=_numbering(line),
                            level=1, **where)
    if not styled and numbered is None and (unnumbered := _unnumbered_heading(item, sized)):
        return HeadingBlock(text=text, title=text.strip(), numbering=unnumbered, level=1, **where)
    return ParagraphBlock(text=text, numbering=_numbering(numbered) if numbered else None, **where)


_MARKER_TAIL = re.compile(r"^[\s\u3000、．.:：]+")


def _title(text: str, marker: str) -> str:
    if marker and text.startswith(marker):
        text = _MARKER_TAIL.sub("", text[len(marker):])
    return text.strip()


def _nest(blocks: list[Block], styled: bool) -> None:
    """Depth of every heading: a heading closes the open ones of equal or greater rank."""
    stack: list[float] = []
    for block in blocks:
        if not isinstance(block, HeadingBlock):
            continue
        rank = float(block.style_level) if styled else block.numbering.rank
        while stack and stack[-1] >= rank:
            stack.pop()
        stack.append(rank)
        block.level = len(stack)


def _table(layout: _Layout, raw: RawTable, blocks: list[Block]) -> TableBlock:
    width = max(len(r.cells) for r in raw.rows)
    kinds = _row_kinds(raw.rows, width)
    caption, unit = None, None
    above = blocks[-2:] if blocks else []
    if len(above) == 2 and isinstance(above[1], ParagraphBlock) and \
            (m := UNIT_LINE.match(" ".join(above[1].text.split()))):
        unit = m.group("unit").strip()  # "表4-1 …" then "单位：万元" above the table
        above = above[:1]
    if above and isinstance(above[-1], ParagraphBlock) and table_label(above[-1].text):
        caption = above[-1].text
    # rows and cells as plain data, validated into their models in one call by TableBlock
    # (a model built per cell cost more than reading the table)
    rows: list[dict] = []
    start = layout.pos
    headers = {_row_texts(r) for r, k in zip(raw.rows, kinds, strict=True)
               if k == "header" and sum(1 for t in _row_texts(r) if t) >= 2}
    for raw_row, kind in zip(raw.rows, kinds, strict=True):
        if kind == "data" and _row_texts(raw_row) in headers:
            # the header repeated where the table crossed a page (a PDF converted back to Word,
            # a table pasted page by page): the columns' names again, never a row of data
            continue
        cells_in = raw_row.cells + [RawCell("")] * (width - len(raw_row.cells))
        if kind == "unit":
            unit = UNIT_LINE.match(_only_text(raw_row)).group("unit").strip()
        row_start = layout.pos
        cells: list[dict] = []
        written = False
        for cell in cells_in:
            text = " ".join(cell.text.split())
            if text and not (kind in ("unit", "group") and written):
                if written:
                    layout.write(CELL_SEP, raw_row.page)
                begin, end = layout.write(text, raw_row.page)
                written = True
            else:
                begin = end = layout.pos
                if kind in ("unit", "group"):
                    text = ""  # a copy of the one text written for the whole row
            cells.append({"text": text, "start": begin, "end": end, "merged": cell.merged})
        rows.append({"kind": kind, "cells": cells, "page": raw_row.page, "start": row_start,
                     "end": layout.pos})
        layout.newline()
    if unit is None and caption and (m := _CAPTION_UNIT.search(caption)):
        unit = m.group("unit").strip()
    pages = [r.page for r in raw.rows if r.page is not None]
    text = "\n".join(CELL_SEP.join(c["text"] for c in r["cells"] if c["text"]) for r in rows)
    return TableBlock(text=text, caption=caption, unit=unit, rows=rows,
                      page=pages[0] if pages else None, page_end=pages[-1] if pages else None,
                      start=start, end=max(layout.pos - 1, start))


def _row_texts(row: RawRow) -> tuple[str, ...]:
    return tuple(" ".join(c.text.split()) for c in row.cells)


def _only_text(row: RawRow) -> str:
    texts = {" ".join(c.text.split()) for c in row.cells if c.text.strip()}
    return texts.pop() if len(texts) == 1 else ""


def _row_kinds(rows: list[RawRow], width: int) -> list[RowKind]:
    kinds: list[RowKind] = []
    header_seen = False
    for row in rows:
        only = _only_text(row)
        if not header_seen and only and UNIT_LINE.match(only):
            kinds.append("unit")
            continue
        if row.header or not header_seen or (
                kinds[-1] == "header" and kinds.count("header") < _MAX_HEADER_ROWS
                and _continues_header(rows[len(kinds) - 1], row)):
            # Word's "repeat as header row" marks every header row; otherwise the first row
            # and the rows that carry on its header (a second level, the columns' units).
            kinds.append("header")
            header_seen = True
            continue
        if width >= 3 and only and not is_number(only) and _is_group(row):
            kinds.append("group")
            continue
        kinds.append("data")
    return kinds


_MAX_HEADER_ROWS = 3
UNIT_LABELS = ("单位", "计量单位")  # the first cell of a row of units under the header


def _continues_header(header: RawRow, row: RawRow) -> bool:
    """A row under a header row that is header too: it holds no number and either names the
    columns' units ("单位 | 万m² | 万t …"), fills a column the header spans from its left
    ("变化情况" over "变化量 | 变化率"), or repeats the header where a header cell spans both
    rows (merged downwards)."""
    above = [" ".join(c.text.split()) for c in header.cells]
    below = [" ".join(c.text.split()) for c in row.cells]
    if not any(below) or any(is_number(t) for t in below if t):
        return False
    if below[0] in UNIT_LABELS:
        return True
    pairs = list(zip(above, below, strict=False))
    # a span runs rightwards from a header cell: an empty first column is no span
    fills_span = any(not a and b and any(above[:i]) for i, (a, b) in enumerate(pairs) if i)
    repeats = any(a and a == b for a, b in pairs)
    return fills_span and (repeats or sum(1 for t in below if t) >= 2) or (
        repeats and any(b and a != b for a, b in pairs))


def _is_group(row: RawRow) -> bool:
    """One text across the row ("审核领导小组"): a row merged across every column, or written
    in the first cell alone with the rest left empty."""
    filled = [c for c in row.cells if c.text.strip()]
    return len(filled) == 1 and filled[0] is row.cells[0] or \
        len(filled) > 1 and all(c.merged == "col" for c in row.cells[1:] if c.text.strip())
