"""POST /v1/reports/check, /v1/reports/review and /review/download: a fixture report, its
exact findings, the drafted notes and their DOCX/Markdown downloads; profile names that try
to leave the rule pack, broken rule files on the server, and edited reviews the server must
refuse or clean."""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import docx
import pytest
from fastapi.testclient import TestClient

from checkers import rules

ROOT = Path(__file__).resolve().parents[2]
GENERATED = ROOT / "tests/fixtures/reports/generated"
SRC = ROOT / "tests/fixtures/reports/src"
TEAM = {("team", "error", "组长"), ("team", "warning", "财务"),
        ("team", "warning", "审核师证书编号")}


def report(name: str) -> tuple[str, bytes]:
    path = GENERATED / name
    return path.name, path.read_bytes()


@pytest.mark.parametrize("name", ["defect-team.docx", "defect-team.pdf", "defect-team.txt"])
def test_check_finds_the_planted_defects(client, name):
    response = client.post("/v1/reports/check", files={"file": report(name)})
    assert response.status_code == 200, response.text
    body = response.json()
    assert {(f["category"], f["severity"], f["subject"]) for f in body["findings"]} == TEAM
    leader = next(f for f in body["findings"] if f["subject"] == "组长")
    assert leader["location"]["table"].startswith("表1-1")
    assert body["report"]["name"] == name


def test_check_refuses_a_corrupt_report(client):
    response = client.post("/v1/reports/check", files={"file": ("report.pdf", b"%PDF-1.4 junk")})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "unreadable_file"


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


def test_download_validates_the_review(client):
    response = client.post("/v1/reports/review/download?format=md", json={"verdict": "x"})
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_request"


def test_profiles_cannot_name_a_file_outside_the_rule_pack(app_factory, tmp_path):
    """Checks may be open to anyone (CPAUDIT_REPORTS_NEED_KEY=false), so a profile name must
    never reach the disk."""
    secret = tmp_path / "secret.yaml"
    secret.write_text("name: x\nkind: region\ntitle: t\npassword: hunter2-TOPSECRET\n", "utf-8")
    escape = str(Path("../" * 12) / secret.with_suffix("").relative_to("/"))
    files = {"file": report("defect-team.txt")}
    with TestClient(app_factory(api_key="k", reports_need_key=False)) as client:
        refused = client.post("/v1/reports/check", files=files, data={"profiles": escape})
        unknown = client.post("/v1/reports/check", files=files, data={"profiles": "sichuan,nowhere"})
        industry = client.post("/v1/reports/check", files=files, data={"industry": "../general"})
    assert refused.status_code == 422 and refused.json()["error"]["code"] == "invalid_request"
    assert industry.status_code == 422
    assert unknown.status_code == 400
    error = unknown.json()["error"]
    assert error["code"] == "rule_error" and "nowhere" in error["message_zh"]
    assert "sichuan" in error["message_zh"]  # the profiles there are
    for response in (refused, unknown, industry):
        assert "hunter2" not in response.text and "password" not in response.text


@pytest.fixture
def broken_rules(tmp_path, monkeypatch) -> Path:
    """The server's rule pack with a profile file the operator broke."""
    copy = tmp_path / "rules"
    shutil.copytree(rules.RULES_DIR, copy)
    monkeypatch.setattr(rules, "RULES_DIR", copy)
    return copy


def test_a_broken_rule_file_is_a_server_error(client, broken_rules, caplog):
    (broken_rules / "profiles" / "broken.yaml").write_text(
        "name: broken\nkind: region\ntitle: 坏\ndb_password: hunter2\n", "utf-8")
    for path in ("/v1/reports/check", "/v1/reports/review"):
        response = client.post(path, files={"file": report("defect-team.txt")},
                               data={"use_llm": "false"} if "review" in path else {})
        assert response.status_code == 500, response.text
        error = response.json()["error"]
        assert error["code"] == "internal_error"
        assert "profiles/broken.yaml" in error["message_zh"] and "db_password" in error["message_en"]
        assert "hunter2" not in response.text and "Traceback" not in response.text
        assert str(broken_rules) not in response.text  # no server paths either
    # The operator's log has the details the caller must not see.
    assert "rule files are broken" in caplog.text and "hunter2" in caplog.text


def test_a_unit_in_the_header_but_not_in_the_cells_is_a_finding(client):
    """Header （万元）, every cell …元: one CON-UNIT finding at the header row, not a 500."""
    text = re.sub(r"(?m)^(\| F\d \| [^|]+ \| )([\d.]+) \|",  # 表4-1's investments in 元
                  lambda m: f"{m.group(1)}{round(float(m.group(2)) * 10000)}元 |",
                  (SRC / "complete-ceramics.md").read_text("utf-8"))
    text = text.replace("| 合计 | — | 8.6 |", "| 合计 | — | 86000元 |")
    response = client.post("/v1/reports/check", files={"file": ("units.md", text.encode())})
    assert response.status_code == 200, response.text
    findings = response.json()["findings"]
    assert [(f["rule_id"], f["subject"], f["location"]["row"]) for f in findings] == [
        ("CON-UNIT", "元", 0)]
    assert findings[0]["location"]["table"].startswith("表4-1")


def _review(client) -> dict:
    response = client.post("/v1/reports/review", files={"file": report("defect-team.docx")},
                           data={"use_llm": "false"})
    assert response.status_code == 200, response.text
    return response.json()["review"]


def test_download_refuses_an_unknown_verdict_profile(client):
    review = _review(client)
    review["verdict_profile"] = "strictest"
    for format in ("md", "docx"):
        response = client.post(f"/v1/reports/review/download?format={format}", json=review)
        assert response.status_code == 400, response.text
        error = response.json()["error"]
        assert error["code"] == "review_error" and "未知的评审结论配置" in error["message_zh"]
        assert "standard" in error["message_zh"] and "verdict profile" in error["message_en"]


def test_download_docx_of_a_review_edited_with_control_characters(client):
    review = _review(client)
    review["issues"][0]["text"] = "审核小组组长\x0b不是企业主要负责人\x00，\x1b[31m财务人员缺位。"
    review["overall"] = "总体\x0c评价。"
    response = client.post("/v1/reports/review/download?format=docx", json=review)
    assert response.status_code == 200, response.text
    texts = [p.text for p in docx.Document(io.BytesIO(response.content)).paragraphs]
    assert any(t.startswith("1. 审核小组组长不是企业主要负责人，[31m财务人员缺位[") for t in texts)
    assert "总体评价。" in texts
