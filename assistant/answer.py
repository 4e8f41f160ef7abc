"""Cited answers. Without an LLM: extractive — the 1–3 retrieved sentences that answer the
question, quoted verbatim and cited. The assistant abstains when the question is about a place,
year or document the corpus does not hold, or when the best evidence covers too little of it.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from functools import lru_cache

import numpy as np

from assistant import answer_scorer
from assistant.articles import cited_articles
from assistant.asks import Ask, analyse, missing_reason, states
from assistant.evidence import Quote, Term, content_terms, coverage, quotes
from assistant.followup import Resolved, asks_its_own, is_acknowledgement
from assistant.models import Answer, Chunk, Citation, Passage
from assistant.place_scope import own_counts, place_scope, within
from assistant.places import Place, find_places
from assistant.present import is_bare_heading, present, refusal_context, refusal_reason
from assistant.query import alternatives, places
from assistant.quote_priors import Priors, prior, question_priors
from assistant.retrieve import Retrieval, SearchIndex
from assistant.sentence_recall import recalled
from assistant.slots import asking_terms, asking_word, novelty, slot_share
from assistant.textfold import HANZI, bigram_overlap, fold, squash
from assistant.tokenize import backend, nouns, words
from assistant.tuning import tuning

_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
_BOOK_TITLE = re.compile(r"《([^》]{2,60})》")


def extractive_answer(index: SearchIndex, asked: Resolved, retrieval: Retrieval) -> Answer:
    t0 = time.perf_counter()
    question, query = asked.turn, asked.query
    tune = tuning()  # data/answering.yaml (or the settings' tuning_file), read at call time
    notes = mode_notes(index)
    if is_acknowledgement(query):
        # "好的，谢谢！" asks nothing: no refusal about the corpus, no passages to show
        return Answer(question=question, answer="不客气。如有清洁生产政策方面的问题，请直接提出。",
                      abstained=True, citations=[], passages=[], mode=retrieval.mode,
                      notes=notes, timings=dict(retrieval.timings))
    reason = out_of_scope(index, query, retrieval.passages)
    weights = focus_on_new_turn(term_weights(index, query), asked)
    scope = place_scope(index, query)
    passages = within(index, scope, retrieval.passages)
    citations: list[Citation] = []
    extra: list[Passage] = []  # sentence recall's chunks, when the coverage gate is passed
    shown_context: list[Citation] = []  # a refusal's nearest passage: context, not an answer
    named = index.cited_article_rows(query) if reason is None else []
    if named:
        # The user names an article that exists ("…法第二十七条规定了什么？"): quote it.
        citations = article_citations(index, named)
    elif reason is None:
        best = max(
            (coverage(weights, p.text, context(index, p)) for p in passages[:3]),
            default=0.0,
        )
        # a follow-up that asks its own thing ("装配式建筑的比例呢？") is not asking the
        # previous question's 多少家
        ask = analyse(question)
        if ask.kind is None and (not asked.follow_up or not asks_its_own(question)):
            ask = analyse(query)  # an ellipsis ("那广西呢？") asks the previous question's thing
        # a count asked of 顺德区: Guangdong's total is context, not its answer
        counted = own_counts(index, scope, passages, ask)
        if best >= tune.min_coverage or (best > 0 and answer_scorer.in_use(tune)):
            # below the coverage gate only the learned scorer may answer (`rescue`)
            extra = recalled(index, weights, passages, context)
            # worked out once for every try below, from the place scope already found
            priors = question_priors(index, query, ask, local=scope is not None)
            for repeats in ((asked.repeats, None) if asked.said_before else (None,)):
                # the previous answer's quote only when nothing else answers
                citations = select_citations(index, query, weights, counted, ask,
                                             turn_words(weights, asked), scene=asked.earlier,
                                             follow_up=asked.follow_up, best_coverage=best,
                                             below_gate=best < tune.min_coverage,
                                             repeats=repeats, recalled=extra,
                                             priors=priors)
                if citations:
                    break
        if not citations:
            missing = (best >= tune.min_coverage and missing_reason(ask)) \
                or "现有政策文件中未找到能回答该问题的内容"
            reason = missing
            if scope is not None:
                # what is missing, said of the place's documents: 未找到该问题所问的具体数字
                reason = f"适用于{scope.place}的现有文件（{scope.place}本地、上级地区和全国性的文件）" \
                         f"中{missing.removeprefix('现有政策文件中')}；其他地区的规定不能代替"
                if len(counted) < len(passages):
                    reason += f"，上级地区文件中的数量是其全地区的总数，不是{scope.place}的"
            if best >= tune.min_coverage:
                # the documents discuss the subject but no sentence states what is asked
                shown_context = refusal_context(index, weights, passages, ask)
                reason = refusal_reason(reason, weights, shown_context)
    if scope is not None and citations:
        notes = [*notes, f"问题涉及{scope.place}：只引用适用于{scope.place}的文件（本地、上级地区和全国性规定）。"]
    timings = {k: round(v, 2) for k, v in retrieval.timings.items()}
    timings["answer_ms"] = round((time.perf_counter() - t0) * 1000, 2)
    if reason is not None:
        # out-of-scope refusals (no such place, year, article or document) show no context:
        # a passage about something else would only look like an answer
        return abstain(index, asked, reason, retrieval, notes, timings, shown_context)
    return Answer(
        question=question, resolved_question=asked.shown,
        answer=compose(citations), abstained=False, citations=citations,
        passages=retrieval.passages, recalled=cited_only(extra, citations), mode=retrieval.mode,
        notes=notes, timings=timings,
    )


def cited_only(passages: list[Passage], citations: list[Citation]) -> list[Passage]:
    cited = {c.chunk_id for c in citations}
    return [p for p in passages if p.chunk_id in cited]


def mode_notes(index: SearchIndex) -> list[str]:
    if index.mode == "lexical":
        notes = [f"检索模式：仅词法检索（BM25）。{index.meta.lexical_reason}"]
    else:
        notes = [f"检索模式：混合检索（BM25 + 向量模型 {index.meta.dense_model}）"]
    if backend() != "rjieba":  # same tokens, only slower: worth saying, not worth failing
        notes.append(f"分词：{backend()}，词元相同但速度较慢")
    return notes


def term_weights(index: SearchIndex, query: str) -> list[Term]:
    """The question's terms weighted by IDF over the index's chunks, carrying their pieces for
    partial credit. A word no document uses in any wording (咋, 东西, a typo) is weighted
    `unseen_weight` × the rarest term's: it cannot be in any quote, so it should not decide
    how much of the question a quote covers."""
    if index.bm25 is None:
        return []
    unseen = tuning().unseen_weight
    # A word's weight depends on the index and the word only, and a question's words are
    # weighed twice (the coverage ordering of retrieval, then the answer) and recur from
    # question to question: kept per index (which lives as long as its generation).
    known = index.__dict__.setdefault("_term_weights", {})
    if len(known) > _KEPT_TERMS:
        known.clear()
    terms = []
    for text in content_terms(query):
        term = known.get((text, unseen))
        if term is None:
            term = known[(text, unseen)] = _weighed(index, text, unseen)
        terms.append(term)
    return terms


_KEPT_TERMS = 50_000


def _weighed(index: SearchIndex, text: str, unseen: float) -> Term:
    total = len(index.chunks)

    def idf(token: str) -> float:
        df = index.bm25.doc_freq(token)
        return float(np.log(1 + (total - df + 0.5) / (df + 0.5)))

    pieces = tuple((p, idf(p)) for p in words(text) if p != text) if len(text) > 2 else ()
    seen = any(index.bm25.doc_freq(a) for a in alternatives(text)) \
        or any(index.bm25.doc_freq(p) for p, _ in pieces)
    return Term(text, idf(text) * (1.0 if seen else unseen), pieces, seen)


def focus_on_new_turn(terms: list[Term], asked: Resolved) -> list[Term]:
    """In a follow-up ("如果是进口的呢？" after a question about using), the words of the new
    turn are what is asked; the merged earlier question only sets the scene."""
    if not asked.follow_up:
        return terms
    new = set(content_terms(asked.said))
    boost = tuning().followup_focus
    return [Term(t.text, t.weight * boost, t.pieces, t.seen) if t.text in new else t
            for t in terms]


def turn_words(terms: list[Term], asked: Resolved) -> list[str]:
    """The words of a follow-up turn that the documents use, places aside ("牵头" of
    "牵头单位是哪个？"): the turn asks about them, so a quote that names none of them answers
    the earlier question, not this one. Empty for a question that is not a follow-up, an
    ellipsis (its words may be the previous question's: "罚了以后还是不改呢？") or a turn
    that names a place (it re-asks the previous question there)."""
    if not asked.follow_up or not asks_its_own(asked.said) or find_places(asked.said):
        return []
    new = set(content_terms(asked.said))
    return [t.text for t in terms if t.text in new and t.seen and len(t.text) >= 2
            and not find_places(t.text) and not places(t.text)]


def out_of_scope(index: SearchIndex, query: str, passages: list[Passage]) -> str | None:
    """Why the corpus cannot answer a question scoped to a place, year or document, if so —
    or why the question is not one it could answer at all."""
    if not HANZI.search(query):
        return "问题中没有中文内容；现有政策文件均为中文，请用中文提问（Please ask in Chinese）"
    if not any(len(term) >= 2 for term in content_terms(query)):
        return "问题过短或不完整，请把要咨询的事项说完整"
    haystack = " ".join(p.text for p in passages)
    for place in places(query):
        if place not in index.covered_text and place not in haystack:
            return f"现有政策文件中未找到关于「{place}」的规定"
    for year in _YEAR.findall(query):
        if year not in haystack and year not in index.dates_text:
            return f"现有政策文件中未找到关于 {year} 年的内容"
    for article in cited_articles(query):
        for doc_id in index.named_documents(query):
            if not index.article_rows(doc_id, article):
                doc = index.docs[doc_id]
                return f"《{doc.title}》中没有{article}（共 {index.article_count(doc_id)} 条）"
    if tuning().compiled["enterprise"].search(query):
        return "现有政策文件不包含具体企业的审核或验收情况"
    for title in _BOOK_TITLE.findall(query):
        # a document the corpus's documents speak of (a city's plan names its own earlier
        # 实施方案) is a subject they can answer about, though not itself in the corpus — but
        # not its articles' text
        if not index.knows_title(title) and (
                cited_articles(query) or squash(title) not in squash(haystack)):
            return f"现有政策文件中未收录《{title}》"
    return None


def context(index: SearchIndex, passage: Passage | Chunk) -> str:
    """What a passage (or chunk) is about without saying it: its document's title and region,
    its section."""
    doc = index.docs[passage.doc_id]
    return " ".join([doc.title, doc.region, passage.section])


def _title_lines(passage: Passage, offset: int) -> list[str]:
    """Title lines above a sentence in its passage: a form's name above its table."""
    return [line for line in passage.text[:offset].split("\n")
            if line and line[-1] not in "。；！？：:" and len(line) <= 40]


def select_citations(
    index: SearchIndex, query: str, weights: list[Term], passages: list[Passage], ask: Ask,
    turn: list[str] | None = None, *, scene: str = "", follow_up: bool = False,
    best_coverage: float = 0.0, below_gate: bool = False,
    repeats: Callable[[str], bool] | None = None, recalled: list[Passage] | None = None,
    priors: Priors | None = None,
) -> list[Citation]:
    """The quotes that answer, from `passages` (the retrieved ones, best first) and then
    `recalled` (assistant/sentence_recall.py: chunks of their documents whose sentences cover
    the question), whose sentences score × `sentence_recall_weight`."""
    tune = tuning()
    retrieved = len(passages)
    passages = passages + (recalled or [])
    # a list question is the `list` kind of data/answering.yaml (its one home): "哪些…" is
    # answered by the sentence that enumerates, and a list is quoted whole
    wants_list = "list" in ask.kinds
    focus = asked_subject(query, weights, ask.kind) if ask.kind in tune.focused_asks else []
    if not focus and scene and ask.kind in tune.focused_asks:
        # an ellipsis whose asking clause names nothing ("那违反了呢？会怎么罚？") asks about
        # what the earlier question named (产品包装): a penalty for another thing does not answer
        focus = earlier_subject(scene, weights)
    asked_places = find_places(query)
    # a document the corpus does not hold but speaks of: only a sentence naming it answers
    spoken_of = [squash(t) for t in _BOOK_TITLE.findall(query) if not index.knows_title(t)]
    # what each slot-checked kind asks about: its asking clause's words (assistant/slots.py)
    subjects = [(k, _slot_subject(query, weights, k)) for k in ask.kinds]
    if tune.novelty_refusal < 1 and any(novelty(subject) >= tune.novelty_refusal
                                         for k, subject in subjects if k in tune.focused_asks):
        return []  # it asks about a thing no document names (a fee, a hotline, a form)
    preferred = [(k, _slot_subject(query, weights, k)) for k in ask.prefers]
    # the rarest word the documents use in each gated kind's asking clause (13 of "…确定的13个
    # 重点行业是哪些"): of the sentences stating the kind, the one naming it is about what is
    # asked, not another sentence of the same passage that holds more of the question's words.
    # Not a permission's: its clause is short ("企业还能用吗"), its rarest word a common one,
    # and it has its own preference below.
    rarest_asked = [max(seen, key=lambda t: t.weight).text for _, subject in subjects
                    if (seen := [t for t in subject if t.seen and len(t.text) >= 2])]
    slotted = [] if not tune.slot_share or any(k not in tune.slot_asks for k in ask.kinds) \
        else subjects
    # the learned scorer (assistant/answer_scorer.py) and its features: only when in use
    model = answer_scorer.active(tune.answer_scorer)
    learned = model is not None or answer_scorer.collecting_now()
    rarest = max(weights, key=lambda t: t.weight, default=None) if learned else None
    scored: list[tuple[float, int, Quote, Passage, answer_scorer.Candidate | None]] = []
    # where the answer lies, as the question says (assistant/quote_priors.py): they order the
    # candidates, and the abstain check below looks at the scores without them
    where_asked = priors or question_priors(index, query, ask)
    plain_best = 0.0
    for rank, passage in enumerate(passages):
        authority = _authority(index, passage)
        where = context(index, passage)
        first_in_passage = True
        for quote in quotes(passage.text):
            if is_bare_heading(quote.text):
                continue
            if repeats is not None and repeats(quote.text):
                continue  # the previous answer's quote: the follow-up asks something new
            if not states(ask, quote.text, passage.text):
                continue  # a quantity or a time asked: only a sentence stating one answers
            above = _title_lines(passage, quote.start)
            # the sentence with the title lines above it (a form's name above its table)
            said = f"{' '.join(above)} {quote.text}"
            if focus and not all(_mentions(f, f"{passage.title} {passage.section} {said}")
                                 for f in focus):
                continue  # a number about something else: 劳务费 asked, a deadline stated;
                # a 称号's 有效期 for a question about a 排污许可证's
            slot = max((slot_share(k, subject, said, tune.slot_reach_of(k), passage.title)
                        for k, subject in slotted or subjects
                        if states(Ask((k,), ask.unit, ask.given), quote.text, passage.text)),
                       default=1.0) if slotted or learned else 1.0
            if slotted and slot < tune.slot_share:
                continue  # the subject in one clause, a number of another thing in another
            if spoken_of and not all(t in squash(said) for t in spoken_of):
                continue  # 《…条例》 asked about: another document's sentence does not answer
            heading = (above or [passage.section])[-1]
            named = find_places(f"{heading} {quote.text}") if asked_places else []
            if asked_places and _about_another_place(named, asked_places):
                continue  # 高明区's paragraph does not answer a question about 顺德区
            if turn and not any(_mentions(t, f"{passage.section} {said}") for t in turn):
                continue  # a follow-up's quote names what the new turn asks about
            # Short fragments match a large share of a short question by accident.
            length = min(1.0, len(quote.text) / 40)
            score = coverage(weights, said, where, tune.quote_context_credit) \
                * (1.0 - tune.rank_penalty * rank)
            score *= (0.6 + 0.4 * length) * authority
            if rank >= retrieved:
                score *= tune.sentence_recall_weight  # retrieval did not rank it
            enumerates = quote.text.count("、") >= 3 or quote.text.count(" | ") >= 3 \
                or "（一）" in quote.text
            if wants_list and enumerates:
                score *= 1.15  # "哪些…" is answered by the sentence that enumerates
            if rarest_asked and any(_mentions(t, said) for t in rarest_asked):
                score *= tune.prefer_boost  # it names what the asking clause asks about
            if any(_prefers(k, subject, said, passage.title) for k, subject in preferred):
                score *= tune.prefer_boost  # "能…吗" by the sentence that permits or forbids it
            plain_best = max(plain_best, score)
            score *= prior(where_asked, index, passage, quote.text)
            candidate = None
            if learned:
                codes = {p.code for p in asked_places}
                candidate = answer_scorer.Candidate(
                    score=score, rank=rank, passage_score=passage.score,
                    length=len(quote.text), position=quote.start / max(len(passage.text), 1),
                    first_in_passage=first_in_passage, titled=bool(above),
                    has_number=answer_scorer.has_number(quote.text),
                    own_coverage=coverage(weights, quote.text),
                    rarest_named=coverage([rarest], said) if rarest else 0.0,
                    authority=authority, enumerates=enumerates,
                    names_place=any(p.code in codes for p in named),
                    states=answer_scorer.stated_kinds(quote.text, tune.compiled),
                    slot_share=slot)
            first_in_passage = False
            scored.append((score, rank, quote, passage, candidate))
    if not scored or not tune.sentence_recall_alone and all(s[1] >= retrieved for s in scored):
        return []  # recalled sentences compete with the retrieved ones, never answer alone
    scored.sort(key=lambda s: (-s[0], s[1], s[2].start))
    best = scored[0][0]
    # even the best sentence says too little about the question (or the passages do)
    low = below_gate or plain_best < tune.min_coverage * 0.6
    order = list(range(len(scored)))
    if learned:
        facts = answer_scorer.Question(
            kinds=ask.kinds, wants_list=wants_list, focused=bool(focus), follow_up=follow_up,
            place_asked=bool(asked_places), best_coverage=best_coverage,
            unseen_share=sum(t.weight for t in weights if not t.seen)
            / (sum(t.weight for t in weights) or 1.0),
            asking_novelty=max((novelty(subject) for _, subject in subjects), default=0.0))
        rows = answer_scorer.feature_rows(facts, [s[4] for s in scored],
                                          passages[0].score if passages else 0.0)
        answer_scorer.record([s[2].text for s in scored], rows, low)
        if model is not None:
            probability = model.probabilities(rows)
            # the rules' coverage thresholds give way to the scorer's: a higher bar to answer
            # what they refuse (`rescue`), a bar below which what they answer is refused
            if probability.max() < (model.rescue if low else model.threshold):
                return []  # no candidate is likely enough to answer: refuse with context
            pick = int(np.argmax(probability))  # the first of the most probable: rules' order
            # the scorer's pick first, then the rules' choice in the rules' order
            order = [pick, *(i for i in order if i != pick)]
            low = False
    if low:
        return []
    chosen: list[tuple[float, Quote, Passage]] = []
    for position, i in enumerate(order):
        score, rank, quote, passage, _ = scored[i]
        if rank >= retrieved and position and not tune.sentence_recall_more:
            continue  # a recalled sentence is quoted as the answer, not beside it
        if score < 0.85 * best:
            if model is None:
                break
            if position:
                continue  # the scorer picks the first quote; the rest are the rules' choice
        twin = next((j for j, (_, q, p) in enumerate(chosen)
                     if _overlaps(quote, passage, q, p)), None)
        if twin is not None:
            # Near-identical wording (a provincial regulation copying the national law): cite
            # the higher authority once rather than both.
            twin_score, _, twin_passage = chosen[twin]
            if _authority(index, passage) > _authority(index, twin_passage) \
                    and score >= 0.9 * twin_score:
                chosen[twin] = (score, quote, passage)
            continue
        if len(chosen) < tune.max_quotes:
            chosen.append((score, quote, passage))
    return present(index, [(q, p) for _, q, p in chosen], weights, ask, whole_lists=wants_list)


def _slot_subject(query: str, weights: list[Term], kind: str) -> list[Term]:
    """What a kind's asking clause asks about (assistant/slots.py)."""
    return asking_terms(_asking_clause(query, tuning().compiled[f"{kind}.question"]), weights,
                        kind)


def _prefers(kind: str, subject: list[Term], said: str, title: str) -> bool:
    """Whether a quote states a ranking-only kind (a permission) about what is asked."""
    tune = tuning()
    return bool(tune.compiled[f"{kind}.answer"].search(said)) and slot_share(
        kind, subject, said, tune.slot_reach_of(kind), title) >= tune.slot_share


def asked_subject(query: str, terms: list[Term], kind: str = "quantity") -> list[str]:
    """What a question asks about, every word of it: the rarest noun of the asking clause
    (asked_focus) and each other noun of that clause weighing `subject_share` of it or more
    (排污许可证 with 有效期 in "排污许可证有效期是几年": a 称号's 有效期 does not answer)."""
    focus = asked_focus(query, terms, kind)
    share = tuning().subject_share
    if focus is None or share >= 1:
        return [focus] if focus else []
    weight = {t.text: t.weight for t in terms}
    asks = tuning().compiled[f"{kind}.question"]
    clause = _asking_clause(query, asks)
    floor = share * weight.get(focus, 0.0)
    slipped = _slips(terms, kind)
    more = [n for n in nouns(clause) if n != focus and not places(n) and not asking_word(n, kind)
            and weight.get(n, 0.0) >= floor and n not in focus and focus not in n
            and n not in slipped]
    return [focus, *dict.fromkeys(more)]


def earlier_subject(earlier: str, terms: list[Term]) -> list[str]:
    """What an ellipsis goes on asking about: the rarest noun the documents use (as weighed in
    the merged question) of the earlier question's asking clause — 产品包装 of "循环经济法对产品
    包装设计有什么要求", not 电镀 of "我们是广州的电镀企业，要做强制审核吗" (the asker's case)."""
    asking = [c for c in re.split(r"[，,。；;？?！!]", earlier) if asks_its_own(c)]
    weight = {t.text: t.weight for t in terms if t.seen}
    named = [(weight[n], n) for n in nouns(asking[-1]) if n in weight and not places(n)] \
        if asking else []
    return [max(named)[1]] if named else []


def _asking_clause(query: str, asks: re.Pattern) -> str:
    """The clause of the question around its asking words, or "" when none asks."""
    m = asks.search(query)
    if m is None:
        return ""
    start = max(query.rfind(c, 0, m.start()) for c in "，,。；;？?") + 1
    ends = [i for i in (query.find(c, m.end()) for c in "，,。；;？?") if i >= 0]
    return query[start:min(ends or [len(query)])]


def asked_focus(query: str, terms: list[Term], kind: str = "quantity") -> str | None:
    """What a question asks about: the rarest noun of the clause around its asking words
    (劳务费 in "专家的劳务费标准是多少", 办法 in "具体办法由谁制定"), or None when the clause
    names nothing."""
    asks = tuning().compiled[f"{kind}.question"]
    clause = _asking_clause(query, asks)
    if not clause:
        return None
    # What a quantity counts is named even when no document uses the word (劳务费): that is
    # the thing nothing states.
    weight = {t.text: t.weight if t.seen or kind != "quantity" else float("inf") for t in terms}
    slipped = _slips(terms, kind)
    candidates = [n for n in nouns(clause) if not places(n) and not asking_word(n, kind)
                  and n not in slipped]
    scored = [(weight.get(n) or max(weight.values(), default=0.0), n) for n in candidates]
    return max(scored)[1] if scored else None


def _slips(terms: list[Term], kind: str) -> set[str]:
    """The question's words no document uses, for a kind other than a quantity: more likely a
    slip (标致 for 标志) than what is asked about, so never part of its subject."""
    return {t.text for t in terms if not t.seen} if kind != "quantity" else set()


def _about_another_place(found: list[Place], asked: list[Place]) -> bool:
    """Whether a quote (the places it and its section name) is about a place of the same
    level as one asked about, and not about the asked place: a city's plan speaks of each
    district in turn."""
    level = max(p.level for p in asked)  # the most precise place asked: 顺德区 of 佛山顺德区
    codes = {p.code for p in asked if p.level == level}
    named = {p.code for p in found if p.level == level}
    return bool(named - codes) and not named & codes


def _mentions(term: str, text: str) -> bool:
    """Does the text name the term, or most of it (服务业 ~ 服务行业)?"""
    folded = fold(text).lower()
    if any(a in folded for a in alternatives(term)):
        return True
    grams = {term[i:i + 2] for i in range(len(term) - 1)}
    if grams and sum(g in folded for g in grams) / len(grams) >= 0.5:
        return True
    return 2 <= len(term) <= 4 and _abbreviates(term, folded)


def _abbreviates(term: str, text: str) -> bool:
    """Whether the text spells out an abbreviation (货运 in 货物运输, 环评 in 环境影响评价):
    the term's characters in order, each within three characters of the one before."""
    return _abbreviation(term).search(text) is not None


@lru_cache(maxsize=1024)
def _abbreviation(term: str) -> re.Pattern:
    return re.compile(".{0,3}".join(map(re.escape, term)))


def _authority(index: SearchIndex, passage: Passage) -> float:
    return tuning().authority[index.docs[passage.doc_id].kind]


def article_citations(index: SearchIndex, rows: list[int]) -> list[Citation]:
    """The article a question names ("…第二十七条规定了什么？"), quoted in order."""
    units = [(quote, index.passage(row, 0.0)) for row in rows
             for quote in quotes(index.chunks[row].text)]
    return present(index, units[:tuning().max_quotes], [])


def cite(index: SearchIndex, n: int, quote: Quote, passage: Passage,
         terms: list[Term] | None = None, ask: Ask | None = None) -> Citation:
    """One quote as citation [n], shown as assistant.present shows every quote."""
    return present(index, [(quote, passage)], terms or [], ask, first=n)[0]


def compose(citations: list[Citation]) -> str:
    lines = []
    for c in citations:
        where = c.article or (c.section.split(" > ")[-1] if c.section else "")
        lines.append(f"《{c.title}》{where}：“{c.quote}”[{c.n}]")
    return "根据现有政策文件：\n" + "\n".join(lines)


def abstain(index: SearchIndex, asked: Resolved, reason: str, retrieval: Retrieval,
            notes: list[str], timings: dict[str, float],
            context: list[Citation] | None = None) -> Answer:
    """A refusal: why, what the corpus holds, and — when given — the passages nearest to the
    question as context (Answer.context), never as citations."""
    return Answer(
        question=asked.turn, resolved_question=asked.shown,
        answer=abstain_text(index, reason), abstained=True, citations=[],
        context=context or [], passages=retrieval.passages, mode=retrieval.mode, notes=notes,
        timings=timings,
    )


def abstain_text(index: SearchIndex, reason: str) -> str:
    return (
        f"{reason}，无法给出有依据的回答。\n"
        f"当前语料库包含 {len(index.docs)} 份文件，覆盖：{'、'.join(index.regions)}。"
        "如需查询其他地区或文件，请先将相关政策文件加入语料库。"
    )


def _overlaps(q1: Quote, p1: Passage, q2: Quote, p2: Passage) -> bool:
    if p1.chunk_id == p2.chunk_id and q1.start < q2.end and q2.start < q1.end:
        return True
    # Near-duplicates: most of the shorter quote's wording recurs in the longer one.
    shorter, longer = sorted((q1.text, q2.text), key=lambda t: len(squash(t)))
    return bigram_overlap(shorter, longer) > 0.7
