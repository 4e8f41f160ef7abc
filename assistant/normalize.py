"""Turn extracted pages into clean paragraphs, keeping offsets back to the source text.

Extracted Chinese text breaks sentences across lines and pages (seed 002 splits "清" / "洁生产"
across a page break), and flattens tables one cell per line (seed 001). This module rejoins
the first and rebuilds the second as "cell | cell" rows. Every character of the clean text
maps back to a position in the source, so a quote can always be located in the original.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from assistant.loader import SourceDocument
from assistant.rawlines import Line, collect_table, read_lines
from assistant.structure import classify_heading, looks_like_heading_start

# A line ending in one of these closes its sentence or clause list; otherwise it continues.
_TERMINAL = set("。！？；：:;!?）)」』】”\"…")
_MIN_WRAPPED_LINE = 20


@dataclass(slots=True)
class Paragraph:
    text: str
    start: int  # offsets into NormalizedDocument.text
    end: int
    md_level: int = 0  # markdown (or DOCX heading style) level, 0 for body text
    cells: list[str] | None = None  # set for table rows
    table_id: int | None = None


@dataclass
class NormalizedDocument:
    text: str
    paragraphs: list[Paragraph]
    source_text: str
    _spans: list[tuple[int, int]] = field(repr=False)  # (clean_start, source_start) runs
    _page_starts: list[int] = field(repr=False)  # source offsets where pages begin
    _page_numbers: list[int | None] = field(repr=False)

    def to_source(self, offset: int) -> int:
        i = bisect.bisect_right(self._spans, (offset, float("inf"))) - 1
        clean_start, source_start = self._spans[max(i, 0)]
        return source_start + (offset - clean_start)

    def page_at(self, offset: int) -> int | None:
        source = self.to_source(offset)
        i = bisect.bisect_right(self._page_starts, source) - 1
        return self._page_numbers[max(i, 0)]

    def page_breaks(self) -> tuple[list[int], list[int | None]]:
        """Offsets into the clean text where each page begins, and the page numbers."""
        starts, numbers = [], []
        for source_start, number in zip(self._page_starts, self._page_numbers, strict=True):
            i = bisect.bisect_left([s for _, s in self._spans], source_start)
            starts.append(self._spans[i][0] if i < len(self._spans) else len(self.text))
            numbers.append(number)
        return starts, numbers

    def tables(self) -> list[list[Paragraph]]:
        grouped: dict[int, list[Paragraph]] = {}
        for p in self.paragraphs:
            if p.table_id is not None:
                grouped.setdefault(p.table_id, []).append(p)
        return list(grouped.values())


class _Builder:
    def __init__(self) -> None:
        self.parts: list[str] = []
        self.spans: list[tuple[int, int]] = []
        self.pos = 0

    def copy(self, text: str, source_start: int) -> None:
        self.spans.append((self.pos, source_start))
        self.parts.append(text)
        self.pos += len(text)

    def synthetic(self, text: str, source_at: int) -> None:
        # Inserted characters (joins, cell separators) map to the source position they replace.
        for i in range(len(text)):
            self.spans.append((self.pos + i, source_at))
        self.parts.append(text)
        self.pos += len(text)


def normalize(doc: SourceDocument) -> NormalizedDocument:
    source_text = "\n".join(p.text for p in doc.pages)
    page_starts, offset = [], 0
    for page in doc.pages:
        page_starts.append(offset)
        offset += len(page.text) + 1
    lines = read_lines(source_text)
    builder = _Builder()
    paragraphs: list[Paragraph] = []
    table_count = 0
    i = 0
    while i < len(lines):
        line = lines[i]
        if line is None:
            i += 1
            continue
        if line.cells is not None or line.lone_cell:
            rows, i = collect_table(lines, i)
            for cells in rows:
                _emit_row(builder, paragraphs, cells, table_count)
            table_count += 1
            continue
        group = [line]
        i += 1
        while _continues(group[-1], lines, i):
            while lines[i] is None:
                i += 1
            group.append(lines[i])
            i += 1
        _emit_paragraph(builder, paragraphs, group)
    text = "".join(builder.parts)
    for paragraph in paragraphs:
        paragraph.text = text[paragraph.start:paragraph.end]
    return NormalizedDocument(
        text=text, paragraphs=paragraphs, source_text=source_text, _spans=builder.spans or [(0, 0)],
        _page_starts=page_starts, _page_numbers=[p.number for p in doc.pages],
    )


def _emit_row(builder: _Builder, paragraphs: list[Paragraph], cells, table_id: int) -> None:
    start = builder.pos
    for n, (text, segments) in enumerate(cells):
        if n:
            anchor = segments[0][0] if segments else builder.spans[-1][1]
            builder.synthetic(" | ", anchor)
        _copy_segments(builder, segments, text)
    _end_paragraph(builder, paragraphs, start, cells=[c[0] for c in cells], table_id=table_id)


def _emit_paragraph(builder: _Builder, paragraphs: list[Paragraph], group: list[Line]) -> None:
    start = builder.pos
    for n, line in enumerate(group):
        if n and _needs_space(group[n - 1].text, line.text):
            builder.synthetic(" ", line.segments[0][0])
        _copy_segments(builder, line.segments, line.text)
    _end_paragraph(builder, paragraphs, start, md_level=max(group[0].md_level, 0))


def _copy_segments(builder: _Builder, segments: list[tuple[int, int]], text: str) -> None:
    cursor = 0
    for source_start, length in segments:
        builder.copy(text[cursor:cursor + length], source_start)
        cursor += length


def _end_paragraph(builder: _Builder, paragraphs: list[Paragraph], start: int, **kw) -> None:
    # Paragraph text is filled in once the whole text is joined (see normalize()).
    paragraphs.append(Paragraph(text="", start=start, end=builder.pos, **kw))
    builder.synthetic("\n", builder.spans[-1][1] if builder.spans else 0)


def _needs_space(left: str, right: str) -> bool:
    return left[-1:].isascii() and left[-1:].isalnum() and right[:1].isascii() \
        and right[:1].isalnum()


def _continues(last: Line, lines: list[Line | None], i: int) -> bool:
    """Does the paragraph ending with `last` continue on the next non-blank line?"""
    j = i
    while j < len(lines) and lines[j] is None:
        j += 1
    if j >= len(lines):
        return False
    nxt = lines[j]
    if nxt.cells is not None or nxt.lone_cell or nxt.md_level or last.md_level:
        return False
    if last.text[-1] in _TERMINAL or looks_like_heading_start(nxt.text):
        return False
    # Only long lines get wrapped; a short unpunctuated line is a title, a 文号 or a date.
    if len(last.text) < _MIN_WRAPPED_LINE:
        return False
    # A short numbered line with no closing punctuation is a heading, not a broken sentence;
    # a law article (第X条 …) always carries text, so its first line may wrap.
    heading = classify_heading(last.text)
    return not (len(last.text) <= 30 and heading is not None and heading.kind != "article")
