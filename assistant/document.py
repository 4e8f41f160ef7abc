"""The one document model: a file as an ordered list of typed blocks with provenance.

Every format (PDF, DOCX, Markdown, plain text in any supported encoding) is read into a
`Document` once (see assistant.loader); the corpus chunker and the report checks consume it,
and nothing downstream re-parses text to recover a heading or a table.

`Document.text` is the clean text of all blocks, one block per line group, table rows as
"cell | cell"; every block, table row and cell records its character offsets into it, and
every offset maps to a page (for paginated sources). Page furniture (running headers, footers,
page numbers) and the 目录 are not blocks; the table of contents is kept aside in `toc`.
"""

from __future__ import annotations

import bisect
from typing import Annotated, Literal

from pydantic import Field

from assistant.models import Strict

Format = Literal["pdf", "docx", "txt", "md"]
RowKind = Literal["header", "unit", "group", "data"]


class Numbering(Strict):
    """The numbering a block opens with, as assistant.structure classifies it."""

    kind: str  # chapter, section, cn-num, cn-paren, num, num-dotted, article, markdown …
    rank: float  # outermost first: 第X编 1.0 … （1） 8.0; style/Markdown levels level - 0.5
    marker: str  # "第三章", "（七）", "1.1", "第二十七条"; "" for a style-only heading
    label: str  # what a section path shows: "（七）重点行业推进强制性清洁生产审核"


class _Block(Strict):
    text: str
    page: int | None = None  # first page (PDF), None for unpaginated sources
    page_end: int | None = None
    start: int  # offsets into Document.text
    end: int


class HeadingBlock(_Block):
    kind: Literal["heading"] = "heading"
    title: str  # the text without its numbering: "筹划和组织"
    numbering: Numbering
    level: int  # depth in the document's heading tree, 1 = top
    style_level: int = 0  # Markdown "#" count or Word heading style/outline level, else 0


class ParagraphBlock(_Block):
    kind: Literal["paragraph"] = "paragraph"
    # Set when the paragraph opens with a numbering that is not a title of its own: a law
    # article ("第二十七条 …"), a numbered item ("（一）加强组织领导。各地要…").
    numbering: Numbering | None = None


class ListItemBlock(_Block):
    kind: Literal["list_item"] = "list_item"
    marker: str  # "-", "1.", "（一）" — Markdown bullets, Word list numbering
    numbering: Numbering | None = None


class Cell(Strict):
    text: str
    start: int
    end: int
    # A cell covered by a merge. Vertically merged cells repeat the merged text (each member
    # row keeps its department); horizontally spanned cells are empty, so every value stays
    # under its own column header.
    merged: Literal["row", "col"] | None = None


class TableRow(Strict):
    kind: RowKind
    cells: list[Cell]
    page: int | None = None
    start: int
    end: int

    @property
    def texts(self) -> list[str]:
        return [c.text for c in self.cells]


class TableBlock(_Block):
    kind: Literal["table"] = "table"
    caption: str | None = None  # "表6-1 审核前后主要指标对比"
    unit: str | None = None  # from a unit row or the caption: "单位：t/a" → "t/a"
    rows: list[TableRow]

    @property
    def header(self) -> list[str]:
        return next((r.texts for r in self.rows if r.kind == "header"), [])


Block = Annotated[HeadingBlock | ParagraphBlock | ListItemBlock | TableBlock,
                  Field(discriminator="kind")]


class PageStart(Strict):
    number: int | None
    offset: int  # where the page's first block begins in Document.text


class Document(Strict):
    name: str
    format: Format
    encoding: str | None = None
    text: str
    blocks: list[Block]
    pages: list[PageStart] = []
    toc: list[str] = []  # the 目录 entries, kept out of the structure

    def page_at(self, offset: int) -> int | None:
        if not self.pages:
            return None
        i = bisect.bisect_right([p.offset for p in self.pages], offset) - 1
        return self.pages[max(i, 0)].number

    @property
    def paginated(self) -> bool:
        return any(p.number is not None for p in self.pages)

    def tables(self) -> list[TableBlock]:
        return [b for b in self.blocks if isinstance(b, TableBlock)]

    def headings(self) -> list[HeadingBlock]:
        return [b for b in self.blocks if isinstance(b, HeadingBlock)]
