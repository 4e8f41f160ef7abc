"""Sentence-level recall: the sentences of the answering document that retrieval left out.

Retrieval ranks chunks; the answer is a sentence. When the top passages come from the right
document but the answering sentence sits in another of its chunks worded differently from the
question (收审批费 asked, 收取费用 written), no choice among the retrieved sentences can answer.
So the sentences of the top passages' documents are scored against the question with the
answer's own measure (assistant/evidence.py `coverage`: IDF-weighted terms, their document
wordings and pieces), and the chunks holding the best of them join the candidates after the
retrieved passages. The answer's kind, subject and place checks then decide as for any other
candidate: a sentence that does not state what is asked about the subject is still no answer.
"""

from __future__ import annotations

from collections.abc import Callable

from assistant.evidence import Term, coverage, quotes
from assistant.models import Chunk, Passage
from assistant.retrieve import SearchIndex
from assistant.tuning import tuning


def recalled(index: SearchIndex, terms: list[Term], passages: list[Passage],
             context: Callable[[SearchIndex, Chunk | Passage], str]) -> list[Passage]:
    """Chunks of the first `sentence_recall_docs` passages' documents, not among `passages`,
    whose best sentence covers at least the answer gate's share of the question
    (`min_coverage`): the `sentence_recall_chunks` best, best first (none when off).
    `context` is what a chunk is about without saying it (its title, region and section), as
    the answer counts it."""
    tune = tuning()
    if tune.sentence_recall_chunks <= 0 or not passages or not terms:
        return []
    docs = list(dict.fromkeys(p.doc_id for p in passages[:tune.sentence_recall_docs]))
    shown = {p.chunk_id for p in passages}
    credit = tune.quote_context_credit
    found: list[tuple[float, int]] = []
    for doc_id in docs:
        for row in index.document_rows(doc_id):
            chunk = index.chunks[row]
            if chunk.id in shown:
                continue
            where = context(index, chunk)
            best = max((coverage(terms, q.text, where, credit) for q in quotes(chunk.text)),
                       default=0.0)
            if best >= tune.min_coverage:
                found.append((best, row))
    found.sort(key=lambda f: (-f[0], f[1]))
    return [index.passage(row, 0.0) for _, row in found[:tune.sentence_recall_chunks]]
