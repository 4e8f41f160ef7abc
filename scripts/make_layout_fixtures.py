"""Render the layout fixtures for the document loader from their YAML sources.

    tests/fixtures/layout/src/NAME.yaml  ->  tests/fixtures/layout/generated/NAME.docx
                                             tests/fixtures/layout/generated/NAME.pdf

The fixtures carry what real submitted documents carry and a loader must cope with: a cover
page, a 目录 with dot leaders and page numbers, running headers and "第 N 页" footers, tables
continued on the next page (with and without a repeated header row), merged cells (gridSpan /
vMerge, colspan / rowspan), a unit row above a table header, Word automatic heading numbering,
nested tables, Chinese-named heading styles, auto-numbered lists and paragraphs that cross a
page break. What a correct loader must produce is written down in tests/fixtures/layout/
expected.yaml. A source without `pdf: "false"` gets both formats. Output is deterministic
(fixed metadata, creation date and zip entries).

    python scripts/make_layout_fixtures.py            write all fixtures
    python scripts/make_layout_fixtures.py --check    regenerate into a temp dir; exit 1 if the
                                                      extracted text differs from the files
    python scripts/make_layout_fixtures.py --out DIR  write somewhere else (tests use tmp_path)
"""

from __future__ import annotations

import copy
import sys
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import docx  # noqa: E402
import yaml  # noqa: E402
from doc_render import (  # noqa: E402
    FONT,
    bold,
    generator_main,
    normalise_zip,
    pdf_safe,
    pdf_text,
    set_core_properties,
    set_fonts,
    setup_docx_styles,
    setup_pdf,
)
from docx.enum.style import WD_STYLE_TYPE  # noqa: E402
from docx.enum.table import WD_TABLE_ALIGNMENT  # noqa: E402
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_TAB_ALIGNMENT, WD_TAB_LEADER  # noqa: E402
from docx.oxml import OxmlElement, parse_xml  # noqa: E402
from docx.oxml.ns import nsdecls, qn  # noqa: E402
from docx.shared import Mm, Pt, RGBColor  # noqa: E402
from docx.table import Table  # noqa: E402
from docx.text.paragraph import Paragraph  # noqa: E402
from fpdf import FPDF  # noqa: E402
from fpdf.enums import Align, TableHeadingsDisplay, WrapMode, XPos, YPos  # noqa: E402
from fpdf.fonts import FontFace  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
BASE = ROOT / "tests" / "fixtures" / "layout"
SOURCES = BASE / "src"
GENERATED = BASE / "generated"
DATE = datetime(2024, 11, 30, tzinfo=UTC)
CREATOR = "cpaudit scripts/make_layout_fixtures.py"
COVERED = "^"  # a cell covered by a rowspan from the row above

Spec = dict[str, Any]


def load(path: Path) -> Spec:
    # BaseLoader: every scalar stays text ("18.6", "2.0", "0" exactly as written).
    return yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)


def heading_text(block: Spec, level: int) -> str:
    number = block.get("number")
    return f"{number} {block[f'h{level}']}" if number else block[f"h{level}"]


def level_of(block: Spec) -> int:
    return next((n for n in (1, 2, 3) if f"h{n}" in block), 0)


def check_totals(spec: Spec) -> None:
    """A table's 合计 row must be the sum of every row above it (on every page)."""
    for block in spec["body"]:
        table = block.get("table")
        if not table or "total" not in table:
            continue
        rows = [r for r in table["rows"] if isinstance(r, list)]
        label = table["total"]["label"]
        total = next(r for r in rows if r[0] == label)
        for col in map(int, table["total"]["columns"]):
            got = sum(Decimal(r[col]) for r in rows if r is not total and r[col])
            if got != Decimal(total[col]):
                raise SystemExit(f"{table['caption']}: column {col} sums to {got}, "
                                 f"the {label} row says {total[col]}")


# DOCX ----------------------------------------------------------------------------------------

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
    heading = document.add_paragraph(toc["title"], style="TOC Heading")
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    style = document.styles.add_style("toc 1", WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = document.styles["Normal"]
    entries = toc["entries"]
    for n, (text, page) in enumerate(entries):
        paragraph = document.add_paragraph(style="toc 1")
        paragraph.paragraph_format.tab_stops.add_tab_stop(
            Mm(160), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)
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
    header = table_spec["header"]
    ncols = len(header)
    unit = table_spec.get("unit")
    rows = table_spec["rows"]
    nrows = len(rows) + 1 + (1 if unit else 0)
    table = container.add_table(rows=nrows, cols=ncols)  # document body or a cell (nested)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    r = 0
    if unit:
        merged = table.cell(0, 0).merge(table.cell(0, ncols - 1))
        _fill(merged, f"单位：{unit}", size)
        r = 1
    for c, text in enumerate(header):
        _fill(table.cell(r, c), text, size, bold_text=True)
    if table_spec.get("repeat_header") == "true":
        for row in table.rows[: r + 1]:
            row._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    r += 1
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
            _caption(document, block["table"]["caption"])
            _docx_table(document, block["table"])
    target.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(target))
    normalise_zip(target)


# PDF -----------------------------------------------------------------------------------------


class LayoutPDF(FPDF):
    running_header = ""
    footer_template = "第 {page} 页"
    bare_pages: frozenset[int] = frozenset()  # pages without header and footer (the cover)

    def header(self) -> None:
        if self.page_no() in self.bare_pages:
            return
        self.set_font(FONT, size=9)
        self.set_xy(self.l_margin, 10)
        self.cell(0, 6, self.running_header, align=Align.C)
        self.set_line_width(0.2)
        self.line(self.l_margin, 17, self.w - self.r_margin, 17)
        self.set_xy(self.l_margin, self.t_margin)

    def footer(self) -> None:
        if self.page_no() in self.bare_pages:
            return
        self.set_y(-15)
        self.set_font(FONT, size=9)
        self.cell(0, 8, self.footer_template.format(page=self.page_no()), align=Align.C)


_SIZES = {"title": 18.0, 1: 15.0, 2: 13.0, 3: 11.5, "body": 10.5, "table": 9.0}


def _para(pdf: FPDF, text: str, size: float, height: float, align: Align = Align.L) -> None:
    pdf.set_font(FONT, size=size)
    pdf.multi_cell(0, height, pdf_safe(text), align=align, wrapmode=WrapMode.CHAR,
                   new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _pdf_cover(pdf: LayoutPDF, spec: Spec) -> None:
    pdf.add_page()
    pdf.set_y(80)
    bold(pdf, True)
    _para(pdf, spec["title"], 20, 12, Align.C)
    bold(pdf, False)
    pdf.set_y(150)
    for line in spec["cover"]:
        _para(pdf, line, 13, 10, Align.C)


def _pdf_toc(pdf: LayoutPDF, toc: Spec) -> None:
    pdf.add_page()
    bold(pdf, True)
    _para(pdf, toc["title"], 16, 12, Align.C)
    bold(pdf, False)
    pdf.ln(4)
    pdf.set_font(FONT, size=12)
    dot = pdf.get_string_width(".")
    for text, page in toc["entries"]:
        y = pdf.get_y()
        width = pdf.get_string_width(text)
        number = pdf.get_string_width(page)
        pdf.set_xy(pdf.l_margin, y)
        pdf.cell(width, 9, text)
        dots = int((pdf.epw - width - number - 4) / dot)
        pdf.set_xy(pdf.l_margin + width + 2, y)
        pdf.cell(dots * dot, 9, "." * dots)
        pdf.set_xy(pdf.l_margin, y)
        pdf.cell(pdf.epw, 9, page, align=Align.R, new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _pdf_table(pdf: FPDF, table_spec: Spec) -> None:
    header = table_spec["header"]
    ncols = len(header)
    relative = [float(w) for w in table_spec.get("widths", [])] or [1.0] * ncols
    widths = tuple(w * pdf.epw / sum(relative) for w in relative)
    size = _SIZES["table"]
    pdf.set_font(FONT, size=size)
    unit = table_spec.get("unit")
    repeat = table_spec.get("repeat_header") == "true"
    with pdf.table(
        col_widths=widths, width=pdf.epw, text_align="LEFT", line_height=size * 0.55,
        headings_style=FontFace(emphasis=None, fill_color=(230, 230, 230)), padding=1.2,
        wrapmode=WrapMode.CHAR, num_heading_rows=2 if unit else 1,
        repeat_headings=(TableHeadingsDisplay.ON_TOP_OF_EVERY_PAGE if repeat
                         else TableHeadingsDisplay.NONE),
    ) as table:
        if unit:
            table.row().cell(f"单位：{unit}", colspan=ncols, align="RIGHT")
        row = table.row()
        for text in header:
            row.cell(pdf_safe(text), align="CENTER")
        for cells in table_spec["rows"]:
            row = table.row()
            if isinstance(cells, dict):
                row.cell(cells["group"], colspan=ncols)
                continue
            for cell in cells:
                if cell == COVERED:
                    continue
                if isinstance(cell, dict):
                    row.cell(pdf_safe(cell["text"]), rowspan=int(cell.get("rowspan", "1")),
                             v_align="MIDDLE")
                else:
                    row.cell(pdf_safe(cell))


def build_pdf(spec: Spec, target: Path) -> None:
    pdf = LayoutPDF(orientation="portrait", unit="mm", format="A4")
    pdf.running_header = spec["running_header"]
    pdf.footer_template = spec["footer"]
    pdf.bare_pages = frozenset({1}) if "cover" in spec else frozenset()
    pdf.set_margins(left=22, top=24, right=22)
    pdf.set_auto_page_break(auto=True, margin=22)
    setup_pdf(pdf, title=spec["title"], author=CREATOR, subject="版面测试样例",
              creator=CREATOR, date=DATE, symbol_fallback=True)
    if "cover" in spec:
        _pdf_cover(pdf, spec)
    if "toc" in spec:
        _pdf_toc(pdf, spec["toc"])
    starts: dict[str, int] = {}
    for n, block in enumerate(spec["body"]):
        if n == 0:
            pdf.add_page()
        if "title" in block:
            pdf.ln(4)
            bold(pdf, True)
            _para(pdf, block["title"], _SIZES["title"], 10, Align.C)
            bold(pdf, False)
            pdf.ln(3)
        elif level := level_of(block):
            if pdf.get_y() > pdf.page_break_trigger - 32:
                pdf.add_page()  # keep a heading with the lines below it
            text = heading_text(block, level)
            starts[text] = pdf.page_no()
            pdf.ln(3 if level == 1 else 2)
            bold(pdf, True)
            _para(pdf, text, _SIZES[level], 8)
            bold(pdf, False)
            pdf.ln(1)
        elif "para" in block:
            _para(pdf, block["para"], _SIZES["body"], 6.5)
            pdf.ln(1.5)
        elif "article" in block:
            first, *rest = block["paras"]
            _para(pdf, f"{block['article']}　{first}", _SIZES["body"], 6.5)
            for text in rest:
                _para(pdf, text, _SIZES["body"], 6.5)
            pdf.ln(1.5)
        elif "table" in block:
            table = block["table"]
            if pdf.get_y() > pdf.page_break_trigger - 30:
                pdf.add_page()  # a caption stays with the first rows of its table
            _para(pdf, table["caption"], 10.5, 7, Align.C)
            _pdf_table(pdf, table)
            pdf.ln(4)
    target.parent.mkdir(parents=True, exist_ok=True)
    pdf.output(str(target))
    entries = spec.get("toc", {}).get("entries", [])
    if any(starts.get(text) != int(page) for text, page in entries):
        actual = ", ".join(f"{text} {starts.get(text)}" for text, _ in entries)
        raise SystemExit(f"{target.name}: the 目录 page numbers are wrong; the chapters start "
                         f"on: {actual}. Fix the toc entries in the source.")


# Extraction for --check ----------------------------------------------------------------------


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


def generate(out_dir: Path, names: list[str] | None = None,
             sources: Path = SOURCES) -> list[Path]:
    """Render every YAML source in `sources` (another tree of the same format, such as the
    report evaluation sets, may be passed) into `out_dir`."""
    written = []
    for source in sorted(sources.glob("*.yaml")):
        if names and source.stem not in names:
            continue
        spec = load(source)
        check_totals(spec)
        builders = [(".docx", build_docx)]
        if spec.get("pdf", "true") == "true":
            builders.append((".pdf", build_pdf))
        for suffix, build in builders:
            target = out_dir / f"{source.stem}{suffix}"
            build(copy.deepcopy(spec), target)
            written.append(target)
    return written


def main(argv: list[str] | None = None) -> int:
    return generator_main(argv, description=__doc__.splitlines()[0], generate=generate,
                          generated=GENERATED, root=ROOT,
                          extract={".pdf": pdf_text, ".docx": docx_layout_text}, what="fixtures")


if __name__ == "__main__":
    sys.exit(main())
