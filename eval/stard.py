"""External evaluation: STARD's everyday legal questions over the national law library.

STARD (THUIR, Findings of EMNLP 2024, MIT) labels each real question of a non-lawyer with the
statute articles that answer it. A ranked passage is relevant when it holds one of them: its
document's title is the article's law title and it holds that article (第X条, compared through
`canonical_article`). Our passages carry their article; the baseline's 600-character
LangChain chunks hold whatever articles start in them or run into them (generous to it).

Questions come split by `eval/data/stard-split.json` (frozen before any tuning): tune on dev,
report test; only aggregate test figures are ever printed.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel

from assistant.articles import article_heading, canonical_article
from eval.metrics import hit_at_k, percentile, reciprocal_rank

SPLIT_FILE = Path(__file__).resolve().parent / "data" / "stard-split.json"
DEPTH = 10
Article = tuple[str, str]  # (law title, canonical 第X条)


class Gold(BaseModel):
    title: str
    article: str
    files: list[str]
    text: str = ""  # the article's text, as STARD's annotators saw it


class Question(BaseModel):
    id: str
    question: str
    gold: list[Gold]

    @property
    def articles(self) -> set[Article]:
        return {(g.title, canonical_article(g.article) or g.article) for g in self.gold}

    @property
    def area(self) -> str:
        """The library folder of the first answering article (民法典 by its part: 民法典/合同编)."""
        parts = self.gold[0].files[0].removeprefix("docs/").split("/") if self.gold[0].files \
            else ["?"]
        return "/".join(parts[:2]).removesuffix(".md") if parts[0] == "民法典" else parts[0]


def load_questions(path: Path) -> list[Question]:
    return [Question.model_validate_json(line) for line in path.read_text("utf-8").splitlines()
            if line.strip()]


def split(questions: list[Question], part: str) -> list[Question]:
    """The dev or test part, as eval/data/stard-split.json fixes it."""
    ids = set(json.loads(SPLIT_FILE.read_text("utf-8"))[part])
    return [q for q in questions if q.id in ids]


@dataclass
class Scored:
    """One question's ranking judged: relevance flags (best first) and articles found."""

    relevant: list[bool]
    found: int
    total: int
    latency_ms: float = 0.0


def judge(question: Question, ranking: list[set[Article]], latency_ms: float = 0.0) -> Scored:
    gold = question.articles
    top = ranking[:DEPTH]
    found = set().union(*top) & gold if top else set()
    return Scored([bool(arts & gold) for arts in top], len(found), len(gold), latency_ms)


def summarize(scored: Iterable[Scored]) -> dict[str, float]:
    rows = list(scored)
    if not rows:
        return {"n": 0}
    mean = lambda values: sum(values) / len(rows)  # noqa: E731
    out = {"n": len(rows)}
    for k in (1, 5, 10):
        out[f"hit@{k}"] = mean([hit_at_k(r.relevant, k) for r in rows])
    out["mrr@10"] = mean([reciprocal_rank(r.relevant, DEPTH) for r in rows])
    out["recall@10"] = mean([r.found / r.total for r in rows])
    latencies = [r.latency_ms for r in rows if r.latency_ms]
    if latencies:
        out["p95_ms"] = percentile(latencies, 95)
    return out


# --------------------------------------------------------------------------- ours


def rank_ours(index, question: str, k: int = DEPTH) -> tuple[list[set[Article]], float]:
    """Our ranking along the path `ask` takes (expanded question, one retrieve)."""
    from assistant.query import expand
    from assistant.retrieve import retrieve

    t0 = time.perf_counter()
    retrieval = retrieve(index, expand(question), k=k)
    latency = (time.perf_counter() - t0) * 1000
    return [{(p.title, p.article)} if p.article else set() for p in retrieval.passages], latency


# --------------------------------------------------------------------------- baseline


@dataclass
class BaselineLibrary:
    """LangChain BM25Retriever + jieba over the library, each chunk mapped to its articles."""

    baseline: object
    articles: dict[str, set[Article]] = field(default_factory=dict)  # by chunk id

    def rank(self, question: str, k: int = DEPTH) -> list[set[Article]]:
        return [self.articles[d.metadata["chunk_id"]] for d in self.baseline.search(question, k)]


def build_baseline_library(settings, titles: dict[str, str]) -> BaselineLibrary:
    from eval.baseline import build_baseline, document_texts

    texts = document_texts(settings)
    baseline = build_baseline(texts, chunk_size=settings.chunk_max_chars, preprocess="jieba")
    by_doc = dict(texts)
    articles: dict[str, set[Article]] = {}
    cursor: dict[str, int] = {}
    heads = {doc_id: _article_starts(text) for doc_id, text in texts}
    for chunk in baseline.chunks:
        doc_id = chunk.metadata["doc_id"]
        text = by_doc[doc_id]
        start = text.find(chunk.page_content, cursor.get(doc_id, 0))
        start = start if start >= 0 else text.find(chunk.page_content)
        cursor[doc_id] = max(start, 0)
        end = max(start, 0) + len(chunk.page_content)
        inside = [label for pos, label in heads[doc_id] if start < pos < end]
        before = [label for pos, label in heads[doc_id] if pos <= start]
        labels = set(inside) | set(before[-1:])
        articles[chunk.metadata["chunk_id"]] = {(titles[doc_id], a) for a in labels}
    return BaselineLibrary(baseline, articles)


def _article_starts(text: str) -> list[tuple[int, str]]:
    out, pos = [], 0
    for line in text.splitlines(keepends=True):
        label = article_heading(line)
        if label:
            out.append((pos, canonical_article(label) or label))
        pos += len(line)
    return out
