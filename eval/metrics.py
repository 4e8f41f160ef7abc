"""Metrics: ranking metrics over relevance flags, answer metrics, and their aggregation.

Ranking metrics take the relevance flags of a ranked list (best first) — pure functions,
checked against a hand-computed fixture in tests/eval/test_metrics.py:

- hit@k: 1 if any of the top k is relevant, else 0.
- MRR@k: 1 / rank of the first relevant passage within the top k, else 0.
- nDCG@k: binary gains, DCG = Σ rel_i / log2(i + 1) over ranks i = 1..k; the ideal DCG puts
  all `n_relevant` relevant passages of the index first (at most k of them).

Answer metrics (no LLM): keyword recall is the share of an item's answer keywords that occur
in the answer (an abstention scores 0); citation precision is the share of cited passages that
contain evidence, pooled over the answerable items; abstention precision / recall treat
"abstained" as the prediction and "unanswerable" as the truth; a false abstention is an
abstention on an answerable item.

Trust metrics (no LLM), with the relevance rule of `eval.relevance.quote_answers` applied to
the answer's first quote (citation [1]):
- first quote answers: share of answerable items whose answer is not an abstention and whose
  first quote states one of the item's evidence quotes (an abstention or no quote scores 0);
- confidently wrong: items answered with a quote that is not the answer — an unanswerable item
  answered with at least one citation, or an answerable item whose first quote holds none of
  its evidence; counted and as a share of all items;
- answered right: an answerable item not refused whose first quote answers, or an
  unanswerable item refused; "follow-ups right" is that share over the follow-up items;
- unanswerable refused and answerable refused are abstention recall and the false abstention
  rate, under the names the trust report uses.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

from assistant.textfold import squash
from eval.models import ItemResult, Summary

RETRIEVAL = ("hit@1", "hit@3", "hit@5", "mrr@10", "ndcg@10", "evidence_recall")
ANSWER = ("keyword_recall", "citation_precision", "abstention_precision", "abstention_recall",
          "false_abstention_rate")
TRUST = ("first_quote_answers", "confidently_wrong_rate", "answered_right", "followups_right")
JUDGED = ("faithfulness", "correctness")
HEADLINE = RETRIEVAL + ANSWER + TRUST
PRIMARY_METRIC = "ndcg@10"
LABELS = {
    "hit@1": "hit@1", "hit@3": "hit@3", "hit@5": "hit@5", "mrr@10": "MRR@10",
    "ndcg@10": "nDCG@10", "evidence_recall": "evidence recall@k",
    "keyword_recall": "keyword recall", "citation_precision": "citation precision",
    "abstention_precision": "abstention precision",
    "abstention_recall": "abstention recall (unanswerable refused)",
    "false_abstention_rate": "false abstention rate (answerable refused)",
    "false_abstentions": "false abstentions",
    "first_quote_answers": "first quote answers", "confidently_wrong_rate": "confidently wrong",
    "confidently_wrong": "confidently wrong (items)", "answered_right": "answered right",
    "followups_right": "follow-ups right",
    "faithfulness": "faithfulness (LLM-judged)", "correctness": "correctness (LLM-judged)",
    "answerable": "answerable items", "unanswerable": "unanswerable items",
    "latency_p50_ms": "latency p50 (ms)", "latency_p95_ms": "latency p95 (ms)",
}
LOWER_IS_BETTER = {"false_abstention_rate", "false_abstentions", "latency_p50_ms",
                   "latency_p95_ms", "confidently_wrong", "confidently_wrong_rate"}


# --------------------------------------------------------------------------- ranking


def hit_at_k(relevant: Sequence[bool], k: int) -> float:
    return 1.0 if any(relevant[:k]) else 0.0


def reciprocal_rank(relevant: Sequence[bool], k: int = 10) -> float:
    for rank, rel in enumerate(relevant[:k], start=1):
        if rel:
            return 1.0 / rank
    return 0.0


def dcg(relevant: Sequence[bool], k: int) -> float:
    return sum(1.0 / math.log2(rank + 1)
               for rank, rel in enumerate(relevant[:k], start=1) if rel)


def ndcg_at_k(relevant: Sequence[bool], n_relevant: int, k: int = 10) -> float:
    """nDCG with binary gains; `n_relevant` is how many relevant passages the index holds."""
    n_relevant = max(n_relevant, sum(bool(r) for r in relevant[:k]))
    if n_relevant == 0:
        return 0.0
    ideal = sum(1.0 / math.log2(rank + 1) for rank in range(1, min(n_relevant, k) + 1))
    return dcg(relevant, k) / ideal


# --------------------------------------------------------------------------- answers


def keyword_recall(answer: str, keywords: Iterable[str]) -> tuple[float, list[str]]:
    """Share of the keywords found in the answer (folded, whitespace-free), and the missing."""
    keywords = list(keywords)
    if not keywords:
        return 0.0, []
    text = squash(answer)
    missing = [kw for kw in keywords if squash(kw) not in text]
    return 1 - len(missing) / len(keywords), missing


def percentile(values: Sequence[float], q: float) -> float | None:
    """Linear-interpolated percentile (numpy's default method), q in [0, 100]."""
    if not values:
        return None
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q / 100
    lo, hi = math.floor(pos), math.ceil(pos)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


def confidently_wrong(r: ItemResult) -> bool:
    """Answered with a quote that is not the answer."""
    if r.abstained or not r.citations:
        return False
    return not r.answerable or not r.first_quote_answers


def answered_right(r: ItemResult) -> bool:
    if not r.answerable:
        return r.abstained
    return not r.abstained and bool(r.first_quote_answers)


# --------------------------------------------------------------------------- aggregation


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def summarize(items: Sequence[ItemResult]) -> Summary:
    """All headline metrics over a set of item results (None where a metric is undefined)."""
    answerable = [r for r in items if r.answerable]
    unanswerable = [r for r in items if not r.answerable]
    out: Summary = {"answerable": len(answerable), "unanswerable": len(unanswerable)}
    out["hit@1"] = _mean([hit_at_k(r.relevant, 1) for r in answerable])
    out["hit@3"] = _mean([hit_at_k(r.relevant, 3) for r in answerable])
    out["hit@5"] = _mean([hit_at_k(r.relevant, 5) for r in answerable])
    out["mrr@10"] = _mean([reciprocal_rank(r.relevant, 10) for r in answerable])
    out["ndcg@10"] = _mean([ndcg_at_k(r.relevant, r.n_relevant, 10) for r in answerable])
    out["evidence_recall"] = _mean(
        [r.quotes_found / r.quotes_total for r in answerable if r.quotes_total])
    out["keyword_recall"] = _mean(
        [r.keyword_recall for r in answerable if r.keyword_recall is not None])
    cited = sum(r.citations for r in answerable)
    out["citation_precision"] = (
        sum(r.citations_relevant for r in answerable) / cited if cited else None)
    abstained = [r for r in items if r.abstained]
    true_abstentions = sum(1 for r in abstained if not r.answerable)
    out["abstention_precision"] = true_abstentions / len(abstained) if abstained else None
    out["abstention_recall"] = true_abstentions / len(unanswerable) if unanswerable else None
    false_abstentions = sum(1 for r in answerable if r.abstained)
    out["false_abstentions"] = false_abstentions
    out["false_abstention_rate"] = false_abstentions / len(answerable) if answerable else None
    out["first_quote_answers"] = _mean(
        [float(not r.abstained and bool(r.first_quote_answers)) for r in answerable])
    wrong = sum(confidently_wrong(r) for r in items)
    out["confidently_wrong"] = wrong
    out["confidently_wrong_rate"] = wrong / len(items) if items else None
    out["answered_right"] = _mean([float(answered_right(r)) for r in items])
    out["followups_right"] = _mean(
        [float(answered_right(r)) for r in items if r.form == "follow_up"])
    for metric in JUDGED:
        out[metric] = _mean([getattr(r, metric) for r in items
                             if getattr(r, metric) is not None])
    latencies = [r.latency_ms for r in items]
    out["latency_p50_ms"] = percentile(latencies, 50)
    out["latency_p95_ms"] = percentile(latencies, 95)
    return out


def by_type(items: Sequence[ItemResult]) -> dict[str, Summary]:
    return _by(items, "type")


def by_form(items: Sequence[ItemResult]) -> dict[str, Summary]:
    """Per form of writing (colloquial, follow_up, english, …); unlabelled items left out."""
    return _by(items, "form")


def by_asks(items: Sequence[ItemResult]) -> dict[str, Summary]:
    """Per kind of thing asked (amount, deadline, who, …); unlabelled items left out."""
    return _by(items, "asks")


def _by(items: Sequence[ItemResult], attr: str) -> dict[str, Summary]:
    groups: dict[str, list[ItemResult]] = {}
    for r in items:
        key = getattr(r, attr)
        if key is not None:
            groups.setdefault(key, []).append(r)
    return {k: summarize(rs) for k, rs in sorted(groups.items())}


def by_doc(items: Sequence[ItemResult]) -> dict[str, Summary]:
    """Per document cited by the evidence (an item citing two documents counts for both)."""
    groups: dict[str, list[ItemResult]] = {}
    for r in items:
        for doc in r.docs:
            groups.setdefault(doc, []).append(r)
    return {d: summarize(rs) for d, rs in sorted(groups.items())}
