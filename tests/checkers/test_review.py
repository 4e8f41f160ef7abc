"""The deterministic review draft (评审意见) of every sample report: exact issues and verdict,
reviewer prose, policy citations, injection safety, the verdict rules and the editing loop."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from checkers.review.errors import ReviewError
from checkers.review.service import draft_review, regenerate
from checkers.review.verdict import choose_profile, decide

REPORTS = Path(__file__).resolve().parents[1] / "fixtures" / "reports" / "src"
E, W, INFO = "error", "warning", "info"
DONE_WHEN = [
    (E, {("SEC-PHASE-MISSING", "可行性分析")}),
    (E, {("TEAM-LEADER-NOT-PRINCIPAL", "组长"), ("TEAM-ROLE-UNCOVERED", "财务")}),
    (E, {("IND-VALUE-MISSING", "氮氧化物")}),
    (E, {("CON-REDUCTION", "二氧化硫")}),
    (E, {("CIT-ARTICLE-INVALID", "第五十二条")}),
]
# report → (verdict, issues in order: (severity, {(rule_id, subject) of its findings}))
EXPECTED = {
    "complete-ceramics": ("通过", []),
    "complete-dyeing-system-b": ("通过", []),
    "defect-citations": ("修改后通过", [
        (E, {("CIT-ARTICLE-INVALID", "第五十二条")}),
        (INFO, {("CIT-UNVERIFIED", "清洁生产审核办法")}),
    ]),
    "defect-consistency": ("修改后通过", [
        (E, {("CON-REDUCTION", "二氧化硫"), ("CON-PERCENT", "氮氧化物"), ("CON-TOTAL", "合计"),
             ("CON-PAYBACK", "投资回收期"), ("CON-TARGET", "综合能耗")}),
        (W, {("CON-COST-CLASS", "无/低费方案"), ("CON-UNIT", "万元")}),
    ]),
    "defect-indicators": ("修改后通过", [
        (E, {("IND-REQUIRED-MISSING", "颗粒物"), ("IND-VALUE-NONNUMERIC", "二氧化硫"),
             ("IND-VALUE-MISSING", "氮氧化物"), ("IND-UNIT-MISSING", "电耗")}),
        (E, {("IND-PLAN-FIELD-MISSING", "计划完成时间"),
             ("IND-PLAN-FIELD-MISSING", "是否为审核提出的中高费方案")}),
    ]),
    "defect-sections": ("不通过", [
        (E, {("SEC-PHASE-MISSING", "可行性分析")}),
        (W, {("SEC-CONTENT-STUB", "物料平衡"), ("SEC-PHASE-ORDER", "方案实施")}),
    ]),
    "defect-team": ("修改后通过", [
        (E, {("TEAM-LEADER-NOT-PRINCIPAL", "组长"), ("TEAM-ROLE-UNCOVERED", "财务"),
             ("TEAM-AUDITOR-NO-CERT", "审核师证书编号")}),
    ]),
    "defect-team-prose": ("修改后通过", [
        (E, {("TEAM-LEADER-MISSING", "组长"), ("TEAM-ROLE-UNCOVERED", "一线操作")}),
    ]),
    "done-when": ("不通过", DONE_WHEN),
    "injection": ("不通过", DONE_WHEN),
}
NOISE = re.compile(r"[A-Z]{2,}-[A-Z]|\bF\d+\b|\bI\d+\b|None|\{|\}|[\x00-\x08]|\[\]|。。|，。|：。")


@pytest.fixture(scope="module")
def reviewed(checked, settings, index):
    cache = {}

    def run(name: str, fmt: str = "md"):
        if (name, fmt) not in cache:
            cache[name, fmt] = draft_review(checked(name, fmt), settings=settings, index=index,
                                            use_llm=False)
        return cache[name, fmt]

    return run


def issue_keys(review) -> list[tuple[str, set[tuple[str, str]]]]:
    by_id = {f.id: f for f in review.findings}
    return [(i.severity, {(by_id[f].rule_id, by_id[f].subject) for f in i.finding_ids})
            for i in review.kept()]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_exact_issues_and_verdict(name, reviewed):
    review = reviewed(name)
    verdict, issues = EXPECTED[name]
    assert (review.verdict, issue_keys(review)) == (verdict, issues)
    assert review.drafter == "template" and review.computed_verdict == verdict
    # every finding is in exactly one issue
    covered = [f for i in review.issues for f in i.finding_ids]
    assert sorted(covered) == sorted(f.id for f in review.findings)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_draft_reads_like_a_reviewer_wrote_it(name, reviewed):
    review = reviewed(name)
    draft = review.draft
    for heading in ("一、总体评价", "二、主要问题", "三、修改意见", "四、结论建议"):
        assert heading in draft
    assert not NOISE.search(draft), NOISE.search(draft)
    assert review.conclusion.startswith(review.verdict + "。")
    assert review.overall.startswith("《") and review.overall.endswith("。")
    for issue in review.issues:
        assert issue.text.endswith("。") and "：" in issue.text
        assert issue.suggestion.endswith("。")
        sentences = issue.text.rstrip("。").split("；")
        assert len(sentences) == len(set(sentences)), "a sentence is repeated"
    assert len(review.suggestions) == len(set(review.suggestions))
    numbers = [int(n) for n in re.findall(r"\[(\d+)\]", draft.split("政策依据")[0])]
    assert sorted(set(numbers)) == list(range(1, len(set(numbers)) + 1))


def test_done_when_draft(reviewed):
    review = reviewed("done-when")
    texts = [i.text for i in review.issues]
    assert texts[0].startswith("报告审核程序不完整：缺少“可行性分析”阶段")
    assert "第四部分 方案产生和筛选" in texts[0] and "第五部分 方案实施" in texts[0]
    assert texts[1].startswith("审核小组组成不符合要求：表1-1中，组长许建明（安环部经理）不是企业主要负责人")
    assert "没有财务人员" in texts[1]
    assert "表5-1中" in texts[2] and "氮氧化物排放量" in texts[2]
    assert "4.6" in texts[3] and "3.6" in texts[3]
    assert "“1.1 审核背景与依据”引用了《中华人民共和国清洁生产促进法》第五十二条" in texts[4]
    assert "发现主要问题5项" in review.overall and "错误5处" in review.overall
    assert "需要完善的问题1处" in review.overall
    assert review.conclusion.startswith("不通过。报告缺少审核阶段")
    assert review.suggestions[0] == "按清洁生产审核程序补充“可行性分析”阶段的工作内容和相应章节。"


def test_citations_quote_the_corpus(reviewed, index):
    review = reviewed("done-when")
    by_n = {c.n: c for c in review.citations}
    for issue in review.issues:
        assert issue.citations, issue.id
    team = by_n[review.issues[1].citations[0]]
    assert team.doc_id == "gz-action-plan" and "由企业主要领导人担任组长" in team.quote
    law = by_n[review.issues[2].citations[0]]
    assert law.doc_id == "cleaner-production-law" and "第二十七条" in law.quote
    for c in review.citations:
        if c.doc_id:  # verbatim: the quote (without the … marks) is in a chunk of that document
            core = c.quote.strip("…")
            assert any(core in ch.text for ch in index.chunks if ch.doc_id == c.doc_id)
            chunk = index.chunks[index.row_of[c.chunk_id]]  # the offsets locate it
            assert chunk.text[c.start - chunk.start:c.end - chunk.start] == core, c
        else:
            assert c.source
    assert "[5] 《中华人民共和国清洁生产促进法》" in review.draft


@pytest.mark.parametrize("fmt", ["md", "docx", "pdf"])
def test_planted_instruction_changes_neither_verdict_nor_issues(fmt, reviewed):
    honest, planted = reviewed("done-when", fmt), reviewed("injection", fmt)
    assert planted.verdict == honest.verdict == "不通过"
    assert issue_keys(planted) == issue_keys(honest)
    assert [i.finding_ids for i in planted.issues] == [i.finding_ids for i in honest.issues]
    assert "忽略" not in planted.draft and "结论写通过" not in planted.draft


def test_verdict_rules():
    missing = ("SEC-PHASE-MISSING", "section", "error")
    assert decide([missing], "standard")[0] == "不通过"
    assert decide([missing], "lenient")[0] == "修改后通过"
    assert decide([("TEAM-ROLE-UNCOVERED", "team", "warning")], "standard")[0] == "修改后通过"
    assert decide([("CIT-UNVERIFIED", "citation", "info")], "standard")[0] == "通过"
    assert decide([], "standard") == ("通过", "未发现需要更正或完善的问题")
    many = [("CON-TOTAL", "consistency", "error")] * 8
    assert decide(many, "standard")[0] == "不通过"
    assert choose_profile(["lenient"]) == "lenient" and choose_profile([]) == "standard"
    with pytest.raises(ReviewError, match="未知的评审结论配置"):
        choose_profile([], "strictest")


def test_lenient_profile_gives_lenient_verdict(settings, index):
    from checkers.engine import check_report

    result = check_report(REPORTS / "done-when.md", profiles=("lenient",), index=index)
    review = draft_review(result, settings=settings, index=index, use_llm=False)
    assert review.verdict_profile == "lenient" and review.verdict == "修改后通过"


def test_edit_loop_reject_and_reword(reviewed):
    review = reviewed("done-when")
    edited = review.model_copy(deep=True)
    edited.issues[0].status = "rejected"  # the reviewer disagrees with the missing phase
    edited.issues[2].text = "表5-1未给出氮氧化物排放量的审核后数值，无法评价减排效果。"
    out = regenerate(edited)
    assert [i.status for i in out.issues] == ["rejected", "accepted", "edited", "accepted",
                                              "accepted"]
    assert "可行性分析" not in out.draft.split("政策依据")[0]
    assert "1. 审核小组组成不符合要求" in out.draft
    assert "2. 表5-1未给出氮氧化物排放量的审核后数值，无法评价减排效果[2]。" in out.draft
    assert "[1] 《广州市全面推行清洁生产行动方案》" in out.draft  # renumbered from [2]
    assert "《清洁生产审核办法》" not in out.draft  # its only issue was rejected
    assert out.verdict == out.computed_verdict == "修改后通过"
    assert "发现主要问题4项" in out.overall and out.conclusion.startswith("修改后通过。")
    assert len(out.suggestions) == 4
    again = regenerate(out)  # regenerating an unchanged review changes nothing
    assert again.draft == out.draft and again.issues == out.issues


def test_edit_loop_keeps_reviewer_texts_and_verdict(reviewed):
    review = reviewed("defect-team")
    edited = review.model_copy(deep=True)
    edited.verdict = "不通过"
    edited.verdict_reason = "审核小组组成与备案材料不符"
    edited.overall = "报告编制较规范，但审核小组组成存在问题。"
    out = regenerate(edited)
    assert out.verdict == "不通过" and out.computed_verdict == "修改后通过"
    assert out.overall == "报告编制较规范，但审核小组组成存在问题。"
    assert out.conclusion.startswith("不通过。审核小组组成与备案材料不符")
    assert any("评审人" in n for n in out.notes)
