"""Read PDF, DOCX, TXT and MD files into pages of text: the one loader for corpus and reports.

The format is decided by the file's content, not its name, so a mislabelled file is either
read correctly or refused with a message that says what it really is.
"""

from __future__ import annotations

import io
import logging
import re
import zipfile
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict

from assistant.errors import UnreadableFileError
from assistant.settings import Settings, get_settings

log = logging.getLogger(__name__)

Format = Literal["pdf", "docx", "txt", "md"]


class SourcePage(BaseModel):
    model_config = ConfigDict(extra="forbid")
    number: int | None  # 1-based for PDFs, None for unpaginated sources
    text: str


class SourceTable(BaseModel):
    """A table as the source file holds it (DOCX tables); rows of cell strings."""

    model_config = ConfigDict(extra="forbid")
    rows: list[list[str]]


class SourceDocument(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    format: Format
    encoding: str | None = None
    pages: list[SourcePage]
    tables: list[SourceTable] = []


# A footer line holding only a page number, as printed documents carry ("— 3 —", "- 3 -", "3").
_PAGE_NUMBER_LINE = re.compile(r"^\s*[-—–－]*\s*\d{1,4}\s*[-—–－]*\s*$")


def load_file(
    path: str | Path, *, name: str | None = None, settings: Settings | None = None
) -> SourceDocument:
    path = Path(path)
    if not path.is_file():
        raise UnreadableFileError(
            f"找不到文件：{path}", f"File not found: {path}", hint_zh="请检查路径。",
            hint_en="Check the path.",
        )
    settings = settings or get_settings()
    _check_size(path.stat().st_size, path.name, settings)  # before reading: never read 2 GB
    return load_bytes(path.read_bytes(), name=name or path.name, settings=settings)


def _check_size(size: int, name: str, settings: Settings) -> None:
    limit = settings.max_file_mb
    if size > limit * 1024 * 1024:
        raise UnreadableFileError(
            f"文件过大（{size / 1048576:.0f} MB，上限 {limit:.0f} MB）：{name}",
            f"File too large ({size / 1048576:.0f} MB, limit {limit:.0f} MB): {name}",
            hint_zh="请拆分文件或压缩图片后重试，或调高 CPAUDIT_MAX_FILE_MB。",
            hint_en="Split the file or compress its images, or raise CPAUDIT_MAX_FILE_MB.",
        )


def load_bytes(data: bytes, *, name: str, settings: Settings | None = None) -> SourceDocument:
    _check_size(len(data), name, settings or get_settings())
    if not data.strip():
        raise UnreadableFileError(
            f"文件为空：{name}", f"The file is empty: {name}",
            hint_zh="请上传包含正文的文件。", hint_en="Upload a file that contains text.",
        )
    kind = _sniff(data, name)
    if kind == "pdf":
        doc = _load_pdf(data, name)
    elif kind == "docx":
        doc = _load_docx(data, name)
    else:
        doc = _load_text(data, name, kind)
    if not any(p.text.strip() for p in doc.pages):
        raise UnreadableFileError(
            f"未能从文件中提取到文字：{name}",
            f"No text could be extracted from {name}.",
            hint_zh="如为扫描件，请先进行文字识别（OCR）再上传。",
            hint_en="If it is a scan, run OCR on it first.",
        )
    return doc


def _sniff(data: bytes, name: str) -> Format:
    suffix = Path(name).suffix.lower()
    if data[:1024].lstrip().startswith(b"%PDF"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        try:
            names = zipfile.ZipFile(io.BytesIO(data)).namelist()
        except zipfile.BadZipFile as exc:
            raise UnreadableFileError(
                f"文件已损坏（不完整的 ZIP/DOCX）：{name}",
                f"{name} is corrupt (an incomplete ZIP/DOCX file).",
                hint_zh="请重新保存或重新上传完整的文件。", hint_en="Save or upload it again.",
            ) from exc
        if "word/document.xml" in names:
            return "docx"
        raise UnreadableFileError(
            f"文件是 ZIP 压缩包而不是 Word（DOCX）文档：{name}",
            f"{name} is a ZIP archive, not a Word (DOCX) document.",
            hint_zh="请上传 DOCX、PDF、MD 或 TXT 文件。",
            hint_en="Upload a DOCX, PDF, MD or TXT file.",
        )
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise UnreadableFileError(
            f"不支持旧版 Word（.doc）或其他 OLE 格式：{name}",
            f"Old Word (.doc) and other OLE files are not supported: {name}",
            hint_zh="请在 Word/WPS 中另存为 DOCX 或 PDF。",
            hint_en="Save it as DOCX or PDF in Word/WPS.",
        )
    if suffix in (".pdf", ".docx"):
        raise UnreadableFileError(
            f"文件扩展名为 {suffix}，但内容不是 {suffix[1:].upper()}（文件可能已损坏）：{name}",
            f"{name} is named {suffix} but its content is not {suffix[1:].upper()} "
            "(the file may be corrupt).",
            hint_zh="请重新导出该文件后再试。", hint_en="Export the file again and retry.",
        )
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UnreadableFileError(
            f"文件是二进制数据，不是文本：{name}", f"{name} is binary data, not text.",
            hint_zh="请上传 PDF、DOCX、MD 或 TXT 文件。",
            hint_en="Upload a PDF, DOCX, MD or TXT file.",
        )
    return "md" if suffix in (".md", ".markdown") else "txt"


def _load_pdf(data: bytes, name: str) -> SourceDocument:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise UnreadableFileError(
                f"PDF 已加密，无法读取：{name}", f"The PDF is encrypted: {name}",
                hint_zh="请去除密码保护后重新导出。",
                hint_en="Remove the password protection and export it again.",
            )
        pages = [
            SourcePage(number=i, text=_drop_page_number_lines(page.extract_text() or ""))
            for i, page in enumerate(reader.pages, start=1)
        ]
    except UnreadableFileError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise UnreadableFileError(
            f"PDF 文件已损坏或格式不正确：{name}（{exc}）",
            f"The PDF is corrupt or malformed: {name} ({exc})",
            hint_zh="请重新导出 PDF 后再试。", hint_en="Export the PDF again and retry.",
        ) from exc
    return SourceDocument(name=name, format="pdf", pages=pages)


def _drop_page_number_lines(text: str) -> str:
    lines = text.split("\n")
    while lines and not lines[-1].strip():
        lines.pop()
    if lines and _PAGE_NUMBER_LINE.match(lines[-1]):
        lines.pop()
    if lines and _PAGE_NUMBER_LINE.match(lines[0]):
        lines.pop(0)
    return "\n".join(lines)


def _load_docx(data: bytes, name: str) -> SourceDocument:
    import docx
    from docx.table import Table

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises a zoo of lxml/zip/key errors
        raise UnreadableFileError(
            f"DOCX 文件已损坏，无法打开：{name}（{exc}）",
            f"The DOCX file is corrupt: {name} ({exc})",
            hint_zh="请在 Word/WPS 中打开并另存后再试。",
            hint_en="Open it in Word/WPS, save it again and retry.",
        ) from exc
    lines: list[str] = []
    tables: list[SourceTable] = []
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            rows = _docx_table_rows(block)
            tables.append(SourceTable(rows=rows))
            # Rows become tab-separated lines: the normalizer rebuilds them as table rows.
            lines.extend("\t".join(row) for row in rows)
            lines.append("")
            continue
        text = block.text.strip()
        level = _heading_level(block.style.name if block.style is not None else "")
        lines.append(f"{'#' * level} {text}" if level and text else text)
    return SourceDocument(
        name=name, format="docx", pages=[SourcePage(number=None, text="\n".join(lines))],
        tables=tables,
    )


def _docx_table_rows(table) -> list[list[str]]:
    rows = []
    for row in table.rows:
        cells, seen = [], set()
        for cell in row.cells:
            # A cell merged across columns comes back once per grid column: its text goes in
            # the first, the spanned columns stay empty, so every value keeps its header.
            repeat = id(cell._tc) in seen
            seen.add(id(cell._tc))
            cells.append("" if repeat else " ".join(cell.text.split()))
        rows.append(cells)
    return rows


def _heading_level(style_name: str) -> int:
    match = re.match(r"(?:Heading|标题)\s*(\d)", style_name or "")
    if match:
        return int(match.group(1))
    return 1 if style_name in ("Title", "标题") else 0


def _load_text(data: bytes, name: str, kind: Format) -> SourceDocument:
    text, encoding = decode_text(data, name)
    return SourceDocument(
        name=name, format=kind, encoding=encoding, pages=[SourcePage(number=None, text=text)]
    )


def decode_text(data: bytes, name: str = "text") -> tuple[str, str]:
    """Decode Chinese text: UTF-16 with BOM, else UTF-8 (BOM or not), else GB18030. A BOM is a
    hint, not a promise: files saved as GBK with a stray UTF-8 BOM are common."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise UnreadableFileError(
                f"文件以 UTF-16 标记开头，但内容不是有效的 UTF-16 文本：{name}",
                f"{name} starts with a UTF-16 byte-order mark but is not valid UTF-16 text.",
                hint_zh="请另存为 UTF-8 编码后重试。", hint_en="Save it as UTF-8 and retry.",
            ) from exc
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise UnreadableFileError(
            f"无法识别文件编码：{name}", f"Cannot detect the text encoding of {name}.",
            hint_zh="请另存为 UTF-8 编码后重试。", hint_en="Save it as UTF-8 and retry.",
        )
    return str(best), best.encoding
