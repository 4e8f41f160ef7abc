"""The structured view of a submitted report: heading tree, paragraphs and tables, each with
its location (page, heading path, line, table and row).

A view over the one document model (assistant.document): the loader has already typed every
block — headings with their numbering, tables with header, unit and group rows — so this
module only decides what a report adds: its title, its cover fields, and the headings a
report uses without a number (前言, 结论 …, rules/report.yaml).
"""

from __future__ import annotations

import bisect
import re

from assistant import numbers
from assistant.assemble import UNIT_LABELS
from assistant.budget import checkpoint
from assistant.document import Document, HeadingBlock, RowKind, TableBlock, TableRow
from assistant.models import Strict
from assistant.textfold import compare_key
from checkers.cover import cover_fields, split_title
from checkers.rule_models import ReportRules
from checkers.rules import load_pack

_MIN_STYLED_HEADINGS = 3


class Location(Strict):
    page: int | None = None
    heading_path: list[str] = []
    line: int | None = None  # line on the page (PDF), else line of the extracted text
    table: str | None = None  # the table's caption, "表6-1 审核前后主要指标对比"
    row: int | None = None  # row of the table, 0 = header


class Heading(Strict):
    text: str  # "第五章 可行性分析"
    title: str  # "可行性分析"
    marker: str  # "第五章"
    depth: int  # 1 = top level
    parent: int | None
    order: int  # position among all blocks
    end: int  # blocks with order in (order, end) belong to this heading's subtree
    location: Location


class Paragraph(Strict):
    text: str
    order: int
    section: int | None  # innermost heading
    location: Location


class Row(Strict):
    cells: list[str]
    location: Location
    kind: RowKind = "data"  # header | group | data (the loader's reading; unit rows are dropped)


class Table(Strict):
    caption: str | None
    unit: str | None = None  # the unit row's or the caption's unit: "单位：t/a" → "t/a"
    rows: list[Row]
    order: int
    section: int | None
    location: Location

    @property
    def header(self) -> list[str]:
        return self.rows[0].cells if self.rows else []

    def text(self) -> str:
        return "\n".join(" | ".join(r.cells) for r in self.rows)


class Report(Strict):
    name: str
    format: str
    title: str | None
    cover: dict[str, str]
    headings: list[Heading]
    paragraphs: list[Paragraph]
    tables: list[Table]

    def without_reviews(self, words: list[str]) -> Report:
        """The report without what others wrote about it: the text and tables under a heading
        naming a review (“专家评审意见及修改说明”), and a table so captioned (“专家意见修改对照
        表”). What the experts asked to complete is named there, not shown, so it is no evidence
        that the report has it. Headings stay (their indices are the outline's)."""
        keys = [compare_key(w) for w in words]
        if not keys:
            return self

        def names_review(text: str | None) -> bool:
            return any(k in compare_key(text or "") for k in keys)
        spans = [(h.order, h.end) for h in self.headings if names_review(h.title)]
        if not spans and not any(names_review(t.caption) for t in self.tables):
            return self

        def kept(order: int) -> bool:
            return not any(start < order < end for start, end in spans)
        return self.model_copy(update={
            "paragraphs": [p for p in self.paragraphs if kept(p.order)],
            "tables": [t for t in self.tables if kept(t.order) and not names_review(t.caption)]})

    def within(self, heading: int) -> tuple[list[Paragraph], list[Table]]:
        checkpoint()
        h = self.headings[heading]
        return ([p for p in self.paragraphs if h.order < p.order < h.end],
                [t for t in self.tables if h.order < t.order < h.end])

    def body_chars(self, heading: int) -> int:
        paragraphs, tables = self.within(heading)
        own = {heading} | {i for i, x in enumerate(self.headings) if _under(self, i, heading)}
        return (sum(len(p.text) for p in paragraphs if p.section in own)
                + sum(len(t.text()) for t in tables))

    def stated_figure(self, pattern: str, words: tuple[str, ...] = ()) -> float | None:
        """The figure the first paragraph matching `pattern` states (a rules file's pattern
        whose first non-empty group is the number: a 无/低费 limit, a 基准折现率), read by the
        one number reader; `words`: the paragraph must hold one of them."""
        compiled = re.compile(pattern)
        for para in self.paragraphs:
            if words and not any(w in para.text for w in words):
                continue
            if m := compiled.search(para.text):
                reading = numbers.read(next(g for g in m.groups() if g))
                if reading.is_number:
                    return reading.value
        return None

    def text(self) -> str:
        blocks = sorted([(p.order, p.text) for p in self.paragraphs]
                        + [(h.order, h.text) for h in self.headings]
                        + [(t.order, t.text()) for t in self.tables])
        return "\n".join(text for _, text in blocks)


def _under(report: Report, i: int, ancestor: int) -> bool:
    parent = report.headings[i].parent
    while parent is not None:
        if parent == ancestor:
            return True
        parent = report.headings[parent].parent
    return False


def build_report(doc: Document, vocabulary: ReportRules | None = None) -> Report:
    """`vocabulary` is rules/report.yaml (unnumbered headings, cover keys) of the rule pack."""
    vocabulary = load_pack().report if vocabulary is None else vocabulary
    unnumbered = set(vocabulary.unnumbered_headings)
    styled = sum(1 for b in doc.blocks if isinstance(b, HeadingBlock) and b.style_level) \
        >= _MIN_STYLED_HEADINGS
    text_blocks = [b for b in doc.blocks if not isinstance(b, TableBlock)]
    title_block = next((b for b in text_blocks[:3] if "报告" in b.text
                        and (not styled or isinstance(b, HeadingBlock) and b.style_level)), None)
    ranks = {}
    for n, block in enumerate(doc.blocks):
        if block is title_block:
            continue
        if isinstance(block, HeadingBlock) and (block.style_level or not styled):
            ranks[n] = float(block.style_level) if styled else block.numbering.rank
        elif not styled and not isinstance(block, TableBlock) and block.text.strip() in unnumbered:
            ranks[n] = None  # ranks with the top numbered headings
    top = min((r for r in ranks.values() if r is not None), default=2.0)
    locate = _Locator(doc)

    headings: list[Heading] = []
    paragraphs: list[Paragraph] = []
    tables: list[Table] = []
    stack: list[tuple[float, int]] = []
    cover: dict[str, str] = {}
    # A PDF cover's name lines may read as headings (large type): its "key：value" lines below
    # them are still the cover while they are on the first page and no chapter has begun.
    cover_page = doc.blocks[0].page if doc.blocks else None
    on_cover = True
    for order, block in enumerate(doc.blocks):
        on_cover = on_cover and (not headings or cover_page is not None
                                 and block.page == cover_page)
        path = [headings[k].text for _, k in stack]
        section = stack[-1][1] if stack else None
        if isinstance(block, TableBlock):
            table = _table(block, order, section, path, locate)
            tables.append(table)
            if on_cover:
                cover.update({r.cells[0]: r.cells[1] for r in table.rows
                              if len(r.cells) == 2 and r.cells[0]})
            continue
        if block is title_block:
            continue
        if order in ranks:
            rank = top if ranks[order] is None else ranks[order]
            while stack and stack[-1][0] >= rank:
                headings[stack.pop()[1]].end = order
            parent = stack[-1][1] if stack else None
            marker = block.numbering.marker if isinstance(block, HeadingBlock) else ""
            title = block.title if isinstance(block, HeadingBlock) else block.text.strip()
            on_cover = on_cover and not marker and title not in unnumbered
            headings.append(Heading(
                text=block.text, title=title, marker=marker, depth=len(stack) + 1, parent=parent,
                order=order, end=-1, location=locate(block.start, block.page,
                                                     [*path[:len(stack)], block.text]),
            ))
            stack.append((rank, len(headings) - 1))
            continue
        paragraphs.append(Paragraph(text=block.text, order=order, section=section,
                                    location=locate(block.start, block.page, path)))
        if on_cover:
            cover = {**cover_fields(block.text, vocabulary.cover_keys), **cover}
    for _, k in stack:
        headings[k].end = len(doc.blocks)
    title = None
    if title_block is not None:  # a wrapped title may run into the cover's first line
        title, rest = split_title(title_block.text)
        cover = {**cover_fields(rest, vocabulary.cover_keys), **cover}
    return Report(name=doc.name, format=doc.format, title=title, cover=cover,
                  headings=headings, paragraphs=paragraphs, tables=tables)


def _table(block: TableBlock, order: int, section: int | None, path: list[str],
           locate: _Locator) -> Table:
    """The header and the data and group rows; a unit row is the table's unit, not a row."""
    rows: list[TableRow] = [r for r in block.rows if r.kind != "unit"]
    lead = next((n for n, r in enumerate(rows) if r.kind != "header"), len(rows))
    caption = block.caption
    located = []
    for n, row in enumerate(rows[lead - 1 if lead > 1 else 0:]):
        loc = locate(row.start, row.page, path, table=caption, row=n)
        cells = combined_header([r.texts for r in rows[:lead]]) if n == 0 and lead > 1 \
            else row.texts
        located.append(Row(cells=[_closed_up(c) for c in cells], location=loc, kind=row.kind))
    first = locate(block.start, block.page, path, table=caption)
    return Table(caption=caption, unit=block.unit, rows=located, order=order, section=section,
                 location=first)


# A short label typed with spaces to fill its cell's width ("合  计", "组  长", "姓  名", a
# two-character name "王  伟" aligned with three-character ones): single Chinese characters
# separated by spaces, nothing else in the cell. Read closed up, as the label it is.
_SPACED_OUT = re.compile(r"[\u4e00-\u9fff](?:[ \u3000\u00a0\u2002\u2003]+[\u4e00-\u9fff]){1,4}")
_SPACES = re.compile(r"[ \u3000\u00a0\u2002\u2003]+")


def _closed_up(cell: str) -> str:
    text = cell.strip()
    return _SPACES.sub("", text) if _SPACED_OUT.fullmatch(text) else cell


def combined_header(rows: list[list[str]]) -> list[str]:
    """Several header rows as one: a column's header is its texts from the top down, a cell
    spanned from its left taking the spanning text ("变化情况 变化率（%）", "评价基准值 Ⅰ级"); a
    row of units ("单位 | 万m² | 万t …") puts each unit in brackets ("天然气（万m³）")."""
    width = max(len(r) for r in rows)
    columns: list[list[str]] = [[] for _ in range(width)]
    for k, row in enumerate(rows):
        row = row + [""] * (width - len(row))
        units = row[0].strip() in UNIT_LABELS
        spanning = ""
        for i, text in enumerate(row):
            text = text.strip()
            if units:
                if i and text and columns[i]:
                    columns[i][-1] += f"（{text}）"
                continue
            below = any(r[i].strip() for r in rows[k + 1:] if i < len(r))
            if text:
                spanning = text
            elif i and spanning and below:
                text = spanning  # spanned from the left over a lower level
            if text and (not columns[i] or columns[i][-1] != text):
                columns[i].append(text)
    return [" ".join(parts) for parts in columns]


class _Locator:
    """Page and line (on the page, for paginated documents) of an offset into the text."""

    def __init__(self, doc: Document) -> None:
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", doc.text)]
        self.pages = doc.pages if doc.paginated else []
        self.page_offsets = [p.offset for p in self.pages]

    def __call__(self, offset: int, page: int | None, path: list[str], *,
                 table: str | None = None, row: int | None = None) -> Location:
        line = bisect.bisect_right(self.line_starts, offset)
        if self.pages:
            i = bisect.bisect_right(self.page_offsets, offset) - 1
            line -= bisect.bisect_right(self.line_starts, self.pages[max(i, 0)].offset) - 1
        return Location(page=page, heading_path=list(path), line=line, table=table, row=row)
