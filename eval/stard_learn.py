"""Learning the lay → legal vocabulary from STARD's labelled dev questions, and measuring it
by k-fold cross-validation (learn on k−1 folds, ask the held-out one, all folds).

Two tables from the (question, labelled article) pairs, both written to
assistant/data/learned_legal.yaml by scripts/make_learned_terms.py:

- a translation table: question word w → article words a with P(a in the labelled article |
  w in the question) well above P(a) (lift), seen in at least `min_support` distinct
  questions citing at least two distinct articles, the `max_terms` best per word;
- document expansion: an article → the question words of at least `expansion_support`
  distinct questions that cite it;
- a wide document expansion for the last places of a top ten: an article → the question words
  of at least `wide_support` (1) questions citing it;
- co-citation: an article → the articles cited with it by at least `cocitation_support`
  distinct questions (assistant/top_ten.py gives one of the top ten to such an article);
- the questions themselves with the articles they cite (assistant/similar_questions.py: the
  laws of the questions most like a new one lift those laws' articles in its later places).

Only dev questions may be learned from: `learn` refuses any id of the frozen test split.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections import Counter, defaultdict

from assistant.articles import canonical_article
from assistant.learned_terms import AskedQuestion, LearnedTerms, Provenance, article_key
from eval.stard import SPLIT_FILE, Question

MIN_SUPPORT = 3
MIN_ARTICLES = 2
MAX_TERMS = 5
MIN_LIFT = 3.0
EXPANSION_SUPPORT = 2
COCITATION_SUPPORT = 2
WIDE_SUPPORT = 1
CV_SALT = "cpaudit-stard-cv-v1:"


def frozen_test_ids() -> frozenset[str]:
    return frozenset(json.loads(SPLIT_FILE.read_text("utf-8"))["test"])


def _words(text: str) -> set[str]:
    from assistant.tokenize import words

    return {w for w in words(text) if len(w) > 1 or "\u4e00" > w or w > "\u9fff"}


def learn(questions: list[Question], *, min_support: int = MIN_SUPPORT,
          min_articles: int = MIN_ARTICLES, max_terms: int = MAX_TERMS,
          min_lift: float = MIN_LIFT, expansion_support: int = EXPANSION_SUPPORT,
          cocitation_support: int = COCITATION_SUPPORT, wide_support: int = WIDE_SUPPORT,
          method: str = "lift", source: str = "STARD train.jsonl",
          learned_from: str = "dev") -> LearnedTerms:
    """Both tables from `questions` (never a test question: that is an error)."""
    frozen = frozen_test_ids() & {q.id for q in questions}
    if frozen:
        raise ValueError(f"{len(frozen)} frozen STARD test questions given to learn from")
    n = len(questions)
    q_count: Counter[str] = Counter()
    a_count: Counter[str] = Counter()
    pair_questions: Counter[tuple[str, str]] = Counter()
    pair_articles: defaultdict[tuple[str, str], set[str]] = defaultdict(set)
    by_article: defaultdict[str, Counter[str]] = defaultdict(Counter)
    cited_with: defaultdict[str, Counter[str]] = defaultdict(Counter)
    pairs = 0
    asked_questions = []
    for q in questions:
        asked = _words(q.question)
        keys = [article_key(g.title, canonical_article(g.article) or g.article) for g in q.gold]
        pairs += len(keys)
        asked_questions.append(AskedQuestion(question=q.question, articles=sorted(set(keys))))
        answered = set().union(*(_words(g.text) for g in q.gold)) if q.gold else set()
        q_count.update(asked)
        a_count.update(answered)
        for w in asked:
            for a in answered - {w}:
                pair_questions[w, a] += 1
                pair_articles[w, a].update(keys)
        for key in set(keys):
            by_article[key].update(asked)
            cited_with[key].update(set(keys) - {key})
    candidates: defaultdict[str, list[tuple[float, str, float]]] = defaultdict(list)
    translation = _ibm1(questions) if method == "ibm1" else None
    for (w, a), support in pair_questions.items():
        if support < min_support or len(pair_articles[w, a]) < min_articles:
            continue
        p = support / q_count[w]
        lift = p / (a_count[a] / n)
        if lift < min_lift:
            continue
        if translation is None:
            candidates[w].append((p * math.log(lift), a, p))
        elif translation.get((w, a), 0) > 0:
            candidates[w].append((translation[w, a], a, translation[w, a]))
    if translation is not None:  # associations relative to each word's best translation
        for w, found in candidates.items():
            best = max(t for t, _, _ in found)
            candidates[w] = [(t, a, t / best) for t, a, _ in found]
    terms = {w: {a: round(p, 3) for _, a, p in sorted(found, key=lambda t: (-t[0], t[1]))
                 [:max_terms]} for w, found in sorted(candidates.items())}
    articles, wide = ({key: words for key, counts in sorted(by_article.items())
                       if (words := sorted(w for w, c in counts.items() if c >= support))}
                      for support in (expansion_support, wide_support))
    cocited = {key: [other for other, _ in sorted(
                   (kv for kv in counts.items() if kv[1] >= cocitation_support),
                   key=lambda kv: (-kv[1], kv[0]))]
               for key, counts in sorted(cited_with.items())}
    cocited = {key: others for key, others in cocited.items() if others}
    provenance = Provenance(
        source=source, learned_from=learned_from, questions=n, pairs=pairs,
        min_support=min_support, max_terms=max_terms, min_lift=min_lift,
        expansion_support=expansion_support, cocitation_support=cocitation_support,
        wide_support=wide_support, script="scripts/make_learned_terms.py",
        laws=sorted({g.title for q in questions for g in q.gold}))
    return LearnedTerms(provenance=provenance, terms=terms, articles=articles, cocited=cocited,
                        articles_wide=wide, asked=asked_questions)


def _ibm1(questions: list[Question], iterations: int = 8) -> dict[tuple[str, str], float]:
    """IBM model 1: t(a | w), each labelled article's words generated by the question's words
    (or by an empty word, which takes the article boilerplate), learned by EM."""
    pairs = []
    for q in questions:
        asked = sorted(_words(q.question)) + [""]
        answered = sorted(set().union(*(_words(g.text) for g in q.gold))) if q.gold else []
        pairs.append((asked, answered))
    t: defaultdict[tuple[str, str], float] = defaultdict(lambda: 1.0)
    for _ in range(iterations):
        counts: defaultdict[tuple[str, str], float] = defaultdict(float)
        totals: Counter[str] = Counter()
        for asked, answered in pairs:
            for a in answered:
                z = sum(t[w, a] for w in asked)
                for w in asked:
                    c = t[w, a] / z
                    counts[w, a] += c
                    totals[w] += c
        t = defaultdict(float, {(w, a): c / totals[w] for (w, a), c in counts.items()})
    return dict(t)


def folds(questions: list[Question], k: int) -> list[list[Question]]:
    """k folds of the questions by a salted hash of their ids (fixed, order-free)."""
    out: list[list[Question]] = [[] for _ in range(k)]
    for q in questions:
        out[int(hashlib.sha256((CV_SALT + q.id).encode()).hexdigest(), 16) % k].append(q)
    return out


def fold_tables(questions: list[Question], k: int = 5, **learn_params) -> list[LearnedTerms]:
    """Per fold of `folds(questions, k)`, the table learned from the other folds."""
    parts = folds(questions, k)
    return [learn([q for m, part in enumerate(parts) if m != n for q in part], **learn_params)
            for n in range(k)]
