"""Read PDF, DOCX, TXT and MD files into the one Document model: the loader for corpus and reports.

The format is decided by the file's content, not its name, so a mislabelled file is either
read correctly or refused with a message that says what it really is. Each format has its
reader (assistant/readers/); assistant.assemble types what they find into blocks.
"""

from __future__ import annotations

import io
import logging
import zipfile
import zlib
from pathlib import Path

from assistant.assemble import assemble
from assistant.budget import DocumentBudget, checkpoint
from assistant.document import Document, Format
from assistant.errors import CpauditError, UnreadableFileError
from assistant.readers.encoding import decode_text
from assistant.settings import Settings, get_settings

log = logging.getLogger(__name__)
_DOCX_BODY = "word/document.xml"


def load_file(
    path: str | Path, *, name: str | None = None, settings: Settings | None = None
) -> Document:
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


def load_bytes(data: bytes, *, name: str, settings: Settings | None = None) -> Document:
    settings = settings or get_settings()
    _check_size(len(data), name, settings)
    budget = DocumentBudget.of(settings, name)  # pages, characters, inflated size
    if not data.strip():
        raise UnreadableFileError(
            f"文件为空：{name}", f"The file is empty: {name}",
            hint_zh="请上传包含正文的文件。", hint_en="Upload a file that contains text.",
        )
    kind = _sniff(data, name, budget)
    if kind == "pdf":
        doc = _load_pdf(data, name, budget)
    elif kind == "docx":
        doc = _load_docx(data, name, budget)
    else:
        doc = _load_text(data, name, kind, budget)
    if not doc.blocks:
        raise UnreadableFileError(
            f"未能从文件中提取到文字：{name}",
            f"No text could be extracted from {name}.",
            hint_zh="如为扫描件，请先进行文字识别（OCR）再上传。",
            hint_en="If it is a scan, run OCR on it first.",
        )
    return doc


def _sniff(data: bytes, name: str, budget: DocumentBudget) -> Format:
    suffix = Path(name).suffix.lower()
    if data[:1024].lstrip().startswith(b"%PDF"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                if _DOCX_BODY in archive.namelist():
                    _check_unpacked(archive, budget)
                    return "docx"
        except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError,
                ValueError, zlib.error) as exc:
            raise UnreadableFileError(
                f"文件已损坏（不完整的 ZIP/DOCX）：{name}",
                f"{name} is corrupt (an incomplete ZIP/DOCX file).",
                hint_zh="请重新保存或重新上传完整的文件。", hint_en="Save or upload it again.",
            ) from exc
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


def _check_unpacked(archive: zipfile.ZipFile, budget: DocumentBudget) -> None:
    """Refuse a zip bomb before python-docx inflates it: the directory's sizes first (zipfile
    never returns more than those), then document.xml counted as it is really inflated, a
    megabyte at a time, so a lying directory is caught too and memory stays flat."""
    budget.unpacked(sum(info.file_size for info in archive.infolist()))
    inflated = 0
    with archive.open(_DOCX_BODY) as part:
        while chunk := part.read(1 << 20):
            inflated += len(chunk)
            budget.unpacked(inflated)
            checkpoint()


def _load_pdf(data: bytes, name: str, budget: DocumentBudget) -> Document:
    import pypdfium2 as pdfium

    from assistant.readers.pdf import read_pdf

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise UnreadableFileError(
                f"PDF 已加密，无法读取：{name}", f"The PDF is encrypted: {name}",
                hint_zh="请去除密码保护后重新导出。",
                hint_en="Remove the password protection and export it again.",
            ) from exc
        raise _corrupt_pdf(name, exc) from exc
    try:
        items = read_pdf(pdf, budget, data)
    except (pdfium.PdfiumError, ValueError, OSError) as exc:
        raise _corrupt_pdf(name, exc) from exc
    finally:
        pdf.close()
    return assemble(name, "pdf", items)


def _corrupt_pdf(name: str, exc: Exception) -> UnreadableFileError:
    return UnreadableFileError(
        f"PDF 文件已损坏或格式不正确：{name}（{exc}）",
        f"The PDF is corrupt or malformed: {name} ({exc})",
        hint_zh="请重新导出 PDF 后再试。", hint_en="Export the PDF again and retry.",
    )


def _load_docx(data: bytes, name: str, budget: DocumentBudget) -> Document:
    import docx

    from assistant.readers.docx import read_docx

    try:
        document = docx.Document(io.BytesIO(data))
        items = read_docx(document, budget)
    except CpauditError:  # a budget exceeded, or the request given up: not "corrupt"
        raise
    except Exception as exc:  # python-docx raises a zoo of lxml/zip/key errors
        raise UnreadableFileError(
            f"DOCX 文件已损坏，无法打开：{name}（{exc}）",
            f"The DOCX file is corrupt: {name} ({exc})",
            hint_zh="请在 Word/WPS 中打开并另存后再试。",
            hint_en="Open it in Word/WPS, save it again and retry.",
        ) from exc
    return assemble(name, "docx", items)


def _load_text(data: bytes, name: str, kind: Format, budget: DocumentBudget) -> Document:
    from assistant.readers.text import read_text

    if len(data) > budget.max_text_bytes:  # refused before decoding
        budget.text(len(data) // 4)
    text, encoding = decode_text(data, name)
    budget.text(len(text))
    return assemble(name, kind, read_text(text), encoding=encoding)
