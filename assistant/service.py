"""ask(): the one entry point for questions, shared by the CLI, the API and the evaluation."""

from __future__ import annotations

import logging
import time

from assistant.answer import extractive_answer
from assistant.bilingual import chinese_reading, english_line, english_note, is_english
from assistant.errors import CpauditError, IndexDamagedError
from assistant.followup import Resolved, is_acknowledgement, is_followup, merge_followup
from assistant.limits import (
    check_history,
    check_previous_answer,
    check_question,
    within_question_cap,
)
from assistant.models import Answer, Filters
from assistant.places import find_places
from assistant.query import expand
from assistant.retrieve import SearchIndex, load_index, retrieve
from assistant.settings import Settings, get_settings
from assistant.textfold import question_form

log = logging.getLogger(__name__)


def ensure_index(settings: Settings) -> SearchIndex:
    """For the command line: reconcile at start-up (building the index on a fresh machine, or
    when it is damaged), then the live index. Requests use open_index, which never builds."""
    from assistant.startup import prepare

    prepare(settings, wait=False)
    return open_index(settings)


def open_index(settings: Settings, *, attempts: int = 3) -> SearchIndex:
    """The live index, as loaded by this process. Another worker may swap generations while we
    load one; whatever goes wrong while reading (a file gone, a partial read) is retried on the
    then-current generation. Errors that name their fix (no index, a damaged one) are final."""
    for attempt in range(1, attempts + 1):
        try:
            return load_index(settings)
        except CpauditError:
            raise
        except Exception as exc:
            log.warning("loading the index failed (attempt %d of %d): %s", attempt, attempts, exc)
            if attempt == attempts:
                raise IndexDamagedError(
                    f"索引无法加载（{type(exc).__name__}）。", f"The index cannot be loaded ({exc}).",
                    hint_zh="请运行：cpaudit index（或重启服务）。",
                    hint_en="Run: cpaudit index (or restart the service).",
                ) from exc
    raise AssertionError("unreachable")


def resolve(question: str, history: list[str], settings: Settings, use_llm: bool,
            previous_answer: str = "") -> Resolved:
    """The turn, and when it is a follow-up the question it asks rewritten against the history,
    within the question cap: clients send the resolved question back as history
    (assistant.limits). The one place that decides whether a turn is a follow-up."""
    if not history or not is_followup(question):
        return Resolved(question, question)
    earlier = resolved_history(history)
    # asked of another place, the same words may answer again (a national law, a copied rule)
    said = "" if find_places(question) else previous_answer
    if use_llm:
        from assistant.llm import rewrite_followup

        rewritten = rewrite_followup(settings, question, history)
        if rewritten:
            return Resolved(question, within_question_cap(rewritten), True, earlier,
                            said_before=said)
    merged = merge_followup(question, earlier)
    return Resolved(question, within_question_cap(merged), True, earlier, said_before=said)


def resolved_history(history: list[str]) -> str:
    """The last earlier question as the conversation had resolved it: a follow-up of a
    follow-up ("那专业镇呢？" then "广州呢？") continues the question the first one resolved
    to, not its two words. A question already resolved (clients send the resolved question
    back as history) holds its predecessor, or is no follow-up: it stays as it is."""
    resolved = history[0]
    for earlier in history[1:]:
        if is_followup(earlier) and resolved.rstrip("？?。") not in earlier:
            resolved = merge_followup(earlier, resolved)
        else:
            resolved = earlier
    return resolved


def _indexed(index: SearchIndex, word: str) -> bool:
    """Whether the documents use an English word as a term of their own (VOCs, COD, LNG)."""
    return index.bm25 is not None and index.bm25.doc_freq(word) > 0


def ask(
    question: str, *, history: list[str] | None = None, filters: Filters | None = None,
    k: int | None = None, use_llm: bool | None = None, settings: Settings | None = None,
    index: SearchIndex | None = None, previous_answer: str | None = None,
) -> Answer:
    """Answer a question; `history` holds the user's earlier questions, oldest first, and
    `previous_answer` the answer the last of them got (its text or its quotes): a follow-up
    asking something new of it is not answered with the same quote again."""
    started = time.perf_counter()
    settings = settings or get_settings()
    question = check_question(question)  # the caps of assistant.limits, for every caller
    history = check_history(history)
    index = index or ensure_index(settings)
    llm = bool(settings.llm_base_url) if use_llm is None else use_llm and bool(
        settings.llm_base_url)
    typed, question = question, question_form(question)  # 廣東 → 广东, ２０２５ → 2025
    previous_answer = check_previous_answer(previous_answer)
    asked = resolve(question, [question_form(h) for h in history], settings, llm,
                    question_form(previous_answer))

    def read(text: str) -> str | None:
        return chinese_reading(text, known=lambda word: _indexed(index, word))

    english = None if is_acknowledgement(asked.query) else read(asked.query)  # "ok收到": nothing
    # a follow-up's own words, in Chinese: what it asks beside the earlier question
    asked = asked.reading(english, read(question) if asked.follow_up else None)
    retrieval = retrieve(index, expand(asked.query), k=k, filters=filters)
    if llm:
        from assistant.llm import llm_answer

        result = llm_answer(index, settings, asked, retrieval)
    else:
        result = extractive_answer(index, asked, retrieval)
    result.question = typed
    result.retrieval_query = asked.query
    if english is not None:
        result.notes.append(english_note(asked.query, result.abstained))
        if is_english(question):
            result.answer = f"{english_line(result.abstained)}\n{result.answer}"
    result.timings["total_ms"] = round((time.perf_counter() - started) * 1000, 2)
    return result
