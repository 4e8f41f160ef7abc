"""ask(): the one entry point for questions, shared by the CLI, the API and the evaluation."""

from __future__ import annotations

import logging
import time

from assistant.answer import extractive_answer
from assistant.followup import is_followup, merge_followup
from assistant.generations import current_generation
from assistant.index import build_index
from assistant.limits import check_history, check_question, within_question_cap
from assistant.models import Answer, Filters
from assistant.query import expand
from assistant.retrieve import SearchIndex, load_index, retrieve
from assistant.settings import Settings, get_settings

log = logging.getLogger(__name__)


def ensure_index(settings: Settings) -> SearchIndex:
    """The live index, built first if there is none yet (first start on a fresh machine)."""
    if current_generation(settings) is None:
        log.warning("no index yet: building it now")
        build_index(settings)
    return load_index(settings)


def resolve(question: str, history: list[str], settings: Settings, use_llm: bool) -> str:
    """The follow-up rewritten against the history, within the question cap: clients send the
    resolved question back as history (assistant.limits)."""
    if not history or not is_followup(question):
        return question
    if use_llm:
        from assistant.llm import rewrite_followup

        rewritten = rewrite_followup(settings, question, history)
        if rewritten:
            return within_question_cap(rewritten)
    return within_question_cap(merge_followup(question, history[-1]))


def ask(
    question: str, *, history: list[str] | None = None, filters: Filters | None = None,
    k: int | None = None, use_llm: bool | None = None, settings: Settings | None = None,
    index: SearchIndex | None = None,
) -> Answer:
    """Answer a question; `history` holds the user's earlier questions, oldest first."""
    started = time.perf_counter()
    settings = settings or get_settings()
    question = check_question(question)  # the caps of assistant.limits, for every caller
    history = check_history(history)
    index = index or ensure_index(settings)
    llm = bool(settings.llm_base_url) if use_llm is None else use_llm and bool(
        settings.llm_base_url)
    query = resolve(question, history, settings, llm)
    retrieval = retrieve(index, expand(query), k=k, filters=filters)
    if llm:
        from assistant.llm import llm_answer

        result = llm_answer(index, settings, question, query, retrieval)
    else:
        result = extractive_answer(index, question, query, retrieval)
    result.timings["total_ms"] = round((time.perf_counter() - started) * 1000, 2)
    return result
