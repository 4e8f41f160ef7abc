"""The substring pre-filter counts exactly the passages the full relevance test counts."""

from __future__ import annotations

from eval.dataset import load_items
from eval.relevance import FlatTexts, Judge, flatten


def test_prefiltered_count_equals_full_count(index):
    texts = [flatten(c.text) for c in index.chunks]
    corpus = FlatTexts(texts)
    checked = 0
    for item in load_items():
        judge = Judge(e.quote for e in item.evidence)
        full = sum(1 for t in texts if judge.covered_flat(t))
        assert judge.count_in(corpus) == full, item.id
        checked += full > 0
    assert checked > 100  # the set's answerable items find their passages


def test_parts_and_short_quotes():
    quote = "企业应当对生产和服务过程中的资源消耗以及废物的产生情况进行监测"
    texts = [quote[:30], "无关的内容" * 5, quote[5:], quote[:10], "短句不算"]
    corpus = FlatTexts(texts)
    for quotes in ([quote], ["短句不算"], ["不存在的引文"]):
        judge = Judge(quotes)
        assert judge.count_in(corpus) == sum(1 for t in texts if judge.covered_flat(t))
