"""The OpenAI-compatible endpoints, driven by the official `openai` client over a real socket."""

from __future__ import annotations

import openai
import pytest

MANDATORY = "什么情况下企业必须实施强制性清洁生产审核？"


@pytest.fixture(scope="module")
def oai(live_server):
    return openai.OpenAI(base_url=f"{live_server.url}/v1", api_key="unused", max_retries=0,
                         timeout=30)


def test_models(oai):
    assert [m.id for m in oai.models.list()] == ["cpaudit"]
    assert oai.models.retrieve("cpaudit").id == "cpaudit"
    with pytest.raises(openai.NotFoundError):
        oai.models.retrieve("gpt-4o")


def test_cited_answer(oai):
    completion = oai.chat.completions.create(
        model="cpaudit", messages=[{"role": "system", "content": "你是助手"},
                                   {"role": "user", "content": MANDATORY}])
    text = completion.choices[0].message.content
    assert completion.choices[0].finish_reason == "stop"
    assert "[1]" in text and "来源：" in text and "《中华人民共和国清洁生产促进法》第二十七条" in text
    citations = completion.model_extra["citations"]
    assert citations[0]["doc_id"] == "cleaner-production-law"
    assert citations[0]["article"] == "第二十七条" and citations[0]["page"] == 5
    assert completion.usage.total_tokens > 0
    assert completion.model_extra["cpaudit"]["abstained"] is False


def test_a_refusal_labels_its_context(oai):
    completion = oai.chat.completions.create(
        model="cpaudit", messages=[{"role": "user", "content": "清洁生产审核评估验收专家的劳务费标准是多少？"}])
    text = completion.choices[0].message.content
    assert completion.model_extra["cpaudit"]["abstained"] is True
    assert completion.model_extra["citations"] == [] and "来源：" not in text and "[1]" not in text
    assert "\n\n相关内容（仅供参考，不是答案）：\n- 《" in text


def test_streaming_matches_the_whole_answer(oai):
    whole = oai.chat.completions.create(
        model="cpaudit", messages=[{"role": "user", "content": MANDATORY}])
    stream = oai.chat.completions.create(
        model="cpaudit", messages=[{"role": "user", "content": MANDATORY}], stream=True,
        stream_options={"include_usage": True})
    chunks = list(stream)
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert text == whole.choices[0].message.content
    final = [c for c in chunks if c.choices and c.choices[0].finish_reason == "stop"]
    assert len(final) == 1
    assert final[0].model_extra["citations"] == whole.model_extra["citations"]
    assert chunks[-1].usage is not None and chunks[-1].usage.completion_tokens == len(text)


def test_follow_up_over_the_conversation(oai):
    completion = oai.chat.completions.create(model="cpaudit", messages=[
        {"role": "user", "content": "广东省清洁生产审核的主要目标是什么？"},
        {"role": "assistant", "content": "……"},
        {"role": "user", "content": "那广西呢？"},
    ])
    resolved = completion.model_extra["cpaudit"]["resolved_question"]
    assert resolved and "广西" in resolved


def test_the_previous_reply_is_not_quoted_again(oai):
    # a chat client resends the whole conversation: the reply to the previous question is
    # what it was answered with, and a follow-up asking something new gets something new
    question = "重点排污单位要公开哪些环境信息？"
    first = oai.chat.completions.create(model="cpaudit",
                                        messages=[{"role": "user", "content": question}])
    disclosure = next(c["chunk_id"] for c in first.model_extra["citations"]
                      if c["article"] == "第五十五条")
    after = oai.chat.completions.create(model="cpaudit", messages=[
        {"role": "user", "content": question},
        {"role": "assistant", "content": first.choices[0].message.content},
        {"role": "user", "content": "那不公开呢？"},
    ])
    cited = [c["chunk_id"] for c in after.model_extra["citations"]]
    assert cited and disclosure not in cited


def test_filters_through_extra_body(oai):
    completion = oai.chat.completions.create(
        model="cpaudit", messages=[{"role": "user", "content": "清洁生产审核的工作目标是什么？"}],
        extra_body={"filters": {"region": "广东省"}})
    assert {c["doc_id"] for c in completion.model_extra["citations"]} <= {"gd-plan-2023"}


def test_errors_reach_the_client_readably(oai):
    with pytest.raises(openai.UnprocessableEntityError) as caught:
        oai.chat.completions.create(model="cpaudit", messages=[
            {"role": "user", "content": "你好"}, {"role": "assistant", "content": "您好"}])
    assert "最后一条消息必须是用户的问题" in caught.value.message
    assert "The last message must be the user's question" in caught.value.message
