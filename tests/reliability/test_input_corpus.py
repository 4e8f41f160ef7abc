"""The bad-input corpus against a real server (`python -m api`): every case is generated here,
with the status and message fragment it must get, a bilingual error shape for every refusal,
and the corpus and index untouched by every refused upload."""

from __future__ import annotations

import json

import httpx
import pytest
from support.hostile_inputs import CASE_LIMITS, LONG, TEXT, big5_report, cases, send
from support.server import copy_corpus, serve


@pytest.fixture(scope="module")
def server(settings, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hostile")
    corpus = copy_corpus(settings, tmp)
    with serve(tmp, env={**corpus.env, **CASE_LIMITS}) as running:
        yield running, corpus


@pytest.mark.slow
def test_every_hostile_input_is_refused_cleanly_or_works(server):
    running, corpus = server
    outcomes = []
    with httpx.Client(base_url=running.url, timeout=120) as client:
        for case in cases():
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
    print(f"\n{len(outcomes)} hostile inputs: "
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
