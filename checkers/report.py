"""The structured view of a submitted report: heading tree, paragraphs and tables, each with
its location (page, heading path, line).

Built from the one loader and normalizer the corpus uses. Headings come from Markdown/DOCX
heading levels when the report has them, otherwise from the numbering itself (第X章 / 一、 /
（一） / 1. / 1.1 …). DOCX tables come from the file's own table cells (empty cells kept);
PDF and text tables are rebuilt from aligned lines (see pdftables).
"""

from __future__ import annotations

import bisect
import re

from pydantic import BaseModel, ConfigDict

from assistant.loader import SourceDocument
from assistant.normalize import NormalizedDocument, normalize
from assistant.normalize import Paragraph as RawParagraph
from checkers.headings import cover_fields, heading_kind, split_title, strip_marker, title_index
from checkers.pdftables import Positions, align_rows, tabulate, text_layout
from checkers.rules import load_pack


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


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


class Table(Strict):
    caption: str | None
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

    def within(self, heading: int) -> tuple[list[Paragraph], list[Table]]:
        h = self.headings[heading]
        return ([p for p in self.paragraphs if h.order < p.order < h.end],
                [t for t in self.tables if h.order < t.order < h.end])

    def body_chars(self, heading: int) -> int:
        paragraphs, tables = self.within(heading)
        own = {heading} | {i for i, x in enumerate(self.headings) if _under(self, i, heading)}
        return (sum(len(p.text) for p in paragraphs if p.section in own)
                + sum(len(t.text()) for t in tables))

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


# A table's label: "表6-1", "续表 3.2", "表一".
_TABLE_LABEL = re.compile(r"^(?:续)?表\s*[\dA-Za-z一二三四五六七八九十]+(?:[-－—.．][\dA-Za-z]+)*")


def table_label(caption: str) -> str | None:
    """"表6-1 审核前后主要指标对比" → "表6-1"; None when the text is not a table caption."""
    m = _TABLE_LABEL.match(caption.strip())
    return re.sub(r"\s+", "", m.group(0)) if m else None


def build_report(doc: SourceDocument, positions: Positions | None = None,
                 vocabulary: dict | None = None) -> Report:
    """`positions` (PDFs) tells where fields start on a page, to place sparse table rows;
    `vocabulary` is rules/report.yaml (unnumbered headings, cover keys) of the rule pack."""
    vocabulary = load_pack().report if vocabulary is None else vocabulary
    unnumbered, cover_keys = set(vocabulary["unnumbered_headings"]), vocabulary["cover_keys"]
    positions = positions or text_layout(doc)
    original, doc = doc, tabulate(doc)
    norm = normalize(doc)
    locate = _Locator(original, norm)
    md_mode = sum(1 for p in norm.paragraphs if p.md_level and p.cells is None) >= 3
    candidates = {i: h for i, p in enumerate(norm.paragraphs)
                  if p.cells is None and (h := heading_kind(p, md_mode, unnumbered)) is not None}
    title_at = title_index(norm.paragraphs, md_mode)
    candidates.pop(title_at, None)
    top = min((rank for kind, rank, _ in candidates.values() if kind != "unnumbered"),
              default=2.0)

    headings: list[Heading] = []
    paragraphs: list[Paragraph] = []
    tables: list[Table] = []
    stack: list[tuple[float, int]] = []
    cover: dict[str, str] = {}
    source_tables = iter(doc.tables) if _docx_tables_match(doc, norm) else None
    order, i, paras = 0, 0, norm.paragraphs
    while i < len(paras):
        para = paras[i]
        path = [headings[k].text for _, k in stack]
        section = stack[-1][1] if stack else None
        if para.cells is not None:
            rows = []
            while i < len(paras) and paras[i].table_id == para.table_id:
                # Tab-separated rows of the file itself keep their empty cells.
                raw = locate.line_text(paras[i])
                cells = raw.split("\t") if "\t" in raw else paras[i].cells or []
                rows.append((cells, locate(paras[i], path)))
                i += 1
            table = _table(rows, paragraphs, order, section, path, doc.format, source_tables,
                           positions)
            tables.append(table)
            if not headings:
                cover.update({r.cells[0]: r.cells[1] for r in table.rows
                              if len(r.cells) == 2 and r.cells[0]})
            order += 1
            continue
        if i in candidates:
            kind, rank, marker = candidates[i]
            rank = top if kind == "unnumbered" else rank
            while stack and stack[-1][0] >= rank:
                headings[stack.pop()[1]].end = order
            parent = stack[-1][1] if stack else None
            headings.append(Heading(
                text=para.text, title=strip_marker(para.text, marker), marker=marker,
                depth=len(stack) + 1, parent=parent, order=order, end=-1,
                location=locate(para, [*path[:len(stack)], para.text]),
            ))
            stack.append((rank, len(headings) - 1))
        elif i != title_at:
            paragraphs.append(Paragraph(text=para.text, order=order, section=section,
                                        location=locate(para, path)))
            if not headings:
                cover = {**cover_fields(para.text, cover_keys), **cover}
        order += 1
        i += 1
    for _, k in stack:
        headings[k].end = order
    title = None
    if title_at is not None:  # a wrapped PDF title may run into the cover's first line
        title, rest = split_title(paras[title_at].text)
        cover = {**cover_fields(rest, cover_keys), **cover}
    return Report(name=doc.name, format=doc.format, title=title, cover=cover,
                  headings=headings, paragraphs=paragraphs, tables=tables)


def _docx_tables_match(doc: SourceDocument, norm: NormalizedDocument) -> bool:
    return doc.format == "docx" and len(doc.tables) == len(norm.tables()) > 0


def _table(rows, paragraphs: list[Paragraph], order: int, section: int | None,
           path: list[str], fmt: str, source_tables, positions: Positions | None) -> Table:
    cells = [c for c, _ in rows]
    if source_tables is not None:
        native = next(source_tables).rows
        if len(native) == len(cells):
            cells = native
    elif fmt in ("pdf", "txt"):
        aligned = align_rows(cells, [loc.page for _, loc in rows], positions)
        rows = [rows[i] for i, _ in aligned]  # a header repeated on the next page is dropped
        cells = [c for _, c in aligned]
    caption = None
    if paragraphs and paragraphs[-1].order == order - 1 and table_label(paragraphs[-1].text):
        caption = paragraphs[-1].text
    located = []
    for n, row_cells in enumerate(cells):
        loc = rows[min(n, len(rows) - 1)][1].model_copy(update={"table": caption, "row": n})
        located.append(Row(cells=[c.strip() for c in row_cells], location=loc))
    first = rows[0][1].model_copy(update={"table": caption})
    return Table(caption=caption, rows=located, order=order, section=section, location=first)


class _Locator:
    """Page and line of a paragraph in the extracted text."""

    def __init__(self, doc: SourceDocument, norm: NormalizedDocument) -> None:
        self.norm = norm
        self.source = source = "\n".join(p.text for p in doc.pages)  # same offsets as norm's
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", source)]
        self.page_starts, offset = [], 0
        for page in doc.pages:
            self.page_starts.append(offset)
            offset += len(page.text) + 1
        self.paginated = any(p.number is not None for p in doc.pages)

    def __call__(self, para: RawParagraph, path: list[str]) -> Location:
        source = self.norm.to_source(para.start)
        line = bisect.bisect_right(self.line_starts, source)
        page = None
        if self.paginated:
            page = self.norm.page_at(para.start)
            page_start = self.page_starts[max(bisect.bisect_right(self.page_starts, source) - 1,
                                              0)]
            line -= bisect.bisect_right(self.line_starts, page_start) - 1
        return Location(page=page, heading_path=list(path), line=line)

    def line_text(self, para: RawParagraph) -> str:
        """The line of the original file the paragraph starts on."""
        n = bisect.bisect_right(self.line_starts, self.norm.to_source(para.start)) - 1
        end = self.line_starts[n + 1] - 1 if n + 1 < len(self.line_starts) else len(self.source)
        return self.source[self.line_starts[n]:end]
