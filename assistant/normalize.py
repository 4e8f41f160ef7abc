"""Turn extracted pages into clean paragraphs, keeping offsets back to the source text.

Extracted Chinese text breaks sentences across lines and pages (seed 002 splits "清" / "洁生产"
across a page break), and flattens tables one cell per line (seed 001). This module rejoins
the first and rebuilds the second as "cell | cell" rows. Every character of the clean text
maps back to a position in the source, so a quote can always be located in the original.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from assistant.loader import SourceDocument
from assistant.structure import classify_heading, looks_like_heading_start

# A line ending in one of these closes its sentence or clause list; otherwise it continues.
_TERMINAL = set("。！？；：:;!?）)」』】”\"…")
_MD_HEADING = re.compile(r"^(#{1,6})\s*")
_MD_BULLET = re.compile(r"^[-*+]\s+")
_HTML_COMMENT = re.compile(r"^<!--.*-->$")
_MD_TABLE_ROW = re.compile(r"^\|.*\|$")
_MD_TABLE_RULE = re.compile(r"^\|[\s:|-]+\|$")
_SPACE = " \t\u3000\r\f\v\u00a0"
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


@dataclass(slots=True)
class _Line:
    text: str
    segments: list[tuple[int, int]]  # (source_start, length) pieces that make up text
    md_level: int = 0
    cells: list[tuple[str, list[tuple[int, int]]]] | None = None  # a tab-separated row
    lone_cell: bool = False  # one cell of a table flattened one cell per line


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
    lines = _raw_lines(source_text)
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
            rows, i = _collect_table(lines, i)
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


def _raw_lines(source: str) -> list[_Line | None]:
    """Split into lines, stripping whitespace and markdown markup; None marks a blank line."""
    out: list[_Line | None] = []
    pos = 0
    for raw in source.split("\n"):
        start, raw_len = pos, len(raw)
        pos += raw_len + 1
        lead = len(raw) - len(raw.lstrip(_SPACE))
        body = raw.strip(_SPACE)
        if not body and "\t" in raw:  # an empty cell of a one-cell-per-line table
            out.append(_Line("", [], lone_cell=True))
            continue
        if not body or _HTML_COMMENT.match(body):
            out.append(None)
            continue
        begin = start + lead
        if _MD_TABLE_ROW.match(body):
            if not _MD_TABLE_RULE.match(body):
                out.append(_Line(body, [(begin, len(body))], cells=_md_cells(body, begin)))
            continue
        if "\t" in body:
            cells = []
            cursor = begin
            for cell in body.split("\t"):
                c_lead = len(cell) - len(cell.lstrip(_SPACE))
                c_body = cell.strip(_SPACE)
                if c_body:
                    cells.append((c_body, [(cursor + c_lead, len(c_body))]))
                cursor += len(cell) + 1
            out.append(_Line(body, [(begin, len(body))], cells=cells))
            continue
        md_level = 0
        m = _MD_HEADING.match(body) or _MD_BULLET.match(body)
        if m:
            if m.re is _MD_HEADING:
                md_level = len(m.group(1))
            body, begin = body[m.end():], begin + m.end()
        text, segments = _drop_emphasis(body, begin)
        if not text:
            out.append(None)
            continue
        out.append(_Line(text, segments, md_level=md_level, lone_cell=raw[:1] == "\t"))
    return out


def _md_cells(body: str, begin: int) -> list[tuple[str, list[tuple[int, int]]]]:
    cells, cursor = [], 0
    for part in body.strip("|").split("|"):
        cursor += 1  # the "|" before this cell
        c_lead = len(part) - len(part.lstrip(_SPACE))
        c_body = part.strip(_SPACE)
        cells.append((c_body, [(begin + cursor + c_lead, len(c_body))] if c_body else []))
        cursor += len(part)
    return cells


def _drop_emphasis(body: str, begin: int) -> tuple[str, list[tuple[int, int]]]:
    if "**" not in body and "__" not in body:
        return body, [(begin, len(body))]
    pieces, segments, cursor = [], [], 0
    for m in re.finditer(r"\*\*|__", body):
        if m.start() > cursor:
            pieces.append(body[cursor:m.start()])
            segments.append((begin + cursor, m.start() - cursor))
        cursor = m.end()
    if cursor < len(body):
        pieces.append(body[cursor:])
        segments.append((begin + cursor, len(body) - cursor))
    return "".join(pieces), segments


def _collect_table(
    lines: list[_Line | None], i: int
) -> tuple[list[list[tuple[str, list[tuple[int, int]]]]], int]:
    """Collect a table starting at line i; return its rows and the index after it."""
    rows: list[list[tuple[str, list[tuple[int, int]]]]] = []
    first = lines[i]
    assert first is not None
    if first.cells is not None:  # one row per line, cells separated by tabs
        while i < len(lines) and (lines[i] is None or lines[i].cells is not None):
            if lines[i] is not None and lines[i].cells:
                rows.append(lines[i].cells)
            elif lines[i] is None and i + 1 < len(lines) and (
                lines[i + 1] is None or lines[i + 1].cells is None
            ):
                break
            i += 1
        return rows, i
    # One cell per line starting with a tab; rows separated by blank lines; a line without
    # a tab right after a cell continues that cell ("广东省工业总产值" / "（亿元）").
    row: list[tuple[str, list[tuple[int, int]]]] = []
    previous_blank = False
    while i < len(lines):
        line = lines[i]
        if line is None:
            if row:
                rows.append(row)
                row = []
            previous_blank = True
            i += 1
            continue
        if line.lone_cell:
            row.append((line.text, list(line.segments)))
        elif not previous_blank and row:
            text, segments = row[-1]
            row[-1] = (text + line.text, segments + line.segments)
        elif previous_blank and rows and len(line.text) <= 20 and _next_is_cell(lines, i + 1):
            # A merged header cell broken by a blank line ("佛山市" / "工业废水"): the row
            # that just ended goes on.
            row = rows.pop()
            text, segments = row[-1]
            row[-1] = (text + line.text, segments + line.segments)
        else:
            break
        previous_blank = False
        i += 1
    if row:
        rows.append(row)
    return rows, i


def _next_is_cell(lines: list[_Line | None], j: int) -> bool:
    while j < len(lines) and lines[j] is None:
        j += 1
    return j < len(lines) and lines[j].lone_cell


def _emit_row(builder: _Builder, paragraphs: list[Paragraph], cells, table_id: int) -> None:
    start = builder.pos
    for n, (text, segments) in enumerate(cells):
        if n:
            anchor = segments[0][0] if segments else builder.spans[-1][1]
            builder.synthetic(" | ", anchor)
        _copy_segments(builder, segments, text)
    _end_paragraph(builder, paragraphs, start, cells=[c[0] for c in cells], table_id=table_id)


def _emit_paragraph(builder: _Builder, paragraphs: list[Paragraph], group: list[_Line]) -> None:
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


def _continues(last: _Line, lines: list[_Line | None], i: int) -> bool:
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
