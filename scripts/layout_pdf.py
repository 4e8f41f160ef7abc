"""Render a layout-fixture source into PDF (fpdf2): cover, 目录 with leaders, running header
and page footer, headings, paragraphs, ruled tables that continue over page breaks."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from doc_render import FONT, bold, pdf_safe, setup_pdf  # noqa: E402
from fpdf import FPDF  # noqa: E402
from fpdf.enums import Align, TableHeadingsDisplay, WrapMode, XPos, YPos  # noqa: E402
from fpdf.fonts import FontFace  # noqa: E402
from layout_spec import COVERED, CREATOR, DATE, Spec, header_cells, header_rows, heading_text, level_of, table_parts  # noqa: E402


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
    headers = header_rows(table_spec)
    ncols = len(headers[0])
    relative = [float(w) for w in table_spec.get("widths", [])] or [1.0] * ncols
    widths = tuple(w * pdf.epw / sum(relative) for w in relative)
    size = _SIZES["table"]
    pdf.set_font(FONT, size=size)
    unit = table_spec.get("unit")
    repeat = table_spec.get("repeat_header") == "true"
    with pdf.table(
        col_widths=widths, width=pdf.epw, text_align="LEFT", line_height=size * 0.55,
        headings_style=FontFace(emphasis=None, fill_color=(230, 230, 230)), padding=1.2,
        wrapmode=WrapMode.CHAR, num_heading_rows=len(headers) + (1 if unit else 0),
        repeat_headings=(TableHeadingsDisplay.ON_TOP_OF_EVERY_PAGE if repeat
                         else TableHeadingsDisplay.NONE),
    ) as table:
        if unit:
            table.row().cell(f"单位：{unit}", colspan=ncols, align="RIGHT")
        cells = header_cells(headers)
        for h in range(len(headers)):
            row = table.row()
            for _, _, text, down, right in (cell for cell in cells if cell[0] == h):
                row.cell(pdf_safe(text), align="CENTER", rowspan=down, colspan=right,
                         v_align="MIDDLE")
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
            for n, (caption, part) in enumerate(table_parts(block["table"])):
                if n or pdf.get_y() > pdf.page_break_trigger - 30:
                    pdf.add_page()  # a caption stays with the first rows of its table
                _para(pdf, caption, 10.5, 7, Align.C)
                _pdf_table(pdf, part)
                pdf.ln(4)
    target.parent.mkdir(parents=True, exist_ok=True)
    pdf.output(str(target))
    entries = spec.get("toc", {}).get("entries", [])
    if any(starts.get(text) != int(page) for text, page in entries):
        actual = ", ".join(f"{text} {starts.get(text)}" for text, _ in entries)
        raise SystemExit(f"{target.name}: the 目录 page numbers are wrong; the chapters start "
                         f"on: {actual}. Fix the toc entries in the source.")


