"""POST /v1/reports/check, /v1/reports/review and /review/download: a fixture report, its
exact findings, the drafted notes and their DOCX/Markdown downloads."""

from __future__ import annotations

import io
from pathlib import Path

import docx
import pytest

from api.routes import reports

ROOT = Path(__file__).resolve().parents[2]
GENERATED = ROOT / "tests/fixtures/reports/generated"
TEAM = {("team", "error", "组长"), ("team", "warning", "财务"),
        ("team", "warning", "审核师证书编号")}

needs_checkers = pytest.mark.skipif(not reports.checker_available(),
                                    reason="the checkers package is not importable")
needs_review = pytest.mark.skipif(not reports.reviewer_available(),
                                  reason="checkers.review is not importable")


def report(name: str) -> tuple[str, bytes]:
    path = GENERATED / name
    if not path.exists():
        pytest.skip(f"{path} missing: run python scripts/make_report_fixtures.py")
    return path.name, path.read_bytes()


@needs_checkers
@pytest.mark.parametrize("name", ["defect-team.docx", "defect-team.pdf", "defect-team.txt"])
def test_check_finds_the_planted_defects(client, name):
    response = client.post("/v1/reports/check", files={"file": report(name)})
    assert response.status_code == 200, response.text
    body = response.json()
    assert {(f["category"], f["severity"], f["subject"]) for f in body["findings"]} == TEAM
    leader = next(f for f in body["findings"] if f["subject"] == "组长")
    assert leader["location"]["table"].startswith("表1-1")
    assert body["report"]["name"] == name


@needs_checkers
def test_check_refuses_a_corrupt_report(client):
    response = client.post("/v1/reports/check", files={"file": ("report.pdf", b"%PDF-1.4 junk")})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "unreadable_file"


@needs_review
def test_review_and_downloads(client):
    response = client.post("/v1/reports/review", files={"file": report("defect-team.docx")},
                           data={"use_llm": "false"})
    assert response.status_code == 200, response.text
    body = response.json()
    review = body["review"]
    assert review["verdict"] in ("通过", "修改后通过", "不通过")
    assert review["issues"] and "审核小组" in body["markdown"]

    md = client.post("/v1/reports/review/download?format=md", json=review)
    assert md.status_code == 200 and md.headers["content-type"].startswith("text/markdown")
    assert "attachment" in md.headers["content-disposition"]
    assert "清洁生产审核报告评审意见" in md.text

    word = client.post("/v1/reports/review/download?format=docx", json=review)
    assert word.status_code == 200
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(word.content)).paragraphs)
    assert "清洁生产审核报告评审意见" in text and "组长" in text

    # A reviewer's edit travels with the review: a rejected issue leaves the download.
    for issue in review["issues"]:
        issue["status"] = "rejected"
    edited = client.post("/v1/reports/review/download?format=md", json=review).text
    assert "组长吴海涛" not in edited


@needs_review
def test_download_validates_the_review(client):
    response = client.post("/v1/reports/review/download?format=md", json={"verdict": "x"})
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_request"


def test_501_when_the_checkers_are_missing(client, monkeypatch):
    monkeypatch.setattr(reports, "_optional", lambda module, name: None)
    files = {"file": ("report.md", "# 清洁生产审核报告\n".encode())}
    for path in ("/v1/reports/check", "/v1/reports/review"):
        response = client.post(path, files=files)
        assert response.status_code == 501
        error = response.json()["error"]
        assert error["code"] == "not_implemented" and "功能尚未启用" in error["message_zh"]
    assert client.get("/v1/status").json()["features"] == {"report_check": False,
                                                           "report_review": False}
