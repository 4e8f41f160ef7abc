"""Render the sample audit reports from their Markdown sources into DOCX, PDF and TXT.

    tests/fixtures/reports/src/NAME.md  ->  tests/fixtures/reports/generated/NAME.docx
                                            tests/fixtures/reports/generated/NAME.pdf
                                            tests/fixtures/reports/generated/NAME.txt

One source, four formats, so the checkers are tested on the same report as a consultant
would upload it in each format. DOCX gets real Heading styles and real Word tables; the PDF
gets headings, paragraphs and ruled tables with columns sized to their content; the TXT is
plain text in GB18030 (the GBK superset) with tab-separated tables and no heading markup.
Output is deterministic (fixed metadata and zip entries).

    python scripts/make_report_fixtures.py            write all reports
    python scripts/make_report_fixtures.py --check    regenerate into a temp dir; exit 1 if the
                                                      extracted text differs from the files
    python scripts/make_report_fixtures.py --out DIR  write somewhere else (tests use tmp_path)
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import docx  # noqa: E402
from doc_render import (  # noqa: E402
    FONT,
    add_table,
    bold,
    docx_text,
    generator_main,
    normalise_zip,
    pdf_safe,
    pdf_text,
    set_core_properties,
    setup_docx_styles,
    setup_pdf,
)
from docx.enum.text import WD_ALIGN_PARAGRAPH  # noqa: E402
from docx.shared import Mm  # noqa: E402
from fpdf import FPDF  # noqa: E402
from fpdf.enums import Align, WrapMode, XPos, YPos  # noqa: E402
from fpdf.fonts import FontFace  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "tests" / "fixtures" / "reports" / "src"
GENERATED = ROOT / "tests" / "fixtures" / "reports" / "generated"
REPORT_DATE = datetime(2024, 11, 30, tzinfo=UTC)
CREATOR = "cpaudit scripts/make_report_fixtures.py"

_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
_RULE = re.compile(r"^\|[\s:|-]+\|$")
_EMPHASIS = re.compile(r"\*\*|__")


@dataclass
class Block:
    kind: str  # "title" | "heading" | "para" | "table"
    text: str = ""
    level: int = 0
    rows: list[list[str]] | None = None


def parse(md: str) -> list[Block]:
    """Markdown as the fixtures write it: headings, paragraphs, bullets, pipe tables."""
    blocks: list[Block] = []
    for raw in md.splitlines():
        line = raw.strip()
        if not line or line.startswith("<!--"):
            continue
        if line.startswith("|") and line.endswith("|"):
            if _RULE.match(line):
                continue
            cells = [_EMPHASIS.sub("", c).strip() for c in line.strip("|").split("|")]
            if blocks and blocks[-1].kind == "table":
                blocks[-1].rows.append(cells)  # type: ignore[union-attr]
            else:
                blocks.append(Block("table", rows=[cells]))
            continue
        if m := _HEADING.match(line):
            level, text = len(m.group(1)), _EMPHASIS.sub("", m.group(2)).strip()
            first = not any(b.kind in ("title", "heading") for b in blocks)
            blocks.append(Block("title" if first and level == 1 else "heading", text, level))
            continue
        text = _EMPHASIS.sub("", line[2:] if line.startswith(("- ", "* ")) else line)
        blocks.append(Block("para", text.strip()))
    return blocks


# DOCX ----------------------------------------------------------------------------------------


def build_docx(blocks: list[Block], target: Path) -> None:
    document = docx.Document()
    setup_docx_styles(
        document, body_font="宋体", heading_font="黑体", body_size=12,
        heading_sizes={"Title": 20, "Heading 1": 16, "Heading 2": 14, "Heading 3": 12},
    )
    document.styles["Title"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(25)
    title = next((b.text for b in blocks if b.kind == "title"), target.stem)
    set_core_properties(document, title=title, author=CREATOR, subject="清洁生产审核报告",
                        keywords="清洁生产审核", date=REPORT_DATE)
    for block in blocks:
        if block.kind == "title":
            document.add_paragraph(block.text, style="Title")
        elif block.kind == "heading":
            document.add_heading(block.text, level=min(block.level, 3))
        elif block.kind == "table":
            add_table(document, block.rows or [], bold_header=True)
        else:
            document.add_paragraph(block.text)
    target.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(target))
    normalise_zip(target)


# PDF -----------------------------------------------------------------------------------------


class ReportPDF(FPDF):
    def footer(self) -> None:
        # Only the page number, "— 3 —", so a loader can recognise and drop it.
        self.set_y(-15)
        self.set_font(FONT, size=9)
        self.cell(0, 8, f"— {self.page_no()} —", align=Align.C)


_HEADING_SIZES = {1: 16.0, 2: 13.5, 3: 12.0}
_CELL_PADDING = 2.0  # mm, left + right


def build_pdf(blocks: list[Block], target: Path) -> None:
    pdf = ReportPDF(orientation="portrait", unit="mm", format="A4")
    pdf.set_margins(left=20, top=20, right=20)
    pdf.set_auto_page_break(auto=True, margin=22)
    title = next((b.text for b in blocks if b.kind == "title"), target.stem)
    setup_pdf(pdf, title=title, author=CREATOR, subject="清洁生产审核报告", creator=CREATOR,
              date=REPORT_DATE, symbol_fallback=True)
    pdf.add_page()

    def para(text: str, size: float, height: float, align: Align = Align.L) -> None:
        pdf.set_font(FONT, size=size)
        pdf.multi_cell(0, height, pdf_safe(text), align=align, wrapmode=WrapMode.CHAR,
                       new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    for n, block in enumerate(blocks):
        nxt = blocks[n + 1] if n + 1 < len(blocks) else None
        if block.kind == "title":
            pdf.ln(6)
            bold(pdf, True)
            para(block.text, 18, 10, Align.C)
            bold(pdf, False)
            pdf.ln(4)
        elif block.kind == "heading":
            if pdf.get_y() > pdf.page_break_trigger - 30:
                pdf.add_page()  # keep a heading with the first lines below it
            pdf.ln(4)
            bold(pdf, True)
            para(block.text, _HEADING_SIZES.get(block.level, 11.0), 8)
            bold(pdf, False)
            pdf.ln(1)
        elif block.kind == "table":
            _pdf_table(pdf, block.rows or [])
            pdf.ln(3)
        else:
            if nxt is not None and nxt.kind == "table":
                # A table's caption stays on the page of the table when the table is short.
                needed = 7 * (len(nxt.rows or []) + 1) + 8
                if needed < 150 and pdf.get_y() + needed > pdf.page_break_trigger:
                    pdf.add_page()
            para(block.text, 10.5, 6.5)
            pdf.ln(1.5)
    target.parent.mkdir(parents=True, exist_ok=True)
    pdf.output(str(target))


def _pdf_table(pdf: FPDF, rows: list[list[str]]) -> None:
    ncols = max(len(r) for r in rows)
    rows = [[pdf_safe(c) for c in r] + [""] * (ncols - len(r)) for r in rows]
    available = pdf.epw
    size = 10.0
    pdf.set_font(FONT, size=size)
    natural = [max(pdf.get_string_width(r[c]) for r in rows) + _CELL_PADDING + 1
               for c in range(ncols)]
    # Shrink the font until every column fits on one line (not below 6.5 pt); beyond that the
    # widest columns wrap.
    scale = min(1.0, available / sum(natural))
    size = max(6.5, size * scale)
    widths = [w * size / 10.0 for w in natural]
    if sum(widths) > available:
        widths = [w * available / sum(widths) for w in widths]
    pdf.set_font(FONT, size=size)
    with pdf.table(
        col_widths=tuple(widths), width=sum(widths), text_align="LEFT", line_height=size * 0.5,
        headings_style=FontFace(emphasis=None), padding=_CELL_PADDING / 2,
        wrapmode=WrapMode.CHAR, align="LEFT",
    ) as table:
        for cells in rows:
            row = table.row()
            for cell in cells:
                row.cell(cell)


# TXT -----------------------------------------------------------------------------------------


def build_txt(blocks: list[Block], target: Path) -> None:
    lines = []
    for block in blocks:
        if block.kind == "table":
            lines += ["\t".join(row) for row in block.rows or []]
        else:
            lines.append(block.text)
        lines.append("")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes("\r\n".join(lines).encode("gb18030"))


def txt_text(path: Path) -> list[str]:
    return path.read_bytes().decode("gb18030").splitlines()



def generate(out_dir: Path, names: list[str] | None = None) -> list[Path]:
    written = []
    for source in sorted(SOURCES.glob("*.md")):
        if names and source.stem not in names:
            continue
        blocks = parse(source.read_text(encoding="utf-8"))
        for suffix, build in ((".docx", build_docx), (".pdf", build_pdf), (".txt", build_txt)):
            target = out_dir / f"{source.stem}{suffix}"
            build(blocks, target)
            written.append(target)
    return written


def main(argv: list[str] | None = None) -> int:
    return generator_main(argv, description=__doc__.splitlines()[0], generate=generate,
                          generated=GENERATED, root=ROOT,
                          extract={".pdf": pdf_text, ".docx": docx_text, ".txt": txt_text}, what="reports")


if __name__ == "__main__":
    sys.exit(main())
