"""POST /v1/feedback stores 赞/踩 in the data directory's SQLite file; `cpaudit feedback export`
turns them into Q&A items the evaluation loads and runs: a confirmed answer becomes a
regression item, a 踩 with "no basis" an unanswerable item, a 踩 with the right passage an item
with that evidence, and a bare 踩 is listed for triage."""

from __future__ import annotations

import json
import sqlite3

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from assistant import cli
from eval.dataset import load_items


@pytest.fixture
def app_client(corpus):
    with TestClient(create_app()) as client:
        yield client


def rate(client, question: str, rating: str, **extra) -> dict:
    answer = client.post("/v1/ask", json={"question": question}).json()
    body = {"rating": rating, "question": question, "resolved_question": answer["resolved_question"],
            "answer": answer["answer"], "abstained": answer["abstained"], "mode": answer["mode"],
            "citations": answer["citations"], **extra}
    response = client.post("/v1/feedback", json=body)
    assert response.status_code == 201, response.text
    return answer


def export(tmp_path, capsys, *args) -> tuple[list, str]:
    out = tmp_path / "feedback.jsonl"
    assert cli.main(["feedback", "export", "--out", str(out), *args]) == 0
    return load_items(out), capsys.readouterr().err


def test_feedback_becomes_eval_items(app_client, corpus, tmp_path, capsys):
    up = rate(app_client, "什么情况下企业必须实施强制性清洁生产审核？", "up", comment="准确")
    rate(app_client, "上海市清洁生产审核补贴标准是多少？", "down", no_basis=True,
         comment="文件库里没有上海的政策，不应回答")
    expected = up["citations"][0]["quote"].split("……")[0]
    rate(app_client, "强制审核的条件是什么？", "down", expected=expected)
    rate(app_client, "清洁生产审核的费用谁出？", "down", comment="答非所问")

    db = sqlite3.connect(corpus.data_dir / "feedback.sqlite3")
    row = db.execute("SELECT rating, comment, question, mode, citations FROM feedback "
                     "ORDER BY id LIMIT 1").fetchone()
    assert row[:4] == ("up", "准确", "什么情况下企业必须实施强制性清洁生产审核？", "lexical")
    assert json.loads(row[4])[0]["doc_id"] == up["citations"][0]["doc_id"]

    items, err = export(tmp_path, capsys)
    by_question = {i.question: i for i in items}
    assert len(items) == 3
    confirmed = by_question["什么情况下企业必须实施强制性清洁生产审核？"]
    assert confirmed.type == "fact" and confirmed.evidence[0].doc_id == "cleaner-production-law"
    assert all(k in up["answer"] for k in confirmed.answer_keywords)
    assert "feedback-up" in confirmed.tags
    assert by_question["上海市清洁生产审核补贴标准是多少？"].type == "unanswerable"
    fixed = by_question["强制审核的条件是什么？"]
    assert fixed.evidence[0].doc_id == "cleaner-production-law" and "feedback-down" in fixed.tags
    assert "清洁生产审核的费用谁出" in err and "答非所问" in err  # listed for triage

    only_down, _ = export(tmp_path, capsys, "--rating", "down")
    assert {i.question for i in only_down} == {"上海市清洁生产审核补贴标准是多少？", "强制审核的条件是什么？"}


def test_exported_items_run_in_the_evaluation(app_client, tmp_path, capsys):
    rate(app_client, "什么情况下企业必须实施强制性清洁生产审核？", "up")
    out = tmp_path / "fb.jsonl"
    assert cli.main(["feedback", "export", "--out", str(out)]) == 0
    report = tmp_path / "run.json"
    code = cli.main(["eval", "--qa", str(out), "--configs", "ours", "--no-checkers", "--no-html",
                     "--no-progress", "--json", str(report)])
    assert code == 0
    run = json.loads(report.read_text("utf-8"))
    item = run["configs"][0]["items"][0]
    assert item["id"].startswith("qa-9") and item["quotes_found"] >= 1


def test_feedback_is_validated(app_client):
    bad = app_client.post("/v1/feedback", json={"rating": "meh", "question": "问", "answer": "",
                                                "mode": "lexical"})
    assert bad.status_code == 422
    assert bad.json()["error"]["code"] == "invalid_request"
    huge = app_client.post("/v1/feedback", json={"rating": "up", "question": "问" * 3000,
                                                 "answer": "", "mode": "lexical"})
    assert huge.status_code == 422


def test_export_without_feedback(corpus, tmp_path, capsys):
    items, err = export(tmp_path, capsys)
    assert items == [] and "已导出 0 道题" in err
