"""POST /v1/ask: the same answer object as `cpaudit ask --json`, whole or streamed (SSE)."""

from __future__ import annotations

import json

from assistant.models import Answer
from assistant.service import ask

MANDATORY = "什么情况下企业必须实施强制性清洁生产审核？"


def without_timings(answer: dict) -> dict:
    return {k: v for k, v in answer.items() if k != "timings"}


def sse_events(text: str) -> list[tuple[str, dict]]:
    events = []
    for block in text.strip().split("\n\n"):
        lines = dict(line.split(": ", 1) for line in block.split("\n"))
        events.append((lines["event"], json.loads(lines["data"])))
    return events


def test_answer_cites_the_article(client):
    response = client.post("/v1/ask", json={"question": MANDATORY})
    assert response.status_code == 200
    answer = Answer.model_validate(response.json())
    assert not answer.abstained
    assert any(c.doc_id == "cleaner-production-law" and c.article == "第二十七条"
               for c in answer.citations)
    assert "[1]" in answer.answer
    assert answer.mode == "lexical"


def test_same_object_as_the_cli(client, settings):
    body = client.post("/v1/ask", json={"question": MANDATORY}).json()
    cli = json.loads(ask(MANDATORY, settings=settings).model_dump_json())
    assert without_timings(body) == without_timings(cli)


def test_filters_restrict_the_documents(client):
    body = client.post("/v1/ask", json={
        "question": "清洁生产审核的工作目标是什么？", "filters": {"region": "广东省"},
    }).json()
    assert body["passages"]
    assert {p["doc_id"] for p in body["passages"]} == {"gd-plan-2023"}


def test_follow_up_uses_the_history(client, settings):
    first = "广东省清洁生产审核的主要目标是什么？"
    body = client.post("/v1/ask", json={"question": "那广西呢？", "history": [first]}).json()
    assert body["resolved_question"] and "广西" in body["resolved_question"]
    cli = ask("那广西呢？", history=[first], settings=settings)
    assert body["resolved_question"] == cli.resolved_question


def test_a_follow_up_sent_with_the_previous_answer_is_not_answered_with_its_quote(client):
    # as the web UI sends it: the earlier question as understood, and what its answer quoted
    first = client.post("/v1/ask", json={"question": "重点排污单位要公开哪些环境信息？"}).json()
    quoted = "\n".join(c["quote"] for c in first["citations"])
    disclosure = next(c["chunk_id"] for c in first["citations"] if c["article"] == "第五十五条")
    turn = {"question": "那不公开呢？", "history": [first["resolved_question"] or first["question"]]}
    plain = client.post("/v1/ask", json=turn).json()
    after = client.post("/v1/ask", json={**turn, "previous_answer": quoted}).json()
    assert disclosure in [c["chunk_id"] for c in plain["citations"]]
    assert after["citations"] and disclosure not in [c["chunk_id"] for c in after["citations"]]
    # the field is optional and capped like the history
    too_long = client.post("/v1/ask", json={**turn, "previous_answer": "答" * 8001})
    assert too_long.status_code == 422 and too_long.json()["error"]["code"] == "invalid_request"


def test_the_guangxi_follow_up_says_guangxis_documents_do_not_state_it(client):
    # the conversation of issue 11, as the web UI sends it: each earlier turn as the server
    # understood it (resolved_question, else the question), the server keeping no state
    turns = ["广东到2025年要推动多少家工业企业开展清洁生产审核？", "那广西呢？", "那山东呢？"]
    history: list[str] = []
    bodies = []
    for question in turns:
        body = client.post("/v1/ask", json={"question": question, "history": history}).json()
        history.append(body["resolved_question"] or body["question"])
        bodies.append(body)
    first, guangxi, shandong = bodies
    assert not first["abstained"] and "5000" in first["answer"]
    assert guangxi["resolved_question"].startswith("广西到2025年")
    # Guangxi's plan states no 2025 figure: the answer says so, Guangdong's 5000 never stands in
    assert guangxi["abstained"] and "5000" not in guangxi["answer"]
    assert "适用于广西" in guangxi["answer"].splitlines()[0]
    assert all(c["doc_id"] != "gd-plan-2023" for c in guangxi["citations"] + guangxi["context"])
    # a follow-up of the follow-up continues the question, not its two words
    assert shandong["resolved_question"].startswith("山东到2025年")
    assert "5000" not in shandong["answer"]


def test_a_district_follow_up_says_the_documents_give_no_figure_for_the_district(client):
    question = "广东到2025年要推动多少家工业企业开展清洁生产审核？"
    first = client.post("/v1/ask", json={"question": question}).json()
    quoted = "\n".join(c["quote"] for c in first["citations"])
    body = client.post("/v1/ask", json={"question": "顺德区呢？", "history": [question],
                                        "previous_answer": quoted}).json()
    assert "顺德区" in body["resolved_question"]
    # the province's 5000 is the province's count: shown as context at most, never the answer
    assert body["abstained"] and not body["citations"] and "5000" not in body["answer"]
    assert "不是广东顺德区的" in body["answer"].splitlines()[0]


def test_abstains_outside_the_corpus(client):
    body = client.post("/v1/ask", json={"question": "西藏自治区对清洁生产审核有什么规定？"}).json()
    assert body["abstained"] is True
    assert body["citations"] == []


def test_stream_sends_passages_deltas_and_the_final_answer(client):
    response = client.post("/v1/ask", json={"question": MANDATORY, "stream": True})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/event-stream")
    events = sse_events(response.text)
    names = [name for name, _ in events]
    assert names[0] == "passages" and names[-1] == "done"
    assert set(names[1:-1]) == {"delta"} and len(names) > 5
    done = events[-1][1]
    assert "".join(data["text"] for name, data in events if name == "delta") == done["answer"]
    # markers are never split across deltas, so a client can render them as they come
    assert all(d["text"].count("[") == d["text"].count("]") for n, d in events if n == "delta")
    assert events[0][1]["citations"] == done["citations"]
    whole = client.post("/v1/ask", json={"question": MANDATORY}).json()
    assert without_timings(done) == without_timings(whole)


def test_llm_answer_through_the_api(client, settings, monkeypatch):
    """With an LLM configured the API answers through it (the stub speaks the OpenAI API)."""
    from support.openai_stub import OpenAIStub

    from assistant.settings import get_settings

    with OpenAIStub() as stub:
        monkeypatch.setenv("CPAUDIT_LLM_BASE_URL", stub.base_url)
        monkeypatch.setenv("CPAUDIT_LLM_MODEL", "stub-model")
        get_settings.cache_clear()
        try:
            stub.push("有下列情形之一的企业，应当实施强制性清洁生产审核[1]。")
            body = client.post("/v1/ask", json={"question": MANDATORY}).json()
            extractive = client.post("/v1/ask", json={"question": MANDATORY, "use_llm": False})
        finally:
            monkeypatch.undo()
            get_settings.cache_clear()
    assert body["answerer"] == "llm"
    assert body["citations"] and "[1]" in body["answer"]
    assert extractive.json()["answerer"] == "extractive"


def test_invalid_requests_get_422_in_the_error_shape(client):
    for payload in ({"question": ""}, {"question": "x", "bogus": 1},
                    {"question": "x", "filters": {"kind": "poem"}}, {"history": []}):
        response = client.post("/v1/ask", json=payload)
        assert response.status_code == 422, payload
        error = response.json()["error"]
        assert error["code"] == "invalid_request"
        assert error["message_zh"].startswith("请求参数有误") and error["message_en"]

