"""Sentence-level recall (assistant/sentence_recall.py): the answering sentence of the first
passage's document is found though retrieval did not rank its chunk."""

from __future__ import annotations

from assistant.answer import context, select_citations, term_weights
from assistant.asks import analyse
from assistant.retrieve import retrieve
from assistant.sentence_recall import recalled
from assistant.service import ask
from assistant.tuning import overridden

# The asker says 审批费; the EIA law says 收取费用 in an article retrieval ranks below five others.
FEE = "环保部门审批我们的环评文件时收了一笔审批费，这种情况怎么处理？"
FEE_ARTICLE = "在审批、备案中收取费用的，由其上级机关或者监察机关责令退还"


def test_the_answering_sentence_of_an_unranked_chunk_is_quoted(settings, index):
    answer = ask(FEE, settings=settings, index=index)
    assert not answer.abstained, answer.answer
    first = answer.citations[0]
    assert FEE_ARTICLE in first.quote
    assert first.doc_id == "eia-law"
    # the chunk was not among the retrieved passages: the recall found it
    assert first.chunk_id not in [p.chunk_id for p in answer.passages]
    # … and it travels with the answer, so the web UI can show the quote in its context
    assert [p.chunk_id for p in answer.recalled] == [first.chunk_id]
    assert FEE_ARTICLE in answer.recalled[0].text


def test_every_citation_has_its_passage_with_the_answer(settings, index):
    # the web UI's 上下文 panel looks a citation's chunk up among passages and recalled
    from eval.dataset import load_set

    for item in load_set("dev")[:200]:
        answer = ask(item.question, history=item.user_history, settings=settings, index=index)
        shown = {p.chunk_id for p in answer.passages} | {p.chunk_id for p in answer.recalled}
        assert all(c.chunk_id in shown for c in answer.citations), item.id
        assert {p.chunk_id for p in answer.recalled} <= {c.chunk_id for c in answer.citations}


def test_without_sentence_recall_that_sentence_is_out_of_reach(settings, index):
    with overridden(sentence_recall_chunks=0):
        answer = ask(FEE, settings=settings, index=index)
    assert all(FEE_ARTICLE not in c.quote for c in answer.citations)


def test_recalled_chunks_are_the_first_documents_unretrieved_ones(settings, index):
    passages = retrieve(index, FEE, k=5).passages
    terms = term_weights(index, FEE)
    with overridden(sentence_recall_chunks=3, sentence_recall_docs=1):
        found = recalled(index, terms, passages, context)
    assert found, "the EIA law holds more sentences about 审批 than the five passages"
    shown = {p.chunk_id for p in passages}
    assert all(p.doc_id == passages[0].doc_id and p.chunk_id not in shown for p in found)
    assert len(found) <= 3
    with overridden(sentence_recall_chunks=0):
        assert recalled(index, terms, passages, context) == []


def test_recalled_sentences_never_answer_alone(settings, index):
    # No retrieved sentence gets through: the recalled article, though it answers, only
    # competes with retrieved sentences and does not turn the refusal into an answer …
    row = next(r for r, c in enumerate(index.chunks) if FEE_ARTICLE in c.text)
    terms = term_weights(index, FEE)
    asked = analyse(FEE)
    recall = [index.passage(row, 0.0)]
    assert select_citations(index, FEE, terms, [], asked, recalled=recall) == []
    # … unless the tuning lets it answer alone
    with overridden(sentence_recall_alone=True):
        cited = select_citations(index, FEE, terms, [], asked, recalled=recall)
    assert cited and FEE_ARTICLE in cited[0].quote


def test_a_recalled_sentence_is_not_quoted_beside_the_answer(settings, index):
    # The first quote answers from a retrieved passage; other articles of the regulation that
    # cover the question's words are not added beside it …
    question = "在山东搞清洁生产审核，一定要花钱找咨询公司吗？"
    answer = ask(question, settings=settings, index=index)
    shown = {p.chunk_id for p in answer.passages}
    assert answer.citations and all(c.chunk_id in shown for c in answer.citations)
    # … as they would be if the tuning allowed it
    with overridden(sentence_recall_more=True):
        more = ask(question, settings=settings, index=index)
    assert any(c.chunk_id not in shown for c in more.citations[1:])
