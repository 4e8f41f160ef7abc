"""What a format reader hands over: paragraphs and tables as found, with their pages.

assistant.assemble turns these into the typed blocks of assistant.document.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class RawText:
    """A paragraph as a reader found it; `pieces` are (text, page) runs, joined as they are."""

    pieces: list[tuple[str, int | None]]
    style_level: int = 0  # Markdown "#" count, Word heading style or outline level
    list_marker: str | None = None  # Markdown bullet or Word list numbering
    toc: bool = False  # the reader knows it is a table-of-contents entry (Word TOC styles)
    size: float | None = None  # font size (PDF): a short line set like a heading is one

    @property
    def text(self) -> str:
        return "".join(t for t, _ in self.pieces)


@dataclass
class RawCell:
    text: str
    merged: str | None = None  # "row" (vertical merge), "col" (horizontal span)


@dataclass
class RawRow:
    cells: list[RawCell]
    page: int | None = None
    header: bool = False  # the file marks it a header row (Word "repeat as header row")


@dataclass
class RawTable:
    rows: list[RawRow] = field(default_factory=list)


Raw = RawText | RawTable
