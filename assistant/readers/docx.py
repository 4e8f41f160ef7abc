"""Word (DOCX) as Word writes it: body order, heading styles and outline levels, automatic
numbering, merged cells in both directions, nested tables, and no headers or footers.

The XML is walked directly (python-docx opens the package): a heading numbered by Word
("1.1" from a numbering definition) has no number in its text, so the number Word would
display is rebuilt from numbering.xml; a cell spanning columns (gridSpan) or rows (vMerge) is
expanded onto the grid so every value stays under its own column header.
"""

from __future__ import annotations

import re
from typing import Any

from docx.oxml.ns import qn

from assistant.budget import DocumentBudget
from assistant.cnnum import int_to_cn
from assistant.readers.raw import Raw, RawCell, RawRow, RawTable, RawText

_HEADING_STYLE = re.compile(r"^(?:heading|标题)\s*(\d)$", re.IGNORECASE)
_TOC_STYLE = re.compile(r"^(?:toc|目录)\s*\d*$", re.IGNORECASE)
_TITLE_STYLES = {"title", "标题"}
_MAX_COLUMNS = 63  # Word's limit on table columns
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def read_docx(document: Any, budget: DocumentBudget | None = None) -> list[Raw]:
    """`document`: a python-docx Document. Body content in order, headers/footers left out;
    `budget` stops the reading at its first excess."""
    reader = _Reader(document, budget)
    items: list[Raw] = []
    reader.walk(document.element.body, items)
    return items


class _Reader:
    def __init__(self, document: Any, budget: DocumentBudget | None) -> None:
        self.budget = budget
        self.styles = {s.style_id: s for s in document.styles}
        self.numbering = _Numbering(document)

    def walk(self, parent: Any, items: list[Raw]) -> None:
        for child in parent.iterchildren():
            if child.tag == qn("w:p"):
                item = self.paragraph(child)
                if item is not None:
                    items.append(item)
            elif child.tag == qn("w:tbl"):
                self.table(child, items)
            elif child.tag == qn("w:sdt"):  # content controls (a Word TOC sits in one)
                content = child.find(qn("w:sdtContent"))
                if content is not None:
                    self.walk(content, items)

    def count(self, text: str) -> str:
        if self.budget is not None:
            self.budget.text(len(text))
        return text

    def paragraph(self, p: Any) -> RawText | None:
        text = self.count(_text(p))
        style = self._style(p)
        name = (style.name or "") if style is not None else ""
        if _TOC_STYLE.match(name):
            return RawText([(text, None)], toc=True) if text.strip() else None
        level = self._level(p, style, name)
        label = self.numbering.label(p, style, self.styles)
        if not text.strip():
            return None
        if level:  # a numbered heading shows its number: "第4章 方案的产生和筛选"
            if label is not None and label not in self.numbering.bullets and not text.startswith(label):
                text = f"{label} {text.strip()}"
            return RawText([(text.strip(), None)], style_level=level)
        return RawText([(text.strip(), None)], list_marker=label)

    def _style(self, p: Any) -> Any:
        ppr = p.find(qn("w:pPr"))
        style_el = ppr.find(qn("w:pStyle")) if ppr is not None else None
        style_id = style_el.get(qn("w:val")) if style_el is not None else None
        return self.styles.get(style_id) if style_id else self.styles.get("Normal")

    def _level(self, p: Any, style: Any, name: str) -> int:
        if m := _HEADING_STYLE.match(name):
            return int(m.group(1))
        if name.lower() in _TITLE_STYLES:
            return 1
        for holder in (p, style.element if style is not None else None):
            ppr = holder.find(qn("w:pPr")) if holder is not None else None
            outline = ppr.find(qn("w:outlineLvl")) if ppr is not None else None
            if outline is not None and (value := outline.get(qn("w:val"), "")).isdigit() \
                    and int(value) < 9:
                return int(value) + 1
        return 0

    def table(self, tbl: Any, items: list[Raw]) -> None:
        table = RawTable()
        nested: list[Raw] = []
        above: dict[int, str] = {}  # grid column → text of the cell a vertical merge continues
        for tr in tbl.findall(qn("w:tr")):
            cells: list[RawCell] = []
            trpr = tr.find(qn("w:trPr"))
            header = trpr is not None and trpr.find(qn("w:tblHeader")) is not None
            if trpr is not None:
                cells.extend(RawCell("") for _ in range(_int_val(trpr, "w:gridBefore", 0)))
            for tc in tr.findall(qn("w:tc")):
                tcpr = tc.find(qn("w:tcPr"))
                span = _int_val(tcpr, "w:gridSpan", 1)
                vmerge = tcpr.find(qn("w:vMerge")) if tcpr is not None else None
                column = len(cells)
                if vmerge is not None and vmerge.get(qn("w:val"), "continue") != "restart":
                    text, merged = above.get(column, ""), "row"
                else:
                    text, merged = self._cell_text(tc, nested), None
                    above[column] = text
                cells.append(RawCell(text, merged))
                cells.extend(RawCell("", "col") for _ in range(span - 1))
            table.rows.append(RawRow(cells, header=header))
        items.append(table)
        items.extend(nested)

    def _cell_text(self, tc: Any, nested: list[Raw]) -> str:
        parts = []
        for child in tc.iterchildren():
            if child.tag == qn("w:p"):
                parts.append(self.count(_text(child)))
            elif child.tag == qn("w:tbl"):
                self.table(child, nested)  # a table inside a cell follows its table
        return " ".join(" ".join(parts).split())


def _text(p: Any) -> str:
    out = []
    for node in p.iter(qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:delText")):
        if node.tag == qn("w:t"):
            out.append(node.text or "")
        elif node.tag in (qn("w:tab"), qn("w:br")):
            out.append("\t" if node.tag == qn("w:tab") else " ")
    return "".join(out)


def _int_val(parent: Any, tag: str, default: int) -> int:
    """A count attribute (gridSpan, gridBefore), at most Word's 63 columns: a crafted
    gridSpan of 10⁹ would otherwise expand into a billion cells."""
    node = parent.find(qn(tag)) if parent is not None else None
    value = node.get(qn("w:val"), "") if node is not None else ""
    return min(int(value), _MAX_COLUMNS) if value.isascii() and value.isdigit() else default


class _Numbering:
    """The numbers Word displays for automatically numbered paragraphs (numbering.xml)."""

    def __init__(self, document: Any) -> None:
        self.nums: dict[str, Any] = {}
        self.abstract: dict[str, Any] = {}
        self.counters: dict[str, list[int]] = {}
        self.bullets: set[str] = {"•"}  # the labels that are bullets, not numbers
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        for num in root.findall(qn("w:num")):
            self.nums[num.get(qn("w:numId"))] = num
        for abstract in root.findall(qn("w:abstractNum")):
            self.abstract[abstract.get(qn("w:abstractNumId"))] = abstract

    def label(self, p: Any, style: Any, styles: dict[str, Any]) -> str | None:
        num_id, ilvl = self._numpr(p, style, styles)
        if num_id is None or num_id == "0" or num_id not in self.nums:
            return None
        num = self.nums[num_id]
        reference = num.find(qn("w:abstractNumId"))
        if reference is None:  # a numbering instance without a definition: no number shown
            return None
        abstract_id = reference.get(qn("w:val"))
        abstract = self.abstract.get(abstract_id)
        if abstract is None:
            return None
        levels = {int(lvl.get(qn("w:ilvl"))): lvl for lvl in abstract.findall(qn("w:lvl"))}
        if ilvl not in levels:
            return None
        counters = self.counters.setdefault(num_id, [0] * 9)
        counters[ilvl] += 1
        for deeper in range(ilvl + 1, 9):
            counters[deeper] = 0
        fmt = _attr(levels[ilvl], "w:numFmt") or "decimal"
        text = _attr(levels[ilvl], "w:lvlText") or f"%{ilvl + 1}."
        if fmt == "none":
            return None
        if fmt == "bullet":  # the bullet character, unless it is a Symbol-font private glyph
            bullet = text if text and text.isprintable() and not "\ue000" <= text <= "\uf8ff" \
                else "•"
            self.bullets.add(bullet)
            return bullet

        def shown(m: re.Match[str]) -> str:
            level = int(m.group(1)) - 1
            lvl = levels.get(level)
            start = int(_attr(lvl, "w:start") or 1) if lvl is not None else 1
            value = start + max(counters[level], 1) - 1
            return _format(value, _attr(lvl, "w:numFmt") if lvl is not None else "decimal")

        return re.sub(r"%(\d)", shown, text).strip()

    def _numpr(self, p: Any, style: Any, styles: dict[str, Any]) -> tuple[str | None, int]:
        holders = [p]
        seen = set()
        while style is not None and style.style_id not in seen:  # a style inherits numbering
            seen.add(style.style_id)
            holders.append(style.element)
            style = style.base_style
        num_id, ilvl = None, None
        for holder in holders:
            ppr = holder.find(qn("w:pPr"))
            numpr = ppr.find(qn("w:numPr")) if ppr is not None else None
            if numpr is None:
                continue
            if num_id is None and (node := numpr.find(qn("w:numId"))) is not None:
                num_id = node.get(qn("w:val"))
            if ilvl is None and (node := numpr.find(qn("w:ilvl"))) is not None:
                ilvl = int(node.get(qn("w:val"), "0"))
        return num_id, ilvl or 0


def _attr(parent: Any, tag: str) -> str | None:
    node = parent.find(qn(tag)) if parent is not None else None
    return node.get(qn("w:val")) if node is not None else None


def _format(value: int, fmt: str | None) -> str:
    if fmt in ("chineseCounting", "chineseCountingThousand", "chineseLegalSimplified",
               "ideographTraditional", "taiwaneseCountingThousand"):
        return int_to_cn(value)
    if fmt == "decimalEnclosedCircle" or fmt == "decimalEnclosedCircleChinese":
        return _CIRCLED[value - 1] if 0 < value <= len(_CIRCLED) else str(value)
    if fmt == "lowerLetter":
        return chr(ord("a") + (value - 1) % 26)
    if fmt == "upperLetter":
        return chr(ord("A") + (value - 1) % 26)
    if fmt in ("lowerRoman", "upperRoman"):
        roman = _roman(value)
        return roman.lower() if fmt == "lowerRoman" else roman
    return str(value)


def _roman(n: int) -> str:
    out = ""
    for value, letters in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"),
                           (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"),
                           (4, "IV"), (1, "I")):
        while n >= value:
            out, n = out + letters, n - value
    return out
