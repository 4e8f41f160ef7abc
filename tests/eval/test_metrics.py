"""Metric parity against hand-computed values, and the evidence-quote relevance rule."""

from __future__ import annotations

import math

import pytest

from eval.metrics import (
    by_form,
    hit_at_k,
    keyword_recall,
    ndcg_at_k,
    percentile,
    reciprocal_rank,
    summarize,
)
from eval.models import ItemResult
from eval.relevance import Judge, contains_quote, flatten, quote_answers

T, F = True, False
# Four queries, ranked best first; n = relevant passages the index holds.
RANKINGS = [
    ([F, T, F, T, F, F, F, F, F, F], 2),  # first hit at rank 2, second at 4
    ([T, F, F, F, F, F, F, F, F, F], 3),  # one of three relevant, at rank 1
    ([F] * 10, 1),  # the relevant passage is not retrieved
    ([F] * 10 + [T], 1),  # relevant only at rank 11: outside every @10 metric
]
# Hand-computed: 1/log2(3) = 0.6309297536, 1/log2(5) = 0.4306765581, 1/log2(4) = 0.5
EXPECTED = {
    "hit@1": [0, 1, 0, 0],
    "hit@3": [1, 1, 0, 0],
    "hit@5": [1, 1, 0, 0],
    "rr@10": [0.5, 1.0, 0.0, 0.0],
    # (0.6309297536 + 0.4306765581) / (1 + 0.6309297536); 1 / (1 + 0.6309297536 + 0.5)
    "ndcg@10": [1.0616063117 / 1.6309297536, 1 / 2.1309297536, 0.0, 0.0],
}


@pytest.mark.parametrize("q", range(len(RANKINGS)))
def test_ranking_metrics_match_hand_computed_values(q):
    flags, n = RANKINGS[q]
    assert hit_at_k(flags, 1) == EXPECTED["hit@1"][q]
    assert hit_at_k(flags, 3) == EXPECTED["hit@3"][q]
    assert hit_at_k(flags, 5) == EXPECTED["hit@5"][q]
    assert reciprocal_rank(flags, 10) == pytest.approx(EXPECTED["rr@10"][q])
    assert ndcg_at_k(flags, n, 10) == pytest.approx(EXPECTED["ndcg@10"][q], abs=1e-9)


def test_ndcg_is_one_for_an_ideal_ranking_and_never_above():
    assert ndcg_at_k([T, T, F], 2) == pytest.approx(1.0)
    # An index count below what was retrieved (e.g. a stale count) cannot push nDCG above 1.
    assert ndcg_at_k([T, T, T], 1) == pytest.approx(1.0)
    assert ndcg_at_k([F, T], 1) == pytest.approx(1 / math.log2(3))


def _item(i: int, flags, n, **kw) -> ItemResult:
    return ItemResult(id=f"qa-{i:03d}", type="fact", question="问", docs=["d"], answerable=True,
                      relevant=flags, n_relevant=n, **kw)


def test_summary_averages_the_fixture_and_pools_answer_metrics():
    items = [_item(i, f, n, keyword_recall=kr, citations=c, citations_relevant=cr,
                   quotes_total=2, quotes_found=qf)
             for i, ((f, n), kr, c, cr, qf) in enumerate(zip(
                 RANKINGS, [1.0, 0.5, 0.0, 0.0], [2, 1, 1, 0], [2, 1, 0, 0], [2, 1, 0, 0],
                 strict=True))]
    items[3].abstained = True  # a false abstention
    items.append(ItemResult(id="qa-100", type="unanswerable", question="问", docs=[],
                            answerable=False, abstained=True))
    items.append(ItemResult(id="qa-101", type="unanswerable", question="问", docs=[],
                            answerable=False, abstained=False))
    s = summarize(items)
    assert s["hit@1"] == pytest.approx(0.25) and s["hit@5"] == pytest.approx(0.5)
    assert s["mrr@10"] == pytest.approx(0.375)
    assert s["ndcg@10"] == pytest.approx(sum(EXPECTED["ndcg@10"]) / 4)
    assert s["evidence_recall"] == pytest.approx((1 + 0.5) / 4)
    assert s["keyword_recall"] == pytest.approx(0.375)
    assert s["citation_precision"] == pytest.approx(3 / 4)  # pooled: 3 of 4 citations
    assert s["abstention_precision"] == pytest.approx(0.5)  # 1 of 2 abstentions was right
    assert s["abstention_recall"] == pytest.approx(0.5)  # 1 of 2 unanswerable caught
    assert s["false_abstentions"] == 1 and s["false_abstention_rate"] == pytest.approx(0.25)


def test_undefined_metrics_are_none_not_zero():
    s = summarize([ItemResult(id="qa-001", type="unanswerable", question="问", docs=[],
                              answerable=False)])
    assert s["hit@5"] is None and s["citation_precision"] is None
    assert s["abstention_precision"] is None and s["abstention_recall"] == 0.0


def test_percentile_matches_numpy_linear():
    np = pytest.importorskip("numpy")
    values = [5.0, 1.0, 9.0, 3.0, 7.0, 2.0]
    for q in (50, 95, 0, 100):
        assert percentile(values, q) == pytest.approx(float(np.percentile(values, q)))


def test_keyword_recall_folds_width_and_whitespace():
    recall, missing = keyword_recall("处 ５ 万元以上 50 万元以下罚款", ["5万元以上", "50万元以下", "责令"])
    assert recall == pytest.approx(2 / 3) and missing == ["责令"]


QUOTE = "有下列情形之一的企业，应当实施强制性清洁生产审核：污染物排放超过国家或者地方规定的排放标准"


def test_a_passage_holding_the_quote_is_relevant_despite_layout():
    passage = ("第二十七条\n有下列情形之一的企业，应当实施强制性\n清洁生产审核：\u3000"
               "污染物排放超过国家或者地方规定的排放标准的。")
    assert Judge([QUOTE]).relevant(passage)
    assert Judge(["排放标准 ＳＯ２"]).relevant("排放标准SO2")  # full-width folded


def test_a_quote_straddling_a_chunk_boundary_counts_from_sixty_percent():
    q = flatten(QUOTE)
    need = math.ceil(0.6 * len(q))
    assert contains_quote("……" + q[-need:], q)  # the tail 60 % is in this chunk
    assert not contains_quote("……" + q[-(need - 1):], q)  # one character short
    assert contains_quote(q[:need] + "……", q)  # the head works the same way


def test_short_quotes_must_be_whole():
    q = flatten("处五万元以上五十万元以下的罚款")  # 15 characters: no partial credit
    assert not contains_quote("五万元以上五十万元以下", q)
    assert contains_quote("处五万元以上五十万元以下的罚款。", q)


def test_table_rows_match_quotes_copied_cell_per_line():
    quote = "省级清洁生产企业（家）\n23\n28\n16"
    row = "省级清洁生产企业（家） | 23 | 28 | 16 | 5"
    assert Judge([quote]).relevant(row)
    assert Judge([quote]).covered("无关的段落") == set()


# ------------------------------------------------------------------ first quote / trust

EVIDENCE = ["拒不改正的，处以五万元以上五十万元以下的罚款"]


def test_a_first_quote_holding_the_evidence_answers():
    quote = ("违反本法第二十七条第二款、第四款规定，不实施强制性清洁生产审核……"
             "拒不改正的，处以五万元以上五十万元以下的罚款。")
    assert quote_answers(quote, EVIDENCE)


def test_a_clause_trimmed_from_the_evidence_answers_but_a_bare_fragment_does_not():
    evidence = ["实施强制性清洁生产审核的单位，应当自确定实施清洁生产审核之日起一年内，"
                "在基本实施清洁生产方案后，向作出强制性清洁生产审核决定的部门报送清洁生产审核报告"]
    assert quote_answers("……应当自确定实施清洁生产审核之日起一年内……", evidence)  # 18 chars, whole
    assert not quote_answers("……之日起一年内……", evidence)  # under 10 characters: too little alone
    assert not quote_answers("自收到环境影响报告书之日起六十日内", evidence)  # another period


def test_a_quote_about_another_thing_does_not_answer():
    other = "由县级以上地方人民政府质量技术监督部门责令限期改正；拒不改正的，处以五万元以下的罚款"
    assert not quote_answers(other, EVIDENCE)
    assert not quote_answers("", EVIDENCE)


def _trust(i, *, answerable=True, abstained=False, citations=1, answers=None, form=None):
    return ItemResult(id=f"dev-{i:03d}", type="fact" if answerable else "unanswerable",
                      question="问", docs=[], answerable=answerable, abstained=abstained,
                      citations=citations, first_quote_answers=answers, form=form)


def test_trust_metrics_on_a_hand_counted_fixture():
    items = [
        _trust(1, answers=True, form="follow_up"),  # right
        _trust(2, answers=False, form="follow_up"),  # wrong quote: confidently wrong
        _trust(3, abstained=True, citations=0, answers=False),  # answerable refused
        _trust(4, answerable=False),  # unanswerable answered with a quote: confidently wrong
        _trust(5, answerable=False, abstained=True, citations=0, form="follow_up"),  # right
        _trust(6, answerable=False, citations=0),  # answered without a quote: not confident
    ]
    s = summarize(items)
    assert s["first_quote_answers"] == pytest.approx(1 / 3)
    assert s["confidently_wrong"] == 2 and s["confidently_wrong_rate"] == pytest.approx(2 / 6)
    assert s["answered_right"] == pytest.approx(2 / 6)
    assert s["followups_right"] == pytest.approx(2 / 3)
    assert s["abstention_recall"] == pytest.approx(1 / 3)  # unanswerable refused
    assert s["false_abstention_rate"] == pytest.approx(1 / 3)  # answerable refused
    groups = by_form(items)
    assert set(groups) == {"follow_up"}  # unlabelled items are left out of the breakdown
    assert groups["follow_up"]["answered_right"] == pytest.approx(2 / 3)
    assert summarize(items[2:4])["followups_right"] is None
