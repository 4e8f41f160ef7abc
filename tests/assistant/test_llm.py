"""LLM answers through the real langchain-openai client against a local OpenAI-compatible
server with canned replies: verification of markers, flagging, fallback, follow-ups."""

from __future__ import annotations

import re

import pytest
from support.openai_stub import Reply

from assistant.service import ask

QUESTION = "什么情况下企业必须实施强制性清洁生产审核？"




def _passage_number(request: dict, needle: str) -> int:
    prompt = request["messages"][-1]["content"]
    for block in prompt.split("\n\n"):
        m = re.match(r"\[(\d+)\]", block)
        if m and needle in block:
            return int(m.group(1))
    raise AssertionError(f"{needle} not in the prompt")


def test_cited_llm_answer_is_verified_and_kept(stub, llm_settings):
    def reply(request):
        n = _passage_number(request, "第二十七条")
        return (f"有下列情形之一的企业，应当实施强制性清洁生产审核[{n}]。"
                f"包括超过单位产品能源消耗限额标准构成高耗能的情形[{n}]。")

    stub.push(reply)
    answer = ask(QUESTION, settings=llm_settings)
    assert answer.answerer == "llm" and not answer.abstained
    assert answer.answer.count("[1]") == 2 and "〔未能" not in answer.answer
    assert answer.citations[0].article == "第二十七条"
    assert answer.citations[0].quote in answer.passages[0].text or any(
        answer.citations[0].quote in p.text for p in answer.passages)
    sent = stub.requests[0]
    assert sent["model"] == "stub-model"
    assert "政策资料" in sent["messages"][-1]["content"]


def test_marker_to_a_passage_that_does_not_exist_is_removed(stub, llm_settings):
    stub.push(lambda r: f"有下列情形之一的企业，应当实施强制性清洁生产审核"
                        f"[{_passage_number(r, '第二十七条')}][9]。")
    answer = ask(QUESTION, settings=llm_settings)
    assert "[9]" not in answer.answer and "[1]" in answer.answer
    assert any("[9]" in note for note in answer.notes)
    assert len(answer.citations) == 1


def test_claim_not_supported_by_its_passage_is_flagged(stub, llm_settings):
    stub.push(lambda r: "有下列情形之一的企业，应当实施强制性清洁生产审核"
                        f"[{_passage_number(r, '第二十七条')}]。"
                        "企业每年须向国务院缴纳审核保证金一百万元[1]。")
    answer = ask(QUESTION, settings=llm_settings)
    assert re.search(r"保证金一百万元\[\d\]〔未能在所引资料中核实〕", answer.answer)
    assert answer.answer.startswith("有下列情形之一的企业，应当实施强制性清洁生产审核[1]。")
    assert any("保证金" in note for note in answer.notes)


@pytest.mark.parametrize("failure", [Reply(content="迟到的回答", delay=3),
                                     Reply(status=500, body="boom"),
                                     Reply(raw="{not json")])
def test_llm_failure_falls_back_to_the_extractive_answer(stub, llm_settings, failure):
    stub.push(failure)
    answer = ask(QUESTION, settings=llm_settings)
    assert answer.answerer == "extractive-fallback"
    assert answer.citations[0].article == "第二十七条"
    assert any("已改用摘录式回答" in note for note in answer.notes)


def test_no_evidence_means_no_llm_call(stub, llm_settings):
    answer = ask("上海市清洁生产审核补贴标准是多少？", settings=llm_settings)
    assert answer.abstained and stub.requests == []


def test_follow_up_is_rewritten_by_the_llm(stub, llm_settings):
    stub.push("广西强制性清洁生产审核的重点行业有哪些？",
              lambda r: "广西以能源、冶金、建材等13个重点行业为重点"
                        f"[{_passage_number(r, '13个重点行业')}]。")
    answer = ask("那广西呢？", history=["广州强制性清洁生产审核的重点行业有哪些？"],
                 settings=llm_settings)
    assert answer.resolved_question == "广西强制性清洁生产审核的重点行业有哪些？"
    assert "追问" in stub.requests[0]["messages"][-1]["content"]
    assert answer.answerer == "llm" and answer.citations[0].doc_id == "gx-plan-2021"


def test_markers_after_the_full_stop_and_list_lines_are_kept(stub, llm_settings):
    def reply(request):
        n = _passage_number(request, "第二十七条")
        return (f"有下列情形之一的企业，应当实施强制性清洁生产审核：[{n}]\n"
                f"1. 超过单位产品能源消耗限额标准构成高耗能的。[{n}]\n"
                f"2. 使用有毒、有害原料进行生产的。[{n}]")

    stub.push(reply)
    answer = ask(QUESTION, settings=llm_settings)
    assert not answer.abstained and answer.citations[0].article == "第二十七条"
    lines = answer.answer.splitlines()
    assert len(lines) == 3 and lines[1].startswith("1. ") and lines[2].startswith("2. ")
    assert all(line.rstrip("。：").endswith("[1]") for line in lines)
    assert "〔未能" not in answer.answer
