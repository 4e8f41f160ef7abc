"""Our pipeline under evaluation: one index per configuration, built into a temp data dir, and
every question through `assistant.service.ask` — the same path the CLI and the API use."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from assistant.dense import locate_model
from assistant.index import build_index
from assistant.query import expand
from assistant.retrieve import SearchIndex, load_index, retrieve
from assistant.service import ask
from assistant.settings import Settings
from eval.judge import LLMJudge
from eval.metrics import keyword_recall
from eval.models import ConfigSpec, Hit, ItemResult, QAItem
from eval.relevance import FlatTexts, Judge, flatten, quote_answers

log = logging.getLogger(__name__)
DEPTH = 10  # ranking depth for MRR@10 / nDCG@10
SHOWN = 5  # passages kept per item for the report


@dataclass
class Prepared:
    settings: Settings
    index: SearchIndex
    flat: FlatTexts  # flattened chunk texts, for counting relevant passages in the index


class Indexes:
    """Builds each distinct index once per run (configs differing only in k share one)."""

    def __init__(self, base: Settings, root: Path) -> None:
        self.base, self.root = base, root
        self._built: dict[tuple, Prepared] = {}

    def dense_for(self, spec: ConfigSpec) -> tuple[bool, str, str]:
        """(use dense?, model name, reason it is off) for a spec."""
        model = spec.embedding_model if spec.embedding_model is not None \
            else self.base.embedding_model
        if spec.dense == "off":
            return False, model, "lexical by configuration"
        where = locate_model(model)
        if where.path is None:
            return False, model, where.reason
        return True, model, ""

    def get(self, spec: ConfigSpec) -> Prepared | str:
        """The prepared index, or why this configuration is skipped."""
        use_dense, model, reason = self.dense_for(spec)
        if spec.dense == "on" and not use_dense:
            return f"no embedding model available ({reason})"
        chunk = spec.chunk_max_chars or self.base.chunk_max_chars
        key = (spec.token_mode, use_dense, model if use_dense else "", chunk)
        if key not in self._built:
            settings = self.base.model_copy(update={
                "data_dir": self.root / f"index-{len(self._built)}",
                "chunk_max_chars": chunk, "chunk_min_chars": min(self.base.chunk_min_chars,
                                                                 chunk // 2),
                "embedding_model": model if use_dense else "",
            })
            # A temporary directory removed after the run: nothing to flush to disk for a
            # crash (fsync waited 0.1–0.2 s per run on a busy disk).
            build_index(settings, token_mode=spec.token_mode, use_dense=use_dense, durable=False)
            index = load_index(settings)
            self._built[key] = Prepared(settings, index,
                                          FlatTexts([flatten(c.text) for c in index.chunks]))
        prepared = self._built[key]
        k = spec.top_k or self.base.top_k
        return Prepared(prepared.settings.model_copy(update={"top_k": k}), prepared.index,
                        prepared.flat)


def count_relevant(judge: Judge, flat_texts: FlatTexts) -> int:
    return judge.count_in(flat_texts)


def evaluate_item(
    item: QAItem, prepared: Prepared, *, use_llm: bool, judge: LLMJudge | None = None
) -> ItemResult:
    settings, index = prepared.settings, prepared.index
    answer = ask(item.question, history=item.user_history, k=settings.top_k, use_llm=use_llm,
                 settings=settings, index=index, previous_answer=item.previous_answer)
    result = ItemResult(
        id=item.id, type=item.type, question=item.question, docs=item.doc_ids,
        answerable=item.answerable, form=item.form, asks=item.asks, answer=answer.answer,
        answerer=answer.answerer, abstained=answer.abstained,
        latency_ms=answer.timings.get("total_ms", 0.0), citations=len(answer.citations),
        first_quote=next((c.quote or "" for c in sorted(answer.citations, key=lambda c: c.n)),
                         ""),
    )
    if judge is not None:
        judge.score(item, answer, result)
    if not item.answerable:
        result.top = [Hit(chunk_id=p.chunk_id, doc_id=p.doc_id, relevant=False)
                      for p in answer.passages[:SHOWN]]
        return result
    judge = Judge(e.quote for e in item.evidence)
    # The answer saw the top k; the metrics look 10 deep, along the same retrieval path.
    query = answer.retrieval_query or answer.resolved_question or item.question
    ranking = retrieve(index, expand(query), k=DEPTH)
    shown = [p.chunk_id for p in answer.passages]
    if [p.chunk_id for p in ranking.passages[:len(shown)]] != shown:
        # ask() retrieved differently from retrieve(expand(...)): metrics would not describe
        # what the user saw. Say so loudly rather than report the wrong ranking silently.
        log.warning("%s: ranking differs from the answer's passages; retrieval metrics use "
                    "the answer's passages first", item.id)
        ranking.passages = answer.passages + [p for p in ranking.passages
                                              if p.chunk_id not in shown]
    covered = [judge.covered_flat(_flat_text(prepared, p.chunk_id, p.text))
               for p in ranking.passages]
    result.relevant = [bool(c) for c in covered]
    result.n_relevant = count_relevant(judge, prepared.flat)
    result.quotes_total = len(judge.quotes)
    result.quotes_found = len(set().union(*covered[:settings.top_k]))
    result.top = [Hit(chunk_id=p.chunk_id, doc_id=p.doc_id, relevant=r)
                  for p, r in zip(ranking.passages[:SHOWN], result.relevant, strict=False)]
    if answer.abstained:
        result.keyword_recall, result.missing_keywords = 0.0, list(item.answer_keywords)
    else:
        result.keyword_recall, result.missing_keywords = keyword_recall(
            answer.answer, item.answer_keywords)
    result.first_quote_answers = quote_answers(
        result.first_quote, (e.quote for e in item.evidence))
    result.citations_relevant = sum(
        1 for c in answer.citations
        if judge.covered_flat(prepared.flat.texts[index.row_of[c.chunk_id]])
    )
    return result


def _flat_text(prepared: Prepared, chunk_id: str, text: str) -> str:
    """A passage's text in `flatten` form: the chunk's, flattened once per run, when the
    passage carries the chunk's text unchanged (it always has so far), else its own."""
    row = prepared.index.row_of.get(chunk_id)
    if row is not None and prepared.index.chunks[row].text == text:
        return prepared.flat.texts[row]
    return flatten(text)
