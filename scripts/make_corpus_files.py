"""Generate the corpus's binary documents from their text originals.

    corpus/originals/cleaner-production-law.md  ->  corpus/docs/cleaner-production-law.pdf
    corpus/originals/sc-notice-2016.txt         ->  corpus/docs/sc-notice-2016.docx

The corpus needs one real PDF and one real DOCX so that the loaders are exercised on the formats
users upload. Output is deterministic (fixed dates and metadata, normalised zip entries), so a
rerun with the same library versions gives identical bytes.

    python scripts/make_corpus_files.py           write both files
    python scripts/make_corpus_files.py --check   regenerate into a temp dir; exit 1 if the
                                                  extracted text differs from the committed files
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import docx
from doc_render import (
    FONT,
    add_table,
    bold,
    docx_text,
    missing_font,
    normalise_zip,
    pdf_text,
    set_core_properties,
    set_fonts,
    setup_docx_styles,
    setup_pdf,
)
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph
from fpdf import FPDF
from fpdf.enums import Align, WrapMode, XPos, YPos

ROOT = Path(__file__).resolve().parent.parent
ORIGINALS = ROOT / "corpus" / "originals"
DOCS = ROOT / "corpus" / "docs"
LAW_SOURCE = ORIGINALS / "cleaner-production-law.md"
NOTICE_SOURCE = ORIGINALS / "sc-notice-2016.txt"
LAW_NAME = "cleaner-production-law.pdf"
NOTICE_NAME = "sc-notice-2016.docx"

# Fixed timestamps: the date of the text's latest version, so metadata is plausible and stable.
LAW_DATE = datetime(2012, 2, 29, tzinfo=UTC)
NOTICE_DATE = datetime(2016, 6, 1, tzinfo=UTC)

# ---------------------------------------------------------------------------------------------
# PDF: the national law, laid out like a printed law
# ---------------------------------------------------------------------------------------------


def parse_law(md: str) -> list[tuple[str, str]]:
    """Split the law's markdown into (kind, text) blocks: title, history, heading, para.

    Everything before <!-- INFO END --> other than the title is the adoption history.
    """
    blocks: list[tuple[str, str]] = []
    in_header = "<!-- INFO END -->" in md
    for raw in md.splitlines():
        line = raw.strip()
        if not line:
            continue
        if line == "<!-- INFO END -->":
            in_header = False
        elif line.startswith("# "):
            blocks.append(("title", line[2:].strip()))
        elif line.startswith("#"):
            blocks.append(("heading", line.lstrip("#").strip()))
        else:
            blocks.append(("history" if in_header else "para", line))
    return blocks


class LawPDF(FPDF):
    def footer(self) -> None:
        # Only the page number, "— 3 —", so a loader can recognise and drop it.
        self.set_y(-15)
        self.set_font(FONT, size=9)
        self.cell(0, 8, f"— {self.page_no()} —", align=Align.C)


def build_pdf(source: Path, target: Path) -> None:
    blocks = parse_law(source.read_text(encoding="utf-8"))
    title = next(text for kind, text in blocks if kind == "title")

    pdf = LawPDF(orientation="portrait", unit="mm", format="A4")
    pdf.set_margins(left=26, top=25, right=26)
    pdf.set_auto_page_break(auto=True, margin=25)
    setup_pdf(pdf, title=title, author="全国人民代表大会常务委员会", subject=title,
              creator="cpaudit scripts/make_corpus_files.py", date=LAW_DATE)
    pdf.add_page()

    def para(text: str, size: float, height: float, align: Align) -> None:
        pdf.set_font(FONT, size=size)
        # CHAR wrapping: Chinese has no spaces to break at, and WORD mode would strand
        # "第一条" alone on a line because of the space that follows it.
        pdf.multi_cell(
            0,
            height,
            text,
            align=align,
            wrapmode=WrapMode.CHAR,
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )

    prev = ""
    for kind, text in blocks:
        if kind == "title":
            pdf.ln(8)
            bold(pdf, True)
            para(text, 20, 11, Align.C)
            bold(pdf, False)
            pdf.ln(4)
        elif kind == "history":
            para(text, 10, 5.5, Align.C)
            pdf.ln(1)
        elif kind == "heading":
            # Keep a chapter heading together with the first lines of its first article.
            if pdf.get_y() > pdf.page_break_trigger - 30:
                pdf.add_page()
            pdf.ln(8 if prev != "title" else 4)
            bold(pdf, True)
            para(text, 14, 8, Align.C)
            bold(pdf, False)
            pdf.ln(3)
        else:
            para(text, 12, 7.5, Align.L)
            pdf.ln(1.5)
        prev = kind
    target.parent.mkdir(parents=True, exist_ok=True)
    pdf.output(str(target))


# ---------------------------------------------------------------------------------------------
# DOCX: the Sichuan notice, with its tab-separated forms as real Word tables
# ---------------------------------------------------------------------------------------------

BODY_FONT = "宋体"
HEADING_FONT = "黑体"
SECTION_RE = re.compile(r"^[一二三四五六七八九十]+、")
ATTACHMENT_RE = re.compile(r"^附件\s*\d+$")
FOOTNOTE_RE = re.compile(r"\^\[(\d+)\]")
SIGN_DATE_RE = re.compile(r"^\d{4}年\d{1,2}月\d{1,2}日$")
CHECKBOX = '<input type="checkbox"/>'


def _setup_styles(document: docx.document.Document) -> None:
    # 四号 (14 pt) is the usual body size of official documents.
    setup_docx_styles(document, body_font=BODY_FONT, heading_font=HEADING_FONT, body_size=14,
                      heading_sizes={"Title": 22, "Heading 1": 16, "Heading 2": 14})
    document.styles["Title"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _add_runs(paragraph: Paragraph, text: str) -> None:
    """Add text, turning ^[n] footnote marks into superscript [n] and HTML checkboxes into □."""
    text = text.replace(CHECKBOX, "□")
    pos = 0
    for m in FOOTNOTE_RE.finditer(text):
        if m.start() > pos:
            paragraph.add_run(text[pos : m.start()])
        paragraph.add_run(f"[{m.group(1)}]").font.superscript = True
        pos = m.end()
    if pos < len(text):
        paragraph.add_run(text[pos:])


def _blocks(lines: list[str]) -> list[tuple[str, object]]:
    """Group lines into ("line", text) and ("table", rows) blocks.

    A run of tab-separated lines is one table; blank lines inside the run do not end it,
    because the flattened forms (附件 3) have blank lines between parts of one table.
    """
    out: list[tuple[str, object]] = []
    i = 0
    while i < len(lines):
        if "\t" not in lines[i]:
            if lines[i].strip():
                out.append(("line", lines[i].strip()))
            i += 1
            continue
        rows: list[list[str]] = []
        while i < len(lines):
            if "\t" in lines[i]:
                rows.append(lines[i].split("\t"))
                i += 1
            elif not lines[i].strip() and any("\t" in ln for ln in lines[i + 1 : i + 2]):
                i += 1
            else:
                break
        out.append(("table", rows))
    return out


def build_docx(source: Path, target: Path) -> None:
    lines = source.read_text(encoding="utf-8").splitlines()
    document = docx.Document()
    _setup_styles(document)
    section = document.sections[0]
    # A4 with the margins of GB/T 9704 (党政机关公文格式).
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)

    blocks = _blocks(lines)
    texts = [t for kind, t in blocks if kind == "line"]
    # The opening lines are the 红头 (issuing authority), the 文号 and the title.
    masthead, doc_number, title = texts[0], texts[1], texts[2]

    set_core_properties(document, title=title.replace(" ", ""), author="四川省经济和信息化委员会",
                        subject=doc_number, keywords="清洁生产", date=NOTICE_DATE)

    prev = ""
    for kind, content in blocks:
        if kind == "table":
            add_table(document, content, write=_add_runs, small_above=9)  # type: ignore[arg-type]
            prev = ""
            continue
        text: str = content  # type: ignore[assignment]
        if text == masthead:
            p = document.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run = p.add_run(text)
            set_fonts(run, "Times New Roman", HEADING_FONT)
            run.font.size = Pt(26)
            run.font.color.rgb = RGBColor(0xC0, 0, 0)  # the red masthead of a 红头文件
        elif text == doc_number:
            document.add_paragraph(text).alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif text == title:
            document.add_paragraph(text, style="Title")
        elif SECTION_RE.match(text) and len(text) <= 40:
            document.add_heading(text, level=1)
        elif ATTACHMENT_RE.match(text):
            document.add_heading(text, level=2)
        else:
            # "- 附件：…" carries a markdown list marker from the text extraction.
            p = document.add_paragraph()
            _add_runs(p, text[2:] if text.startswith("- ") else text)
            if ATTACHMENT_RE.match(prev) or text == "填 报 说 明":
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER  # a form's title
            elif text == masthead.removesuffix("文件") or SIGN_DATE_RE.match(text):
                p.alignment = WD_ALIGN_PARAGRAPH.RIGHT  # signature and date
            else:
                p.paragraph_format.first_line_indent = Pt(28)  # two characters, as in 公文
        prev = text
    target.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(target))
    normalise_zip(target)


# ---------------------------------------------------------------------------------------------


def generate(out_dir: Path) -> tuple[Path, Path]:
    pdf, docx_path = out_dir / LAW_NAME, out_dir / NOTICE_NAME
    build_pdf(LAW_SOURCE, pdf)
    build_docx(NOTICE_SOURCE, docx_path)
    return pdf, docx_path


def check() -> int:
    """Regenerate into a temp dir and compare extracted text with the committed files."""
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        fresh_pdf, fresh_docx = generate(Path(tmp))
        for name, fresh, extract in (
            (LAW_NAME, fresh_pdf, pdf_text),
            (NOTICE_NAME, fresh_docx, docx_text),
        ):
            committed = DOCS / name
            try:
                committed_text = extract(committed)
            except Exception as exc:  # missing or unreadable: either way it must be rebuilt
                print(f"BROKEN   corpus/docs/{name}: {exc}")
                failures += 1
                continue
            if committed_text != extract(fresh):
                print(f"DIFFERS  corpus/docs/{name}: rerun python scripts/make_corpus_files.py")
                failures += 1
            else:
                same = committed.read_bytes() == fresh.read_bytes()
                print(f"OK       corpus/docs/{name} ({'identical bytes' if same else 'same text'})")
    return 1 if failures else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check",
        action="store_true",
        help="regenerate into a temp dir and fail if the extracted text differs",
    )
    args = parser.parse_args(argv)
    if (problem := missing_font()) is not None:
        print(problem, file=sys.stderr)
        return 2
    if args.check:
        return check()
    for path in generate(DOCS):
        print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
