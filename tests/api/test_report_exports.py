"""The report page's round trips: the findings of /check downloaded as JSON, Markdown and HTML;
a review edited in the browser (an issue rejected, another reworded) re-assembled for the
preview and downloaded with the edits."""

from __future__ import annotations

import io
import json
from pathlib import Path

import docx

ROOT = Path(__file__).resolve().parents[2]
REPORT = ROOT / "tests/fixtures/reports/generated/defect-indicators.docx"


def upload() -> dict:
    return {"file": (REPORT.name, REPORT.read_bytes())}


def test_findings_download_in_three_formats(client):
    result = client.post("/v1/reports/check", files=upload()).json()
    subjects = {f["subject"] for f in result["findings"]}
    as_json = client.post("/v1/reports/check/download?format=json", json=result)
    assert as_json.status_code == 200 and "attachment" in as_json.headers["content-disposition"]
    assert {f["subject"] for f in json.loads(as_json.content)["findings"]} == subjects
    md = client.post("/v1/reports/check/download?format=md", json=result)
    assert md.headers["content-type"].startswith("text/markdown")
    assert "# 审核报告预审结果" in md.text and all(s in md.text for s in subjects)
    html = client.post("/v1/reports/check/download?format=html", json=result)
    assert html.headers["content-type"].startswith("text/html") and "<table>" in html.text
    bad = client.post("/v1/reports/check/download?format=pdf", json=result)
    assert bad.status_code == 422


def test_edited_review_is_regenerated_and_downloaded(client):
    review = client.post("/v1/reports/review", files=upload(), data={"use_llm": "false"}).json()
    review = review["review"]
    assert len(review["issues"]) >= 2
    dropped, kept = review["issues"][0], review["issues"][1]
    dropped["status"] = "rejected"
    kept["text"] = "表6-1 缺少审核前后的对比数值，请评审人核实后补充完整。"
    kept["status"] = "edited"

    regenerated = client.post("/v1/reports/review/regenerate", json=review)
    assert regenerated.status_code == 200, regenerated.text
    body = regenerated.json()
    assert "请评审人核实后补充完整" in body["review"]["draft"]
    assert dropped["text"][:12] not in body["review"]["draft"]
    assert "请评审人核实后补充完整" in body["markdown"]

    word = client.post("/v1/reports/review/download?format=docx", json=review)
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(word.content)).paragraphs)
    assert "请评审人核实后补充完整" in text and dropped["text"][:12] not in text
