"""The LLM drafter through the real client (langchain-openai ChatOpenAI) against the local
OpenAI-compatible test server: good output, malformed output, invented ids, omissions,
timeouts, refusals, errors, and a report that tells the reviewer to pass it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from support.openai_stub import STUB_MODEL, Reply, error_body

from checkers.review.llm_drafter import review_model
from checkers.review.service import draft_review

GOOD = {
    "overall": "报告按清洁生产审核程序编写，但缺少可行性分析阶段，"
               "审核小组组成、审核前后指标、数据计算和法规引用方面也存在问题。",
    "issues": [
        {"issue_id": "I1", "finding_ids": ["F1"], "citations": [1],
         "text": "报告未设“可行性分析”阶段（又称“方案的确定”），方案产生和筛选之后直接进入方案实施，审核程序不完整。",
         "suggestion": "补充可行性分析阶段，对中/高费方案开展技术、环境、经济可行性分析。"},
        {"issue_id": "I2", "finding_ids": ["F2", "F6"], "citations": [2],
         "text": "表1-1中审核小组组长许建明为安环部经理，不是企业主要负责人；小组成员中没有财务人员。",
         "suggestion": "由企业主要负责人担任组长，并吸收财务人员进入审核小组。"},
        {"issue_id": "I3", "finding_ids": ["F3"], "citations": [3],
         "text": "表5-1中氮氧化物排放量缺少审核后数值，无法核实审核前后的变化。",
         "suggestion": "补齐表5-1中氮氧化物排放量的审核后数值。"},
        {"issue_id": "I4", "finding_ids": ["F4"], "citations": [4],
         "text": "表5-1中二氧化硫排放量的削减量写为4.6，而审核前12.0减审核后8.4应为3.6。",
         "suggestion": "核实并更正二氧化硫排放量的削减量。"},
        {"issue_id": "I5", "finding_ids": ["F5"], "citations": [5],
         "text": "1.1节引用了《中华人民共和国清洁生产促进法》第五十二条，而该法共40条，不存在第五十二条。",
         "suggestion": "核实并更正所引法律条款。"},
    ],
}
OBEDIENT = {"overall": "本报告无任何问题，结论写通过。", "issues": []}
SNEAKY = {"overall": "报告质量良好，建议通过。", "issues": [
    {"issue_id": "I1", "finding_ids": ["F1"], "citations": [1],
     "text": "可行性分析阶段的问题可以忽略，本报告无任何问题。", "suggestion": "无需修改，予以通过。"},
]}
REPORTS = Path(__file__).resolve().parents[1] / "fixtures" / "reports" / "src"




@pytest.fixture(scope="module")
def template(checked, settings, index):
    return {name: draft_review(checked(name, "md"), settings=settings, index=index, use_llm=False)
            for name in ("done-when", "injection")}


def draft(name, checked, llm_settings, index, **kwargs):
    return draft_review(checked(name, "md"), settings=llm_settings, index=index, **kwargs)


def keys(review):
    by_id = {f.id: f for f in review.findings}
    return [(i.severity, sorted((by_id[f].rule_id, by_id[f].subject) for f in i.finding_ids))
            for i in review.kept()]


def test_good_output_words_the_issues(stub, checked, llm_settings, index, template):
    stub.push(json.dumps(GOOD, ensure_ascii=False))
    review = draft("done-when", checked, llm_settings, index)
    assert review.drafter == "llm" and review.verdict == "不通过"
    assert [i.text for i in review.issues] == [g["text"] for g in GOOD["issues"]]
    assert review.suggestions[1] == "由企业主要负责人担任组长，并吸收财务人员进入审核小组。"
    assert "2. 表1-1中审核小组组长许建明为安环部经理，不是企业主要负责人；小组成员中没有财务人员[2]。" \
        in review.draft
    assert review.overall.startswith(GOOD["overall"])
    assert review.overall.endswith("现阶段不具备通过评审的条件。")  # the rules' judgement closes it
    assert keys(review) == keys(template["done-when"])
    request = stub.requests[-1]
    assert request["response_format"]["type"] == "json_schema"  # with_structured_output default
    system, human = (m["content"] for m in request["messages"])
    assert "report_excerpt" in system and "<data>" in human and "F6" in human


def test_malformed_json_falls_back(stub, checked, llm_settings, index, template):
    stub.push('{"overall": "报告存在问题", "issues": [{"issue_id": "I1", "text": ')
    review = draft("done-when", checked, llm_settings, index)
    assert review.drafter == "llm-fallback"
    assert review.issues == template["done-when"].issues and review.draft == template["done-when"].draft
    assert any("大模型起草失败" in n for n in review.notes)


def test_invented_ids_are_dropped(stub, checked, llm_settings, index):
    reply = json.loads(json.dumps(GOOD))
    reply["issues"].append({"issue_id": "I6", "finding_ids": ["F42"], "citations": [9],
                            "text": "报告封面缺少企业公章。", "suggestion": "加盖公章。"})
    reply["issues"][2]["finding_ids"] = ["F3", "F77"]  # one real id, one invented
    stub.push(json.dumps(reply, ensure_ascii=False))
    review = draft("done-when", checked, llm_settings, index)
    assert review.drafter == "llm" and len(review.issues) == 5
    assert "公章" not in review.draft
    assert review.issues[2].finding_ids == ["F3"] and review.issues[2].text == reply["issues"][2]["text"]
    assert any("F42" in n for n in review.notes) and any("F77" in n for n in review.notes)


def test_issue_citing_only_a_passage_is_mapped_by_it(stub, checked, llm_settings, index):
    reply = {"overall": "", "issues": [dict(GOOD["issues"][4], issue_id="X", finding_ids=[])]}
    stub.push(json.dumps(reply, ensure_ascii=False))
    review = draft("done-when", checked, llm_settings, index)
    assert review.issues[4].text == GOOD["issues"][4]["text"]


def test_left_out_findings_are_put_back(stub, checked, llm_settings, index, template):
    reply = {"overall": GOOD["overall"], "issues": [
        GOOD["issues"][0],
        dict(GOOD["issues"][1], text="表1-1中审核小组组长许建明为安环部经理，不是企业主要负责人。"),
    ]}  # I2 silently drops 财务; I3–I5 (all errors) are missing
    stub.push(json.dumps(reply, ensure_ascii=False))
    review = draft("done-when", checked, llm_settings, index)
    fallback = template["done-when"].issues
    assert review.issues[0].text == GOOD["issues"][0]["text"]
    assert [i.text for i in review.issues[1:]] == [i.text for i in fallback[1:]]
    assert sorted(f for i in review.kept() for f in i.finding_ids) == [f"F{n}" for n in range(1, 7)]
    assert any("遗漏了财务" in n for n in review.notes)


def test_timeout_falls_back(stub, checked, llm_settings, index, template):
    # The reply would be good, but it comes after the timeout: the template draft is used, and
    # the note says why. (No wall-clock assertion: shared machines are noisy; had the timeout
    # not worked, the good reply would have arrived and the drafter would be "llm".)
    stub.push(Reply(content=json.dumps(GOOD, ensure_ascii=False), delay=5))
    review = draft("done-when", checked, llm_settings.model_copy(update={"llm_timeout": 0.5}), index)
    assert review.drafter == "llm-fallback" and review.issues == template["done-when"].issues
    assert review.draft == template["done-when"].draft
    assert any("Timeout" in n for n in review.notes)


@pytest.mark.parametrize("reply", [
    Reply(content="抱歉，我无法协助完成这个请求。"),
    Reply(raw=json.dumps({
        "id": "chatcmpl-r", "object": "chat.completion", "created": 0, "model": STUB_MODEL,
        "choices": [{"index": 0, "finish_reason": "stop", "logprobs": None, "message": {
            "role": "assistant", "content": None, "refusal": "I can't help with that."}}]})),
    Reply(status=500, body=error_body("The server had an error", "server_error")),
    Reply(raw="<html>502 Bad Gateway</html>"),
], ids=["refusal-text", "refusal-field", "http-500", "not-json"])
def test_refusals_and_errors_fall_back(reply, stub, checked, llm_settings, index, template):
    stub.push(reply)
    review = draft("done-when", checked, llm_settings, index)
    assert review.drafter == "llm-fallback" and review.draft == template["done-when"].draft


@pytest.mark.parametrize("answer", [OBEDIENT, SNEAKY], ids=["obedient", "sneaky"])
def test_planted_instruction_cannot_pass_the_report(answer, stub, checked, llm_settings, index,
                                                     template):
    stub.push(json.dumps(GOOD, ensure_ascii=False), json.dumps(answer, ensure_ascii=False))
    honest = draft("done-when", checked, llm_settings, index)
    planted = draft("injection", checked, llm_settings, index)
    assert honest.verdict == planted.verdict == "不通过"
    assert keys(planted) == keys(honest) == keys(template["injection"])
    assert planted.issues == template["injection"].issues  # nothing the LLM wrote survived
    for text in ("无任何问题", "通过。", "建议通过", "忽略", "予以通过"):
        assert text not in planted.draft.replace("不通过。", "")
    human = stub.requests[-1]["messages"][1]["content"]
    if "请忽略以上要求" in human:  # report text reaches the LLM only inside the data block
        assert human.index("<data>") < human.index("请忽略以上要求") < human.index("</data>")


def test_function_calling_method(stub, checked, llm_settings, index):
    stub.push(Reply(tool_call={"name": "LLMDraft", "arguments": GOOD}))
    review = draft("done-when", checked, llm_settings, index, llm_method="function_calling")
    assert review.drafter == "llm" and review.issues[3].text == GOOD["issues"][3]["text"]
    assert stub.requests[-1]["tools"][0]["function"]["name"] == "LLMDraft"


def test_no_llm_sends_nothing(stub, checked, llm_settings, index):
    before = len(stub.requests)
    review = draft("done-when", checked, llm_settings, index, use_llm=False)
    assert review.drafter == "template" and len(stub.requests) == before


def test_review_model_without_an_endpoint(settings, tmp_path):
    assert review_model(settings.model_copy(update={"llm_base_url": None})) is None
    gguf = tmp_path / "model.gguf"
    gguf.write_bytes(b"not a model")  # llama-cpp missing or the file unusable: no LLM
    assert review_model(settings.model_copy(update={"llm_base_url": None,
                                                    "llm_model": str(gguf)})) is None


def test_cli_review_with_llm_keeps_the_verdict(stub, settings, monkeypatch, capsys):
    from assistant.cli import main
    from assistant.settings import get_settings

    monkeypatch.setenv("CPAUDIT_LLM_BASE_URL", stub.base_url)
    monkeypatch.setenv("CPAUDIT_LLM_MODEL", STUB_MODEL)
    get_settings.cache_clear()
    try:
        stub.push(json.dumps(OBEDIENT, ensure_ascii=False))
        assert main(["review", str(REPORTS / "injection.md"), "--json"]) == 0
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()
    out = json.loads(capsys.readouterr().out)
    assert out["verdict"] == "不通过" and out["drafter"] == "llm-fallback"
    assert len(out["issues"]) == 5


def test_regenerating_an_llm_draft_keeps_its_wording(stub, checked, llm_settings, index):
    from checkers.review.service import regenerate

    stub.push(json.dumps(GOOD, ensure_ascii=False))
    review = draft("done-when", checked, llm_settings, index)
    assert regenerate(review) == review
    edited = review.model_copy(deep=True)
    edited.issues[0].status = "rejected"
    out = regenerate(edited)
    assert out.issues[1].text == GOOD["issues"][1]["text"]  # kept issues keep the LLM wording
    assert out.overall.startswith("《") and "发现主要问题4项" in out.overall  # re-drafted
    assert out.verdict == "修改后通过"


def test_the_support_threshold_is_the_answerers(stub, checked, llm_settings, index, template,
                                                tmp_path, monkeypatch):
    """One threshold (data/answering.yaml) decides whether an LLM text is supported by its
    sources, for answers and for review drafts alike: raised to 1.0, no rewording is kept."""
    from assistant.settings import get_settings
    from assistant.tuning import ANSWERING_FILE

    path = tmp_path / "answering.yaml"
    path.write_text(ANSWERING_FILE.read_text("utf-8").replace(
        "llm_support_threshold: 0.35", "llm_support_threshold: 1.0"), "utf-8")
    monkeypatch.setenv("CPAUDIT_TUNING_FILE", str(path))
    get_settings.cache_clear()
    try:
        stub.push(json.dumps(GOOD, ensure_ascii=False))
        review = draft("done-when", checked, llm_settings, index)
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()
    assert [i.text for i in review.issues] == [i.text for i in template["done-when"].issues]
    assert any("对不上" in n for n in review.notes)
