"""Hostile inputs, generated (never checked in): encrypted PDFs, zip bombs, a report in Big5,
UTF-16 and with a UTF-8 BOM, over-long and malformed text. Built from the generated report
fixtures, so they change with them."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import httpx
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


TEXT = report_text()
LONG = "广东" * 30_000  # the 60,000-character history item that froze every worker


@dataclass
class Case:
    name: str
    path: str
    status: int
    fragment: str = ""  # in message_zh of a refusal, or in the body of a success
    json: object = None
    files: dict | None = None
    data: dict = field(default_factory=dict)
    content: bytes | None = None
    headers: dict = field(default_factory=dict)
    method: str = "POST"


def upload(name: str, status: int, fragment: str, *, data: dict | None = None,
           file: tuple = ("law.txt", "第一条 为了推进清洁生产，制定本办法。" * 20)) -> Case:
    return Case(name, "/v1/documents", status, fragment, files={"file": file},
                data={"title": "测试文件", **(data or {})})


def check(name: str, status: int, fragment: str, content: bytes, filename: str = "r.txt",
          path: str = "/v1/reports/check") -> Case:
    return Case(name, path, status, fragment, files={"file": (filename, content)})


# The limits the cases' expected statuses assume (the server of tests/reliability and of
# benchmarks/bench_hostile.py runs with them).
CASE_LIMITS = {"CPAUDIT_MAX_UPLOAD_MB": "2", "CPAUDIT_MAX_UNPACKED_MB": "10",
               "CPAUDIT_MAX_PAGES": "10", "CPAUDIT_CORS_ORIGINS": "https://allowed.example"}


@lru_cache(maxsize=1)
def cases() -> list[Case]:
    """The bad-input corpus, each case with the status and message it must get (CASE_LIMITS)."""
    return [
        # /v1/ask: caps on question and history, types, malformed JSON
        Case("ask: 60k-character history item", "/v1/ask", 422, "过长",
             json={"question": "那广西呢？", "history": [LONG]}),
        Case("ask: 51 history items", "/v1/ask", 422, "条目过多",
             json={"question": "那广西呢？", "history": ["审核"] * 51}),
        Case("ask: 2001-character question", "/v1/ask", 422, "过长", json={"question": "审" * 2001}),
        Case("ask: empty question", "/v1/ask", 422, "过短", json={"question": ""}),
        Case("ask: blank question", "/v1/ask", 422, "问题为空", json={"question": "   "}),
        Case("ask: question is a number", "/v1/ask", 422, "应为文字", json={"question": 5}),
        Case("ask: history holds a number", "/v1/ask", 422, "应为文字",
             json={"question": "审核", "history": ["审核", 5]}),
        Case("ask: k out of range", "/v1/ask", 422, "不能大于", json={"question": "审核", "k": 1000}),
        Case("ask: unknown field", "/v1/ask", 422, "不是可用的字段", json={"question": "审核", "x": 1}),
        Case("ask: not JSON", "/v1/ask", 422, "JSON", content=b"{question:",
             headers={"content-type": "application/json"}),
        Case("ask: control characters in a question are answered", "/v1/ask", 200, "abstained",
             json={"question": "\x1b[31m强制性清洁生产审核\x07的条件"}),
        Case("ask: a follow-up with a 2000-character history item works", "/v1/ask", 200, "answer",
             json={"question": "那广西呢？", "history": ["广东" * 1000]}),
        # OpenAI-compatible chat: the question capped, the conversation windowed
        Case("chat: 60k-character question", "/v1/chat/completions", 422, "过长",
             json={"messages": [{"role": "user", "content": LONG}]}),
        Case("chat: 60k-character earlier message works", "/v1/chat/completions", 200, "choices",
             json={"messages": [{"role": "user", "content": LONG},
                                {"role": "user", "content": "那广西呢？"}]}),
        Case("chat: 2000 earlier messages work", "/v1/chat/completions", 200, "choices",
             json={"messages": [{"role": "user", "content": "审核"}] * 2000
                   + [{"role": "user", "content": "那广西呢？"}]}),
        Case("chat: no messages", "/v1/chat/completions", 422, "条目过少", json={"messages": []}),
        # JSON's "\ud800" escape: a lone surrogate, which the tokenizer cannot encode (was a 500)
        Case("chat: a lone surrogate in the question", "/v1/chat/completions", 422, "无效字符",
             content='{"messages": [{"role": "user", "content": "\\ud800清洁生产审核"}]}'.encode(),
             headers={"content-type": "application/json"}),
        Case("chat: last message not the user's", "/v1/chat/completions", 422, "最后一条",
             json={"messages": [{"role": "assistant", "content": "你好"}]}),
        # uploads: metadata checks before the file is read; files that cannot be read
        upload("upload: ESC in the title", 422, "控制字符", data={"title": "\x1b[2J审核办法"}),
        upload("upload: bidi override in the issuer", 422, "控制字符",
               data={"issuer": "生态环境部\u202e"}),
        upload("upload: line break in the region", 422, "控制字符", data={"region": "广东\n省"}),
        upload("upload: whitespace-only title", 422, "不能为空", data={"title": " \u3000 "}),
        upload("upload: date 2024-13-45", 422, "不是有效日期", data={"date": "2024-13-45"}),
        upload("upload: date 2023-02-29", 422, "不是有效日期", data={"date": "2023-02-29"}),
        upload("upload: 201-character title", 422, "过长", data={"title": "审" * 201}),
        upload("upload: AES PDF with a password", 400, "加密",
               file=("law.pdf", encrypted_pdf("secret"))),
        upload("upload: zip bomb DOCX", 400, "压缩炸弹", file=("law.docx", zip_bomb_docx(12))),
        upload("upload: undecodable text", 400, "编码", file=("law.txt", bytes(range(128, 256)) * 40)),
        upload("upload: too much text", 400, "文字过多", file=("law.txt", b"a" * 1_500_000)),
        upload("upload: over the upload limit", 413, "上限 2 MB", file=("law.txt", b"a" * 2_200_000)),
        Case("upload: broken multipart", "/v1/documents", 400, "无法解析",
             content=b"--xx\r\nContent-Disposition form-data\r\n\r\nA\r\n--xx--\r\n",
             headers={"content-type": "multipart/form-data; boundary=xx"}),
        Case("upload: multipart without its boundary", "/v1/documents", 400, "无法解析",
             content=b"garbage", headers={"content-type": "multipart/form-data; boundary=xx"}),
        # report checks and reviews
        check("check: AES PDF with a password", 400, "加密", encrypted_pdf("secret"), "r.pdf"),
        check("check: AES PDF without a user password works", 200, "verdict",
              encrypted_pdf(""), "r.pdf"),
        check("check: RC4 PDF with a password", 400, "加密", encrypted_pdf("x", "RC4-128"), "r.pdf"),
        check("review: AES PDF with a password", 400, "加密", encrypted_pdf("secret"), "r.pdf",
              path="/v1/reports/review"),
        check("check: zip bomb DOCX", 400, "压缩炸弹", zip_bomb_docx(12), "r.docx"),
        check("check: Big5 report is read as Chinese", 200, "verdict", big5_report()),
        check("check: UTF-16 report works", 200, "可提交", TEXT.encode("utf-16")),
        check("check: UTF-8 report with BOM works", 200, "可提交", TEXT.encode("utf-8-sig")),
        check("check: undecodable report", 400, "编码", bytes(range(128, 256)) * 40),
        check("check: too much text", 400, "文字过多", b"a" * 1_500_000),
        check("check: too many pages", 400, "页数过多", encrypted_pdf("", "RC4-128", "complete-ceramics"),
              "r.pdf"),
        Case("cors: preflight from another origin", "/v1/ask", 400, "跨域", method="OPTIONS",
             headers={"origin": "https://evil.example", "access-control-request-method": "POST"}),
    ]


def send(client: httpx.Client, case: Case) -> httpx.Response:
    return client.request(case.method, case.path, json=case.json, files=case.files,
                          data=case.data or None, content=case.content, headers=case.headers)


def heavy_cases() -> list[Case]:
    """The heaviest inputs of issue 13 at the default limits (20 MB uploads, 1,000,000
    characters, 60 s per request): for benchmarks/bench_hostile.py, too slow for the suite."""
    huge_text = (TEXT * 200).encode("utf-8")[: int(19.5 * 1024 * 1024)]  # 19.5 MB of report
    long_report = (TEXT * 40).encode("utf-8")  # ~380,000 characters: a long check that finishes
    return [
        Case("ask: 100k-character history item", "/v1/ask", 422, "过长",
             json={"question": "那广西呢？", "history": ["广东" * 50_000]}),
        check("check: 19.5 MB text report", 400, "文字过多", huge_text),
        upload("upload: 19.5 MB text", 400, "文字过多", file=("law.txt", huge_text)),
        check("check: DOCX inflating to 1.2 GB", 400, "压缩炸弹", zip_bomb_docx(1200), "r.docx"),
        check("check: 380,000-character report", 200, "verdict", long_report),
        check("review: 380,000-character report", 200, "review", long_report,
              path="/v1/reports/review"),
        check("check: AES PDF with a password", 400, "加密", encrypted_pdf("secret"), "r.pdf"),
    ]
