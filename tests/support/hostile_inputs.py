"""Hostile inputs, generated (never checked in): encrypted PDFs, zip bombs, a report in Big5,
UTF-16 and with a UTF-8 BOM, over-long and malformed text. Built from the generated report
fixtures, so they change with them."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from pypdf import PdfReader, PdfWriter

REPORTS = Path(__file__).resolve().parents[1] / "fixtures" / "reports" / "generated"


def report_text(name: str = "complete-ceramics") -> str:
    """A complete report's text (the generated .txt fixtures are GB18030)."""
    return (REPORTS / f"{name}.txt").read_bytes().decode("gb18030")


def encrypted_pdf(user_password: str, algorithm: str = "AES-256", name: str = "done-when") -> bytes:
    """A fixture report encrypted with pypdf (AES needs `cryptography`); with an empty user
    password it opens without one, as most "protected" PDFs do (printing/copying restricted)."""
    writer = PdfWriter(clone_from=PdfReader(REPORTS / f"{name}.pdf"))
    writer.encrypt(user_password=user_password, owner_password="owner-secret", algorithm=algorithm)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def zip_bomb_docx(inflated_mb: int, name: str = "done-when") -> bytes:
    """The fixture DOCX with its document.xml padded (inside a comment) to `inflated_mb` MB;
    the padding deflates about 1000:1, so the file stays small."""
    source = zipfile.ZipFile(REPORTS / f"{name}.docx")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bomb:
        for info in source.infolist():
            if info.filename != "word/document.xml":
                bomb.writestr(info, source.read(info))
                continue
            xml = source.read(info)
            head, tail = xml.split(b"?>", 1)
            with bomb.open("word/document.xml", "w", force_zip64=True) as part:
                part.write(head + b"?><!--")
                block = b" " * (1 << 20)
                for _ in range(inflated_mb):
                    part.write(block)
                part.write(b"-->" + tail)
    return out.getvalue()


def big5_report(name: str = "complete-ceramics") -> bytes:
    """The report in traditional characters, Big5-encoded (as Taiwan/Hong Kong tools save it)."""
    import opencc

    return opencc.OpenCC("s2t").convert(report_text(name)).encode("big5", errors="replace")
