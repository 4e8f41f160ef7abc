"""The set-aware top ten: its last places go to the articles cited with the first ones
(learned co-citation) and to the first article's neighbours that match the question."""

from __future__ import annotations

from assistant import learned_terms
from assistant.learned_terms import LearnedTerms, Provenance
from assistant.query import expand
from assistant.retrieve import load_index, retrieve
from assistant.tuning import overridden
from tests.assistant.test_lawlib import library  # noqa: F401  (the fixture)

CODE = "中华人民共和国民法典"
SHOP = "个体工商户条例"
QUESTION = "邻居家要从我家接水排水，我必须提供便利吗"


def _table(laws=(CODE, SHOP), cocited=None) -> LearnedTerms:
    provenance = Provenance(source="test", learned_from="dev", questions=2, pairs=4,
                            min_support=3, max_terms=5, min_lift=3.0, expansion_support=2,
                            script="test", laws=list(laws))
    return LearnedTerms(provenance=provenance, cocited=cocited or {
        f"{CODE} 第二百九十条": [f"{SHOP} 第三条"]})


def _ranked(index, question: str, k: int) -> list[tuple[str, str]]:
    return [(p.title, p.article) for p in retrieve(index, expand(question), k=k).passages]


def test_an_article_cited_with_the_first_one_gets_a_place_in_the_top_ten(library):  # noqa: F811
    index = load_index(library)
    with learned_terms.overridden(_table()), overridden(neighbour_slots=0):
        with overridden(cocited_slots=0):
            before = _ranked(index, QUESTION, 10)
        with overridden(cocited_slots=1):
            after = _ranked(index, QUESTION, 10)
            shown = _ranked(index, QUESTION, 5)  # a shorter list (ask's five) is untouched
        with overridden(cocited_slots=0):
            assert shown == _ranked(index, QUESTION, 5)
    assert before[0] == (CODE, "第二百九十条")
    assert (SHOP, "第三条") not in before and (SHOP, "第三条") in after  # it shares no word
    assert after[:len(before)] == before[:len(after) - 1] or after[0] == before[0]
    assert len(after) == len(set(after))  # one place per article, copies of the law included


def test_co_citation_speaks_only_of_the_laws_it_was_learned_from(library):  # noqa: F811
    index = load_index(library)
    with learned_terms.overridden(_table(laws=("中华人民共和国刑法",))), \
            overridden(cocited_slots=1, neighbour_slots=0):
        assert (SHOP, "第三条") not in _ranked(index, QUESTION, 10)
    with learned_terms.overridden(_table()), overridden(cocited_slots=1, neighbour_slots=0):
        assert (SHOP, "第三条") not in _ranked(index, "北京" + QUESTION, 10)  # a place named


def test_the_first_articles_neighbours_come_in_only_when_they_match(library):  # noqa: F811
    import numpy as np

    from assistant import top_ten

    index = load_index(library)
    row = {(index.docs[c.doc_id].title, c.article): n for n, c in enumerate(index.chunks)}
    first, before, after = (row[CODE, a] for a in ("第二百八十九条", "第二百八十八条", "第二百九十条"))
    others = [n for n in range(len(index.chunks)) if n not in (first, before, after)][:12]
    ranking = [first, *others, after]  # 第二百九十条 13th, 第二百八十八条 not ranked at all
    scores = np.zeros(len(index.chunks), dtype=np.float32)
    scores[ranking] = 1.0
    with learned_terms.overridden(None), overridden(cocited_slots=0, neighbour_slots=2):
        filled = top_ten.fill(index, "?", ranking, scores, None, 10)
        assert filled[:9] == ranking[:9] and filled[9] == after  # the tenth place
        assert before not in filled  # 第二百八十八条 does not match the question
        assert sorted(filled) == sorted(ranking)  # nothing lost, the displaced rows follow
        scores[before] = 0.5
        filled = top_ten.fill(index, "?", ranking, scores, None, 10)
        assert filled[8:10] == [after, before] and filled[:8] == ranking[:8]
        assert top_ten.fill(index, "?", ranking, scores, None, 5) == ranking  # a top five
    with learned_terms.overridden(None), overridden(cocited_slots=0, neighbour_slots=0):
        assert top_ten.fill(index, "?", ranking, scores, None, 10) == ranking


def test_the_places_after_the_first_come_from_the_wide_expansion(library):  # noqa: F811
    index = load_index(library)
    table = _table(cocited={})
    table = table.model_copy(update={"articles_wide": {f"{CODE} 第一千条": ["造谣", "网上"]}})
    question = "网上有人造谣，说我家用水排水不合法，应当怎么办"
    code = (CODE, "第一千条")
    with learned_terms.overridden(table), overridden(cocited_slots=0, neighbour_slots=0):
        with overridden(wide_keep=0):
            before = _ranked(index, question, 10)
        with overridden(wide_keep=1):
            after = _ranked(index, question, 10)
            assert _ranked(index, question, 5) == before[:5]  # a top five is the precise one
        with overridden(wide_keep=1, expansion_weight=0):
            assert _ranked(index, question, 10) == before
    assert after[0] == before[0] and sorted(after) == sorted(before)
    assert after.index(code) < before.index(code)  # lifted among the wide places
