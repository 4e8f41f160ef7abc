"""The bad-input corpus against a real server (`python -m api`): every case is generated here,
with the status and message fragment it must get, a bilingual error shape for every refusal,
and the corpus and index untouched by every refused upload."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import httpx
import pytest
from support.hostile_inputs import big5_report, encrypted_pdf, report_text, zip_bomb_docx
from support.server import copy_corpus, serve

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


CASES = [
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


@pytest.fixture(scope="module")
def server(settings, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hostile")
    corpus = copy_corpus(settings, tmp)
    env = {**corpus.env, "CPAUDIT_MAX_UPLOAD_MB": "2", "CPAUDIT_MAX_UNPACKED_MB": "10",
           "CPAUDIT_MAX_PAGES": "10", "CPAUDIT_CORS_ORIGINS": "https://allowed.example"}
    with serve(tmp, env=env) as running:
        yield running, corpus


def send(client: httpx.Client, case: Case) -> httpx.Response:
    return client.request(case.method, case.path, json=case.json, files=case.files,
                          data=case.data or None, content=case.content, headers=case.headers)


@pytest.mark.slow
def test_every_hostile_input_is_refused_cleanly_or_works(server):
    running, corpus = server
    outcomes = []
    with httpx.Client(base_url=running.url, timeout=120) as client:
        for case in CASES:
            before = corpus.snapshot()
            response = send(client, case)
            outcomes.append((case.name, response.status_code))
            assert response.status_code == case.status, (case.name, response.text[:500])
            if response.status_code >= 400:
                error = response.json()["error"]  # the one error shape, both languages
                assert set(error) == {"code", "message_zh", "message_en", "message"}, case.name
                assert case.fragment in error["message_zh"], (case.name, error)
                assert error["message_en"] and "Traceback" not in response.text, case.name
                assert any("\u4e00" <= ch <= "\u9fff" for ch in error["message_zh"]), case.name
                assert corpus.snapshot() == before, f"{case.name} changed the corpus"
            else:
                assert case.fragment in response.text, case.name
    assert "Traceback" not in running.log_text()
    print(f"\n{len(CASES)} hostile inputs: "
          f"{sum(s >= 400 for _, s in outcomes)} refused with a bilingual 4xx, "
          f"{sum(s < 400 for _, s in outcomes)} worked, 0 crashes")


@pytest.mark.slow
def test_check_and_review_need_the_key_when_one_is_set(settings, tmp_path):
    report = {"file": ("r.txt", TEXT.encode("utf-8"))}
    with serve(tmp_path, env={"CPAUDIT_API_KEY": "k3y"}) as running:
        with httpx.Client(base_url=running.url, timeout=120) as client:
            for path in ("/v1/reports/check", "/v1/reports/review"):
                refused = client.post(path, files=report)
                assert refused.status_code == 401, refused.text
                assert "API 密钥" in refused.json()["error"]["message_zh"]
            allowed = client.post("/v1/reports/check", files=report, headers={"X-API-Key": "k3y"})
            assert allowed.status_code == 200 and allowed.json()["verdict"] == "可提交"
            assert client.post("/v1/ask", json={"question": "审核"}).status_code == 200


def test_big5_is_read_as_traditional_chinese_not_gb18030_garble():
    from assistant.loader import load_bytes

    doc = load_bytes(big5_report(), name="r.txt")
    assert doc.encoding == "big5" and "肇慶市鴻泰陶瓷有限公司清潔生產" in doc.text


def test_a_batch_keeps_going_past_bad_lines(settings, tmp_path, capsys):
    from assistant.cli import main

    lines = [json.dumps({"id": "bad-type", "question": 5}), "not json", "",
             json.dumps({"id": "empty", "question": ""}), json.dumps({"id": "no-question"}),
             json.dumps([1, 2]), json.dumps({"id": "long", "question": "审核" * 1500}),
             json.dumps({"id": "history", "question": "那广西呢？", "history_questions": [LONG]}),
             json.dumps({"id": "ok", "question": "什么情况下必须实施强制性清洁生产审核？"},
                        ensure_ascii=False)]
    batch = tmp_path / "q.jsonl"
    batch.write_bytes("\n".join(lines).encode("utf-8") + b"\n\xff\xfe{\n")
    assert main(["ask", "--batch", str(batch)]) == 1
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(records) == 9  # every non-blank line, in order
    errors = [r for r in records if "error" in r]
    assert len(errors) == 8 and all(r["error"] and r["error_en"] for r in errors)
    assert [r["line"] for r in errors] == [1, 2, 4, 5, 6, 7, 8, 10]
    assert "question" in errors[0]["error"] and "过长" in errors[5]["error"]
    assert "UTF-8" in errors[-1]["error"]
    assert records[-2]["id"] == "ok" and records[-2]["citations"]
