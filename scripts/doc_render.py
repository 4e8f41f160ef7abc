"""Shared helpers for the scripts that render text sources into PDF (fpdf2) and DOCX
(python-docx): the CJK font, deterministic metadata and zip entries, East-Asian fonts in Word.

Used by scripts/make_corpus_files.py (the corpus's PDF and DOCX) and
scripts/make_report_fixtures.py (the sample audit reports), so both produce files the same way.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import zipfile
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path

import docx
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor
from docx.table import Table
from docx.text.paragraph import Paragraph
from fpdf import FPDF
from fpdf.enums import TextMode
from pypdf import PdfReader

# Debian package fonts-wqy-microhei; face 0 of the collection is the proportional one.
CJK_FONT = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
FONT = "wqy"
# WenQuanYi lacks a few symbols reports use (the subscript ₓ of NOₓ); DejaVu Sans has them.
FALLBACK_FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
FALLBACK = "dejavu"
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)  # earliest date a zip entry can carry


def missing_font() -> str | None:
    """A message naming the missing font package, or None when the CJK font is installed."""
    if not CJK_FONT.exists():
        return f"missing font {CJK_FONT}: apt-get install -y fonts-wqy-microhei"
    return None


def setup_pdf(
    pdf: FPDF, *, title: str, author: str, subject: str, creator: str, date: datetime,
    symbol_fallback: bool = False,
) -> None:
    """Register the CJK font (and optionally the symbol fallback); set fixed metadata."""
    pdf.add_font(FONT, fname=str(CJK_FONT), collection_font_number=0)
    if symbol_fallback and FALLBACK_FONT.exists():
        pdf.add_font(FALLBACK, fname=str(FALLBACK_FONT))
        pdf.set_fallback_fonts([FALLBACK])
    pdf.set_title(title)
    pdf.set_author(author)
    pdf.set_subject(subject)
    pdf.set_lang("zh-CN")
    pdf.set_creator(creator)
    pdf.set_creation_date(date)


def pdf_safe(text: str) -> str:
    """Text the registered fonts can draw: without the fallback font, ₓ becomes x."""
    return text if FALLBACK_FONT.exists() else text.replace("ₓ", "x")


def bold(pdf: FPDF, on: bool) -> None:
    # WenQuanYi has no bold face: simulate one by stroking the glyph outlines too.
    pdf.text_mode = TextMode.FILL_STROKE if on else TextMode.FILL
    pdf.set_line_width(0.25 if on else 0.2)


def set_fonts(target: object, latin: str, east_asian: str) -> None:
    """Set both the Latin and the East-Asian font of a style or run.

    python-docx's font.name only sets w:ascii/w:hAnsi; Word picks Chinese glyphs from
    w:eastAsia, and theme attributes (w:asciiTheme ...) would override both.
    """
    target.font.name = latin  # type: ignore[attr-defined]
    rfonts = target.element.get_or_add_rPr().get_or_add_rFonts()  # type: ignore[attr-defined]
    rfonts.set(qn("w:eastAsia"), east_asian)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(attr), None)


def setup_docx_styles(
    document: docx.document.Document, *, body_font: str, heading_font: str, body_size: float,
    heading_sizes: dict[str, float],
) -> None:
    """Body and heading styles with Chinese fonts, black headings, no theme colours."""
    styles = document.styles
    normal = styles["Normal"]
    set_fonts(normal, "Times New Roman", body_font)
    normal.font.size = Pt(body_size)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.3
    for name, size in heading_sizes.items():
        style = styles[name]
        set_fonts(style, "Times New Roman", heading_font)
        style.font.size = Pt(size)
        style.font.bold = False  # 黑体 is heavy already
        style.font.color.rgb = RGBColor(0, 0, 0)
        style.paragraph_format.space_before = Pt(6)
        style.paragraph_format.space_after = Pt(6)
    if "Title" in heading_sizes:
        # The Title style's bottom border line does not belong in an official document.
        pbdr = styles["Title"].element.pPr.find(qn("w:pBdr"))
        if pbdr is not None:
            styles["Title"].element.pPr.remove(pbdr)


def add_table(
    document: docx.document.Document, rows: list[list[str]], *,
    write: Callable[[Paragraph, str], None] = lambda paragraph, text: paragraph.add_run(text),
    small_above: int = 6, bold_header: bool = False,
) -> Table:
    """A centred grid table; `write` fills a cell's paragraph (plain runs by default). Tables
    wider than `small_above` columns get 9-pt text so they fit the page."""
    ncols = max(len(r) for r in rows)
    table = document.add_table(rows=len(rows), cols=ncols)
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for r, cells in enumerate(rows):
        for c in range(ncols):
            paragraph = table.cell(r, c).paragraphs[0]
            paragraph.paragraph_format.line_spacing = 1.0
            write(paragraph, cells[c].strip() if c < len(cells) else "")
            for run in paragraph.runs:
                run.font.size = Pt(9 if ncols > small_above else 10.5)
                if bold_header:
                    run.font.bold = r == 0
    return table


def set_core_properties(
    document: docx.document.Document, *, title: str, author: str, subject: str,
    keywords: str, date: datetime,
) -> None:
    core = document.core_properties
    core.title = title
    core.author = core.last_modified_by = author
    core.subject = subject
    core.keywords = keywords
    core.created = core.modified = date.replace(tzinfo=None)
    core.revision = 1
    core.comments = ""


def normalise_zip(path: Path) -> None:
    """Rewrite a zip with fixed entry dates and order, so reruns give identical bytes."""
    with zipfile.ZipFile(path) as zin:
        entries = [(info.filename, zin.read(info)) for info in zin.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=ZIP_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zout.writestr(info, data)


def pdf_text(path: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(path).pages]


def docx_text(path: Path) -> list[str]:
    """Body content in document order: one item per paragraph, one per table row (tab-joined)."""
    out: list[str] = []
    for item in docx.Document(str(path)).iter_inner_content():
        if isinstance(item, Table):
            out.extend("\t".join(cell.text for cell in row.cells) for row in item.rows)
        else:
            out.append(item.text)
    return out


Generate = Callable[[Path, "list[str] | None"], Iterable[Path]]


def check_generated(generate: Generate, generated: Path, root: Path,
                    extract: dict[str, Callable[[Path], list[str]]]) -> int:
    """Regenerate into a temp dir; 1 if any committed file's extracted text differs."""
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        for fresh in generate(Path(tmp), None):
            committed = generated / fresh.name
            try:
                same_text = extract[fresh.suffix](committed) == extract[fresh.suffix](fresh)
            except Exception as exc:  # missing or unreadable: either way it must be rebuilt
                print(f"BROKEN   {committed.relative_to(root)}: {exc}")
                failures += 1
                continue
            if not same_text:
                print(f"DIFFERS  {committed.relative_to(root)}: rerun this script")
                failures += 1
            else:
                same = committed.read_bytes() == fresh.read_bytes()
                print(f"OK       {committed.relative_to(root)} "
                      f"({'identical bytes' if same else 'same text'})")
    return 1 if failures else 0


def generator_main(argv: list[str] | None, *, description: str, generate: Generate,
                   generated: Path, root: Path, extract: dict[str, Callable[[Path], list[str]]],
                   what: str) -> int:
    """The command line both fixture scripts share: write all, --check, --out DIR, names."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--check", action="store_true",
                        help="regenerate into a temp dir and fail if the extracted text differs")
    parser.add_argument("--out", type=Path, default=generated, help="output directory")
    parser.add_argument("names", nargs="*", help=f"only these {what} (source file stems)")
    args = parser.parse_args(argv)
    if (problem := missing_font()) is not None:
        print(problem, file=sys.stderr)
        return 2
    if args.check:
        return check_generated(generate, generated, root, extract)
    for path in generate(args.out, args.names or None):
        print(f"wrote {path.relative_to(root) if path.is_relative_to(root) else path}")
    return 0
