"""Render a layout-fixture source into DOCX: Word heading styles and automatic numbering, a
TOC, real tables with merged cells and repeated header rows, header/footer parts."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import docx  # noqa: E402
from doc_render import normalise_zip, set_core_properties, set_fonts, setup_docx_styles  # noqa: E402
from docx.enum.style import WD_STYLE_TYPE  # noqa: E402
from docx.enum.table import WD_TABLE_ALIGNMENT  # noqa: E402
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_TAB_ALIGNMENT, WD_TAB_LEADER  # noqa: E402
from docx.oxml import OxmlElement, parse_xml  # noqa: E402
from docx.oxml.ns import nsdecls, qn  # noqa: E402
from docx.shared import Mm, Pt, RGBColor  # noqa: E402
from docx.table import Table  # noqa: E402
from docx.text.paragraph import Paragraph  # noqa: E402
from layout_spec import COVERED, CREATOR, DATE, Spec, header_cells, header_rows, heading_text, level_of, table_parts  # noqa: E402

_AUTO_NUM_ID = 20  # chapter headings: 第%1章 / %1.%2 / %1.%2.%3
_LIST_NUM_ID = {"number": 21, "bullet": 22}


def _numbering_xml(num_id: int, levels: list[tuple[str, str, str, str]]) -> tuple[str, str]:
    """abstractNum + num XML; levels are (numFmt, lvlText, start, suff: "space" or "")."""
    # Element order inside w:lvl is fixed by the schema: start, numFmt, suff, lvlText, lvlJc, pPr.
    lvls = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/>'
        + (f'<w:suff w:val="{suff}"/>' if suff else "")
        + f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
        f'<w:pPr><w:ind w:left="{420 * (i + 1)}" w:hanging="420"/></w:pPr></w:lvl>'
        for i, (fmt, text, start, suff) in enumerate(levels)
    )
    abstract = (f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{num_id}">'
                f'<w:multiLevelType w:val="multilevel"/>{lvls}</w:abstractNum>')
    num = f'<w:num {nsdecls("w")} w:numId="{num_id}"><w:abstractNumId w:val="{num_id}"/></w:num>'
    return abstract, num


def add_numbering(document: docx.document.Document, start_chapter: int) -> None:
    numbering = document.part.numbering_part.element
    definitions = [
        _numbering_xml(_AUTO_NUM_ID, [("decimal", "第%1章", str(start_chapter), "space"),
                                      ("decimal", "%1.%2", "1", "space"),
                                      ("decimal", "%1.%2.%3", "1", "space")]),
        _numbering_xml(_LIST_NUM_ID["number"], [("decimal", "（%1）", "1", "")]),
        _numbering_xml(_LIST_NUM_ID["bullet"], [("bullet", "●", "1", "")]),
    ]
    first_num = numbering.find(qn("w:num"))
    for abstract, num in definitions:
        # Schema order: every w:abstractNum before the first w:num.
        first_num.addprevious(parse_xml(abstract))
        numbering.append(parse_xml(num))


def set_num(paragraph: Paragraph, num_id: int, level: int) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    ppr.insert_element_before(
        parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/>'
                  f'<w:numId w:val="{num_id}"/></w:numPr>'),
        "w:suppressLineNumbers", "w:pBdr", "w:shd", "w:tabs", "w:suppressAutoHyphens",
        "w:kinsoku", "w:wordWrap", "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE",
        "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind",
        "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
        "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl",
        "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange",
    )


def _fld(paragraph: Paragraph, kind: str, text: str = "") -> None:
    run = paragraph.add_run()
    if kind == "instr":
        instr = OxmlElement("w:instrText")
        instr.set(qn("xml:space"), "preserve")
        instr.text = text
        run._r.append(instr)
    else:
        char = OxmlElement("w:fldChar")
        char.set(qn("w:fldCharType"), kind)
        run._r.append(char)


def add_page_field(paragraph: Paragraph, template: str) -> None:
    """'第 {page} 页' with a real PAGE field (cached result 1) in place of {page}."""
    before, after = template.split("{page}")
    paragraph.add_run(before)
    _fld(paragraph, "begin")
    _fld(paragraph, "instr", " PAGE ")
    _fld(paragraph, "separate")
    paragraph.add_run("1")
    _fld(paragraph, "end")
    paragraph.add_run(after)


def _furniture(document: docx.document.Document, spec: Spec, *, cover: bool) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(25)
    section.different_first_page_header_footer = cover  # the cover has no header or footer
    header = section.header.paragraphs[0]
    header.text = spec["running_header"]
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    add_page_field(footer, spec["footer"])
    for paragraph in (header, footer):
        for run in paragraph.runs:
            run.font.size = Pt(9)


def _docx_toc(document: docx.document.Document, toc: Spec) -> None:
    """A real TOC field with "toc 1" entries, or (`field: "false"`) a 目录 typed by hand:
    Normal paragraphs with a dotted tab, no field."""
    typed = toc.get("field") == "false"
    heading = document.add_paragraph(toc["title"], style="Normal" if typed else "TOC Heading")
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if not typed:
        style = document.styles.add_style("toc 1", WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = document.styles["Normal"]
    entries = toc["entries"]
    for n, (text, page) in enumerate(entries):
        paragraph = document.add_paragraph(style="Normal" if typed else "toc 1")
        paragraph.paragraph_format.tab_stops.add_tab_stop(
            Mm(160), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)
        if typed:
            paragraph.add_run(f"{text}\t{page}")
            continue
        if n == 0:  # a real Word TOC field around the entries
            _fld(paragraph, "begin")
            _fld(paragraph, "instr", ' TOC \\o "1-3" \\h \\z \\u ')
            _fld(paragraph, "separate")
        paragraph.add_run(f"{text}\t{page}")
        if n == len(entries) - 1:
            _fld(paragraph, "end")
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _fill(cell: Any, text: str, size: float, bold_text: bool = False) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.paragraph_format.line_spacing = 1.0
    run = paragraph.add_run(text)
    run.font.size = Pt(size)
    run.font.bold = bold_text


def _docx_table(container: Any, table_spec: Spec, *, size: float = 10.0) -> Table:
    headers = header_rows(table_spec)
    ncols = len(headers[0])
    unit = table_spec.get("unit")
    rows = table_spec["rows"]
    nrows = len(rows) + len(headers) + (1 if unit else 0)
    table = container.add_table(rows=nrows, cols=ncols)  # document body or a cell (nested)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    r = 0
    if unit:
        merged = table.cell(0, 0).merge(table.cell(0, ncols - 1))
        _fill(merged, f"单位：{unit}", size)
        r = 1
    for h, c, text, down, right in header_cells(headers):
        target = table.cell(r + h, c)
        if down > 1 or right > 1:
            target = target.merge(table.cell(r + h + down - 1, c + right - 1))
        _fill(target, text, size, bold_text=True)
    if table_spec.get("repeat_header") == "true":
        for row in table.rows[: r + len(headers)]:
            row._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    r += len(headers)
    for cells in rows:
        if isinstance(cells, dict):  # group row: one cell across all columns
            merged = table.cell(r, 0).merge(table.cell(r, ncols - 1))
            _fill(merged, cells["group"], size, bold_text=True)
        else:
            for c, cell in enumerate(cells):
                if cell == COVERED:
                    continue
                target = table.cell(r, c)
                if isinstance(cell, dict) and "rowspan" in cell:
                    target = target.merge(table.cell(r + int(cell["rowspan"]) - 1, c))
                if isinstance(cell, dict) and "table" in cell:
                    _fill(target, cell["text"], size)
                    # python-docx puts the empty paragraph Word requires after the table.
                    _docx_table(target, cell["table"], size=9)
                else:
                    _fill(target, cell["text"] if isinstance(cell, dict) else cell, size)
        r += 1
    return table


def _caption(document: docx.document.Document, text: str) -> None:
    paragraph = document.add_paragraph(text, style="Caption")
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.keep_with_next = True


def _docx_styles(document: docx.document.Document, spec: Spec) -> None:
    setup_docx_styles(
        document, body_font="宋体", heading_font="黑体", body_size=12,
        heading_sizes={"Title": 20, "Heading 1": 16, "Heading 2": 14, "Heading 3": 12},
    )
    styles = document.styles
    styles["Title"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for name in ("Caption", "TOC Heading"):
        set_fonts(styles[name], "Times New Roman", "黑体")
        styles[name].font.italic = False
        styles[name].font.bold = False
        styles[name].font.color.rgb = RGBColor(0, 0, 0)
        styles[name].font.size = Pt(10.5 if name == "Caption" else 16)
    if any(b.get("style") == "标题 1" for b in spec["body"]):
        style = styles.add_style("标题 1", WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = styles["Normal"]
        style.next_paragraph_style = styles["Normal"]
        set_fonts(style, "Times New Roman", "黑体")
        style.font.size = Pt(16)
        style.paragraph_format.space_before = style.paragraph_format.space_after = Pt(12)
        style.paragraph_format.keep_with_next = True
        outline = OxmlElement("w:outlineLvl")
        outline.set(qn("w:val"), "0")
        style.element.get_or_add_pPr().append(outline)


def build_docx(spec: Spec, target: Path) -> None:
    document = docx.Document()
    _docx_styles(document, spec)
    set_core_properties(document, title=spec["title"], author=CREATOR, subject="版面测试样例",
                        keywords="清洁生产审核", date=DATE)
    auto = [b for b in spec["body"] if b.get("auto") == "true" and "h1" in b]
    add_numbering(document, int(auto[0]["number"].strip("第章")) if auto else 1)
    _furniture(document, spec, cover="cover" in spec)
    if "cover" in spec:
        document.add_paragraph(spec["title"], style="Title")
        for line in spec["cover"]:
            document.add_paragraph(line).alignment = WD_ALIGN_PARAGRAPH.CENTER
        document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    if "toc" in spec:
        _docx_toc(document, spec["toc"])
    for block in spec["body"]:
        if "title" in block:
            document.add_paragraph(block["title"], style="Title")
        elif level := level_of(block):
            if "style" in block:
                paragraph = document.add_paragraph(block[f"h{level}"], style=block["style"])
            elif block.get("bold") == "true":  # typed as a bold Normal paragraph, no style
                paragraph = document.add_paragraph()
                paragraph.add_run(heading_text(block, level)).font.bold = True
            elif block.get("auto") == "true":  # number comes from numbering.xml, not the text
                paragraph = document.add_heading(block[f"h{level}"], level=level)
                set_num(paragraph, _AUTO_NUM_ID, level - 1)
            else:
                paragraph = document.add_heading(heading_text(block, level), level=level)
        elif "para" in block:
            document.add_paragraph(block["para"])
        elif "article" in block:
            first, *rest = block["paras"]
            paragraph = document.add_paragraph()
            paragraph.add_run(block["article"]).font.bold = True
            paragraph.add_run(f"　{first}")
            for text in rest:
                document.add_paragraph(text)
        elif "list" in block:
            for item in block["list"]["items"]:
                paragraph = document.add_paragraph(item, style="List Paragraph")
                set_num(paragraph, _LIST_NUM_ID[block["list"]["kind"]], 0)
        elif "table" in block:
            for n, (caption, part) in enumerate(table_parts(block["table"])):
                if n:  # the rest of a split table starts on a new page under its 续表 caption
                    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
                _caption(document, caption)
                _docx_table(document, part)
    target.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(target))
    normalise_zip(target)





def docx_layout_text(path: Path) -> list[str]:
    """Everything the fixtures put into a DOCX: header and footer parts, body paragraphs with
    their style and numbering, tables row by row (nested tables inline), in body order."""
    document = docx.Document(str(path))
    out: list[str] = []
    for section in document.sections:
        for part in (section.header, section.footer, section.first_page_header):
            out += [f"[furniture] {p.text}" for p in part.paragraphs]

    def walk(items: Any, depth: int) -> None:
        for item in items:
            if isinstance(item, Table):
                for row in item.rows:
                    out.append(f"{'  ' * depth}[row] " + "\t".join(c.text for c in row.cells))
                    for cell in row.cells:
                        walk([t for t in cell.iter_inner_content() if isinstance(t, Table)],
                             depth + 1)
            else:
                num = item._p.pPr.numPr if item._p.pPr is not None else None
                mark = f" num={num.numId.val}/{num.ilvl.val}" if num is not None else ""
                out.append(f"{'  ' * depth}[{item.style.name}{mark}] {item.text}")

    walk(document.iter_inner_content(), 0)
    return out


