"""Resolving a follow-up question ("那广西呢？") against the conversation so far."""

from __future__ import annotations

import re

from assistant.query import scope_terms

_FOLLOWUP_START = re.compile(r"^(那么?|那个|还有|另外|如果是|如果|要是|换成|对于)")
_FOLLOWUP_END = re.compile(r"(呢|怎么样|如何)[？?。]*$")
_PRONOUN = re.compile(r"(它|这个|该规定|这些|上述|那个|那里)")


def is_followup(question: str) -> bool:
    q = question.strip()
    return bool(_FOLLOWUP_START.search(q) or _FOLLOWUP_END.search(q) or _PRONOUN.search(q)) \
        or len(q) <= 6


def merge_followup(question: str, previous: str) -> str:
    """Without an LLM: substitute a new place into the previous question, or join the two."""
    core = _FOLLOWUP_END.sub("", _FOLLOWUP_START.sub("", question.strip())).strip("？?。 ")
    places_now = [p for p in scope_terms() if p in core]
    places_before = [p for p in scope_terms() if p in previous]
    if places_now and places_before and len(core) <= len(places_now[0]) + 4:
        return previous.replace(places_before[0], places_now[0], 1)
    if places_now and not places_before and len(core) <= len(places_now[0]) + 4:
        return f"{places_now[0]}{previous}"
    return f"{previous.rstrip('？?。')} {core}".strip()
